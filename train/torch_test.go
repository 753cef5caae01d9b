package train

import (
	"context"
	"encoding/json"
	"flag"
	"math"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/neuralpde/neuralpde/data"
)

var torchRef = flag.Bool("torch", false, "run TestTorchReference against PyTorch (needs /usr/bin/python3 with torch)")

// TestTorchReference runs Adam, AdamW, AMSGrad, AdaMax, SGD with Nesterov
// momentum and L-BFGS on the table problem from the same initial weights
// in Go and in PyTorch (scripts/reference/train_torch_compare.py) and
// compares the loss traces: the element-wise methods implement the same
// formulas and must agree to rounding over hundreds of steps; L-BFGS must
// reach a comparable loss.
func TestTorchReference(t *testing.T) {
	if !*torchRef {
		t.Skip("needs PyTorch; run with -torch")
	}
	type run struct {
		Steps    int     `json:"steps"`
		LR       float64 `json:"lr,omitempty"`
		WD       float64 `json:"wd,omitempty"`
		Momentum float64 `json:"momentum,omitempty"`
	}
	runs := map[string]run{
		"Adam":         {Steps: 300, LR: 1e-3},
		"AdamW":        {Steps: 300, LR: 1e-3, WD: 1e-2},
		"AMSGrad":      {Steps: 300, LR: 1e-3},
		"AdaMax":       {Steps: 300, LR: 2e-3},
		"SGD-Nesterov": {Steps: 300, LR: 0.05, Momentum: 0.9},
		"LBFGS":        {Steps: 100},
	}
	opts := map[string]func(r run) Optimizer{
		"Adam":         func(r run) Optimizer { return &Adam{LearningRate: r.LR} },
		"AdamW":        func(r run) Optimizer { return &AdamW{LearningRate: r.LR, WeightDecay: r.WD} },
		"AMSGrad":      func(r run) Optimizer { return &AMSGrad{LearningRate: r.LR} },
		"AdaMax":       func(r run) Optimizer { return &AdaMax{LearningRate: r.LR} },
		"SGD-Nesterov": func(r run) Optimizer { return &SGD{LearningRate: r.LR, Momentum: r.Momentum, Nesterov: true} },
		"LBFGS":        func(r run) Optimizer { return &LBFGS{} },
	}
	fit := newFit2D(t, 1)
	arrays := map[string]data.Array{}
	var names []string
	for _, p := range fit.obj.Params() {
		arrays["param:"+p.Name] = data.NewArray(append([]float64(nil), p.Value...), p.Shape...)
		names = append(names, p.Name)
	}
	x, y := fit2DData()
	arrays["x"] = data.NewArray(x, len(x)/2, 2)
	arrays["y"] = data.NewArray(y, len(y))
	path := filepath.Join(t.TempDir(), "reference.npz")
	if err := data.WriteNPZ(path, arrays, map[string]any{"params": names, "runs": runs}); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("/usr/bin/python3", filepath.Join("..", "scripts", "reference", "train_torch_compare.py"), path).Output()
	if err != nil {
		t.Fatalf("torch reference: %v", err)
	}
	var torch map[string][]float64
	if err := json.Unmarshal(out, &torch); err != nil {
		t.Fatal(err)
	}
	for name, r := range runs {
		f := newFit2D(t, 1)
		res, err := Run(context.Background(), f.obj, &Config{Optimizer: opts[name](r), Steps: r.Steps, EvalEvery: r.Steps + 1})
		if err != nil {
			t.Fatal(err)
		}
		ref := torch[name]
		if len(ref) != len(res.Losses) {
			t.Fatalf("%s: torch ran %d steps, Go %d", name, len(ref), len(res.Losses))
		}
		var maxRel float64
		for i := range ref {
			maxRel = math.Max(maxRel, math.Abs(res.Losses[i]-ref[i])/ref[i])
		}
		last := len(ref) - 1
		t.Logf("%-13s loss %.6e → Go %.6e, torch %.6e after %d steps; max relative trace difference %.2e", name, ref[0], res.Losses[last], ref[last], r.Steps, maxRel)
		if name == "LBFGS" {
			if ratio := res.Losses[last] / ref[last]; ratio > 10 || ratio < 0.1 {
				t.Errorf("LBFGS: Go reaches %.3e, torch %.3e", res.Losses[last], ref[last])
			}
			continue
		}
		if maxRel > 1e-9 {
			t.Errorf("%s: loss traces differ by up to %.3e (relative)", name, maxRel)
		}
	}
}
