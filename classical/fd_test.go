package classical

import (
	"math"
	"testing"

	"github.com/neuralpde/neuralpde/pde"
)

// TestFDSpaceOrder checks the space order of the finite-difference systems
// on the heat and advection presets against their exact solutions, with
// time steps small enough (RK4, or adaptive Dormand–Prince) that the time
// error is negligible.
func TestFDSpaceOrder(t *testing.T) {
	for _, tc := range []struct {
		preset string
		order  int
		ns     []int
		t1     float64
	}{
		{"advection", 2, []int{32, 64, 128, 256}, 0.5},
		{"advection", 4, []int{32, 64, 128, 256}, 0.5},
		{"heat", 2, []int{17, 33, 65, 129}, 0.1},
		{"heat", 4, []int{17, 33, 65, 129}, 0.1},
	} {
		p := lookup(t, tc.preset)
		var hs, errs []float64
		for _, n := range tc.ns {
			g := p.SpaceGrid(n)
			sys, err := NewFDSystem(p.Equation, g, p.BC, tc.order)
			if err != nil {
				t.Fatal(err)
			}
			x := g.Points(nil)
			full := make([]float64, n)
			for i, xi := range x {
				full[i] = p.Initial(xi)
			}
			u := full
			if g.Kind == pde.Uniform {
				u = append([]float64(nil), full[1:n-1]...)
			}
			h := g.Spacing()
			set := &Settings{Dt: 0.25 * h}
			var st Stepper = NewRK4(sys)
			if tc.preset == "heat" {
				// Stiff (eigenvalues ~ κ/h²): adaptive DOPRI5 with tight
				// tolerances finds its stable steps.
				st = NewDormandPrince(sys)
				set = &Settings{Dt: 1e-4, Controller: &PIController{RTol: 1e-12, ATol: 1e-14}}
			}
			if _, err := Integrate(u, 0, tc.t1, st, set); err != nil {
				t.Fatal(err)
			}
			sys.Full(full, tc.t1, u)
			want := make([]float64, n)
			for i, xi := range x {
				want[i] = p.Exact(tc.t1, xi)
			}
			hs = append(hs, h)
			errs = append(errs, relL2(full, want))
		}
		s := slope(hs, errs)
		t.Logf("%s FD order %d: observed order %.2f", tc.preset, tc.order, s)
		if math.Abs(s-float64(tc.order)) > 0.3 {
			t.Errorf("%s FD order %d: observed order %.2f (errors %v)", tc.preset, tc.order, s, errs)
		}
	}
}

// TestSpectralTimeOrder checks each stepper's time order on a PDE: the
// advection preset with Fourier differentiation, whose spatial error is at
// rounding level, so only the time error remains. ETDRK4 integrates this
// linear problem exactly and is checked in TestSolvePresetExact instead.
func TestSpectralTimeOrder(t *testing.T) {
	p := lookup(t, "advection")
	dts := []float64{0.02, 0.01, 0.005, 0.0025}
	var errs []float64
	for _, dt := range dts {
		sol, err := SolvePreset(p, &Config{Method: "rk4", Modes: 32, Dt: dt, NT: 5})
		if err != nil {
			t.Fatal(err)
		}
		errs = append(errs, relL2(sol.U, exactGrid(p, sol.T, sol.X)))
	}
	if s := slope(dts, errs); math.Abs(s-4) > 0.3 {
		t.Errorf("rk4 on advection: observed order %.2f (errors %v)", s, errs)
	}
}

func TestFDSystemErrors(t *testing.T) {
	g := pde.NewPeriodicGrid(0, 1, 16)
	for _, tc := range []struct {
		eq    pde.Equation
		g     pde.Grid
		bc    pde.BC
		order int
	}{
		{pde.Burgers{Nu: 1}, g, pde.BC{}, 2},
		{pde.Heat{Kappa: 1}, g, pde.BC{}, 3},
		{pde.Advection{C: 1}, pde.NewUniformGrid(0, 1, 16), pde.BC{Kind: pde.Dirichlet}, 2},
		{pde.Heat{Kappa: 1}, pde.NewUniformGrid(0, 1, 16), pde.BC{Kind: pde.PeriodicBC}, 2},
		{pde.Heat{Kappa: 1}, pde.NewPeriodicGrid(0, 1, 4), pde.BC{}, 2},
	} {
		if _, err := NewFDSystem(tc.eq, tc.g, tc.bc, tc.order); err == nil {
			t.Errorf("%+v: no error", tc)
		}
	}
}
