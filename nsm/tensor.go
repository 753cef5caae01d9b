package nsm

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
)

// Arrays here are channel-last: a batch of B fields, each p×q (grid
// values or coefficients) with C channels, is the row-major B×p×q×C
// array, so a pointwise channel map is one matrix product over all rows
// and a transform along an axis is one matrix product per sample.

// separable applies the tensor-product matrix Ax⊗Ay to every sample and
// channel of src (B×m×n×C) and writes dst (B×p×q×C), where Ax is p×m and
// Ay is q×n (or, with tx or ty set, the transposes of the stored
// matrices, for adjoints). work must hold B·m·q·C values.
func separable(dst, src []float64, ax, ay *mat.Dense, tx, ty bool, B, C int, work []float64) {
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
	// Along the second axis: work[b,i] (q×C) = Ay · src[b,i] (n×C).
	for r := range B * m {
		blas64.Gemm(tB, blas.NoTrans, 1, ayg,
			blas64.General{Rows: n, Cols: C, Stride: C, Data: src[r*n*C : (r+1)*n*C]},
			0, blas64.General{Rows: q, Cols: C, Stride: C, Data: work[r*q*C : (r+1)*q*C]})
	}
	// Along the first axis: dst[b] (p × qC) = Ax · work[b] (m × qC).
	for b := range B {
		blas64.Gemm(tA, blas.NoTrans, 1, axg,
			blas64.General{Rows: m, Cols: q * C, Stride: q * C, Data: work[b*m*q*C : (b+1)*m*q*C]},
			0, blas64.General{Rows: p, Cols: q * C, Stride: q * C, Data: dst[b*p*q*C : (b+1)*p*q*C]})
	}
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
