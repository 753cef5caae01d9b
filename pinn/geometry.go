package pinn

import (
	"errors"
	"fmt"
	"math"

	"github.com/neuralpde/neuralpde/pde"
)

// Domain is a bounded region of space where a PINN's collocation points
// live. Points are coordinate slices of length Dim (x, then y).
type Domain interface {
	// Dim is the number of coordinates.
	Dim() int
	// Bounds returns the corners of the smallest box holding the domain.
	Bounds() (lo, hi []float64)
	// Contains reports whether p lies in the closed domain.
	Contains(p []float64) bool
	// BoundaryDim is the number of unit coordinates that parametrise the
	// boundary (see BoundaryPoint).
	BoundaryDim() int
	// BoundaryPoint maps the unit coordinates s ∈ [0, 1)^BoundaryDim to a
	// boundary point, written into p, and the outward unit normal there,
	// written into normal. Uniform s gives points uniform in boundary
	// measure.
	BoundaryPoint(p, normal, s []float64)
}

// Interval is the closed interval [A, B]; its boundary is the two end
// points, with normals −1 and +1.
type Interval struct {
	A, B float64
}

func (iv Interval) Dim() int                   { return 1 }
func (iv Interval) Bounds() (lo, hi []float64) { return []float64{iv.A}, []float64{iv.B} }
func (iv Interval) Contains(p []float64) bool  { return iv.A <= p[0] && p[0] <= iv.B }
func (iv Interval) BoundaryDim() int           { return 1 }
func (iv Interval) BoundaryPoint(p, normal, s []float64) {
	if s[0] < 0.5 {
		p[0], normal[0] = iv.A, -1
		return
	}
	p[0], normal[0] = iv.B, 1
}

// Polygon is a simple polygon with counterclockwise vertices; a rectangle
// is a four-vertex polygon (see Rectangle) and LShape the classical
// L-shaped domain.
type Polygon struct {
	Region pde.Region
	// cum[i] is the boundary length up to vertex i.
	cum []float64
}

// NewPolygon returns the polygon with the given counterclockwise vertices.
func NewPolygon(r pde.Region) (*Polygon, error) {
	n := len(r.Vertices)
	if n < 3 {
		return nil, fmt.Errorf("pinn: a polygon needs at least 3 vertices, got %d", n)
	}
	area := 0.0
	cum := make([]float64, n+1)
	for i := 0; i < n; i++ {
		a, b := r.Vertices[i], r.Vertices[(i+1)%n]
		area += a[0]*b[1] - b[0]*a[1]
		l := math.Hypot(b[0]-a[0], b[1]-a[1])
		if l == 0 {
			return nil, fmt.Errorf("pinn: polygon vertices %d and %d coincide", i, (i+1)%n)
		}
		cum[i+1] = cum[i] + l
	}
	if area <= 0 {
		return nil, errors.New("pinn: polygon vertices run clockwise (or enclose no area); list them counterclockwise")
	}
	return &Polygon{Region: r, cum: cum}, nil
}

// Rectangle returns the polygon [x0, x1] × [y0, y1].
func Rectangle(x0, x1, y0, y1 float64) (*Polygon, error) {
	if !(x1 > x0) || !(y1 > y0) {
		return nil, fmt.Errorf("pinn: rectangle [%g, %g] × [%g, %g] is empty", x0, x1, y0, y1)
	}
	return NewPolygon(pde.Region{Vertices: [][2]float64{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}})
}

// LShape returns the polygon [−1, 1]² minus (0, 1]².
func LShape() *Polygon {
	p, err := NewPolygon(pde.LShape())
	if err != nil {
		panic(err) // the vertices are fixed and valid
	}
	return p
}

func (p *Polygon) Dim() int { return 2 }

func (p *Polygon) Bounds() (lo, hi []float64) {
	x0, x1, y0, y1 := p.Region.Bounds()
	return []float64{x0, y0}, []float64{x1, y1}
}

func (p *Polygon) Contains(q []float64) bool { return p.Region.Contains(q[0], q[1]) }

func (p *Polygon) BoundaryDim() int { return 1 }

// Perimeter returns the length of the boundary.
func (p *Polygon) Perimeter() float64 { return p.cum[len(p.cum)-1] }

// IsBox reports whether p is an axis-aligned rectangle.
func (p *Polygon) IsBox() bool {
	v := p.Region.Vertices
	if len(v) != 4 {
		return false
	}
	x0, x1, y0, y1 := p.Region.Bounds()
	for _, q := range v {
		if (q[0] != x0 && q[0] != x1) || (q[1] != y0 && q[1] != y1) {
			return false
		}
	}
	return true
}

func (p *Polygon) BoundaryPoint(q, normal, s []float64) {
	l := clampOpen(s[0]) * p.Perimeter()
	n := len(p.Region.Vertices)
	i := 0
	for i < n-1 && p.cum[i+1] <= l {
		i++
	}
	a, b := p.Region.Vertices[i], p.Region.Vertices[(i+1)%n]
	f := (l - p.cum[i]) / (p.cum[i+1] - p.cum[i])
	q[0] = a[0] + f*(b[0]-a[0])
	q[1] = a[1] + f*(b[1]-a[1])
	// Counterclockwise: the outward normal is the edge direction turned
	// clockwise.
	d := p.cum[i+1] - p.cum[i]
	normal[0], normal[1] = (b[1]-a[1])/d, -(b[0]-a[0])/d
}

// SpaceTime is the cylinder Space × [T.A, T.B] of an evolution problem.
// Its points are (space coordinates, t); its boundary is the lateral
// boundary ∂Space × [T.A, T.B] (the initial slice is sampled separately),
// with the spatial normal and a zero time component.
type SpaceTime struct {
	Space Domain
	T     pde.Interval
}

func (c SpaceTime) Dim() int { return c.Space.Dim() + 1 }

func (c SpaceTime) Bounds() (lo, hi []float64) {
	lo, hi = c.Space.Bounds()
	return append(lo, c.T.A), append(hi, c.T.B)
}

func (c SpaceTime) Contains(p []float64) bool {
	d := c.Space.Dim()
	return c.Space.Contains(p[:d]) && c.T.Contains(p[d])
}

func (c SpaceTime) BoundaryDim() int { return c.Space.BoundaryDim() + 1 }

func (c SpaceTime) BoundaryPoint(p, normal, s []float64) {
	d, bd := c.Space.Dim(), c.Space.BoundaryDim()
	c.Space.BoundaryPoint(p[:d], normal[:d], s[:bd])
	p[d] = c.T.A + s[bd]*c.T.Length()
	normal[d] = 0
}

// SampleInterior writes n points of dom into dst (n×Dim, nil allocates),
// drawn by rejection from the bounding box with points of s.
func SampleInterior(dst []float64, dom Domain, n int, s Sampler) ([]float64, error) {
	d := dom.Dim()
	if dst == nil {
		dst = make([]float64, n*d)
	}
	if len(dst) != n*d {
		return nil, fmt.Errorf("pinn: interior sample destination has length %d, want %d×%d", len(dst), n, d)
	}
	lo, hi := dom.Bounds()
	u := make([]float64, d)
	p := make([]float64, d)
	got, tries := 0, 0
	for got < n {
		if tries++; tries > 1000*n+1000 {
			return nil, errors.New("pinn: the domain fills too little of its bounding box to sample by rejection")
		}
		s.Sample(u, 1, d)
		for j := range p {
			p[j] = lo[j] + u[j]*(hi[j]-lo[j])
		}
		if dom.Contains(p) {
			copy(dst[got*d:], p)
			got++
		}
	}
	return dst, nil
}

// SampleBoundary writes n boundary points of dom and their outward normals
// into pts and normals (n×Dim each, nil allocates).
func SampleBoundary(pts, normals []float64, dom Domain, n int, s Sampler) ([]float64, []float64) {
	d := dom.Dim()
	if pts == nil {
		pts = make([]float64, n*d)
	}
	if normals == nil {
		normals = make([]float64, n*d)
	}
	if len(pts) != n*d || len(normals) != n*d {
		panic(fmt.Sprintf("pinn: boundary sample destinations have lengths %d and %d, want %d×%d", len(pts), len(normals), n, d))
	}
	u := s.Sample(nil, n, dom.BoundaryDim())
	bd := dom.BoundaryDim()
	for i := 0; i < n; i++ {
		dom.BoundaryPoint(pts[i*d:(i+1)*d], normals[i*d:(i+1)*d], u[i*bd:(i+1)*bd])
	}
	return pts, normals
}

var (
	_ Domain = Interval{}
	_ Domain = (*Polygon)(nil)
	_ Domain = SpaceTime{}
)
