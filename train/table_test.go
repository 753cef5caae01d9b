package train

import (
	"context"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/neuralpde/neuralpde/nn"
)

var (
	table       = flag.Bool("table", false, "run TestOptimizerTable: every optimizer on the 2-D fit, up to -table.budget each (slow)")
	tableBudget = flag.Duration("table.budget", 60*time.Second, "training time per optimizer in TestOptimizerTable, evaluation time excluded")
	tableOnly   = flag.String("table.only", "", "semicolon-separated optimizer names to run in TestOptimizerTable; empty means all")
	tableProb   = flag.String("table.problem", "fit2d", "TestOptimizerTable's problem: fit2d (MLP 2-32-32-1 regression) or poisson1d (PINN with MLP 1-32-32-1)")
)

// tableFit is a problem of the table: a network, its objective, and test
// points with the exact solution there.
type tableFit struct {
	mlp         *nn.MLP
	obj         *nn.ResidualObjective
	test, exact []float64
	u           []float64
	exactNorm   float64
}

// newTableFit returns the problem named by -table.problem.
func newTableFit(t testing.TB, seed uint64) *tableFit {
	t.Helper()
	switch *tableProb {
	case "fit2d":
		return newFit2D(t, seed)
	case "poisson1d":
		return newPoisson1D(t, seed)
	}
	t.Fatalf("unknown -table.problem %q; use fit2d or poisson1d", *tableProb)
	return nil
}

// newPoisson1D is the PINN of −u″ = π² sin(πx) on [0, 1], u(0) = u(1) = 0
// (exact solution sin(πx)) with an MLP 1→32→32→1 (tanh) through nn's
// jet-based Poisson objective at 256 interior collocation points, with the
// relative L2 error on 1000 test points.
func newPoisson1D(t testing.TB, seed uint64) *tableFit {
	t.Helper()
	cfg := nn.DefaultMLPConfig()
	cfg.Inputs, cfg.Hidden = 1, []int{32, 32}
	m, err := nn.NewMLP(cfg, rand.New(rand.NewPCG(seed, 0)))
	if err != nil {
		t.Fatal(err)
	}
	const n = 256
	var d nn.PoissonData
	for i := 0; i < n; i++ {
		x := (float64(i) + 0.5) / n
		d.Interior = append(d.Interior, x)
		d.F = append(d.F, math.Pi*math.Pi*math.Sin(math.Pi*x))
	}
	d.Boundary, d.G = []float64{0, 1}, []float64{0, 0}
	obj, err := nn.NewPoisson(m, d)
	if err != nil {
		t.Fatal(err)
	}
	f := &tableFit{mlp: m, obj: obj}
	for i := 0; i < 1000; i++ {
		x := (float64(i) + 0.5) / 1000
		f.test = append(f.test, x)
		f.exact = append(f.exact, math.Sin(math.Pi*x))
	}
	f.exactNorm = norm(f.exact)
	f.u = make([]float64, len(f.exact))
	return f
}

// newFit2D is an MLP 2→32→32→1 (tanh) fitted by mean squared error to
// u*(x, y) = sin(πx)·sin(πy) at 32×32 points of [0, 1]², with the relative
// L2 error measured on a 50×50 grid it was not trained on.
func newFit2D(t testing.TB, seed uint64) *tableFit {
	t.Helper()
	cfg := nn.DefaultMLPConfig()
	cfg.Hidden = []int{32, 32}
	m, err := nn.NewMLP(cfg, rand.New(rand.NewPCG(seed, 0)))
	if err != nil {
		t.Fatal(err)
	}
	x, y := fit2DData()
	obj, err := nn.NewRegression(m, x, y)
	if err != nil {
		t.Fatal(err)
	}
	f := &tableFit{mlp: m, obj: obj}
	f.test, f.exact = fit2DGrid(50, 0.5)
	f.exactNorm = norm(f.exact)
	f.u = make([]float64, len(f.exact))
	return f
}

// fit2DData returns the training points and targets: a 32×32 grid of
// [0, 1]².
func fit2DData() (xy, u []float64) { return fit2DGrid(32, 0) }

// fit2DGrid returns an n×n grid of [0, 1]², its nodes shifted by offset
// spacings from the corners, and sin(πx)·sin(πy) there.
func fit2DGrid(n int, offset float64) (xy, u []float64) {
	h := float64(n-1) + 2*offset
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			x, y := (float64(i)+offset)/h, (float64(j)+offset)/h
			xy = append(xy, x, y)
			u = append(u, math.Sin(math.Pi*x)*math.Sin(math.Pi*y))
		}
	}
	return xy, u
}

// relErr returns ‖u − u*‖/‖u*‖ on the test grid.
func (f *tableFit) relErr() float64 {
	f.mlp.Eval(f.u, f.test)
	var s float64
	for i, v := range f.u {
		d := v - f.exact[i]
		s += d * d
	}
	return math.Sqrt(s) / f.exactNorm
}

// errorTracker is a Recorder measuring the test error after every step,
// excluding its own time from the wall time, and canceling the run when
// the training time exceeds the budget.
type errorTracker struct {
	fit      *tableFit
	budget   time.Duration
	cancel   context.CancelFunc
	evalTime time.Duration
	best     float64
	hit      [2]struct {
		step int
		time time.Duration
	}
	steps int
	train time.Duration
}

var tableTargets = [2]float64{1e-3, 1e-5}

func (e *errorTracker) Record(m Metrics) error {
	start := time.Now()
	err := e.fit.relErr()
	e.evalTime += time.Since(start)
	e.train = m.Elapsed - e.evalTime + time.Since(start)
	e.steps = m.Step
	e.best = math.Min(e.best, err)
	for k, target := range tableTargets {
		if e.hit[k].step == 0 && err <= target {
			e.hit[k].step, e.hit[k].time = m.Step, e.train
		}
	}
	if e.train > e.budget || e.hit[1].step != 0 && e.best < 1e-7 {
		e.cancel()
	}
	return nil
}

func (e *errorTracker) Finish(*Result) error { return nil }

// tableCase is one optimizer of the table.
type tableCase struct {
	name string
	opt  func() Optimizer
}

var tableCases = []tableCase{
	{"SGD(0.05, Nesterov 0.9)", func() Optimizer { return &SGD{LearningRate: 0.05, Momentum: 0.9, Nesterov: true} }},
	{"Adam(1e-3)", func() Optimizer { return &Adam{} }},
	{"AdamW(1e-3, wd 1e-5)", func() Optimizer { return &AdamW{WeightDecay: 1e-5} }},
	{"AMSGrad(1e-3)", func() Optimizer { return &AMSGrad{} }},
	{"AdaMax(2e-3)", func() Optimizer { return &AdaMax{} }},
	{"LBFGS(m=10)", func() Optimizer { return &LBFGS{} }},
	{"LBFGS(m=50)", func() Optimizer { return &LBFGS{Memory: 50} }},
	{"GaussNewton", func() Optimizer { return &GaussNewton{} }},
	{"LM(Nielsen)", func() Optimizer { return &LevenbergMarquardt{} }},
	{"LM(Nielsen, CG)", func() Optimizer { return &LevenbergMarquardt{MatrixFree: true, CGMaxIter: 200} }},
	{"LM(Marquardt, scaled)", func() Optimizer { return &LevenbergMarquardt{Update: Marquardt, Scaled: true} }},
	{"Shampoo(1e-3, k=10)", func() Optimizer { return &Shampoo{UpdateEvery: 10} }},
	{"Muon(0.02)", func() Optimizer { return &Muon{} }},
	{"Muon(0.02, PolarExpress)", func() Optimizer { return &Muon{PolarExpress: true} }},
	{"Polyak(f*=0)", func() Optimizer { return &Polyak{} }},
	{"Polyak(estimated f*)", func() Optimizer { return &Polyak{Estimate: true} }},
	{"Newton(cubic, lazy k=10)", func() Optimizer { return &Newton{Refresh: 10} }},
	{"Newton(regularized, lazy k=10)", func() Optimizer { return &Newton{Refresh: 10, Regularized: true} }},
}

// TestOptimizerTable prints, for every optimizer, the steps and training
// time to reach relative test error 1e-3 and 1e-5 on the problem chosen by
// -table.problem and the best error reached within the budget. Run it with
//
//	go test ./train -run TestOptimizerTable -v -table [-table.budget 60s] [-table.problem poisson1d]
func TestOptimizerTable(t *testing.T) {
	if !*table {
		t.Skip("slow; run with -table")
	}
	var only map[string]bool
	if *tableOnly != "" {
		only = make(map[string]bool)
		for _, n := range strings.Split(*tableOnly, ";") {
			only[strings.TrimSpace(n)] = true
		}
	}
	desc := map[string]string{
		"fit2d":     "fit of sin(πx)sin(πy) by MLP 2-32-32-1 tanh (1185 parameters), 1024 training points, relative L2 error on a 50×50 test grid",
		"poisson1d": "PINN for −u″ = π² sin(πx), u(0) = u(1) = 0, MLP 1-32-32-1 tanh (1153 parameters), 256 collocation points, relative L2 error at 1000 test points",
	}[*tableProb]
	fmt.Fprintf(os.Stdout, "%s; budget %v per optimizer\n\n", desc, *tableBudget)
	fmt.Fprintf(os.Stdout, "| optimizer | steps to 1e-3 | time to 1e-3 | steps to 1e-5 | time to 1e-5 | best error | steps run | status |\n|---|---|---|---|---|---|---|---|\n")
	for _, tc := range tableCases {
		if only != nil && !only[tc.name] {
			continue
		}
		fit := newTableFit(t, 1)
		ctx, cancel := context.WithCancel(context.Background())
		tr := &errorTracker{fit: fit, budget: *tableBudget, cancel: cancel, best: fit.relErr()}
		res, err := Run(ctx, fit.obj, &Config{Optimizer: tc.opt(), Steps: math.MaxInt32, EvalEvery: math.MaxInt32, Recorders: []Recorder{tr}})
		cancel()
		status := "error: " + fmt.Sprint(err)
		if err == nil {
			status = res.Status.String()
		}
		cell := func(k int) (string, string) {
			if tr.hit[k].step == 0 {
				return "—", "—"
			}
			return fmt.Sprint(tr.hit[k].step), tr.hit[k].time.Round(time.Millisecond).String()
		}
		s3, t3 := cell(0)
		s5, t5 := cell(1)
		fmt.Fprintf(os.Stdout, "| %s | %s | %s | %s | %s | %.2e | %d | %s |\n", tc.name, s3, t3, s5, t5, tr.best, tr.steps, status)
	}
}
