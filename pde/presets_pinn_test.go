package pde

import (
	"errors"
	"math"
	"testing"
)

func TestSteadyPresetsResidualOnExact(t *testing.T) {
	p, err := LookupSteady("poisson-sine")
	if err != nil {
		t.Fatal(err)
	}
	// The exact solution's Laplacian by its closed form: Δu = −2π²u.
	for _, pt := range [][2]float64{{0.1, 0.2}, {0.5, 0.5}, {0.9, 0.3}} {
		x, y := pt[0], pt[1]
		u := p.Exact(x, y)
		j := Jet{U: u, Uxx: -math.Pi * math.Pi * u, Uyy: -math.Pi * math.Pi * u, F: p.Source(x, y)}
		if r := p.Equation.Residual(Float{}, j).(float64); math.Abs(r) > 1e-12 {
			t.Errorf("poisson-sine residual at %v = %g, want 0", pt, r)
		}
	}
	if p.Exact(0, 0.3) != 0 || math.Abs(p.Exact(1, 0.3)) > 1e-15 {
		t.Errorf("poisson-sine exact solution is not zero on the boundary")
	}
}

func TestLShapeContains(t *testing.T) {
	r := LShape()
	cases := []struct {
		x, y float64
		want bool
	}{
		{-0.5, -0.5, true},
		{0.5, -0.5, true},
		{-0.5, 0.5, true},
		{0.5, 0.5, false},
		{0, 0.5, true}, // on the re-entrant edge
		{0.5, 0, true}, // on the re-entrant edge
		{1, 1, false},
		{-1, -1, true},
		{1.01, 0, false},
		{0.001, 0.001, false},
	}
	for _, c := range cases {
		if got := r.Contains(c.x, c.y); got != c.want {
			t.Errorf("LShape().Contains(%g, %g) = %v, want %v", c.x, c.y, got, c.want)
		}
	}
	x0, x1, y0, y1 := r.Bounds()
	if x0 != -1 || x1 != 1 || y0 != -1 || y1 != 1 {
		t.Errorf("LShape bounds [%g,%g]×[%g,%g], want [−1,1]²", x0, x1, y0, y1)
	}
}

func TestLookupSteady(t *testing.T) {
	if _, err := LookupSteady("no-such"); !errors.Is(err, ErrUnknownPreset) {
		t.Errorf("LookupSteady of an unknown name: error %v, want ErrUnknownPreset", err)
	}
	names := SteadyPresetNames()
	if len(names) < 2 || names[0] != "poisson-lshape" || names[1] != "poisson-sine" {
		t.Errorf("SteadyPresetNames() = %v", names)
	}
	p, _ := LookupSteady("poisson-lshape")
	p.Region.Vertices[0][0] = 7
	if q, _ := LookupSteady("poisson-lshape"); q.Region.Vertices[0][0] != -1 {
		t.Errorf("LookupSteady returned a region sharing the catalogue's vertices")
	}
	q, _ := LookupSteady("poisson-lshape")
	xs, ys := q.Grid()
	if len(xs) != 129 || len(ys) != 129 || xs[0] != -1 || xs[128] != 1 || ys[64] != 0 {
		t.Errorf("poisson-lshape grid: %d×%d points, x from %g to %g", len(xs), len(ys), xs[0], xs[len(xs)-1])
	}
}
