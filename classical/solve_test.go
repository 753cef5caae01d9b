package classical

import (
	"math"
	"testing"
	"time"

	"github.com/neuralpde/neuralpde/pde"
)

func relL2(got, want []float64) float64 {
	var num, den float64
	for i := range got {
		d := got[i] - want[i]
		num += d * d
		den += want[i] * want[i]
	}
	return math.Sqrt(num / den)
}

func lookup(t testing.TB, name string) *pde.Preset {
	t.Helper()
	p, err := pde.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func exactGrid(p *pde.Preset, ts, xs []float64) []float64 {
	u := make([]float64, 0, len(ts)*len(xs))
	for _, t := range ts {
		for _, x := range xs {
			u = append(u, p.Exact(t, x))
		}
	}
	return u
}

// TestSolvePresetExact compares solutions of the presets with exact
// solutions against them, at reduced and at default settings.
func TestSolvePresetExact(t *testing.T) {
	for _, tc := range []struct {
		preset string
		cfg    *Config
		tol    float64
	}{
		{"burgers-shock", &Config{Modes: 1024, Dt: 2e-3}, 3e-6},
		{"burgers-shock", &Config{Modes: 1024, Dt: 2e-3, NX: 101, NT: 11}, 3e-6},
		{"burgers-shock", nil, 1e-8},
		{"heat", nil, 1e-13},
		{"heat", &Config{Modes: 16, Dt: 0.1, NX: 33}, 1e-13},
		{"advection", nil, 1e-12},
		{"advection", &Config{Method: "rk4", Modes: 64, Dt: 1e-3}, 1e-10},
		{"advection", &Config{Method: "dopri5", Modes: 64}, 1e-7},
	} {
		p := lookup(t, tc.preset)
		start := time.Now()
		sol, err := SolvePreset(p, tc.cfg)
		if err != nil {
			t.Errorf("%s %+v: %v", tc.preset, tc.cfg, err)
			continue
		}
		el := time.Since(start)
		var want []float64
		if tc.preset == "burgers-shock" {
			want = pde.NewBurgersColeHopf(0.01/math.Pi, 0).Grid(nil, sol.T, sol.X)
		} else {
			want = exactGrid(p, sol.T, sol.X)
		}
		e := relL2(sol.U, want)
		t.Logf("%s (%s, %d modes, dt %.3g, %d steps): relative L2 %.3g in %v", tc.preset, sol.Method, sol.Modes, sol.Dt, sol.Steps, e, el)
		if !(e <= tc.tol) {
			t.Errorf("%s %+v: relative L2 error %.3g > %g", tc.preset, tc.cfg, e, tc.tol)
		}
	}
}

func TestSolvePresetErrors(t *testing.T) {
	p := lookup(t, "heat")
	for _, cfg := range []*Config{
		{Method: "euler"},
		{Modes: 2},
		{Dt: -1},
		{NX: 1},
		{Dt: math.Inf(1)},
	} {
		if _, err := SolvePreset(p, cfg); err == nil {
			t.Errorf("%+v: no error", cfg)
		}
	}
	if _, err := SolvePreset(lookup(t, "burgers-periodic"), nil); err == nil {
		t.Error("burgers-periodic: no error for a preset without fixed initial data")
	}
	// An explicit stepper with a step far beyond its stability limit blows
	// up, and says so.
	if _, err := SolvePreset(lookup(t, "burgers-shock"), &Config{Method: "rk4", Dt: 0.01}); err == nil {
		t.Error("unstable rk4: no error")
	}
}

// TestChebyshevHeatOrder solves the heat preset by Chebyshev collocation
// with each implicit stepper and checks the time order against the exact
// solution (the spatial error is at rounding level with 24 points).
func TestChebyshevHeatOrder(t *testing.T) {
	p := lookup(t, "heat")
	for _, tc := range []struct {
		method string
		order  float64
	}{
		{"sdirk2", 2}, {"sdirk3", 3}, {"cn", 2},
	} {
		dts := []float64{0.1, 0.05, 0.025, 0.0125}
		var errs []float64
		for _, dt := range dts {
			sol, err := SolvePreset(p, &Config{Method: tc.method, Modes: 24, Dt: dt, NT: 2})
			if err != nil {
				t.Fatal(err)
			}
			errs = append(errs, relL2(sol.U, exactGrid(p, sol.T, sol.X)))
		}
		if s := slope(dts, errs); math.Abs(s-tc.order) > 0.3 {
			t.Errorf("%s: observed order %.2f, want %g (errors %v)", tc.method, s, tc.order, errs)
		}
	}
}

// TestChebyshevBurgers cross-checks the two discretisations of a Dirichlet
// Burgers problem, Chebyshev collocation with SDIRK3 against the periodic
// embedding with ETDRK4: the difference must fall spectrally with the
// number of collocation points.
func TestChebyshevBurgers(t *testing.T) {
	p := *lookup(t, "burgers-shock")
	p.Name = "burgers-viscous"
	p.Equation = pde.Burgers{Nu: 0.05}
	ref, err := SolvePreset(&p, &Config{NX: 65, NT: 11, Modes: 512, Dt: 5e-4})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		points int
		tol    float64
	}{
		{32, 5e-3}, {48, 2e-4}, {64, 1e-5},
	} {
		sol, err := SolvePreset(&p, &Config{NX: 65, NT: 11, Method: "sdirk3", Modes: tc.points, Dt: 5e-3})
		if err != nil {
			t.Fatal(err)
		}
		e := relL2(sol.U, ref.U)
		t.Logf("%d points: relative L2 %.3g", tc.points, e)
		if !(e < tc.tol) {
			t.Errorf("%d points: Chebyshev SDIRK3 vs Fourier ETDRK4: relative L2 %.3g ≥ %g", tc.points, e, tc.tol)
		}
	}
}
