package deeponet

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/neuralpde/neuralpde/data"
)

// tinyDataset is G(u)(t, x) = t·u(x) for u = a + b·x on 6 sensors, on a
// 3 × 6 (t, x) grid.
func tinyDataset(n int) *data.Dataset {
	m, nt := 6, 3
	x, t := make([]float64, m), []float64{0, 0.5, 1}
	for j := range x {
		x[j] = float64(j) / float64(m-1)
	}
	in, out := make([]float64, n*m), make([]float64, n*nt*m)
	for i := range n {
		a, b := math.Sin(float64(i)), math.Cos(float64(3*i))
		for j, xj := range x {
			in[i*m+j] = a + b*xj
			for k, tk := range t {
				out[(i*nt+k)*m+j] = tk * (a + b*xj)
			}
		}
	}
	return &data.Dataset{
		Inputs:  data.NewArray(in, n, m),
		Outputs: data.NewArray(out, n, nt, m),
		Coords:  map[string]data.Array{"x": data.NewArray(x, m), "t": data.NewArray(t, nt)},
		Meta:    data.Meta{Axes: []string{"x"}},
	}
}

// Train writes a directory that Load and Evaluate read back, for both
// layouts; the evaluation reproduces Train's own errors.
func TestTrainLoadEvaluate(t *testing.T) {
	ds := tinyDataset(12)
	g, err := NewGrid(ds, nil, 1)
	if err != nil {
		t.Fatal(err)
	}
	if g.Dim != 2 || g.NY != 18 || g.Coords[0] != "t" || g.Y[12] != 0.5 || g.Y[13] != 0 || g.Y[3] != 0.2 {
		t.Fatalf("grid: dim %d, %d points, coords %v, y %v", g.Dim, g.NY, g.Coords, g.Y[:14])
	}
	for _, layout := range []string{"aligned", "unaligned"} {
		cfg := DefaultConfig()
		cfg.Branch, cfg.Trunk, cfg.Basis = []int{8}, []int{8}, 4
		cfg.Steps, cfg.Validation, cfg.Layout, cfg.Constraint = 200, 4, layout, "initial"
		dir := t.TempDir()
		res, err := Train(context.Background(), cfg, ds, dir, nil)
		if err != nil {
			t.Fatalf("%s: %v", layout, err)
		}
		if !(res.TrainMSE < 0.05) || res.Train.Steps != 200 {
			t.Errorf("%s: %d steps, training MSE %g", layout, res.Train.Steps, res.TrainMSE)
		}
		for _, f := range []string{CheckpointFile, ModelFile, MetricsFile} {
			if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
				t.Errorf("%s: %v", layout, err)
			}
		}
		val, _ := ds.Slice(8, 12)
		ev, err := Evaluate(dir, val)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(ev.MSE-res.ValMSE) > 1e-12*res.ValMSE || math.Abs(ev.RelL2-res.ValRelL2) > 1e-12 {
			t.Errorf("%s: Evaluate gives MSE %g, rel %g; Train gave %g, %g", layout, ev.MSE, ev.RelL2, res.ValMSE, res.ValRelL2)
		}
		// The hard constraint holds exactly: G = 0 at t = 0.
		for j := range 6 {
			if v := ev.Predictions.Data[j]; v != 0 {
				t.Errorf("%s: G at t = 0 is %g", layout, v)
			}
		}
	}
}

// TestSuiteOptimizers trains the tiny operator with optimizers of the
// shared suite beyond adam: each must fit it (the full-batch L-BFGS
// ignoring the batch size).
func TestSuiteOptimizers(t *testing.T) {
	ds := tinyDataset(12)
	for _, tc := range []struct {
		opt  string
		rate float64
	}{{"shampoo", 1e-2}, {"muon", 2e-2}, {"lbfgs", 0}} {
		cfg := DefaultConfig()
		cfg.Branch, cfg.Trunk, cfg.Basis = []int{8}, []int{8}, 4
		cfg.Steps, cfg.BatchSize, cfg.Optimizer, cfg.LearningRate = 200, 4, tc.opt, tc.rate
		res, err := Train(context.Background(), cfg, ds, t.TempDir(), nil)
		if err != nil {
			t.Fatalf("%s: %v", tc.opt, err)
		}
		t.Logf("%s: training MSE %.3g after %d steps", tc.opt, res.TrainMSE, res.Train.Steps)
		if !(res.TrainMSE < 0.05) {
			t.Errorf("%s: training MSE %g after %d steps", tc.opt, res.TrainMSE, res.Train.Steps)
		}
	}
}

func TestTrainErrors(t *testing.T) {
	ds := tinyDataset(4)
	for _, tc := range []struct {
		edit func(*Config)
		want string
	}{
		{func(c *Config) { c.Layout = "diagonal" }, "layout"},
		{func(c *Config) { c.Loss = "huber" }, "loss"},
		{func(c *Config) { c.Activation = "swishy" }, "activation"},
		{func(c *Config) { c.Validation = 4 }, "validation"},
		{func(c *Config) { c.Coords = []string{"x"} }, "coordinate"},
		{func(c *Config) { c.Constraint = "everywhere" }, "constraint"},
		{func(c *Config) { c.Physics = &PhysicsConfig{Preset: "nope"} }, "unknown"},
		{func(c *Config) { c.Activation = "relu"; c.Physics = &PhysicsConfig{Preset: "diffusion-reaction"} }, "relu"},
		{func(c *Config) { c.Optimizer = "adagrad" }, "shampoo"},
	} {
		cfg := DefaultConfig()
		cfg.Steps = 1
		tc.edit(cfg)
		_, err := Train(context.Background(), cfg, ds, t.TempDir(), nil)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("error %v, want one mentioning %q", err, tc.want)
		}
	}
	if _, err := Load(t.TempDir()); err == nil {
		t.Errorf("Load of an empty directory gave no error")
	}
}
