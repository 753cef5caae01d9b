package nsm

import (
	"context"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestOptimizers trains a small NSM on reaction–diffusion with optimizers
// of the shared suite (Config.Optimizer): each must lower the spectral
// loss at least twofold in 60 steps, the full-batch L-BFGS taking every
// input at each step; an unknown name fails with the suite's names.
func TestOptimizers(t *testing.T) {
	p, err := NewReactionDiffusion(0.1, rdRho, 4, 5)
	if err != nil {
		t.Fatal(err)
	}
	base := Config{Width: 8, Layers: 2, ProjWidth: 8, BatchSize: 4, Train: 16, Test: 4, Seed: 3}
	for _, tc := range []struct {
		opt  string
		rate float64
	}{{"adam", 3e-3}, {"muon", 2e-2}, {"shampoo", 3e-3}, {"lbfgs", 0}} {
		cfg := base
		cfg.Optimizer, cfg.LearningRate, cfg.Steps = tc.opt, tc.rate, 60
		res, err := Train(context.Background(), &cfg, p, t.TempDir(), nil)
		if err != nil {
			t.Fatalf("%s: %v", tc.opt, err)
		}
		first, last := res.Train.Losses[0], res.Train.Loss
		t.Logf("%s: loss %.3g → %.3g in %d steps, held-out rel L2 %.6g", tc.opt, first, last, res.Train.Steps, res.TestRelL2)
		if !(last < first/2) {
			t.Errorf("%s: loss %.3g → %.3g; want a twofold fall", tc.opt, first, last)
		}
	}
	bad := base
	bad.Optimizer = "adagrad"
	if _, err := Train(context.Background(), &bad, p, t.TempDir(), nil); err == nil || !strings.Contains(err.Error(), "muon") {
		t.Errorf("unknown optimizer: %v, want an error naming the suite", err)
	}
}

// TestNewProblemModel checks that a model built for a problem takes the
// problem's defaults (complex weights for Navier–Stokes) where NewModel
// takes the generic ones, and that a set field wins.
func TestNewProblemModel(t *testing.T) {
	p, err := NewNavierStokes(0.01, 0.5, 3, 4, 2)
	if err != nil {
		t.Fatal(err)
	}
	in, out := p.Channels()
	generic, err := NewModel(nil, p.Basis(), in, out, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	tuned, err := NewProblemModel(&Config{Width: 6}, p, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	if g, c := generic.Config(), tuned.Config(); g.Weights != WeightsReal || c.Weights != WeightsComplex || c.Width != 6 {
		t.Errorf("NewModel weights %q; NewProblemModel weights %q, width %d; want real, complex, 6", g.Weights, c.Weights, c.Width)
	}
	if _, err := NewProblemModel(nil, nil, rand.New(rand.NewPCG(1, 2))); err == nil {
		t.Error("nil problem: no error")
	}
}
