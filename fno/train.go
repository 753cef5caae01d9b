package fno

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	"github.com/neuralpde/neuralpde/data"
	"github.com/neuralpde/neuralpde/train"
)

// File names inside a training run's output directory.
const (
	// CheckpointFile is train's checkpoint of the parameters and optimizer.
	CheckpointFile = train.CheckpointFile
	// ModelFile holds the configuration, shape and normalisers as JSON.
	ModelFile = train.ModelFile
	// MetricsFile is the JSON-lines metrics log (train.JSONLines).
	MetricsFile = train.MetricsFile
)

const checkpointKind = "fno"

// modelFile is the JSON content of ModelFile.
type modelFile struct {
	Config  *Config    `json:"config"`
	Dim     int        `json:"dim"`
	In      int        `json:"in"`
	Out     int        `json:"out"`
	InNorm  Normalizer `json:"in_norm"`
	OutNorm Normalizer `json:"out_norm"`
	// Recurrent is set for a recurrent FNO-2D on time-dependent data.
	Recurrent bool `json:"recurrent,omitempty"`
	// TrainGrid is the training grid (Trained.TrainGrid).
	TrainGrid []int `json:"train_grid,omitempty"`
}

// Trained is a model with its normalisers, as Train leaves it and Load
// reads it.
type Trained struct {
	Model           *Model
	InNorm, OutNorm Normalizer
	Recurrent       bool
	// TrainGrid is the grid the model was trained on (nil when unknown).
	// On another grid, Evaluate scales the zero padding to cover the same
	// fraction of the domain: the weights act on the modes of the padded
	// domain, and a padding of fixed points would change its length.
	TrainGrid []int
}

// Result is the outcome of Train.
type Result struct {
	Train *train.Result
	*Trained
	// TrainRelL2 and TestRelL2 are the mean relative L2 errors on the
	// training and held-out samples (NaN without any held out). For a
	// recurrent model TestRelL2 is that of the autoregressive rollout.
	TrainRelL2, TestRelL2 float64
	// EpochTime is the mean wall time of one training epoch.
	EpochTime time.Duration
	// UniformGrid reports that the data had no coordinates and a uniform
	// grid over the unit interval or square was used.
	UniformGrid bool
}

// Train trains an FNO of cfg (nil: DefaultConfig) on ds and writes
// outDir/checkpoint.npz, model.json and metrics.jsonl, with a progress line
// per epoch on progress (nil for none). Data whose outputs have a time axis
// (n, T, s1, s2) train a recurrent FNO-2D on the last History snapshots;
// other data map inputs to outputs on one grid. The first cfg.Train
// samples are trained on and the last cfg.Test held out. With cfg.Init
// set, training starts from that model's weights and normalisers, on ds at
// ds's own resolution (Config.Init).
func Train(ctx context.Context, cfg *Config, ds *data.Dataset, outDir string, progress io.Writer) (*Result, error) {
	c, init, err := configure(cfg)
	if err != nil {
		return nil, err
	}
	if err := checkKind(init, c, isTimeSeries(ds)); err != nil {
		return nil, err
	}
	if isTimeSeries(ds) {
		return trainRecurrent(ctx, c, init, ds, outDir, progress)
	}
	if c.Pushforward > 0 {
		return nil, fmt.Errorf("fno: pushforward %d applies to time series (outputs (n, T, s1, s2)); these data have inputs %v and outputs %v", c.Pushforward, ds.Inputs.Shape, ds.Outputs.Shape)
	}
	s, uniform, err := Static(ds)
	if err != nil {
		return nil, err
	}
	tr, te, err := splitSamples(s, c)
	if err != nil {
		return nil, err
	}
	if progress != nil && uniform {
		fmt.Fprintf(progress, "fno: the data carry no coordinates; using a uniform grid over the unit %s\n", map[int]string{1: "interval", 2: "square"}[len(s.Grid)])
	}
	tm, err := startFrom(init, c, len(s.Grid), s.In, s.Out, tr)
	if err != nil {
		return nil, err
	}
	res, err := fit(ctx, tm, tr, te, c, outDir, progress, nil)
	if err != nil {
		return nil, err
	}
	res.UniformGrid = uniform
	return res, nil
}

// splitSamples returns the training and held-out samples of s for c.
func splitSamples(s *Samples, c *Config) (tr, te *Samples, err error) {
	if c.Test >= s.N {
		return nil, nil, fmt.Errorf("fno: test of %d samples leaves none of the %d to train on", c.Test, s.N)
	}
	nt := s.N - c.Test
	if c.Train > 0 {
		if c.Train > nt {
			return nil, nil, fmt.Errorf("fno: train of %d samples but only %d precede the %d test samples", c.Train, nt, c.Test)
		}
		nt = c.Train
	}
	tr = s.slice(0, nt)
	if c.Test > 0 {
		te = s.slice(s.N-c.Test, s.N)
	}
	return tr, te, nil
}

// newTrained returns a fresh model with normalisers fitted to tr.
func newTrained(c *Config, dim, in, out int, tr *Samples) (*Trained, error) {
	m, err := NewModel(c, dim, in, out, rand.New(rand.NewPCG(c.Seed, 0x666e6f)))
	if err != nil {
		return nil, err
	}
	return &Trained{Model: m, InNorm: fitNormalizer(tr.A, in), OutNorm: fitNormalizer(tr.U, out)}, nil
}

// recordingObjective is an objective that also follows the loop's
// progress (the pushforward trick's, which deepens its rollouts by epoch).
type recordingObjective interface {
	train.Objective
	train.Recorder
}

// objectiveWrapper turns the training objective into the one the loop
// minimises.
type objectiveWrapper func(*Objective) recordingObjective

// fit runs the training loop on tr, writes the output directory and
// evaluates on tr and te. A non-nil wrap replaces the objective the loop
// minimises.
func fit(ctx context.Context, tm *Trained, tr, te *Samples, c *Config, outDir string, progress io.Writer, wrap objectiveWrapper) (*Result, error) {
	m := tm.Model
	obj, err := NewObjective(m, tr, tm.InNorm, tm.OutNorm, c.Loss)
	if err != nil {
		return nil, err
	}
	var (
		minimised train.Objective = obj
		recorders []train.Recorder
	)
	if wrap != nil {
		w := wrap(obj)
		minimised, recorders = w, append(recorders, w)
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return nil, fmt.Errorf("fno: %w", err)
	}
	tm.TrainGrid = append([]int(nil), tr.Grid...)
	mf, err := json.MarshalIndent(modelFile{Config: m.Config(), Dim: m.Dim, In: m.In, Out: m.Out, InNorm: tm.InNorm, OutNorm: tm.OutNorm, Recurrent: tm.Recurrent, TrainGrid: tm.TrainGrid}, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := writeModelFile(filepath.Join(outDir, ModelFile), mf); err != nil {
		return nil, err
	}
	metrics, err := os.Create(filepath.Join(outDir, MetricsFile))
	if err != nil {
		return nil, fmt.Errorf("fno: %w", err)
	}
	defer metrics.Close()
	opt, bs, err := c.optimizer(tr.N)
	if err != nil {
		return nil, err
	}
	perEpoch := (tr.N + bs - 1) / bs
	tc := &train.Config{
		Optimizer:   opt,
		Schedule:    train.StepDecay{Every: c.DecayEvery * perEpoch, Gamma: c.DecayGamma},
		Epochs:      c.Epochs,
		BatchSize:   bs,
		Seed:        c.Seed,
		WeightDecay: math.Max(c.WeightDecay, 0),
		EvalEvery:   perEpoch,
		Recorders:   append(recorders, &train.JSONLines{W: metrics, Every: perEpoch}),
		Checkpoint:  train.Checkpointing{Path: filepath.Join(outDir, CheckpointFile), Every: c.CheckpointEvery * perEpoch, Kind: checkpointKind, Config: m.Config()},
	}
	if progress != nil {
		tc.Recorders = append(tc.Recorders, &train.ProgressLine{W: progress, Every: perEpoch})
	}
	if te != nil && !tm.Recurrent {
		eo, err := NewObjective(m, te, tm.InNorm, tm.OutNorm, "l2")
		if err != nil {
			return nil, err
		}
		tc.Eval = eo
	}
	res, err := train.Run(ctx, minimised, tc)
	if err != nil {
		return nil, err
	}
	out := &Result{Train: res, Trained: tm, TestRelL2: math.NaN()}
	if res.Epochs > 0 {
		out.EpochTime = res.Runtime / time.Duration(res.Epochs)
	}
	if tm.Recurrent {
		out.TrainRelL2 = math.NaN()
		return out, nil
	}
	_, out.TrainRelL2 = obj.predict(nil)
	if te != nil {
		eo, _ := NewObjective(m, te, tm.InNorm, tm.OutNorm, "l2")
		_, out.TestRelL2 = eo.predict(nil)
	}
	return out, nil
}

// Load returns the model trained into dir by Train.
func Load(dir string) (*Trained, error) {
	return load(dir, filepath.Join(dir, CheckpointFile))
}

// load returns the model of dir's ModelFile with the weights of the
// checkpoint file ckpt.
func load(dir, ckpt string) (*Trained, error) {
	b, err := os.ReadFile(filepath.Join(dir, ModelFile))
	if err != nil {
		return nil, fmt.Errorf("fno: %w; is %s a directory written by `neuralpde train --model fno`?", err, dir)
	}
	var mf modelFile
	if err := json.Unmarshal(b, &mf); err != nil {
		return nil, fmt.Errorf("fno: %s: %v", filepath.Join(dir, ModelFile), err)
	}
	if mf.Config == nil {
		return nil, fmt.Errorf("fno: %s has no config", filepath.Join(dir, ModelFile))
	}
	if len(mf.InNorm.Mean) != mf.In || len(mf.OutNorm.Mean) != mf.Out || len(mf.InNorm.Std) != mf.In || len(mf.OutNorm.Std) != mf.Out {
		return nil, fmt.Errorf("fno: %s: normalisers do not match %d input and %d output channels", filepath.Join(dir, ModelFile), mf.In, mf.Out)
	}
	m, err := NewModel(mf.Config, mf.Dim, mf.In, mf.Out, rand.New(rand.NewPCG(0, 0)))
	if err != nil {
		return nil, err
	}
	ck, err := train.ReadCheckpoint(ckpt)
	if err != nil {
		return nil, err
	}
	if err := ck.Restore(checkpointKind, m.Params()); err != nil {
		return nil, err
	}
	return &Trained{Model: m, InNorm: mf.InNorm, OutNorm: mf.OutNorm, Recurrent: mf.Recurrent, TrainGrid: mf.TrainGrid}, nil
}

// Evaluation is the outcome of Evaluate.
type Evaluation struct {
	// RelL2 is the mean over samples of the relative L2 error (of the
	// rollout, for a recurrent model).
	RelL2 float64
	// Grid is the grid the model ran on.
	Grid []int
	// Predictions has the shape of the dataset's outputs (subsampled to
	// Grid), in the dataset's sample order.
	Predictions data.Array
	// Elapsed is the wall time of the predictions.
	Elapsed time.Duration
	// UniformGrid reports that the data had no coordinates.
	UniformGrid bool
}

// Evaluate loads the model in dir and evaluates it on ds. A positive res
// first subsamples ds to res points per axis (ds's points per axis − 1
// must be a multiple of res − 1, or its points a multiple of res on a
// periodic grid); zero evaluates at ds's own resolution, whatever the
// training resolution was (zero-shot super-resolution, Li et al. §5.4).
func Evaluate(dir string, ds *data.Dataset, res int) (*Evaluation, error) {
	tm, err := Load(dir)
	if err != nil {
		return nil, err
	}
	if res > 0 {
		if ds, err = resample(ds, res); err != nil {
			return nil, err
		}
	}
	return tm.Evaluate(ds)
}

// Evaluate evaluates tm on ds at ds's resolution.
func (tm *Trained) Evaluate(ds *data.Dataset) (*Evaluation, error) {
	if tm.Recurrent {
		return tm.evaluateRollout(ds)
	}
	s, uniform, err := Static(ds)
	if err != nil {
		return nil, err
	}
	m := tm.Model
	defer func(p int) { m.cfg.Padding = p }(m.cfg.Padding)
	m.cfg.Padding = tm.padding(s.Grid)
	obj, err := NewObjective(m, s, tm.InNorm, tm.OutNorm, "l2")
	if err != nil {
		return nil, err
	}
	start := time.Now()
	pred, rel := obj.predict(nil)
	return &Evaluation{RelL2: rel, Grid: s.Grid, Predictions: data.NewArray(pred, ds.Outputs.Shape...), Elapsed: time.Since(start), UniformGrid: uniform}, nil
}

// padding returns the zero padding for grid: the model's on its training
// grid, else scaled by the ratio of grid spacings along the first axis,
// P·(n − 1)/(n_train − 1) rounded, so that the padded domain keeps its
// length (Li et al. pad Darcy by 9 points at 85; 43 points take 5, 85
// points 10).
func (tm *Trained) padding(grid []int) int {
	p := tm.Model.cfg.Padding
	if p == 0 || len(tm.TrainGrid) == 0 || len(grid) == 0 || tm.TrainGrid[0] < 2 || grid[0] == tm.TrainGrid[0] {
		return p
	}
	return int(math.Round(float64(p) * float64(grid[0]-1) / float64(tm.TrainGrid[0]-1)))
}

// resample subsamples ds to res points per spatial axis with
// data.Dataset.Subsample.
func resample(ds *data.Dataset, res int) (*data.Dataset, error) {
	shape := ds.Inputs.Shape
	if len(shape) < 2 {
		return nil, fmt.Errorf("fno: inputs of shape %v have no grid to resample", shape)
	}
	n := shape[len(shape)-1]
	if n == res {
		return ds, nil
	}
	for _, r := range []int{(n - 1) / max(res-1, 1), n / res} {
		if r >= 1 && ((n-1)/r+1 == res || n/r == res) {
			if sub, err := ds.Subsample(r); err == nil {
				if got := sub.Inputs.Shape[len(sub.Inputs.Shape)-1]; got == res {
					return sub, nil
				}
			}
		}
	}
	return nil, fmt.Errorf("fno: cannot thin %d points per axis to %d; give --res a size the data's grid divides into (or omit it to evaluate at the data's own resolution)", n, res)
}

// writeModelFile writes b to path atomically (data.WriteFileAtomic).
func writeModelFile(path string, b []byte) error {
	return data.WriteFileAtomic(path, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}
