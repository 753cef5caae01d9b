package pde

import (
	"fmt"
	"math"
)

// GridKind says how the points of a one-dimensional grid are placed.
type GridKind int

const (
	// Periodic places N points uniformly on [A, B), the right end omitted:
	// x_j = A + j(B−A)/N, j = 0, …, N−1.
	Periodic GridKind = iota
	// Uniform places N points uniformly on [A, B] with both end points:
	// x_j = A + j(B−A)/(N−1).
	Uniform
	// ChebyshevGL places the N Chebyshev–Gauss–Lobatto points
	// x_j = (A+B)/2 − (B−A)/2 · cos(πj/(N−1)), increasing from A to B.
	ChebyshevGL
)

func (k GridKind) String() string {
	switch k {
	case Periodic:
		return "periodic"
	case Uniform:
		return "uniform"
	case ChebyshevGL:
		return "chebyshev-gauss-lobatto"
	}
	return fmt.Sprintf("GridKind(%d)", int(k))
}

// Grid is a one-dimensional grid of N points on the interval [A, B].
type Grid struct {
	Kind GridKind
	A, B float64
	N    int
}

// NewPeriodicGrid returns N uniform points on [a, b), right end omitted.
func NewPeriodicGrid(a, b float64, n int) Grid { return newGrid(Periodic, a, b, n, 1) }

// NewUniformGrid returns N uniform points on [a, b], both ends included.
func NewUniformGrid(a, b float64, n int) Grid { return newGrid(Uniform, a, b, n, 2) }

// NewChebyshevGrid returns the N Chebyshev–Gauss–Lobatto points of [a, b].
func NewChebyshevGrid(a, b float64, n int) Grid { return newGrid(ChebyshevGL, a, b, n, 2) }

func newGrid(k GridKind, a, b float64, n, min int) Grid {
	if n < min {
		panic(fmt.Sprintf("pde: %v grid needs at least %d points, got %d", k, min, n))
	}
	if !(b > a) {
		panic(fmt.Sprintf("pde: grid interval [%g, %g] is empty", a, b))
	}
	return Grid{Kind: k, A: a, B: b, N: n}
}

// Length returns B − A.
func (g Grid) Length() float64 { return g.B - g.A }

// Spacing returns the distance between neighbouring points of a periodic or
// uniform grid. It panics for a Chebyshev grid, whose spacing varies.
func (g Grid) Spacing() float64 {
	switch g.Kind {
	case Periodic:
		return g.Length() / float64(g.N)
	case Uniform:
		return g.Length() / float64(g.N-1)
	}
	panic("pde: Spacing of a non-uniform grid")
}

// At returns the j-th point.
func (g Grid) At(j int) float64 {
	switch g.Kind {
	case Periodic:
		return g.A + float64(j)*g.Length()/float64(g.N)
	case Uniform:
		if j == g.N-1 {
			return g.B
		}
		return g.A + float64(j)*g.Length()/float64(g.N-1)
	case ChebyshevGL:
		mid, half := 0.5*(g.A+g.B), 0.5*g.Length()
		return mid - half*math.Cos(math.Pi*float64(j)/float64(g.N-1))
	}
	panic("pde: unknown grid kind")
}

// Points writes the grid's points into dst and returns it; a nil dst is
// allocated. A dst of the wrong length panics.
func (g Grid) Points(dst []float64) []float64 {
	if dst == nil {
		dst = make([]float64, g.N)
	}
	if len(dst) != g.N {
		panic(fmt.Sprintf("pde: Points destination has length %d, want %d", len(dst), g.N))
	}
	for j := range dst {
		dst[j] = g.At(j)
	}
	return dst
}

// Grid2D is the tensor product of two one-dimensional grids. Fields on it are
// stored row-major with x as the slow index: u[i*Y.N + j] = u(X_i, Y_j).
type Grid2D struct {
	X, Y Grid
}

// Len returns the number of points, X.N·Y.N.
func (g Grid2D) Len() int { return g.X.N * g.Y.N }

// Field is a scalar field sampled on a one-dimensional grid.
type Field struct {
	Grid Grid
	U    []float64
}

// NewField samples f on the points of g.
func NewField(g Grid, f func(x float64) float64) Field {
	u := g.Points(nil)
	for j, x := range u {
		u[j] = f(x)
	}
	return Field{Grid: g, U: u}
}

// Field2D is a scalar field sampled on a two-dimensional grid, row-major with
// x as the slow index.
type Field2D struct {
	Grid Grid2D
	U    []float64
}

// Interval is the closed interval [A, B].
type Interval struct {
	A, B float64
}

// Length returns B − A.
func (iv Interval) Length() float64 { return iv.B - iv.A }

// Contains reports whether A ≤ x ≤ B.
func (iv Interval) Contains(x float64) bool { return iv.A <= x && x <= iv.B }
