package pinn

import (
	"fmt"

	"github.com/neuralpde/neuralpde/nn"
	"github.com/neuralpde/neuralpde/pde"
)

// Config configures a PINN training run from a preset. It is plain data
// with yaml and json tags, so a YAML file (the CLI's --config) or a
// checkpoint's metadata loads it; DefaultConfig gives the defaults of each
// preset. A zero field means the default its comment names.
type Config struct {
	// Preset names the problem (pde.PresetNames or pde.SteadyPresetNames).
	Preset string `yaml:"preset" json:"preset"`
	// Network is the MLP.
	Network NetworkConfig `yaml:"network" json:"network"`
	// Points sets the training points.
	Points PointsConfig `yaml:"points" json:"points"`
	// Constraint is "auto" (hard initial/Dirichlet constraints where
	// AutoConstraint finds one; the default) or "none" (all conditions as
	// loss terms).
	Constraint string `yaml:"constraint" json:"constraint"`
	// Weights sets the loss-term weights.
	Weights WeightsConfig `yaml:"weights" json:"weights"`
	// Refine sets residual-based adaptive refinement during the first
	// stage; the zero value means none.
	Refine RefineConfig `yaml:"refine" json:"refine"`
	// Stages are the optimizers run one after the other; empty means
	// Adam for 5000 steps, then L-BFGS for 5000 iterations.
	Stages []StageConfig `yaml:"stages" json:"stages"`
	// Equation, when set, replaces the preset's equation by a catalogue
	// equation: the same PDE written in a more general form, so that a
	// coefficient the preset's form fixes can be identified (Burgers'
	// u u_x coefficient is the a of the Kuramoto–Sivashinsky form with
	// c = 0).
	Equation *EquationConfig `yaml:"equation" json:"equation,omitempty"`
	// Unknowns are equation parameters to identify from Observations
	// points of the reference solution (an inverse problem); the loss
	// then has no initial or boundary terms.
	Unknowns []Unknown `yaml:"unknowns" json:"unknowns,omitempty"`
	// Observations is the number of reference points of an inverse
	// problem, drawn from the preset's standard grid; zero means 2000.
	Observations int `yaml:"observations" json:"observations,omitempty"`
	// EvalEvery is the number of steps between relative L2 errors in the
	// metrics log; zero means 100.
	EvalEvery int `yaml:"eval_every" json:"eval_every"`
	// TargetError stops training once the relative L2 error on the
	// standard grid is at most this; zero means no target.
	TargetError float64 `yaml:"target_error" json:"target_error"`
	// SpectrumEvery, when positive, estimates the extreme eigenvalues of
	// the Gauss–Newton matrix JᵀJ (the neural tangent kernel's nonzero
	// spectrum on the training points) by Lanczos every SpectrumEvery
	// steps of each stage, with and without the stage's preconditioner,
	// prints them and writes them to spectrum.jsonl in the run directory.
	SpectrumEvery int `yaml:"spectrum_every" json:"spectrum_every,omitempty"`
	// Reference is a .npz file (x, t, u, time first, as `neuralpde solve`
	// writes) holding the reference solution of a preset without an exact
	// one; empty means the exact solution or the built-in
	// finite-difference solve (poisson-lshape).
	Reference string `yaml:"reference" json:"reference,omitempty"`
	// WarmStart is a checkpoint (a training directory or its .npz) whose
	// parameter values initialise the network and coefficients, for a
	// run that continues an earlier one with other stages; the stages
	// start afresh (optimizer state is not carried). Empty means the
	// seeded initialisation.
	WarmStart string `yaml:"warm_start" json:"warm_start,omitempty"`
	// CheckpointEvery is the number of steps between checkpoints within a
	// stage; zero means at the end of each stage only.
	CheckpointEvery int `yaml:"checkpoint_every" json:"checkpoint_every"`
}

// NetworkConfig configures the MLP.
type NetworkConfig struct {
	// Hidden lists the hidden widths; empty means eight layers of 20.
	Hidden []int `yaml:"hidden" json:"hidden"`
	// Activation is tanh (the default), sin, gelu, softplus or silu.
	Activation string `yaml:"activation" json:"activation"`
	// Seed draws the initial weights.
	Seed uint64 `yaml:"seed" json:"seed"`
}

// PointsConfig sets the training points.
type PointsConfig struct {
	// Collocation is the number of residual points; zero means 10000.
	Collocation int `yaml:"collocation" json:"collocation"`
	// Initial is the number of initial-condition points of an evolution
	// problem; zero means 50 (unused under a hard initial constraint).
	Initial int `yaml:"initial" json:"initial"`
	// Boundary is the number of boundary points (or periodic pairs);
	// zero means 50 (unused under a hard boundary constraint).
	Boundary int `yaml:"boundary" json:"boundary"`
	// Sampler is uniform, lhs (the default), sobol or halton.
	Sampler string `yaml:"sampler" json:"sampler"`
	// Seed seeds the random samplers and the choice of observations.
	Seed uint64 `yaml:"seed" json:"seed"`
}

// WeightsConfig sets the loss weights.
type WeightsConfig struct {
	// Residual, Initial, Boundary and Data are the fixed (or starting)
	// weights of the terms; zero means 1.
	Residual float64 `yaml:"residual" json:"residual"`
	Initial  float64 `yaml:"initial" json:"initial"`
	Boundary float64 `yaml:"boundary" json:"boundary"`
	Data     float64 `yaml:"data" json:"data"`
	// Adaptive turns on gradient-norm balancing (Wang, Teng and
	// Perdikaris 2021) during Adam stages.
	Adaptive bool `yaml:"adaptive" json:"adaptive"`
	// AdaptEvery is the number of steps between weight updates; zero
	// means 100.
	AdaptEvery int `yaml:"adapt_every" json:"adapt_every"`
	// AdaptAlpha is the moving-average factor α of λ ← (1−α)λ + αλ̂; zero
	// means 0.9.
	AdaptAlpha float64 `yaml:"adapt_alpha" json:"adapt_alpha"`
	// Causal turns on causal weighting in time (Wang, Sankaran and
	// Perdikaris 2022) during Adam stages.
	Causal bool `yaml:"causal" json:"causal"`
	// CausalSlices is the number of time slices; zero means 32.
	CausalSlices int `yaml:"causal_slices" json:"causal_slices"`
	// CausalEps is the schedule of causality parameters ε, each kept
	// until the smallest weight exceeds 0.99; empty means
	// [0.01, 0.1, 1, 10, 100].
	CausalEps []float64 `yaml:"causal_eps" json:"causal_eps"`
	// CausalEvery is the number of steps between causal weight updates;
	// zero means 1.
	CausalEvery int `yaml:"causal_every" json:"causal_every"`
}

// RefineConfig sets residual-based adaptive refinement (Lu, Meng, Mao and
// Karniadakis, SIAM Rev. 63, 2021): every Every steps of the first stage,
// Add of Candidates random points with the largest residual join the
// collocation points.
type RefineConfig struct {
	Every      int `yaml:"every" json:"every"`
	Candidates int `yaml:"candidates" json:"candidates"`
	Add        int `yaml:"add" json:"add"`
}

// EquationConfig names a catalogue equation and its parameters (see
// pde.NewEquation).
type EquationConfig struct {
	Name   string             `yaml:"name" json:"name"`
	Params map[string]float64 `yaml:"params" json:"params"`
}

// StageConfig is one optimizer stage.
type StageConfig struct {
	// Optimizer names an optimizer of the shared suite
	// (train.Optimizers; neuralpde list): adam, gd (plain gradient
	// descent), lbfgs, lm (Levenberg–Marquardt), gn (Gauss–Newton),
	// shampoo, muon, …
	Optimizer string `yaml:"optimizer" json:"optimizer"`
	// Steps is the number of steps (iterations); it must be positive.
	Steps int `yaml:"steps" json:"steps"`
	// LearningRate is the optimizer's η (the first-order and matrix
	// optimizers); zero means 1e-3 for adam and gd, the optimizer's own
	// default otherwise.
	LearningRate float64 `yaml:"learning_rate" json:"learning_rate,omitempty"`
	// Decay is a per-step exponential learning-rate factor for the
	// optimizers with a learning rate; zero means none.
	Decay float64 `yaml:"decay" json:"decay,omitempty"`
	// Damping is Levenberg–Marquardt's initial λ; zero means 1e-3.
	Damping float64 `yaml:"damping" json:"damping,omitempty"`
	// Collocation, when positive, replaces the collocation points at the
	// start of the stage by this many fresh points of the configured
	// sampler (a coarse set for the first steps, a finer one to finish);
	// zero keeps the points of the stage before.
	Collocation int `yaml:"collocation" json:"collocation,omitempty"`
	// Precondition names the preconditioner applied to the gradient
	// before adam or gd sees it (train.NewPreconditioner): none (or
	// empty), gn (Gauss–Newton / natural gradient by matrix-free CG,
	// De Ryck et al. 2023; Müller & Zeinhofer 2023), jacobi (diagonal of
	// JᵀJ) or hutchinson (Hessian diagonal estimate). lbfgs, lm and gn
	// need the exact gradient and refuse one.
	Precondition string `yaml:"precondition" json:"precondition,omitempty"`
}

// DefaultConfig returns the configuration used for preset name: the
// best recipe measured here for burgers-shock and the Poisson presets
// (smaller networks trained by Levenberg–Marquardt, see
// testdata/burgers-shock-best.yaml), causal weighting for allen-cahn, and
// the classic set-up of Raissi et al. (2019) for the other evolution
// presets (MLP 2→20×8→1, tanh, 10,000 collocation points, Adam then
// L-BFGS; for burgers-shock it is testdata/burgers-shock-classic.yaml).
func DefaultConfig(name string) (*Config, error) {
	if _, err := LookupProblem(name); err != nil {
		return nil, err
	}
	c := &Config{
		Preset:     name,
		Network:    NetworkConfig{Hidden: []int{20, 20, 20, 20, 20, 20, 20, 20}, Activation: "tanh"},
		Points:     PointsConfig{Collocation: 10000, Initial: 50, Boundary: 50, Sampler: "lhs"},
		Constraint: "auto",
		Stages:     []StageConfig{{Optimizer: "adam", Steps: 5000, LearningRate: 1e-3}, {Optimizer: "lbfgs", Steps: 5000}},
		EvalEvery:  100,
	}
	switch name {
	case "burgers-shock":
		// Second order on a coarse, then a fine point set: hard initial
		// and boundary constraints, an MLP 2→20×4→1 (1,341 weights),
		// Adam to leave the start, Levenberg–Marquardt on 2,500 Sobol
		// points, then on 10,000 (the first 2,500 and 7,500 more), where
		// the error between the coarse points no longer stalls.
		c.Network.Hidden = []int{20, 20, 20, 20}
		c.Points.Collocation = 2500
		c.Points.Sampler = "sobol"
		c.Stages = []StageConfig{
			{Optimizer: "adam", Steps: 500, LearningRate: 1e-3},
			{Optimizer: "lm", Steps: 200},
			{Optimizer: "lm", Steps: 300, Collocation: 10000},
		}
		c.EvalEvery = 25
	case "allen-cahn":
		c.Network.Hidden = []int{32, 32, 32, 32}
		c.Points.Collocation = 2048
		c.Points.Boundary = 128
		c.Weights.Causal = true
		c.Stages = []StageConfig{{Optimizer: "adam", Steps: 20000, LearningRate: 1e-3, Decay: 0.9998}, {Optimizer: "lbfgs", Steps: 5000}}
	case "poisson-sine":
		c.Network.Hidden = []int{20, 20, 20}
		c.Points.Collocation = 1000
		c.Points.Sampler = "sobol"
		c.Stages = []StageConfig{{Optimizer: "adam", Steps: 500, LearningRate: 1e-3}, {Optimizer: "lm", Steps: 300}}
	case "poisson-lshape":
		c.Network.Hidden = []int{30, 30, 30}
		c.Points.Collocation = 2000
		c.Points.Boundary = 400
		c.Points.Sampler = "sobol"
		c.Weights.Boundary = 10
		c.Stages = []StageConfig{{Optimizer: "adam", Steps: 1000, LearningRate: 1e-3}, {Optimizer: "lm", Steps: 500}}
	}
	if p, _ := LookupProblem(name); p != nil && p.Dim() != 2 {
		return nil, fmt.Errorf("pinn: preset %q has %d inputs; only problems in two inputs (x, t) or (x, y) have defaults", name, p.Dim())
	}
	return c, nil
}

// activation returns the nn activation of the given name.
func activation(name string) (nn.Activation, error) {
	switch name {
	case "", "tanh":
		return nn.Tanh, nil
	case "sin":
		return nn.Sin, nil
	case "gelu":
		return nn.GELU, nil
	case "softplus":
		return nn.Softplus, nil
	case "silu":
		return nn.SiLU, nil
	}
	return nil, fmt.Errorf("pinn: unknown activation %q; use tanh, sin, gelu, softplus or silu", name)
}

// problem returns the configured problem.
func (c *Config) problem() (*Problem, error) {
	if c.Preset == "" {
		return nil, fmt.Errorf("pinn: the config names no preset; set preset to one of %v", append(pde.PresetNames(), pde.SteadyPresetNames()...))
	}
	p, err := LookupProblem(c.Preset)
	if err != nil || c.Equation == nil {
		return p, err
	}
	if p.Equation, err = pde.NewEquation(c.Equation.Name, c.Equation.Params); err != nil {
		return nil, err
	}
	return p, p.Validate()
}

// build returns the configured problem and its model.
func (c *Config) build() (*Problem, *Model, error) {
	p, err := c.problem()
	if err != nil {
		return nil, nil, err
	}
	m, err := c.model(p)
	if err != nil {
		return nil, nil, err
	}
	return p, m, nil
}

// model builds the configured model for p.
func (c *Config) model(p *Problem) (*Model, error) {
	act, err := activation(c.Network.Activation)
	if err != nil {
		return nil, err
	}
	hidden := c.Network.Hidden
	if len(hidden) == 0 {
		hidden = []int{20, 20, 20, 20, 20, 20, 20, 20}
	}
	var con *Constraint
	switch c.Constraint {
	case "", "auto":
		if len(c.Unknowns) == 0 {
			con = AutoConstraint(p)
		}
	case "none":
	default:
		return nil, fmt.Errorf("pinn: unknown constraint %q; use auto or none", c.Constraint)
	}
	lo, hi := p.Domain().Bounds()
	cfg := nn.MLPConfig{Name: "pinn", Inputs: p.Dim(), Outputs: 1, Hidden: hidden, Activation: act}
	return NewModel(cfg, lo, hi, con, newRand(c.Network.Seed))
}
