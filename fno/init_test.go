package fno

import (
	"context"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/neuralpde/neuralpde/data"
)

// smoothDataset returns smoothSamples as a dataset of n samples on pts
// points (no coordinates: a uniform grid).
func smoothDataset(rng *rand.Rand, n, pts int) *data.Dataset {
	s := smoothSamples(rng, n, []int{pts}, 1)
	return &data.Dataset{Inputs: data.NewArray(s.A, n, pts), Outputs: data.NewArray(s.U, n, pts), Meta: data.Meta{Format: data.FormatVersion, Samples: n}}
}

// TestInit trains a small padded FNO-1D at 17 points, then trains it on
// the same fields at 33 points starting from its checkpoint
// (multi-resolution fine-tuning): the first training loss at 33 points is
// the checkpoint's zero-shot error there (not a random model's), training
// lowers it, and the new run records the padding scaled to its grid.
func TestInit(t *testing.T) {
	const n, pts, test = 30, 33, 6
	fine := smoothDataset(rand.New(rand.NewPCG(31, 32)), n, pts)
	coarse, err := fine.Subsample(2)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	coarseRun, fineRun, freshRun := filepath.Join(dir, "coarse"), filepath.Join(dir, "fine"), filepath.Join(dir, "fresh")
	arch := Config{Width: 8, Modes: 4, Layers: 2, ProjWidth: 8, Padding: 2}
	cfg := arch
	cfg.Epochs, cfg.BatchSize, cfg.Test, cfg.LearningRate = 60, 6, test, 1e-2
	if _, err := Train(context.Background(), &cfg, coarse, coarseRun, nil); err != nil {
		t.Fatal(err)
	}
	trainPart, err := fine.Slice(0, n-test)
	if err != nil {
		t.Fatal(err)
	}
	zeroShot, err := Evaluate(coarseRun, trainPart, 0)
	if err != nil {
		t.Fatal(err)
	}
	// One batch of all training samples and no weight decay, so that the
	// first step's loss is the mean relative L2 error Evaluate computes.
	ft := Config{Epochs: 5, BatchSize: n, Test: test, LearningRate: 1e-3, WeightDecay: -1, Init: coarseRun}
	res, err := Train(context.Background(), &ft, fine, fineRun, nil)
	if err != nil {
		t.Fatal(err)
	}
	first := res.Train.Losses[0]
	if math.Abs(first-zeroShot.RelL2) > 1e-12*zeroShot.RelL2 {
		t.Errorf("fine-tuning starts at loss %.15g; the checkpoint's zero-shot error at %d points is %.15g", first, pts, zeroShot.RelL2)
	}
	if !(res.Train.Loss < first) {
		t.Errorf("fine-tuning went from %g to %g; want a fall", first, res.Train.Loss)
	}
	fresh := arch
	fresh.Epochs, fresh.BatchSize, fresh.Test, fresh.WeightDecay = 1, n, test, -1
	fr, err := Train(context.Background(), &fresh, fine, freshRun, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !(first < 0.5*fr.Train.Losses[0]) {
		t.Errorf("fine-tuning starts at %g, a random model at %g; want below half", first, fr.Train.Losses[0])
	}
	t.Logf("at %d points: loss from %.4g (the checkpoint's zero-shot error) to %.4g; a random model's %.4g", pts, first, res.Train.Loss, fr.Train.Losses[0])
	tm, err := Load(fineRun)
	if err != nil {
		t.Fatal(err)
	}
	if c := tm.Model.Config(); c.Padding != 4 || c.Width != 8 || c.Init != coarseRun || len(tm.TrainGrid) != 1 || tm.TrainGrid[0] != pts {
		t.Errorf("fine-tuned model: padding %d (want 2 scaled from 17 to 33 points: 4), width %d, init %q, training grid %v",
			c.Padding, c.Width, c.Init, tm.TrainGrid)
	}
	// Starting from the checkpoint file is the same as from its directory.
	ft.Init = filepath.Join(coarseRun, CheckpointFile)
	again, err := Train(context.Background(), &ft, fine, filepath.Join(dir, "again"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if again.Train.Losses[0] != first {
		t.Errorf("from the checkpoint file: first loss %g, from the directory %g", again.Train.Losses[0], first)
	}
}

// TestInitMismatch checks the errors of a configuration or data that do
// not fit the model to start from.
func TestInitMismatch(t *testing.T) {
	rng := rand.New(rand.NewPCG(33, 34))
	ds := smoothDataset(rng, 8, 17)
	dir := t.TempDir()
	run := filepath.Join(dir, "run")
	if _, err := Train(context.Background(), &Config{Width: 4, Modes: 3, Layers: 1, ProjWidth: 4, Epochs: 1, BatchSize: 4}, ds, run, nil); err != nil {
		t.Fatal(err)
	}
	s2 := smoothSamples(rng, 4, []int{8, 8}, 1)
	ds2 := &data.Dataset{Inputs: data.NewArray(s2.A, 4, 8, 8), Outputs: data.NewArray(s2.U, 4, 8, 8), Meta: data.Meta{Format: data.FormatVersion, Samples: 4}}
	series := &data.Dataset{Inputs: data.NewArray(make([]float64, 4*64), 4, 8, 8), Outputs: data.NewArray(make([]float64, 4*5*64), 4, 5, 8, 8), Meta: data.Meta{Format: data.FormatVersion, Samples: 4}}
	for _, tc := range []struct {
		name string
		cfg  Config
		ds   *data.Dataset
		want []string
	}{
		{"architecture", Config{Width: 16, Modes: 3, Layers: 2, Padding: 1, Init: run}, ds,
			[]string{"width 16 (the checkpoint's: 4)", "layers 2 (the checkpoint's: 1)", "padding 1 (the checkpoint's: 0)"}},
		{"defaults are not the checkpoint's", *DefaultConfig(), ds, []string{"width 64 (the checkpoint's: 4)", "proj_width 128 (the checkpoint's: 4)"}},
		{"2-D data", Config{Init: run}, ds2, []string{"is a 1-D model from 1 to 1 channels; these data are 2-D"}},
		{"time series", Config{Init: run}, series, []string{"maps a field to a field, and these data are a time series"}},
		{"no model", Config{Init: filepath.Join(dir, "none")}, ds, []string{"is " + filepath.Join(dir, "none") + " a directory written by"}},
		{"implicit", Config{Init: run}, ds, []string{"not the implicit FNO"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.cfg.Init == "" {
				tc.cfg.Init = run
			}
			var err error
			if tc.name == "implicit" {
				_, err = TrainImplicit(context.Background(), &ImplicitConfig{Config: tc.cfg}, tc.ds, filepath.Join(dir, "out"), nil)
			} else {
				_, err = Train(context.Background(), &tc.cfg, tc.ds, filepath.Join(dir, "out"), nil)
			}
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "out")); err == nil {
		t.Error("a refused start wrote its output directory")
	}
}

// TestInitRecurrent trains a small recurrent FNO-2D on 8² snapshots and
// continues it on the same series at 16²: the first loss is the
// checkpoint's one-step error there, training lowers it, and a history
// other than the checkpoint's is refused.
func TestInitRecurrent(t *testing.T) {
	const n, T, s = 4, 5, 16
	u := make([]float64, n*T*s*s)
	for i := range n {
		for k := range T {
			for j := range s * s {
				x, y := float64(j%s)/s, float64(j/s)/s
				u[((i*T+k)*s*s)+j] = math.Sin(2*math.Pi*(x+0.1*float64(k+i))) * math.Cos(2*math.Pi*y)
			}
		}
	}
	fine := &data.Dataset{Inputs: data.NewArray(make([]float64, n*s*s), n, s, s), Outputs: data.NewArray(u, n, T, s, s), Meta: data.Meta{Format: data.FormatVersion, Samples: n}}
	coarse, err := fine.Subsample(2)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	coarseRun := filepath.Join(dir, "coarse")
	if _, err := Train(context.Background(), &Config{Width: 4, Modes: 2, Layers: 1, ProjWidth: 4, History: 3, Epochs: 3, BatchSize: 4, LearningRate: 1e-2}, coarse, coarseRun, nil); err != nil {
		t.Fatal(err)
	}
	// The checkpoint's one-step error on the fine windows.
	tm, err := Load(coarseRun)
	if err != nil {
		t.Fatal(err)
	}
	w, err := Windows(fine.Outputs, 3)
	if err != nil {
		t.Fatal(err)
	}
	w.Coords, _ = coordinates(fine, w.Grid)
	obj, err := NewObjective(tm.Model, w, tm.InNorm, tm.OutNorm, "l2")
	if err != nil {
		t.Fatal(err)
	}
	want, err := obj.LossOnly(nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Train(context.Background(), &Config{Epochs: 3, BatchSize: w.N, WeightDecay: -1, Init: coarseRun}, fine, filepath.Join(dir, "fine"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if first := res.Train.Losses[0]; math.Abs(first-want) > 1e-12*want || !res.Recurrent || !(res.Train.Loss < first) {
		t.Errorf("recurrent %v; loss from %.15g to %g; the checkpoint's one-step error at %d² is %.15g", res.Recurrent, first, res.Train.Loss, s, want)
	}
	_, err = Train(context.Background(), &Config{History: 2, Init: coarseRun}, fine, filepath.Join(dir, "bad"), nil)
	if err == nil || !strings.Contains(err.Error(), "history 2 (the checkpoint's: 3)") {
		t.Errorf("history 2 against a checkpoint of 3: error %v", err)
	}
}
