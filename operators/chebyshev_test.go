package operators

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"

	"github.com/neuralpde/neuralpde/pde"
)

// chebT returns T_k(s) by the three-term recurrence.
func chebT(k int, s float64) float64 {
	t0, t1 := 1.0, s
	if k == 0 {
		return t0
	}
	for i := 1; i < k; i++ {
		t0, t1 = t1, 2*s*t1-t0
	}
	return t1
}

func TestChebyshevPointsMatchGrid(t *testing.T) {
	for _, test := range []struct {
		n    int
		a, b float64
	}{{2, -1, 1}, {5, 0, 1}, {17, -3, 2.5}, {64, 1, 4}} {
		c := NewChebyshev(test.n, test.a, test.b)
		want := pde.NewChebyshevGrid(test.a, test.b, test.n).Points(nil)
		if !floats.Equal(c.Points(), want) {
			t.Errorf("n=%d [%g, %g]: Points %v, want %v", test.n, test.a, test.b, c.Points(), want)
		}
		if c.Points()[0] != test.a || c.Points()[test.n-1] != test.b {
			t.Errorf("n=%d: end points %g, %g; want %g, %g", test.n, c.Points()[0], c.Points()[test.n-1], test.a, test.b)
		}
	}
}

func TestChebyshevDiffMatrixSmall(t *testing.T) {
	// Trefethen's cheb(1) on x = (1, −1) is [1/2 −1/2; 1/2 −1/2]; on the
	// increasing points (−1, 1) both indices are reversed.
	d := NewChebyshev(2, -1, 1).DiffMatrix(1)
	want := mat.NewDense(2, 2, []float64{-0.5, 0.5, -0.5, 0.5})
	if !mat.EqualApprox(d, want, 1e-15) {
		t.Errorf("DiffMatrix(1) for N=2:\n%v\nwant\n%v", mat.Formatted(d), mat.Formatted(want))
	}
	// Trefethen's cheb(2): x = (1, 0, −1), D = [3/2 −2 1/2; 1/2 0 −1/2; −1/2 2 −3/2].
	d = NewChebyshev(3, -1, 1).DiffMatrix(1)
	want = mat.NewDense(3, 3, []float64{-1.5, 2, -0.5, -0.5, 0, 0.5, 0.5, -2, 1.5})
	if !mat.EqualApprox(d, want, 1e-14) {
		t.Errorf("DiffMatrix(1) for N=3:\n%v\nwant\n%v", mat.Formatted(d), mat.Formatted(want))
	}
}

// TestChebyshevDerivExactOnPolynomials checks DiffMatrix and Deriv on a
// random polynomial of degree N−1 on a shifted interval, orders 0 to 3.
func TestChebyshevDerivExactOnPolynomials(t *testing.T) {
	rnd := rand.New(rand.NewPCG(31, 32))
	const a, b = -0.5, 2.0
	for _, n := range []int{2, 3, 8, 17} {
		coef := make([]float64, n)
		for k := range coef {
			coef[k] = rnd.NormFloat64()
		}
		c := NewChebyshev(n, a, b)
		// p(x) = Σ coef_k s^k in monomials of s = (2x−a−b)/(b−a).
		p := func(x float64, order int) float64 {
			s := (2*x - a - b) / (b - a)
			var sum float64
			for k := order; k < n; k++ {
				f := 1.0
				for i := 0; i < order; i++ {
					f *= float64(k - i)
				}
				sum += coef[k] * f * math.Pow(s, float64(k-order))
			}
			return sum * math.Pow(2/(b-a), float64(order))
		}
		u := make([]float64, n)
		for j, x := range c.Points() {
			u[j] = p(x, 0)
		}
		for order := 0; order <= 3; order++ {
			want := make([]float64, n)
			for j, x := range c.Points() {
				want[j] = p(x, order)
			}
			tol := 1e-14 * math.Pow(float64(n), 2*float64(order)) * math.Max(1, floats.Norm(want, math.Inf(1)))
			got := c.Deriv(nil, u, order)
			if d := maxAbsDiff(got, want); d > tol {
				t.Errorf("n=%d order=%d: Deriv error %g > %g", n, order, d, tol)
			}
			var dm mat.VecDense
			dm.MulVec(c.DiffMatrix(order), mat.NewVecDense(n, u))
			if d := maxAbsDiff(dm.RawVector().Data, want); d > tol {
				t.Errorf("n=%d order=%d: DiffMatrix error %g > %g", n, order, d, tol)
			}
		}
	}
}

// TestChebyshevSpectralConvergence differentiates exp(x)·sin(5x) on [−1, 2]:
// both Deriv and DiffMatrix converge spectrally, and agree with each other.
func TestChebyshevSpectralConvergence(t *testing.T) {
	const a, b = -1.0, 2.0
	u := func(x float64) float64 { return math.Exp(x) * math.Sin(5*x) }
	du := func(x float64) float64 { return math.Exp(x) * (math.Sin(5*x) + 5*math.Cos(5*x)) }
	d2u := func(x float64) float64 { return math.Exp(x) * (10*math.Cos(5*x) - 24*math.Sin(5*x)) }
	for _, test := range []struct {
		order int
		exact func(float64) float64
		tol   float64 // relative to max |exact| at n = 64
	}{
		{1, du, 1e-12},
		{2, d2u, 1e-9},
	} {
		var errs []float64
		for _, n := range []int{8, 16, 32, 64} {
			c := NewChebyshev(n, a, b)
			v := make([]float64, n)
			want := make([]float64, n)
			for j, x := range c.Points() {
				v[j] = u(x)
				want[j] = test.exact(x)
			}
			scale := floats.Norm(want, math.Inf(1))
			got := c.Deriv(nil, v, test.order)
			e := maxAbsDiff(got, want) / scale
			errs = append(errs, e)
			var dm mat.VecDense
			dm.MulVec(c.DiffMatrix(test.order), mat.NewVecDense(n, v))
			if d := maxAbsDiff(dm.RawVector().Data, got) / scale; d > 1e-11 {
				t.Errorf("order %d n=%d: DiffMatrix and Deriv differ by %g (relative)", test.order, n, d)
			}
		}
		t.Logf("order %d: relative errors %.3g", test.order, errs)
		if e := errs[len(errs)-1]; e > test.tol {
			t.Errorf("order %d: relative error %g at n=64, want ≤ %g (errors %v)", test.order, e, test.tol, errs)
		}
		if !(errs[2] < 1e-6*errs[0]) {
			t.Errorf("order %d: error did not drop spectrally: %v", test.order, errs)
		}
	}
}

func TestChebyshevCoefficients(t *testing.T) {
	const a, b = 1.0, 3.0
	for _, n := range []int{2, 3, 4, 9, 32} {
		c := NewChebyshev(n, a, b)
		// Each T_k(s) has coefficient vector e_k.
		for k := 0; k < n; k++ {
			u := make([]float64, n)
			for j, x := range c.Points() {
				u[j] = chebT(k, (2*x-a-b)/(b-a))
			}
			got := c.Coefficients(nil, u)
			want := make([]float64, n)
			want[k] = 1
			if d := maxAbsDiff(got, want); d > 1e-14*float64(n) {
				t.Errorf("n=%d: coefficients of T_%d are %v", n, k, got)
			}
		}
	}
}

func TestChebyshevRoundTrip(t *testing.T) {
	rnd := rand.New(rand.NewPCG(33, 34))
	for _, n := range []int{2, 3, 10, 65, 256} {
		c := NewChebyshev(n, -2, 5)
		u := make([]float64, n)
		for i := range u {
			u[i] = rnd.NormFloat64()
		}
		coef := c.Coefficients(nil, u)
		back := c.Values(nil, coef)
		if d := maxAbsDiff(back, u); d > 1e-14*math.Max(1, math.Log2(float64(n))) {
			t.Errorf("n=%d: Values(Coefficients(u)) differs from u by %g", n, d)
		}
		// Values agrees with summing the series directly.
		direct := make([]float64, n)
		for j, x := range c.Points() {
			s := (2*x + 2 - 5) / 7
			for k, ck := range coef {
				direct[j] += ck * chebT(k, s)
			}
		}
		if d := maxAbsDiff(direct, u); d > 1e-13*float64(n) {
			t.Errorf("n=%d: direct series sum differs from u by %g", n, d)
		}
	}
}

func TestChebyshevInterpolate(t *testing.T) {
	rnd := rand.New(rand.NewPCG(35, 36))
	const a, b = -1.0, 0.5
	xs := make([]float64, 200)
	for i := range xs {
		xs[i] = a + (b-a)*rnd.Float64()
	}
	// A polynomial of degree N−1 is reproduced exactly.
	for _, n := range []int{2, 5, 16} {
		c := NewChebyshev(n, a, b)
		coef := make([]float64, n)
		for k := range coef {
			coef[k] = rnd.NormFloat64()
		}
		p := func(x float64) float64 {
			var s float64
			for k, ck := range coef {
				s += ck * chebT(k, (2*x-a-b)/(b-a))
			}
			return s
		}
		u := make([]float64, n)
		for j, x := range c.Points() {
			u[j] = p(x)
		}
		got := c.Interpolate(nil, u, xs)
		for i, x := range xs {
			if d := math.Abs(got[i] - p(x)); d > 1e-13*float64(n) {
				t.Errorf("n=%d: interpolant at %g off by %g", n, x, d)
			}
		}
		// At the nodes it returns the samples exactly.
		if !floats.Equal(c.Interpolate(nil, u, c.Points()), u) {
			t.Errorf("n=%d: Interpolate at the nodes is not the samples", n)
		}
	}
	// Runge's function converges geometrically on Chebyshev points.
	runge := func(x float64) float64 { return 1 / (1 + 25*x*x) }
	var errs []float64
	for _, n := range []int{16, 64, 256} {
		c := NewChebyshev(n, a, b)
		u := make([]float64, n)
		for j, x := range c.Points() {
			u[j] = runge(x)
		}
		got := c.Interpolate(nil, u, xs)
		var e float64
		for i, x := range xs {
			e = math.Max(e, math.Abs(got[i]-runge(x)))
		}
		errs = append(errs, e)
	}
	if errs[2] > 1e-13 || !(errs[1] < 1e-3*errs[0]) {
		t.Errorf("Runge function: interpolation errors %v do not converge geometrically to round-off", errs)
	}
}

func TestChebyshevPanics(t *testing.T) {
	c := NewChebyshev(5, 0, 1)
	testPanics(t, []panicCase{
		{"n", func() { NewChebyshev(1, 0, 1) }},
		{"interval", func() { NewChebyshev(4, 1, 1) }},
		{"Coefficients dst", func() { c.Coefficients(make([]float64, 4), make([]float64, 5)) }},
		{"Values coef", func() { c.Values(nil, make([]float64, 6)) }},
		{"Deriv order", func() { c.Deriv(nil, make([]float64, 5), -1) }},
		{"DiffMatrix order", func() { c.DiffMatrix(-2) }},
		{"Interpolate u", func() { c.Interpolate(nil, make([]float64, 3), []float64{0.5}) }},
	})
}

func TestChebyshevQuadrature(t *testing.T) {
	// Two points give the trapezoidal rule, three Simpson's rule.
	if w := NewChebyshev(2, 0, 2).QuadratureWeights(nil); !floats.EqualApprox(w, []float64{1, 1}, 1e-15) {
		t.Errorf("N=2 weights %v, want trapezoid [1 1]", w)
	}
	if w := NewChebyshev(3, -1, 1).QuadratureWeights(nil); !floats.EqualApprox(w, []float64{1.0 / 3, 4.0 / 3, 1.0 / 3}, 1e-15) {
		t.Errorf("N=3 weights %v, want Simpson [1/3 4/3 1/3]", w)
	}
	const a, b = -0.3, 1.7
	for _, test := range []struct {
		name string
		f, F func(x float64) float64 // integrand and antiderivative
		n    int
		tol  float64
	}{
		{"x^8 on 9 points", func(x float64) float64 { return math.Pow(x, 8) }, func(x float64) float64 { return math.Pow(x, 9) / 9 }, 9, 1e-13},
		{"x^9 on 10 points", func(x float64) float64 { return math.Pow(x, 9) }, func(x float64) float64 { return math.Pow(x, 10) / 10 }, 10, 1e-13},
		{"exp on 16 points", math.Exp, math.Exp, 16, 1e-14},
		{"Runge on 128 points", func(x float64) float64 { return 1 / (1 + 25*x*x) }, func(x float64) float64 { return math.Atan(5*x) / 5 }, 128, 1e-14},
	} {
		c := NewChebyshev(test.n, a, b)
		w := c.QuadratureWeights(nil)
		var got float64
		for j, x := range c.Points() {
			got += w[j] * test.f(x)
		}
		want := test.F(b) - test.F(a)
		if d := math.Abs(got - want); d > test.tol*math.Max(1, math.Abs(want)) {
			t.Errorf("%s: integral %.16g, want %.16g (error %g)", test.name, got, want, d)
		}
	}
}
