package pinn

import (
	"math"
	"testing"

	"github.com/neuralpde/neuralpde/pde"
)

func TestPolygonSampling(t *testing.T) {
	shapes := []struct {
		name string
		poly *Polygon
		area float64
	}{
		{"lshape", LShape(), 3},
		{"rectangle", must(Rectangle(0, 2, -1, 0.5)), 3},
	}
	for _, c := range shapes {
		var s Sobol
		pts, err := SampleInterior(nil, c.poly, 4000, &s)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < len(pts); i += 2 {
			if !c.poly.Contains(pts[i : i+2]) {
				t.Fatalf("%s: interior point (%g, %g) outside", c.name, pts[i], pts[i+1])
			}
			if c.name == "lshape" && pts[i] > 0 && pts[i+1] > 0 {
				t.Fatalf("lshape: point (%g, %g) in the removed quarter", pts[i], pts[i+1])
			}
		}
		bp, normals := SampleBoundary(nil, nil, c.poly, 500, &Halton{})
		for i := 0; i < len(bp); i += 2 {
			n := normals[i : i+2]
			if math.Abs(math.Hypot(n[0], n[1])-1) > 1e-12 {
				t.Fatalf("%s: normal %v is not a unit vector", c.name, n)
			}
			const eps = 1e-6
			out := []float64{bp[i] + eps*n[0], bp[i+1] + eps*n[1]}
			in := []float64{bp[i] - eps*n[0], bp[i+1] - eps*n[1]}
			corner := false
			for _, v := range c.poly.Region.Vertices {
				corner = corner || math.Hypot(v[0]-bp[i], v[1]-bp[i+1]) < 1e-5
			}
			if !corner && (c.poly.Contains(out) || !c.poly.Contains(in)) {
				t.Fatalf("%s: normal %v at (%g, %g) does not point outward", c.name, n, bp[i], bp[i+1])
			}
		}
		// The perimeter and the area (by the fraction of box samples inside).
		lo, hi := c.poly.Bounds()
		box := (hi[0] - lo[0]) * (hi[1] - lo[1])
		u := (&Halton{}).Sample(nil, 20000, 2)
		inside := 0
		for i := 0; i < len(u); i += 2 {
			if c.poly.Contains([]float64{lo[0] + u[i]*(hi[0]-lo[0]), lo[1] + u[i+1]*(hi[1]-lo[1])}) {
				inside++
			}
		}
		if a := box * float64(inside) / 20000; math.Abs(a-c.area) > 0.01*c.area {
			t.Errorf("%s: area by sampling %g, want %g", c.name, a, c.area)
		}
	}
	if got := LShape().Perimeter(); got != 8 {
		t.Errorf("L-shape perimeter %g, want 8", got)
	}
	if !must(Rectangle(0, 1, 0, 1)).IsBox() || LShape().IsBox() {
		t.Error("IsBox misclassifies the unit square or the L-shape")
	}
}

func TestPolygonErrors(t *testing.T) {
	cw := pde.Region{Vertices: [][2]float64{{0, 0}, {0, 1}, {1, 1}, {1, 0}}}
	if _, err := NewPolygon(cw); err == nil {
		t.Error("clockwise polygon accepted")
	}
	if _, err := NewPolygon(pde.Region{Vertices: [][2]float64{{0, 0}, {1, 0}}}); err == nil {
		t.Error("two-vertex polygon accepted")
	}
	if _, err := Rectangle(1, 0, 0, 1); err == nil {
		t.Error("empty rectangle accepted")
	}
}

func TestSpaceTimeBoundary(t *testing.T) {
	c := SpaceTime{Space: Interval{A: -1, B: 1}, T: pde.Interval{A: 0, B: 2}}
	pts, normals := SampleBoundary(nil, nil, c, 100, &Sobol{})
	left := 0
	for i := 0; i < 100; i++ {
		x, tt, nx, nt := pts[2*i], pts[2*i+1], normals[2*i], normals[2*i+1]
		if !((x == -1 && nx == -1) || (x == 1 && nx == 1)) || nt != 0 || tt < 0 || tt > 2 {
			t.Fatalf("boundary point (%g, %g) with normal (%g, %g)", x, tt, nx, nt)
		}
		if x == -1 {
			left++
		}
	}
	if left != 50 {
		t.Errorf("%d of 100 boundary points on the left end; a Sobol sequence splits them evenly", left)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
