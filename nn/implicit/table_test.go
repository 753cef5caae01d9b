package implicit

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/neuralpde/neuralpde/internal/cputime"
)

// tableSolvers are the five forward solvers of the comparison, with the
// settings each needs to reach 1e-8.
var tableSolvers = []Settings{
	{Solver: NewtonKrylov},
	{Solver: Broyden},
	{Solver: Anderson},
	{Solver: FixedPoint, MaxIterations: 5000},
	{Solver: Homotopy},
}

// solveTable solves the same fixed contractive layer (f = tanh(Wz + Ux + b),
// 400 unknowns, ‖W‖₂ ≤ 0.95, 4 samples) to ‖f(z) − z‖₂ ≤ 1e-8 with every
// solver and returns one row per solver: mean iterations, mean
// evaluations of f or its JVP, the largest residual, and the wall and
// process CPU time of one batch solve.
func solveTable(t testing.TB) string {
	const d, p, batch = 400, 20, 4
	tl := newTanhLayer(rand.New(rand.NewPCG(31, 32)), d, p, batch, 0.95)
	var b strings.Builder
	fmt.Fprintf(&b, "%-14s %10s %11s %12s %10s %10s\n", "solver", "iterations", "f/JVP evals", "max residual", "wall time", "CPU time")
	for _, set := range tableSolvers {
		l, err := New([]Function{tl.function()}, &set)
		if err != nil {
			t.Fatal(err)
		}
		// Three solves, timed together (the first sizes the workspaces).
		start, c0 := time.Now(), cputime.Process()
		for range 3 {
			if _, err := l.Forward(nil, nil, batch); err != nil {
				t.Fatal(err)
			}
		}
		wall, cpu := time.Since(start)/3, (cputime.Process()-c0)/3
		r := l.Report()
		var evals int
		for _, s := range r.Forward {
			evals += s.Evals
		}
		if r.MaxResidual() > 1e-8 {
			t.Errorf("%v: residual %g > 1e-8", set.Solver, r.MaxResidual())
		}
		fmt.Fprintf(&b, "%-14v %10.1f %11.1f %12.2e %10s %10s\n", set.Solver, r.MeanIterations(), float64(evals)/batch, r.MaxResidual(),
			wall.Round(100*time.Microsecond), cpu.Round(100*time.Microsecond))
	}
	return b.String()
}

// TestSolverTable prints the iterations and wall time of the five solvers
// to residual 1e-8 on one layer (run with -v to see it) and checks that
// each reaches it.
func TestSolverTable(t *testing.T) {
	t.Log("\n" + solveTable(t))
}

// BenchmarkSolvers times one batch solve to 1e-8 per solver, reporting
// the mean iterations and f/JVP evaluations per sample.
func BenchmarkSolvers(b *testing.B) {
	const d, p, batch = 400, 20, 4
	tl := newTanhLayer(rand.New(rand.NewPCG(31, 32)), d, p, batch, 0.95)
	for _, set := range tableSolvers {
		b.Run(set.Solver.String(), func(b *testing.B) {
			l, err := New([]Function{tl.function()}, &set)
			if err != nil {
				b.Fatal(err)
			}
			z := make([]float64, batch*d)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := l.Forward(z, nil, batch); err != nil {
					b.Fatal(err)
				}
			}
			r := l.Report()
			var evals int
			for _, s := range r.Forward {
				evals += s.Evals
			}
			b.ReportMetric(r.MeanIterations(), "iters/sample")
			b.ReportMetric(float64(evals)/batch, "evals/sample")
		})
	}
}
