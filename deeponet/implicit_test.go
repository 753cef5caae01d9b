package deeponet

import (
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"
)

// The implicit branch's gradients agree with central differences of the
// loss for every forward solver, in both layouts: relative 1e-6.
func TestImplicitBranchGradient(t *testing.T) {
	for _, solver := range []string{"newton-krylov", "broyden", "anderson", "fixed-point", "homotopy"} {
		for _, unaligned := range []bool{false, true} {
			cfg := DefaultConfig()
			cfg.Trunk, cfg.Basis = []int{5}, 3
			cfg.Implicit = &ImplicitConfig{Width: 6, Solver: solver, Tol: 1e-13, MaxIterations: 3000, Contraction: 0.6}
			md, u, y, target := randomProblem(t, cfg, 4, 6)
			var triples [][2]int
			if unaligned {
				triples = [][2]int{{0, 1}, {2, 3}, {0, 5}, {3, 0}, {1, 1}, {2, 2}, {3, 4}}
			}
			obj, err := NewData(md, "mse", u, y, target, triples)
			if err != nil {
				t.Fatal(err)
			}
			batch := []int{0, 2, 3}
			if _, err := obj.Loss(batch); err != nil {
				t.Fatal(err)
			}
			grads := make(map[string][]float64)
			for _, p := range md.Params() {
				grads[p.Name] = append([]float64(nil), p.Grad...)
			}
			worst := 0.0
			for _, p := range md.Params() {
				if !strings.HasPrefix(p.Name, "branch") {
					continue
				}
				g := grads[p.Name]
				for i := range p.Value {
					v := p.Value[i]
					const h = 1e-5
					p.Value[i] = v + h
					lp, err := obj.Loss(batch)
					if err != nil {
						t.Fatal(err)
					}
					p.Value[i] = v - h
					lm, _ := obj.Loss(batch)
					p.Value[i] = v
					fd := (lp - lm) / (2 * h)
					worst = math.Max(worst, math.Abs(fd-g[i])/math.Max(1e-3, math.Abs(fd)))
				}
			}
			t.Logf("%s unaligned=%v: worst relative difference %.2g", solver, unaligned, worst)
			if worst > 1e-6 {
				t.Errorf("%s unaligned=%v: branch gradient differs from finite differences by %.3g (relative)", solver, unaligned, worst)
			}
		}
	}
}

// An implicit branch is selected by the config's implicit field (as the
// CLI's YAML gives it), trains, and round-trips through Load/Evaluate.
func TestImplicitBranchTrain(t *testing.T) {
	cfg := DefaultConfig()
	if err := json.Unmarshal([]byte(`{"trunk": [8], "basis": 4, "steps": 150, "validation": 4,
		"implicit": {"width": 8, "solver": "anderson", "tol": 1e-9}}`), cfg); err != nil {
		t.Fatal(err)
	}
	ds := tinyDataset(12)
	dir := t.TempDir()
	res, err := Train(context.Background(), cfg, ds, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !(res.TrainMSE < 0.1) {
		t.Errorf("implicit branch: training MSE %g after %d steps", res.TrainMSE, res.Train.Steps)
	}
	val, _ := ds.Slice(8, 12)
	ev, err := Evaluate(dir, val)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(ev.MSE-res.ValMSE) > 1e-9*res.ValMSE {
		t.Errorf("Evaluate gives MSE %g; Train gave %g", ev.MSE, res.ValMSE)
	}
}

// Invalid implicit configs get errors that say what to change.
func TestImplicitConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		mod  func(c *Config)
		want string
	}{
		{func(c *Config) { c.Implicit = &ImplicitConfig{Solver: "newton"} }, "unknown solver"},
		{func(c *Config) { c.Implicit = &ImplicitConfig{Backward: "unrolled"} }, "unknown backward"},
		{func(c *Config) { c.Implicit = &ImplicitConfig{OnFailure: "ignore"} }, "on_failure"},
		{func(c *Config) { c.Implicit = &ImplicitConfig{Contraction: 1.5} }, "contraction"},
		{func(c *Config) { c.Implicit = &ImplicitConfig{Damping: 3} }, "Damping"},
		{func(c *Config) { c.Implicit, c.Stacked = &ImplicitConfig{}, true }, "stacked"},
	} {
		cfg := DefaultConfig()
		tc.mod(cfg)
		if _, err := cfg.withDefaults(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("error %v, want one mentioning %q", err, tc.want)
		}
	}
}
