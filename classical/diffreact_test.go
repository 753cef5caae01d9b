package classical

import (
	"math"
	"testing"

	"github.com/neuralpde/neuralpde/pde"
)

// Crank–Nicolson with central differences is second order in (Δx, Δt)
// refined together, measured against a fine solution.
func TestDiffReactOrder(t *testing.T) {
	base, err := pde.LookupOperator("diffusion-reaction")
	if err != nil {
		t.Fatal(err)
	}
	f := func(x float64) float64 { return 2*math.Sin(2*math.Pi*x) + 3*math.Exp(-20*(x-0.3)*(x-0.3)) }
	solve := func(sensors, steps int) []float64 {
		p := *base
		p.Sensors, p.NX, p.NT = sensors, sensors, 3
		s, err := NewDiffReactSolver(&p, &DiffReactConfig{Refine: 1, Steps: steps})
		if err != nil {
			t.Fatal(err)
		}
		in, out := make([]float64, sensors), make([]float64, 3*sensors)
		g := p.SensorGrid()
		for j := range in {
			in[j] = f(g.At(j))
		}
		if err := s.Solve(out, in); err != nil {
			t.Fatal(err)
		}
		return out[2*sensors:] // t = 1
	}
	ref := solve(641, 320)
	var hs, es []float64
	for _, n := range []int{21, 41, 81, 161} {
		u := solve(n, (n-1)/2)
		r := 640 / (n - 1)
		e := 0.0
		for j := range u {
			e = math.Max(e, math.Abs(u[j]-ref[j*r]))
		}
		hs, es = append(hs, 1/float64(n-1)), append(es, e)
	}
	if p := operatorSlope(hs, es); math.Abs(p-2) > 0.2 {
		t.Errorf("order %.2f, want 2 (errors %.3g)", p, es)
	}
}

// The solver reaches the stationary state of a linear problem: with k = 0
// and f = 2D, u → x(1−x) as t → ∞, which central differences represent
// exactly.
func TestDiffReactSteady(t *testing.T) {
	p, _ := pde.LookupOperator("diffusion-reaction")
	p.Equation = pde.DiffusionReaction{D: 1, K: 0}
	p.Sensors, p.NX, p.NT = 21, 21, 3
	p.T.B = 20
	s, err := NewDiffReactSolver(p, &DiffReactConfig{Refine: 2, Steps: 2000})
	if err != nil {
		t.Fatal(err)
	}
	in, out := make([]float64, 21), make([]float64, 63)
	for j := range in {
		in[j] = 2
	}
	if err := s.Solve(out, in); err != nil {
		t.Fatal(err)
	}
	g := p.SensorGrid()
	for j := range 21 {
		x := g.At(j)
		if got := out[42+j]; math.Abs(got-x*(1-x)) > 1e-9 {
			t.Errorf("steady state at x=%g: %g, want %g", x, got, x*(1-x))
		}
	}
	if err := s.Solve(out[:5], in); err == nil {
		t.Errorf("wrong output length gave no error")
	}
}
