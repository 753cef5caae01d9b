package nn

import (
	"fmt"

	G "gorgonia.org/gorgonia"
)

// Algebra is the arithmetic of a PDE residual on graph nodes. Its methods
// match pde.Algebra (Add, Sub, Mul, Scale, Shift on pde.Term, an alias of
// any), so a catalogue equation's residual evaluated with an *Algebra on a
// jet's nodes builds the PINN residual node: the equation is written once.
//
// A term is a *gorgonia.Node or a float64 constant. pde.Algebra's methods
// return no error, so the first error (a nil term, an operand of another
// type, mismatched shapes) is kept, later operations return nil, and Err
// reports it: check Err once after building a residual.
type Algebra struct {
	err error
}

// Err returns the first error met, or nil.
func (a *Algebra) Err() error { return a.err }

func (a *Algebra) fail(op string, err error) any {
	if a.err == nil {
		a.err = fmt.Errorf("nn: Algebra.%s: %w", op, err)
	}
	return nil
}

// operand returns t as a node, converting a float64 to a constant.
func (a *Algebra) operand(op string, t any) (*G.Node, bool) {
	switch v := t.(type) {
	case *G.Node:
		if v != nil {
			return v, true
		}
	case float64:
		return G.NewConstant(v), true
	}
	if a.err == nil {
		a.fail(op, fmt.Errorf("operand %v (%T) is not a graph node or float64; is the jet missing a derivative the equation needs?", t, t))
	}
	return nil, false
}

func (a *Algebra) binary(op string, x, y any, f func(x, y *G.Node) (*G.Node, error), ff func(x, y float64) float64) any {
	if a.err != nil {
		return nil
	}
	if fx, ok := x.(float64); ok {
		if fy, ok := y.(float64); ok {
			return ff(fx, fy)
		}
	}
	nx, ok := a.operand(op, x)
	if !ok {
		return nil
	}
	ny, ok := a.operand(op, y)
	if !ok {
		return nil
	}
	n, err := f(nx, ny)
	if err != nil {
		return a.fail(op, err)
	}
	return n
}

// elementwise applies f to two nodes of the same shape, or to a node and a
// scalar constant.
func elementwise(f func(x, y *G.Node) (*G.Node, error), scalarOK func(x, y *G.Node) (*G.Node, error)) func(x, y *G.Node) (*G.Node, error) {
	return func(x, y *G.Node) (*G.Node, error) {
		if x.IsScalar() || y.IsScalar() {
			return scalarOK(x, y)
		}
		return f(x, y)
	}
}

// Add returns x + y.
func (a *Algebra) Add(x, y any) any {
	return a.binary("Add", x, y, G.Add, func(x, y float64) float64 { return x + y })
}

// Sub returns x − y.
func (a *Algebra) Sub(x, y any) any {
	return a.binary("Sub", x, y, G.Sub, func(x, y float64) float64 { return x - y })
}

// Mul returns the elementwise product x·y.
func (a *Algebra) Mul(x, y any) any {
	return a.binary("Mul", x, y, elementwise(G.HadamardProd, G.Mul), func(x, y float64) float64 { return x * y })
}

// Scale returns c·x.
func (a *Algebra) Scale(c float64, x any) any {
	return a.binary("Scale", c, x, G.Mul, func(x, y float64) float64 { return x * y })
}

// Shift returns x + c.
func (a *Algebra) Shift(c float64, x any) any {
	return a.binary("Shift", x, c, G.Add, func(x, y float64) float64 { return x + y })
}
