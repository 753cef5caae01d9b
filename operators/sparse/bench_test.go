package sparse

import (
	"fmt"
	"math"
	"strconv"
	"testing"

	"gonum.org/v1/gonum/floats"
)

// BenchmarkMultigridIterations solves A u = 1 to relative residual 1e-10
// with multigrid alone and as CG's preconditioner for h = 1/64 … 1/512
// (65² … 513² vertices, 63² … 511² unknowns) and reports the iteration
// counts as the "cycles" and "cg-iters" metrics. One op is one solve
// (setup excluded).
func BenchmarkMultigridIterations(b *testing.B) {
	problems := []mgProblem{
		mgProblems[0], mgProblems[1],
		bilinear("darcy-12/3-bilinear", func(n int) (*CSR, error) { return Diffusion5(darcyCoefficient(n), n) }),
		diffusionProblem("darcy-12/3-rediscretized", darcyCoefficient, Rediscretize),
	}
	for _, p := range problems {
		for _, n := range []int{65, 129, 257, 513} {
			a, mg, err := p.build(n, nil)
			if err != nil {
				b.Fatal(err)
			}
			m := n - 2
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
				// A rediscretized hierarchy may fail on jumps: report, not fail.
				b.ReportMetric(float64(res.Iterations), "cycles")
				b.ReportMetric(residual(a, x, rhs)*1e12, "relres_e-12")
				if res.Status != Converged {
					b.Logf("status %v", res.Status)
				}
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
				b.ReportMetric(float64(res.Iterations), "cg-iters")
				b.ReportMetric(residual(a, x, rhs)*1e12, "relres_e-12")
				if res.Status != Converged {
					b.Logf("status %v", res.Status)
				}
			})
		}
	}
}

// BenchmarkDarcySolve solves the Darcy system −∇·(a∇u) = 1 with the
// two-valued coefficient of darcyCoefficient (12/3) at h = 1/256 (257²
// vertices, 255² unknowns) by multigrid-preconditioned CG to relative
// residual 1e-10: "setup+solve" includes building the multigrid hierarchy,
// "solve" does not. scripts/reference/sparse_darcy_spsolve.py times
// scipy's spsolve on the identical matrix and prints the same checksums.
func BenchmarkDarcySolve(b *testing.B) {
	const n = 257
	coef := darcyCoefficient(n)
	a, err := Diffusion5(coef, n)
	if err != nil {
		b.Fatal(err)
	}
	m := n - 2
	var twelve int
	for _, v := range coef {
		if v == 12 {
			twelve++
		}
	}
	var sum, abs float64
	for _, v := range a.val {
		sum += v
		abs += math.Abs(v)
	}
	b.Logf("n = %d vertices per side, %d unknowns, nnz = %d", n, m*m, a.NNZ())
	b.Logf("checksum: coefficient cells with a = 12: %d, sum of matrix entries %.10e, sum |entries| %.10e", twelve, sum, abs)
	rhs := ones(m * m)
	x := make([]float64, m*m)
	report := func(b *testing.B, res Result) {
		if res.Status != Converged {
			b.Fatalf("status %v after %d iterations", res.Status, res.Iterations)
		}
		b.ReportMetric(float64(res.Iterations), "cg-iters")
		b.ReportMetric(residual(a, x, rhs)*1e12, "relres_e-12")
	}
	b.Run("setup+solve", func(b *testing.B) {
		b.ReportAllocs()
		var res Result
		for b.Loop() {
			mg, err := NewMultigrid(a, m, nil)
			if err != nil {
				b.Fatal(err)
			}
			clear(x)
			res, _ = (&CG{}).Solve(x, a, rhs, &Settings{Tolerance: 1e-10, Preconditioner: mg})
		}
		report(b, res)
		b.Logf("‖u‖₂ = %.12e", floats.Norm(x, 2))
	})
	b.Run("solve", func(b *testing.B) {
		mg, err := NewMultigrid(a, m, nil)
		if err != nil {
			b.Fatal(err)
		}
		var cg CG
		s := &Settings{Tolerance: 1e-10, Preconditioner: mg}
		res, _ := cg.Solve(x, a, rhs, s)
		b.ReportAllocs()
		for b.Loop() {
			clear(x)
			res, _ = cg.Solve(x, a, rhs, s)
		}
		report(b, res)
	})
}

func BenchmarkCSRMulVec(b *testing.B) {
	for _, m := range []int{63, 255} {
		a := Laplacian9(m)
		x, dst := ones(m*m), make([]float64, m*m)
		b.Run(fmt.Sprintf("laplacian9/m=%d", m), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				a.MulVec(dst, x)
			}
		})
	}
}

// BenchmarkKrylov times CG and GMRES(30) with Jacobi preconditioning on
// the 5-point Poisson matrix (m = 63) to relative residual 1e-8. After the
// first call the solvers reuse their work vectors: 0 allocs/op.
func BenchmarkKrylov(b *testing.B) {
	const m = 63
	a := Laplacian5(m)
	jac, err := NewJacobi(a)
	if err != nil {
		b.Fatal(err)
	}
	rhs := ones(m * m)
	x := make([]float64, m*m)
	for _, tc := range []struct {
		name   string
		solver interface {
			Solve(x []float64, a Operator, b []float64, s *Settings) (Result, error)
		}
		s *Settings
	}{
		{"cg", &CG{}, &Settings{Tolerance: 1e-8}},
		{"cg-jacobi", &CG{}, &Settings{Tolerance: 1e-8, Preconditioner: jac}},
		{"gmres(30)", &GMRES{}, &Settings{Tolerance: 1e-8}},
		{"gmres(30)-left-jacobi", &GMRES{}, &Settings{Tolerance: 1e-8, Preconditioner: jac, Side: Left}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			res, _ := tc.solver.Solve(x, a, rhs, tc.s)
			b.ReportAllocs()
			for b.Loop() {
				clear(x)
				res, _ = tc.solver.Solve(x, a, rhs, tc.s)
			}
			if res.Status != Converged {
				b.Fatalf("status %v", res.Status)
			}
			b.ReportMetric(float64(res.Iterations), "iters")
		})
	}
}

// BenchmarkDarcyAnySize solves the 12/3 Darcy system of BenchmarkDarcySolve
// by multigrid-preconditioned CG to relative residual 1e-10 on grids of
// 2^k+1 and other sizes, the FNO Darcy grid n = 421 among them; the time
// includes building the hierarchy. It also reports the V(2,2) cycles that
// multigrid alone needs (untimed).
func BenchmarkDarcyAnySize(b *testing.B) {
	for _, n := range []int{257, 421, 513} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			a, err := Diffusion5(darcyCoefficient(n), n)
			if err != nil {
				b.Fatal(err)
			}
			m := n - 2
			rhs, x := ones(m*m), make([]float64, m*m)
			var res Result
			var mg *Multigrid
			b.ReportAllocs()
			for b.Loop() {
				if mg, err = NewMultigrid(a, m, nil); err != nil {
					b.Fatal(err)
				}
				clear(x)
				res, _ = (&CG{}).Solve(x, a, rhs, &Settings{Tolerance: 1e-10, Preconditioner: mg})
			}
			if res.Status != Converged {
				b.Fatalf("status %v after %d iterations", res.Status, res.Iterations)
			}
			b.ReportMetric(float64(res.Iterations), "cg-iters")
			b.ReportMetric(float64(mg.Levels()), "levels")
			b.ReportMetric(residual(a, x, rhs)*1e12, "relres_e-12")
			// Multigrid alone, for comparison (not timed).
			clear(x)
			alone, _ := mg.Solve(x, rhs, &Settings{Tolerance: 1e-10})
			b.ReportMetric(float64(alone.Iterations), "mg-cycles")
		})
	}
}
