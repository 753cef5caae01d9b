package nsm

import (
	"gonum.org/v1/gonum/mat"

	"github.com/neuralpde/neuralpde/nn"
)

// The model's arrays are coefficient-major: a batch of B fields, each
// with n×m values (grid values or coefficients, the second axis of the
// basis outermost) and C channels, is the row-major n×m×B×C array. A
// pointwise channel map is one matrix product over all rows, each mode's
// rows are contiguous, and a transform along an axis is one matrix
// product for the outer axis and one per outer index for the inner axis,
// whatever the batch.

// separable applies the tensor-product matrix Ax⊗Ay to src (n×m×R: R =
// B·C values per coefficient) and writes dst (q×p×R), where Ax is p×m
// (the inner axis) and Ay is q×n (the outer axis), or with tx or ty set
// the transposes of the stored matrices, for adjoints. It applies the two
// factors in the order with fewer operations. work must hold
// max(q·m, n·p)·R values.
func separable(dst, src []float64, ax, ay *mat.Dense, tx, ty bool, R int, work []float64) {
	axr, ayr := ax.RawMatrix(), ay.RawMatrix()
	p, m := axr.Rows, axr.Cols
	if tx {
		p, m = m, p
	}
	q, n := ayr.Rows, ayr.Cols
	if ty {
		q, n = n, q
	}
	if q*m*(n+p) <= n*p*(m+q) {
		// Outer axis first: work (q × mR) = Ay · src (n × mR); then
		// dst[j] (p × R) = Ax · work[j] (m × R).
		nn.Gemm(ty, false, q, m*R, n, 1, ayr.Data, ayr.Stride, src[:n*m*R], m*R, 0, work[:q*m*R], m*R)
		for j := range q {
			nn.Gemm(tx, false, p, R, m, 1, axr.Data, axr.Stride, work[j*m*R:(j+1)*m*R], R, 0, dst[j*p*R:(j+1)*p*R], R)
		}
		return
	}
	// Inner axis first: work[j] (p × R) = Ax · src[j] (m × R); then
	// dst (q × pR) = Ay · work (n × pR).
	for j := range n {
		nn.Gemm(tx, false, p, R, m, 1, axr.Data, axr.Stride, src[j*m*R:(j+1)*m*R], R, 0, work[j*p*R:(j+1)*p*R], R)
	}
	nn.Gemm(ty, false, q, p*R, n, 1, ayr.Data, ayr.Stride, work[:n*p*R], p*R, 0, dst[:q*p*R], p*R)
}

// The products go through nn.Gemm: the AVX2 kernel in the default build
// (gonum's pure-Go Gemm allocates a goroutine per block and is 3× slower
// per NSM step on these shapes), OpenBLAS under -tags openblas.

// gemm sets (or, with add, adds to) y (rows×out) the product x (rows×in)
// times w (in×out), with x and y rows strided by xs and ys.
func gemm(y, x, w []float64, rows, in, out, xs, ys int, add bool) {
	nn.Gemm(false, false, rows, out, in, 1, x, xs, w, out, beta(add), y, ys)
}

// gemmTN adds xᵀ (in×rows) times g (rows×out) to gw (in×out).
func gemmTN(gw, x, g []float64, rows, in, out, xs, gs int) {
	nn.Gemm(true, false, in, out, rows, 1, x, xs, g, gs, 1, gw, out)
}

// gemmNT sets (or adds to) gx (rows×in) the product g (rows×out) times
// wᵀ (out×in).
func gemmNT(gx, g, w []float64, rows, in, out, xs, gs int, add bool) {
	nn.Gemm(false, true, rows, in, out, 1, g, gs, w, out, beta(add), gx, xs)
}

func beta(add bool) float64 {
	if add {
		return 1
	}
	return 0
}

func grow(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}
