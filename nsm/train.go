package nsm

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/neuralpde/neuralpde/data"
	"github.com/neuralpde/neuralpde/train"
)

const checkpointKind = "nsm"

// Problem names NewProblem knows.
const (
	PoissonName = "poisson-periodic-grf"
	// ReactionDiffusionPrefix is followed by ν, e.g.
	// "reaction-diffusion-nu0.01".
	ReactionDiffusionPrefix = "reaction-diffusion-nu"
	// NavierStokesPrefix is followed by ν, e.g. "navier-stokes-nu0.001".
	NavierStokesPrefix = "navier-stokes-nu"
)

// Default basis sizes of the named problems.
const (
	poissonFrequencies = 8  // 15×15 real Fourier coefficients
	rdFrequencies      = 12 // 23 real Fourier coefficients in x
	rdChebyshev        = 12 // Chebyshev coefficients in t
	rdRho              = 5.0
	nsFrequencies      = 12 // 23×23 real Fourier coefficients
	nsChebyshev        = 10 // Chebyshev coefficients in t, at least
	nsHorizon          = 1.0
	nsSnapshots        = 10
)

// NewProblem returns the named problem at its default size:
// "poisson-periodic-grf" (8 frequencies per axis) or
// "reaction-diffusion-nu<ν>" (ρ = 5, 12 frequencies in x, 12 Chebyshev
// coefficients in t), for ν in {0.005, 0.01, 0.05, 0.1} as in Du et al.
// or any other ν ≥ 0, or "navier-stokes-nu<ν>" (T = 1, 12 frequencies per
// axis, 10 snapshots, and 10 Chebyshev coefficients in t or more where ν
// is large: 16 for ν = 0.01), for ν in {0.01, 0.001} as in the issue or
// any other ν > 0.
func NewProblem(name string) (Problem, error) {
	switch {
	case name == PoissonName:
		return NewPoisson2D(poissonFrequencies)
	case strings.HasPrefix(name, NavierStokesPrefix):
		nu, err := strconv.ParseFloat(strings.TrimPrefix(name, NavierStokesPrefix), 64)
		if err != nil {
			return nil, fmt.Errorf("nsm: problem %q: ν is not a number; use e.g. %s0.001", name, NavierStokesPrefix)
		}
		return NewNavierStokes(nu, nsHorizon, nsFrequencies, nsTimeCoefficients(nu), nsSnapshots)
	case strings.HasPrefix(name, ReactionDiffusionPrefix):
		nu, err := strconv.ParseFloat(strings.TrimPrefix(name, ReactionDiffusionPrefix), 64)
		if err != nil {
			return nil, fmt.Errorf("nsm: problem %q: ν is not a number; use e.g. %s0.01", name, ReactionDiffusionPrefix)
		}
		return NewReactionDiffusion(nu, rdRho, rdFrequencies, rdChebyshev)
	}
	return nil, fmt.Errorf("nsm: unknown problem %q; use %s, %s<ν> (ν = 0.005, 0.01, 0.05, 0.1) or %s<ν> (ν = 0.01, 0.001)", name, PoissonName, ReactionDiffusionPrefix, NavierStokesPrefix)
}

// nsTimeCoefficients returns the Chebyshev coefficients in t of the
// default Navier–Stokes problem for ν: at least nsChebyshev, and a third
// of νω²T for the highest frequency ω, the fastest viscous decay rate the
// basis holds, so that e^{−νω²t} is resolved. With ν = 0.01 (rate 48)
// 10 coefficients leave a spectral-loss floor of 2.5e-4 (its minimiser
// 6e-4 from the classical solution) that hides the model's errors; 16
// leave 2.3e-6 (4e-5). ν = 0.001 needs no more than 10 (floor 4e-12).
func nsTimeCoefficients(nu float64) int {
	w := 2 * math.Pi * float64(nsFrequencies-1)
	return max(nsChebyshev, int(math.Ceil(nu*w*w*nsHorizon/3)))
}

// modelFile is the JSON content of train.ModelFile.
type modelFile struct {
	Config  *Config `json:"config"`
	Problem string  `json:"problem"`
	Modes   [2]int  `json:"modes"`
}

// Result is the outcome of Train.
type Result struct {
	Train *train.Result
	Model *Model
	// TestRelL2 is the mean relative L2 error on the Test held-out inputs
	// against the classical solver at resolution 64.
	TestRelL2 float64
	// StepTime is the mean wall time of one optimizer step.
	StepTime time.Duration
}

// Train trains a neural spectral model of cfg (nil: DefaultConfig(p); its
// zero fields take DefaultConfig(p)'s values) on problem p by its spectral
// loss, with no solution data, and writes
// outDir/checkpoint.npz, model.json and metrics.jsonl (train.CheckpointFile,
// ModelFile, MetricsFile), with a progress line every 100 steps on progress
// (nil for none). Afterwards the model is evaluated on cfg.Test held-out
// inputs against the classical reference at resolution 64.
func Train(ctx context.Context, cfg *Config, p Problem, outDir string, progress io.Writer) (*Result, error) {
	if cfg == nil {
		cfg = DefaultConfig(p)
	}
	c, err := cfg.withDefaultsFor(p)
	if err != nil {
		return nil, err
	}
	m, err := NewProblemModel(c, p, rand.New(rand.NewPCG(c.Seed, 0x6e736d)))
	if err != nil {
		return nil, err
	}
	obj, err := NewObjective(m, p, c.Train, c.Seed)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return nil, fmt.Errorf("nsm: %w", err)
	}
	mx, my := p.Basis().Dims()
	mf, err := json.MarshalIndent(modelFile{Config: m.Config(), Problem: p.Name(), Modes: [2]int{mx, my}}, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := data.WriteFileAtomic(filepath.Join(outDir, train.ModelFile), func(w io.Writer) error {
		_, err := w.Write(mf)
		return err
	}); err != nil {
		return nil, err
	}
	metrics, err := os.Create(filepath.Join(outDir, train.MetricsFile))
	if err != nil {
		return nil, fmt.Errorf("nsm: %w", err)
	}
	defer metrics.Close()
	opt, batch, err := c.optimizer()
	if err != nil {
		return nil, err
	}
	tc := &train.Config{
		Optimizer:  opt,
		Schedule:   c.schedule(),
		Steps:      c.Steps,
		BatchSize:  batch,
		Seed:       c.Seed,
		Recorders:  []train.Recorder{&train.JSONLines{W: metrics, Every: 10}},
		Checkpoint: train.Checkpointing{Path: filepath.Join(outDir, train.CheckpointFile), Every: c.CheckpointEvery, Kind: checkpointKind, Config: m.Config()},
	}
	if c.Test > 0 {
		// The error curve at resolution 32 on the held-out inputs.
		if tc.Eval, err = NewErrorObjective(m, p, testSeed(c.Seed), c.Test, 32); err != nil {
			return nil, err
		}
		tc.EvalEvery = 50
	}
	if c.Precondition {
		pc, err := NewSpectralPreconditioner(obj)
		if err != nil {
			return nil, err
		}
		tc.Preconditioner = pc
	}
	if progress != nil {
		tc.Recorders = append(tc.Recorders, &train.ProgressLine{W: progress, Every: 100})
	}
	res, err := train.Run(ctx, obj, tc)
	if err != nil {
		return nil, err
	}
	r := &Result{Train: res, Model: m, TestRelL2: math.NaN()}
	if res.Steps > 0 {
		r.StepTime = res.Runtime / time.Duration(res.Steps)
	}
	if c.Test > 0 {
		ev, err := evaluate(m, p, testSeed(c.Seed), c.Test, 64)
		if err != nil {
			return nil, err
		}
		r.TestRelL2 = ev.RelL2
	}
	return r, nil
}

// testSeed is the seed of the held-out inputs: a stream disjoint from the
// training inputs'.
func testSeed(seed uint64) uint64 { return seed ^ 0x7465737400000000 }

// Load returns the model trained into dir by Train and its problem.
func Load(dir string) (*Model, Problem, error) {
	b, err := os.ReadFile(filepath.Join(dir, train.ModelFile))
	if err != nil {
		return nil, nil, fmt.Errorf("nsm: %w; is %s a directory written by nsm.Train?", err, dir)
	}
	var mf modelFile
	if err := json.Unmarshal(b, &mf); err != nil {
		return nil, nil, fmt.Errorf("nsm: %s: %v", filepath.Join(dir, train.ModelFile), err)
	}
	if mf.Config == nil {
		return nil, nil, fmt.Errorf("nsm: %s has no config", filepath.Join(dir, train.ModelFile))
	}
	if mf.Config.Weights == "" {
		// Model files written before Config.Weights existed hold untied
		// real weights.
		mf.Config.Weights = WeightsReal
	}
	p, err := NewProblem(mf.Problem)
	if err != nil {
		return nil, nil, err
	}
	if mx, my := p.Basis().Dims(); mx != mf.Modes[0] || my != mf.Modes[1] {
		return nil, nil, fmt.Errorf("nsm: %s was trained with %v coefficients, problem %s has %d×%d", dir, mf.Modes, mf.Problem, mx, my)
	}
	in, out := p.Channels()
	m, err := NewModel(mf.Config, p.Basis(), in, out, rand.New(rand.NewPCG(0, 0)))
	if err != nil {
		return nil, nil, err
	}
	ck, err := train.ReadCheckpoint(filepath.Join(dir, train.CheckpointFile))
	if err != nil {
		return nil, nil, err
	}
	if err := ck.Restore(checkpointKind, m.Params()); err != nil {
		return nil, nil, err
	}
	return m, p, nil
}

// Evaluation is the outcome of Evaluate.
type Evaluation struct {
	// RelL2 is the mean over samples of ‖u − u_ref‖/‖u_ref‖ on the n×n
	// output grid.
	RelL2 float64
	// N is the output resolution.
	N int
	// Predictions holds the model's solutions, samples × the problem's
	// Sizes(n) values (n × n for Poisson and reaction–diffusion, snapshots
	// × n × n for Navier–Stokes).
	Predictions []float64
	// Shape is one sample's shape in Predictions: n × n, or snapshots ×
	// n × n.
	Shape []int
	// Inference is the wall time per sample of the model's forward pass
	// and the evaluation of the series on the output grid; Reference the
	// wall time per sample of the classical solver.
	Inference, Reference time.Duration
}

// Evaluate loads the model in dir and evaluates it at output resolution n
// (n×n grid) on samples held-out inputs (the stream Train tests on).
func Evaluate(dir string, samples, n int) (*Evaluation, error) {
	m, p, err := Load(dir)
	if err != nil {
		return nil, err
	}
	return evaluate(m, p, testSeed(m.cfg.Seed), samples, n)
}

// evaluate compares m with p's classical reference on samples inputs of
// the stream seed at resolution n.
func evaluate(m *Model, p Problem, seed uint64, samples, n int) (*Evaluation, error) {
	if samples < 1 || n < 4 {
		return nil, fmt.Errorf("nsm: evaluation on %d samples at resolution %d; need at least 1 sample and 4 points", samples, n)
	}
	in, _ := p.Channels()
	M := m.mx * m.my
	a := heldOutInputs(p, M*in, seed, samples)
	_, nv := p.Sizes(n)
	ev := &Evaluation{N: n, Predictions: make([]float64, samples*nv), Shape: []int{n, n}}
	if nv != n*n {
		ev.Shape = []int{nv / (n * n), n, n}
	}
	ev.Inference = infer(ev.Predictions, m, p, a, samples, n)
	ref := make([]float64, nv)
	var sum float64
	var refTime time.Duration
	for i := range samples {
		t0 := time.Now()
		if err := p.Reference(ref, a[i*M*in:(i+1)*M*in], n); err != nil {
			return nil, err
		}
		refTime += time.Since(t0)
		sum += relL2(ev.Predictions[i*nv:(i+1)*nv], ref)
	}
	ev.Reference = refTime / time.Duration(samples)
	ev.RelL2 = sum / float64(samples)
	return ev, nil
}

// heldOutInputs returns samples inputs (each of length size) of p's
// stream seed.
func heldOutInputs(p Problem, size int, seed uint64, samples int) []float64 {
	a := make([]float64, samples*size)
	for i := range samples {
		p.Input(a[i*size:(i+1)*size], seed, i)
	}
	return a
}

// infer writes m's solutions for the inputs a at resolution n into pred
// (samples × Sizes(n) values) and returns the wall time per sample of the
// forward pass and the series' evaluation.
func infer(pred []float64, m *Model, p Problem, a []float64, samples, n int) time.Duration {
	in, _ := p.Channels()
	M := m.mx * m.my
	nc, nv := p.Sizes(n)
	start := time.Now()
	v := m.Predict(nil, a, samples)
	u := make([]float64, nc)
	for i := range samples {
		p.Solution(u, v[i*M*m.Out:(i+1)*M*m.Out], a[i*M*in:(i+1)*M*in])
		p.Values(pred[i*nv:(i+1)*nv], u, n)
	}
	return time.Since(start) / time.Duration(samples)
}

// relL2 returns ‖u − ref‖/‖ref‖.
func relL2(u, ref []float64) float64 {
	var num, den float64
	for i, r := range ref {
		d := u[i] - r
		num += d * d
		den += r * r
	}
	return math.Sqrt(num / den)
}
