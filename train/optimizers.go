package train

import (
	"fmt"
	"slices"
	"strings"
)

// OptimizerSettings are what a model's configuration can set on a named
// optimizer (NewOptimizer). Each optimizer reads the settings it has and
// ignores the others; zero means that optimizer's own default.
type OptimizerSettings struct {
	// LearningRate is the step size of the first-order and matrix
	// optimizers (SGD, the Adam family, Shampoo, Muon).
	LearningRate float64
	// Momentum is SGD's heavy-ball coefficient, Muon's μ and Shampoo's β₁.
	Momentum float64
	// WeightDecay is the decoupled decay of AdamW and Muon.
	WeightDecay float64
	// Damping is Levenberg–Marquardt's initial λ and Gauss–Newton's ridge.
	Damping float64
	// Memory is the number of L-BFGS curvature pairs.
	Memory int
}

// OptimizerInfo describes one named optimizer of the suite.
type OptimizerInfo struct {
	// Name is the canonical name; Aliases are accepted too.
	Name    string
	Aliases []string
	// Description names the method and its reference.
	Description string
	// Requires names what the objective must offer beyond a gradient
	// (empty: nothing): "least squares" (a residual Jacobian,
	// LeastSquares).
	Requires string
	// FullBatch means the optimizer refuses mini-batches (its Needs).
	FullBatch bool
	// Settings lists the OptimizerSettings fields it reads.
	Settings []string

	build func(OptimizerSettings) Optimizer
}

// optimizerSuite is the registry behind Optimizers and NewOptimizer, in
// the order the CLI lists them.
var optimizerSuite = []OptimizerInfo{
	{Name: "sgd", Aliases: []string{"gd"}, Description: "SGD with heavy-ball momentum",
		Settings: []string{"learning_rate", "momentum"},
		build: func(s OptimizerSettings) Optimizer {
			return &SGD{LearningRate: s.LearningRate, Momentum: s.Momentum}
		}},
	{Name: "adam", Description: "Adam (Kingma & Ba 2015)", Settings: []string{"learning_rate"},
		build: func(s OptimizerSettings) Optimizer { return &Adam{LearningRate: s.LearningRate} }},
	{Name: "adamw", Description: "Adam with decoupled weight decay (Loshchilov & Hutter 2019)",
		Settings: []string{"learning_rate", "weight_decay"},
		build: func(s OptimizerSettings) Optimizer {
			return &AdamW{LearningRate: s.LearningRate, WeightDecay: s.WeightDecay}
		}},
	{Name: "amsgrad", Description: "AMSGrad (Reddi, Kale & Kumar 2018)", Settings: []string{"learning_rate"},
		build: func(s OptimizerSettings) Optimizer { return &AMSGrad{LearningRate: s.LearningRate} }},
	{Name: "adamax", Description: "AdaMax, Adam in the infinity norm", Settings: []string{"learning_rate"},
		build: func(s OptimizerSettings) Optimizer { return &AdaMax{LearningRate: s.LearningRate} }},
	{Name: "lbfgs", Description: "L-BFGS with a strong-Wolfe line search",
		Settings: []string{"memory"},
		build:    func(s OptimizerSettings) Optimizer { return &LBFGS{Memory: s.Memory} }},
	{Name: "gauss-newton", Aliases: []string{"gn"}, Description: "Gauss–Newton for least-squares objectives",
		Requires: "least squares", Settings: []string{"damping"},
		build: func(s OptimizerSettings) Optimizer { return &GaussNewton{Ridge: s.Damping} }},
	{Name: "levenberg-marquardt", Aliases: []string{"lm"}, Description: "Levenberg–Marquardt, damped Gauss–Newton",
		Requires: "least squares", Settings: []string{"damping"},
		build: func(s OptimizerSettings) Optimizer { return &LevenbergMarquardt{Damping: s.Damping} }},
	{Name: "shampoo", Description: "Shampoo (Gupta, Koren & Singer 2018), Adam-grafted",
		Settings: []string{"learning_rate", "momentum"},
		build: func(s OptimizerSettings) Optimizer {
			return &Shampoo{LearningRate: s.LearningRate, Momentum: s.Momentum}
		}},
	{Name: "muon", Description: "Muon (Jordan et al. 2024): orthogonalised momentum for matrices, Adam for the rest",
		Settings: []string{"learning_rate", "momentum", "weight_decay"},
		build: func(s OptimizerSettings) Optimizer {
			return &Muon{LearningRate: s.LearningRate, Momentum: s.Momentum, WeightDecay: s.WeightDecay}
		}},
	{Name: "polyak", Description: "Polyak step size (Polyak 1969) with optimal loss 0",
		build: func(OptimizerSettings) Optimizer { return &Polyak{} }},
	{Name: "lazy-newton", Description: "Newton with lazy Hessians (Doikov, Chayti & Jaggi 2023); dense, at most 4,000 parameters",
		build: func(OptimizerSettings) Optimizer { return &Newton{} }},
}

// Optimizers returns the named optimizers of the suite.
func Optimizers() []OptimizerInfo {
	all := slices.Clone(optimizerSuite)
	for i := range all {
		all[i].FullBatch = needsFullBatch(all[i])
	}
	return all
}

// needsFullBatch reports the FullBatch of the optimizer's Needs.
func needsFullBatch(o OptimizerInfo) bool {
	n, ok := o.build(OptimizerSettings{}).(Needer)
	return ok && n.Needs().FullBatch
}

// OptimizerNames returns the canonical names of Optimizers.
func OptimizerNames() []string {
	names := make([]string, len(optimizerSuite))
	for i, o := range optimizerSuite {
		names[i] = o.Name
	}
	return names
}

// LookupOptimizer returns the optimizer named name (canonical or alias).
func LookupOptimizer(name string) (OptimizerInfo, error) {
	for _, o := range optimizerSuite {
		if o.Name == name || slices.Contains(o.Aliases, name) {
			o.FullBatch = needsFullBatch(o)
			return o, nil
		}
	}
	return OptimizerInfo{}, fmt.Errorf("train: unknown optimizer %q; use one of %s", name, strings.Join(OptimizerNames(), ", "))
}

// NewOptimizer returns a new optimizer named name (see Optimizers) with
// the settings it reads from s. Whether it suits an objective (a residual
// Jacobian for the least-squares methods, full batches for the
// line-search and second-order ones) is checked when a run starts.
func NewOptimizer(name string, s OptimizerSettings) (Optimizer, error) {
	o, err := LookupOptimizer(name)
	if err != nil {
		return nil, err
	}
	if s.LearningRate < 0 || s.Momentum < 0 || s.WeightDecay < 0 || s.Damping < 0 || s.Memory < 0 {
		return nil, fmt.Errorf("train: optimizer %s: settings must not be negative, got %+v", o.Name, s)
	}
	return o.build(s), nil
}

// NewOptimizerForBatches is NewOptimizer for a run over n samples in
// mini-batches of batch: it also returns the batch size the run should
// use, batch (at most n), or n for the full-batch optimizers, which refuse
// mini-batches.
func NewOptimizerForBatches(name string, s OptimizerSettings, batch, n int) (Optimizer, int, error) {
	o, err := LookupOptimizer(name)
	if err != nil {
		return nil, 0, err
	}
	opt, err := NewOptimizer(o.Name, s)
	if err != nil {
		return nil, 0, err
	}
	if o.FullBatch || batch <= 0 {
		return opt, n, nil
	}
	return opt, min(batch, n), nil
}
