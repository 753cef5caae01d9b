package nn

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
	"gonum.org/v1/gonum/floats"

	"github.com/neuralpde/neuralpde/internal/cputime"
)

// TestGemm compares Gemm with gonum's Dgemm on shapes that exercise the
// AVX2 kernel's 4×8 blocks and every edge, with strides wider than the
// matrices and every combination of transposes, alpha and beta.
func TestGemm(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	var impl gonum.Implementation
	for _, s := range [][3]int{{1, 1, 1}, {4, 8, 1}, {4, 8, 7}, {5, 9, 3}, {13, 30, 17}, {70, 140, 33}, {3, 7, 5}, {8, 16, 0}} {
		for _, tA := range []bool{false, true} {
			for _, tB := range []bool{false, true} {
				for _, ab := range [][2]float64{{1, 0}, {1, 1}, {1, 0.5}, {2, 0}} {
					m, n, k := s[0], s[1], s[2]
					name := fmt.Sprintf("%dx%dx%d tA=%v tB=%v alpha=%v beta=%v", m, n, k, tA, tB, ab[0], ab[1])
					ar, ac := m, k
					if tA {
						ar, ac = k, m
					}
					br, bc := k, n
					if tB {
						br, bc = n, k
					}
					lda, ldb, ldc := ac+2, bc+1, n+3
					a := randSlice(rng, max(ar*lda, 1))
					b := randSlice(rng, max(br*ldb, 1))
					c := randSlice(rng, m*ldc)
					want := append([]float64(nil), c...)
					ta, tb := blas.NoTrans, blas.NoTrans
					if tA {
						ta = blas.Trans
					}
					if tB {
						tb = blas.Trans
					}
					impl.Dgemm(ta, tb, m, n, k, ab[0], a, max(lda, 1), b, max(ldb, 1), ab[1], want, ldc)
					Gemm(tA, tB, m, n, k, ab[0], a, max(lda, 1), b, max(ldb, 1), ab[1], c, ldc)
					if !floats.EqualApprox(c, want, 1e-12) {
						t.Errorf("%s: Gemm differs from gonum's Dgemm", name)
					}
				}
			}
		}
	}
}

// BenchmarkGemm compares the CPU time of Gemm and gonum's Dgemm on the
// FNO's products: a pointwise layer (5120 points × 64 → 64 channels), its
// weight gradient (64×5120 · 5120×64) and a truncated DFT of one sample
// (32 modes × 256 points · 256 × 64 channels).
func BenchmarkGemm(b *testing.B) {
	for _, s := range []struct {
		name    string
		tA      bool
		m, n, k int
	}{
		{"pointwise-5120x64x64", false, 5120, 64, 64},
		{"weightgrad-64x64x5120", true, 64, 64, 5120},
		{"dft-32x64x256", false, 32, 64, 256},
	} {
		rng := rand.New(rand.NewPCG(1, 2))
		a, bb, c := randSlice(rng, s.m*s.k), randSlice(rng, s.k*s.n), make([]float64, s.m*s.n)
		lda := s.k
		ta := blas.NoTrans
		if s.tA {
			lda, ta = s.m, blas.Trans
		}
		flops := 2 * float64(s.m*s.n*s.k)
		b.Run(s.name+"/Gemm", func(b *testing.B) {
			start := cputime.Process()
			for range b.N {
				Gemm(s.tA, false, s.m, s.n, s.k, 1, a, lda, bb, s.n, 0, c, s.n)
			}
			b.ReportMetric(flops*float64(b.N)/float64((cputime.Process()-start).Nanoseconds()), "cpu-GFLOP/s")
		})
		b.Run(s.name+"/gonum", func(b *testing.B) {
			var impl gonum.Implementation
			start := cputime.Process()
			for range b.N {
				impl.Dgemm(ta, blas.NoTrans, s.m, s.n, s.k, 1, a, lda, bb, s.n, 0, c, s.n)
			}
			b.ReportMetric(flops*float64(b.N)/float64((cputime.Process()-start).Nanoseconds()), "cpu-GFLOP/s")
		})
	}
}
