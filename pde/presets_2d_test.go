package pde

import (
	"errors"
	"math"
	"slices"
	"testing"
)

// laplacianFD returns the fourth-order central-difference Laplacian of f at
// (x, y) with step h.
func laplacianFD(f func(x, y float64) float64, x, y, h float64) float64 {
	d2 := func(g func(s float64) float64) float64 {
		return (-g(2*h) + 16*g(h) - 30*g(0) + 16*g(-h) - g(-2*h)) / (12 * h * h)
	}
	return d2(func(s float64) float64 { return f(x+s, y) }) + d2(func(s float64) float64 { return f(x, y+s) })
}

func TestPreset2DPoissonSources(t *testing.T) {
	for _, name := range []string{"poisson-dirichlet", "poisson-periodic"} {
		p, err := Lookup2D(name)
		if err != nil {
			t.Fatal(err)
		}
		eq := p.PDE.(Equation)
		u := func(x, y float64) float64 { return p.Exact(0, x, y) }
		for _, pt := range [][2]float64{{0.13, 0.71}, {0.5, 0.25}, {0.9, 0.4}} {
			x, y := pt[0], pt[1]
			lap := laplacianFD(u, x, y, 1e-3)
			j := Jet{Uxx: lap / 2, Uyy: lap / 2, F: p.Source(x, y)}
			r := eq.Residual(Float{}, j).(float64)
			if tol := 1e-6 * (1 + math.Abs(p.Source(x, y))); math.Abs(r) > tol {
				t.Errorf("%s: residual of the exact solution at %v = %g, want below %g", name, pt, r, tol)
			}
		}
		if p.BC == Dirichlet {
			for _, s := range []float64{0, 0.3, 1} {
				for _, v := range []float64{u(0, s), u(1, s), u(s, 0), u(s, 1)} {
					if math.Abs(v) > 1e-14 {
						t.Errorf("%s: exact solution %g on the boundary, want 0", name, v)
					}
				}
			}
		}
	}
}

func TestTaylorGreen(t *testing.T) {
	const nu = 0.01
	for _, k := range []int{1, 2} {
		w := TaylorGreen(k, nu)
		kk := 2 * math.Pi * float64(k)
		psi := func(t, x, y float64) float64 { return w(t, x, y) / (2 * kk * kk) }
		for _, pt := range [][3]float64{{0, 0.1, 0.3}, {0.7, 0.45, 0.8}} {
			tt, x, y := pt[0], pt[1], pt[2]
			const h = 1e-4
			d := func(f func(x, y float64) float64, dx, dy float64) float64 {
				return (f(x+dx*h, y+dy*h) - f(x-dx*h, y-dy*h)) / (2 * h)
			}
			at := func(f func(t, x, y float64) float64) func(x, y float64) float64 {
				return func(x, y float64) float64 { return f(tt, x, y) }
			}
			ux, uy := d(at(psi), 0, 1), -d(at(psi), 1, 0)
			wt := (w(tt+h, x, y) - w(tt-h, x, y)) / (2 * h)
			adv := ux*d(at(w), 1, 0) + uy*d(at(w), 0, 1)
			lap := laplacianFD(at(w), x, y, 1e-3)
			r := wt + adv - nu*lap
			if math.Abs(r) > 1e-6*kk*kk {
				t.Errorf("k=%d: vorticity residual at %v = %g", k, pt, r)
			}
			if lp := laplacianFD(at(psi), x, y, 1e-3); math.Abs(-lp-w(tt, x, y)) > 1e-6*kk {
				t.Errorf("k=%d: −Δψ − w = %g at %v", k, -lp-w(tt, x, y), pt)
			}
		}
	}
}

func TestDarcyResidual(t *testing.T) {
	e := Darcy{Source: 1}
	cases := []struct{ a, uxx, uyy, want float64 }{
		{12, -0.5, 0.25, 12*0.25 - 1},
		{3, 1, 2, -9 - 1},
	}
	for _, c := range cases {
		got := e.Residual(Float{}, Jet{F: c.a, Uxx: c.uxx, Uyy: c.uyy}).(float64)
		if math.Abs(got-c.want) > 1e-14 {
			t.Errorf("Darcy residual(a=%g, uxx=%g, uyy=%g) = %g, want %g", c.a, c.uxx, c.uyy, got, c.want)
		}
	}
	if got := Params(e); len(got) != 1 || got["f"] != 1 {
		t.Errorf("Params(Darcy) = %v, want map[f:1]", got)
	}
}

func TestThreshold(t *testing.T) {
	th := Threshold{Level: 0, Above: 12, Below: 3}
	got := th.Apply(nil, []float64{-1, 0, 2.5, -1e-300})
	if want := []float64{3, 12, 12, 3}; !slices.Equal(got, want) {
		t.Errorf("Threshold.Apply = %v, want %v", got, want)
	}
}

func TestLookup2D(t *testing.T) {
	for _, name := range Preset2DNames() {
		p, err := Lookup2D(name)
		if err != nil {
			t.Fatal(err)
		}
		if p.NX < 4 || p.Name != name || p.PDE == nil {
			t.Errorf("%s: incomplete preset %+v", name, p)
		}
		if _, err := Lookup(name); err == nil {
			t.Errorf("%s is both a 1-D and a 2-D preset", name)
		}
		if (p.Input == NoInput) == (p.InputLaw != nil) {
			t.Errorf("%s: Input %v with InputLaw %v", name, p.Input, p.InputLaw)
		}
	}
	if _, err := Lookup2D("no-such"); !errors.Is(err, ErrUnknownPreset) {
		t.Errorf("Lookup2D(no-such) error %v, want ErrUnknownPreset", err)
	}
	ns, _ := Lookup2D("navier-stokes")
	if ts := ns.SaveTimes(3); !slices.Equal(ts, []float64{1, 2, 3}) {
		t.Errorf("SaveTimes(3) = %v", ts)
	}
	x, y := ns.Grids(64)
	if x.Kind != Periodic || y.N != 64 || x.At(1) != 1.0/64 {
		t.Errorf("navier-stokes grids %+v %+v", x, y)
	}
	d, _ := Lookup2D("darcy")
	x, _ = d.Grids(0)
	if x.Kind != Uniform || x.N != 421 || x.At(420) != 1 {
		t.Errorf("darcy grid %+v", x)
	}
}
