package deeponet

import (
	"fmt"

	"github.com/neuralpde/neuralpde/pde"
)

// tape is a reverse-mode pde.Algebra on vectors of one length: the
// catalogue's residual (pde.Equation.Residual) evaluated on a batch of
// points, recording each operation so that backward can return the
// residual's sensitivities to the jet's entries. It keeps its vectors
// across steps, so a step allocates nothing once the batch size is fixed.
type tape struct {
	n    int
	vecs []*tvec
	used int
	ops  []top
}

// tvec is a vector on the tape with its adjoint.
type tvec struct {
	v, g []float64
}

type opKind int

const (
	opAdd opKind = iota
	opSub
	opMul
	opScale
	opShift
)

type top struct {
	kind    opKind
	a, b, o *tvec
	c       float64
}

var _ pde.Algebra = (*tape)(nil)

// reset empties the tape for vectors of length n.
func (t *tape) reset(n int) {
	t.n, t.used, t.ops = n, 0, t.ops[:0]
}

// leaf returns a fresh vector with zero adjoint holding v (copied when not
// nil, else zero).
func (t *tape) leaf(v []float64) *tvec {
	if t.used == len(t.vecs) {
		t.vecs = append(t.vecs, &tvec{})
	}
	x := t.vecs[t.used]
	t.used++
	x.v, x.g = grow(x.v, t.n), grow(x.g, t.n)
	clear(x.g)
	if v != nil {
		copy(x.v, v)
	} else {
		clear(x.v)
	}
	return x
}

func (t *tape) vec(op string, a pde.Term) *tvec {
	v, ok := a.(*tvec)
	if !ok {
		panic(fmt.Sprintf("deeponet: %s of a %T; the residual needs a jet entry the equation's Needs did not declare", op, a))
	}
	return v
}

func (t *tape) binary(kind opKind, a, b pde.Term) pde.Term {
	x, y := t.vec("arithmetic", a), t.vec("arithmetic", b)
	o := t.leaf(nil)
	for i := range o.v {
		switch kind {
		case opAdd:
			o.v[i] = x.v[i] + y.v[i]
		case opSub:
			o.v[i] = x.v[i] - y.v[i]
		case opMul:
			o.v[i] = x.v[i] * y.v[i]
		}
	}
	t.ops = append(t.ops, top{kind: kind, a: x, b: y, o: o})
	return o
}

func (t *tape) Add(a, b pde.Term) pde.Term { return t.binary(opAdd, a, b) }
func (t *tape) Sub(a, b pde.Term) pde.Term { return t.binary(opSub, a, b) }
func (t *tape) Mul(a, b pde.Term) pde.Term { return t.binary(opMul, a, b) }

func (t *tape) Scale(c float64, a pde.Term) pde.Term {
	x := t.vec("Scale", a)
	o := t.leaf(nil)
	for i, v := range x.v {
		o.v[i] = c * v
	}
	t.ops = append(t.ops, top{kind: opScale, a: x, o: o, c: c})
	return o
}

func (t *tape) Shift(c float64, a pde.Term) pde.Term {
	x := t.vec("Shift", a)
	o := t.leaf(nil)
	for i, v := range x.v {
		o.v[i] = v + c
	}
	t.ops = append(t.ops, top{kind: opShift, a: x, o: o, c: c})
	return o
}

// backward propagates the adjoints set on the outputs back to the leaves.
func (t *tape) backward() {
	for k := len(t.ops) - 1; k >= 0; k-- {
		op := t.ops[k]
		a, b, o := op.a, op.b, op.o
		switch op.kind {
		case opAdd:
			for i, g := range o.g {
				a.g[i] += g
				b.g[i] += g
			}
		case opSub:
			for i, g := range o.g {
				a.g[i] += g
				b.g[i] -= g
			}
		case opMul:
			for i, g := range o.g {
				a.g[i] += g * b.v[i]
				b.g[i] += g * a.v[i]
			}
		case opScale:
			for i, g := range o.g {
				a.g[i] += op.c * g
			}
		case opShift:
			for i, g := range o.g {
				a.g[i] += g
			}
		}
	}
}
