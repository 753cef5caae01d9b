package operators

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

func randCoef(rng *rand.Rand, m int) []float64 {
	c := make([]float64, m)
	for i := range c {
		c[i] = rng.NormFloat64()
	}
	return c
}

// TestBasisTransforms checks that the fast transforms are the matrices,
// that Forward inverts Inverse on every grid with at least MinPoints
// points, and that Eval agrees with Inverse at the points.
func TestBasisTransforms(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct {
		name string
		b    Basis
		ns   []int
	}{
		{"fourier k=5", NewFourierBasis(5, 0, 1), []int{9, 10, 16, 33}},
		{"fourier k=12 [−1,2π)", NewFourierBasis(12, -1, 2*math.Pi), []int{23, 24, 64}},
		{"chebyshev m=7", NewChebyshevBasis(7, 0, 1), []int{7, 8, 16, 33}},
		{"chebyshev m=16 [−2,3]", NewChebyshevBasis(16, -2, 3), []int{16, 17, 32}},
	} {
		m := tc.b.Len()
		for _, n := range tc.ns {
			c := randCoef(rng, m)
			u := tc.b.Inverse(make([]float64, n), c)
			var su mat.VecDense
			su.MulVec(tc.b.Synthesis(n), mat.NewVecDense(m, c))
			if !floats.EqualApprox(u, su.RawVector().Data, 1e-12) {
				t.Errorf("%s n=%d: Inverse differs from Synthesis", tc.name, n)
			}
			got := tc.b.Forward(nil, u)
			if !floats.EqualApprox(got, c, 1e-12) {
				t.Errorf("%s n=%d: Forward(Inverse(c)) ≠ c: %v vs %v", tc.name, n, got, c)
			}
			var au mat.VecDense
			au.MulVec(tc.b.Analysis(n), mat.NewVecDense(n, u))
			if !floats.EqualApprox(au.RawVector().Data, c, 1e-12) {
				t.Errorf("%s n=%d: Analysis differs from Forward", tc.name, n)
			}
			ev := tc.b.Eval(nil, c, tc.b.Points(n))
			if !floats.EqualApprox(ev, u, 1e-11) {
				t.Errorf("%s n=%d: Eval at the points differs from Inverse", tc.name, n)
			}
		}
	}
}

// TestBasisDerivativeExact checks the derivative matrices on functions the
// bases hold exactly: a trigonometric polynomial and a polynomial.
func TestBasisDerivativeExact(t *testing.T) {
	const L = 2.0
	w := 2 * math.Pi / L
	// u = 1 + 3cos(ωx) − 2 sin(3ωx): u′ = −3ω sin(ωx) − 6ω cos(3ωx).
	f := NewFourierBasis(4, 0, L)
	c := []float64{1, 3, 0, 0, 0, 0, -2}
	want1 := []float64{0, 0, -3 * w, 0, 0, -6 * w, 0}
	// u″ = −3ω² cos(ωx) + 18ω² sin(3ωx).
	want2 := []float64{0, -3 * w * w, 0, 0, 0, 0, 18 * w * w}
	// Chebyshev on [1, 3]: u = x³ − 2x; check against values of u′ = 3x² − 2
	// and u″ = 6x at the points.
	cb := NewChebyshevBasis(6, 1, 3)
	pts := cb.Points(6)
	vals := make([]float64, 6)
	for i, x := range pts {
		vals[i] = x*x*x - 2*x
	}
	cc := cb.Forward(nil, vals)
	for _, tc := range []struct {
		name  string
		b     Basis
		c     []float64
		order int
		want  func(coef []float64) bool
	}{
		{"fourier d1", f, c, 1, func(g []float64) bool { return floats.EqualApprox(g, want1, 1e-12) }},
		{"fourier d2", f, c, 2, func(g []float64) bool { return floats.EqualApprox(g, want2, 1e-11) }},
		{"fourier d0", f, c, 0, func(g []float64) bool { return floats.EqualApprox(g, c, 0) }},
		{"chebyshev d1", cb, cc, 1, func(g []float64) bool {
			v := cb.Eval(nil, g, pts)
			for i, x := range pts {
				if math.Abs(v[i]-(3*x*x-2)) > 1e-11 {
					return false
				}
			}
			return true
		}},
		{"chebyshev d2", cb, cc, 2, func(g []float64) bool {
			v := cb.Eval(nil, g, pts)
			for i, x := range pts {
				if math.Abs(v[i]-6*x) > 1e-10 {
					return false
				}
			}
			return true
		}},
	} {
		var d mat.VecDense
		d.MulVec(tc.b.Derivative(tc.order), mat.NewVecDense(len(tc.c), tc.c))
		if !tc.want(d.RawVector().Data) {
			t.Errorf("%s: derivative coefficients %v are wrong", tc.name, d.RawVector().Data)
		}
	}
}

// TestBasisSpectralAccuracy checks that the truncation error of an
// analytic function falls geometrically with the number of modes: the error
// at 2M modes is below the square of the error at M (up to a factor), well
// beyond any algebraic rate.
func TestBasisSpectralAccuracy(t *testing.T) {
	for _, tc := range []struct {
		name string
		mk   func(m int) Basis
		u    func(x float64) float64
		ms   []int
		tol  float64 // error at the largest M
	}{
		{"fourier exp(sin 2πx)", func(m int) Basis { return NewFourierBasis(m, 0, 1) }, func(x float64) float64 { return math.Exp(math.Sin(2 * math.Pi * x)) }, []int{4, 8, 16}, 1e-13},
		{"chebyshev 1/(1+x²) on [−1,1]", func(m int) Basis { return NewChebyshevBasis(m, -1, 1) }, func(x float64) float64 { return 1 / (1 + x*x) }, []int{8, 16, 32}, 1e-10},
	} {
		var errs []float64
		xs := make([]float64, 301)
		for i := range xs {
			xs[i] = -1 + 2*float64(i)/300
		}
		if tc.mk(1).Periodic() {
			for i := range xs {
				xs[i] = float64(i) / 301
			}
		}
		for _, m := range tc.ms {
			b := tc.mk(m)
			n := 2 * b.Len()
			vals := make([]float64, n)
			for i, x := range b.Points(n) {
				vals[i] = tc.u(x)
			}
			c := b.Forward(nil, vals)
			got := b.Eval(nil, c, xs)
			var e float64
			for i, x := range xs {
				e = math.Max(e, math.Abs(got[i]-tc.u(x)))
			}
			errs = append(errs, e)
		}
		last := errs[len(errs)-1]
		if last > tc.tol {
			t.Errorf("%s: error %.2e at the most modes, want below %.0e (errors %v)", tc.name, last, tc.tol, errs)
		}
		if errs[1] > 10*errs[0]*errs[0]+1e-14 {
			t.Errorf("%s: errors %v do not fall geometrically", tc.name, errs)
		}
	}
}

// TestBasisParseval checks cᵀGc and Integral against quadrature of the
// series on a fine grid (trapezoid for periodic, Clenshaw–Curtis otherwise,
// both exact for the degrees involved).
func TestBasisParseval(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, tc := range []struct {
		name string
		b    Basis
		norm func(c []float64) float64
	}{
		{"fourier", NewFourierBasis(7, 0.5, 3), func(c []float64) float64 { return NewFourierBasis(7, 0.5, 3).NormSq(c) }},
		{"chebyshev", NewChebyshevBasis(9, -1, 2), func(c []float64) float64 { return NewChebyshevBasis(9, -1, 2).NormSq(c) }},
	} {
		c := randCoef(rng, tc.b.Len())
		n := 4 * tc.b.Len()
		u := tc.b.Inverse(make([]float64, n), c)
		var w []float64
		a, bb := tc.b.Interval()
		if tc.b.Periodic() {
			w = make([]float64, n)
			for i := range w {
				w[i] = (bb - a) / float64(n)
			}
		} else {
			w = NewChebyshev(n, a, bb).QuadratureWeights(nil)
		}
		var q2, q1 float64
		for i, v := range u {
			q2 += w[i] * v * v
			q1 += w[i] * v
		}
		if got := tc.norm(c); math.Abs(got-q2) > 1e-12*q2 {
			t.Errorf("%s: NormSq %v, quadrature %v", tc.name, got, q2)
		}
		if got := tc.b.Integral(c); math.Abs(got-q1) > 1e-12*(1+math.Abs(q1)) {
			t.Errorf("%s: Integral %v, quadrature %v", tc.name, got, q1)
		}
	}
}

// TestChebyshevMulX checks (x−a)·u against values at points.
func TestChebyshevMulX(t *testing.T) {
	b := NewChebyshevBasis(5, 0.5, 2)
	b1 := NewChebyshevBasis(6, 0.5, 2)
	c := randCoef(rand.New(rand.NewPCG(5, 6)), 5)
	var r mat.VecDense
	r.MulVec(b.MulX(), mat.NewVecDense(5, c))
	pts := b1.Points(11)
	got := b1.Eval(nil, r.RawVector().Data, pts)
	want := b.Eval(nil, c, pts)
	for i, x := range pts {
		want[i] *= x - 0.5
	}
	if !floats.EqualApprox(got, want, 1e-12) {
		t.Errorf("MulX: %v, want %v", got, want)
	}
}

// TestChebyshevAntiderivative checks U = ∫_a^x u: U′ = u exactly and
// U(a) = 0.
func TestChebyshevAntiderivative(t *testing.T) {
	b := NewChebyshevBasis(7, 0.5, 2)
	b1 := NewChebyshevBasis(8, 0.5, 2)
	c := randCoef(rand.New(rand.NewPCG(7, 8)), 7)
	var u, du mat.VecDense
	u.MulVec(b.Antiderivative(), mat.NewVecDense(7, c))
	du.MulVec(b1.Derivative(1), &u)
	d := du.RawVector().Data
	if !floats.EqualApprox(d[:7], c, 1e-12) || math.Abs(d[7]) > 1e-12 {
		t.Errorf("(∫u)′ = %v, want %v", d, c)
	}
	if at := b1.Eval(nil, u.RawVector().Data, []float64{0.5})[0]; math.Abs(at) > 1e-13 {
		t.Errorf("∫u at a = %g, want 0", at)
	}
}

// TestBasis2D checks the tensor transforms, derivatives, norm and integral
// of Fourier×Chebyshev on u(x, t) = (1 + sin 2πx)·(t² + t).
func TestBasis2D(t *testing.T) {
	b := NewBasis2D(NewFourierBasis(3, 0, 1), NewChebyshevBasis(4, 0, 1))
	nx, ny := 8, 6
	xs, ts := b.X.Points(nx), b.Y.Points(ny)
	u := make([]float64, nx*ny)
	ux := make([]float64, nx*ny)
	ut := make([]float64, nx*ny)
	for p, x := range xs {
		for q, s := range ts {
			g := 1 + math.Sin(2*math.Pi*x)
			u[p*ny+q] = g * (s*s + s)
			ux[p*ny+q] = 2 * math.Pi * math.Cos(2*math.Pi*x) * (s*s + s)
			ut[p*ny+q] = g * (2*s + 1)
		}
	}
	c := b.Forward(nil, u, nx, ny)
	if back := b.Inverse(nil, c, nx, ny); !floats.EqualApprox(back, u, 1e-12) {
		t.Errorf("Inverse(Forward(u)) ≠ u")
	}
	if got := b.Inverse(nil, b.Deriv(nil, c, 1, 0), nx, ny); !floats.EqualApprox(got, ux, 1e-11) {
		t.Errorf("∂x wrong")
	}
	if got := b.Inverse(nil, b.Deriv(nil, c, 0, 1), nx, ny); !floats.EqualApprox(got, ut, 1e-11) {
		t.Errorf("∂t wrong")
	}
	// ∫(1+sin)² dx = 3/2; ∫(t²+t)² dt = 1/5 + 1/2 + 1/3; ∫(1+sin) = 1; ∫ t²+t = 5/6.
	if got, want := b.NormSq(c), 1.5*(0.2+0.5+1.0/3); math.Abs(got-want) > 1e-12 {
		t.Errorf("NormSq %v, want %v", got, want)
	}
	if got, want := b.Integral(c), 5.0/6; math.Abs(got-want) > 1e-12 {
		t.Errorf("Integral %v, want %v", got, want)
	}
}

func TestBasisPanics(t *testing.T) {
	testPanics(t, []panicCase{
		{"fourier no frequency", func() { NewFourierBasis(0, 0, 1) }},
		{"chebyshev empty", func() { NewChebyshevBasis(3, 1, 1) }},
		{"fourier too few points", func() { NewFourierBasis(4, 0, 1).Forward(nil, make([]float64, 6)) }},
		{"chebyshev too few points", func() { NewChebyshevBasis(4, 0, 1).Inverse(make([]float64, 3), make([]float64, 4)) }},
		{"wrong coefficient length", func() { NewChebyshevBasis(4, 0, 1).NormSq(make([]float64, 3)) }},
	})
}

func BenchmarkBasisForward(b *testing.B) {
	for _, n := range []int{64, 256} {
		for _, bs := range []struct {
			name string
			b    Basis
		}{{"fourier", NewFourierBasis(16, 0, 1)}, {"chebyshev", NewChebyshevBasis(16, 0, 1)}} {
			b.Run(fmt.Sprintf("%s/%d", bs.name, n), func(b *testing.B) {
				u := make([]float64, n)
				for i := range u {
					u[i] = math.Sin(float64(i))
				}
				dst := make([]float64, bs.b.Len())
				bs.b.Forward(dst, u)
				b.ReportAllocs()
				for b.Loop() {
					bs.b.Forward(dst, u)
				}
			})
		}
	}
}
