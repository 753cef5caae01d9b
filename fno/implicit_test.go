package fno

import (
	"context"
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/neuralpde/neuralpde/data"
)

// impSamples returns n samples on grid of smooth random inputs and a
// smooth nonlinear map of them, on uniform coordinates.
func impSamples(rng *rand.Rand, n int, grid []int) *Samples {
	p := 1
	s := &Samples{N: n, Grid: grid, In: 1, Out: 1}
	for _, g := range grid {
		p *= g
		c := make([]float64, g)
		for j := range c {
			c[j] = float64(j) / float64(g-1)
		}
		s.Coords = append(s.Coords, c)
	}
	s.A, s.U = make([]float64, n*p), make([]float64, n*p)
	last := grid[len(grid)-1]
	for i := range n {
		c0, c1 := rng.NormFloat64(), rng.NormFloat64()
		for j := range p {
			x, y := float64(j%last)/float64(last), float64(j/last)/float64(last)
			v := c0*math.Sin(2*math.Pi*x) + c1*math.Cos(2*math.Pi*(x+y))
			s.A[i*p+j] = v
			s.U[i*p+j] = math.Tanh(v)
		}
	}
	return s
}

// The implicit FNO's loss gradient (lifting, spectral, tied, injection,
// projection) matches central differences in 1-D and 2-D, with padding,
// for Newton–Krylov and Anderson forward solves: relative 1e-6.
func TestImplicitObjectiveGradient(t *testing.T) {
	for _, tc := range []struct {
		name   string
		grid   []int
		solver string
	}{
		{"1d newton-krylov", []int{12}, "newton-krylov"},
		{"1d anderson", []int{12}, "anderson"},
		{"2d newton-krylov", []int{6, 8}, "newton-krylov"},
		{"2d broyden", []int{6, 8}, "broyden"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := &ImplicitConfig{Config: Config{Width: 3, Modes: 2, ProjWidth: 4, Padding: 2}, Solver: tc.solver,
				Tol: 1e-12, BackwardTol: 1e-13, MaxIterations: 500}
			rng := rand.New(rand.NewPCG(7, 8))
			m, err := NewImplicitModel(cfg, len(tc.grid), 1, 1, rng)
			if err != nil {
				t.Fatal(err)
			}
			// Spectral weights of order one, so K matters in the check.
			for _, p := range m.Params() {
				if strings.Contains(p.Name, "spectral") {
					for i := range p.Value {
						p.Value[i] = 0.2 * rng.NormFloat64()
					}
				}
			}
			s := impSamples(rng, 3, tc.grid)
			norm := Normalizer{Mean: []float64{0.1}, Std: []float64{1.3}}
			obj, err := NewImplicitObjective(m, s, norm, norm, false)
			if err != nil {
				t.Fatal(err)
			}
			batch := []int{0, 2}
			if _, err := obj.Loss(batch); err != nil {
				t.Fatal(err)
			}
			for _, st := range m.Layer().Report().Forward {
				if !st.Converged {
					t.Fatalf("sample %d: residual %g", st.Key, st.Residual)
				}
			}
			grads := make(map[string][]float64)
			for _, p := range m.Params() {
				grads[p.Name] = append([]float64(nil), p.Grad...)
			}
			worst := 0.0
			for _, p := range m.Params() {
				g := grads[p.Name]
				for i := 0; i < len(p.Value); i += 1 + len(p.Value)/6 {
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
					rel := math.Abs(fd-g[i]) / math.Max(math.Abs(fd), 1e-4)
					if rel > 1e-6 {
						t.Errorf("%s[%d]: gradient %.10g, finite difference %.10g", p.Name, i, g[i], fd)
					}
					worst = math.Max(worst, rel)
				}
			}
			t.Logf("worst relative difference %.2g", worst)
		})
	}
}

// TrainImplicit writes a run directory that LoadImplicit and
// EvaluateImplicit read back with the same error, lowers the loss, and
// records the solver report.
func TestImplicitTrainLoadEvaluate(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	s := impSamples(rng, 12, []int{16})
	ds := &data.Dataset{Inputs: data.NewArray(s.A, 12, 16), Outputs: data.NewArray(s.U, 12, 16)}
	cfg := DefaultImplicitConfig()
	cfg.Width, cfg.Modes, cfg.ProjWidth, cfg.Padding = 6, 4, 8, 0
	cfg.Epochs, cfg.BatchSize, cfg.Test, cfg.LearningRate = 40, 4, 4, 5e-3
	dir := t.TempDir()
	res, err := TrainImplicit(context.Background(), cfg, ds, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("train rel L2 %.3g, test %.3g, %d solves, %d flagged", res.TrainRelL2, res.TestRelL2, res.Solves, res.Failures)
	if !(res.TrainRelL2 < 0.2) || math.IsNaN(res.TestRelL2) || res.Solves == 0 {
		t.Errorf("train rel L2 %g, test %g, %d solves", res.TrainRelL2, res.TestRelL2, res.Solves)
	}
	b, err := os.ReadFile(filepath.Join(dir, SolverFile))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	var first struct {
		Solver         string  `json:"solver"`
		MeanIterations float64 `json:"mean_iterations"`
	}
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil || first.Solver != "anderson" || first.MeanIterations <= 0 {
		t.Errorf("solver report %q: %v", lines[0], err)
	}
	test, _ := ds.Slice(8, 12)
	ev, err := EvaluateImplicit(dir, test)
	if err != nil {
		t.Fatal(err)
	}
	// The forward solves stop at a relative residual, so the evaluation
	// agrees with training's to the solver tolerance, not to rounding.
	if math.Abs(ev.RelL2-res.TestRelL2) > 1e-3*res.TestRelL2 {
		t.Errorf("Evaluate gives %g; Train gave %g", ev.RelL2, res.TestRelL2)
	}
}

// Invalid implicit configs are refused with errors naming the field.
func TestImplicitConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		mod  func(c *ImplicitConfig)
		want string
	}{
		{func(c *ImplicitConfig) { c.Solver = "picard" }, "unknown solver"},
		{func(c *ImplicitConfig) { c.Backward = "unrolled" }, "unknown backward"},
		{func(c *ImplicitConfig) { c.OnFailure = "ignore" }, "on_failure"},
		{func(c *ImplicitConfig) { c.Loss = "h1" }, "l2 loss"},
		{func(c *ImplicitConfig) { c.Contraction = -1 }, "contraction"},
		{func(c *ImplicitConfig) { c.Damping = 2 }, "Damping"},
	} {
		cfg := DefaultImplicitConfig()
		tc.mod(cfg)
		if _, err := NewImplicitModel(cfg, 1, 1, 1, rand.New(rand.NewPCG(1, 1))); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("error %v, want one mentioning %q", err, tc.want)
		}
	}
}

// The implicit FNO's held-out loss (train.Config.Eval) is its training
// loss without the backward solve: the same value, and every Param.Grad
// left as it was.
func TestImplicitHeldOut(t *testing.T) {
	cfg := &ImplicitConfig{Config: Config{Width: 3, Modes: 2, ProjWidth: 4, BatchSize: 2}, Solver: "anderson", Tol: 1e-12}
	rng := rand.New(rand.NewPCG(41, 42))
	m, err := NewImplicitModel(cfg, 1, 1, 1, rng)
	if err != nil {
		t.Fatal(err)
	}
	s := impSamples(rng, 5, []int{12})
	norm := Normalizer{Mean: []float64{0.1}, Std: []float64{1.3}}
	obj, err := NewImplicitObjective(m, s, norm, norm, false)
	if err != nil {
		t.Fatal(err)
	}
	want, err := obj.Loss(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range m.Params() {
		for i := range p.Grad {
			p.Grad[i] = 42
		}
	}
	got, err := obj.LossOnly(nil)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(got-want) > 1e-12*want {
		t.Errorf("held-out loss %.17g, Loss %.17g", got, want)
	}
	for _, p := range m.Params() {
		for _, g := range p.Grad {
			if g != 42 {
				t.Fatalf("the held-out loss changed %s.Grad", p.Name)
			}
		}
	}
}
