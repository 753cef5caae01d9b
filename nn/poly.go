package nn

import (
	"fmt"
	"hash"
	"slices"
	"strings"
	"sync"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// term is one monomial c·Πf xᵢ of a polyOp: f lists input indices with
// repetition (x₀²x₁ is [0 0 1]), sorted.
type term struct {
	c float64
	f []int
}

// maxPolyInputs bounds a polyOp's inputs; the fourth-order Faà di Bruno
// formula has 8 and its adjoints at most 7.
const maxPolyInputs = 12

// polyOp computes the polynomial Σₜ cₜ Πᵢ xᵢ elementwise over same-shape
// matrix inputs, in one pass and into an output buffer it keeps between
// runs. It is what the Taylor-mode formulas and their adjoints are made
// of: a Faà di Bruno combination such as σ″z₁² + σ′z₂ is one polyOp, and
// its derivative with respect to any input is another polyOp (times the
// incoming gradient), so the reverse pass is fused the same way. Composing
// gorgonia's HadamardProd and Add instead costs a copy and an allocation
// per product.
type polyOp struct {
	G.Op  // type signature only: Matrix a → … → Matrix a
	n     int
	terms []term
	key   string

	pool *bufferPool
}

// newPolyOp returns the op for terms over n inputs.
func newPolyOp(pool *bufferPool, n int, terms []term) *polyOp {
	var sb strings.Builder
	sb.WriteString("poly(")
	for i, t := range terms {
		if i > 0 {
			sb.WriteString(" + ")
		}
		fmt.Fprintf(&sb, "%g", t.c)
		for _, f := range t.f {
			fmt.Fprintf(&sb, "·x%d", f)
		}
	}
	sb.WriteString(")")
	return &polyOp{Op: matrixSig(n), n: n, terms: terms, key: sb.String(), pool: pool}
}

var (
	sigMu  sync.Mutex
	sigByN = map[int]G.Op{}
)

// matrixSig returns a gorgonia op of type Matrix a → … → Matrix a with n
// arguments, taken from a concatenation of n matrices (see signatureOps
// for why the type is borrowed).
func matrixSig(n int) G.Op {
	sigMu.Lock()
	defer sigMu.Unlock()
	if op, ok := sigByN[n]; ok {
		return op
	}
	if n == 1 {
		sigByN[1] = unarySig
		return unarySig
	}
	g := G.NewGraph()
	ns := make([]*G.Node, n)
	for i := range ns {
		ns[i] = G.NewMatrix(g, tensor.Float64, G.WithShape(1, 1), G.WithName(fmt.Sprintf("s%d", i)))
	}
	op := G.Must(G.Concat(0, ns...)).Op()
	sigByN[n] = op
	return op
}

func (op *polyOp) String() string { return op.key }
func (op *polyOp) Arity() int     { return op.n }
func (op *polyOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	s, err := inferSame(in)
	if err != nil {
		return nil, err
	}
	for _, d := range in[1:] {
		if t, ok := d.(tensor.Shape); !ok || !t.Eq(s) {
			return nil, fmt.Errorf("nn: %v: inputs of shapes %v and %v; all must match", op, s, d)
		}
	}
	return s, nil
}
func (op *polyOp) ReturnsPtr() bool      { return false }
func (op *polyOp) CallsExtern() bool     { return false }
func (op *polyOp) OverwritesInput() int  { return -1 }
func (op *polyOp) WriteHash(h hash.Hash) { fmt.Fprintf(h, "nn.%s/%d", op.key, op.n) }
func (op *polyOp) Hashcode() uint32      { return hashOf(op) }

func (op *polyOp) Do(in ...G.Value) (G.Value, error) {
	if len(in) != op.n {
		return nil, fmt.Errorf("nn: %v got %d inputs, want %d", op, len(in), op.n)
	}
	out, err := like(op.pool, in[0])
	if err != nil {
		return nil, err
	}
	return op.UsePreallocDo(out, in...)
}

func (op *polyOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	var xs [maxPolyInputs][]float64
	if op.n > len(xs) {
		return nil, fmt.Errorf("nn: %v has %d inputs; at most %d are supported", op, op.n, len(xs))
	}
	for i, v := range in {
		d, err := float64Data(v, op.key)
		if err != nil {
			return nil, err
		}
		xs[i] = d
	}
	dst, err := float64Data(prealloc, op.key)
	if err != nil {
		return nil, err
	}
	n := len(xs[0])
	for _, x := range xs[:op.n] {
		if len(x) != n {
			return nil, fmt.Errorf("nn: %v: inputs of lengths %d and %d", op, n, len(x))
		}
	}
	if len(dst) < n {
		return nil, fmt.Errorf("nn: %v: output of length %d for inputs of %d", op, len(dst), n)
	}
	dst = dst[:n]
	for k, t := range op.terms {
		accumulate(dst, k > 0, t.c, t.f, &xs)
	}
	return prealloc, nil
}

// accumulate writes (add false) or adds c·Πf xs[f] into dst.
func accumulate(dst []float64, add bool, c float64, f []int, xs *[maxPolyInputs][]float64) {
	switch len(f) {
	case 1:
		a := xs[f[0]][:len(dst)]
		if add {
			for e, va := range a {
				dst[e] += c * va
			}
		} else {
			for e, va := range a {
				dst[e] = c * va
			}
		}
	case 2:
		a, b := xs[f[0]][:len(dst)], xs[f[1]][:len(dst)]
		if add {
			for e := range dst {
				dst[e] += c * a[e] * b[e]
			}
		} else {
			for e := range dst {
				dst[e] = c * a[e] * b[e]
			}
		}
	case 3:
		a, b, d := xs[f[0]][:len(dst)], xs[f[1]][:len(dst)], xs[f[2]][:len(dst)]
		if add {
			for e := range dst {
				dst[e] += c * a[e] * b[e] * d[e]
			}
		} else {
			for e := range dst {
				dst[e] = c * a[e] * b[e] * d[e]
			}
		}
	case 4:
		a, b, d, g := xs[f[0]][:len(dst)], xs[f[1]][:len(dst)], xs[f[2]][:len(dst)], xs[f[3]][:len(dst)]
		if add {
			for e := range dst {
				dst[e] += c * a[e] * b[e] * d[e] * g[e]
			}
		} else {
			for e := range dst {
				dst[e] = c * a[e] * b[e] * d[e] * g[e]
			}
		}
	default:
		for e := range dst {
			v := c
			for _, i := range f {
				v *= xs[i][e]
			}
			if add {
				dst[e] += v
			} else {
				dst[e] = v
			}
		}
	}
}

func (op *polyOp) DiffWRT(n int) []bool {
	d := make([]bool, n)
	for _, t := range op.terms {
		for _, i := range t.f {
			if i < n {
				d[i] = true
			}
		}
	}
	return d
}

// SymDiff returns, for each input j, grad·∂P/∂xⱼ as another polyOp over
// the inputs and grad.
func (op *polyOp) SymDiff(in G.Nodes, _, grad *G.Node) (G.Nodes, error) {
	out := make(G.Nodes, len(in))
	inputs := append(append([]*G.Node(nil), in...), grad)
	gi := len(in)
	for j := range in {
		var dt []term
		for _, t := range op.terms {
			m := 0
			for _, i := range t.f {
				if i == j {
					m++
				}
			}
			if m == 0 {
				continue
			}
			f := make([]int, 0, len(t.f))
			removed := false
			for _, i := range t.f {
				if i == j && !removed {
					removed = true
					continue
				}
				f = append(f, i)
			}
			dt = append(dt, term{c: t.c * float64(m), f: append(f, gi)})
		}
		if len(dt) == 0 {
			continue
		}
		n, err := applyPoly(op.pool, inputs, dt)
		if err != nil {
			return nil, err
		}
		out[j] = n
	}
	return out, nil
}

// applyPoly returns the node Σₜ cₜ Πᵢ inputs[fᵢ]. Nil inputs are zeros:
// terms that use one are dropped, and inputs no term uses are left out.
// It returns nil when no term is left.
func applyPoly(pool *bufferPool, inputs []*G.Node, terms []term) (*G.Node, error) {
	remap := make(map[int]int)
	var used []*G.Node
	var kept []term
	for _, t := range terms {
		zero := t.c == 0
		for _, i := range t.f {
			if inputs[i] == nil {
				zero = true
			}
		}
		if zero {
			continue
		}
		f := make([]int, len(t.f))
		for k, i := range t.f {
			r, ok := remap[i]
			if !ok {
				r = len(used)
				remap[i] = r
				used = append(used, inputs[i])
			}
			f[k] = r
		}
		slices.Sort(f)
		kept = append(kept, term{c: t.c, f: f})
	}
	if len(kept) == 0 {
		return nil, nil
	}
	op := newPolyOp(pool, len(used), kept)
	n, err := G.ApplyOp(op, used...)
	if err != nil {
		return nil, fmt.Errorf("nn: building %v: %w", op, err)
	}
	return n, nil
}
