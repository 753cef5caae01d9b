package nsm

import (
	"errors"
	"fmt"

	"github.com/neuralpde/neuralpde/train"
)

// Config configures a neural spectral model and its training. Every
// field's zero value means the default that DefaultConfig shows; Config
// loads from YAML or JSON with the field names in lower case.
type Config struct {
	// Width is the number of channels of the spectral layers; zero means 32.
	Width int `yaml:"width" json:"width"`
	// Layers is the number of spectral layers; zero means 4.
	Layers int `yaml:"layers" json:"layers"`
	// ProjWidth is the hidden width of the projection; zero means 64.
	ProjWidth int `yaml:"proj_width" json:"proj_width"`
	// GridFactor is the number of collocation points per coefficient and
	// axis on which the activation is applied; zero means 1.5, the
	// smallest grid on which products of two kept Fourier modes do not
	// alias onto kept modes.
	GridFactor float64 `yaml:"grid_factor" json:"grid_factor"`
	// Steps is the number of optimizer steps; zero means 2000.
	Steps int `yaml:"steps" json:"steps"`
	// BatchSize is the number of input samples per step; zero means 16.
	BatchSize int `yaml:"batch_size" json:"batch_size"`
	// Optimizer names an optimizer of the shared suite (train.Optimizers;
	// neuralpde list): "adam" (empty), "muon", "shampoo", … The full-batch
	// ones (lbfgs, lazy-newton) take every training input at each step.
	Optimizer string `yaml:"optimizer" json:"optimizer,omitempty"`
	// LearningRate is the optimizer's initial rate; zero means 1e-3 (3e-3
	// for reaction–diffusion and Navier–Stokes) for Adam, the optimizer's
	// own default otherwise.
	LearningRate float64 `yaml:"learning_rate" json:"learning_rate"`
	// Schedule is the learning-rate schedule: ScheduleStep (multiply the
	// rate by DecayGamma every DecayEvery steps) or ScheduleCosine (anneal
	// it from LearningRate to zero along a half cosine over Steps; DecayEvery
	// and DecayGamma are then unused); empty means ScheduleStep.
	Schedule string `yaml:"schedule" json:"schedule"`
	// DecayEvery is the number of steps between decays of the rate by
	// DecayGamma under ScheduleStep; zero means Steps/4.
	DecayEvery int `yaml:"decay_every" json:"decay_every"`
	// DecayGamma is the decay factor of ScheduleStep; zero means 0.5.
	DecayGamma float64 `yaml:"decay_gamma" json:"decay_gamma"`
	// Train is the number of input samples trained on (no solutions are
	// needed); zero means 1024.
	Train int `yaml:"train" json:"train"`
	// Test is the number of held-out inputs, solved by the problem's
	// classical solver, on which the relative L2 error is measured; zero
	// means 16.
	Test int `yaml:"test" json:"test"`
	// Seed seeds the inputs, the initial weights and the shuffling.
	Seed uint64 `yaml:"seed" json:"seed"`
	// CheckpointEvery is the number of steps between checkpoints; zero
	// means only at the end.
	CheckpointEvery int `yaml:"checkpoint_every" json:"checkpoint_every"`
	// Weights is the parametrisation of the spectral layers' weights:
	// WeightsReal (one real Width×Width matrix per coefficient, untied)
	// or WeightsComplex (one complex matrix per Fourier wave, tied across
	// each cos/sin pair so that the layer commutes with translations
	// along every Fourier axis); empty means WeightsReal, which reached a
	// lower error on reaction–diffusion in the same steps. DefaultConfig
	// sets WeightsComplex for Navier–Stokes, where it reached an error 11×
	// lower (see the package documentation).
	Weights string `yaml:"weights" json:"weights"`
	// ResidualNorm is the norm of the spectral loss on space–time
	// problems: NormL2 (∫∫ r², Du et al.'s) or NormIntegrated (∫∫
	// (∫_0^t r)², the residual's accumulated effect); empty means NormL2.
	ResidualNorm string `yaml:"residual_norm" json:"residual_norm"`
	// Precondition scales the gradient of the output layer by the
	// problem's inverse squared symbol (SpectralPreconditioner); false
	// means none.
	Precondition bool `yaml:"precondition" json:"precondition"`
}

// Parametrisations of the spectral weights (Config.Weights).
const (
	// WeightsComplex ties the weights of the cos/sin coefficients of
	// each Fourier wave into one complex matrix A + iB, as the Fourier
	// neural operator and the neural spectral method's own code do: the
	// spectral layer is then translation-equivariant.
	WeightsComplex = "complex"
	// WeightsReal gives every coefficient its own real matrix.
	WeightsReal = "real"
)

// Learning-rate schedules (Config.Schedule).
const (
	// ScheduleStep multiplies the rate by Config.DecayGamma every
	// Config.DecayEvery steps (train.StepDecay).
	ScheduleStep = "step"
	// ScheduleCosine anneals the rate from Config.LearningRate to zero
	// over Config.Steps along a half cosine (train.Cosine; Loshchilov &
	// Hutter (2017), eq. (5), without restarts).
	ScheduleCosine = "cosine"
)

// DefaultConfig returns the defaults for problem (nil: the generic ones):
// width 32, 4 layers, projection width 64, grid factor 1.5, Adam at 1e-3
// (3e-3 for reaction–diffusion and Navier–Stokes) halved every quarter of
// 2000 steps (ScheduleStep; reaction–diffusion anneals it to zero along a
// cosine, ScheduleCosine), batch 16, 1024 training inputs, 16 test
// inputs, real (untied) spectral weights (complex for Navier–Stokes).
func DefaultConfig(problem Problem) *Config {
	c := &Config{Width: 32, Layers: 4, ProjWidth: 64, GridFactor: 1.5, Steps: 2000, BatchSize: 16,
		Optimizer: "adam", LearningRate: 1e-3, Schedule: ScheduleStep, DecayGamma: 0.5, Train: 1024, Test: 16, Weights: WeightsReal, ResidualNorm: NormL2}
	if problem != nil {
		problem.tune(c)
	}
	c.DecayEvery = c.Steps / 4
	return c
}

// withDefaults returns a copy of c with zero fields set to the generic
// defaults, and checks it.
func (c *Config) withDefaults() (*Config, error) { return c.withDefaultsFor(nil) }

// withDefaultsFor returns a copy of c with zero fields set to
// DefaultConfig(p)'s (p nil: the generic ones), and checks it.
func (c *Config) withDefaultsFor(p Problem) (*Config, error) {
	if c == nil {
		c = &Config{}
	}
	d := *c
	def := DefaultConfig(p)
	setInt := func(v *int, def int) {
		if *v == 0 {
			*v = def
		}
	}
	setFloat := func(v *float64, def float64) {
		if *v == 0 {
			*v = def
		}
	}
	setInt(&d.Width, def.Width)
	setInt(&d.Layers, def.Layers)
	setInt(&d.ProjWidth, def.ProjWidth)
	setInt(&d.Steps, def.Steps)
	setInt(&d.BatchSize, def.BatchSize)
	setInt(&d.Train, def.Train)
	setInt(&d.Test, def.Test)
	setInt(&d.DecayEvery, max(d.Steps/4, 1))
	setFloat(&d.GridFactor, def.GridFactor)
	if d.Optimizer == "" {
		d.Optimizer = def.Optimizer
	}
	if d.Optimizer == "adam" {
		setFloat(&d.LearningRate, def.LearningRate)
	}
	setFloat(&d.DecayGamma, def.DecayGamma)
	if d.Weights == "" {
		d.Weights = def.Weights
	}
	if d.ResidualNorm == "" {
		d.ResidualNorm = NormL2
	}
	if d.Schedule == "" {
		d.Schedule = def.Schedule
	}
	switch {
	case d.Schedule != ScheduleStep && d.Schedule != ScheduleCosine:
		return nil, fmt.Errorf("nsm: schedule %q; use %q (step decay by decay_gamma every decay_every steps) or %q (cosine annealing to zero over steps)", d.Schedule, ScheduleStep, ScheduleCosine)
	case d.ResidualNorm != NormL2 && d.ResidualNorm != NormIntegrated:
		return nil, fmt.Errorf("nsm: residual_norm %q; use %q or %q", d.ResidualNorm, NormL2, NormIntegrated)
	case d.Weights != WeightsComplex && d.Weights != WeightsReal:
		return nil, fmt.Errorf("nsm: weights %q; use %q or %q", d.Weights, WeightsComplex, WeightsReal)
	case d.Width < 1 || d.Layers < 1 || d.ProjWidth < 1:
		return nil, fmt.Errorf("nsm: width %d, layers %d and proj_width %d must be positive", d.Width, d.Layers, d.ProjWidth)
	case d.GridFactor < 1:
		return nil, fmt.Errorf("nsm: grid_factor %g is below 1; the activation grid needs at least one point per coefficient (1.5 avoids quadratic aliasing)", d.GridFactor)
	case d.Steps < 0 || d.BatchSize < 0 || d.Train < 0 || d.Test < 0 || d.DecayEvery < 0 || d.CheckpointEvery < 0:
		return nil, errors.New("nsm: steps, batch_size, train, test, decay_every and checkpoint_every must not be negative")
	case d.LearningRate < 0 || d.DecayGamma < 0:
		return nil, errors.New("nsm: learning_rate and decay_gamma must not be negative")
	}
	if _, err := train.LookupOptimizer(d.Optimizer); err != nil {
		return nil, fmt.Errorf("nsm: %w", err)
	}
	return &d, nil
}

// optimizer returns the optimizer of c, a Config checked by
// withDefaultsFor, and the batch size: BatchSize (at most Train), or Train
// for the full-batch optimizers.
func (c *Config) optimizer() (train.Optimizer, int, error) {
	opt, bs, err := train.NewOptimizerForBatches(c.Optimizer, train.OptimizerSettings{LearningRate: c.LearningRate}, c.BatchSize, c.Train)
	if err != nil {
		return nil, 0, fmt.Errorf("nsm: %w", err)
	}
	return opt, bs, nil
}

// schedule returns the learning-rate schedule of c, a Config checked by
// withDefaultsFor.
func (c *Config) schedule() train.Schedule {
	if c.Schedule == ScheduleCosine {
		return train.Cosine{Steps: c.Steps}
	}
	return train.StepDecay{Every: c.DecayEvery, Gamma: c.DecayGamma}
}
