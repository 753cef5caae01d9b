package train

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckpointOpensInNumpy writes a checkpoint of the MLP trained with
// Shampoo (matrix and vector state) and opens it with numpy through
// scripts/reference/train_checkpoint.py.
func TestCheckpointOpensInNumpy(t *testing.T) {
	py, err := exec.LookPath("/usr/bin/python3") // Debian's, with numpy
	if err != nil {
		if py, err = exec.LookPath("python3"); err != nil {
			t.Skip("python3 not found")
		}
	}
	if exec.Command(py, "-c", "import numpy").Run() != nil {
		t.Skip("numpy not installed")
	}
	path := filepath.Join(t.TempDir(), "ckpt.npz")
	_, err = Run(context.Background(), regressionMLP(t, 1), &Config{
		Optimizer: &Shampoo{}, Steps: 3, Schedule: &Plateau{},
		Checkpoint: Checkpointing{Path: path, Kind: "mlp", Config: map[string]any{"hidden": []int{16}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(py, filepath.Join("..", "scripts", "reference", "train_checkpoint.py"), path).CombinedOutput()
	if err != nil {
		t.Fatalf("numpy could not read the checkpoint: %v\n%s", err, out)
	}
	for _, want := range []string{"kind 'mlp'", "optimizer *train.Shampoo", "step 3", "param:mlp.0.W float64 [1, 16]", "opt:L:mlp.1.W float64", "sched:plateau float64 [5]", "loop:state float64 [5]"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("numpy summary lacks %q:\n%s", want, out)
		}
	}
}
