package pde

import (
	"errors"
	"math"
	"testing"
)

// Each equation's residual vanishes on an exact solution and not on a
// perturbed one.
func TestOperatorEquations(t *testing.T) {
	dr := DiffusionReaction{D: 0.01, K: 0.01}
	for _, tc := range []struct {
		name string
		eq   Equation
		jet  func(x, t, eps float64) Jet
	}{
		{"antiderivative s = sin x, u = cos x", Antiderivative{}, func(x, _, eps float64) Jet {
			return Jet{X: x, Ux: math.Cos(x) + eps, F: math.Cos(x)}
		}},
		{"diffusion-reaction u = t sin πx, f manufactured", dr, func(x, t, eps float64) Jet {
			s := math.Sin(math.Pi * x)
			u, ut, uxx := t*s, s, -math.Pi*math.Pi*t*s
			f := ut - dr.D*uxx - dr.K*u*u
			return Jet{X: x, T: t, U: u + eps, Ut: ut, Uxx: uxx, F: f}
		}},
	} {
		for _, p := range [][2]float64{{0.1, 0.2}, {0.5, 0.9}, {0.93, 0.4}} {
			if r := tc.eq.Residual(Float{}, tc.jet(p[0], p[1], 0)).(float64); math.Abs(r) > 1e-14 {
				t.Errorf("%s: residual %g at %v", tc.name, r, p)
			}
			if r := tc.eq.Residual(Float{}, tc.jet(p[0], p[1], 0.5)).(float64); math.Abs(r) < 1e-4 {
				t.Errorf("%s: residual %g of a perturbed jet at %v should not vanish", tc.name, r, p)
			}
		}
	}
}

func TestOperatorPresets(t *testing.T) {
	for _, tc := range []struct {
		name      string
		sensors   int
		nt        int
		lengthScl float64
	}{
		{"antiderivative", 100, 0, 0.2},
		{"diffusion-reaction", 100, 100, 0.2},
	} {
		p, err := LookupOperator(tc.name)
		if err != nil {
			t.Fatal(err)
		}
		x, times := p.OutputGrid()
		if p.Sensors != tc.sensors || len(times) != tc.nt || p.InputLaw.LengthScale != tc.lengthScl || x.N != p.NX {
			t.Errorf("%s: sensors %d, times %d, ℓ %g, NX %d", tc.name, p.Sensors, len(times), p.InputLaw.LengthScale, x.N)
		}
		if s := p.SensorGrid(); s.At(0) != p.X.A || s.At(s.N-1) != p.X.B {
			t.Errorf("%s: sensors span [%g, %g], want the whole interval", tc.name, s.At(0), s.At(s.N-1))
		}
		if tc.nt > 0 && (times[0] != p.T.A || times[tc.nt-1] != p.T.B) {
			t.Errorf("%s: times span [%g, %g]", tc.name, times[0], times[tc.nt-1])
		}
	}
	if _, err := LookupOperator("nope"); !errors.Is(err, ErrUnknownPreset) {
		t.Errorf("unknown operator preset: error %v", err)
	}
}
