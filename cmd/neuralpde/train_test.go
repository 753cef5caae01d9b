package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/neuralpde/neuralpde/data"
	"github.com/neuralpde/neuralpde/fno"
)

// TestTrainEvalOperators trains a tiny FNO and a tiny DeepONet on a tiny
// burgers-periodic dataset through the CLI, then evaluates both checkpoints
// and reads the predictions back.
func TestTrainEvalOperators(t *testing.T) {
	dir := t.TempDir()
	ds := filepath.Join(dir, "bp.npz")
	if code, _, errs := cli(t, nil, "generate", "--preset", "burgers-periodic", "--n", "12", "--res", "32",
		"--modes", "32", "--dt", "0.01", "--seed", "1", "-q", "--out", ds); code != 0 {
		t.Fatalf("generate: exit %d: %s", code, errs)
	}
	configs := map[string]string{
		"fno":          "epochs: 2\ntrain: 10\ntest: 2\nwidth: 8\nmodes: 4\nlayers: 2\nproj_width: 8\nbatch_size: 5\n",
		"deeponet":     "steps: 20\nbranch: [16]\ntrunk: [16]\nbasis: 8\nvalidation: 2\neval_every: 10\n",
		"fno-implicit": "epochs: 2\ntrain: 10\ntest: 2\nwidth: 8\nmodes: 4\nproj_width: 8\nbatch_size: 5\nsolver: anderson\n",
	}
	for model, yml := range configs {
		cfgPath := filepath.Join(dir, model+".yaml")
		if err := os.WriteFile(cfgPath, []byte(yml), 0o644); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(dir, model)
		code, stdout, errs := cli(t, nil, "train", "--model", model, "--data", ds, "--config", cfgPath, "--out", out, "-q")
		if code != 0 {
			t.Fatalf("train %s: exit %d: %s", model, code, errs)
		}
		if !strings.HasPrefix(stdout, model+":") || !strings.Contains(stdout, "wrote "+out) {
			t.Errorf("train %s printed %q", model, stdout)
		}
		pred := filepath.Join(dir, model+"_pred.npz")
		code, stdout, errs = cli(t, nil, "eval", "--checkpoint", out, "--data", ds, "--out", pred)
		if code != 0 {
			t.Fatalf("eval %s: exit %d: %s", model, code, errs)
		}
		if !strings.Contains(stdout, "relative L2") {
			t.Errorf("eval %s printed %q", model, stdout)
		}
		arrays, _, err := data.ReadNPZ(pred)
		if err != nil {
			t.Fatal(err)
		}
		if u := arrays["u"]; len(u.Shape) != 2 || u.Shape[0] != 12 || u.Shape[1] != 32 {
			t.Errorf("eval %s wrote u of shape %v, want [12 32]", model, u.Shape)
		}
	}
}

// TestTrainUsage checks that wrong combinations are usage errors (exit 2).
func TestTrainUsage(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("no_such_key: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := [][]string{
		{"train", "--preset", "burgers-shock", "--out", dir},
		{"train", "--model", "transformer", "--preset", "burgers-shock", "--out", dir},
		{"train", "--model", "pinn", "--out", dir},
		{"train", "--model", "pinn", "--preset", "no-such-preset", "--out", dir},
		{"train", "--model", "pinn", "--preset", "poisson-sine", "--config", bad, "--out", dir},
		{"train", "--model", "fno", "--preset", "burgers-shock", "--out", dir},
		{"train", "--model", "deeponet", "--out", dir},
		{"train", "--model", "pinn", "--preset", "poisson-sine"},
		{"eval"},
		{"eval", "--checkpoint", filepath.Join(dir, "none")},
	}
	for _, args := range cases {
		if code, _, errs := cli(t, nil, args...); code != 2 {
			t.Errorf("%v: exit %d (%s), want 2", args, code, errs)
		}
	}
}

// TestTrainEvalPINN trains a tiny PINN on poisson-sine through the CLI and
// evaluates its checkpoint on the preset's standard grid.
func TestTrainEvalPINN(t *testing.T) {
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "pinn.yaml")
	yml := "network: {hidden: [8, 8], activation: tanh}\npoints: {collocation: 64, boundary: 32, sampler: sobol}\n" +
		"stages: [{optimizer: adam, steps: 5, learning_rate: 0.001}, {optimizer: lm, steps: 3}]\neval_every: 0\n"
	if err := os.WriteFile(cfgPath, []byte(yml), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "run")
	code, stdout, errs := cli(t, nil, "train", "--model", "pinn", "--preset", "poisson-sine", "--config", cfgPath, "--out", out, "-q")
	if code != 0 {
		t.Fatalf("train: exit %d: %s", code, errs)
	}
	if !strings.HasPrefix(stdout, "pinn poisson-sine: 8 steps") {
		t.Errorf("train printed %q", stdout)
	}
	for _, name := range []string{"checkpoint.npz", "metrics.jsonl", "prediction.png"} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Errorf("train wrote no %s: %v", name, err)
		}
	}
	pred := filepath.Join(dir, "pred.npz")
	code, stdout, errs = cli(t, nil, "eval", "--checkpoint", out, "--out", pred)
	if code != 0 {
		t.Fatalf("eval: exit %d: %s", code, errs)
	}
	if !strings.HasPrefix(stdout, "pinn poisson-sine: relative L2 ") {
		t.Errorf("eval printed %q", stdout)
	}
	if _, _, err := data.ReadNPZ(pred); err != nil {
		t.Fatal(err)
	}
}

// TestTrainForeignData trains and evaluates an FNO on a .npz that numpy wrote
// with just float32 arrays a and u (testdata/foreign_au.npz, made by
// scripts/reference/data_foreign_fixture.py).
func TestTrainForeignData(t *testing.T) {
	dir := t.TempDir()
	fixture := filepath.Join("..", "..", "testdata", "foreign_au.npz")
	cfgPath := filepath.Join(dir, "fno.yaml")
	if err := os.WriteFile(cfgPath, []byte("epochs: 1\ntrain: 6\ntest: 2\nwidth: 4\nmodes: 2\nlayers: 1\nproj_width: 4\nbatch_size: 3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "run")
	code, stdout, errs := cli(t, nil, "train", "--model", "fno", "--data", fixture, "--config", cfgPath, "--out", out, "-q")
	if code != 0 {
		t.Fatalf("train: exit %d: %s", code, errs)
	}
	if !strings.Contains(stdout, "from another tool, on a uniform grid") {
		t.Errorf("train did not say the data is foreign: %q", stdout)
	}
	if code, _, errs := cli(t, nil, "eval", "--checkpoint", out, "--data", fixture); code != 0 {
		t.Fatalf("eval: exit %d: %s", code, errs)
	}
}

// TestTrainInit trains a tiny FNO at 16 points through the CLI and
// fine-tunes it with --init on the same samples at 32 points; an
// architecture other than the checkpoint's, or --init for another model,
// is refused.
func TestTrainInit(t *testing.T) {
	dir := t.TempDir()
	fine, coarse := filepath.Join(dir, "bp32.npz"), filepath.Join(dir, "bp16.npz")
	for path, sub := range map[string]string{fine: "1", coarse: "2"} {
		if code, _, errs := cli(t, nil, "generate", "--preset", "burgers-periodic", "--n", "12", "--res", "32", "--subsample", sub,
			"--modes", "32", "--dt", "0.01", "--seed", "1", "-q", "--out", path); code != 0 {
			t.Fatalf("generate: exit %d: %s", code, errs)
		}
	}
	write := func(name, yml string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(yml), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	first := write("coarse.yaml", "epochs: 2\ntrain: 10\ntest: 2\nwidth: 8\nmodes: 4\nlayers: 2\nproj_width: 8\nbatch_size: 5\n")
	tune := write("tune.yaml", "epochs: 1\ntrain: 10\ntest: 2\nbatch_size: 5\nlearning_rate: 0.0001\n")
	wide := write("wide.yaml", "width: 16\n")
	run16, run32 := filepath.Join(dir, "run16"), filepath.Join(dir, "run32")
	if code, _, errs := cli(t, nil, "train", "--model", "fno", "--data", coarse, "--config", first, "--out", run16, "-q"); code != 0 {
		t.Fatalf("train at 16 points: exit %d: %s", code, errs)
	}
	code, stdout, errs := cli(t, nil, "train", "--model", "fno", "--data", fine, "--config", tune, "--init", run16, "--out", run32, "-q")
	if code != 0 {
		t.Fatalf("train --init: exit %d: %s", code, errs)
	}
	if !strings.Contains(stdout, "started from "+run16) || !strings.Contains(stdout, "wrote "+run32) {
		t.Errorf("train --init printed %q", stdout)
	}
	tm, err := fno.Load(run32)
	if err != nil {
		t.Fatal(err)
	}
	if c := tm.Model.Config(); c.Width != 8 || c.Init != run16 || tm.TrainGrid[0] != 32 {
		t.Errorf("fine-tuned model: width %d, init %q, training grid %v; want 8, %q, [32]", c.Width, c.Init, tm.TrainGrid, run16)
	}
	code, _, errs = cli(t, nil, "train", "--model", "fno", "--data", fine, "--config", wide, "--init", run16, "--out", filepath.Join(dir, "wide"), "-q")
	if code == 0 || !strings.Contains(errs, "width 16 (the checkpoint's: 8)") {
		t.Errorf("train --init with another width: exit %d, %q", code, errs)
	}
	if code, _, errs := cli(t, nil, "train", "--model", "deeponet", "--data", fine, "--init", run16, "--out", filepath.Join(dir, "d")); code != 2 {
		t.Errorf("train --model deeponet --init: exit %d (%s), want 2", code, errs)
	}
}

// TestTrainRecurrentSummary trains a recurrent FNO-2D on a tiny
// Navier–Stokes time series through the CLI: its summary names the
// held-out rollout error and prints no NaN for the training error it does
// not measure.
func TestTrainRecurrentSummary(t *testing.T) {
	dir := t.TempDir()
	ns := filepath.Join(dir, "ns.npz")
	if code, _, errs := cli(t, nil, "generate", "--preset", "navier-stokes", "--n", "6", "--res", "32", "--subsample", "2", "--steps-saved", "4", "--dt", "0.01", "--seed", "3", "-q", "--out", ns); code != 0 {
		t.Fatalf("generate: exit %d: %s", code, errs)
	}
	cfg := filepath.Join(dir, "fno.yaml")
	if err := os.WriteFile(cfg, []byte("width: 4\nmodes: 3\nlayers: 1\nproj_width: 4\nhistory: 2\nepochs: 1\nbatch_size: 4\ntest: 2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := cli(t, nil, "train", "--model", "fno", "--data", ns, "--config", cfg, "--out", filepath.Join(dir, "run"), "-q")
	if code != 0 {
		t.Fatalf("train: exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "fno: test rollout relative L2 ") || strings.Contains(out, "NaN") {
		t.Errorf("summary %q: want the rollout error and no NaN", out)
	}
}
