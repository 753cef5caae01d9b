package pinn

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/neuralpde/neuralpde/data"
	"github.com/neuralpde/neuralpde/nn"
)

func TestTrainEvaluateRoundTrip(t *testing.T) {
	cfg, err := DefaultConfig("burgers-shock")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Network.Hidden = []int{6, 6}
	cfg.Points.Collocation = 100
	cfg.Stages = []StageConfig{{Optimizer: "adam", Steps: 20, LearningRate: 1e-2}, {Optimizer: "lbfgs", Steps: 10}}
	cfg.EvalEvery = 10
	dir := t.TempDir()
	var log bytes.Buffer
	res, err := Train(context.Background(), cfg, dir, &log)
	if err != nil {
		t.Fatal(err)
	}
	if res.Steps != 30 || len(res.Stages) != 2 || math.IsNaN(res.RelL2) {
		t.Fatalf("result %+v", res)
	}
	e, err := Evaluate(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	if e.RelL2 != res.RelL2 {
		t.Errorf("Evaluate relative L2 %g, Train %g", e.RelL2, res.RelL2)
	}
	out := filepath.Join(dir, "eval.npz")
	if err := e.WriteNPZ(out); err != nil {
		t.Fatal(err)
	}
	arrays, _, err := data.ReadNPZ(out)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(arrays["u"].Shape, []int{100, 256}) || len(arrays["x"].Data) != 256 || len(arrays["t"].Data) != 100 {
		t.Errorf("eval.npz shapes: u %v, x %d, t %d; want u 100×256 (time first)", arrays["u"].Shape, len(arrays["x"].Data), len(arrays["t"].Data))
	}
	metrics, err := os.ReadFile(filepath.Join(dir, MetricsName))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(metrics)), "\n")
	if len(lines) != 30 || !strings.Contains(lines[9], `"rel_l2"`) || !strings.Contains(lines[29], `"optimizer":"lbfgs"`) {
		t.Errorf("metrics log has %d lines; line 10: %s", len(lines), lines[9])
	}
	if !strings.Contains(log.String(), "relative L2 error") {
		t.Errorf("log has no summary line:\n%s", log.String())
	}
	// A warm start with a negligible step reproduces the trained model.
	cfg.WarmStart = dir
	cfg.Stages = []StageConfig{{Optimizer: "adam", Steps: 1, LearningRate: 1e-14}}
	again, err := Train(context.Background(), cfg, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(again.RelL2-res.RelL2) > 1e-9*res.RelL2 {
		t.Errorf("warm start and one tiny Adam step: relative L2 %g, the checkpoint's %g", again.RelL2, res.RelL2)
	}
	cfg.WarmStart = filepath.Join(dir, "missing")
	if _, err := Train(context.Background(), cfg, "", nil); err == nil {
		t.Error("warm start from a missing checkpoint: no error")
	}
}

func TestConfigErrors(t *testing.T) {
	if _, err := DefaultConfig("no-such-preset"); err == nil {
		t.Error("DefaultConfig of an unknown preset: no error")
	}
	if _, err := DefaultConfig("kuramoto-sivashinsky"); err != nil {
		t.Errorf("DefaultConfig(kuramoto-sivashinsky): %v", err)
	}
	base := func() *Config {
		c, _ := DefaultConfig("heat")
		c.Network.Hidden = []int{3}
		c.Points.Collocation = 10
		c.Stages = []StageConfig{{Optimizer: "adam", Steps: 1}}
		return c
	}
	cases := []struct {
		name string
		mod  func(c *Config)
		want string
	}{
		{"optimizer", func(c *Config) { c.Stages[0].Optimizer = "rmsprop" }, "unknown optimizer"},
		{"steps", func(c *Config) { c.Stages[0].Steps = 0 }, "positive"},
		{"activation", func(c *Config) { c.Network.Activation = "relu" }, "unknown activation"},
		{"sampler", func(c *Config) { c.Points.Sampler = "grid" }, "unknown sampler"},
		{"constraint", func(c *Config) { c.Constraint = "soft" }, "unknown constraint"},
		{"preset", func(c *Config) { c.Preset = "" }, "no preset"},
		{"equation", func(c *Config) { c.Equation = &EquationConfig{Name: "heat"} }, "needs parameter"},
		{"observations", func(c *Config) {
			c.Unknowns = []Unknown{{Name: "kappa", Init: 1}}
			c.Observations = 1 << 20
		}, "observations"},
	}
	for _, c := range cases {
		cfg := base()
		c.mod(cfg)
		_, err := Train(context.Background(), cfg, "", nil)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "pinn: ") && !strings.HasPrefix(err.Error(), "pde: ") {
			t.Errorf("%s: error %v, want one mentioning %q", c.name, err, c.want)
		}
	}
}

func TestEvaluateErrors(t *testing.T) {
	if _, err := Evaluate(t.TempDir(), ""); err == nil {
		t.Error("Evaluate of an empty directory: no error")
	}
	if _, err := StandardGrid("allen-cahn", filepath.Join(t.TempDir(), "missing.npz")); err == nil {
		t.Error("missing reference file: no error")
	}
	g, err := StandardGrid("allen-cahn", "")
	if err != nil || g.Reference != nil || len(g.X) != 512 || len(g.T) != 201 {
		t.Errorf("allen-cahn grid without reference: %v", err)
	}
}

// TestLevenbergMarquardtIdentifiesCoefficients trains the inverse heat
// problem u_t = κ u_xx (κ = 0.1) from observations of the exact solution
// with Levenberg–Marquardt alone: the coefficient is a column of the
// Jacobian like the network's weights, and is found from a start of 0.5.
func TestLevenbergMarquardtIdentifiesCoefficients(t *testing.T) {
	cfg, err := DefaultConfig("heat")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Network.Hidden = []int{12, 12}
	cfg.Points = PointsConfig{Collocation: 200, Sampler: "sobol"}
	cfg.Unknowns = []Unknown{{Name: "kappa", Init: 0.5}}
	cfg.Observations = 200
	cfg.Stages = []StageConfig{{Optimizer: "lm", Steps: 60}}
	res, err := Train(context.Background(), cfg, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	kappa := res.Coefficients["kappa"]
	t.Logf("κ = %.6f after %d LM steps (%v), relative L2 %.2e", kappa, res.Steps, res.Stages[0].Status, res.RelL2)
	if math.Abs(kappa-0.1) > 2e-3 {
		t.Errorf("identified κ = %.6f, want 0.1 within 2e-3", kappa)
	}
}

// TestStageCollocation checks that a stage with its own collocation count
// trains on a fresh residual set of that size (and that refinement runs
// with a second-order first stage), and that ReplaceCollocation keeps the
// other terms and the coefficients.
func TestStageCollocation(t *testing.T) {
	cfg, err := DefaultConfig("heat")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Network.Hidden = []int{4}
	cfg.Points = PointsConfig{Collocation: 20, Sampler: "sobol"}
	cfg.Refine = RefineConfig{Every: 2, Candidates: 30, Add: 5}
	cfg.Stages = []StageConfig{{Optimizer: "lm", Steps: 4}, {Optimizer: "adam", Steps: 3, Collocation: 64}}
	res, err := Train(context.Background(), cfg, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Steps != 7 {
		t.Errorf("%d steps, want 7", res.Steps)
	}

	cfg.Unknowns = []Unknown{{Name: "kappa", Init: 0.3}}
	cfg.Observations = 10
	p, m, err := cfg.build()
	if err != nil {
		t.Fatal(err)
	}
	g, err := StandardGrid("heat", "")
	if err != nil {
		t.Fatal(err)
	}
	pn, err := cfg.newPINN(p, m, g)
	if err != nil {
		t.Fatal(err)
	}
	q, err := cfg.resample(pn, 64, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(q.Terms) != len(pn.Terms) || q.Coefficients[0] != pn.Coefficients[0] {
		t.Fatalf("resampled PINN has %d terms (want %d) and its own coefficients", len(q.Terms), len(pn.Terms))
	}
	for k, term := range q.Terms {
		rows, want := term.Rows(2), pn.Terms[k].Rows(2)
		if term.Kind == ResidualTerm {
			want = 64
		}
		if rows != want {
			t.Errorf("%v term has %d points, want %d", term.Kind, rows, want)
		}
	}
	if n := nn.NumParams(q.Objective().Params()); n != nn.NumParams(pn.Objective().Params()) {
		t.Errorf("resampled objective trains %d parameters, the original %d", n, nn.NumParams(pn.Objective().Params()))
	}
}

// TestPreconditionedStage trains poisson-sine by plain gradient descent
// with and without Gauss–Newton preconditioning: the preconditioned run
// must end far lower, and its spectrum log must show the top of the
// preconditioned kernel's spectrum brought to 1.
func TestPreconditionedStage(t *testing.T) {
	run := func(pre string, rate float64, spectrum int) (*Result, string, string) {
		cfg, err := DefaultConfig("poisson-sine")
		if err != nil {
			t.Fatal(err)
		}
		cfg.Network.Hidden = []int{8, 8}
		cfg.Points.Collocation = 64
		cfg.Refine = RefineConfig{}
		cfg.Stages = []StageConfig{{Optimizer: "gd", Steps: 30, LearningRate: rate, Precondition: pre}}
		cfg.EvalEvery = 30
		cfg.SpectrumEvery = spectrum
		dir := t.TempDir()
		var log bytes.Buffer
		res, err := Train(context.Background(), cfg, dir, &log)
		if err != nil {
			t.Fatalf("precondition %q: %v", pre, err)
		}
		return res, dir, log.String()
	}
	// Gradient descent without preconditioning is stable only for small
	// rates; take the best of a few.
	plain := &Result{RelL2: math.Inf(1)}
	for _, rate := range []float64{1e-3, 1e-2, 5e-2} {
		if r, _, _ := run("", rate, 0); r.RelL2 < plain.RelL2 {
			plain = r
		}
	}
	gn, dir, log := run("gn", 0.5, 15)
	if !(gn.RelL2 < plain.RelL2/10) {
		t.Errorf("relative L2 after 30 gd steps: %.3g with Gauss–Newton preconditioning, %.3g without; want ≥10× lower", gn.RelL2, plain.RelL2)
	}
	if !strings.Contains(log, "with gn [") {
		t.Errorf("log has no spectrum line:\n%s", log)
	}
	b, err := os.ReadFile(filepath.Join(dir, SpectrumName))
	if err != nil {
		t.Fatal(err)
	}
	var line struct {
		Plain   struct{ Max, Cond float64 } `json:"spectrum"`
		Precond struct{ Max, Cond float64 } `json:"precond_spectrum"`
	}
	first := strings.SplitN(string(b), "\n", 2)[0]
	if err := json.Unmarshal([]byte(first), &line); err != nil {
		t.Fatalf("%s: %v", first, err)
	}
	// Damped Gauss–Newton maps the kernel's eigenvalues μ to μ/(μ + λ):
	// the top of the spectrum, which limits a gradient step, lands just
	// below 1 whatever its size was (the small ones, below λ, stay small).
	if !(line.Plain.Max > 10) || !(line.Precond.Max > 0.5 && line.Precond.Max <= 1+1e-9) {
		t.Errorf("largest eigenvalue: plain %.3g (want > 10), preconditioned %.3g (want in (0.5, 1])", line.Plain.Max, line.Precond.Max)
	}
	t.Logf("gd 30 steps: rel L2 %.3g plain, %.3g with gn; λmax %.3g → %.3g", plain.RelL2, gn.RelL2, line.Plain.Max, line.Precond.Max)

	cfg, _ := DefaultConfig("poisson-sine")
	cfg.Stages = []StageConfig{{Optimizer: "lbfgs", Steps: 1, Precondition: "gn"}}
	if _, err := Train(context.Background(), cfg, "", nil); err == nil || !strings.Contains(err.Error(), "exact gradient") {
		t.Errorf("lbfgs with a preconditioner: err %v, want a refusal naming the exact gradient", err)
	}
}

// TestSuiteOptimizerStage trains poisson-sine with optimizers of the
// shared suite that pinn has no name of its own for (Shampoo, Muon): each
// must lower the relative L2 error of the untrained network tenfold, and
// an unknown name must fail with the suite's names.
func TestSuiteOptimizerStage(t *testing.T) {
	run := func(stages ...StageConfig) (*Result, error) {
		cfg, err := DefaultConfig("poisson-sine")
		if err != nil {
			t.Fatal(err)
		}
		cfg.Network.Hidden = []int{16, 16}
		cfg.Points.Collocation = 256
		cfg.Refine = RefineConfig{}
		cfg.Stages = stages
		cfg.EvalEvery = 1000
		return Train(context.Background(), cfg, t.TempDir(), io.Discard)
	}
	start, err := run(StageConfig{Optimizer: "adam", Steps: 1, LearningRate: 1e-12})
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range []StageConfig{
		{Optimizer: "shampoo", Steps: 300, LearningRate: 1e-2},
		{Optimizer: "muon", Steps: 300, LearningRate: 2e-2, Decay: 0.995},
	} {
		res, err := run(st)
		if err != nil {
			t.Fatalf("%s: %v", st.Optimizer, err)
		}
		t.Logf("%s: relative L2 %.3g (untrained %.3g)", st.Optimizer, res.RelL2, start.RelL2)
		if !(res.RelL2 < start.RelL2/10) {
			t.Errorf("%s: relative L2 %.3g after %d steps, untrained %.3g; want 10× lower", st.Optimizer, res.RelL2, st.Steps, start.RelL2)
		}
	}
	if _, err := run(StageConfig{Optimizer: "adagrad", Steps: 1}); err == nil || !strings.Contains(err.Error(), "shampoo") {
		t.Errorf("unknown optimizer: %v, want an error naming the suite", err)
	}
}
