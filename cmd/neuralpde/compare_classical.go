package main

import (
	"context"
	"fmt"
	"time"

	"github.com/neuralpde/neuralpde/classical"
	"github.com/neuralpde/neuralpde/data"
	"github.com/neuralpde/neuralpde/internal/report"
	"github.com/neuralpde/neuralpde/pde"
	"github.com/neuralpde/neuralpde/pinn"
)

// classicalRun is one setting of the classical solver on the held-out
// inputs.
type classicalRun struct {
	run report.Run
}

// timedSolve runs solve on every sample twice and returns the outputs and
// the faster of the two times of the first sample and of all (the first
// pass warms the caches; the machine is shared, so the minimum is the
// steadier measure).
func timedSolve(ctx context.Context, s data.Solver, in []float64, n int) (out []float64, single, all time.Duration, err error) {
	out, single, all, err = solveOnce(ctx, s, in, n)
	if err != nil {
		return nil, 0, 0, err
	}
	_, single2, all2, err := solveOnce(ctx, s, in, n)
	if err != nil {
		return nil, 0, 0, err
	}
	return out, min(single, single2), min(all, all2), nil
}

func solveOnce(ctx context.Context, s data.Solver, in []float64, n int) (out []float64, single, all time.Duration, err error) {
	p, q := len(in)/n, 1
	for _, v := range s.OutputShape() {
		q *= v
	}
	out = make([]float64, n*q)
	start := time.Now()
	for i := range n {
		if err := ctx.Err(); err != nil {
			return nil, 0, 0, err
		}
		if err := s.Solve(out[i*q:(i+1)*q], in[i*p:(i+1)*p]); err != nil {
			return nil, 0, 0, err
		}
		if i == 0 {
			single = time.Since(start)
		}
	}
	return out, single, time.Since(start), nil
}

// runClassical solves the held-out inputs with the classical solver at
// several settings, from coarse to fine, and measures each against the
// dataset's outputs.
func runClassical(ctx context.Context, b *bench, tiny bool) ([]classicalRun, error) {
	if b.dims == 1 {
		return burgersClassical(ctx, b, tiny)
	}
	return darcyClassical(ctx, b, tiny)
}

// burgersClassical runs the ETDRK4 Fourier solver with fewer modes and
// larger steps than the reference's, answering on the data's grid.
func burgersClassical(ctx context.Context, b *bench, tiny bool) ([]classicalRun, error) {
	p, err := pde.Lookup(b.preset)
	if err != nil {
		return nil, err
	}
	type setting struct {
		modes int
		dt    float64
	}
	// ν = 0.1 damps the high modes by t = 1, so even 32 modes are
	// accurate; the coarse end shows where the solver's error grows.
	settings := []setting{{8, 0.1}, {12, 0.05}, {16, 0.05}, {24, 0.02}, {32, 0.01}, {64, 0.01}, {128, 1e-3}, {512, 1e-3}}
	if tiny {
		settings = []setting{{8, 0.1}, {16, 0.05}, {64, 1e-3}}
	}
	n := b.full.Len()
	var runs []classicalRun
	for _, st := range settings {
		name := fmt.Sprintf("ETDRK4, %d modes, dt %g", st.modes, st.dt)
		s, err := classical.NewOperatorSolver(p, b.res, &classical.Config{Modes: st.modes, Dt: st.dt})
		if err != nil {
			return nil, err
		}
		out, single, all, err := timedSolve(ctx, s, b.full.Inputs.Data, n)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if err != nil {
			runs = append(runs, classicalRun{report.Run{Family: "classical", Setting: name, Note: fmt.Sprintf("failed: %v", err)}})
			continue
		}
		errs, err := report.Measure(out, b.full.Outputs.Data, b.grid(b.res))
		if err != nil {
			return nil, err
		}
		runs = append(runs, classicalRun{report.Run{Family: "classical", Setting: name, Applies: true, Errors: errs, HasH1: true,
			Single: single, Batch: all, Batched: n}})
	}
	return runs, nil
}

// darcyClassical runs the finite-volume Darcy solver on the data's grid,
// on every other point of it, and on the grid refined once (the
// coefficient held piecewise constant), at several tolerances; each is
// measured on the data's points it shares.
func darcyClassical(ctx context.Context, b *bench, tiny bool) ([]classicalRun, error) {
	p, err := pde.Lookup2D(b.preset)
	if err != nil {
		return nil, err
	}
	type setting struct {
		level int // −1 coarse, 0 the data's grid, 1 refined
		tol   float64
	}
	settings := []setting{{-1, 1e-8}, {0, 1e-2}, {0, 1e-4}, {0, 1e-8}, {1, 1e-8}}
	if tiny {
		settings = []setting{{-1, 1e-6}, {0, 1e-6}}
	}
	res, n := b.res, b.full.Len()
	var runs []classicalRun
	for _, st := range settings {
		in, m, ref, cmp := b.full.Inputs.Data, res, b.full.Outputs.Data, res
		switch st.level {
		case -1:
			if (res-1)%2 != 0 {
				continue
			}
			m = (res-1)/2 + 1
			in, ref, cmp = thin2D(in, n, res, 2), thin2D(ref, n, res, 2), m
		case 1:
			m = 2*res - 1
			in = refine2D(in, n, res)
		}
		s, err := classical.NewDarcy(p, m, &classical.Config2D{Tolerance: st.tol})
		if err != nil {
			return nil, err
		}
		out, single, all, err := timedSolve(ctx, s, in, n)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		name := fmt.Sprintf("finite volume + multigrid CG, %d², tol %g", m, st.tol)
		if err != nil {
			runs = append(runs, classicalRun{report.Run{Family: "classical", Setting: name, Note: fmt.Sprintf("failed: %v", err)}})
			continue
		}
		if st.level == 1 {
			out = thin2D(out, n, m, 2)
		}
		errs, err := report.Measure(out, ref, b.grid(cmp))
		if err != nil {
			return nil, err
		}
		run := report.Run{Family: "classical", Setting: name, Applies: true, Errors: errs, HasH1: true, Single: single, Batch: all, Batched: n}
		switch st.level {
		case -1:
			run.Note = "measured on every other point"
		case 1:
			run.Note = "coefficient refined piecewise constant; measured on the data's points"
		}
		runs = append(runs, classicalRun{run})
	}
	return runs, nil
}

// thin2D keeps every r-th point per axis of n fields of s×s.
func thin2D(f []float64, n, s, r int) []float64 {
	m := (s-1)/r + 1
	out := make([]float64, 0, n*m*m)
	for k := range n {
		for i := 0; i < s; i += r {
			for j := 0; j < s; j += r {
				out = append(out, f[k*s*s+i*s+j])
			}
		}
	}
	return out
}

// refine2D puts n fields of s×s vertices on the (2s−1)² grid of half the
// spacing, each new point taking the value of the vertex at or before it
// (a piecewise-constant coefficient stays piecewise constant).
func refine2D(f []float64, n, s int) []float64 {
	m := 2*s - 1
	out := make([]float64, n*m*m)
	for k := range n {
		for i := range m {
			for j := range m {
				out[k*m*m+i*m+j] = f[k*s*s+(i/2)*s+j/2]
			}
		}
	}
	return out
}

// classicalInstance solves an evolution preset with fixed initial data at
// several resolutions and measures each on the PINN's standard grid.
func classicalInstance(preset string, g *pinn.Grid, tiny bool) ([]report.Run, error) {
	p, err := pde.Lookup(preset)
	if err != nil || p.Initial == nil || g.Reference == nil {
		return []report.Run{{Family: "classical", Setting: preset, Note: "no fixed-initial-data evolution preset with a reference to compare on"}}, nil
	}
	modes := []int{64, 128, 256, 512, 1024}
	if tiny {
		modes = []int{64, 128}
	}
	var runs []report.Run
	for _, m := range modes {
		start := time.Now()
		sol, err := classical.SolvePreset(p, &classical.Config{Modes: m, NX: len(g.X), NT: len(g.T)})
		elapsed := time.Since(start)
		name := fmt.Sprintf("%s, %d modes", preset, m)
		if err != nil {
			runs = append(runs, report.Run{Family: "classical", Setting: name, Note: fmt.Sprintf("failed: %v", err)})
			continue
		}
		if len(sol.U) != len(g.Reference) {
			return nil, fmt.Errorf("compare: the classical solution of %s has %d values, the PINN's grid %d", preset, len(sol.U), len(g.Reference))
		}
		runs = append(runs, report.Run{Family: "classical", Setting: name, Applies: true,
			Errors: report.Errors{RelL2: g.RelL2(sol.U), MaxAbs: maxAbsDiff(sol.U, g.Reference), Samples: 1},
			Single: elapsed, Batch: elapsed, Batched: 1})
	}
	return runs, nil
}
