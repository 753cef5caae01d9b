package operators

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// TestStencilsAreFornberg checks every tabulated weight against Fornberg's
// recursion on the same nodes.
func TestStencilsAreFornberg(t *testing.T) {
	for _, s := range stencils {
		r := s.radius()
		x := make([]float64, 2*r+1)
		for k := range x {
			x[k] = float64(k - r)
		}
		if w := FornbergWeights(nil, 0, x, s.deriv); !floats.EqualApprox(w, s.interior, 1e-13) {
			t.Errorf("d%d order %d interior: table %v, Fornberg %v", s.deriv, s.order, s.interior, w)
		}
		for i, row := range s.left {
			x := make([]float64, len(row))
			for k := range x {
				x[k] = float64(k)
			}
			if w := FornbergWeights(nil, float64(i), x, s.deriv); !floats.EqualApprox(w, row, 1e-12) {
				t.Errorf("d%d order %d left row %d: table %v, Fornberg %v", s.deriv, s.order, i, row, w)
			}
		}
	}
}

func TestFornbergWeightsNonUniform(t *testing.T) {
	// On n nodes the formula for the m-th derivative is exact for polynomials
	// of degree < n.
	x := []float64{-0.7, -0.1, 0.25, 0.9, 1.6, 2.0}
	const z = 0.3
	for m := 0; m <= 3; m++ {
		w := FornbergWeights(nil, z, x, m)
		for deg := 0; deg < len(x); deg++ {
			var got float64
			for k, xk := range x {
				got += w[k] * math.Pow(xk, float64(deg))
			}
			// m-th derivative of x^deg at z.
			want := 0.0
			if deg >= m {
				c := 1.0
				for i := 0; i < m; i++ {
					c *= float64(deg - i)
				}
				want = c * math.Pow(z, float64(deg-m))
			}
			if math.Abs(got-want) > 1e-11*math.Max(1, math.Abs(want)) {
				t.Errorf("m=%d deg=%d: %g, want %g", m, deg, got, want)
			}
		}
	}
}

// fdSlope returns the least-squares slope of log(max error) against log h
// for one derivative operator over grids of n points.
func fdSlope(t *testing.T, apply func(dst, u []float64, h float64) []float64, deriv int, periodic bool, ns []int) (float64, []float64) {
	t.Helper()
	var logH, logE, errs []float64
	for _, n := range ns {
		var a, b float64
		var h float64
		x := make([]float64, n)
		if periodic {
			a, b = 0, 2*math.Pi
			h = (b - a) / float64(n)
		} else {
			a, b = -0.5, 1
			h = (b - a) / float64(n-1)
		}
		for i := range x {
			x[i] = a + float64(i)*h
		}
		u := make([]float64, n)
		want := make([]float64, n)
		for i, xi := range x {
			if periodic {
				// exp(sin x) and its derivatives.
				s, c := math.Sin(xi), math.Cos(xi)
				u[i] = math.Exp(s)
				if deriv == 1 {
					want[i] = c * u[i]
				} else {
					want[i] = (c*c - s) * u[i]
				}
			} else {
				// exp(x)·sin(3x), not periodic on [−0.5, 1].
				e, s, c := math.Exp(xi), math.Sin(3*xi), math.Cos(3*xi)
				u[i] = e * s
				if deriv == 1 {
					want[i] = e * (s + 3*c)
				} else {
					want[i] = e * (6*c - 8*s)
				}
			}
		}
		got := apply(nil, u, h)
		e := maxAbsDiff(got, want)
		errs = append(errs, e)
		logH = append(logH, math.Log(h))
		logE = append(logE, math.Log(e))
	}
	_, slope := stat.LinearRegression(logH, logE, nil, false)
	return slope, errs
}

func TestFDConvergenceOrder(t *testing.T) {
	ns := []int{32, 64, 128, 256, 512}
	for _, test := range []struct {
		deriv, order int
		periodic     bool
	}{
		{1, 2, true}, {1, 2, false},
		{1, 4, true}, {1, 4, false},
		{2, 2, true}, {2, 2, false},
		{2, 4, true}, {2, 4, false},
	} {
		name := fmt.Sprintf("D%d/order%d/periodic=%v", test.deriv, test.order, test.periodic)
		t.Run(name, func(t *testing.T) {
			apply := func(dst, u []float64, h float64) []float64 {
				if test.deriv == 1 {
					return D1(dst, u, h, test.order, test.periodic)
				}
				return D2(dst, u, h, test.order, test.periodic)
			}
			slope, errs := fdSlope(t, apply, test.deriv, test.periodic, ns)
			t.Logf("%s: slope %.3f, max errors at n = %v: %.3g", name, slope, ns, errs)
			if math.Abs(slope-float64(test.order)) > 0.3 {
				t.Errorf("log-log slope %.3f, want %d ± 0.3 (errors %v)", slope, test.order, errs)
			}
		})
	}
}

func TestFDExactOnPolynomials(t *testing.T) {
	// Non-periodic stencils of order p are exact for polynomials of degree
	// p+deriv−1 at every point, the one-sided ones included.
	for _, test := range []struct{ deriv, order int }{{1, 2}, {1, 4}, {2, 2}, {2, 4}} {
		deg := test.order + test.deriv - 1
		const n, h = 9, 0.3
		u := make([]float64, n)
		want := make([]float64, n)
		for i := range u {
			x := 1 + float64(i)*h
			u[i] = math.Pow(x, float64(deg))
			c := 1.0
			for k := 0; k < test.deriv; k++ {
				c *= float64(deg - k)
			}
			want[i] = c * math.Pow(x, float64(deg-test.deriv))
		}
		var got []float64
		if test.deriv == 1 {
			got = D1(nil, u, h, test.order, false)
		} else {
			got = D2(nil, u, h, test.order, false)
		}
		if d := maxAbsDiff(got, want); d > 1e-9 {
			t.Errorf("D%d order %d on x^%d: error %g", test.deriv, test.order, deg, d)
		}
	}
}

func TestFDMatrixMatchesApply(t *testing.T) {
	rnd := rand.New(rand.NewPCG(21, 22))
	for _, n := range []int{6, 7, 12} {
		u := make([]float64, n)
		for i := range u {
			u[i] = rnd.NormFloat64()
		}
		for _, order := range []int{2, 4} {
			for _, periodic := range []bool{true, false} {
				const h = 0.1
				var got mat.VecDense
				got.MulVec(D1Matrix(n, h, order, periodic), mat.NewVecDense(n, u))
				if want := D1(nil, u, h, order, periodic); !floats.EqualApprox(got.RawVector().Data, want, 1e-12) {
					t.Errorf("n=%d order=%d periodic=%v: D1Matrix·u ≠ D1(u)", n, order, periodic)
				}
				got.MulVec(D2Matrix(n, h, order, periodic), mat.NewVecDense(n, u))
				if want := D2(nil, u, h, order, periodic); !floats.EqualApprox(got.RawVector().Data, want, 1e-10) {
					t.Errorf("n=%d order=%d periodic=%v: D2Matrix·u ≠ D2(u)", n, order, periodic)
				}
			}
		}
	}
}

func TestFDPanics(t *testing.T) {
	u := make([]float64, 8)
	testPanics(t, []panicCase{
		{"order 3", func() { D1(nil, u, 0.1, 3, true) }},
		{"h ≤ 0", func() { D2(nil, u, 0, 2, true) }},
		{"short grid", func() { D2(nil, u[:5], 0.1, 4, false) }},
		{"dst length", func() { D1(make([]float64, 7), u, 0.1, 2, false) }},
		{"aliased dst", func() { D1(u, u, 0.1, 2, false) }},
		{"Fornberg nodes", func() { FornbergWeights(nil, 0, []float64{0, 1}, 2) }},
	})
}
