package nn

import (
	"fmt"
	"hash"
	"hash/fnv"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Gorgonia's Op interface declares Type in the types of
// github.com/chewxy/hm, a module DESIGN.md's import table does not list for
// nn. The ops below take their type signature from a gorgonia op of the
// same shape by embedding it: every other method of Op is defined here.
var unarySig, binarySig = signatureOps()

// signatureOps returns gorgonia ops of type a → a and a → a → a. It builds
// a throwaway graph once, at package initialisation.
func signatureOps() (unary, binary G.Op) {
	g := G.NewGraph()
	a := G.NewScalar(g, tensor.Float64, G.WithName("a"))
	b := G.NewScalar(g, tensor.Float64, G.WithName("b"))
	return G.Must(G.Tanh(a)).Op(), G.Must(G.Add(a, b)).Op()
}

// auxOp computes an activation's auxiliary array from z. It is not
// differentiated: the derivative ops below carry the whole dependence on z
// through their first input (see derivOp.DiffWRT).
type auxOp struct {
	G.Op // type signature only: a → a
	act  Activation
	pool *bufferPool
}

// derivOp computes σ⁽ᵏ⁾(z) from z and aux. Its derivative with respect to
// z is σ⁽ᵏ⁺¹⁾(z), another derivOp on the same inputs, which the graph
// merges with an existing node of the same order, so the reverse pass
// reuses the forward jet's derivative arrays.
type derivOp struct {
	G.Op // type signature only: a → a → a
	act  Activation
	k    int
	pool *bufferPool
}

func (op *auxOp) String() string   { return fmt.Sprintf("aux_%s", op.act.Name()) }
func (op *derivOp) String() string { return fmt.Sprintf("d%d_%s", op.k, op.act.Name()) }

func (op *auxOp) Arity() int   { return 1 }
func (op *derivOp) Arity() int { return 2 }

func (op *auxOp) InferShape(in ...G.DimSizer) (tensor.Shape, error)   { return inferSame(in) }
func (op *derivOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) { return inferSame(in) }

func inferSame(in []G.DimSizer) (tensor.Shape, error) {
	if len(in) == 0 {
		return nil, fmt.Errorf("nn: activation op has no input")
	}
	s, ok := in[0].(tensor.Shape)
	if !ok {
		return nil, fmt.Errorf("nn: activation op input has no shape (%T)", in[0])
	}
	return s.Clone(), nil
}

func (op *auxOp) ReturnsPtr() bool       { return false }
func (op *derivOp) ReturnsPtr() bool     { return false }
func (op *auxOp) CallsExtern() bool      { return false }
func (op *derivOp) CallsExtern() bool    { return false }
func (op *auxOp) OverwritesInput() int   { return -1 }
func (op *derivOp) OverwritesInput() int { return -1 }

// WriteHash includes the activation and the order: two derivOps that
// differ in either must never be merged by the graph.
func (op *auxOp) WriteHash(h hash.Hash)   { fmt.Fprintf(h, "nn.aux(%s)", op.act.Name()) }
func (op *derivOp) WriteHash(h hash.Hash) { fmt.Fprintf(h, "nn.deriv(%s,%d)", op.act.Name(), op.k) }

func (op *auxOp) Hashcode() uint32   { return hashOf(op) }
func (op *derivOp) Hashcode() uint32 { return hashOf(op) }

func hashOf(op interface{ WriteHash(hash.Hash) }) uint32 {
	h := fnv.New32a()
	op.WriteHash(h)
	return h.Sum32()
}

func float64Data(v G.Value, what string) ([]float64, error) {
	t, ok := v.(tensor.Tensor)
	if !ok {
		return nil, fmt.Errorf("nn: %s: input is %T, want a tensor", what, v)
	}
	d, ok := t.Data().([]float64)
	if !ok {
		return nil, fmt.Errorf("nn: %s: input has dtype %v, want float64", what, t.Dtype())
	}
	return d, nil
}

// like borrows from pool an output of v's (matrix) shape.
func like(pool *bufferPool, v G.Value) (*tensor.Dense, error) {
	s := v.Shape()
	if len(s) != 2 {
		return nil, fmt.Errorf("nn: op input of shape %v; want a matrix", s)
	}
	return pool.get(s[0], s[1]), nil
}

func (op *auxOp) Do(in ...G.Value) (G.Value, error) {
	if len(in) != 1 {
		return nil, fmt.Errorf("nn: %v got %d inputs, want 1", op, len(in))
	}
	out, err := like(op.pool, in[0])
	if err != nil {
		return nil, err
	}
	return op.UsePreallocDo(out, in...)
}

func (op *auxOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	z, err := float64Data(in[0], op.String())
	if err != nil {
		return nil, err
	}
	dst, err := float64Data(prealloc, op.String())
	if err != nil {
		return nil, err
	}
	op.act.Aux(dst[:len(z)], z)
	return prealloc, nil
}

func (op *derivOp) Do(in ...G.Value) (G.Value, error) {
	if len(in) != 2 {
		return nil, fmt.Errorf("nn: %v got %d inputs, want 2", op, len(in))
	}
	out, err := like(op.pool, in[0])
	if err != nil {
		return nil, err
	}
	return op.UsePreallocDo(out, in...)
}

func (op *derivOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	z, err := float64Data(in[0], op.String())
	if err != nil {
		return nil, err
	}
	aux, err := float64Data(in[1], op.String())
	if err != nil {
		return nil, err
	}
	dst, err := float64Data(prealloc, op.String())
	if err != nil {
		return nil, err
	}
	if len(aux) != len(z) || len(dst) < len(z) {
		return nil, fmt.Errorf("nn: %v: z, aux and output have lengths %d, %d, %d", op, len(z), len(aux), len(dst))
	}
	op.act.Deriv(dst[:len(z)], z, aux, op.k)
	return prealloc, nil
}

func (op *auxOp) DiffWRT(int) []bool   { return []bool{false} }
func (op *derivOp) DiffWRT(int) []bool { return []bool{true, false} }

func (op *auxOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) {
	return nil, fmt.Errorf("nn: %v is not differentiated; its derivative travels through the derivative ops", op)
}

func (op *derivOp) SymDiff(in G.Nodes, _, grad *G.Node) (G.Nodes, error) {
	if op.k >= MaxDeriv {
		return nil, fmt.Errorf("nn: the gradient of %v needs derivative order %d; activations provide up to %d", op, op.k+1, MaxDeriv)
	}
	next, err := G.ApplyOp(newDerivOp(op.act, op.k+1, op.pool), in[0], in[1])
	if err != nil {
		return nil, err
	}
	dz, err := applyPoly(op.pool, []*G.Node{grad, next}, []term{{c: 1, f: []int{0, 1}}})
	if err != nil {
		return nil, err
	}
	return G.Nodes{dz, nil}, nil
}

// activationDerivs returns the nodes σ⁽ᵏ⁾(z) for k = 0…order.
func activationDerivs(pool *bufferPool, act Activation, z *G.Node, order int) ([]*G.Node, error) {
	aux, err := G.ApplyOp(&auxOp{Op: unarySig, act: act, pool: pool}, z)
	if err != nil {
		return nil, fmt.Errorf("nn: building %s: %w", act.Name(), err)
	}
	d := make([]*G.Node, order+1)
	for k := range d {
		if d[k], err = G.ApplyOp(newDerivOp(act, k, pool), z, aux); err != nil {
			return nil, fmt.Errorf("nn: building %s derivative %d: %w", act.Name(), k, err)
		}
	}
	return d, nil
}

func newDerivOp(act Activation, k int, pool *bufferPool) *derivOp {
	return &derivOp{Op: binarySig, act: act, k: k, pool: pool}
}
