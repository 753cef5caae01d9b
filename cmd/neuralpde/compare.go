package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/neuralpde/neuralpde/data"
	"github.com/neuralpde/neuralpde/deeponet"
	"github.com/neuralpde/neuralpde/fno"
	"github.com/neuralpde/neuralpde/internal/report"
	"github.com/neuralpde/neuralpde/nsm"
	"github.com/neuralpde/neuralpde/pinn"
	"github.com/neuralpde/neuralpde/plots"
	"github.com/neuralpde/neuralpde/serve"
	"github.com/neuralpde/neuralpde/train"
	"github.com/spf13/cobra"
)

// compareModels are the families compare knows, in table order.
var compareModels = []string{"fno", "fno-implicit", "deeponet", "pinn", "nsm"}

// trainedHere are the families compare trains on the dataset when no
// checkpoint is given.
var trainedHere = []string{"fno", "fno-implicit", "deeponet"}

type compareFlags struct {
	preset      string
	models      []string
	data        string
	checkpoints []string
	budget      time.Duration
	trainRes    int
	test        int
	n           int
	out         string
	config      string
	quiet       bool
	tiny        bool
}

func newCompareCmd(e *env) *cobra.Command {
	f := new(compareFlags)
	cmd := &cobra.Command{
		Use:   "compare --preset P [--models fno,deeponet,pinn,nsm] [--data F.npz] [--checkpoints DIR,...] [--budget 10m] --out DIR",
		Short: "Neural models against the classical solver on held-out inputs: tables, plots, report.html",
		Long: `Compare neural surrogates with the classical solver on the same held-out
inputs of an operator-learning preset (burgers-periodic, darcy):

  - the classical solver at several resolutions and tolerances, tracing its
    error against wall time;
  - each model of --models (fno, fno-implicit, deeponet, pinn, nsm) from
    --checkpoints (the kind is read from each checkpoint) or from
    DIR/<model> of an earlier run, else (fno, fno-implicit, deeponet) trained here on
    the leading samples at --train-res points per axis within --budget
    (its configuration is DIR/<model>.yaml, written on first use to edit);
    evaluated on the last --test samples at the training resolution and at
    the data's full resolution (zero-shot super-resolution);
  - DIR/compare.md, .csv and .json: relative L2, maximum and relative H1
    errors, time per sample alone and in a batch, training time, parameter
    count, speed-up against the classical run of closest error;
  - pictures (PNG and SVG): reference vs prediction vs error, error against
    wall time, training curves, energy spectra; and DIR/report.html, one
    self-contained file.

Without --data a small dataset is generated into DIR. A family that does not
apply (a PINN solves one instance, not the operator) gets a row saying why;
a PINN checkpoint in --checkpoints is compared with the classical solver on
its own preset in a second table.`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error { return runCompare(cmd, e, f) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.preset, "preset", "", "operator-learning preset: burgers-periodic or darcy")
	fl.StringSliceVar(&f.models, "models", []string{"fno", "deeponet", "pinn", "nsm"}, "model families to compare (also fno-implicit)")
	fl.StringVar(&f.data, "data", "", "dataset (.npz from neuralpde generate); empty generates a small one into --out")
	fl.StringSliceVar(&f.checkpoints, "checkpoints", nil, "run directories of trained models (from neuralpde train)")
	fl.DurationVar(&f.budget, "budget", 10*time.Minute, "wall time for all the models trained here together")
	fl.IntVar(&f.trainRes, "train-res", 0, "points per axis the models train on (0: a quarter of the data's points in 1-D, half in 2-D)")
	fl.IntVar(&f.test, "test", 0, "held-out samples, the last of the data (0: 50, or a fifth of the data if fewer)")
	fl.IntVar(&f.n, "n", 0, "samples to generate without --data (0: 250)")
	fl.StringVarP(&f.out, "out", "o", "", "output directory")
	fl.StringVar(&f.config, "config", "", "YAML file of these settings (neuralpde config print --command compare)")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "no progress on stderr")
	fl.BoolVar(&f.tiny, "tiny", false, "tiny data and models (tests)")
	fl.MarkHidden("tiny")
	return cmd
}

// bench is the problem a compare run works on.
type bench struct {
	preset   string
	dims     int
	periodic bool
	full     *data.Dataset // held-out samples at the data's resolution
	res      int           // the data's points per axis
	trainRes int
	stride   int // full → training resolution
	spacing  float64
}

// grid returns the report grid of fields at n points per axis.
func (b *bench) grid(n int) report.Grid {
	g := report.Grid{Periodic: b.periodic}
	h := b.spacing * float64(b.res) / float64(n)
	if !b.periodic {
		h = b.spacing * float64(b.res-1) / float64(n-1)
	}
	for range b.dims {
		g.Shape, g.Spacing = append(g.Shape, n), append(g.Spacing, h)
	}
	return g
}

// at returns the held-out samples at stride r.
func (b *bench) at(r int) (*data.Dataset, error) {
	if r == 1 {
		return b.full, nil
	}
	return b.full.Subsample(r)
}

// Default training configurations compare writes as DIR/<model>.yaml: short
// versions of the models' recorded set-ups, sized for a few minutes on two
// cores (the budget cuts them shorter).
var compareConfigs = map[string]map[string]string{
	"burgers-periodic": {
		"fno":          "# FNO-1D (Li et al. 2021) at reduced width and epochs.\nwidth: 32\nmodes: 16\nlayers: 4\nepochs: 15\nbatch_size: 20\nlearning_rate: 0.002\ndecay_every: 5\ndecay_gamma: 0.5\n",
		"fno-implicit": "# Implicit FNO: one weight-tied Fourier block solved to equilibrium by Anderson acceleration.\nwidth: 32\nmodes: 16\nepochs: 15\nbatch_size: 20\nlearning_rate: 0.002\ndecay_every: 5\ndecay_gamma: 0.5\nsolver: anderson\n",
		"deeponet":     "# DeepONet (Lu et al. 2021) with relative-L2 loss, the burgers-periodic set-up at fewer steps.\nbranch: [64, 64]\ntrunk: [64, 64]\nbasis: 64\nloss: rel-l2\nbatch_size: 50\nsteps: 6000\nlearning_rate: 0.001\ndecay_rate: 0.5\ndecay_steps: 2000\neval_every: 500\n",
	},
	"darcy": {
		"fno":          "# FNO-2D (Li et al. 2021) at reduced width, modes and epochs.\nwidth: 16\nmodes: 8\nlayers: 4\nproj_width: 64\nepochs: 15\nbatch_size: 10\nlearning_rate: 0.002\ndecay_every: 5\ndecay_gamma: 0.5\n",
		"fno-implicit": "# Implicit FNO: one weight-tied Fourier block solved to equilibrium by Anderson acceleration.\nwidth: 16\nmodes: 8\nproj_width: 64\nepochs: 15\nbatch_size: 10\nlearning_rate: 0.002\ndecay_every: 5\ndecay_gamma: 0.5\nsolver: anderson\n",
		"deeponet":     "# DeepONet (Lu et al. 2021) on the flattened coefficient, relative-L2 loss.\nbranch: [128, 128]\ntrunk: [128, 128]\nbasis: 128\nloss: rel-l2\nbatch_size: 20\nsteps: 4000\nlearning_rate: 0.001\ndecay_rate: 0.5\ndecay_steps: 1000\neval_every: 500\n",
	},
}

var tinyConfigs = map[string]string{
	"fno":          "width: 8\nmodes: 4\nlayers: 2\nproj_width: 16\nepochs: 2\nbatch_size: 5\n",
	"fno-implicit": "width: 8\nmodes: 4\nproj_width: 16\nepochs: 2\nbatch_size: 5\nsolver: anderson\n",
	"deeponet":     "branch: [16]\ntrunk: [16]\nbasis: 16\nloss: rel-l2\nbatch_size: 5\nsteps: 30\neval_every: 10\n",
}

func runCompare(cmd *cobra.Command, e *env, f *compareFlags) error {
	if err := applyConfigFile(cmd, f.config); err != nil {
		return err
	}
	stdout := cmd.OutOrStdout()
	if f.out == "" {
		return usagef("compare needs --out DIR")
	}
	if _, ok := compareConfigs[f.preset]; !ok {
		return usagef("compare takes --preset burgers-periodic or darcy, not %q", f.preset)
	}
	for _, m := range f.models {
		if !slices.Contains(compareModels, m) {
			return usagef("unknown model %q in --models (known: %v)", m, compareModels)
		}
	}
	if f.budget <= 0 || f.test < 0 || f.n < 0 || f.trainRes < 0 {
		return usagef("--budget must be positive; --test, --n and --train-res must not be negative")
	}
	if err := os.MkdirAll(f.out, 0o755); err != nil {
		return err
	}
	path := func(name string) string { return filepath.Join(f.out, name) }
	start := time.Now()

	ds, dataPath, err := compareData(cmd, e, f)
	if err != nil {
		return err
	}
	b, trainSet, err := newBench(f, ds)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "compare %s: %d held-out samples on %d points per axis, models at %d points (%s)\n",
		b.preset, b.full.Len(), b.res, b.trainRes, dataPath)

	// Model run directories: given, from an earlier run, or trained here.
	dirs := map[string]string{}
	var pinnDirs, nsmDirs []string
	for _, dir := range f.checkpoints {
		kind, err := checkpointKind(dir)
		if err != nil {
			return err
		}
		switch kind {
		case pinn.CheckpointKind:
			pinnDirs = append(pinnDirs, dir)
		case "nsm":
			nsmDirs = append(nsmDirs, dir)
		default:
			dirs[kind] = dir
		}
	}
	var toTrain []string
	for _, m := range f.models {
		if !slices.Contains(trainedHere, m) || dirs[m] != "" {
			continue
		}
		if _, err := os.Stat(filepath.Join(path(m), train.CheckpointFile)); err == nil {
			fmt.Fprintf(stdout, "%s: reusing %s (delete it to retrain)\n", m, path(m))
			dirs[m] = path(m)
			continue
		}
		toTrain = append(toTrain, m)
	}
	if len(toTrain) > 0 {
		trainPath := path(fmt.Sprintf("train-%d.npz", b.trainRes))
		if _, err := os.Stat(trainPath); err != nil {
			if err := trainSet.Save(trainPath); err != nil {
				return err
			}
		}
		share := f.budget / time.Duration(len(toTrain))
		for _, m := range toTrain {
			cfgPath := path(m + ".yaml")
			if _, err := os.Stat(cfgPath); err != nil {
				text := compareConfigs[b.preset][m]
				if f.tiny {
					text = tinyConfigs[m]
				}
				if err := os.WriteFile(cfgPath, []byte(text), 0o644); err != nil {
					return err
				}
			}
			fmt.Fprintf(stdout, "%s: training on %s (%s) for at most %s (%s elapsed)\n", m, trainPath, cfgPath, share.Round(time.Second), time.Since(start).Round(time.Second))
			parent := cmd.Context()
			ctx, cancel := context.WithTimeout(parent, share)
			cmd.SetContext(ctx)
			err := runTrain(cmd, &trainFlags{model: m, data: trainPath, config: cfgPath, out: path(m), quiet: f.quiet})
			cmd.SetContext(parent)
			cancel()
			if err != nil {
				return err
			}
			if parent.Err() != nil {
				return parent.Err()
			}
			dirs[m] = path(m)
		}
	}

	fmt.Fprintf(stdout, "classical solver on the held-out inputs (%s elapsed)\n", time.Since(start).Round(time.Second))
	classicalRuns, err := runClassical(cmd.Context(), b, f.tiny)
	if err != nil {
		return err
	}
	tb := &report.Table{
		Title:     fmt.Sprintf("%s: neural operators against the classical solver", b.preset),
		Reference: fmt.Sprintf("the dataset's outputs (%s) on %d held-out samples", b.full.Meta.Solver, b.full.Len()),
	}
	for _, c := range classicalRuns {
		tb.Classical = append(tb.Classical, c.run)
	}
	var evals []*modelEval
	for _, m := range f.models {
		switch m {
		case "pinn":
			tb.Neural = append(tb.Neural, report.Run{Family: "pinn", Setting: b.preset,
				Note: "does not apply: a PINN solves one instance (fixed initial or coefficient data), not the map from inputs to solutions; see the instance table for PINN checkpoints"})
			continue
		case "nsm":
			tb.Neural = append(tb.Neural, report.Run{Family: "nsm", Setting: b.preset,
				Note: "does not apply: the neural spectral method trains physics-informed in coefficient space on its own problems (poisson-periodic-grf, reaction-diffusion-nu<ν>, navier-stokes-nu<ν>), not on this dataset; an nsm checkpoint in --checkpoints gets its own table"})
			continue
		}
		fmt.Fprintf(stdout, "%s: evaluating %s (%s elapsed)\n", m, dirs[m], time.Since(start).Round(time.Second))
		ev, err := evaluateModel(b, m, dirs[m])
		if err != nil {
			return err
		}
		evals = append(evals, ev)
		tb.Neural = append(tb.Neural, ev.runs...)
	}
	tb.MatchSpeedUps()

	var instance *report.Table
	if len(pinnDirs) > 0 && slices.Contains(f.models, "pinn") {
		fmt.Fprintf(stdout, "pinn: single-instance comparison (%s elapsed)\n", time.Since(start).Round(time.Second))
		if instance, err = comparePINNs(pinnDirs, f.tiny); err != nil {
			return err
		}
	}

	if len(nsmDirs) > 0 && slices.Contains(f.models, "nsm") {
		fmt.Fprintf(stdout, "nsm: on its own problems (%s elapsed)\n", time.Since(start).Round(time.Second))
		nt, err := compareNSMs(nsmDirs)
		if err != nil {
			return err
		}
		if instance == nil {
			instance = nt
		} else {
			instance.Neural = append(instance.Neural, nt.Neural...)
			instance.Classical = append(instance.Classical, nt.Classical...)
			instance.Title += "; nsm on its own problems"
			instance.Reference += "; for nsm, its problem's classical solver"
		}
	}

	page, err := writeCompareOutputs(f.out, b, tb, instance, classicalRuns, evals)
	if err != nil {
		return err
	}
	page.Intro = append([]string{fmt.Sprintf("Data: %s (%d held-out samples, the last of the file, on %d points per axis; models trained on %d points). Generated by neuralpde compare in %s.",
		dataPath, b.full.Len(), b.res, b.trainRes, time.Since(start).Round(time.Second))}, page.Intro...)
	if err := data.WriteFileAtomic(path("report.html"), page.WriteHTML); err != nil {
		return err
	}
	var md bytes.Buffer
	tb.WriteMarkdown(&md)
	if instance != nil {
		md.WriteString("\n")
		instance.WriteMarkdown(&md)
	}
	stdout.Write(md.Bytes())
	fmt.Fprintf(stdout, "\nreport: %s (%s)\n", path("report.html"), time.Since(start).Round(time.Second))
	return nil
}

// compareData returns the dataset of the run: --data, or one generated
// into the output directory (kept for the next run).
func compareData(cmd *cobra.Command, e *env, f *compareFlags) (*data.Dataset, string, error) {
	if f.data != "" {
		ds, err := loadDataset(cmd.OutOrStdout(), f.data)
		return ds, f.data, err
	}
	gf := &generateFlags{preset: f.preset, n: 250, seed: 1, ckpt: 100, quiet: f.quiet, subsample: 1}
	switch {
	case f.preset == "burgers-periodic" && f.tiny:
		gf.res, gf.n = 256, 24
	case f.preset == "burgers-periodic":
		gf.res = 1024
	case f.tiny:
		gf.res, gf.subsample, gf.n = 61, 2, 24
	default:
		gf.res, gf.subsample = 141, 2
	}
	if f.n > 0 {
		gf.n = f.n
	}
	gf.out = filepath.Join(f.out, fmt.Sprintf("%s-%d.npz", f.preset, gf.n))
	if err := runGenerate(cmd, e, gf); err != nil {
		return nil, "", err
	}
	ds, err := data.Load(gf.out)
	return ds, gf.out, err
}

// newBench splits ds into the held-out samples and the training set at
// the training resolution.
func newBench(f *compareFlags, ds *data.Dataset) (*bench, *data.Dataset, error) {
	if ds.Meta.Preset != "" && ds.Meta.Preset != f.preset {
		return nil, nil, usagef("--data holds %s samples, not %s", ds.Meta.Preset, f.preset)
	}
	shape := ds.Outputs.Shape
	dims := len(shape) - 1
	if want := map[string]int{"burgers-periodic": 1, "darcy": 2}[f.preset]; dims != want || !slices.Equal(ds.Inputs.Shape, shape) {
		return nil, nil, usagef("--data has inputs %v and outputs %v; %s needs fields of %d axes on one grid", ds.Inputs.Shape, shape, f.preset, want)
	}
	n, res := ds.Len(), shape[1]
	test := f.test
	if test == 0 {
		test = min(50, max(n/5, 1))
	}
	if test >= n {
		return nil, nil, usagef("--test %d leaves no training samples of the %d", test, n)
	}
	b := &bench{preset: f.preset, dims: dims, periodic: f.preset == "burgers-periodic", res: res}
	if b.periodic {
		b.spacing = 1.0 / float64(res)
	} else {
		b.spacing = 1.0 / float64(res-1)
	}
	if x, ok := ds.Coords["x"]; ok && len(x.Data) > 1 {
		b.spacing = x.Data[1] - x.Data[0]
	}
	b.trainRes = f.trainRes
	if b.trainRes == 0 {
		if b.periodic {
			b.trainRes = res / 4
		} else {
			b.trainRes = (res-1)/2 + 1
		}
	}
	span, tspan := res, b.trainRes
	if !b.periodic {
		span, tspan = res-1, b.trainRes-1
	}
	if tspan < 1 || span%tspan != 0 {
		return nil, nil, usagef("--train-res %d does not divide the data's %d points per axis", b.trainRes, res)
	}
	b.stride = span / tspan
	var err error
	if b.full, err = ds.Slice(n-test, n); err != nil {
		return nil, nil, err
	}
	tr, err := ds.Slice(0, n-test)
	if err != nil {
		return nil, nil, err
	}
	if b.stride > 1 {
		if tr, err = tr.Subsample(b.stride); err != nil {
			return nil, nil, err
		}
	}
	return b, tr, nil
}

// modelEval is a trained model evaluated on the held-out samples.
type modelEval struct {
	kind, dir string
	runs      []report.Run
	// full are the predictions at the data's resolution.
	full []float64
}

// evaluateModel runs the model in dir on the held-out samples at the
// training resolution and at the data's.
func evaluateModel(b *bench, kind, dir string) (*modelEval, error) {
	card, err := serve.ReadCard(dir)
	if err != nil {
		return nil, err
	}
	if len(card.Grid) > 0 && card.Grid[0] != b.trainRes {
		return nil, usagef("%s was trained on %v points; pass --train-res %d so its training grid is measured as such", dir, card.Grid, card.Grid[0])
	}
	ev := &modelEval{kind: kind, dir: dir}
	trainTime := time.Duration(card.TrainSeconds * float64(time.Second))
	if trainTime == 0 {
		trainTime = metricsSeconds(filepath.Join(dir, train.MetricsFile))
	}
	predict, err := predictor(b, kind, dir)
	if err != nil {
		return nil, err
	}
	for _, r := range []int{b.stride, 1} {
		at, err := b.at(r)
		if err != nil {
			return nil, err
		}
		n := at.Outputs.Shape[1]
		one, err := at.Slice(0, 1)
		if err != nil {
			return nil, err
		}
		// The fastest of three runs, after a warm-up that sizes the
		// workspaces.
		best := func(ds *data.Dataset) (pred []float64, fastest time.Duration, err error) {
			for i := range 4 {
				p, t, err := predict(ds)
				if err != nil {
					return nil, 0, err
				}
				if i == 1 || (i > 1 && t < fastest) {
					pred, fastest = p, t
				}
			}
			return pred, fastest, nil
		}
		_, single, err := best(one)
		if err != nil {
			return nil, err
		}
		pred, batch, err := best(at)
		if err != nil {
			return nil, err
		}
		errs, err := report.Measure(pred, at.Outputs.Data, b.grid(n))
		if err != nil {
			return nil, err
		}
		setting := fmt.Sprintf("%d points (training grid)", n)
		if r != b.stride {
			setting = fmt.Sprintf("%d points (zero-shot from %d)", n, b.trainRes)
		}
		ev.runs = append(ev.runs, report.Run{Family: kind, Setting: setting, Applies: true, Errors: errs, HasH1: true,
			Single: single, Batch: batch, Batched: at.Len(), Train: trainTime, Params: card.Params})
		if r == 1 {
			ev.full = pred
		}
	}
	if kind == "deeponet" {
		ev.runs[len(ev.runs)-1].Note = fmt.Sprintf("branch reads the %d-point input; trunk queried at the finer points", b.trainRes)
	}
	if b.stride == 1 {
		ev.runs = ev.runs[:1]
	}
	return ev, nil
}

// predictor returns a function predicting the outputs of a held-out set
// with the model in dir, and the wall time it took.
func predictor(b *bench, kind, dir string) (func(*data.Dataset) ([]float64, time.Duration, error), error) {
	switch kind {
	case "fno", "fno-implicit":
		var tm interface {
			Evaluate(*data.Dataset) (*fno.Evaluation, error)
		}
		var err error
		if kind == "fno" {
			tm, err = fno.Load(dir)
		} else {
			tm, err = fno.LoadImplicit(dir)
		}
		if err != nil {
			return nil, err
		}
		return func(ds *data.Dataset) ([]float64, time.Duration, error) {
			ev, err := tm.Evaluate(ds)
			if err != nil {
				return nil, 0, err
			}
			return ev.Predictions.Data, ev.Elapsed, nil
		}, nil
	case "deeponet":
		md, err := deeponet.Load(dir)
		if err != nil {
			return nil, err
		}
		sensors, err := b.at(b.stride)
		if err != nil {
			return nil, err
		}
		if md.Sensors != sensors.InputLen() {
			return nil, fmt.Errorf("%s: the DeepONet reads %d sensors; the held-out inputs at --train-res %d have %d", dir, md.Sensors, b.trainRes, sensors.InputLen())
		}
		return func(ds *data.Dataset) ([]float64, time.Duration, error) {
			// The branch reads the inputs at the training sensors (the
			// same samples thinned); the trunk is queried at ds's grid.
			n := ds.Len()
			u := sensors.Inputs.Data[:n*md.Sensors]
			g, err := deeponet.NewGrid(&data.Dataset{Inputs: data.NewArray(u, n, md.Sensors), Outputs: ds.Outputs, Coords: ds.Coords, Meta: ds.Meta}, md.Config().Coords, 1)
			if err != nil {
				return nil, 0, err
			}
			start := time.Now()
			pred, err := md.Predict(nil, g.U, g.Y)
			return pred, time.Since(start), err
		}, nil
	}
	return nil, fmt.Errorf("compare: no evaluation for %q models", kind)
}

// metricsSeconds returns the last elapsed time in a metrics.jsonl file,
// zero when there is none.
func metricsSeconds(path string) time.Duration {
	fh, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer fh.Close()
	var last float64
	sc := bufio.NewScanner(fh)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var m struct{ Seconds float64 }
		if json.Unmarshal(sc.Bytes(), &m) == nil && m.Seconds > 0 {
			last = m.Seconds
		}
	}
	return time.Duration(last * float64(time.Second))
}

// readLosses returns the logged steps and training losses in a
// metrics.jsonl file.
func readLosses(path string) (steps, loss, eval []float64) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, nil, nil
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var m struct {
			Step     *float64
			Loss     *float64
			EvalLoss *float64 `json:"eval_loss"`
		}
		if json.Unmarshal(sc.Bytes(), &m) != nil || m.Step == nil || m.Loss == nil {
			continue
		}
		steps, loss = append(steps, *m.Step), append(loss, *m.Loss)
		e := math.NaN()
		if m.EvalLoss != nil {
			e = *m.EvalLoss
		}
		eval = append(eval, e)
	}
	return steps, loss, eval
}

// writeCompareOutputs writes the tables and pictures into dir and returns
// the report page that shows them.
func writeCompareOutputs(dir string, b *bench, tb, instance *report.Table, classicalRuns []classicalRun, evals []*modelEval) (*report.Page, error) {
	path := func(name string) string { return filepath.Join(dir, name) }
	for ext, write := range map[string]func(io.Writer) error{".md": tb.WriteMarkdown, ".csv": tb.WriteCSV, ".json": tb.WriteJSON} {
		if err := data.WriteFileAtomic(path("compare"+ext), write); err != nil {
			return nil, err
		}
	}
	if instance != nil {
		for ext, write := range map[string]func(io.Writer) error{".md": instance.WriteMarkdown, ".csv": instance.WriteCSV, ".json": instance.WriteJSON} {
			if err := data.WriteFileAtomic(path("instance"+ext), write); err != nil {
				return nil, err
			}
		}
	}
	page := &report.Page{Title: "neuralpde compare: " + b.preset}
	main := report.Section{Heading: "Accuracy and speed", Table: tb}
	var pics []report.Image
	save := func(name, caption string, draw func(path string) error) error {
		for _, ext := range []string{".png", ".svg"} {
			if err := draw(path(name + ext)); err != nil {
				return err
			}
		}
		pics = append(pics, report.Image{Path: path(name + ".png"), Caption: caption})
		return nil
	}

	// Error against wall time: the classical curve and the models' points.
	var pareto []plots.Curve
	// The classical runs in the order of their settings, coarse to fine.
	var ct, ce []float64
	for _, c := range classicalRuns {
		if c.run.Applies {
			ct, ce = append(ct, c.run.PerSample().Seconds()), append(ce, c.run.Errors.RelL2)
		}
	}
	pareto = append(pareto, plots.Curve{Name: "classical", X: ct, Y: ce})
	for _, ev := range evals {
		for _, r := range ev.runs {
			pareto = append(pareto, plots.Curve{Name: r.Family + " " + r.Setting, X: []float64{r.PerSample().Seconds()}, Y: []float64{r.Errors.RelL2}, Points: true})
		}
	}
	if err := save("pareto", "relative L2 error against wall time per sample (in a batch)", func(p string) error {
		return plots.SaveCurves(p, plots.Axes{Title: "error against wall time", XLabel: "seconds per sample", YLabel: "relative L2 error", LogX: true, LogY: true, LegendLeft: true, LegendBottom: true}, pareto...)
	}); err != nil {
		return nil, err
	}

	// Training curves.
	var losses []plots.Curve
	for _, ev := range evals {
		steps, loss, eval := readLosses(filepath.Join(ev.dir, train.MetricsFile))
		if len(steps) > 0 {
			losses = append(losses, plots.Curve{Name: ev.kind + " training loss", X: steps, Y: loss})
			losses = append(losses, plots.Curve{Name: ev.kind + " held-out loss", X: steps, Y: eval})
		}
	}
	if len(losses) > 0 {
		if err := save("training", "training curves (metrics.jsonl)", func(p string) error {
			return plots.SaveCurves(p, plots.Axes{Title: "training", XLabel: "step", YLabel: "loss", LogY: true}, losses...)
		}); err != nil {
			return nil, err
		}
	}

	// Fields of the first held-out sample at full resolution, and spectra.
	g := b.grid(b.res)
	pts := g.Points()
	ref := b.full.Outputs.Data
	if b.dims == 1 {
		x := b.full.Coords["x"].Data
		if len(x) != b.res {
			x = b.grid(b.res).Spacing[:0]
			for i := range b.res {
				x = append(x, float64(i)*b.spacing)
			}
		}
		curves := []plots.Curve{{Name: "reference", X: x, Y: ref[:pts]}}
		var errCurves []plots.Curve
		for _, ev := range evals {
			curves = append(curves, plots.Curve{Name: ev.kind, X: x, Y: ev.full[:pts]})
			e := make([]float64, pts)
			for i := range e {
				e[i] = math.Abs(ev.full[i] - ref[i])
			}
			errCurves = append(errCurves, plots.Curve{Name: ev.kind, X: x, Y: e})
		}
		if err := save("fields", "first held-out sample: reference and predictions", func(p string) error {
			return plots.SaveCurves(p, plots.Axes{Title: "u(1, x), held-out sample 0", XLabel: "x", YLabel: "u"}, curves...)
		}); err != nil {
			return nil, err
		}
		if len(errCurves) > 0 {
			if err := save("errors", "first held-out sample: |prediction − reference|", func(p string) error {
				return plots.SaveCurves(p, plots.Axes{Title: "|prediction − reference|", XLabel: "x", YLabel: "error", LogY: true}, errCurves...)
			}); err != nil {
				return nil, err
			}
		}
	} else {
		// Fields are stored x slow: rows are x, columns y.
		ax := make([]float64, b.res)
		for i := range ax {
			ax[i] = float64(i) * b.spacing
		}
		for _, ev := range evals {
			panels, err := plots.Comparison(ax, ax, ref[:pts], ev.full[:pts], "y", "x")
			if err != nil {
				return nil, err
			}
			panels[1].Title = ev.kind + " prediction"
			if err := save("fields-"+ev.kind, ev.kind+": reference | prediction | error, first held-out sample", func(p string) error {
				return plots.SaveFields(p, panels...)
			}); err != nil {
				return nil, err
			}
		}
	}
	freq, power, err := report.Spectrum(ref, g)
	if err != nil {
		return nil, err
	}
	spectra := []plots.Curve{{Name: "reference", X: freq, Y: power}}
	for _, ev := range evals {
		_, p, err := report.Spectrum(ev.full, g)
		if err != nil {
			return nil, err
		}
		spectra = append(spectra, plots.Curve{Name: ev.kind, X: freq, Y: p})
	}
	if err := save("spectra", fmt.Sprintf("energy spectra along x at %d points (Welch estimate, averaged over held-out samples%s)", b.res, map[bool]string{true: "", false: " and rows, Hann window"}[b.periodic]), func(p string) error {
		return plots.SaveCurves(p, plots.Axes{Title: "energy spectrum", XLabel: "wavenumber (cycles per unit length)", YLabel: "power spectral density", LogX: true, LogY: true}, spectra...)
	}); err != nil {
		return nil, err
	}
	main.Images = pics
	page.Sections = append(page.Sections, main)
	if instance != nil {
		page.Sections = append(page.Sections, report.Section{Heading: "Single instance and own problems: PINN and NSM against classical solvers", Table: instance})
	}
	page.Intro = append(page.Intro, "Tables: compare.md, compare.csv, compare.json beside this file; every picture also as SVG.")
	return page, nil
}

// instanceNote says what a PINN row of the instance table measures.
const instanceNote = "time: loading the checkpoint and evaluating the network on the standard grid"

// comparePINNs compares each PINN checkpoint with the classical solver of
// its preset on the preset's standard grid.
func comparePINNs(dirs []string, tiny bool) (*report.Table, error) {
	tb := &report.Table{Title: "single instance: PINN against the classical solver"}
	done := map[string]bool{}
	for _, dir := range dirs {
		start := time.Now()
		ev, err := pinn.Evaluate(dir, "")
		if err != nil {
			return nil, err
		}
		elapsed := time.Since(start)
		card, _ := serve.ReadCard(dir)
		preset := ev.Config.Preset
		if math.IsNaN(ev.RelL2) {
			tb.Neural = append(tb.Neural, report.Run{Family: "pinn", Setting: preset, Note: "no reference solution for this preset"})
			continue
		}
		run := report.Run{Family: "pinn", Setting: preset, Applies: true, Errors: report.Errors{RelL2: ev.RelL2, MaxAbs: maxAbsDiff(ev.U, ev.Grid.Reference), Samples: 1},
			Single: elapsed, Batch: elapsed, Batched: 1, Note: instanceNote}
		if card != nil {
			run.Params = card.Params
			run.Train = time.Duration(card.TrainSeconds * float64(time.Second))
		}
		tb.Neural = append(tb.Neural, run)
		if tb.Reference == "" {
			tb.Reference = fmt.Sprintf("the exact or reference solution on %s's standard grid", preset)
		}
		if done[preset] {
			continue
		}
		done[preset] = true
		runs, err := classicalInstance(preset, ev.Grid, tiny)
		if err != nil {
			return nil, err
		}
		tb.Classical = append(tb.Classical, runs...)
	}
	tb.MatchSpeedUps()
	return tb, nil
}

func maxAbsDiff(a, b []float64) float64 {
	var m float64
	for i := range a {
		if i < len(b) {
			m = math.Max(m, math.Abs(a[i]-b[i]))
		}
	}
	return m
}

// compareNSMs evaluates each nsm checkpoint on held-out inputs of its own
// problem against that problem's classical solver at 64×64 points.
func compareNSMs(dirs []string) (*report.Table, error) {
	const n = 64
	tb := &report.Table{Title: "nsm on its own problems", Reference: fmt.Sprintf("each problem's classical solver on %d held-out inputs, %d×%d grid", nsmSamples, n, n)}
	for _, dir := range dirs {
		card, err := serve.ReadCard(dir)
		if err != nil {
			return nil, err
		}
		_, p, err := nsm.Load(dir)
		if err != nil {
			return nil, err
		}
		ev, err := nsm.Evaluate(dir, nsmSamples, n)
		if err != nil {
			return nil, err
		}
		tb.Neural = append(tb.Neural, report.Run{Family: "nsm", Setting: fmt.Sprintf("%s, %d×%d", p.Name(), n, n), Applies: true,
			Errors: report.Errors{RelL2: ev.RelL2, MaxAbs: math.NaN(), Samples: nsmSamples}, Single: ev.Inference, Batch: ev.Inference * nsmSamples, Batched: nsmSamples,
			Train: time.Duration(card.TrainSeconds * float64(time.Second)), Params: card.Params,
			Note: fmt.Sprintf("%.3g× the classical reference's time per sample", float64(ev.Inference)/float64(ev.Reference))})
		tb.Classical = append(tb.Classical, report.Run{Family: "classical", Setting: p.Name() + " (reference)", Applies: true,
			Errors: report.Errors{MaxAbs: math.NaN()}, Single: ev.Reference, Batch: ev.Reference * nsmSamples, Batched: nsmSamples,
			Note: "the reference itself, at round-off accuracy; its error is zero by definition"})
	}
	return tb, nil
}
