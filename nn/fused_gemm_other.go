//go:build !amd64 || openblas

package nn

// Without amd64, or under -tags openblas (cgo packages take no Go
// assembly, and OpenBLAS is faster still), products go to blas64.
const haveGemmKernel = false

func gemm4x8(k int, a *float64, ars, acs int, b *float64, ldb int, c *float64, ldc int, add bool) {
	panic("nn: no GEMM kernel on this architecture")
}
