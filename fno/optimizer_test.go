package fno

import (
	"context"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestSuiteOptimizers trains a small FNO-1D with optimizers of the shared
// suite beyond Adam (Shampoo, Muon, and L-BFGS, which trains full batch)
// for 40 epochs: each must reach within 5% of Adam's training loss (the
// targets carry a random offset no input predicts, so the loss cannot
// fall much below 0.65 from its 1.01), and an unknown name must fail with
// the suite's names.
func TestSuiteOptimizers(t *testing.T) {
	ds := smoothDataset(rand.New(rand.NewPCG(5, 6)), 24, 17)
	var adam float64
	for _, tc := range []struct {
		opt  string
		rate float64
	}{{"adam", 1e-2}, {"shampoo", 1e-2}, {"muon", 2e-2}, {"lbfgs", 0}} {
		cfg := Config{Width: 8, Modes: 4, Layers: 2, ProjWidth: 8, Epochs: 40, BatchSize: 6, Optimizer: tc.opt, LearningRate: tc.rate, WeightDecay: -1}
		res, err := Train(context.Background(), &cfg, ds, t.TempDir(), nil)
		if err != nil {
			t.Fatalf("%s: %v", tc.opt, err)
		}
		first, last := res.Train.Losses[0], res.Train.Loss
		t.Logf("%s: training loss %.3g → %.3g in %d steps", tc.opt, first, last, res.Train.Steps)
		if tc.opt == "adam" {
			adam = last
		}
		if !(last < 0.8*first && last <= 1.05*adam) {
			t.Errorf("%s: training loss %.3g → %.3g, Adam's %.3g; want within 5%% of Adam's", tc.opt, first, last, adam)
		}
		if tc.opt == "lbfgs" && res.Train.Steps != 40 {
			t.Errorf("lbfgs: %d steps in 40 epochs; want one full batch per epoch", res.Train.Steps)
		}
	}
	cfg := Config{Width: 8, Modes: 4, Layers: 2, ProjWidth: 8, Epochs: 1, Optimizer: "adagrad"}
	if _, err := Train(context.Background(), &cfg, ds, t.TempDir(), nil); err == nil || !strings.Contains(err.Error(), "shampoo") {
		t.Errorf("unknown optimizer: %v, want an error naming the suite", err)
	}
}

// TestPushforwardNeedsTimeSeries checks that Pushforward on data without a
// time axis fails instead of being ignored.
func TestPushforwardNeedsTimeSeries(t *testing.T) {
	ds := smoothDataset(rand.New(rand.NewPCG(5, 6)), 8, 17)
	cfg := Config{Width: 8, Modes: 4, Layers: 2, ProjWidth: 8, Epochs: 1, Pushforward: 1}
	if _, err := Train(context.Background(), &cfg, ds, t.TempDir(), nil); err == nil || !strings.Contains(err.Error(), "time series") {
		t.Errorf("pushforward on static data: %v, want an error", err)
	}
}
