package train

import (
	"context"
	"math"
	"path/filepath"
	"strings"
	"testing"
)

// resumeCase is one optimizer configuration whose run is split by a
// checkpoint.
type resumeCase struct {
	name     string
	opt      func() Optimizer
	sched    func() Schedule
	problem  func(t testing.TB) Objective
	batch    int
	steps    int
	evalEach int
}

func resumeCases() []resumeCase {
	quad := func(testing.TB) Objective { return quadratic(1e3, 2) }
	exp := func(testing.TB) Objective { return expFit() }
	mlp := func(t testing.TB) Objective { return regressionMLP(t, 5) }
	return []resumeCase{
		{"Adam/minibatch-mlp", func() Optimizer { return &Adam{LearningRate: 1e-2} }, func() Schedule { return Warmup{Steps: 5, Then: Cosine{Steps: 40}} }, mlp, 8, 40, 7},
		{"Adam/plateau", func() Optimizer { return &Adam{LearningRate: 1e-1} }, func() Schedule { return &Plateau{Patience: 1} }, quad, 0, 40, 3},
		{"LBFGS/mlp", func() Optimizer { return &LBFGS{Memory: 5} }, nil, mlp, 0, 30, 0},
		{"LBFGS/quadratic", func() Optimizer { return &LBFGS{} }, nil, quad, 0, 20, 0},
		{"LevenbergMarquardt/mlp", func() Optimizer { return &LevenbergMarquardt{Scaled: true} }, nil, mlp, 0, 20, 0},
		{"GaussNewton/expfit", func() Optimizer { return &GaussNewton{} }, nil, exp, 0, 6, 0},
		{"Newton/expfit", func() Optimizer { return &Newton{Refresh: 3} }, nil, exp, 0, 12, 0},
		{"SGD/quadratic", func() Optimizer { return &SGD{LearningRate: 1e-3, Momentum: 0.9, Nesterov: true} }, nil, quad, 0, 40, 0},
		{"AdamW/quadratic", func() Optimizer { return &AdamW{LearningRate: 1e-2} }, nil, quad, 0, 40, 0},
		{"AMSGrad/quadratic", func() Optimizer { return &AMSGrad{LearningRate: 1e-2} }, nil, quad, 0, 40, 0},
		{"AdaMax/quadratic", func() Optimizer { return &AdaMax{} }, nil, quad, 0, 40, 0},
		{"Shampoo/mlp", func() Optimizer { return &Shampoo{LearningRate: 1e-2, UpdateEvery: 3} }, nil, mlp, 0, 20, 0},
		{"Muon/mlp", func() Optimizer { return &Muon{PolarExpress: true} }, nil, mlp, 4, 20, 0},
		{"Polyak/quadratic", func() Optimizer { return &Polyak{Estimate: true} }, nil, quad, 0, 40, 0},
	}
}

// TestResumeBitIdentical trains N steps straight and N/2 + checkpoint +
// resume (with a fresh objective and optimizer) + N/2, and requires the
// two loss traces to be identical bit for bit.
func TestResumeBitIdentical(t *testing.T) {
	for _, tc := range resumeCases() {
		t.Run(tc.name, func(t *testing.T) {
			cfg := func() *Config {
				c := &Config{Optimizer: tc.opt(), Steps: tc.steps, BatchSize: tc.batch, Seed: 7, EvalEvery: tc.evalEach}
				if tc.sched != nil {
					c.Schedule = tc.sched()
				}
				c.Checkpoint.Kind = "test"
				return c
			}
			straight, err := Run(context.Background(), tc.problem(t), cfg())
			if err != nil {
				t.Fatal(err)
			}
			if len(straight.Losses) != tc.steps {
				t.Fatalf("straight run took %d steps (%v), want %d", len(straight.Losses), straight.Status, tc.steps)
			}
			path := filepath.Join(t.TempDir(), "ckpt.npz")
			first := cfg()
			first.Steps = tc.steps / 2
			first.Checkpoint.Path = path
			a, err := Run(context.Background(), tc.problem(t), first)
			if err != nil {
				t.Fatal(err)
			}
			second := cfg()
			second.Resume = path
			b, err := Run(context.Background(), tc.problem(t), second)
			if err != nil {
				t.Fatal(err)
			}
			split := append(append([]float64(nil), a.Losses...), b.Losses...)
			if len(split) != len(straight.Losses) {
				t.Fatalf("split run took %d + %d steps, straight %d", len(a.Losses), len(b.Losses), len(straight.Losses))
			}
			for i := range split {
				if math.Float64bits(split[i]) != math.Float64bits(straight.Losses[i]) {
					t.Fatalf("step %d: resumed loss %v, straight %v (first half %d steps)", i, split[i], straight.Losses[i], len(a.Losses))
				}
			}
			if b.Steps != tc.steps {
				t.Errorf("resumed Result.Steps = %d, want %d", b.Steps, tc.steps)
			}
		})
	}
}

// TestResumeRefuses checks that a checkpoint is refused, with an error
// naming the difference, by a different model, optimizer or batching.
func TestResumeRefuses(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ckpt.npz")
	base := func() *Config {
		return &Config{Optimizer: &Adam{}, Steps: 4, Checkpoint: Checkpointing{Path: path, Kind: "mlp", Config: map[string]int{"width": 16}}}
	}
	if _, err := Run(context.Background(), regressionMLP(t, 1), base()); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		obj  func() Objective
		edit func(c *Config)
		want string
	}{
		{"kind", func() Objective { return regressionMLP(t, 1) }, func(c *Config) { c.Checkpoint.Kind = "fno" }, `"mlp" model, not "fno"`},
		{"config", func() Objective { return regressionMLP(t, 1) }, func(c *Config) { c.Checkpoint.Config = map[string]int{"width": 32} }, "model configuration"},
		{"shapes", func() Objective { return expFit() }, func(*Config) {}, "different model"},
		{"optimizer", func() Objective { return regressionMLP(t, 1) }, func(c *Config) { c.Optimizer = &SGD{} }, "optimizer *train.Adam"},
		{"batching", func() Objective { return regressionMLP(t, 1) }, func(c *Config) { c.BatchSize = 4 }, "BatchSize"},
	} {
		c := base()
		c.Resume = path
		c.Steps = 8
		tc.edit(c)
		_, err := Run(context.Background(), tc.obj(), c)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}
