package deeponet

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/neuralpde/neuralpde/data"
	"github.com/neuralpde/neuralpde/train"
)

// File names inside a training run's output directory.
const (
	// CheckpointFile is train's checkpoint of the parameters and optimizer.
	CheckpointFile = train.CheckpointFile
	// ModelFile holds the configuration, sensor count, trunk coordinates
	// and normalisation as JSON: what Load needs besides the checkpoint.
	ModelFile = train.ModelFile
	// MetricsFile is the JSON-lines metrics log (train.JSONLines).
	MetricsFile = train.MetricsFile
)

// checkpointKind is the model kind recorded in checkpoints.
const checkpointKind = "deeponet"

// Grid is a dataset's operator-learning view: functions at the sensors,
// the output grid's points as trunk inputs, and the targets.
type Grid struct {
	// U holds N functions at M sensors, N × M.
	U    []float64
	N, M int
	// Y holds the NY output points, NY × Dim, the Coords axes in order
	// (row-major over the output grid, the last axis fastest).
	Y       []float64
	NY, Dim int
	Coords  []string
	// Target holds the outputs, N × NY × Outputs.
	Target  []float64
	Outputs int
}

// NewGrid returns the operator view of ds: coords names the coordinate
// arrays of the output's grid axes in order (nil: the output's axes, the
// dataset's Axes for one output axis, "t" then the Axes for two), and
// outputs > 1 makes the last output axis the component axis.
func NewGrid(ds *data.Dataset, coords []string, outputs int) (*Grid, error) {
	if ds == nil || ds.Len() == 0 {
		return nil, errors.New("deeponet: empty dataset; generate one with `neuralpde generate`")
	}
	if outputs <= 0 {
		outputs = 1
	}
	if len(ds.Inputs.Shape) != 2 {
		return nil, fmt.Errorf("deeponet: inputs have shape %v; DeepONet's branch needs one function of x per sample, shape (n, m)", ds.Inputs.Shape)
	}
	shape := ds.Outputs.Shape[1:]
	if outputs > 1 {
		if len(shape) < 2 || shape[len(shape)-1] != outputs {
			return nil, fmt.Errorf("deeponet: outputs of shape %v have no trailing axis of %d components", ds.Outputs.Shape, outputs)
		}
		shape = shape[:len(shape)-1]
	}
	if len(coords) == 0 {
		switch {
		case len(shape) == len(ds.Meta.Axes):
			coords = ds.Meta.Axes
		case len(shape) == len(ds.Meta.Axes)+1:
			coords = append([]string{"t"}, ds.Meta.Axes...)
		default:
			return nil, fmt.Errorf("deeponet: cannot tell the coordinates of output axes %v from the dataset's axes %v; set coords in the config", shape, ds.Meta.Axes)
		}
	}
	if len(coords) != len(shape) {
		return nil, fmt.Errorf("deeponet: %d coordinate names %v for %d output axes", len(coords), coords, len(shape))
	}
	axes := make([][]float64, len(coords))
	ny := 1
	for k, name := range coords {
		a, ok := ds.Coords[name]
		if !ok || len(a.Data) != shape[k] {
			return nil, fmt.Errorf("deeponet: output axis %d has %d points but the dataset's coordinate %q has %d values (present: %v)", k, shape[k], name, len(a.Data), ok)
		}
		axes[k] = a.Data
		ny *= shape[k]
	}
	g := &Grid{U: ds.Inputs.Data, N: ds.Len(), M: ds.Inputs.Shape[1], NY: ny, Dim: len(coords), Coords: append([]string(nil), coords...), Target: ds.Outputs.Data, Outputs: outputs}
	g.Y = make([]float64, ny*g.Dim)
	idx := make([]int, g.Dim)
	for p := range ny {
		for k := range g.Dim {
			g.Y[p*g.Dim+k] = axes[k][idx[k]]
		}
		for k := g.Dim - 1; k >= 0; k-- {
			idx[k]++
			if idx[k] < shape[k] {
				break
			}
			idx[k] = 0
		}
	}
	return g, nil
}

// slice returns functions [i, j) of g.
func (g *Grid) slice(i, j int) *Grid {
	h := *g
	h.U = g.U[i*g.M : j*g.M]
	h.Target = g.Target[i*g.NY*g.Outputs : j*g.NY*g.Outputs]
	h.N = j - i
	return &h
}

// fitNormalization sets md.Norm from the training functions and targets.
func (md *Model) fitNormalization(g *Grid) {
	m, C := g.M, g.Outputs
	md.Norm = Normalization{InMean: make([]float64, m), InStd: make([]float64, m), OutMean: make([]float64, C), OutStd: make([]float64, C)}
	for j := range m {
		var s, ss float64
		for i := range g.N {
			v := g.U[i*m+j]
			s += v
			ss += v * v
		}
		mu := s / float64(g.N)
		md.Norm.InMean[j] = mu
		md.Norm.InStd[j] = math.Sqrt(math.Max(ss/float64(g.N)-mu*mu, 0)) + 1e-8
	}
	for c := range C {
		var s, ss float64
		n := g.N * g.NY
		for k := range n {
			v := g.Target[k*C+c]
			s += v
			ss += v * v
		}
		mu := s / float64(n)
		md.Norm.OutMean[c] = mu
		md.Norm.OutStd[c] = math.Sqrt(math.Max(ss/float64(n)-mu*mu, 0)) + 1e-8
	}
}

// Result is the outcome of Train.
type Result struct {
	// Train is the training loop's result; Polish that of the L-BFGS
	// stage (nil without one).
	Train, Polish *train.Result
	// Model is the trained model.
	Model *Model
	// TrainMSE is the final mean-square error on the training functions;
	// ValMSE and ValRelL2 those on the validation functions (NaN without
	// any).
	TrainMSE, ValMSE, ValRelL2 float64
	// StepTime is the mean wall time of one training step.
	StepTime time.Duration
}

// modelFile is the JSON content of ModelFile.
type modelFile struct {
	Config  *Config       `json:"config"`
	Sensors int           `json:"sensors"`
	Coords  []string      `json:"coords"`
	Norm    Normalization `json:"norm"`
	// Constraint is the model's hard constraint with its bounds.
	Constraint Constraint `json:"constraint"`
}

// Train trains a DeepONet of cfg on ds and writes outDir/checkpoint.npz,
// outDir/model.json and outDir/metrics.jsonl, with progress lines on
// progress (nil for none). The last cfg.Validation samples of ds are held
// out. With cfg.Physics set the loss is the PDE residual (the dataset's
// outputs are then used only for validation).
func Train(ctx context.Context, cfg *Config, ds *data.Dataset, outDir string, progress io.Writer) (*Result, error) {
	c, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	g, err := NewGrid(ds, c.Coords, c.Outputs)
	if err != nil {
		return nil, err
	}
	c.Coords = g.Coords
	if c.Validation >= g.N {
		return nil, fmt.Errorf("deeponet: validation of %d samples leaves none of the %d to train on", c.Validation, g.N)
	}
	tr, val := g.slice(0, g.N-c.Validation), g.slice(g.N-c.Validation, g.N)
	rng := rand.New(rand.NewPCG(c.Seed, 1))
	md, err := NewModel(c, g.M, g.Dim, rng)
	if err != nil {
		return nil, err
	}
	if c.Normalize {
		md.fitNormalization(tr)
		if c.Physics != nil {
			// No solution data: only the inputs are normalised.
			md.Norm.OutMean, md.Norm.OutStd = nil, nil
		}
	}
	if c.Constraint != "" {
		lo, hi := bounds(g)
		md.Constraint = Constraint{Kind: c.Constraint, X: slices.Index(g.Coords, "x"), T: slices.Index(g.Coords, "t"), Lo: lo, Hi: hi, Width: c.ConstraintWidth}
		if err := md.Constraint.check(g.Dim); err != nil {
			return nil, err
		}
	}
	var obj train.Objective
	if c.Physics != nil {
		if obj, err = newPhysicsFromConfig(md, c, tr, ds); err != nil {
			return nil, err
		}
	} else {
		var triples [][2]int
		if c.Layout == "unaligned" {
			triples = drawTriples(tr.N, tr.NY, c.Triples, rng)
		}
		if obj, err = NewData(md, c.Loss, tr.U, tr.Y, tr.Target, triples); err != nil {
			return nil, err
		}
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return nil, fmt.Errorf("deeponet: %w", err)
	}
	mf, err := json.MarshalIndent(modelFile{Config: c, Sensors: g.M, Coords: g.Coords, Norm: md.Norm, Constraint: md.Constraint}, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := writeModelFile(filepath.Join(outDir, ModelFile), mf); err != nil {
		return nil, err
	}
	metrics, err := os.Create(filepath.Join(outDir, MetricsFile))
	if err != nil {
		return nil, fmt.Errorf("deeponet: %w", err)
	}
	defer metrics.Close()
	tc := &train.Config{
		Steps:      c.Steps,
		BatchSize:  c.BatchSize,
		Seed:       c.Seed,
		EvalEvery:  c.EvalEvery,
		Recorders:  []train.Recorder{&train.JSONLines{W: metrics, Every: c.EvalEvery}},
		Checkpoint: train.Checkpointing{Path: filepath.Join(outDir, CheckpointFile), Every: 0, Kind: checkpointKind, Config: c},
	}
	if progress != nil {
		tc.Recorders = append(tc.Recorders, &train.ProgressLine{W: progress, Every: c.EvalEvery})
	}
	if tc.Optimizer, tc.BatchSize, err = train.NewOptimizerForBatches(c.Optimizer, train.OptimizerSettings{LearningRate: c.LearningRate}, c.BatchSize, obj.NumSamples()); err != nil {
		return nil, fmt.Errorf("deeponet: %w", err)
	}
	if c.DecayRate > 0 {
		tc.Schedule = train.Exponential{Gamma: math.Pow(c.DecayRate, 1/float64(c.DecaySteps))}
	}
	if val.N > 0 {
		if tc.Eval, err = NewData(md, "mse", val.U, val.Y, val.Target, nil); err != nil {
			return nil, err
		}
	}
	res, err := train.Run(ctx, obj, tc)
	if err != nil {
		return nil, err
	}
	out := &Result{Train: res, Model: md, ValMSE: math.NaN(), ValRelL2: math.NaN()}
	if res.Steps > 0 {
		out.StepTime = res.Runtime / time.Duration(max(1, len(res.Losses)))
	}
	if c.Polish > 0 && res.Status != train.Canceled {
		tc.Optimizer, tc.Schedule, tc.BatchSize, tc.Steps = &train.LBFGS{}, nil, 0, c.Polish
		polish, err := train.Run(ctx, obj, tc)
		if err != nil {
			return nil, err
		}
		out.Polish = polish
	}
	if out.TrainMSE, _, err = md.errors(tr); err != nil {
		return nil, err
	}
	if val.N > 0 {
		if out.ValMSE, out.ValRelL2, err = md.errors(val); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// drawTriples draws n distinct (function, point) pairs (all of them when n
// is zero or at least nf·ny).
func drawTriples(nf, ny, n int, rng *rand.Rand) [][2]int {
	total := nf * ny
	perm := rng.Perm(total)
	if n == 0 || n > total {
		n = total
	}
	t := make([][2]int, n)
	for r := range n {
		t[r] = [2]int{perm[r] / ny, perm[r] % ny}
	}
	return t
}

// errors returns the mean-square error and the mean relative L2 error of
// md on g.
func (md *Model) errors(g *Grid) (mse, rel float64, err error) {
	pred, err := md.Predict(nil, g.U, g.Y)
	if err != nil {
		return 0, 0, err
	}
	mse, rel = Errors(pred, g.Target, g.N)
	return mse, rel, nil
}

// Errors returns the mean-square error of pred against target and the mean
// over the n functions of ‖pred_i − target_i‖/‖target_i‖.
func Errors(pred, target []float64, n int) (mse, relL2 float64) {
	row := len(pred) / n
	for i := range n {
		var ee, tt float64
		for k := i * row; k < (i+1)*row; k++ {
			e := pred[k] - target[k]
			ee += e * e
			tt += target[k] * target[k]
		}
		mse += ee
		if tt > 0 {
			relL2 += math.Sqrt(ee / tt)
		}
	}
	return mse / float64(len(pred)), relL2 / float64(n)
}

// Load returns the model trained into dir by Train, with the names of its
// trunk's coordinates.
func Load(dir string) (*Model, error) {
	b, err := os.ReadFile(filepath.Join(dir, ModelFile))
	if err != nil {
		return nil, fmt.Errorf("deeponet: %w; is %s a directory written by `neuralpde train --model deeponet`?", err, dir)
	}
	var mf modelFile
	if err := json.Unmarshal(b, &mf); err != nil {
		return nil, fmt.Errorf("deeponet: %s: %v", filepath.Join(dir, ModelFile), err)
	}
	if mf.Config == nil {
		return nil, fmt.Errorf("deeponet: %s has no config", filepath.Join(dir, ModelFile))
	}
	md, err := NewModel(mf.Config, mf.Sensors, len(mf.Coords), rand.New(rand.NewPCG(0, 0)))
	if err != nil {
		return nil, err
	}
	md.Norm = mf.Norm
	md.Constraint = mf.Constraint
	if err := md.Constraint.check(md.Dim); err != nil {
		return nil, err
	}
	ck, err := train.ReadCheckpoint(filepath.Join(dir, CheckpointFile))
	if err != nil {
		return nil, err
	}
	if err := ck.Restore(checkpointKind, md.Params()); err != nil {
		return nil, err
	}
	return md, nil
}

// Evaluation is the outcome of Evaluate.
type Evaluation struct {
	// MSE and RelL2 are the errors over the dataset (RelL2 is the mean
	// over functions of the relative L2 error).
	MSE, RelL2 float64
	// Predictions has the shape of the dataset's outputs.
	Predictions data.Array
	// Elapsed is the wall time of the predictions.
	Elapsed time.Duration
}

// Evaluate loads the model in dir and evaluates it on ds, whose inputs
// must have the model's sensors and whose output grid gives the query
// points.
func Evaluate(dir string, ds *data.Dataset) (*Evaluation, error) {
	md, err := Load(dir)
	if err != nil {
		return nil, err
	}
	g, err := NewGrid(ds, md.cfg.Coords, md.Outputs)
	if err != nil {
		return nil, err
	}
	if g.M != md.Sensors || g.Dim != md.Dim {
		return nil, fmt.Errorf("deeponet: the dataset has %d sensors and %d coordinates, the model %d and %d", g.M, g.Dim, md.Sensors, md.Dim)
	}
	start := time.Now()
	pred, err := md.Predict(nil, g.U, g.Y)
	if err != nil {
		return nil, err
	}
	ev := &Evaluation{Elapsed: time.Since(start), Predictions: data.NewArray(pred, ds.Outputs.Shape...)}
	ev.MSE, ev.RelL2 = Errors(pred, g.Target, g.N)
	return ev, nil
}

// writeModelFile writes b to path atomically (data.WriteFileAtomic).
func writeModelFile(path string, b []byte) error {
	return data.WriteFileAtomic(path, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}
