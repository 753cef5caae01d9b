package fno

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
	"github.com/neuralpde/neuralpde/nn"
	"github.com/neuralpde/neuralpde/nn/implicit"
	"github.com/neuralpde/neuralpde/train"
)

// impTape holds one implicit forward pass's arrays for the backward pass.
type impTape struct {
	batch, n, np int
	in           []float64 // batch × n × (In+Dim)
	v, vp        []float64 // lifted, and padded: batch × n × W, batch × np × W
	inj          []float64 // U vp + b, batch × np × W
	z            []float64 // equilibria, batch × np × W
	crop, q, dq  []float64
	out          []float64
	gq, gcrop    []float64
	gz, ginj     []float64
	gvp, gv      []float64
}

// setGrid points the layer's Functions at grid.
func (m *ImplicitModel) setGrid(grid []int) error {
	if m.grid != nil && slices.Equal(m.grid, grid) {
		return nil
	}
	if err := m.CheckGrid(grid); err != nil {
		return err
	}
	m.grid = append(m.grid[:0], grid...)
	np := 1
	for _, g := range grid {
		np *= g + m.cfg.Padding
	}
	for k, w := range m.workers {
		w.resize(np)
		if err := m.layer.SetFunction(k, w.function(np*m.cfg.Width)); err != nil {
			return err
		}
	}
	return nil
}

// forward runs the model on the encoded inputs a (batch × grid × In) with
// the grid's coordinates; keys (nil for none) are the samples' dataset
// indices for warm starts. It returns the encoded outputs, valid until the
// next call.
func (m *ImplicitModel) forward(a []float64, batch int, grid []int, coords [][]float64, keys []int) ([]float64, error) {
	if err := m.setGrid(grid); err != nil {
		return nil, err
	}
	t := &m.t
	W, P, ci, pw := m.cfg.Width, m.cfg.Padding, m.In+m.Dim, m.cfg.ProjWidth
	n, np := 1, 1
	for _, g := range grid {
		n *= g
		np *= g + P
	}
	t.batch, t.n, t.np = batch, n, np
	t.in = grow(t.in, batch*n*ci)
	t.v, t.vp, t.inj, t.z = grow(t.v, batch*n*W), grow(t.vp, batch*np*W), grow(t.inj, batch*np*W), grow(t.z, batch*np*W)
	t.crop, t.q, t.dq, t.out = grow(t.crop, batch*n*W), grow(t.q, batch*n*pw), grow(t.dq, batch*n*pw), grow(t.out, batch*n*m.Out)
	for p := range batch * n {
		row := t.in[p*ci : (p+1)*ci]
		copy(row, a[p*m.In:(p+1)*m.In])
		j := p % n
		if m.Dim == 1 {
			row[m.In] = coords[0][j]
		} else {
			row[m.In] = coords[0][j/grid[1]]
			row[m.In+1] = coords[1][j%grid[1]]
		}
	}
	m.lift.apply(t.v, t.in, batch*n, true, false)
	pad(t.vp, t.v, batch, grid, P, W)
	m.inject.apply(t.inj, t.vp, batch*np, true, false)
	for _, w := range m.workers {
		w.valid = false // the injection changed
	}
	if _, err := m.layer.Forward(t.z, keys, batch); err != nil {
		return nil, fmt.Errorf("fno: %w", err)
	}
	crop(t.crop, t.z, batch, grid, P, W)
	m.proj1.apply(t.q, t.crop, batch*n, true, false)
	nn.GELUDeriv(t.q, t.dq, t.q)
	m.proj2.apply(t.out, t.q, batch*n, true, false)
	return t.out, nil
}

// backward takes the gradient of the loss with respect to forward's
// output and adds the parameter gradients to each Param's Grad.
func (m *ImplicitModel) backward(gout []float64) error {
	t := &m.t
	W, P, pw := m.cfg.Width, m.cfg.Padding, m.cfg.ProjWidth
	batch, n, np := t.batch, t.n, t.np
	t.gq, t.gcrop = grow(t.gq, batch*n*pw), grow(t.gcrop, batch*n*W)
	t.gz, t.ginj = grow(t.gz, batch*np*W), grow(t.ginj, batch*np*W)
	t.gvp, t.gv = grow(t.gvp, batch*np*W), grow(t.gv, batch*n*W)
	m.proj2.gradW(m.proj2.w.Grad, m.proj2.b.Grad, t.q, gout, batch*n)
	m.proj2.gradX(t.gq, gout, batch*n, false)
	for i, d := range t.dq {
		t.gq[i] *= d
	}
	m.proj1.gradW(m.proj1.w.Grad, m.proj1.b.Grad, t.crop, t.gq, batch*n)
	m.proj1.gradX(t.gcrop, t.gq, batch*n, false)
	pad(t.gz, t.gcrop, batch, m.grid, P, W)
	for _, w := range m.workers {
		for _, g := range w.specGrad {
			clear(g)
		}
		clear(w.tiedGrad)
	}
	if err := m.layer.Backward(t.gz); err != nil {
		return fmt.Errorf("fno: %w", err)
	}
	var re, im *nn.Param
	if m.Dim == 1 {
		re, im = m.spec1.Re, m.spec1.Im
	} else {
		re, im = m.spec2.Re, m.spec2.Im
	}
	for _, w := range m.workers {
		impAdd(re.Grad, w.specGrad[0])
		impAdd(im.Grad, w.specGrad[1])
		impAdd(m.tied.w.Grad, w.tiedGrad)
	}
	m.inject.gradW(m.inject.w.Grad, m.inject.b.Grad, t.vp, t.ginj, batch*np)
	m.inject.gradX(t.gvp, t.ginj, batch*np, false)
	crop(t.gv, t.gvp, batch, m.grid, P, W)
	m.lift.gradW(m.lift.w.Grad, m.lift.b.Grad, t.in, t.gv, batch*n)
	return nil
}

func impAdd(dst, x []float64) {
	for i, v := range x {
		dst[i] += v
	}
}

// ImplicitObjective is the mean relative L2 error of an ImplicitModel's
// decoded predictions on a set of samples, the train.Objective of
// implicit FNO training. With warm starts, its samples' indices key the
// layer's cache.
type ImplicitObjective struct {
	m          *ImplicitModel
	s          *Samples
	inN, outN  Normalizer
	warm       bool
	a, y, gout []float64
	keys       []int
}

var _ train.Objective = (*ImplicitObjective)(nil)

// NewImplicitObjective returns the objective of m on s with normalisers
// inN and outN; warm passes the samples' indices as warm-start keys (for
// the training set only: every set keyed so must be the same set).
func NewImplicitObjective(m *ImplicitModel, s *Samples, inN, outN Normalizer, warm bool) (*ImplicitObjective, error) {
	if s.In != m.In || s.Out != m.Out || len(s.Grid) != m.Dim {
		return nil, fmt.Errorf("fno: samples with %d→%d channels on a %d-D grid for a %d→%d-channel %d-D model", s.In, s.Out, len(s.Grid), m.In, m.Out, m.Dim)
	}
	if err := m.CheckGrid(s.Grid); err != nil {
		return nil, err
	}
	if len(inN.Mean) != s.In || len(inN.Std) != s.In || len(outN.Mean) != s.Out || len(outN.Std) != s.Out {
		return nil, errors.New("fno: normalisers do not match the samples' channels")
	}
	return &ImplicitObjective{m: m, s: s, inN: inN, outN: outN, warm: warm}, nil
}

// Params implements train.Objective.
func (o *ImplicitObjective) Params() []*nn.Param { return o.m.params }

// NumSamples implements train.Objective.
func (o *ImplicitObjective) NumSamples() int { return o.s.N }

// Loss implements train.Objective: the mean over batch (nil: all samples,
// in blocks of the batch size) of the relative L2 error, with its gradient
// in every Param.Grad.
func (o *ImplicitObjective) Loss(batch []int) (float64, error) {
	for _, p := range o.m.params {
		clear(p.Grad)
	}
	return o.loss(batch, true)
}

// LossOnly is Loss without the gradient: forward solves alone (no
// implicit-function-theorem backward), every Param.Grad left as it is.
func (o *ImplicitObjective) LossOnly(batch []int) (float64, error) {
	return o.loss(batch, false)
}

// loss returns the mean relative L2 error over batch (nil: all samples,
// in blocks) and adds its gradient to every Param.Grad when grad is set.
func (o *ImplicitObjective) loss(batch []int, grad bool) (float64, error) {
	if batch != nil {
		return o.step(batch, grad, float64(len(batch)), nil)
	}
	var total float64
	err := o.blocks(func(idx []int) error {
		l, err := o.step(idx, grad, float64(o.s.N), nil)
		total += l
		return err
	})
	return total, err
}

// blocks calls do on consecutive blocks of sample indices of the batch
// size.
func (o *ImplicitObjective) blocks(do func(idx []int) error) error {
	bs := max(o.m.cfg.BatchSize, 1)
	idx := make([]int, 0, bs)
	for i := 0; i < o.s.N; i += bs {
		idx = idx[:0]
		for j := i; j < min(i+bs, o.s.N); j++ {
			idx = append(idx, j)
		}
		if err := do(idx); err != nil {
			return err
		}
	}
	return nil
}

// step adds the loss of samples idx divided by div, and its gradient when
// grad is set; pred, if not nil, receives the decoded predictions.
func (o *ImplicitObjective) step(idx []int, grad bool, div float64, pred []float64) (float64, error) {
	s := o.s
	p := impPoints(s)
	B := len(idx)
	o.a = grow(o.a, B*p*s.In)
	for k, i := range idx {
		o.inN.encode(o.a[k*p*s.In:(k+1)*p*s.In], s.A[i*p*s.In:(i+1)*p*s.In])
	}
	var keys []int
	if o.warm {
		keys = append(o.keys[:0], idx...)
		o.keys = keys
	}
	out, err := o.m.forward(o.a, B, s.Grid, s.Coords, keys)
	if err != nil {
		return 0, err
	}
	o.y = grow(o.y, len(out))
	o.outN.decode(o.y, out)
	o.gout = grow(o.gout, len(out))
	var loss float64
	q := p * s.Out
	for k, i := range idx {
		y, u, g := o.y[k*q:(k+1)*q], s.U[i*q:(i+1)*q], o.gout[k*q:(k+1)*q]
		if pred != nil {
			copy(pred[i*q:(i+1)*q], y)
		}
		var ee, uu float64
		for j := range y {
			g[j] = y[j] - u[j]
			ee += g[j] * g[j]
			uu += u[j] * u[j]
		}
		r := math.Sqrt(ee / uu)
		if math.IsNaN(r) || math.IsInf(r, 0) {
			return 0, errors.New("fno: non-finite loss; lower the learning rate or check the data")
		}
		loss += r / div
		// ∂‖e‖/‖u‖ / ∂e = e/(‖e‖‖u‖).
		c := 0.0
		if ee > 0 {
			c = 1 / (math.Sqrt(ee) * math.Sqrt(uu))
		}
		for j := range g {
			g[j] *= c
		}
	}
	if !grad {
		return loss, nil
	}
	c := len(o.outN.Std)
	for j := range o.gout {
		o.gout[j] *= o.outN.Std[j%c] / div
	}
	return loss, o.m.backward(o.gout)
}

// predict returns the decoded predictions for every sample and the mean
// relative L2 error.
func (o *ImplicitObjective) predict() ([]float64, float64, error) {
	pred := make([]float64, len(o.s.U))
	var total float64
	err := o.blocks(func(idx []int) error {
		l, err := o.step(idx, false, float64(o.s.N), pred)
		total += l
		return err
	})
	return pred, total, err
}

const implicitCheckpointKind = "fno-implicit"

// SolverFile is the JSON-lines solver report of an implicit training run
// (implicit.ReportRecorder), beside MetricsFile.
const SolverFile = "solver.jsonl"

// implicitModelFile is the JSON content of ModelFile for an implicit FNO.
type implicitModelFile struct {
	Implicit *ImplicitConfig `json:"implicit"`
	Dim      int             `json:"dim"`
	In       int             `json:"in"`
	Out      int             `json:"out"`
	InNorm   Normalizer      `json:"in_norm"`
	OutNorm  Normalizer      `json:"out_norm"`
}

// TrainedImplicit is an implicit FNO with its normalisers.
type TrainedImplicit struct {
	Model           *ImplicitModel
	InNorm, OutNorm Normalizer
}

// ImplicitResult is the outcome of TrainImplicit.
type ImplicitResult struct {
	Train *train.Result
	*TrainedImplicit
	// TrainRelL2 and TestRelL2 are the mean relative L2 errors on the
	// training and held-out samples (NaN without any held out).
	TrainRelL2, TestRelL2 float64
	// EpochTime is the mean wall time of one training epoch.
	EpochTime time.Duration
	// Solves, Failures and BackwardFailures count the layer's per-sample
	// solves over the run (training and evaluation) and those that missed
	// their tolerance (flagged, under on_failure: flag).
	Solves, Failures, BackwardFailures int
}

// TrainImplicit trains an implicit FNO of cfg on ds (static data: a field
// to a field on one grid) and writes outDir/checkpoint.npz, model.json,
// metrics.jsonl and solver.jsonl (the per-step solver report), with a
// progress line per epoch on progress (nil for none).
func TrainImplicit(ctx context.Context, cfg *ImplicitConfig, ds *data.Dataset, outDir string, progress io.Writer) (*ImplicitResult, error) {
	c, _, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	s, uniform, err := Static(ds)
	if err != nil {
		return nil, err
	}
	if c.Test >= s.N {
		return nil, fmt.Errorf("fno: test of %d samples leaves none of the %d to train on", c.Test, s.N)
	}
	nt := s.N - c.Test
	if c.Train > 0 {
		if c.Train > nt {
			return nil, fmt.Errorf("fno: train of %d samples but only %d precede the %d test samples", c.Train, nt, c.Test)
		}
		nt = c.Train
	}
	tr := impSlice(s, 0, nt)
	var te *Samples
	if c.Test > 0 {
		te = impSlice(s, s.N-c.Test, s.N)
	}
	if progress != nil && uniform {
		fmt.Fprintln(progress, "fno: the data carry no coordinates; using a uniform grid")
	}
	m, err := NewImplicitModel(c, len(s.Grid), s.In, s.Out, rand.New(rand.NewPCG(c.Seed, 0x666e6f)))
	if err != nil {
		return nil, err
	}
	tm := &TrainedImplicit{Model: m, InNorm: fitNormalizer(tr.A, s.In), OutNorm: fitNormalizer(tr.U, s.Out)}
	obj, err := NewImplicitObjective(m, tr, tm.InNorm, tm.OutNorm, c.WarmStart)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return nil, fmt.Errorf("fno: %w", err)
	}
	mf, err := json.MarshalIndent(implicitModelFile{Implicit: m.Config(), Dim: m.Dim, In: m.In, Out: m.Out, InNorm: tm.InNorm, OutNorm: tm.OutNorm}, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := data.WriteFileAtomic(filepath.Join(outDir, ModelFile), func(w io.Writer) error { _, err := w.Write(mf); return err }); err != nil {
		return nil, err
	}
	var files []*os.File
	defer func() {
		for _, f := range files {
			f.Close()
		}
	}()
	for _, name := range []string{MetricsFile, SolverFile} {
		f, err := os.Create(filepath.Join(outDir, name))
		if err != nil {
			return nil, fmt.Errorf("fno: %w", err)
		}
		files = append(files, f)
	}
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
		Recorders: []train.Recorder{&train.JSONLines{W: files[0], Every: perEpoch},
			&implicit.ReportRecorder{W: files[1], Layer: m.layer}},
		Checkpoint: train.Checkpointing{Path: filepath.Join(outDir, CheckpointFile), Every: c.CheckpointEvery * perEpoch, Kind: implicitCheckpointKind, Config: m.Config()},
	}
	if progress != nil {
		tc.Recorders = append(tc.Recorders, &train.ProgressLine{W: progress, Every: perEpoch})
	}
	if te != nil {
		eo, err := NewImplicitObjective(m, te, tm.InNorm, tm.OutNorm, false)
		if err != nil {
			return nil, err
		}
		tc.Eval = eo
	}
	res, err := train.Run(ctx, obj, tc)
	if err != nil {
		return nil, err
	}
	out := &ImplicitResult{Train: res, TrainedImplicit: tm, TestRelL2: math.NaN()}
	if res.Epochs > 0 {
		out.EpochTime = res.Runtime / time.Duration(res.Epochs)
	}
	if _, out.TrainRelL2, err = obj.predict(); err != nil {
		return nil, err
	}
	if te != nil {
		eo, _ := NewImplicitObjective(m, te, tm.InNorm, tm.OutNorm, false)
		if _, out.TestRelL2, err = eo.predict(); err != nil {
			return nil, err
		}
	}
	r := m.layer.Report()
	out.Solves, out.Failures, out.BackwardFailures = r.Solves, r.TotalFailures, r.TotalBackwardFailures
	return out, nil
}

// LoadImplicit returns the implicit FNO trained into dir by TrainImplicit.
func LoadImplicit(dir string) (*TrainedImplicit, error) {
	b, err := os.ReadFile(filepath.Join(dir, ModelFile))
	if err != nil {
		return nil, fmt.Errorf("fno: %w; is %s a directory written by TrainImplicit?", err, dir)
	}
	var mf implicitModelFile
	if err := json.Unmarshal(b, &mf); err != nil {
		return nil, fmt.Errorf("fno: %s: %v", filepath.Join(dir, ModelFile), err)
	}
	if mf.Implicit == nil {
		return nil, fmt.Errorf("fno: %s has no implicit config; load an explicit FNO with Load", filepath.Join(dir, ModelFile))
	}
	if len(mf.InNorm.Mean) != mf.In || len(mf.OutNorm.Mean) != mf.Out || len(mf.InNorm.Std) != mf.In || len(mf.OutNorm.Std) != mf.Out {
		return nil, fmt.Errorf("fno: %s: normalisers do not match %d input and %d output channels", filepath.Join(dir, ModelFile), mf.In, mf.Out)
	}
	m, err := NewImplicitModel(mf.Implicit, mf.Dim, mf.In, mf.Out, rand.New(rand.NewPCG(0, 0)))
	if err != nil {
		return nil, err
	}
	ck, err := train.ReadCheckpoint(filepath.Join(dir, CheckpointFile))
	if err != nil {
		return nil, err
	}
	if err := ck.Restore(implicitCheckpointKind, m.Params()); err != nil {
		return nil, err
	}
	return &TrainedImplicit{Model: m, InNorm: mf.InNorm, OutNorm: mf.OutNorm}, nil
}

// EvaluateImplicit loads the implicit FNO in dir and evaluates it on ds at
// ds's own resolution.
func EvaluateImplicit(dir string, ds *data.Dataset) (*Evaluation, error) {
	tm, err := LoadImplicit(dir)
	if err != nil {
		return nil, err
	}
	return tm.Evaluate(ds)
}

// Evaluate evaluates tm on ds at ds's resolution (any grid with at least
// twice Modes points per axis after padding).
func (tm *TrainedImplicit) Evaluate(ds *data.Dataset) (*Evaluation, error) {
	s, uniform, err := Static(ds)
	if err != nil {
		return nil, err
	}
	obj, err := NewImplicitObjective(tm.Model, s, tm.InNorm, tm.OutNorm, false)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	pred, rel, err := obj.predict()
	if err != nil {
		return nil, err
	}
	return &Evaluation{RelL2: rel, Grid: s.Grid, Predictions: data.NewArray(pred, ds.Outputs.Shape...), Elapsed: time.Since(start), UniformGrid: uniform}, nil
}

// impPoints returns the number of grid points of one sample of s.
func impPoints(s *Samples) int {
	n := 1
	for _, g := range s.Grid {
		n *= g
	}
	return n
}

// impSlice returns samples [i, j) of s.
func impSlice(s *Samples, i, j int) *Samples {
	p := impPoints(s)
	t := *s
	t.N = j - i
	t.A = s.A[i*p*s.In : j*p*s.In]
	t.U = s.U[i*p*s.Out : j*p*s.Out]
	return &t
}
