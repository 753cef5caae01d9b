package pde

import "fmt"

// Term is one value in a residual computation: a float64 for pointwise
// evaluation, a []float64 for a whole grid, or a graph node when a neural
// network evaluates the residual on its own derivative jets. Which concrete
// type it holds is decided by the Algebra that made it.
type Term = any

// Algebra is the arithmetic an equation's residual is written in. The same
// residual definition is evaluated on float64 values (Float), on slices
// (Vec), and by the neural packages on graph nodes, so an equation is
// written once.
type Algebra interface {
	Add(a, b Term) Term
	Sub(a, b Term) Term
	Mul(a, b Term) Term
	// Scale returns c·a.
	Scale(c float64, a Term) Term
	// Shift returns a + c.
	Shift(c float64, a Term) Term
}

// Deriv is a set of derivatives of u, as a bit mask.
type Deriv uint32

// The derivatives a Jet can carry.
const (
	DU Deriv = 1 << iota
	DT
	DX
	DXX
	DXXX
	DXXXX
	DY
	DYY
	DXY
)

// Has reports whether every derivative in want is in d.
func (d Deriv) Has(want Deriv) bool { return d&want == want }

// Jet holds u and its derivatives at one point (or a batch of points), in
// whatever Term type the Algebra uses. A field the equation does not need
// (see Equation.Needs) may be nil.
type Jet struct {
	// X, Y and T are the coordinates, for equations with coefficients or
	// sources that depend on position or time.
	X, Y, T Term
	// F is data known at the point before the solve (a forcing term or a
	// coefficient value), for equations that have one.
	F Term

	U                    Term
	Ut                   Term
	Ux, Uxx, Uxxx, Uxxxx Term
	Uy, Uyy, Uxy         Term
}

// Float is the Algebra of float64 values.
type Float struct{}

func (Float) Add(a, b Term) Term           { return a.(float64) + b.(float64) }
func (Float) Sub(a, b Term) Term           { return a.(float64) - b.(float64) }
func (Float) Mul(a, b Term) Term           { return a.(float64) * b.(float64) }
func (Float) Scale(c float64, a Term) Term { return c * a.(float64) }
func (Float) Shift(c float64, a Term) Term { return a.(float64) + c }

// Vec is the Algebra of equal-length []float64 slices, element by element.
// Every operation allocates its result; it is meant for diagnostics (a
// residual on a whole grid), not for hot loops.
type Vec struct{}

func vecOp(a, b Term, f func(x, y float64) float64) Term {
	x, y := a.([]float64), b.([]float64)
	if len(x) != len(y) {
		panic(fmt.Sprintf("pde: Vec operands have lengths %d and %d", len(x), len(y)))
	}
	r := make([]float64, len(x))
	for i := range r {
		r[i] = f(x[i], y[i])
	}
	return r
}

func (Vec) Add(a, b Term) Term { return vecOp(a, b, func(x, y float64) float64 { return x + y }) }
func (Vec) Sub(a, b Term) Term { return vecOp(a, b, func(x, y float64) float64 { return x - y }) }
func (Vec) Mul(a, b Term) Term { return vecOp(a, b, func(x, y float64) float64 { return x * y }) }
func (Vec) Scale(c float64, a Term) Term {
	x := a.([]float64)
	r := make([]float64, len(x))
	for i, v := range x {
		r[i] = c * v
	}
	return r
}
func (Vec) Shift(c float64, a Term) Term {
	x := a.([]float64)
	r := make([]float64, len(x))
	for i, v := range x {
		r[i] = v + c
	}
	return r
}
