package deeponet

import (
	"errors"
	"fmt"
	"math"

	"github.com/neuralpde/neuralpde/train"
)

// Config configures a DeepONet and its training. It is plain data with
// yaml and json tags, so the CLI's --config YAML file and a checkpoint's
// metadata load it. Start from DefaultConfig: the zero value of a boolean
// is the documented choice, and a zero number means the default its comment
// names.
type Config struct {
	// Branch and Trunk are the hidden widths of the branch and trunk
	// networks; the output width of each is Basis·Outputs. The issue's
	// antiderivative net is Branch [40], Trunk [40], Basis 40: branch
	// [100, 40, 40] and trunk [1, 40, 40].
	Branch []int `yaml:"branch" json:"branch"`
	Trunk  []int `yaml:"trunk" json:"trunk"`
	// Basis is the number p of basis functions per output component; zero
	// means 40.
	Basis int `yaml:"basis" json:"basis"`
	// Outputs is the number of output components; zero means 1. With
	// more than one, the dataset's outputs have a trailing component axis
	// and branch and trunk outputs are split into Outputs groups of Basis
	// (Lu et al. 2022, "A comprehensive and fair comparison of two neural
	// operators", §3.1.1, "split both").
	Outputs int `yaml:"outputs" json:"outputs"`
	// Stacked uses Basis·Outputs branch networks of one output each
	// instead of one network with Basis·Outputs outputs (Lu et al. 2021,
	// Fig. 1C vs 1D).
	Stacked bool `yaml:"stacked" json:"stacked"`
	// Activation is tanh (zero value), relu (data-driven only), sin, gelu,
	// softplus or silu.
	Activation string `yaml:"activation" json:"activation"`
	// LinearTrunk leaves the trunk's output layer affine; by default it
	// is followed by the activation, as in DeepXDE's DeepONet.
	LinearTrunk bool `yaml:"linear_trunk" json:"linear_trunk"`
	// NoBias drops the scalar output bias b₀ of each component.
	NoBias bool `yaml:"no_bias" json:"no_bias"`
	// Normalize scales each sensor of the inputs to zero mean and unit
	// variance over the training functions, and the outputs by their
	// mean and standard deviation (one pair per component, so the model
	// answers at any y).
	Normalize bool `yaml:"normalize" json:"normalize"`

	// Layout is "aligned" (zero value: every function on the dataset's
	// output grid, Cartesian-product training with one trunk evaluation
	// per step) or "unaligned" (triples (u, y, G(u)(y)) drawn from the
	// grid, Triples of them).
	Layout string `yaml:"layout" json:"layout"`
	// Triples is the number of training triples of the unaligned layout;
	// zero means every (function, point) pair.
	Triples int `yaml:"triples" json:"triples"`
	// Coords names the dataset coordinate arrays of the output axes, in
	// the order of the trunk's inputs; empty means the output's axes: the
	// dataset's Axes for one output axis, "t" then the Axes for two.
	Coords []string `yaml:"coords" json:"coords"`
	// Constraint imposes zero data exactly by G = φ(y)·N(u)(y) (see
	// Constraint): "" (none), "initial", "dirichlet-initial" or "start",
	// with x and t the coordinates named so and the bounds those of the
	// dataset's output grid.
	Constraint string `yaml:"constraint" json:"constraint,omitempty"`
	// ConstraintWidth is the Constraint's Width: the boundary-layer
	// width δ of an exponential boundary factor; zero means the
	// polynomial factor.
	ConstraintWidth float64 `yaml:"constraint_width" json:"constraint_width,omitempty"`
	// Loss is "mse" (zero value) or "rel-l2" (mean over functions of the
	// relative L2 error).
	Loss string `yaml:"loss" json:"loss"`

	// Optimizer names an optimizer of the shared suite (train.Optimizers;
	// neuralpde list): "adam" (zero value), "lbfgs", "shampoo", "muon", …
	// The full-batch ones (lbfgs, the least-squares and Newton methods)
	// ignore BatchSize.
	Optimizer string `yaml:"optimizer" json:"optimizer"`
	// LearningRate is the optimizer's step size (first-order and matrix
	// optimizers); zero means 1e-3 for Adam, the optimizer's own default
	// otherwise.
	LearningRate float64 `yaml:"learning_rate" json:"learning_rate"`
	// DecayRate and DecaySteps make the rate exponential:
	// LearningRate·DecayRate^(step/DecaySteps); zero means constant.
	DecayRate  float64 `yaml:"decay_rate" json:"decay_rate"`
	DecaySteps int     `yaml:"decay_steps" json:"decay_steps"`
	// Steps is the number of optimizer steps; zero means 10000.
	Steps int `yaml:"steps" json:"steps"`
	// Polish is the number of full-batch L-BFGS iterations run after the
	// Steps of Optimizer (a second stage, as in Lu et al. 2022 and most
	// PINN practice); zero means none.
	Polish int `yaml:"polish" json:"polish"`
	// BatchSize is the number of functions (aligned) or triples
	// (unaligned) per step; zero means all (full batch).
	BatchSize int `yaml:"batch_size" json:"batch_size"`
	// Validation is the number of samples at the end of the dataset held
	// out from training and evaluated every EvalEvery steps; zero means
	// none.
	Validation int `yaml:"validation" json:"validation"`
	// EvalEvery is the number of steps between evaluations and metric
	// lines; zero means 1000.
	EvalEvery int `yaml:"eval_every" json:"eval_every"`
	// Seed draws the initial weights, the triples and the batches.
	Seed uint64 `yaml:"seed" json:"seed"`

	// Implicit, when set, makes the branch an equilibrium network solved
	// by nn/implicit (see ImplicitConfig), e.g. in YAML
	// implicit: {width: 40, solver: newton-krylov}.
	Implicit *ImplicitConfig `yaml:"implicit" json:"implicit,omitempty"`

	// Physics, when set, trains by the residual of a PDE instead of (or
	// besides) the solution data: physics-informed DeepONet.
	Physics *PhysicsConfig `yaml:"physics" json:"physics,omitempty"`
}

// DefaultConfig returns the DeepONet of the antiderivative benchmark
// (Lu et al. 2021, §3.1): branch [m, 40, 40], trunk [d, 40, 40], tanh, with
// bias and normalisation, aligned, MSE, Adam at 1e-3 for 10000 full-batch
// steps.
func DefaultConfig() *Config {
	return &Config{
		Branch:       []int{40},
		Trunk:        []int{40},
		Basis:        40,
		Outputs:      1,
		Activation:   "tanh",
		Normalize:    true,
		Layout:       "aligned",
		Loss:         "mse",
		Optimizer:    "adam",
		LearningRate: 1e-3,
		Steps:        10000,
		EvalEvery:    1000,
	}
}

// withDefaults returns a copy with the zero fields set to their defaults,
// or an error naming the first invalid field.
func (c *Config) withDefaults() (*Config, error) {
	if c == nil {
		return nil, errors.New("deeponet: nil config; start from DefaultConfig()")
	}
	d := *c
	d.Branch = append([]int(nil), c.Branch...)
	d.Trunk = append([]int(nil), c.Trunk...)
	d.Coords = append([]string(nil), c.Coords...)
	if d.Basis == 0 {
		d.Basis = 40
	}
	if d.Outputs == 0 {
		d.Outputs = 1
	}
	if d.Activation == "" {
		d.Activation = "tanh"
	}
	if d.Layout == "" {
		d.Layout = "aligned"
	}
	if d.Loss == "" {
		d.Loss = "mse"
	}
	if d.Optimizer == "" {
		d.Optimizer = "adam"
	}
	if d.LearningRate == 0 && d.Optimizer == "adam" {
		d.LearningRate = 1e-3
	}
	if d.Steps == 0 {
		d.Steps = 10000
	}
	if d.EvalEvery == 0 {
		d.EvalEvery = 1000
	}
	for _, w := range append(append([]int(nil), d.Branch...), d.Trunk...) {
		if w <= 0 {
			return nil, fmt.Errorf("deeponet: hidden width %d; widths must be positive", w)
		}
	}
	switch {
	case d.Basis < 0 || d.Outputs < 0:
		return nil, fmt.Errorf("deeponet: basis %d and outputs %d must be positive", d.Basis, d.Outputs)
	case d.Layout != "aligned" && d.Layout != "unaligned":
		return nil, fmt.Errorf("deeponet: layout %q; use aligned or unaligned", d.Layout)
	case d.Loss != "mse" && d.Loss != "rel-l2":
		return nil, fmt.Errorf("deeponet: loss %q; use mse or rel-l2", d.Loss)
	case !(d.LearningRate >= 0) || math.IsInf(d.LearningRate, 0):
		return nil, fmt.Errorf("deeponet: learning rate %g must be positive (or zero: the optimizer's default)", d.LearningRate)
	case d.Steps < 0 || d.Polish < 0 || d.BatchSize < 0 || d.Validation < 0 || d.EvalEvery < 0 || d.Triples < 0 || d.DecaySteps < 0:
		return nil, errors.New("deeponet: steps, polish, batch size, validation, eval_every, triples and decay_steps must not be negative")
	case d.DecayRate < 0 || d.DecayRate > 1 || (d.DecayRate > 0 && d.DecaySteps == 0):
		return nil, fmt.Errorf("deeponet: decay rate %g with decay steps %d; use 0 < rate ≤ 1 with positive steps, or 0", d.DecayRate, d.DecaySteps)
	}
	if _, err := train.LookupOptimizer(d.Optimizer); err != nil {
		return nil, fmt.Errorf("deeponet: %w", err)
	}
	if _, err := activationByName(d.Activation); err != nil {
		return nil, fmt.Errorf("deeponet: %w", err)
	}
	if d.Implicit != nil {
		im := *d.Implicit
		d.Implicit = &im
		if d.Stacked {
			return nil, errStackedImplicit
		}
		if _, err := d.Implicit.settings(); err != nil {
			return nil, err
		}
	}
	if d.Physics != nil {
		p := *d.Physics
		d.Physics = &p
		if err := d.Physics.check(); err != nil {
			return nil, err
		}
	}
	return &d, nil
}
