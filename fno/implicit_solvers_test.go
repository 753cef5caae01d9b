//go:build unix

package fno

import (
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/neuralpde/neuralpde/data"
	"github.com/neuralpde/neuralpde/internal/cputime"
	"github.com/neuralpde/neuralpde/nn/implicit"
)

// BenchmarkImplicitSolvers is the solver table on a trained
// layer: the implicit FNO trained into IMPLICIT_RUN (a TrainImplicit
// directory, e.g. the implicit/ of BenchmarkImplicitDarcy's IMPLICIT_OUT)
// solved on the first IMPLICIT_SAMPLES (4) samples of IMPLICIT_DARCY's
// last 100 to ‖f(z) − z‖₂ ≤ 1e-8 from z = 0 by each of the five solvers;
// it prints mean iterations, evaluations of f or its JVP, the largest
// residual, wall and CPU time per sample.
//
//	IMPLICIT_RUN=/tmp/implicit_darcy_runs/implicit IMPLICIT_DARCY=/tmp/darcy_47.npz \
//	  go test -run '^$' -bench ImplicitSolvers -benchtime 1x ./fno/
func BenchmarkImplicitSolvers(b *testing.B) {
	dir, path := os.Getenv("IMPLICIT_RUN"), os.Getenv("IMPLICIT_DARCY")
	if dir == "" || path == "" {
		b.Skip("set IMPLICIT_RUN to a trained implicit FNO and IMPLICIT_DARCY to its data")
	}
	ds, err := data.Load(path)
	if err != nil {
		b.Fatal(err)
	}
	n := impEnvInt("IMPLICIT_SAMPLES", 4)
	sub, err := ds.Slice(ds.Len()-100, ds.Len()-100+n)
	if err != nil {
		b.Fatal(err)
	}
	tm, err := LoadImplicit(dir)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		c := tm.Model.Config()
		unknowns := c.Width
		for _, g := range sub.Inputs.Shape[1:] {
			unknowns *= g + c.Padding
		}
		fmt.Printf("trained implicit FNO %s, %d samples %v, %d unknowns per sample, to ‖f(z) − z‖₂ ≤ 1e-8 from z = 0\n", dir, n, sub.Inputs.Shape[1:], unknowns)
		fmt.Printf("%-14s %10s %10s %12s %10s %10s %s\n", "solver", "iterations", "f/JVP", "max residual", "wall/smp", "CPU/smp", "converged")
		for _, s := range []implicit.Settings{
			{Solver: implicit.NewtonKrylov},
			{Solver: implicit.Broyden, MaxIterations: 2000},
			{Solver: implicit.Anderson, MaxIterations: 2000},
			{Solver: implicit.FixedPoint, MaxIterations: 5000},
			{Solver: implicit.Homotopy},
		} {
			s.AbsTol, s.OnFailure = 1e-8, implicit.Flag
			if err := tm.Model.SetSolver(&s); err != nil {
				b.Fatal(err)
			}
			c0, w0 := cputime.Process(), time.Now()
			if _, err := tm.Evaluate(sub); err != nil {
				b.Fatal(err)
			}
			wall, cpu := time.Since(w0), cputime.Process()-c0
			r := tm.Model.Layer().Report()
			var evals, conv int
			for _, st := range r.Forward {
				evals += st.Evals
				if st.Converged {
					conv++
				}
			}
			fmt.Printf("%-14v %10.1f %10.1f %12.2e %10s %10s %d/%d\n", s.Solver, r.MeanIterations(), float64(evals)/float64(n), r.MaxResidual(),
				(wall / time.Duration(n)).Round(time.Millisecond), (cpu / time.Duration(n)).Round(time.Millisecond), conv, n)
		}
	}
}
