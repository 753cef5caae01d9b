package fno

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/neuralpde/neuralpde/data"
	"github.com/neuralpde/neuralpde/internal/cputime"
	"github.com/neuralpde/neuralpde/nn"
)

// BenchmarkImplicitDarcy is the comparison: the implicit FNO (one
// weight-tied block solved to equilibrium) against the explicit 4-layer
// FNO, same data, split, width, modes, padding, optimizer and epochs, on a
// Darcy dataset given by IMPLICIT_DARCY (a neuralpde .npz, e.g. from
// `neuralpde generate --preset darcy --res 141 --subsample 47`). It prints
// relative L2 errors, parameter counts, training wall and CPU time and
// inference time per sample. IMPLICIT_TRAIN, IMPLICIT_TEST and
// IMPLICIT_EPOCHS set the budget (defaults 200, 100, 10); IMPLICIT_SOLVER
// the forward solver (anderson); IMPLICIT_OUT, if set, keeps the two run
// directories (explicit/ and implicit/) there.
//
//	IMPLICIT_DARCY=/tmp/darcy_47.npz go test -run '^$' -bench ImplicitDarcy -benchtime 1x -timeout 3h ./fno/
func BenchmarkImplicitDarcy(b *testing.B) {
	path := os.Getenv("IMPLICIT_DARCY")
	if path == "" {
		b.Skip("set IMPLICIT_DARCY to a Darcy .npz")
	}
	ds, err := data.Load(path)
	if err != nil {
		b.Fatal(err)
	}
	ntrain, ntest, epochs := impEnvInt("IMPLICIT_TRAIN", 200), impEnvInt("IMPLICIT_TEST", 100), impEnvInt("IMPLICIT_EPOCHS", 10)
	test, err := ds.Slice(ds.Len()-ntest, ds.Len())
	if err != nil {
		b.Fatal(err)
	}
	base := Config{Width: 32, Modes: 12, Layers: 4, ProjWidth: 128, Padding: 5, Epochs: epochs, BatchSize: 20,
		LearningRate: 1e-3, DecayEvery: max(epochs/2, 1), DecayGamma: 0.5, Train: ntrain, Test: ntest, Seed: 1}
	out := os.Getenv("IMPLICIT_OUT")
	if out == "" {
		out = b.TempDir()
	}
	for b.Loop() {
		type row struct {
			name             string
			params           int
			trainRel, test   float64
			wall, cpu, epoch time.Duration
			infer, inferCPU  time.Duration
			note             string
		}
		var rows []row

		dir := filepath.Join(out, "explicit")
		cfg := base
		c0, w0 := cputime.Process(), time.Now()
		res, err := Train(context.Background(), &cfg, ds, dir, os.Stderr)
		if err != nil {
			b.Fatal(err)
		}
		r := row{name: "explicit FNO, 4 layers", params: nn.NumParams(res.Model.Params()), trainRel: res.TrainRelL2, test: res.TestRelL2,
			wall: time.Since(w0), cpu: cputime.Process() - c0, epoch: res.EpochTime}
		c0 = cputime.Process()
		ev, err := Evaluate(dir, test, 0)
		if err != nil {
			b.Fatal(err)
		}
		r.infer, r.inferCPU = ev.Elapsed/time.Duration(ntest), (cputime.Process()-c0)/time.Duration(ntest)
		rows = append(rows, r)

		dir = filepath.Join(out, "implicit")
		icfg := DefaultImplicitConfig()
		icfg.Config = base
		if s := os.Getenv("IMPLICIT_SOLVER"); s != "" {
			icfg.Solver = s
		}
		c0, w0 = cputime.Process(), time.Now()
		ires, err := TrainImplicit(context.Background(), icfg, ds, dir, os.Stderr)
		if err != nil {
			b.Fatal(err)
		}
		r = row{name: "implicit FNO (" + icfg.Solver + ")", params: nn.NumParams(ires.Model.Params()), trainRel: ires.TrainRelL2, test: ires.TestRelL2,
			wall: time.Since(w0), cpu: cputime.Process() - c0, epoch: ires.EpochTime,
			note: fmt.Sprintf("%d solves, %d flagged, %d backward flagged", ires.Solves, ires.Failures, ires.BackwardFailures)}
		tm, err := LoadImplicit(dir)
		if err != nil {
			b.Fatal(err)
		}
		c0 = cputime.Process()
		iev, err := tm.Evaluate(test)
		if err != nil {
			b.Fatal(err)
		}
		r.infer, r.inferCPU = iev.Elapsed/time.Duration(ntest), (cputime.Process()-c0)/time.Duration(ntest)
		rep := tm.Model.Layer().Report()
		r.note += fmt.Sprintf("; last test batch: %.1f iterations, max residual %.2g", rep.MeanIterations(), rep.MaxResidual())
		rows = append(rows, r)

		fmt.Printf("darcy %v, %d train / %d test, %d epochs, width %d, modes %d, padding %d\n", test.Inputs.Shape[1:], ntrain, ntest, epochs, base.Width, base.Modes, base.Padding)
		fmt.Printf("%-26s %9s %9s %9s %10s %10s %10s %12s %12s\n", "model", "params", "train L2", "test L2", "train wall", "train CPU", "epoch", "infer/sample", "infer CPU")
		for _, r := range rows {
			fmt.Printf("%-26s %9d %9.4f %9.4f %10s %10s %10s %12s %12s\n", r.name, r.params, r.trainRel, r.test,
				r.wall.Round(time.Second), r.cpu.Round(time.Second), r.epoch.Round(100*time.Millisecond), r.infer.Round(100*time.Microsecond), r.inferCPU.Round(100*time.Microsecond))
			if r.note != "" {
				fmt.Printf("    %s\n", r.note)
			}
		}
	}
}

// impEnvInt returns the integer in environment variable name, or def.
func impEnvInt(name string, def int) int {
	var v int
	if _, err := fmt.Sscan(os.Getenv(name), &v); err != nil || v <= 0 {
		return def
	}
	return v
}
