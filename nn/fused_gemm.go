package nn

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"
)

// Gemm sets c = alpha·op(a)·op(b) + beta·c for row-major matrices, op(a)
// m×k (aᵀ when tA, a then k×m) and op(b) k×n (bᵀ when tB). It is the
// product of the FNO's layers: on amd64 with AVX2 and FMA, and with
// gonum's pure-Go BLAS in use, products with alpha = 1 and op(b) = b run on
// a 4×8 AVX2 kernel (gonum's assembly is SSE2, two doubles wide); otherwise
// they go to blas64's implementation (OpenBLAS under -tags openblas) in
// blocks of at most 64 rows and 128 columns of c, which gonum computes
// serially where a larger product would start a goroutine (and allocate)
// per 64×64 block: Gemm's callers run one goroutine per core already.
// Gemm panics if a slice is too short.
func Gemm(tA, tB bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	if m == 0 || n == 0 {
		return
	}
	if haveGemmKernel && !tB && alpha == 1 && m >= 4 && n >= 8 {
		if _, pure := blas64.Implementation().(gonum.Implementation); pure {
			if len(c) < (m-1)*ldc+n {
				panic("nn: Gemm output too short")
			}
			if beta != 0 && beta != 1 {
				for i := range m {
					for j := range c[i*ldc : i*ldc+n] {
						c[i*ldc+j] *= beta
					}
				}
			}
			gemmKernel(tA, m, n, k, a, lda, b, ldb, beta != 0, c, ldc)
			return
		}
	}
	blockedGemm(blas64.Implementation(), tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// blockedGemm computes Gemm's product with impl in blocks of at most 64
// rows and 128 columns of c, so that gonum's Dgemm stays serial (it starts
// a goroutine, and allocates, per 64×64 block of a larger product).
func blockedGemm(impl blas.Float64Level3, tA, tB bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	const rowBlock, colBlock = 64, 128
	ta, tb := blas.NoTrans, blas.NoTrans
	if tA {
		ta = blas.Trans
	}
	if tB {
		tb = blas.Trans
	}
	for i := 0; i < m; i += rowBlock {
		mi := min(rowBlock, m-i)
		var ai []float64
		if tA {
			ai = a[i:]
		} else {
			ai = a[i*lda:]
		}
		for j := 0; j < n; j += colBlock {
			nj := min(colBlock, n-j)
			var bj []float64
			if tB {
				bj = b[j*ldb:]
			} else {
				bj = b[j:]
			}
			impl.Dgemm(ta, tb, mi, nj, k, alpha, ai, lda, bj, ldb, beta, c[i*ldc+j:], ldc)
		}
	}
}

// gemmKernel sets c = op(a)·b, or adds op(a)·b to c when add is set (c
// m×n, op(a) m×k, b k×n), with the AVX2 kernel on the 4×8 blocks and
// gonum's Dgemm on the edges.
func gemmKernel(tA bool, m, n, k int, a []float64, lda int, b []float64, ldb int, add bool, c []float64, ldc int) {
	beta := 0.0
	if add {
		beta = 1
	}
	if k == 0 {
		if !add {
			for i := range m {
				clear(c[i*ldc : i*ldc+n])
			}
		}
		return
	}
	ars, acs := lda, 1
	if tA {
		ars, acs = 1, lda
	}
	if (m-1)*ars+(k-1)*acs >= len(a) || (k-1)*ldb+n > len(b) || (m-1)*ldc+n > len(c) {
		panic("nn: Gemm input too short")
	}
	m4, n8 := m&^3, n&^7
	for i := 0; i < m4; i += 4 {
		for j := 0; j < n8; j += 8 {
			gemm4x8(k, &a[i*ars], ars, acs, &b[j], ldb, &c[i*ldc+j], ldc, add)
		}
	}
	var impl gonum.Implementation
	if n8 < n {
		blockedGemm(impl, tA, false, m4, n-n8, k, 1, a, lda, b[n8:], ldb, beta, c[n8:], ldc)
	}
	if m4 < m {
		blockedGemm(impl, tA, false, m-m4, n, k, 1, a[m4*ars:], lda, b, ldb, beta, c[m4*ldc:], ldc)
	}
}
