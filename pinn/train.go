package pinn

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"time"

	"github.com/neuralpde/neuralpde/train"
)

// MetricsName is the metrics log's file name inside a training directory:
// one JSON object per line with stage, optimizer, step (counted over all
// stages), loss, seconds since the start and, every EvalEvery steps,
// rel_l2 on the standard grid.
const MetricsName = train.MetricsFile

// StageResult is the outcome of one optimizer stage.
type StageResult struct {
	Optimizer string
	Status    train.Status
	Steps     int
	Loss      float64
	Seconds   float64
}

// Result is the outcome of Train.
type Result struct {
	Stages []StageResult
	// Steps is the number of steps of all stages.
	Steps int
	// RelL2 is the final relative L2 error on the standard grid, NaN
	// without a reference.
	RelL2 float64
	// TargetReached reports that TargetError was reached (training then
	// stopped early).
	TargetReached bool
	// Seconds is the wall time of training, set-up included.
	Seconds float64
	// Coefficients are the identified parameters of an inverse problem.
	Coefficients map[string]float64
	// Evaluation is the trained model on the standard grid.
	Evaluation *Evaluation
}

// Train trains the PINN cfg describes and writes, into the directory dir
// (created if needed; empty means no files), the checkpoint
// (CheckpointName, readable by Evaluate), the metrics log (MetricsName)
// and the prediction on the standard grid (prediction.npz). Progress
// lines go to log (nil means none). A canceled ctx stops training after
// writing the checkpoint.
func Train(ctx context.Context, cfg *Config, dir string, log io.Writer) (*Result, error) {
	start := time.Now()
	if cfg == nil {
		return nil, errors.New("pinn: Train needs a config; start from DefaultConfig(preset)")
	}
	p, m, err := cfg.build()
	if err != nil {
		return nil, err
	}
	grid, err := StandardGrid(cfg.Preset, cfg.Reference)
	if err != nil {
		return nil, err
	}
	pn, err := cfg.newPINN(p, m, grid)
	if err != nil {
		return nil, err
	}
	if cfg.WarmStart != "" {
		path := cfg.WarmStart
		if filepath.Ext(path) != ".npz" {
			path = filepath.Join(path, CheckpointName)
		}
		ck, err := train.ReadCheckpoint(path)
		if err != nil {
			return nil, fmt.Errorf("pinn: warm start: %w", err)
		}
		if err := ck.Restore(CheckpointKind, pn.Params()); err != nil {
			return nil, fmt.Errorf("pinn: warm start from %s: %w", path, err)
		}
	}
	stages := cfg.Stages
	if len(stages) == 0 {
		stages = []StageConfig{{Optimizer: "adam", Steps: 5000}, {Optimizer: "lbfgs", Steps: 5000}}
	}
	var metrics io.Writer
	ckpt := ""
	if dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("pinn: %v", err)
		}
		f, err := os.Create(filepath.Join(dir, MetricsName))
		if err != nil {
			return nil, fmt.Errorf("pinn: %v", err)
		}
		defer f.Close()
		metrics = f
		ckpt = filepath.Join(dir, CheckpointName)
	}
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	rec := &recorder{w: metrics, log: log, model: m, grid: grid, every: orInt(cfg.EvalEvery, 100), target: cfg.TargetError, cancel: cancel, start: start, pn: pn}
	if cfg.SpectrumEvery > 0 && dir != "" {
		f, err := os.Create(filepath.Join(dir, SpectrumName))
		if err != nil {
			return nil, fmt.Errorf("pinn: %v", err)
		}
		defer f.Close()
		rec.spectrum = f
	}
	res := &Result{RelL2: math.NaN()}
	for si, st := range stages {
		rec.stage, rec.optimizer = si, st.Optimizer
		if st.Collocation > 0 {
			if pn, err = cfg.resample(pn, st.Collocation, si); err != nil {
				return res, err
			}
			rec.pn = pn
		}
		var sr StageResult
		sr, pn, err = cfg.runStage(runCtx, pn, st, si, rec, ckpt)
		res.Stages = append(res.Stages, sr)
		res.Steps += sr.Steps
		if err != nil {
			return res, err
		}
		if rec.reached || ctx.Err() != nil {
			break
		}
	}
	res.TargetReached = rec.reached
	e, err := evaluate(cfg, m, pn.Coefficients)
	if err != nil {
		return res, err
	}
	res.Evaluation, res.RelL2, res.Coefficients = e, e.RelL2, e.Coefficients
	res.Seconds = time.Since(start).Seconds()
	if dir != "" {
		if err := e.WriteNPZ(filepath.Join(dir, "prediction.npz")); err != nil {
			return res, err
		}
	}
	if log != nil {
		fmt.Fprintf(log, "pinn: %s: %d steps in %.1f s, relative L2 error %.3e\n", cfg.Preset, res.Steps, res.Seconds, res.RelL2)
		for _, u := range cfg.Unknowns {
			fmt.Fprintf(log, "pinn: identified %s = %.6g\n", u.Name, res.Coefficients[u.Name])
		}
	}
	return res, nil
}

// newPINN samples the configured loss terms.
func (cfg *Config) newPINN(p *Problem, m *Model, grid *Grid) (*PINN, error) {
	s, err := NewSampler(orString(cfg.Points.Sampler, "lhs"), cfg.Points.Seed)
	if err != nil {
		return nil, err
	}
	w := cfg.Weights
	tc := TermsConfig{
		Collocation: orInt(cfg.Points.Collocation, 10000), Initial: orInt(cfg.Points.Initial, 50), Boundary: orInt(cfg.Points.Boundary, 50),
		ResidualWeight: w.Residual, InitialWeight: w.Initial, BoundaryWeight: w.Boundary,
	}
	if len(cfg.Unknowns) == 0 {
		terms, err := NewTerms(p, m.Constraint, tc, s)
		if err != nil {
			return nil, err
		}
		return NewPINN(p, m, terms, nil)
	}
	// An inverse problem: residual and observations of the reference.
	if grid.Reference == nil {
		return nil, fmt.Errorf("pinn: the inverse problem on %q needs a reference solution to observe; set reference", cfg.Preset)
	}
	pts := grid.Points()
	n := orInt(cfg.Observations, 2000)
	total := len(grid.Reference)
	if n > total {
		return nil, fmt.Errorf("pinn: %d observations from a grid of %d points", n, total)
	}
	perm := newRand(cfg.Points.Seed + 1).Perm(total)[:n]
	sort.Ints(perm)
	obs := &Term{Kind: DataTerm, Points: make([]float64, 0, 2*n), Target: make([]float64, n), Weight: w.Data}
	for i, k := range perm {
		obs.Points = append(obs.Points, pts[2*k], pts[2*k+1])
		obs.Target[i] = grid.Reference[k]
	}
	col, err := SampleInterior(nil, p.Domain(), tc.Collocation, s)
	if err != nil {
		return nil, err
	}
	res := &Term{Kind: ResidualTerm, Points: col, Weight: w.Residual}
	if p.Source != nil {
		res.Target = evalAt(p.Source, col, p.Dim())
	}
	return NewPINN(p, m, []*Term{res, obs}, cfg.Unknowns)
}

// optimizer returns the stage's optimizer and schedule.
func (st StageConfig) optimizer() (train.Optimizer, train.Schedule, error) {
	if st.Steps <= 0 {
		return nil, nil, fmt.Errorf("pinn: stage %q has %d steps; give a positive number", st.Optimizer, st.Steps)
	}
	info, err := train.LookupOptimizer(st.Optimizer)
	if err != nil {
		return nil, nil, fmt.Errorf("pinn: stage optimizer: %w", err)
	}
	s := train.OptimizerSettings{LearningRate: st.LearningRate, Damping: st.Damping}
	switch info.Name {
	case "adam", "sgd":
		// Plain gradient descent ("gd") and Adam start at 1e-3 here.
		s.LearningRate = orFloat(st.LearningRate, 1e-3)
	case "lbfgs":
		s.Memory = 50
	}
	opt, err := train.NewOptimizer(info.Name, s)
	if err != nil {
		return nil, nil, fmt.Errorf("pinn: %w", err)
	}
	if !slices.Contains(info.Settings, "learning_rate") {
		return opt, nil, nil
	}
	var sched train.Schedule = train.Constant{}
	if st.Decay > 0 {
		sched = train.Exponential{Gamma: st.Decay}
	}
	return opt, sched, nil
}

// offsetSchedule continues a schedule across rounds of refinement.
type offsetSchedule struct {
	s      train.Schedule
	offset int
}

func (o offsetSchedule) Rate(step int) float64 { return o.s.Rate(step + o.offset) }

// runStage runs one stage; the first stage runs in rounds when adaptive
// refinement is on, and returns the PINN with the refined points.
func (cfg *Config) runStage(ctx context.Context, pn *PINN, st StageConfig, si int, rec *recorder, ckpt string) (StageResult, *PINN, error) {
	sr := StageResult{Optimizer: st.Optimizer, Loss: math.NaN()}
	start := time.Now()
	opt, sched, err := st.optimizer()
	if err != nil {
		return sr, pn, err
	}
	w := cfg.Weights
	rounds := []int{st.Steps}
	ref := cfg.Refine
	if si == 0 && ref.Every > 0 && ref.Add > 0 {
		rounds = nil
		for left := st.Steps; left > 0; left -= ref.Every {
			rounds = append(rounds, min(left, ref.Every))
		}
	}
	if st.Optimizer == "adam" && (w.Adaptive || w.Causal || len(rounds) > 1) {
		wo := &weighting{inner: opt, pn: pn}
		if w.Adaptive {
			wo.adaptEvery, wo.alpha = orInt(w.AdaptEvery, 100), orFloat(w.AdaptAlpha, 0.9)
		}
		if w.Causal {
			eps := w.CausalEps
			if len(eps) == 0 {
				eps = []float64{1e-2, 1e-1, 1, 10, 100}
			}
			wo.causal = &causal{slices: orInt(w.CausalSlices, 32), eps: eps}
			wo.causalEvery = orInt(w.CausalEvery, 1)
		}
		opt = wo
	} else if st.Optimizer != "adam" && pn.anyPointWeights() {
		// Causal weights are a training device of the first-order stage;
		// later stages minimise the plain loss.
		pn.clearPointWeights()
	}
	done := 0
	for r, steps := range rounds {
		if r > 0 {
			if pn, err = cfg.refine(pn, r); err != nil {
				return sr, pn, err
			}
			rec.pn = pn
			if wo, ok := opt.(*weighting); ok {
				wo.pn = pn
			}
		}
		if wo, ok := opt.(*weighting); ok {
			wo.offset = done
		}
		tc := &train.Config{
			Optimizer: opt, Steps: steps, Recorders: []train.Recorder{rec},
			Checkpoint: train.Checkpointing{Path: ckpt, Every: cfg.CheckpointEvery, Kind: CheckpointKind, Config: cfg},
		}
		if tc.Preconditioner, err = train.NewPreconditioner(st.Precondition, pn.Objective(), cfg.Points.Seed+uint64(si)); err != nil {
			return sr, pn, fmt.Errorf("pinn: stage %d (%s): %w", si, st.Optimizer, err)
		}
		if cfg.SpectrumEvery > 0 {
			tc.Recorders = append(tc.Recorders, newSpectrumLog(pn.Objective(), st.Precondition, cfg.Points.Seed+uint64(si),
				cfg.SpectrumEvery, rec.log, rec.spectrum, si, done))
		}
		if sched != nil {
			tc.Schedule = offsetSchedule{s: sched, offset: done}
		}
		rec.base = rec.steps
		out, err := train.Run(ctx, pn.Objective(), tc)
		if out != nil {
			sr.Status, sr.Loss = out.Status, out.Loss
			sr.Steps += out.Steps
			done += out.Steps
		}
		if err != nil {
			return sr, pn, fmt.Errorf("pinn: stage %d (%s): %w", si, st.Optimizer, err)
		}
		if out.Status != train.StepLimit {
			break
		}
		if wo, ok := opt.(*weighting); ok {
			wo.save()
		}
	}
	sr.Seconds = time.Since(start).Seconds()
	return sr, pn, nil
}

func (pn *PINN) anyPointWeights() bool {
	for _, t := range pn.Terms {
		if t.PointWeights != nil {
			return true
		}
	}
	return false
}

func (pn *PINN) clearPointWeights() {
	for _, t := range pn.Terms {
		t.PointWeights = nil
	}
	pn.SetWeights()
}

// refine adds the cfg.Refine.Add candidates with the largest residual to
// the collocation points and returns the new PINN (same model).
func (cfg *Config) refine(pn *PINN, round int) (*PINN, error) {
	ref := cfg.Refine
	n := orInt(ref.Candidates, 10*ref.Add)
	s, err := NewSampler("uniform", cfg.Points.Seed+uint64(1000+round))
	if err != nil {
		return nil, err
	}
	cand, err := SampleInterior(nil, pn.Problem.Domain(), n, s)
	if err != nil {
		return nil, err
	}
	r, err := pn.ResidualAt(cand)
	if err != nil {
		return nil, err
	}
	return pn.AddCollocation(TopResidual(cand, r, pn.Problem.Dim(), ref.Add))
}

// resample returns pn with n fresh collocation points from the
// configured sampler, seeded by the points' seed and the stage index.
func (cfg *Config) resample(pn *PINN, n, stage int) (*PINN, error) {
	s, err := NewSampler(orString(cfg.Points.Sampler, "lhs"), cfg.Points.Seed+uint64(stage))
	if err != nil {
		return nil, err
	}
	pts, err := SampleInterior(nil, pn.Problem.Domain(), n, s)
	if err != nil {
		return nil, err
	}
	return pn.ReplaceCollocation(pts)
}

// ResidualAt returns the PDE residual of the current model at the n×d
// points pts, evaluated in chunks of at most 4096 points.
func (pn *PINN) ResidualAt(pts []float64) ([]float64, error) {
	d := pn.Problem.Dim()
	n := len(pts) / d
	out := make([]float64, 0, n)
	const chunk = 4096
	for lo := 0; lo < n; lo += chunk {
		hi := min(n, lo+chunk)
		t := &Term{Kind: ResidualTerm, Points: pts[lo*d : hi*d], Weight: float64(hi - lo)}
		if pn.Problem.Source != nil {
			t.Target = evalAt(pn.Problem.Source, t.Points, d)
		}
		q, err := NewPINN(pn.Problem, pn.Model, []*Term{t}, pn.unknowns())
		if err != nil {
			return nil, err
		}
		// Share the trained coefficients.
		for i, c := range q.Coefficients {
			copy(c.Value, pn.Coefficients[i].Value)
		}
		r, err := q.Objective().Residuals(nil, nil)
		if err != nil {
			return nil, err
		}
		out = append(out, r...)
	}
	return out, nil
}

func (pn *PINN) unknowns() []Unknown {
	u := make([]Unknown, len(pn.Coefficients))
	for i, c := range pn.Coefficients {
		u[i] = Unknown{Name: c.Name[len("coef."):], Init: c.Value[0]}
	}
	return u
}

// TopResidual returns the k rows of pts (n×d) with the largest |r|.
func TopResidual(pts, r []float64, d, k int) []float64 {
	idx := make([]int, len(r))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return math.Abs(r[idx[a]]) > math.Abs(r[idx[b]]) })
	k = min(k, len(idx))
	out := make([]float64, 0, k*d)
	for _, i := range idx[:k] {
		out = append(out, pts[i*d:(i+1)*d]...)
	}
	return out
}

// AddCollocation returns a PINN on the same model whose residual term
// also holds the given points (re-sorted by time; point weights reset).
func (pn *PINN) AddCollocation(pts []float64) (*PINN, error) {
	return pn.withCollocation(pts, true)
}

// ReplaceCollocation returns a PINN on the same model and coefficients
// whose residual term holds the given points instead of its own (sorted
// by time; point weights reset); the other terms are kept.
func (pn *PINN) ReplaceCollocation(pts []float64) (*PINN, error) {
	return pn.withCollocation(pts, false)
}

func (pn *PINN) withCollocation(pts []float64, keep bool) (*PINN, error) {
	d := pn.Problem.Dim()
	terms := make([]*Term, len(pn.Terms))
	for k, t := range pn.Terms {
		c := *t
		if t.Kind == ResidualTerm {
			var kept []float64
			if keep {
				kept = t.Points
			}
			c.Points = append(append([]float64(nil), kept...), pts...)
			if pn.Problem.Time != nil {
				sortByTime(c.Points, d)
			}
			c.Target = nil
			if pn.Problem.Source != nil {
				c.Target = evalAt(pn.Problem.Source, c.Points, d)
			}
			c.PointWeights = nil
		}
		terms[k] = &c
	}
	q, err := NewPINN(pn.Problem, pn.Model, terms, pn.unknowns())
	if err != nil {
		return nil, err
	}
	if len(pn.Coefficients) == 0 {
		return q, nil
	}
	// Train the same coefficients.
	q.Coefficients = pn.Coefficients
	return q, q.compile()
}

// recorder writes the metrics log and progress lines and stops training
// at the target error.
type recorder struct {
	w, log    io.Writer
	spectrum  io.Writer // spectrum.jsonl, or nil
	model     *Model
	grid      *Grid
	pn        *PINN
	every     int
	target    float64
	cancel    func()
	start     time.Time
	stage     int
	optimizer string
	base      int
	steps     int
	reached   bool
	buf       []float64
}

type metricsLine struct {
	Stage     int      `json:"stage"`
	Optimizer string   `json:"optimizer"`
	Step      int      `json:"step"`
	Loss      float64  `json:"loss"`
	RelL2     *float64 `json:"rel_l2,omitempty"`
	Seconds   float64  `json:"seconds"`
}

func (r *recorder) Record(m train.Metrics) error {
	r.steps = r.base + m.Step
	line := metricsLine{Stage: r.stage, Optimizer: r.optimizer, Step: r.steps, Loss: m.Loss, Seconds: time.Since(r.start).Seconds()}
	if r.steps%r.every == 0 && r.grid.Reference != nil {
		r.buf = r.model.Eval(r.buf, r.grid.Points())
		if r.grid.Mask != nil {
			for i, v := range r.grid.Mask {
				if v == 0 {
					r.buf[i] = 0
				}
			}
		}
		e := r.grid.RelL2(r.buf)
		line.RelL2 = &e
		if r.target > 0 && e <= r.target {
			r.reached = true
			r.cancel()
		}
	}
	if r.w != nil {
		b, err := json.Marshal(line)
		if err != nil {
			return err
		}
		if _, err := r.w.Write(append(b, '\n')); err != nil {
			return err
		}
	}
	if r.log != nil && (line.RelL2 != nil || m.Step == m.TotalSteps) {
		rel := math.NaN()
		if line.RelL2 != nil {
			rel = *line.RelL2
		}
		fmt.Fprintf(r.log, "stage %d %-5s step %6d  loss %.4e  rel L2 %.4e  %7.1f s", r.stage, r.optimizer, r.steps, m.Loss, rel, line.Seconds)
		for _, c := range r.pn.Coefficients {
			fmt.Fprintf(r.log, "  %s %.5g", c.Name, c.Value[0])
		}
		fmt.Fprintln(r.log)
	}
	return nil
}

func (r *recorder) Finish(*train.Result) error { return nil }

func orInt(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

func orFloat(v, def float64) float64 {
	if v == 0 {
		return def
	}
	return v
}

func orString(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// SpectrumName is the file in the run directory that holds the Lanczos
// estimates of Config.SpectrumEvery, one JSON line each:
// {"stage":0,"step":20,"spectrum":{"max":…,"min":…,"cond":…},"precond_spectrum":{…}}.
const SpectrumName = "spectrum.jsonl"

// spectrumLog is a train.SpectrumRecorder that prints each estimate and
// writes it, with the stage and the step counted across the stage's
// rounds, as a JSON line to w. The preconditioned estimate uses a fresh
// preconditioner of the stage's kind at the current point (Fresh; the
// training one was built a step earlier, and its default damping is used,
// so the figure shows what preconditioning does to the kernel here). Ritz
// values below 1e-10 of the largest count as zero: an MLP's kernel is
// numerically rank-deficient and the smallest values are rounding.
type spectrumLog struct {
	train.SpectrumRecorder
	precond     string
	log, w      io.Writer
	stage, base int
}

func newSpectrumLog(obj *Objective, precond string, seed uint64, every int, log, w io.Writer, stage, base int) *spectrumLog {
	r := &spectrumLog{precond: precond, log: log, w: w, stage: stage, base: base}
	r.SpectrumRecorder = train.SpectrumRecorder{
		Objective: obj, Every: every,
		Options: &train.SpectrumOptions{Iterations: 60, RankTol: 1e-10, Seed: seed},
	}
	if precond != "" && precond != "none" {
		r.Fresh = func() (train.Preconditioner, error) { return train.NewPreconditioner(precond, obj, seed) }
	}
	return r
}

func (r *spectrumLog) Record(m train.Metrics) error {
	n := len(r.History)
	if err := r.SpectrumRecorder.Record(m); err != nil || len(r.History) == n {
		return err
	}
	h := r.History[n]
	line := map[string]any{"stage": r.stage, "step": r.base + m.Step, "spectrum": spectrumJSON(h.Plain)}
	msg := fmt.Sprintf("stage %d step %d: JᵀJ eigenvalues [%.3g, %.3g], condition %.3g", r.stage, r.base+m.Step, h.Plain.Min, h.Plain.Max, h.Plain.Cond)
	if r.Fresh != nil {
		p := h.Preconditioned
		line["precond_spectrum"] = spectrumJSON(p)
		msg += fmt.Sprintf("; with %s [%.3g, %.3g], condition %.3g", r.precond, p.Min, p.Max, p.Cond)
	}
	if r.log != nil {
		fmt.Fprintln(r.log, msg)
	}
	if r.w == nil {
		return nil
	}
	b, err := json.Marshal(line)
	if err != nil {
		return fmt.Errorf("pinn: spectrum line: %v", err)
	}
	_, err = r.w.Write(append(b, '\n'))
	return err
}

func spectrumJSON(s train.Spectrum) map[string]float64 {
	finite := func(v float64) float64 {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return 0
		}
		return v
	}
	return map[string]float64{"max": finite(s.Max), "min": finite(s.Min), "cond": finite(s.Cond)}
}
