package train

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/neuralpde/neuralpde/nn"
)

// Config configures Run. The zero value trains with Adam on the full batch
// for 1000 steps.
type Config struct {
	// Optimizer takes the steps; nil means Adam with its defaults.
	Optimizer Optimizer
	// Schedule gives the learning-rate factor of each step; nil means
	// Constant.
	Schedule Schedule
	// Steps is the number of optimizer steps; zero means Epochs passes
	// over the samples, or 1000 steps when Epochs is zero too.
	Steps int
	// Epochs is the number of passes over the samples when Steps is zero.
	Epochs int
	// BatchSize is the number of samples per step, drawn without
	// replacement from a permutation reshuffled every epoch; zero (or at
	// least NumSamples) means full batch.
	BatchSize int
	// Seed seeds the shuffling (a PCG generator).
	Seed uint64
	// ClipNorm rescales the gradient to this Euclidean norm when it is
	// longer (global-norm clipping, Pascanu, Mikolov & Bengio (2013), "On
	// the difficulty of training recurrent neural networks"); zero means
	// no clipping.
	ClipNorm float64
	// WeightDecay is the coefficient λ of the L2 penalty ½λ‖θ‖² added to
	// the loss of every parameter no Group overrides; zero means none.
	// (AdamW and Muon have their own decoupled decay.)
	WeightDecay float64
	// Groups set per-parameter learning-rate multipliers, weight decay,
	// or freezing, selected by name.
	Groups []Group
	// Preconditioner transforms each step's gradient before the optimizer
	// sees it; nil means the identity.
	Preconditioner Preconditioner
	// Eval is a held-out objective evaluated on all its samples every
	// EvalEvery steps (through LossOnly when it is a LossEvaluator); nil
	// means none.
	Eval Objective
	// EvalEvery is the number of steps between evaluations (and between
	// early-stopping and plateau checks); zero means 100.
	EvalEvery int
	// TargetLoss stops the run with TargetReached once the training loss
	// is at most TargetLoss; zero means no target.
	TargetLoss float64
	// Patience stops the run with EarlyStopped after this many
	// evaluations without a relative improvement of MinDelta in the
	// monitored loss (Eval's loss, else the training loss); zero means
	// never.
	Patience int
	// MinDelta is the relative improvement that resets the patience; zero
	// means any decrease.
	MinDelta float64
	// Recorders observe the run (progress, metrics files).
	Recorders []Recorder
	// Checkpoint configures checkpoint files; a zero value writes none.
	Checkpoint Checkpointing
	// Resume is the path of a checkpoint to continue from; empty means a
	// fresh start. The model, optimizer, schedule, data and BatchSize must
	// match the run that wrote it; Steps and Epochs count from the start
	// of that run, so a resumed run with the same Config stops where the
	// uninterrupted one would have.
	Resume string
}

// Result is the outcome of Run.
type Result struct {
	// Status says why the run stopped.
	Status Status
	// Steps is the number of steps completed, counting those before a
	// resume; Epochs the number of completed passes.
	Steps, Epochs int
	// Loss is the training loss at the final parameters on all samples.
	Loss float64
	// BestLoss is the lowest training loss seen at the start of a step.
	BestLoss float64
	// EvalLoss is the last evaluation loss, NaN when none ran; BestEval
	// the lowest.
	EvalLoss, BestEval float64
	// Losses is the training loss at the start of each step of this call.
	Losses []float64
	// Runtime is the wall time of this call.
	Runtime time.Duration
	// Checkpoint is the path of the last checkpoint written, empty when
	// none was.
	Checkpoint string
}

// Run minimises obj with cfg. It returns a Result whenever the run got
// under way, and an error when it stopped with Status Failure or
// NonFinite or could not start. A canceled ctx stops it cleanly with
// Status Canceled after writing a checkpoint, if one is configured, and
// no error.
//
// Result.Loss, the loss at the final parameters, is evaluated through
// LossOnly when obj is a LossEvaluator (a gradient there would cost about
// one more epoch and nothing uses it). So every Param.Grad after Run is the
// optimizer's scratch, not a result: it holds whatever the run's last
// gradient evaluation left there (a mini-batch's, a line-search trial
// point's, or one clipped or preconditioned in place), and in general not
// the gradient at the returned parameters. Call obj.Loss for that.
func Run(ctx context.Context, obj Objective, cfg *Config) (*Result, error) {
	if cfg == nil {
		cfg = &Config{}
	}
	r, err := newRun(obj, cfg)
	if err != nil {
		return nil, err
	}
	if cfg.Resume != "" {
		if err := r.resume(cfg.Resume); err != nil {
			return nil, err
		}
	}
	return r.loop(ctx)
}

// run is the state of one call to Run.
type run struct {
	cfg       *Config
	start     time.Time
	obj       Objective // the problem the optimizer sees
	prob      *problem
	opt       Optimizer
	sched     Schedule
	pcg       *rand.PCG
	rng       *rand.Rand
	perm      []int
	pos       int
	batchSize int
	maxSteps  int
	evalEvery int
	rates     []float64
	st        Step
	batch     []int                   // the current step's batch
	eval      func() (float64, error) // evaluates the current batch

	step, epoch        int
	bestLoss           float64
	bestMonitor        float64
	bad                int
	evalLoss, bestEval float64
	fresh              bool
	freshLoss          float64
	lastCkpt           string
	lastCkptStep       int
}

func newRun(obj Objective, cfg *Config) (*run, error) {
	if obj == nil {
		return nil, errors.New("train: Run needs an objective")
	}
	if cfg.Steps < 0 || cfg.Epochs < 0 || cfg.BatchSize < 0 || cfg.EvalEvery < 0 || cfg.Patience < 0 {
		return nil, fmt.Errorf("train: negative Steps (%d), Epochs (%d), BatchSize (%d), EvalEvery (%d) or Patience (%d)", cfg.Steps, cfg.Epochs, cfg.BatchSize, cfg.EvalEvery, cfg.Patience)
	}
	if cfg.ClipNorm < 0 || math.IsNaN(cfg.ClipNorm) {
		return nil, fmt.Errorf("train: ClipNorm is %v; use a positive norm, or zero for none", cfg.ClipNorm)
	}
	n := obj.NumSamples()
	if n <= 0 {
		return nil, fmt.Errorf("train: the objective has %d samples; it needs at least one", n)
	}
	wrapped, prob, err := newProblem(obj, cfg.Groups, cfg.WeightDecay)
	if err != nil {
		return nil, err
	}
	r := &run{
		cfg: cfg, obj: wrapped, prob: prob, opt: cfg.Optimizer, sched: cfg.Schedule,
		bestLoss: math.Inf(1), bestMonitor: math.Inf(1), evalLoss: math.NaN(), bestEval: math.Inf(1), lastCkptStep: -1,
	}
	if r.opt == nil {
		r.opt = &Adam{}
	}
	if r.sched == nil {
		r.sched = Constant{}
	}
	r.batchSize = cfg.BatchSize
	if r.batchSize >= n {
		r.batchSize = 0
	}
	if nd, ok := r.opt.(Needer); ok {
		needs := nd.Needs()
		if needs.FullBatch && r.batchSize != 0 {
			return nil, fmt.Errorf("train: %T needs full-batch training; set BatchSize to 0 (or use Adam or SGD for mini-batches)", r.opt)
		}
		if needs.ExactGradient && (cfg.Preconditioner != nil || cfg.ClipNorm > 0) {
			return nil, fmt.Errorf("train: %T needs the exact gradient of the loss; remove the Preconditioner and ClipNorm", r.opt)
		}
	}
	perBatch := 1
	if r.batchSize > 0 {
		perBatch = (n + r.batchSize - 1) / r.batchSize
		r.perm = make([]int, n)
		for i := range r.perm {
			r.perm[i] = i
		}
	}
	switch {
	case cfg.Steps > 0:
		r.maxSteps = cfg.Steps
	case cfg.Epochs > 0:
		r.maxSteps = cfg.Epochs * perBatch
	default:
		r.maxSteps = 1000
	}
	r.evalEvery = orDefaultInt(cfg.EvalEvery, 100)
	r.pcg = rand.NewPCG(cfg.Seed, 0x9e3779b97f4a7c15)
	r.rng = rand.New(r.pcg)
	r.rates = make([]float64, len(prob.params))
	r.eval = func() (float64, error) { return r.obj.Loss(r.batch) }
	if err := r.opt.Init(prob.params, wrapped); err != nil {
		return nil, err
	}
	return r, nil
}

// nextBatch returns the sample indices of the next step (nil for the full
// batch), reshuffling at the start of every epoch.
func (r *run) nextBatch() []int {
	if r.batchSize == 0 {
		return nil
	}
	if r.pos == 0 {
		r.rng.Shuffle(len(r.perm), func(i, j int) { r.perm[i], r.perm[j] = r.perm[j], r.perm[i] })
	}
	end := min(r.pos+r.batchSize, len(r.perm))
	b := r.perm[r.pos:end]
	r.pos = end
	return b
}

// endBatch advances the epoch after the last batch of a pass.
func (r *run) endBatch() {
	if r.batchSize == 0 {
		r.epoch++
		return
	}
	if r.pos >= len(r.perm) {
		r.pos = 0
		r.epoch++
	}
}

func (r *run) loop(ctx context.Context) (*Result, error) {
	r.start = time.Now()
	res := &Result{Status: NotTerminated, EvalLoss: math.NaN()}
	params := r.prob.params
	var runErr error
	lastLoss := math.NaN()
	for r.step < r.maxSteps && res.Status == NotTerminated {
		if ctx.Err() != nil {
			res.Status = Canceled
			break
		}
		batch := r.nextBatch()
		r.batch = batch
		var loss float64
		if r.fresh && batch == nil {
			loss = r.freshLoss
		} else {
			var err error
			if loss, err = r.obj.Loss(batch); err != nil {
				res.Status, runErr = Failure, fmt.Errorf("train: step %d: %w", r.step, err)
				break
			}
		}
		r.fresh = false
		lastLoss = loss
		if math.IsNaN(loss) || math.IsInf(loss, 0) || !finiteGrads(params) {
			res.Status, runErr = NonFinite, r.nonFiniteError(loss)
			break
		}
		res.Losses = append(res.Losses, loss)
		r.bestLoss = math.Min(r.bestLoss, loss)
		if r.cfg.TargetLoss > 0 && loss <= r.cfg.TargetLoss {
			res.Status = TargetReached
			break
		}
		if r.cfg.Preconditioner != nil {
			if err := r.cfg.Preconditioner.Precondition(params, batch); err != nil {
				res.Status, runErr = Failure, fmt.Errorf("train: step %d: preconditioner: %w", r.step, err)
				break
			}
		}
		gn := gradNorm(params)
		if c := r.cfg.ClipNorm; c > 0 && gn > c {
			for _, p := range params {
				for j := range p.Grad {
					p.Grad[j] *= c / gn
				}
			}
		}
		rate := r.sched.Rate(r.step)
		for i := range r.rates {
			r.rates[i] = rate * r.prob.rates[i]
		}
		st := &r.st
		*st = Step{Params: params, Objective: r.obj, Batch: batch, Loss: loss, Count: r.step, Rates: r.rates, eval: r.eval}
		status, err := r.opt.Step(st)
		if err != nil {
			res.Status, runErr = Failure, fmt.Errorf("train: step %d: %T: %w", r.step, r.opt, err)
			break
		}
		r.step++
		r.endBatch()
		r.fresh, r.freshLoss = st.fresh && batch == nil, st.next
		m := Metrics{Step: r.step, TotalSteps: r.maxSteps, Epoch: r.epoch, Loss: loss, EvalLoss: math.NaN(), Rate: rate, GradNorm: gn}
		if r.step%r.evalEvery == 0 {
			if status, err = r.evaluate(&m, status); err != nil {
				res.Status, runErr = Failure, err
				break
			}
		}
		m.Elapsed = time.Since(r.start)
		for _, rec := range r.cfg.Recorders {
			if err := rec.Record(m); err != nil {
				res.Status, runErr = Failure, fmt.Errorf("train: recorder %T: %w", rec, err)
			}
		}
		if every := r.cfg.Checkpoint.Every; every > 0 && r.step%every == 0 && runErr == nil {
			if err := r.checkpoint(); err != nil {
				res.Status, runErr = Failure, err
			}
		}
		if res.Status == NotTerminated {
			res.Status = status
		}
	}
	if res.Status == NotTerminated {
		res.Status = StepLimit
	}
	if res.Status != NonFinite && res.Status != Failure {
		res.Loss = lastLoss
		if res.Status != TargetReached {
			if r.fresh {
				res.Loss = r.freshLoss
			} else if l, err := r.prob.lossOnly(nil); err == nil {
				res.Loss = l
			} else {
				res.Status, runErr = Failure, fmt.Errorf("train: final loss: %w", err)
			}
		}
		if r.cfg.Checkpoint.Path != "" && r.lastCkptStep != r.step && runErr == nil {
			if err := r.checkpoint(); err != nil {
				res.Status, runErr = Failure, err
			}
		}
	} else {
		res.Loss = lastLoss
	}
	res.Steps, res.Epochs = r.step, r.epoch
	res.BestLoss = r.bestLoss
	res.EvalLoss, res.BestEval = r.evalLoss, r.bestEval
	res.Runtime = time.Since(r.start)
	res.Checkpoint = r.lastCkpt
	for _, rec := range r.cfg.Recorders {
		if err := rec.Finish(res); err != nil && runErr == nil {
			res.Status, runErr = Failure, fmt.Errorf("train: recorder %T: %w", rec, err)
		}
	}
	return res, runErr
}

// evaluate runs the held-out evaluation, the plateau schedule and early
// stopping after a step; it returns the step's status, EarlyStopped when
// patience ran out.
func (r *run) evaluate(m *Metrics, status Status) (Status, error) {
	monitor := m.Loss
	if r.cfg.Eval != nil {
		l, err := forwardLoss(r.cfg.Eval, nil)
		if err != nil {
			return Failure, fmt.Errorf("train: evaluation at step %d: %w", r.step, err)
		}
		// The held-out objective may share parameters, and so gradients,
		// with the training objective.
		r.fresh = false
		r.evalLoss, m.EvalLoss, monitor = l, l, l
		r.bestEval = math.Min(r.bestEval, l)
	}
	if o, ok := r.sched.(Observer); ok {
		o.Observe(monitor)
	}
	if monitor < r.bestMonitor*(1-r.cfg.MinDelta) || math.IsInf(r.bestMonitor, 1) {
		r.bestMonitor, r.bad = monitor, 0
	} else {
		r.bad++
	}
	if r.cfg.Patience > 0 && r.bad >= r.cfg.Patience && status == NotTerminated {
		return EarlyStopped, nil
	}
	return status, nil
}

func (r *run) nonFiniteError(loss float64) error {
	what := fmt.Sprintf("the loss is %v", loss)
	if !math.IsNaN(loss) && !math.IsInf(loss, 0) {
		what = "the gradient holds NaN or Inf"
	}
	where := "no checkpoint was written"
	if r.lastCkpt != "" {
		where = fmt.Sprintf("the last good checkpoint, step %d, is %s", r.lastCkptStep, r.lastCkpt)
	}
	return fmt.Errorf("train: %s at step %d; stopped (%s). Lower the learning rate, set ClipNorm, or check the data for NaN", what, r.step, where)
}

// allParams returns every parameter of the objective, frozen or not.
func (r *run) allParams() []*nn.Param { return r.prob.all }
