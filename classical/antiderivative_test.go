package classical

import (
	"math"
	"testing"

	"github.com/neuralpde/neuralpde/pde"
)

// operatorSlope returns the least-squares slope of log e against log h.
func operatorSlope(h, e []float64) float64 {
	var sx, sy, sxx, sxy float64
	n := float64(len(h))
	for i := range h {
		x, y := math.Log(h[i]), math.Log(e[i])
		sx, sy, sxx, sxy = sx+x, sy+y, sxx+x*x, sxy+x*y
	}
	return (n*sxy - sx*sy) / (n*sxx - sx*sx)
}

// The cumulative quadrature is fourth order: log error against h has slope
// 4 on smooth integrands, and it is exact for cubics.
func TestAntiderivativeOrder(t *testing.T) {
	for _, tc := range []struct {
		name  string
		u, s  func(x float64) float64
		order float64
	}{
		{"exp(sin 3x)·cos 3x", func(x float64) float64 { return math.Exp(math.Sin(3*x)) * 3 * math.Cos(3*x) },
			func(x float64) float64 { return math.Exp(math.Sin(3*x)) - 1 }, 4},
		{"1/(1+4x²)", func(x float64) float64 { return 1 / (1 + 4*x*x) },
			func(x float64) float64 { return math.Atan(2*x) / 2 }, 4},
	} {
		var hs, es []float64
		for _, n := range []int{21, 41, 81, 161} {
			g := pde.NewUniformGrid(0, 1, n)
			sol, err := NewAntiderivativeSolver(g)
			if err != nil {
				t.Fatal(err)
			}
			in, out := make([]float64, n), make([]float64, n)
			for j := range in {
				in[j] = tc.u(g.At(j))
			}
			if err := sol.Solve(out, in); err != nil {
				t.Fatal(err)
			}
			e := 0.0
			for j := range out {
				e = math.Max(e, math.Abs(out[j]-tc.s(g.At(j))))
			}
			hs, es = append(hs, g.Spacing()), append(es, e)
		}
		if p := operatorSlope(hs, es); math.Abs(p-tc.order) > 0.3 {
			t.Errorf("%s: order %.2f, want %.0f (errors %.3g)", tc.name, p, tc.order, es)
		}
	}
	g := pde.NewUniformGrid(0, 2, 7)
	sol, _ := NewAntiderivativeSolver(g)
	in, out := make([]float64, 7), make([]float64, 7)
	for j := range in {
		x := g.At(j)
		in[j] = 1 - 2*x + 3*x*x*x
	}
	_ = sol.Solve(out, in)
	for j := range out {
		x := g.At(j)
		if want := x - x*x + 0.75*x*x*x*x; math.Abs(out[j]-want) > 1e-13 {
			t.Errorf("cubic integrand at x=%g: %g, want %g", x, out[j], want)
		}
	}
	if err := sol.Solve(out[:3], in); err == nil {
		t.Errorf("wrong output length gave no error")
	}
}
