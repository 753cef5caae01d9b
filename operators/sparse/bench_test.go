package sparse

import (
	"fmt"
	"testing"
)

// BenchmarkMultigridIterations solves A u = 1 to relative residual 1e-10
// with multigrid alone and as CG's preconditioner for h = 1/64 … 1/512
// (65² … 513² vertices, 63² … 511² unknowns) and reports the iteration
// counts as the "cycles" and "cg-iters" metrics. One op is one solve
// (setup excluded).
func BenchmarkMultigridIterations(b *testing.B) {
	for _, p := range mgProblems[:2] {
		for _, n := range []int{65, 129, 257, 513} {
			a, err := p.assemble(n)
			if err != nil {
				b.Fatal(err)
			}
			m := n - 2
			mg, err := NewMultigrid(a, m, nil)
			if err != nil {
				b.Fatal(err)
			}
			rhs := ones(m * m)
			x := make([]float64, m*m)
			s := &Settings{Tolerance: 1e-10}
			b.Run(fmt.Sprintf("%s/h=1/%d/multigrid", p.name, n-1), func(b *testing.B) {
				b.ReportAllocs()
				res, _ := mg.Solve(x, rhs, s) // warm up
				for b.Loop() {
					clear(x)
					res, _ = mg.Solve(x, rhs, s)
				}
				if res.Status != Converged {
					b.Fatalf("status %v", res.Status)
				}
				b.ReportMetric(float64(res.Iterations), "cycles")
				b.ReportMetric(residual(a, x, rhs)*1e12, "relres_e-12")
			})
			b.Run(fmt.Sprintf("%s/h=1/%d/mg-cg", p.name, n-1), func(b *testing.B) {
				b.ReportAllocs()
				var cg CG
				ps := &Settings{Tolerance: 1e-10, Preconditioner: mg}
				res, _ := cg.Solve(x, a, rhs, ps) // allocates the work vectors
				for b.Loop() {
					clear(x)
					res, _ = cg.Solve(x, a, rhs, ps)
				}
				if res.Status != Converged {
					b.Fatalf("status %v", res.Status)
				}
				b.ReportMetric(float64(res.Iterations), "cg-iters")
				b.ReportMetric(residual(a, x, rhs)*1e12, "relres_e-12")
			})
		}
	}
}
