package fno

import (
	"errors"
	"fmt"

	"github.com/neuralpde/neuralpde/train"
)

// Config configures an FNO and its training. Every field's zero value
// means the default that DefaultConfig shows; Config loads from YAML or
// JSON with the field names in lower case.
type Config struct {
	// Width is the number of channels inside the Fourier blocks; zero
	// means 64.
	Width int `yaml:"width" json:"width"`
	// Modes is the number of Fourier modes kept per axis (per sign of the
	// first axis in 2-D); zero means 16 in 1-D and 12 in 2-D.
	Modes int `yaml:"modes" json:"modes"`
	// Layers is the number of Fourier blocks; zero means 4.
	Layers int `yaml:"layers" json:"layers"`
	// ProjWidth is the hidden width of the projection; zero means 128.
	ProjWidth int `yaml:"proj_width" json:"proj_width"`
	// Padding is the number of zero points appended to every spatial axis
	// after the lifting, for non-periodic problems (Li et al. pad Darcy by
	// 9 at 85 points); zero means none, negative means none as well.
	Padding int `yaml:"padding" json:"padding"`
	// History is k, the number of past snapshots a recurrent FNO-2D reads
	// from a dataset with a time axis; zero means 10. Ignored for data
	// without a time axis.
	History int `yaml:"history" json:"history"`
	// Pushforward is u, the largest number of steps a recurrent FNO-2D
	// rolls itself forward, without gradient, from true snapshots to make
	// a training window's inputs (the pushforward trick of Brandstetter,
	// Worrall & Welling 2022, §2.3): every optimizer step draws r from
	// 0 … min(u, completed epochs) and trains on windows whose last r
	// inputs are the model's own predictions (see the package
	// documentation). Zero means teacher forcing on true inputs only;
	// History + Pushforward must be less than the series' snapshots.
	// Data without a time axis refuse a positive Pushforward.
	Pushforward int `yaml:"pushforward,omitempty" json:"pushforward,omitempty"`
	// Loss is "l2" (mean relative L2 error, the default) or "h1" (mean
	// relative H1 error with finite-difference gradients).
	Loss string `yaml:"loss" json:"loss"`
	// Epochs is the number of passes over the training samples; zero
	// means 500.
	Epochs int `yaml:"epochs" json:"epochs"`
	// BatchSize is the number of samples per step; zero means 20.
	BatchSize int `yaml:"batch_size" json:"batch_size"`
	// Optimizer names an optimizer of the shared suite (train.Optimizers;
	// neuralpde list): "adam" (empty), "adamw", "shampoo", "muon", … The
	// full-batch ones (lbfgs, the least-squares and Newton methods) train
	// on all samples at every step.
	Optimizer string `yaml:"optimizer" json:"optimizer,omitempty"`
	// LearningRate is the optimizer's initial rate (first-order and
	// matrix optimizers); zero means 1e-3 for Adam, the optimizer's own
	// default otherwise.
	LearningRate float64 `yaml:"learning_rate" json:"learning_rate"`
	// DecayEvery is the number of epochs between learning-rate decays by
	// DecayGamma; zero means 100.
	DecayEvery int `yaml:"decay_every" json:"decay_every"`
	// DecayGamma is the decay factor; zero means 0.5.
	DecayGamma float64 `yaml:"decay_gamma" json:"decay_gamma"`
	// WeightDecay is the L2 penalty coefficient (torch Adam's
	// weight_decay); zero means 1e-4, negative means none.
	WeightDecay float64 `yaml:"weight_decay" json:"weight_decay"`
	// Test is the number of trailing samples held out and evaluated after
	// training; zero means none.
	Test int `yaml:"test" json:"test"`
	// Train is the number of leading samples trained on; zero means all
	// but the Test ones.
	Train int `yaml:"train" json:"train"`
	// Seed seeds the initial weights and the shuffling.
	Seed uint64 `yaml:"seed" json:"seed"`
	// CheckpointEvery is the number of epochs between checkpoints; zero
	// means only at the end.
	CheckpointEvery int `yaml:"checkpoint_every" json:"checkpoint_every"`
	// Init names a directory written by Train (or the checkpoint.npz in
	// it) whose weights and normalisers Train starts from instead of a
	// random initialisation, on data at any resolution (multi-resolution
	// fine-tuning); empty means a fresh model. Width, Modes, Layers,
	// ProjWidth, Padding and History left zero are the checkpoint's; set,
	// they must equal it. The optimizer and schedule start afresh.
	Init string `yaml:"init" json:"init,omitempty"`
}

// DefaultConfig returns the configuration of Li et al.'s FNO-1D for
// Burgers (width 64, 16 modes, 4 layers, Adam 1e-3 with weight decay 1e-4,
// batch 20, the rate halved every 100 of 500 epochs).
func DefaultConfig() *Config {
	return &Config{Width: 64, Layers: 4, ProjWidth: 128, History: 10, Loss: "l2", Epochs: 500, BatchSize: 20,
		Optimizer: "adam", LearningRate: 1e-3, DecayEvery: 100, DecayGamma: 0.5, WeightDecay: 1e-4}
}

// withDefaults returns a copy of c with zero fields set to their defaults
// (Modes stays zero: it depends on the dimension) and checks it.
func (c *Config) withDefaults() (*Config, error) {
	if c == nil {
		c = &Config{}
	}
	d := *c
	def := DefaultConfig()
	setInt := func(v *int, def int) {
		if *v == 0 {
			*v = def
		}
	}
	setInt(&d.Width, def.Width)
	setInt(&d.Layers, def.Layers)
	setInt(&d.ProjWidth, def.ProjWidth)
	setInt(&d.History, def.History)
	setInt(&d.Epochs, def.Epochs)
	setInt(&d.BatchSize, def.BatchSize)
	setInt(&d.DecayEvery, def.DecayEvery)
	if d.Optimizer == "" {
		d.Optimizer = "adam"
	}
	if d.LearningRate == 0 && d.Optimizer == "adam" {
		d.LearningRate = def.LearningRate
	}
	if d.DecayGamma == 0 {
		d.DecayGamma = def.DecayGamma
	}
	if d.WeightDecay == 0 {
		d.WeightDecay = def.WeightDecay
	}
	if d.Loss == "" {
		d.Loss = def.Loss
	}
	if d.Padding < 0 {
		d.Padding = 0
	}
	switch {
	case d.Width < 1 || d.Layers < 1 || d.ProjWidth < 1 || d.History < 1:
		return nil, fmt.Errorf("fno: width %d, layers %d, proj_width %d and history %d must be positive", d.Width, d.Layers, d.ProjWidth, d.History)
	case d.Pushforward < 0:
		return nil, fmt.Errorf("fno: pushforward %d is negative; use 0 for teacher forcing or a number of unrolled steps", d.Pushforward)
	case d.Modes < 0:
		return nil, fmt.Errorf("fno: modes %d is negative; use 0 for the default", d.Modes)
	case d.Epochs < 0 || d.BatchSize < 0 || d.Test < 0 || d.Train < 0 || d.DecayEvery < 0 || d.CheckpointEvery < 0:
		return nil, errors.New("fno: epochs, batch_size, test, train, decay_every and checkpoint_every must not be negative")
	case d.LearningRate < 0 || d.DecayGamma < 0:
		return nil, errors.New("fno: learning_rate and decay_gamma must not be negative")
	case d.Loss != "l2" && d.Loss != "h1":
		return nil, fmt.Errorf("fno: unknown loss %q; use l2 or h1", d.Loss)
	}
	if _, err := train.LookupOptimizer(d.Optimizer); err != nil {
		return nil, fmt.Errorf("fno: %w", err)
	}
	return &d, nil
}

// optimizer returns the training loop's optimizer and the batch size for
// n training samples: BatchSize, or n for the full-batch optimizers.
func (c *Config) optimizer(n int) (train.Optimizer, int, error) {
	opt, bs, err := train.NewOptimizerForBatches(c.Optimizer, train.OptimizerSettings{LearningRate: c.LearningRate}, c.BatchSize, n)
	if err != nil {
		return nil, 0, fmt.Errorf("fno: %w", err)
	}
	return opt, bs, nil
}
