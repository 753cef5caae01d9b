package train

import (
	"context"
	"flag"
	"fmt"
	"testing"
)

var survey = flag.Bool("survey", false, "print every optimizer's relative loss on every harness problem instead of checking tolerances")

// harnessProblem is one problem of the optimizer harness.
type harnessProblem struct {
	name string
	make func(t testing.TB) Objective
}

var harnessProblems = []harnessProblem{
	{"quadratic", func(testing.TB) Objective { return quadratic(1e3, 1) }},
	{"rosenbrock", func(testing.TB) Objective { return rosenbrock() }},
	{"expfit", func(testing.TB) Objective { return expFit() }},
	{"mlp", func(t testing.TB) Objective { return regressionMLP(t, 3) }},
}

// budget is an optimizer's step budget and the relative loss f/f₀ it must
// reach within it on one problem.
type budget struct {
	steps int
	tol   float64
}

// harnessCase is one optimizer configuration with its budgets.
type harnessCase struct {
	name     string
	opt      func() Optimizer
	schedule func(steps int) Schedule
	budgets  map[string]budget
}

func cosine(steps int) Schedule { return Cosine{Steps: steps} }

var harnessCases = []harnessCase{
	{"SGD", func() Optimizer { return &SGD{LearningRate: 1e-3, Momentum: 0.9} }, nil, map[string]budget{
		"quadratic": {3000, 1e-6}, "rosenbrock": {3000, 1e-2}, "expfit": {3000, 1e-6}, "mlp": {3000, 3e-1}}},
	{"SGD-Nesterov", func() Optimizer { return &SGD{LearningRate: 1e-3, Momentum: 0.9, Nesterov: true} }, nil, map[string]budget{
		"quadratic": {3000, 1e-6}, "rosenbrock": {3000, 1e-2}, "expfit": {3000, 1e-6}, "mlp": {3000, 3e-1}}},
	{"Adam", func() Optimizer { return &Adam{LearningRate: 1e-2} }, cosine, map[string]budget{
		"quadratic": {3000, 1e-3}, "rosenbrock": {3000, 1e-2}, "expfit": {3000, 1e-6}, "mlp": {3000, 5e-3}}},
	{"AdamW", func() Optimizer { return &AdamW{LearningRate: 1e-2, WeightDecay: 1e-6} }, cosine, map[string]budget{
		"quadratic": {3000, 1e-3}, "rosenbrock": {3000, 1e-2}, "expfit": {3000, 1e-6}, "mlp": {3000, 5e-3}}},
	{"AMSGrad", func() Optimizer { return &AMSGrad{LearningRate: 1e-2} }, cosine, map[string]budget{
		"quadratic": {3000, 3e-3}, "rosenbrock": {3000, 5e-2}, "expfit": {3000, 1e-6}, "mlp": {3000, 1e-2}}},
	{"AdaMax", func() Optimizer { return &AdaMax{LearningRate: 1e-2} }, cosine, map[string]budget{
		"quadratic": {3000, 5e-3}, "rosenbrock": {3000, 3e-1}, "expfit": {3000, 1e-6}, "mlp": {3000, 2e-2}}},
	{"LBFGS", func() Optimizer { return &LBFGS{} }, nil, map[string]budget{
		"quadratic": {200, 1e-12}, "rosenbrock": {200, 1e-12}, "expfit": {200, 1e-12}, "mlp": {500, 1e-5}}},
	{"GaussNewton", func() Optimizer { return &GaussNewton{} }, nil, map[string]budget{
		"quadratic": {5, 1e-20}, "rosenbrock": {50, 1e-12}, "expfit": {50, 1e-12}, "mlp": {100, 1e-5}}},
	{"GaussNewton-CG", func() Optimizer { return &GaussNewton{MatrixFree: true} }, nil, map[string]budget{
		"quadratic": {5, 1e-16}, "rosenbrock": {50, 1e-12}, "expfit": {50, 1e-12}, "mlp": {100, 1e-5}}},
	{"LM-Nielsen", func() Optimizer { return &LevenbergMarquardt{} }, nil, map[string]budget{
		"quadratic": {20, 1e-20}, "rosenbrock": {100, 1e-12}, "expfit": {50, 1e-12}, "mlp": {100, 1e-5}}},
	{"LM-Marquardt-scaled-CG", func() Optimizer {
		return &LevenbergMarquardt{Update: Marquardt, Scaled: true, MatrixFree: true}
	}, nil, map[string]budget{
		"quadratic": {20, 1e-20}, "rosenbrock": {100, 1e-12}, "expfit": {50, 1e-12}, "mlp": {100, 1e-5}}},
	{"Shampoo", func() Optimizer { return &Shampoo{LearningRate: 1e-2} }, cosine, map[string]budget{
		"quadratic": {3000, 1e-3}, "rosenbrock": {3000, 1e-2}, "expfit": {3000, 1e-6}, "mlp": {3000, 1e-3}}},
	{"Muon", func() Optimizer { return &Muon{LearningRate: 0.02, AdamLearningRate: 1e-2} }, cosine, map[string]budget{
		"quadratic": {3000, 1e-4}, "rosenbrock": {3000, 1e-2}, "expfit": {3000, 1e-6}, "mlp": {3000, 1e-3}}},
	{"Muon-PolarExpress", func() Optimizer { return &Muon{LearningRate: 0.02, AdamLearningRate: 1e-2, PolarExpress: true} }, cosine, map[string]budget{
		"quadratic": {3000, 1e-4}, "rosenbrock": {3000, 1e-2}, "expfit": {3000, 1e-6}, "mlp": {3000, 1e-3}}},
	{"Polyak", func() Optimizer { return &Polyak{} }, nil, map[string]budget{
		"quadratic": {3000, 1e-6}, "rosenbrock": {3000, 1e-4}, "expfit": {3000, 1e-6}, "mlp": {3000, 1e-3}}},
	{"Polyak-estimated", func() Optimizer { return &Polyak{Estimate: true} }, nil, map[string]budget{
		"quadratic": {3000, 1e-6}, "rosenbrock": {3000, 1e-4}, "expfit": {3000, 1e-6}, "mlp": {3000, 5e-3}}},
	{"Newton-cubic", func() Optimizer { return &Newton{Refresh: 3} }, nil, map[string]budget{
		"quadratic": {20, 1e-20}, "rosenbrock": {100, 1e-12}, "expfit": {100, 1e-12}, "mlp": {100, 1e-4}}},
	{"Newton-regularized", func() Optimizer { return &Newton{Refresh: 3, Regularized: true} }, nil, map[string]budget{
		"quadratic": {20, 1e-20}, "rosenbrock": {100, 1e-12}, "expfit": {100, 1e-12}, "mlp": {100, 1e-4}}},
}

// TestOptimizerHarness runs every optimizer over every harness problem and
// checks that the relative loss f/f₀ reaches the optimizer's tolerance for
// that problem within its step budget.
func TestOptimizerHarness(t *testing.T) {
	for _, hc := range harnessCases {
		for _, hp := range harnessProblems {
			b, ok := hc.budgets[hp.name]
			if !ok {
				t.Fatalf("%s has no budget for %s", hc.name, hp.name)
			}
			t.Run(hc.name+"/"+hp.name, func(t *testing.T) {
				obj := hp.make(t)
				f0, err := obj.Loss(nil)
				if err != nil {
					t.Fatal(err)
				}
				cfg := &Config{Optimizer: hc.opt(), Steps: b.steps, TargetLoss: b.tol * f0, EvalEvery: b.steps + 1}
				if hc.schedule != nil {
					cfg.Schedule = hc.schedule(b.steps)
				}
				res, err := Run(context.Background(), obj, cfg)
				if err != nil {
					t.Fatal(err)
				}
				rel := res.Loss / f0
				if *survey {
					fmt.Printf("SURVEY %-24s %-11s status %-13v steps %5d rel %.3e (tol %.0e)\n", hc.name, hp.name, res.Status, res.Steps, rel, b.tol)
					return
				}
				if !(rel <= b.tol) {
					t.Errorf("relative loss %.3e after %d steps (%v), want ≤ %.0e", rel, res.Steps, res.Status, b.tol)
				}
			})
		}
	}
}
