package nsm

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
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
	tA, tB := blas.NoTrans, blas.NoTrans
	if tx {
		tA = blas.Trans
	}
	if ty {
		tB = blas.Trans
	}
	ayg := blas64.General{Rows: ayr.Rows, Cols: ayr.Cols, Stride: ayr.Stride, Data: ayr.Data}
	axg := blas64.General{Rows: axr.Rows, Cols: axr.Cols, Stride: axr.Stride, Data: axr.Data}
	if q*m*(n+p) <= n*p*(m+q) {
		// Outer axis first: work (q × mR) = Ay · src (n × mR); then
		// dst[j] (p × R) = Ax · work[j] (m × R).
		blas64.Gemm(tB, blas.NoTrans, 1, ayg,
			blas64.General{Rows: n, Cols: m * R, Stride: m * R, Data: src[:n*m*R]},
			0, blas64.General{Rows: q, Cols: m * R, Stride: m * R, Data: work[:q*m*R]})
		for j := range q {
			blas64.Gemm(tA, blas.NoTrans, 1, axg,
				blas64.General{Rows: m, Cols: R, Stride: R, Data: work[j*m*R : (j+1)*m*R]},
				0, blas64.General{Rows: p, Cols: R, Stride: R, Data: dst[j*p*R : (j+1)*p*R]})
		}
		return
	}
	// Inner axis first: work[j] (p × R) = Ax · src[j] (m × R); then
	// dst (q × pR) = Ay · work (n × pR).
	for j := range n {
		blas64.Gemm(tA, blas.NoTrans, 1, axg,
			blas64.General{Rows: m, Cols: R, Stride: R, Data: src[j*m*R : (j+1)*m*R]},
			0, blas64.General{Rows: p, Cols: R, Stride: R, Data: work[j*p*R : (j+1)*p*R]})
	}
	blas64.Gemm(tB, blas.NoTrans, 1, ayg,
		blas64.General{Rows: n, Cols: p * R, Stride: p * R, Data: work[:n*p*R]},
		0, blas64.General{Rows: q, Cols: p * R, Stride: p * R, Data: dst[:q*p*R]})
}

// gemm sets (or, with add, adds to) y (rows×out) the product x (rows×in)
// times w (in×out), with x and y rows strided by xs and ys.
func gemm(y, x, w []float64, rows, in, out, xs, ys int, add bool) {
	beta := 0.0
	if add {
		beta = 1
	}
	blas64.Gemm(blas.NoTrans, blas.NoTrans, 1,
		blas64.General{Rows: rows, Cols: in, Stride: xs, Data: x},
		blas64.General{Rows: in, Cols: out, Stride: out, Data: w},
		beta, blas64.General{Rows: rows, Cols: out, Stride: ys, Data: y})
}

// gemmTN adds xᵀ (in×rows) times g (rows×out) to gw (in×out).
func gemmTN(gw, x, g []float64, rows, in, out, xs, gs int) {
	blas64.Gemm(blas.Trans, blas.NoTrans, 1,
		blas64.General{Rows: rows, Cols: in, Stride: xs, Data: x},
		blas64.General{Rows: rows, Cols: out, Stride: gs, Data: g},
		1, blas64.General{Rows: in, Cols: out, Stride: out, Data: gw})
}

// gemmNT sets (or adds to) gx (rows×in) the product g (rows×out) times
// wᵀ (out×in).
func gemmNT(gx, g, w []float64, rows, in, out, xs, gs int, add bool) {
	beta := 0.0
	if add {
		beta = 1
	}
	blas64.Gemm(blas.NoTrans, blas.Trans, 1,
		blas64.General{Rows: rows, Cols: out, Stride: gs, Data: g},
		blas64.General{Rows: in, Cols: out, Stride: out, Data: w},
		beta, blas64.General{Rows: rows, Cols: in, Stride: xs, Data: gx})
}

func grow(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}
