package pde

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestLookupUnknown(t *testing.T) {
	_, err := Lookup("burgers-shok")
	if !errors.Is(err, ErrUnknownPreset) {
		t.Fatalf("Lookup of an unknown name: error %v, want ErrUnknownPreset", err)
	}
	for _, name := range PresetNames() {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error %q does not list the known preset %q", err, name)
		}
	}
}

func TestLookupCopies(t *testing.T) {
	p, err := Lookup("kdv")
	if err != nil {
		t.Fatal(err)
	}
	p.NX = 7
	q, _ := Lookup("kdv")
	if q.NX != 512 {
		t.Errorf("modifying a looked-up preset changed the catalogue: NX = %d", q.NX)
	}
}

func TestPresetNames(t *testing.T) {
	want := []string{"advection", "allen-cahn", "burgers-periodic", "burgers-shock", "heat", "kdv", "kuramoto-sivashinsky"}
	got := PresetNames()
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("PresetNames() = %v, want %v", got, want)
	}
}

// TestPresetParameters pins every preset's parameters to the values of the
// benchmarks they reproduce.
func TestPresetParameters(t *testing.T) {
	// Constant expressions: each parameter is the correctly rounded value
	// of its formula, as in presets.go.
	const pi = math.Pi
	cases := []struct {
		name   string
		eq     Equation
		x, tt  Interval
		bc     BCKind
		nx, nt int
		t0, t1 float64 // first and last output time
		law    *RandomField
	}{
		{"burgers-shock", Burgers{Nu: 0.01 / pi}, Interval{-1, 1}, Interval{0, 1}, Dirichlet, 256, 100, 0, 0.99, nil},
		{"kdv", KdV{A: 1, Delta: 0.0025}, Interval{-1, 1}, Interval{0, 1}, PeriodicBC, 512, 201, 0, 1, nil},
		{"allen-cahn", AllenCahn{Eps: 0.0001, A: 5}, Interval{-1, 1}, Interval{0, 1}, PeriodicBC, 512, 201, 0, 1, nil},
		{"kuramoto-sivashinsky", KuramotoSivashinsky{A: 5 / pi, B: 5 / (3 * pi * pi), C: 5 / (27 * pi * pi * pi * pi)},
			Interval{-1, 1}, Interval{0, 1}, PeriodicBC, 512, 201, 0, 1, nil},
		{"burgers-periodic", Burgers{Nu: 0.1}, Interval{0, 1}, Interval{0, 1}, PeriodicBC, 1024, 2, 0, 1,
			&RandomField{Alpha: 2, Tau: 5, Sigma: 25, BC: PeriodicBC}},
		{"heat", Heat{Kappa: 0.1}, Interval{0, 1}, Interval{0, 1}, Dirichlet, 128, 100, 0, 0.99, nil},
		{"advection", Advection{C: 1}, Interval{-1, 1}, Interval{0, 2}, PeriodicBC, 256, 201, 0, 2, nil},
	}
	for _, c := range cases {
		p, err := Lookup(c.name)
		if err != nil {
			t.Fatal(err)
		}
		if p.Name != c.name || p.Description == "" {
			t.Errorf("%s: name %q, description %q", c.name, p.Name, p.Description)
		}
		if p.Equation != c.eq {
			t.Errorf("%s: equation %#v, want %#v", c.name, p.Equation, c.eq)
		}
		if p.X != c.x || p.T != c.tt || p.BC.Kind != c.bc || p.NX != c.nx || p.NT != c.nt {
			t.Errorf("%s: X %v T %v BC %v NX %d NT %d; want %v %v %v %d %d",
				c.name, p.X, p.T, p.BC.Kind, p.NX, p.NT, c.x, c.tt, c.bc, c.nx, c.nt)
		}
		if (p.InitialLaw == nil) != (c.law == nil) || (c.law != nil && *p.InitialLaw != *c.law) {
			t.Errorf("%s: initial law %v, want %v", c.name, p.InitialLaw, c.law)
		}
		if (p.Initial == nil) == (p.InitialLaw == nil) {
			t.Errorf("%s: exactly one of Initial and InitialLaw must be set", c.name)
		}
		ts := p.TimeGrid(0)
		if len(ts) != c.nt || math.Abs(ts[0]-c.t0) > 1e-15 || math.Abs(ts[len(ts)-1]-c.t1) > 1e-15 {
			t.Errorf("%s: time grid has %d times from %v to %v, want %d from %v to %v",
				c.name, len(ts), ts[0], ts[len(ts)-1], c.nt, c.t0, c.t1)
		}
		g := p.SpaceGrid(0)
		wantKind := Uniform
		if c.bc == PeriodicBC {
			wantKind = Periodic
		}
		if g.Kind != wantKind || g.N != c.nx || g.A != c.x.A || g.B != c.x.B {
			t.Errorf("%s: space grid %+v, want %v with %d points on %v", c.name, g, wantKind, c.nx, c.x)
		}
	}
}

func TestBurgersShockTimes(t *testing.T) {
	p, _ := Lookup("burgers-shock")
	for i, ti := range p.TimeGrid(0) {
		if want := float64(i) / 100; math.Abs(ti-want) > 1e-15 {
			t.Errorf("t[%d] = %v, want %v", i, ti, want)
		}
	}
	if got := p.TimeGrid(1); len(got) != 1 || got[0] != 0 {
		t.Errorf("TimeGrid(1) = %v, want [0]", got)
	}
}

// TestPresetExact checks the presets' exact solutions against their initial
// and boundary data.
func TestPresetExact(t *testing.T) {
	for _, name := range PresetNames() {
		p, _ := Lookup(name)
		if p.Exact == nil {
			continue
		}
		xs := p.SpaceGrid(0).Points(nil)
		for _, x := range xs {
			if got, want := p.Exact(0, x), p.Initial(x); math.Abs(got-want) > 1e-14 {
				t.Errorf("%s: Exact(0, %v) = %v, Initial = %v", name, x, got, want)
			}
		}
		for _, tt := range p.TimeGrid(0) {
			switch p.BC.Kind {
			case Dirichlet:
				for side, x := range []float64{p.X.A, p.X.B} {
					if got, want := p.Exact(tt, x), p.BC.Value(side, tt); math.Abs(got-want) > 1e-13 {
						t.Errorf("%s: u(%v, %v) = %v, boundary value %v", name, tt, x, got, want)
					}
				}
			case PeriodicBC:
				for _, x := range xs[:8] {
					if a, b := p.Exact(tt, x), p.Exact(tt, x+p.X.Length()); math.Abs(a-b) > 1e-13 {
						t.Errorf("%s: u(%v, %v) = %v but u at x + L is %v", name, tt, x, a, b)
					}
				}
			}
		}
	}
}

// TestPresetExactResiduals checks that heat's and advection's exact
// solutions satisfy their preset equations, with derivatives by central
// differences (fourth order, step h).
func TestPresetExactResiduals(t *testing.T) {
	const h = 1e-3
	d1 := func(f func(float64) float64, x float64) float64 {
		return (f(x-2*h) - 8*f(x-h) + 8*f(x+h) - f(x+2*h)) / (12 * h)
	}
	d2 := func(f func(float64) float64, x float64) float64 {
		return (-f(x-2*h) + 16*f(x-h) - 30*f(x) + 16*f(x+h) - f(x+2*h)) / (12 * h * h)
	}
	for _, name := range []string{"heat", "advection"} {
		p, _ := Lookup(name)
		for _, tt := range []float64{0.1, 0.5, 0.9} {
			for _, x := range []float64{0.2, 0.45, 0.7} {
				ux := func(x float64) float64 { return p.Exact(tt, x) }
				ut := func(s float64) float64 { return p.Exact(s, x) }
				j := Jet{X: x, T: tt, U: p.Exact(tt, x), Ut: d1(ut, tt), Ux: d1(ux, x), Uxx: d2(ux, x)}
				if r := p.Equation.Residual(Float{}, j).(float64); math.Abs(r) > 1e-7 {
					t.Errorf("%s: residual of the exact solution at t=%v x=%v is %g", name, tt, x, r)
				}
			}
		}
	}
}
