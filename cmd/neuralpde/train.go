package main

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/neuralpde/neuralpde/data"
	"github.com/neuralpde/neuralpde/deeponet"
	"github.com/neuralpde/neuralpde/fno"
	"github.com/neuralpde/neuralpde/nsm"
	"github.com/neuralpde/neuralpde/pinn"
	"github.com/neuralpde/neuralpde/plots"
	"github.com/neuralpde/neuralpde/serve"
	"github.com/neuralpde/neuralpde/train"
	"github.com/spf13/cobra"
	"gopkg.in/yaml.v3"
)

// trainModels are the model families `train` accepts.
var trainModels = []string{"pinn", "deeponet", "fno", "fno-implicit", "nsm"}

type trainFlags struct {
	model  string
	preset string
	data   string
	config string
	out    string
	quiet  bool

	precondition string
	spectrum     int
	init         string
}

func newTrainCmd() *cobra.Command {
	f := new(trainFlags)
	cmd := &cobra.Command{
		Use:   "train --model M (--preset P | --data F.npz) [--config F.yaml] [--init DIR] --out DIR",
		Short: "Train a PINN or an NSM on a preset, a DeepONet or an FNO on a dataset",
		Long: `Train a model and write DIR/checkpoint.npz (parameters, optimizer state,
configuration), DIR/metrics.jsonl (one JSON object per logged step) and the
model's own files (prediction.npz and prediction.png for a PINN, model.json for
the operator models).

  --model pinn --preset P        a physics-informed network for preset P
  --model deeponet --data F.npz  a DeepONet on a dataset from neuralpde generate
  --model fno --data F.npz       a Fourier neural operator on such a dataset
  --model fno-implicit --data F.npz
                                 an implicit FNO: one weight-tied Fourier block
                                 solved to equilibrium (solver: newton-krylov,
                                 broyden, anderson, fixed-point, homotopy)
  --model nsm --preset P         a neural spectral method, physics-informed in
                                 coefficient space, on its own problem P
                                 (poisson-periodic-grf, reaction-diffusion-nu0.01,
                                 navier-stokes-nu0.001)

--config F.yaml overrides fields of the model's default configuration (its
keys are the config struct's yaml tags; see the package documentation of pinn,
deeponet, fno and nsm). Its optimizer key (pinn: each stage's) names any
optimizer of the shared suite (neuralpde list): adam, lbfgs, lm, shampoo,
muon, ... Ctrl-C stops training after writing the checkpoint.

--init DIR (--model fno, or init: DIR in the config) starts from the FNO
trained into DIR by an earlier train, its weights and normalisers, instead
of a random model, and trains it on --data at the data's own resolution:
train at a coarse grid for many epochs, then fine-tune at the fine grid for
a few (FNO weights do not depend on the grid). The architecture (width,
modes, layers, proj_width, padding, history) is DIR's: leave it out of the
config, or give the same values. The padding scales with the grid, as in
eval; the optimizer and the learning-rate schedule start afresh from the
config's epochs, learning_rate and decay_every.`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error { return runTrain(cmd, f) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.model, "model", "", "model family: pinn, deeponet, fno, fno-implicit or nsm")
	fl.StringVar(&f.preset, "preset", "", "preset to train a PINN on (see neuralpde list), or an nsm problem")
	fl.StringVar(&f.data, "data", "", "dataset (.npz) for deeponet and fno")
	fl.StringVar(&f.config, "config", "", "YAML file overriding the default configuration")
	fl.StringVarP(&f.out, "out", "o", "", "output directory")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "no progress on stderr")
	fl.StringVar(&f.precondition, "precondition", "", "pinn: preconditioner for the adam and gd stages: "+strings.Join(train.PreconditionerNames, ", "))
	fl.IntVar(&f.spectrum, "spectrum", 0, "pinn: print the extreme eigenvalues of JᵀJ (with and without the preconditioner) every N steps")
	fl.StringVar(&f.init, "init", "", "fno: start from the model trained into `DIR` (fine-tune it on --data at the data's resolution)")
	return cmd
}

// savePINNPicture draws reference | prediction | |error| on the preset's
// standard grid, or the prediction alone when no reference is known.
func savePINNPicture(path string, ev *pinn.Evaluation) error {
	if ev == nil {
		return nil
	}
	x, y, ref, pred, xl, yl := ev.Fields()
	if ref == nil {
		return plots.SaveFields(path, plots.Field{X: x, Y: y, Z: pred, Title: "prediction", XLabel: xl, YLabel: yl})
	}
	panels, err := plots.Comparison(x, y, ref, pred, xl, yl)
	if err != nil {
		return err
	}
	return plots.SaveFields(path, panels...)
}

// loadDataset reads a dataset written by neuralpde or, failing that, a
// .npz from another tool holding just the arrays a (inputs) and u (outputs),
// which models read on a uniform grid (a line on w says so).
func loadDataset(w io.Writer, path string) (*data.Dataset, error) {
	ds, err := data.Load(path)
	if err == nil {
		return ds, nil
	}
	ext, errExt := data.LoadExternal(path)
	if errExt != nil {
		return nil, fmt.Errorf("%v; nor is it a dataset of two arrays a and u: %v", err, errExt)
	}
	fmt.Fprintf(w, "%s: arrays a %v and u %v from another tool, on a uniform grid over the unit interval or square\n", path, ext.Inputs.Shape, ext.Outputs.Shape)
	return ext, nil
}

// overlayYAML decodes the YAML file at path onto cfg, so the file names only
// the fields it changes. Unknown keys are an error.
func overlayYAML(path string, cfg any) error {
	if path == "" {
		return nil
	}
	fh, err := os.Open(path)
	if err != nil {
		return usageError{err}
	}
	defer fh.Close()
	dec := yaml.NewDecoder(fh)
	dec.KnownFields(true)
	if err := dec.Decode(cfg); err != nil && !errors.Is(err, io.EOF) {
		return usagef("--config %s: %v", path, err)
	}
	return nil
}

func runTrain(cmd *cobra.Command, f *trainFlags) error {
	stdout := cmd.OutOrStdout()
	var progress io.Writer
	if !f.quiet {
		progress = cmd.ErrOrStderr()
	}
	if f.out == "" {
		return usagef("train needs --out DIR")
	}
	if f.model != "pinn" && (f.precondition != "" || f.spectrum != 0) {
		return usagef("--precondition and --spectrum are for --model pinn (nsm takes precondition: in its --config)")
	}
	if f.model != "fno" && f.init != "" {
		return usagef("--init is for --model fno (to fine-tune an FNO trained by an earlier train)")
	}
	switch f.model {
	case "pinn":
		if f.data != "" {
			return usagef("--model pinn trains on a preset (--preset), not on --data")
		}
		if f.preset == "" {
			return usagef("--model pinn needs --preset (see neuralpde list)")
		}
		cfg, err := pinn.DefaultConfig(f.preset)
		if err != nil {
			return usageError{err}
		}
		if err := overlayYAML(f.config, cfg); err != nil {
			return err
		}
		if err := applyPreconditionFlags(cfg, f); err != nil {
			return err
		}
		res, err := pinn.Train(cmd.Context(), cfg, f.out, progress)
		if err != nil {
			return err
		}
		if err := savePINNPicture(filepath.Join(f.out, "prediction.png"), res.Evaluation); err != nil {
			return err
		}
		card := &serve.Card{Kind: pinn.CheckpointKind, Preset: f.preset, TrainSeconds: res.Seconds, TestRelL2: finite(res.RelL2)}
		if err := writeCard(f.out, card); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "pinn %s: %d steps in %s, relative L2 %.3g on the standard grid", f.preset, res.Steps,
			(time.Duration(res.Seconds * float64(time.Second))).Round(time.Millisecond), res.RelL2)
		for name, v := range res.Coefficients {
			fmt.Fprintf(stdout, ", %s = %.6g", name, v)
		}
		fmt.Fprintf(stdout, "; wrote %s\n", f.out)
		return nil
	case "nsm":
		if f.data != "" {
			return usagef("--model nsm trains physics-informed on its own problem (--preset), not on --data")
		}
		if f.preset == "" {
			return usagef("--model nsm needs --preset: poisson-periodic-grf, reaction-diffusion-nu<ν> or navier-stokes-nu<ν>")
		}
		p, err := nsm.NewProblem(f.preset)
		if err != nil {
			return usageError{err}
		}
		cfg := nsm.DefaultConfig(p)
		if err := overlayYAML(f.config, cfg); err != nil {
			return err
		}
		start := time.Now()
		res, err := nsm.Train(cmd.Context(), cfg, p, f.out, progress)
		if err != nil {
			return err
		}
		card := &serve.Card{Kind: "nsm", Preset: p.Name(), TrainSeconds: time.Since(start).Seconds(), TestRelL2: finite(res.TestRelL2)}
		if err := writeCard(f.out, card); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "nsm %s: test relative L2 %.3g, %s per step; wrote %s\n", p.Name(), res.TestRelL2, res.StepTime.Round(time.Microsecond), f.out)
		return nil
	case "deeponet", "fno", "fno-implicit":
		if f.preset != "" {
			return usagef("--model %s trains on a dataset (--data from neuralpde generate), not on --preset", f.model)
		}
		if f.data == "" {
			return usagef("--model %s needs --data F.npz (make one with neuralpde generate)", f.model)
		}
		ds, err := loadDataset(cmd.OutOrStdout(), f.data)
		if err != nil {
			return err
		}
		card := serve.NewCard(f.model, f.data, ds)
		start := time.Now()
		if f.model == "deeponet" {
			cfg := deeponet.DefaultConfig()
			if err := overlayYAML(f.config, cfg); err != nil {
				return err
			}
			res, err := deeponet.Train(cmd.Context(), cfg, flattenInputs(ds), f.out, progress)
			if err != nil {
				return err
			}
			card.TrainSeconds = time.Since(start).Seconds()
			card.TestRelL2 = finite(res.ValRelL2)
			if err := writeCard(f.out, card); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "deeponet: train MSE %.3g, validation MSE %.3g, validation relative L2 %.3g, %s per step; wrote %s\n",
				res.TrainMSE, res.ValMSE, res.ValRelL2, res.StepTime.Round(time.Microsecond), f.out)
			return nil
		}
		var (
			trainRel, testRel float64
			epoch             time.Duration
			extra             string
			recurrent         bool
		)
		if f.model == "fno-implicit" {
			cfg := fno.DefaultImplicitConfig()
			if err := overlayYAML(f.config, cfg); err != nil {
				return err
			}
			res, err := fno.TrainImplicit(cmd.Context(), cfg, ds, f.out, progress)
			if err != nil {
				return err
			}
			trainRel, testRel, epoch = res.TrainRelL2, res.TestRelL2, res.EpochTime
			extra = fmt.Sprintf(", %d solves (%d missed their tolerance, %d backward)", res.Solves, res.Failures, res.BackwardFailures)
		} else {
			// Zero fields mean fno.DefaultConfig's values, or, under
			// init, the architecture of the model started from.
			cfg := &fno.Config{}
			if err := overlayYAML(f.config, cfg); err != nil {
				return err
			}
			if f.init != "" {
				cfg.Init = f.init
			}
			res, err := fno.Train(cmd.Context(), cfg, ds, f.out, progress)
			if err != nil {
				return err
			}
			trainRel, testRel, epoch = res.TrainRelL2, res.TestRelL2, res.EpochTime
			recurrent = res.Trained.Recurrent
			if cfg.Init != "" {
				extra = ", started from " + cfg.Init
			}
			if res.UniformGrid {
				extra += " (no coordinates in the data: a uniform grid on the unit interval or square)"
			}
		}
		card.TrainSeconds = time.Since(start).Seconds()
		card.TrainRelL2, card.TestRelL2 = finite(trainRel), finite(testRel)
		if err := writeCard(f.out, card); err != nil {
			return err
		}
		// A recurrent FNO is measured by its rollout on the held-out
		// series only; a run without test samples has no test error.
		var errs []string
		if !math.IsNaN(trainRel) {
			errs = append(errs, fmt.Sprintf("train relative L2 %.3g", trainRel))
		}
		switch {
		case math.IsNaN(testRel):
			errs = append(errs, "no test samples")
		case recurrent:
			errs = append(errs, fmt.Sprintf("test rollout relative L2 %.3g", testRel))
		default:
			errs = append(errs, fmt.Sprintf("test relative L2 %.3g", testRel))
		}
		fmt.Fprintf(stdout, "%s: %s, %s per epoch%s; wrote %s\n",
			f.model, strings.Join(errs, ", "), epoch.Round(time.Millisecond), extra, f.out)
		return nil
	case "":
		return usagef("train needs --model (one of %v)", trainModels)
	}
	return usagef("unknown model %q (known models: %v)", f.model, trainModels)
}

// finite returns a pointer to v, or nil when v is NaN or infinite (not
// measured).
func finite(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

// writeCard completes card with the parameter count of the checkpoint in
// dir and writes it there, for serve, predict and compare.
func writeCard(dir string, card *serve.Card) error {
	if stored, err := serve.ReadCard(dir); err == nil {
		card.Params = stored.Params
	}
	return serve.WriteCard(dir, card)
}

// flattenInputs returns ds with every input field flattened to one axis
// (n, s1·s2), as a DeepONet's branch reads a 2-D field at its sensors.
func flattenInputs(ds *data.Dataset) *data.Dataset {
	if len(ds.Inputs.Shape) <= 2 {
		return ds
	}
	flat := *ds
	flat.Inputs = data.NewArray(ds.Inputs.Data, ds.Len(), ds.InputLen())
	return &flat
}

// applyPreconditionFlags puts --precondition on every first-order stage of
// a PINN configuration (the others need the exact gradient) and
// --spectrum into its SpectrumEvery.
func applyPreconditionFlags(cfg *pinn.Config, f *trainFlags) error {
	if f.spectrum < 0 {
		return usagef("--spectrum %d: give a positive number of steps", f.spectrum)
	}
	if f.spectrum > 0 {
		cfg.SpectrumEvery = f.spectrum
	}
	if f.precondition == "" {
		return nil
	}
	if !slices.Contains(train.PreconditionerNames, f.precondition) {
		return usagef("--precondition %q: use one of %s", f.precondition, strings.Join(train.PreconditionerNames, ", "))
	}
	n := 0
	for i := range cfg.Stages {
		if st := &cfg.Stages[i]; st.Optimizer == "adam" || st.Optimizer == "gd" {
			st.Precondition = f.precondition
			n++
		}
	}
	if n == 0 {
		return usagef("--precondition applies to adam and gd stages, and this configuration has none")
	}
	return nil
}
