package train

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/neuralpde/neuralpde/nn"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/floats/scalar"
	"gonum.org/v1/gonum/mat"
)

// randomLSQ is the linear least-squares problem ½‖Aθ − b‖² with a random
// m×n matrix A over two parameters of n/2 entries each, from θ = 0.
func randomLSQ(m, n int, seed uint64) *lsqFunc {
	rng := rand.New(rand.NewPCG(seed, 3))
	a := mat.NewDense(m, n, nil)
	b := make([]float64, m)
	for i := 0; i < m; i++ {
		b[i] = rng.NormFloat64()
		for j := 0; j < n; j++ {
			a.Set(i, j, rng.NormFloat64()*math.Pow(10, -3*float64(j)/float64(n)))
		}
	}
	return &lsqFunc{
		params: []*nn.Param{nn.NewParam("w", n/2), nn.NewParam("v", n-n/2)}, m: m,
		res: func(dst, x []float64) {
			mat.NewVecDense(m, dst).MulVec(a, mat.NewVecDense(n, x))
			floats.Sub(dst, b)
		},
		jac: func(dst *mat.Dense, _ []float64) { dst.Copy(a) },
	}
}

func setGrads(params []*nn.Param, g []float64) {
	off := 0
	for _, p := range params {
		off += copy(p.Grad, g[off:])
	}
}

func TestDiagonal(t *testing.T) {
	w, v := nn.NewParam("w", 2, 2), nn.NewParam("v", 3)
	params := []*nn.Param{w, v}
	setGrads(params, []float64{1, 2, 3, 4, 5, 6, 7})
	d := &Diagonal{Scales: map[string][]float64{"w": {1, 0.5, 0.25, 2}}}
	if err := d.Precondition(params, nil); err != nil {
		t.Fatal(err)
	}
	got := gatherGrads(nil, params)
	want := []float64{1, 1, 0.75, 8, 5, 6, 7}
	if !floats.Equal(got, want) {
		t.Errorf("preconditioned gradient %v, want %v", got, want)
	}
	inv, err := d.ApplyInverse(nil, []float64{1, 2, 3, 4, 5, 6, 7}, params, nil)
	if err != nil || !floats.Equal(inv, want) {
		t.Errorf("ApplyInverse %v (error %v), want %v", inv, err, want)
	}
	for _, c := range []struct {
		name   string
		scales map[string][]float64
		msg    string
	}{
		{"wrong length", map[string][]float64{"v": {1, 2}}, "one scale per entry"},
		{"unknown name", map[string][]float64{"u": {1}}, "not a trainable parameter"},
	} {
		d := &Diagonal{Scales: c.scales}
		if err := d.Precondition(params, nil); err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: error %v, want one saying %q", c.name, err, c.msg)
		}
		if _, err := d.ApplyInverse(nil, make([]float64, 7), params, nil); err == nil {
			t.Errorf("%s: ApplyInverse gave no error", c.name)
		}
	}
}

func TestLaplacianScales(t *testing.T) {
	for _, c := range []struct {
		name  string
		k     []float64
		dim   int
		shift float64
		want  []float64
		fail  bool
	}{
		{name: "1-D", k: []float64{0, 1, 2}, dim: 1, shift: 1, want: []float64{1, 0.25, 1.0 / 25}},
		{name: "2-D", k: []float64{0, 0, 1, 2, 3, 0}, dim: 2, shift: 1, want: []float64{1, 1.0 / 36, 1.0 / 100}},
		{name: "no shift", k: []float64{2}, dim: 1, want: []float64{1.0 / 16}},
		{name: "zero mode without shift", k: []float64{0, 1}, dim: 1, fail: true},
		{name: "negative shift", k: []float64{1}, dim: 1, shift: -1, fail: true},
		{name: "ragged", k: []float64{1, 2, 3}, dim: 2, shift: 1, fail: true},
	} {
		got, err := LaplacianScales(nil, c.k, c.dim, c.shift)
		if c.fail {
			if err == nil {
				t.Errorf("%s: no error", c.name)
			}
			continue
		}
		if err != nil || !floats.EqualApprox(got, c.want, 1e-15) {
			t.Errorf("%s: %v (error %v), want %v", c.name, got, err, c.want)
		}
	}
}

// TestNaturalGradientSolve checks p against a dense solve of
// (JᵀJ + λI) p = g, with all parameters and with one frozen.
func TestNaturalGradientSolve(t *testing.T) {
	for _, c := range []struct {
		name   string
		m, n   int
		frozen bool
		tol    float64
	}{
		{"more residuals", 40, 12, false, 1e-7},
		{"more parameters", 8, 20, false, 1e-7},
		{"frozen first parameter", 40, 12, true, 1e-7},
	} {
		f := randomLSQ(c.m, c.n, 5)
		rng := rand.New(rand.NewPCG(9, 9))
		for _, p := range f.params {
			for j := range p.Value {
				p.Value[j] = rng.NormFloat64()
			}
		}
		params := f.params
		if c.frozen {
			params = params[1:]
		}
		if _, err := f.Loss(nil); err != nil {
			t.Fatal(err)
		}
		g := gatherGrads(nil, params)
		pre := &NaturalGradient{Objective: f, Damping: 1e-2, CGTol: 1e-12, CGMaxIter: 500}
		if err := pre.Precondition(params, nil); err != nil {
			t.Fatal(err)
		}
		got := gatherGrads(nil, params)
		J, _ := f.Jacobian(nil, nil)
		if c.frozen {
			J = mat.DenseCopyOf(J.Slice(0, c.m, c.n/2, c.n))
		}
		n := len(g)
		var a mat.SymDense
		a.SymOuterK(1, J.T())
		var colMean float64
		for i := 0; i < n; i++ {
			colMean += a.At(i, i) / float64(n)
		}
		lam := 1e-2 * colMean
		if !scalar.EqualWithinRel(pre.Lambda(), lam, 1e-12) {
			t.Errorf("%s: λ = %g, want %g", c.name, pre.Lambda(), lam)
		}
		for i := 0; i < n; i++ {
			a.SetSym(i, i, a.At(i, i)+lam)
		}
		var want mat.VecDense
		if err := want.SolveVec(&a, mat.NewVecDense(n, g)); err != nil {
			t.Fatal(err)
		}
		if !floats.EqualApprox(got, want.RawVector().Data, c.tol*floats.Norm(got, math.Inf(1))) {
			t.Errorf("%s: p = %v, want %v", c.name, got, want.RawVector().Data)
		}
		inv, err := pre.ApplyInverse(nil, g, params, nil)
		if err != nil || !floats.EqualApprox(inv, got, 1e-12*floats.Norm(got, math.Inf(1))) {
			t.Errorf("%s: ApplyInverse differs from Precondition (error %v)", c.name, err)
		}
	}
}

// TestNaturalGradientDampingAdapts checks that on a linear least-squares
// problem, where the Gauss–Newton model is exact (trust ratio 1), plain
// gradient descent at rate 1 on the preconditioned gradient cuts μ by 3
// per step, and that a step the model overpredicts raises it.
func TestNaturalGradientDampingAdapts(t *testing.T) {
	f := randomLSQ(30, 10, 2)
	pre := &NaturalGradient{Objective: f, Damping: 1}
	res, err := Run(context.Background(), f, &Config{Optimizer: &SGD{LearningRate: 1}, Preconditioner: pre, Steps: 6})
	if err != nil {
		t.Fatal(err)
	}
	if !scalar.EqualWithinRel(pre.mu, math.Pow(3, -5), 1e-9) {
		t.Errorf("μ after 6 exact-model steps = %g, want 3⁻⁵ = %g", pre.mu, math.Pow(3, -5))
	}
	if !(res.Loss < res.Losses[0]) {
		t.Errorf("loss %g → %g: no decrease", res.Losses[0], res.Loss)
	}
	// A step three times as long as the model's minimiser raises the
	// loss: μ rises by ν = 2.
	g := randomLSQ(30, 10, 2)
	pre = &NaturalGradient{Objective: g, Damping: 1e-12, MinDamping: 1e-14}
	if _, err := Run(context.Background(), g, &Config{Optimizer: &SGD{LearningRate: 3}, Preconditioner: pre, Steps: 2}); err != nil {
		t.Fatal(err)
	}
	if !scalar.EqualWithinRel(pre.mu, 2e-12, 1e-9) {
		t.Errorf("μ after a step that raised the loss = %g, want 2e-12", pre.mu)
	}
}

// TestPreconditionersInRun trains an ill-conditioned quadratic
// (condition number 1e6) by gradient descent with each preconditioner and
// checks the loss after a fixed number of steps against plain gradient
// descent at its stable rate and against the start.
func TestPreconditionersInRun(t *testing.T) {
	const steps = 30
	plain := quadratic(1e6, 4)
	res, err := Run(context.Background(), plain, &Config{Optimizer: &SGD{LearningRate: 1.0 / 1e6}, Steps: steps})
	if err != nil {
		t.Fatal(err)
	}
	base := res.Loss
	for _, c := range []struct {
		name  string
		pre   func(f *lsqFunc) Preconditioner
		rate  float64
		below float64 // loss after the steps, relative to the start
	}{
		{"natural gradient", func(f *lsqFunc) Preconditioner { return &NaturalGradient{Objective: f, Damping: 1e-8} }, 1, 1e-10},
		{"natural gradient, stale Jacobian", func(f *lsqFunc) Preconditioner {
			return &NaturalGradient{Objective: f, Damping: 1e-8, Refresh: 10}
		}, 1, 1e-10},
		{"natural gradient, fixed damping", func(f *lsqFunc) Preconditioner {
			return &NaturalGradient{Objective: f, Damping: 1e-9, FixedDamping: true}
		}, 1, 1e-10},
	} {
		f := quadratic(1e6, 4)
		res, err := Run(context.Background(), f, &Config{Optimizer: &SGD{LearningRate: c.rate}, Preconditioner: c.pre(f), Steps: steps})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if !(res.Loss < c.below*res.Losses[0]) || !(res.Loss < 1e-6*base) {
			t.Errorf("%s: loss %g → %g after %d steps, plain descent %g", c.name, res.Losses[0], res.Loss, steps, base)
		}
	}
}

// TestDiagonalPreconditionersNewton checks that on a problem with a
// diagonal Hessian (condition number 1e6) Jacobi and Hutchinson make
// gradient descent at rate 1 an exact Newton method: one step solves it
// up to the damping.
func TestDiagonalPreconditionersNewton(t *testing.T) {
	for _, c := range []struct {
		name string
		pre  func(f *lsqFunc) Preconditioner
	}{
		{"Jacobi", func(f *lsqFunc) Preconditioner { return &Jacobi{Objective: f, Damping: 1e-12} }},
		{"Hutchinson", func(f *lsqFunc) Preconditioner { return &Hutchinson{Objective: f, Probes: 1, Damping: 1e-12} }},
	} {
		f := diagonalLSQ()
		res, err := Run(context.Background(), f, &Config{Optimizer: &SGD{LearningRate: 1}, Preconditioner: c.pre(f), Steps: 2})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if !(res.Losses[1] < 1e-12*res.Losses[0]) {
			t.Errorf("%s: loss %g after one step from %g", c.name, res.Losses[1], res.Losses[0])
		}
	}
}

// diagonalLSQ is ½‖D(θ − θ*)‖² with D diagonal, entries log-spaced over
// six orders of magnitude: Jacobi and Hutchinson are then exact Newton.
func diagonalLSQ() *lsqFunc {
	const n = 12
	d := make([]float64, n)
	for i := range d {
		d[i] = math.Pow(10, 3*float64(i)/(n-1))
	}
	p := nn.NewParam("theta", n)
	return &lsqFunc{
		params: []*nn.Param{p}, m: n,
		res: func(dst, x []float64) {
			for i := range dst {
				dst[i] = d[i] * (x[i] - 1)
			}
		},
		jac: func(dst *mat.Dense, _ []float64) {
			for i := range d {
				dst.Set(i, i, d[i])
			}
		},
	}
}

// TestDiagonalEstimates checks Jacobi's diag(JᵀJ) and Hutchinson's
// Hessian diagonal, by gradient differences and by HessVec, on a problem
// whose Hessian is diagonal (estimate exact) and on a dense quadratic
// (estimate within sampling error).
func TestDiagonalEstimates(t *testing.T) {
	f := diagonalLSQ()
	want := make([]float64, 12)
	for i := range want {
		want[i] = math.Pow(10, 6*float64(i)/11)
	}
	if _, err := f.Loss(nil); err != nil {
		t.Fatal(err)
	}
	jac := &Jacobi{Objective: f, Damping: 1e-12}
	if err := jac.Precondition(f.params, nil); err != nil {
		t.Fatal(err)
	}
	if !floats.EqualApprox(jac.jac.colSq, want, 1e-9*want[11]) {
		t.Errorf("Jacobi diagonal %v, want %v", jac.jac.colSq, want)
	}
	for _, c := range []struct {
		name string
		obj  Objective
	}{{"differences", f}, {"HessVec", quadHV{f}}} {
		h := &Hutchinson{Objective: c.obj, Probes: 2, Seed: 1}
		if _, err := f.Loss(nil); err != nil {
			t.Fatal(err)
		}
		g := gatherGrads(nil, f.params)
		x := gatherValues(nil, f.params)
		if err := h.Precondition(f.params, nil); err != nil {
			t.Fatal(err)
		}
		for i, v := range h.est {
			if !scalar.EqualWithinRel(v, want[i], 1e-6) {
				t.Errorf("Hutchinson by %s: diagonal %d = %g, want %g", c.name, i, v, want[i])
			}
		}
		if !floats.Equal(gatherValues(nil, f.params), x) {
			t.Errorf("Hutchinson by %s moved the parameters", c.name)
		}
		got := gatherGrads(nil, f.params)
		for i := range got {
			if !scalar.EqualWithinRel(got[i], g[i]/h.diag[i], 1e-14) {
				t.Errorf("Hutchinson by %s: gradient %d is %g, want %g", c.name, i, got[i], g[i]/h.diag[i])
			}
		}
	}
	// Dense Hessian: 400 probes give the diagonal within a few percent of
	// its largest entry (the estimator's variance is Σⱼ≠ᵢ Hᵢⱼ²/N).
	q := quadratic(1e2, 6)
	if _, err := q.Loss(nil); err != nil {
		t.Fatal(err)
	}
	J, _ := q.Jacobian(nil, nil)
	var hess mat.SymDense
	hess.SymOuterK(1, J.T())
	h := &Hutchinson{Objective: quadHV{q}, Probes: 400, Seed: 3}
	if err := h.Precondition(q.params, nil); err != nil {
		t.Fatal(err)
	}
	for i, v := range h.est {
		if math.Abs(v-hess.At(i, i)) > 0.15*mat.Max(&hess) {
			t.Errorf("dense: diagonal %d = %g, want %g ± 15%% of %g", i, v, hess.At(i, i), mat.Max(&hess))
		}
	}
}

// TestPreconditionersCompose runs every optimizer that accepts a
// preconditioner with each preconditioner of this package on a small MLP
// regression and checks that the run completes with a finite loss (that
// the preconditioned directions descend is checked on problems with known
// answers above); the optimizers that need the exact gradient must refuse.
func TestPreconditionersCompose(t *testing.T) {
	opts := []struct {
		name string
		opt  func() Optimizer
	}{
		{"SGD", func() Optimizer { return &SGD{LearningRate: 0.01} }},
		{"SGD-Nesterov", func() Optimizer { return &SGD{LearningRate: 0.01, Momentum: 0.5, Nesterov: true} }},
		{"Adam", func() Optimizer { return &Adam{LearningRate: 1e-3} }},
		{"AdamW", func() Optimizer { return &AdamW{LearningRate: 1e-3} }},
		{"AMSGrad", func() Optimizer { return &AMSGrad{LearningRate: 1e-3} }},
		{"AdaMax", func() Optimizer { return &AdaMax{LearningRate: 1e-3} }},
	}
	pres := []struct {
		name string
		pre  func(obj *nn.ResidualObjective) Preconditioner
	}{
		{"natural gradient", func(obj *nn.ResidualObjective) Preconditioner { return &NaturalGradient{Objective: obj} }},
		{"Jacobi", func(obj *nn.ResidualObjective) Preconditioner { return &Jacobi{Objective: obj, Damping: 1e-3} }},
		{"Hutchinson", func(obj *nn.ResidualObjective) Preconditioner {
			return &Hutchinson{Objective: obj, Probes: 2, Refresh: 5, Damping: 1e-2}
		}},
	}
	for _, o := range opts {
		for _, p := range pres {
			obj := regressionMLP(t, 1)
			res, err := Run(context.Background(), obj, &Config{Optimizer: o.opt(), Preconditioner: p.pre(obj), Steps: 10})
			if err != nil {
				t.Errorf("%s with %s: %v", o.name, p.name, err)
				continue
			}
			if math.IsNaN(res.Loss) || math.IsInf(res.Loss, 0) || res.Steps != 10 {
				t.Errorf("%s with %s: %d steps, loss %g → %g", o.name, p.name, res.Steps, res.Losses[0], res.Loss)
			}
		}
	}
	obj := regressionMLP(t, 1)
	if _, err := Run(context.Background(), obj, &Config{Optimizer: &LevenbergMarquardt{}, Preconditioner: &NaturalGradient{Objective: obj}, Steps: 1}); err == nil {
		t.Error("LevenbergMarquardt accepted a preconditioner")
	}
}

func TestPreconditionerErrors(t *testing.T) {
	f := randomLSQ(10, 4, 1)
	other := randomLSQ(10, 4, 1)
	for _, c := range []struct {
		name string
		pre  Preconditioner
		msg  string
	}{
		{"natural gradient without objective", &NaturalGradient{}, "needs its Objective"},
		{"Jacobi without objective", &Jacobi{}, "needs its Objective"},
		{"Hutchinson without objective", &Hutchinson{}, "needs its Objective"},
		{"natural gradient of another objective", &NaturalGradient{Objective: other}, "not one of"},
		{"negative damping", &Jacobi{Objective: f, Damping: -1}, "positive"},
		{"negative probes", &Hutchinson{Objective: f, Probes: -1}, "non-negative"},
	} {
		if err := c.pre.Precondition(f.params, nil); err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: error %v, want one saying %q", c.name, err, c.msg)
		}
	}
}

func TestNewPreconditioner(t *testing.T) {
	f := randomLSQ(10, 4, 1)
	for _, c := range []struct {
		name string
		obj  Objective
		want string // %T of the result, "" for nil, "error" for an error
	}{
		{"none", f, ""},
		{"", f, ""},
		{"gn", f, "*train.NaturalGradient"},
		{"jacobi", f, "*train.Jacobi"},
		{"hutchinson", lossOnly{}, "*train.Hutchinson"},
		{"gn", lossOnly{}, "error"},
		{"jacobi", lossOnly{}, "error"},
		{"newton", f, "error"},
	} {
		pre, err := NewPreconditioner(c.name, c.obj, 1)
		got := ""
		switch {
		case err != nil:
			got = "error"
		case pre != nil:
			got = fmt.Sprintf("%T", pre)
		}
		if got != c.want {
			t.Errorf("%q on %T: got %s (%v), want %s", c.name, c.obj, got, err, c.want)
		}
	}
}
