package main

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"time"

	"github.com/neuralpde/neuralpde/data"
	"github.com/neuralpde/neuralpde/deeponet"
	"github.com/neuralpde/neuralpde/fno"
	"github.com/neuralpde/neuralpde/nsm"
	"github.com/neuralpde/neuralpde/pinn"
	"github.com/neuralpde/neuralpde/train"
	"github.com/spf13/cobra"
)

type evalFlags struct {
	checkpoint string
	data       string
	res        int
	reference  string
	out        string
}

func newEvalCmd() *cobra.Command {
	f := new(evalFlags)
	cmd := &cobra.Command{
		Use:   "eval --checkpoint DIR [--data G.npz] [--res R] [--out P.npz]",
		Short: "Evaluate a trained model: relative L2 error and predictions",
		Long: `Evaluate the model trained into DIR by neuralpde train; the model family is read
from its checkpoint.

  pinn      on its preset's standard grid against the exact solution or a
            classical solve; --out writes x, t, u (time first) as neuralpde
            solve does
  deeponet  on the dataset --data; --out writes the predictions as array u
  fno       on the dataset --data, at its own resolution or subsampled to
            --res points per axis (zero-shot super-resolution when that is
            finer than the training grid); --out writes the predictions as u
  nsm       on 16 held-out inputs of its problem against the problem's
            classical solver, on a --res × --res grid (default 64)`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error { return runEval(cmd, f) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.checkpoint, "checkpoint", "", "directory written by neuralpde train")
	fl.StringVar(&f.data, "data", "", "dataset (.npz) for deeponet and fno")
	fl.IntVar(&f.res, "res", 0, "fno: points per axis to evaluate at (0: the dataset's); nsm: output grid (0: 64)")
	fl.StringVar(&f.reference, "reference", "", "pinn: reference solution file overriding the configured one")
	fl.StringVarP(&f.out, "out", "o", "", "write the predictions to this .npz file")
	return cmd
}

// checkpointKind returns the model kind recorded in dir's checkpoint.
func checkpointKind(dir string) (string, error) {
	path := dir
	if filepath.Ext(dir) != ".npz" {
		path = filepath.Join(dir, train.CheckpointFile)
	}
	if _, err := os.Stat(path); err != nil {
		return "", usagef("--checkpoint %s: no checkpoint there (%v); pass a directory written by neuralpde train", dir, err)
	}
	ck, err := train.ReadCheckpoint(path)
	if err != nil {
		return "", err
	}
	return ck.Kind, nil
}

func runEval(cmd *cobra.Command, f *evalFlags) error {
	stdout := cmd.OutOrStdout()
	if f.checkpoint == "" {
		return usagef("eval needs --checkpoint DIR")
	}
	if f.res < 0 {
		return usagef("--res must not be negative")
	}
	kind, err := checkpointKind(f.checkpoint)
	if err != nil {
		return err
	}
	if kind == pinn.CheckpointKind {
		if f.data != "" || f.res != 0 {
			return usagef("a PINN is evaluated on its preset's grid; --data and --res are for deeponet and fno")
		}
		ev, err := pinn.Evaluate(f.checkpoint, f.reference)
		if err != nil {
			return err
		}
		if math.IsNaN(ev.RelL2) {
			fmt.Fprintf(stdout, "pinn %s: no reference solution to compare with", ev.Config.Preset)
		} else {
			fmt.Fprintf(stdout, "pinn %s: relative L2 %.4g on the standard grid", ev.Config.Preset, ev.RelL2)
		}
		for name, v := range ev.Coefficients {
			fmt.Fprintf(stdout, ", %s = %.6g", name, v)
		}
		fmt.Fprintln(stdout)
		if f.out != "" {
			if err := ev.WriteNPZ(f.out); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "wrote %s\n", f.out)
		}
		return nil
	}
	if f.reference != "" {
		return usagef("--reference is for pinn checkpoints")
	}
	if kind == "nsm" {
		if f.data != "" {
			return usagef("an nsm model is evaluated on held-out inputs of its own problem; --data is for deeponet and fno")
		}
		n := f.res
		if n == 0 {
			n = 64
		}
		ev, err := nsm.Evaluate(f.checkpoint, nsmSamples, n)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "nsm: relative L2 %.4g over %d held-out inputs on a %d×%d grid; %s per sample (the classical reference %s)\n",
			ev.RelL2, nsmSamples, n, n, ev.Inference.Round(time.Microsecond), ev.Reference.Round(time.Microsecond))
		if f.out != "" {
			meta := map[string]any{"model": kind, "checkpoint": f.checkpoint}
			shape := append([]int{nsmSamples}, ev.Shape...)
			if err := data.WriteNPZ(f.out, map[string]data.Array{"u": data.NewArray(ev.Predictions, shape...)}, meta); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "wrote %s (u: %v)\n", f.out, shape)
		}
		return nil
	}
	if f.data == "" {
		return usagef("a %s model is evaluated on a dataset: pass --data G.npz", kind)
	}
	ds, err := loadDataset(cmd.OutOrStdout(), f.data)
	if err != nil {
		return err
	}
	var (
		pred    data.Array
		summary string
	)
	switch kind {
	case "deeponet":
		if f.res != 0 {
			return usagef("--res is for fno; a DeepONet answers at the dataset's query points")
		}
		ev, err := deeponet.Evaluate(f.checkpoint, flattenInputs(ds))
		if err != nil {
			return err
		}
		pred = ev.Predictions
		summary = fmt.Sprintf("deeponet: MSE %.4g, relative L2 %.4g over %d functions, %s for all predictions",
			ev.MSE, ev.RelL2, ds.Len(), ev.Elapsed.Round(time.Microsecond))
	case "fno":
		ev, err := fno.Evaluate(f.checkpoint, ds, f.res)
		if err != nil {
			return err
		}
		pred = ev.Predictions
		grid := ""
		if ev.UniformGrid {
			grid = " (no coordinates in the data: a uniform grid on the unit interval or square)"
		}
		summary = fmt.Sprintf("fno: relative L2 %.4g over %d samples on a %v grid%s, %s for all predictions",
			ev.RelL2, ds.Len(), ev.Grid, grid, ev.Elapsed.Round(time.Microsecond))
	case "fno-implicit":
		if f.res != 0 {
			return usagef("--res is not supported for an implicit FNO; pass a dataset at the resolution you want")
		}
		ev, err := fno.EvaluateImplicit(f.checkpoint, ds)
		if err != nil {
			return err
		}
		pred = ev.Predictions
		summary = fmt.Sprintf("fno-implicit: relative L2 %.4g over %d samples on a %v grid, %s for all predictions",
			ev.RelL2, ds.Len(), ev.Grid, ev.Elapsed.Round(time.Microsecond))
	default:
		return fmt.Errorf("%s holds a %q checkpoint, which eval does not know", f.checkpoint, kind)
	}
	fmt.Fprintln(stdout, summary)
	if f.out != "" {
		meta := map[string]any{"model": kind, "checkpoint": f.checkpoint, "data": f.data}
		if err := data.WriteNPZ(f.out, map[string]data.Array{"u": pred}, meta); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "wrote %s (u: %v)\n", f.out, pred.Shape)
	}
	return nil
}

// nsmSamples is the number of held-out inputs eval and compare draw for an
// nsm model.
const nsmSamples = 16
