package nonlinear

import (
	"fmt"
	"testing"

	"github.com/neuralpde/neuralpde/operators/sparse"
)

// BenchmarkBratu solves the Bratu problem −Δu = 6eᵘ from u = 0 by dense
// Newton (m = 15) and by Newton–Krylov with multigrid preconditioning
// (m = 63, 127). The allocations are the per-solve work vectors and the
// residual history; the Newton and GMRES iterations allocate nothing
// (compare allocs/op across the sizes and the steps/op metric).
func BenchmarkBratu(b *testing.B) {
	b.Run("newton/m=15", func(b *testing.B) {
		p, _ := bratu(15, 6)
		u := make([]float64, p.Dim)
		b.ReportAllocs()
		var res Result
		for b.Loop() {
			clear(u)
			res, _ = Newton(u, p, nil)
		}
		if res.Status != Converged {
			b.Fatalf("status %v", res.Status)
		}
		b.ReportMetric(float64(res.Iterations), "steps")
	})
	for _, m := range []int{63, 127} {
		p, a := bratu(m, 6)
		mg, err := sparse.NewMultigrid(a, m, nil)
		if err != nil {
			b.Fatal(err)
		}
		s := &Settings{Preconditioner: mg}
		u := make([]float64, p.Dim)
		for _, fd := range []bool{false, true} {
			q, name := p, "jacvec"
			if fd {
				q.JacVec, name = nil, "finite-difference"
			}
			b.Run(fmt.Sprintf("newton-krylov-mg/%s/m=%d", name, m), func(b *testing.B) {
				b.ReportAllocs()
				var res Result
				for b.Loop() {
					clear(u)
					res, _ = NewtonKrylov(u, q, s)
				}
				if res.Status != Converged {
					b.Fatalf("status %v", res.Status)
				}
				b.ReportMetric(float64(res.Iterations), "steps")
				b.ReportMetric(float64(res.LinearIterations), "gmres-iters")
			})
		}
	}
}
