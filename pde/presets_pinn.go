package pde

import (
	"fmt"
	"math"
	"sort"
)

// Region is a bounded polygonal region of the plane, given by its vertices
// in counterclockwise order (the boundary runs from the last vertex back to
// the first). A rectangle is a four-vertex region.
type Region struct {
	Vertices [][2]float64
}

// Bounds returns the smallest box [x0, x1] × [y0, y1] holding r.
func (r Region) Bounds() (x0, x1, y0, y1 float64) {
	x0, y0 = math.Inf(1), math.Inf(1)
	x1, y1 = math.Inf(-1), math.Inf(-1)
	for _, v := range r.Vertices {
		x0, x1 = math.Min(x0, v[0]), math.Max(x1, v[0])
		y0, y1 = math.Min(y0, v[1]), math.Max(y1, v[1])
	}
	return x0, x1, y0, y1
}

// Contains reports whether (x, y) lies in the closed region, by the
// even–odd crossing rule with points on an edge counted as inside.
func (r Region) Contains(x, y float64) bool {
	in := false
	n := len(r.Vertices)
	for i := 0; i < n; i++ {
		a, b := r.Vertices[i], r.Vertices[(i+1)%n]
		if onSegment(x, y, a, b) {
			return true
		}
		if (a[1] > y) != (b[1] > y) {
			xc := a[0] + (y-a[1])*(b[0]-a[0])/(b[1]-a[1])
			if x < xc {
				in = !in
			}
		}
	}
	return in
}

// onSegment reports whether (x, y) is on the segment ab, to rounding.
func onSegment(x, y float64, a, b [2]float64) bool {
	const tol = 1e-12
	dx, dy := b[0]-a[0], b[1]-a[1]
	l2 := dx*dx + dy*dy
	cross := (x-a[0])*dy - (y-a[1])*dx
	if math.Abs(cross) > tol*math.Sqrt(l2) {
		return false
	}
	s := ((x-a[0])*dx + (y-a[1])*dy) / l2
	return s >= -tol && s <= 1+tol
}

// SteadyPreset is a named steady problem on a planar region: an equation
// whose jet reads x and y (and the source in the jet's F field), Dirichlet
// data on the whole boundary, and, where known, the exact solution. The
// time-dependent Preset is shaped for one space dimension; this type adds
// the two-dimensional steady problems without changing it.
type SteadyPreset struct {
	Name        string
	Description string
	Equation    Equation
	Region      Region
	// Source is f(x, y), carried in the jet's F field; nil means zero.
	Source func(x, y float64) float64
	// Boundary is the Dirichlet value g(x, y) on the boundary; nil means
	// zero.
	Boundary func(x, y float64) float64
	// Exact is the exact solution, nil when none is known.
	Exact func(x, y float64) float64
	// NX and NY are the sizes of the standard grid: uniform, both end
	// points included, on the region's bounding box.
	NX, NY int
}

// Grid returns the standard grid's x and y coordinates.
func (p *SteadyPreset) Grid() (xs, ys []float64) {
	x0, x1, y0, y1 := p.Region.Bounds()
	return NewUniformGrid(x0, x1, p.NX).Points(nil), NewUniformGrid(y0, y1, p.NY).Points(nil)
}

var steadyPresets = map[string]*SteadyPreset{}

func registerSteady(p *SteadyPreset) {
	if _, dup := steadyPresets[p.Name]; dup {
		panic("pde: duplicate steady preset " + p.Name)
	}
	if _, dup := presets[p.Name]; dup {
		panic("pde: steady preset " + p.Name + " duplicates an evolution preset")
	}
	steadyPresets[p.Name] = p
}

// LookupSteady returns the named steady preset; the returned value is a
// copy the caller may modify.
func LookupSteady(name string) (*SteadyPreset, error) {
	p, ok := steadyPresets[name]
	if !ok {
		return nil, fmt.Errorf("%w %q (known steady presets: %v)", ErrUnknownPreset, name, SteadyPresetNames())
	}
	c := *p
	c.Region.Vertices = append([][2]float64(nil), p.Region.Vertices...)
	return &c, nil
}

// SteadyPresetNames returns the names of the steady presets, sorted.
func SteadyPresetNames() []string {
	names := make([]string, 0, len(steadyPresets))
	for n := range steadyPresets {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// The Poisson presets used by the physics-informed network benchmarks.
func init() {
	registerSteady(&SteadyPreset{
		Name:        "poisson-sine",
		Description: "Poisson −Δu = 2π² sin(πx) sin(πy) on (0,1)², u = 0 on the boundary; exact u = sin(πx) sin(πy)",
		Equation:    Poisson{},
		Region:      Region{Vertices: [][2]float64{{0, 0}, {1, 0}, {1, 1}, {0, 1}}},
		Source: func(x, y float64) float64 {
			return 2 * math.Pi * math.Pi * math.Sin(math.Pi*x) * math.Sin(math.Pi*y)
		},
		Exact: func(x, y float64) float64 { return math.Sin(math.Pi*x) * math.Sin(math.Pi*y) },
		NX:    101,
		NY:    101,
	})
	registerSteady(&SteadyPreset{
		Name: "poisson-lshape",
		Description: "Poisson −Δu = 1 on the L-shaped region [−1,1]² minus [0,1]², u = 0 on the boundary; " +
			"reference by finite differences (the re-entrant corner makes u ~ r^{2/3})",
		Equation: Poisson{},
		Region:   LShape(),
		Source:   func(x, y float64) float64 { return 1 },
		NX:       129,
		NY:       129,
	})
}

// LShape returns the L-shaped region [−1, 1]² minus (0, 1]², the classical
// domain with a re-entrant corner at the origin.
func LShape() Region {
	return Region{Vertices: [][2]float64{{-1, -1}, {1, -1}, {1, 0}, {0, 0}, {0, 1}, {-1, 1}}}
}
