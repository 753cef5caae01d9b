package nn

import (
	"fmt"
	"hash"
	"runtime"
	"sync"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// gemmOp computes op(A)·op(B) (+ b, a 1×n row added to every row, when it
// has a third input) with gonum's BLAS into an array borrowed from its
// pool. Gorgonia's MatMul and BroadcastAdd allocate their result at every
// run, and at batch 4096 those fresh arrays are paged in by the kernel at
// every step; reusing arrays removes that cost. The BLAS is
// blas64's current implementation, so blas64.Use (e.g. OpenBLAS through
// gonum.org/v1/netlib) speeds it up.
type gemmOp struct {
	G.Op        // type signature only: Matrix a → … → Matrix a
	tA, tB bool // transpose A, B
	bias   bool // a third input b is added to every row
	pool   *bufferPool
}

func newGemmOp(pool *bufferPool, tA, tB, bias bool) *gemmOp {
	n := 2
	if bias {
		n = 3
	}
	return &gemmOp{Op: matrixSig(n), tA: tA, tB: tB, bias: bias, pool: pool}
}

func (op *gemmOp) String() string {
	s := fmt.Sprintf("gemm(%t,%t)", op.tA, op.tB)
	if op.bias {
		s += "+b"
	}
	return s
}

func (op *gemmOp) Arity() int {
	if op.bias {
		return 3
	}
	return 2
}

func (op *gemmOp) dims(a, b tensor.Shape) (m, k, n int, err error) {
	if len(a) != 2 || len(b) != 2 {
		return 0, 0, 0, fmt.Errorf("nn: %v of shapes %v and %v; both must be matrices", op, a, b)
	}
	m, k = a[0], a[1]
	if op.tA {
		m, k = k, m
	}
	kb, n := b[0], b[1]
	if op.tB {
		kb, n = n, kb
	}
	if k != kb {
		return 0, 0, 0, fmt.Errorf("nn: %v of shapes %v and %v: inner dimensions %d and %d differ", op, a, b, k, kb)
	}
	return m, k, n, nil
}

func (op *gemmOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	if len(in) != op.Arity() {
		return nil, fmt.Errorf("nn: %v got %d inputs, want %d", op, len(in), op.Arity())
	}
	a, okA := in[0].(tensor.Shape)
	b, okB := in[1].(tensor.Shape)
	if !okA || !okB {
		return nil, fmt.Errorf("nn: %v: inputs without shapes", op)
	}
	m, _, n, err := op.dims(a, b)
	if err != nil {
		return nil, err
	}
	if op.bias {
		c, ok := in[2].(tensor.Shape)
		if !ok || c.TotalSize() != n {
			return nil, fmt.Errorf("nn: %v: bias of shape %v for %d columns", op, in[2], n)
		}
	}
	return tensor.Shape{m, n}, nil
}

func (op *gemmOp) ReturnsPtr() bool      { return false }
func (op *gemmOp) CallsExtern() bool     { return false }
func (op *gemmOp) OverwritesInput() int  { return -1 }
func (op *gemmOp) WriteHash(h hash.Hash) { fmt.Fprintf(h, "nn.%v", op) }
func (op *gemmOp) Hashcode() uint32      { return hashOf(op) }

func (op *gemmOp) Do(in ...G.Value) (G.Value, error) {
	if len(in) != op.Arity() {
		return nil, fmt.Errorf("nn: %v got %d inputs, want %d", op, len(in), op.Arity())
	}
	m, _, n, err := op.dims(in[0].Shape(), in[1].Shape())
	if err != nil {
		return nil, err
	}
	return op.UsePreallocDo(op.pool.get(m, n), in...)
}

func (op *gemmOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	as, bs := in[0].Shape(), in[1].Shape()
	m, _, n, err := op.dims(as, bs)
	if err != nil {
		return nil, err
	}
	a, err := float64Data(in[0], op.String())
	if err != nil {
		return nil, err
	}
	b, err := float64Data(in[1], op.String())
	if err != nil {
		return nil, err
	}
	c, err := float64Data(prealloc, op.String())
	if err != nil {
		return nil, err
	}
	if len(c) < m*n {
		return nil, fmt.Errorf("nn: %v: output of length %d, want %d", op, len(c), m*n)
	}
	c = c[:m*n]
	beta := 0.0
	if op.bias {
		bias, err := float64Data(in[2], op.String())
		if err != nil {
			return nil, err
		}
		for i := 0; i < m; i++ {
			copy(c[i*n:(i+1)*n], bias)
		}
		beta = 1
	}
	tA, tB := blas.NoTrans, blas.NoTrans
	if op.tA {
		tA = blas.Trans
	}
	if op.tB {
		tB = blas.Trans
	}
	A := blas64.General{Rows: as[0], Cols: as[1], Stride: as[1], Data: a}
	B := blas64.General{Rows: bs[0], Cols: bs[1], Stride: bs[1], Data: b}
	C := blas64.General{Rows: m, Cols: n, Stride: n, Data: c}
	if op.tA && !op.tB && !op.bias && m*n <= splitMaxOut && as[0] >= splitMinK {
		op.splitK(A, B, C)
		return prealloc, nil
	}
	blas64.Gemm(tA, tB, 1, A, B, beta, C)
	return prealloc, nil
}

// Weight gradients Aᵀ·B have a small output (fan-in × fan-out) and a long
// inner dimension (the batch). Gonum parallelises a product over output
// blocks only, so it computes these on one core; splitKParts goroutines
// each take a slice of the batch instead, and the partial products are
// summed.
const (
	splitMaxOut = 256 * 256
	splitMinK   = 1024
)

var splitKParts = max(1, min(runtime.GOMAXPROCS(0), 4))

// splitK computes C = AᵀB by splitting the rows of A and B.
func (op *gemmOp) splitK(A, B, C blas64.General) {
	parts := splitKParts
	if parts == 1 {
		blas64.Gemm(blas.Trans, blas.NoTrans, 1, A, B, 0, C)
		return
	}
	k := A.Rows
	partial := make([]blas64.General, parts)
	partial[0] = C
	for p := 1; p < parts; p++ {
		partial[p] = blas64.General{Rows: C.Rows, Cols: C.Cols, Stride: C.Cols, Data: op.pool.get(C.Rows, C.Cols).Data().([]float64)}
	}
	var wg sync.WaitGroup
	for p := 0; p < parts; p++ {
		lo, hi := k*p/parts, k*(p+1)/parts
		a := blas64.General{Rows: hi - lo, Cols: A.Cols, Stride: A.Stride, Data: A.Data[lo*A.Stride:]}
		b := blas64.General{Rows: hi - lo, Cols: B.Cols, Stride: B.Stride, Data: B.Data[lo*B.Stride:]}
		wg.Go(func() { blas64.Gemm(blas.Trans, blas.NoTrans, 1, a, b, 0, partial[p]) })
	}
	wg.Wait()
	for p := 1; p < parts; p++ {
		for i, v := range partial[p].Data[:len(C.Data)] {
			C.Data[i] += v
		}
	}
}

func (op *gemmOp) DiffWRT(n int) []bool {
	d := make([]bool, n)
	for i := range d {
		d[i] = true
	}
	return d
}

// SymDiff uses, for C = AB: dA = G·Bᵀ, dB = Aᵀ·G; for C = ABᵀ: dA = G·B,
// dB = Gᵀ·A; for C = AᵀB: dA = B·Gᵀ, dB = A·G; for AᵀBᵀ: dA = Bᵀ·Gᵀ,
// dB = Gᵀ·Aᵀ; and db = the column sums of G.
func (op *gemmOp) SymDiff(in G.Nodes, _, grad *G.Node) (G.Nodes, error) {
	A, B := in[0], in[1]
	var da, db *G.Node
	var err error
	mm := func(x, y *G.Node, tx, ty bool) *G.Node {
		if err != nil {
			return nil
		}
		var n *G.Node
		n, err = G.ApplyOp(newGemmOp(op.pool, tx, ty, false), x, y)
		return n
	}
	switch {
	case !op.tA && !op.tB:
		da, db = mm(grad, B, false, true), mm(A, grad, true, false)
	case !op.tA && op.tB:
		da, db = mm(grad, B, false, false), mm(grad, A, true, false)
	case op.tA && !op.tB:
		da, db = mm(B, grad, false, true), mm(A, grad, false, false)
	default:
		da, db = mm(B, grad, true, true), mm(grad, A, true, true)
	}
	if err != nil {
		return nil, err
	}
	out := G.Nodes{da, db}
	if op.bias {
		s, err := G.ApplyOp(&colSumOp{Op: unarySig, pool: op.pool}, grad)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// colSumOp sums the rows of a matrix into a 1×n row: the adjoint of adding
// a bias row to every row. It is only used in reverse passes and is not
// differentiated itself.
type colSumOp struct {
	G.Op // type signature only: a → a
	pool *bufferPool
}

func (op *colSumOp) String() string { return "colsum" }
func (op *colSumOp) Arity() int     { return 1 }
func (op *colSumOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	s, ok := in[0].(tensor.Shape)
	if !ok || len(s) != 2 {
		return nil, fmt.Errorf("nn: colsum of %v; want a matrix", in[0])
	}
	return tensor.Shape{1, s[1]}, nil
}
func (op *colSumOp) ReturnsPtr() bool      { return false }
func (op *colSumOp) CallsExtern() bool     { return false }
func (op *colSumOp) OverwritesInput() int  { return -1 }
func (op *colSumOp) WriteHash(h hash.Hash) { fmt.Fprint(h, "nn.colsum") }
func (op *colSumOp) Hashcode() uint32      { return hashOf(op) }

func (op *colSumOp) Do(in ...G.Value) (G.Value, error) {
	return op.UsePreallocDo(op.pool.get(1, in[0].Shape()[1]), in...)
}

func (op *colSumOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	x, err := float64Data(in[0], "colsum")
	if err != nil {
		return nil, err
	}
	dst, err := float64Data(prealloc, "colsum")
	if err != nil {
		return nil, err
	}
	n := in[0].Shape()[1]
	dst = dst[:n]
	clear(dst)
	for i := 0; i+n <= len(x); i += n {
		for j, v := range x[i : i+n] {
			dst[j] += v
		}
	}
	return prealloc, nil
}

func (op *colSumOp) DiffWRT(int) []bool { return []bool{false} }

func (op *colSumOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) {
	return nil, fmt.Errorf("nn: colsum is the adjoint of a bias and is not differentiated again")
}
