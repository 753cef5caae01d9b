package train

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/neuralpde/neuralpde/nn"
	"gonum.org/v1/gonum/floats/scalar"
	"gonum.org/v1/gonum/mat"
)

// poisoned wraps an objective and returns NaN from the given evaluation
// on.
type poisoned struct {
	Objective
	calls, from int
}

func (p *poisoned) Loss(batch []int) (float64, error) {
	p.calls++
	f, err := p.Objective.Loss(batch)
	if p.calls >= p.from {
		return math.NaN(), err
	}
	return f, err
}

func TestNonFiniteGuardKeepsLastCheckpoint(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ckpt.npz")
	obj := &poisoned{Objective: quadratic(10, 1), from: 8}
	res, err := Run(context.Background(), obj, &Config{
		Optimizer: &Adam{}, Steps: 20, Checkpoint: Checkpointing{Path: path, Every: 5},
	})
	if err == nil || res.Status != NonFinite {
		t.Fatalf("status %v, error %v; want NonFinite with an error", res.Status, err)
	}
	if !strings.Contains(err.Error(), "NaN") || !strings.Contains(err.Error(), "step 5") || !strings.Contains(err.Error(), path) {
		t.Errorf("error %q should name NaN, the last good step 5 and its file", err)
	}
	c, err := ReadCheckpoint(path)
	if err != nil {
		t.Fatal(err)
	}
	if c.Step != 5 {
		t.Errorf("checkpoint holds step %d, want the last good one, 5", c.Step)
	}
}

// cancelAfter cancels its context when a given step is recorded.
type cancelAfter struct {
	step   int
	cancel context.CancelFunc
}

func (c *cancelAfter) Record(m Metrics) error {
	if m.Step == c.step {
		c.cancel()
	}
	return nil
}
func (c *cancelAfter) Finish(*Result) error { return nil }

func TestCancelWritesCheckpoint(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ckpt.npz")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	res, err := Run(ctx, quadratic(10, 1), &Config{
		Optimizer: &Adam{}, Steps: 100, Recorders: []Recorder{&cancelAfter{7, cancel}},
		Checkpoint: Checkpointing{Path: path},
	})
	if err != nil || res.Status != Canceled || res.Steps != 7 {
		t.Fatalf("status %v after %d steps, error %v; want Canceled after 7", res.Status, res.Steps, err)
	}
	c, err := ReadCheckpoint(path)
	if err != nil {
		t.Fatal(err)
	}
	if c.Step != 7 || res.Checkpoint != path {
		t.Errorf("checkpoint at step %d (%q), want 7 (%q)", c.Step, res.Checkpoint, path)
	}
}

func TestEarlyStopping(t *testing.T) {
	// The held-out objective's optimum differs from the training one, so
	// its loss rises once training passes it.
	train := quadratic(10, 1)
	eval := quadratic(10, 2)
	eval.params = train.params
	res, err := Run(context.Background(), train, &Config{Optimizer: &Adam{LearningRate: 0.05}, Steps: 5000, Eval: eval, EvalEvery: 10, Patience: 3})
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != EarlyStopped || res.Steps >= 5000 {
		t.Fatalf("status %v after %d steps, want EarlyStopped", res.Status, res.Steps)
	}
	if !(res.BestEval < res.EvalLoss) {
		t.Errorf("best eval %v should be below the last %v", res.BestEval, res.EvalLoss)
	}
}

func TestNeedsAndAbilities(t *testing.T) {
	notLSQ := struct{ Objective }{quadratic(10, 1)}
	for _, tc := range []struct {
		name string
		obj  Objective
		cfg  Config
		want string
	}{
		{"lbfgs-minibatch", quadratic(10, 1), Config{Optimizer: &LBFGS{}, BatchSize: 4}, "full-batch"},
		{"lm-clip", quadratic(10, 1), Config{Optimizer: &LevenbergMarquardt{}, ClipNorm: 1}, "exact gradient"},
		{"lm-not-lsq", notLSQ, Config{Optimizer: &LevenbergMarquardt{}}, "needs a LeastSquares objective"},
		{"gn-not-lsq", notLSQ, Config{Optimizer: &GaussNewton{}}, "needs a LeastSquares objective"},
		{"newton-too-big", quadratic(10, 1), Config{Optimizer: &Newton{MaxParams: 10}}, "MaxParams"},
		{"group-unmatched", quadratic(10, 1), Config{Groups: []Group{{Names: []string{"nope*"}}}}, "matches no parameter"},
		{"all-frozen", quadratic(10, 1), Config{Groups: []Group{{Names: []string{"*"}, Frozen: true}}}, "frozen"},
		{"bad-pattern", quadratic(10, 1), Config{Groups: []Group{{Names: []string{"["}}}}, "bad name pattern"},
	} {
		_, err := Run(context.Background(), tc.obj, &tc.cfg)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

// twoParams is a least-squares problem with two parameters, for groups:
// r = (a − 1, b − 2, a·b − 2) over a = θ₀ (shape [2]) and b = θ₁ (shape [1]).
func twoParams() *lsqFunc {
	a := nn.NewParam("layer.W", 2)
	b := nn.NewParam("layer.b", 1)
	copy(a.Value, []float64{0.3, -0.2})
	b.Value[0] = 0.7
	return &lsqFunc{
		params: []*nn.Param{a, b}, m: 4,
		res: func(dst, x []float64) {
			dst[0] = x[0] - 1
			dst[1] = x[1] + 1
			dst[2] = x[2] - 2
			dst[3] = x[0] * x[2]
		},
		jac: func(dst *mat.Dense, x []float64) {
			dst.Zero()
			dst.Set(0, 0, 1)
			dst.Set(1, 1, 1)
			dst.Set(2, 2, 1)
			dst.Set(3, 0, x[2])
			dst.Set(3, 2, x[0])
		},
	}
}

// TestProblemWrapper checks the loss, gradient, residuals and Jacobian of
// the objective the optimizer sees (frozen parameters removed, weight
// decay folded in) against central differences.
func TestProblemWrapper(t *testing.T) {
	for _, tc := range []struct {
		name   string
		groups []Group
		wd     float64
	}{
		{"decay", nil, 0.3},
		{"frozen-bias", []Group{{Names: []string{"*.b"}, Frozen: true}}, 0.1},
		{"group-decay", []Group{{Names: []string{"*.W"}, WeightDecay: 2}, {Names: []string{"*.b"}, NoWeightDecay: true}}, 0.1},
	} {
		f := twoParams()
		wrapped, prob, err := newProblem(f, tc.groups, tc.wd)
		if err != nil {
			t.Fatal(err)
		}
		ls := wrapped.(LeastSquares)
		ps := prob.params
		loss, _ := wrapped.Loss(nil)
		r, _ := ls.Residuals(nil, nil)
		if !scalar.EqualWithinAbsOrRel(loss, 0.5*dot(r, r), 1e-14, 1e-14) {
			t.Errorf("%s: loss %v, ½‖r‖² %v", tc.name, loss, 0.5*dot(r, r))
		}
		g := gatherGrads(nil, ps)
		J, _ := ls.Jacobian(nil, nil)
		x := gatherValues(nil, ps)
		const h = 1e-6
		for i := range x {
			xi := x[i]
			x[i] = xi + h
			scatterValues(ps, x)
			fp, _ := wrapped.Loss(nil)
			rp, _ := ls.Residuals(nil, nil)
			x[i] = xi - h
			scatterValues(ps, x)
			fm, _ := wrapped.Loss(nil)
			rm, _ := ls.Residuals(nil, nil)
			x[i] = xi
			scatterValues(ps, x)
			if d := (fp - fm) / (2 * h); !scalar.EqualWithinAbsOrRel(d, g[i], 1e-8, 1e-8) {
				t.Errorf("%s: gradient %d = %v, differences %v", tc.name, i, g[i], d)
			}
			for k := range rp {
				if d := (rp[k] - rm[k]) / (2 * h); !scalar.EqualWithinAbsOrRel(d, J.At(k, i), 1e-8, 1e-8) {
					t.Errorf("%s: J[%d][%d] = %v, differences %v", tc.name, k, i, J.At(k, i), d)
				}
			}
		}
	}
}

func TestGroupsAndClipping(t *testing.T) {
	// SGD with learning rate 1 and no momentum moves each parameter by
	// −rate·g, so one step shows the group multipliers and the clipping.
	f := twoParams()
	before := gatherValues(nil, f.params)
	f.Loss(nil)
	g := gatherGrads(nil, f.params)
	gn := norm(g)
	_, err := Run(context.Background(), f, &Config{
		Optimizer: &SGD{LearningRate: 1}, Steps: 1, ClipNorm: gn / 4,
		Groups: []Group{{Names: []string{"layer.b"}, LR: 0.5}},
	})
	if err != nil {
		t.Fatal(err)
	}
	after := gatherValues(nil, f.params)
	for i := range after {
		rate := 1.0
		if i == 2 {
			rate = 0.5
		}
		want := before[i] - rate*g[i]/4
		if !scalar.EqualWithinAbsOrRel(after[i], want, 1e-14, 1e-14) {
			t.Errorf("θ%d = %v, want %v", i, after[i], want)
		}
	}
	// A frozen group does not move.
	f = twoParams()
	b0 := f.params[1].Value[0]
	if _, err := Run(context.Background(), f, &Config{Optimizer: &LBFGS{}, Steps: 5, Groups: []Group{{Names: []string{"*.b"}, Frozen: true}}}); err != nil {
		t.Fatal(err)
	}
	if f.params[1].Value[0] != b0 {
		t.Errorf("frozen parameter moved from %v to %v", b0, f.params[1].Value[0])
	}
}

// doubler is a preconditioner that doubles the gradient.
type doubler struct{ calls int }

func (d *doubler) Precondition(ps []*nn.Param, _ []int) error {
	d.calls++
	for _, p := range ps {
		for j := range p.Grad {
			p.Grad[j] *= 2
		}
	}
	return nil
}

func TestPreconditionerHook(t *testing.T) {
	f := twoParams()
	before := gatherValues(nil, f.params)
	f.Loss(nil)
	g := gatherGrads(nil, f.params)
	d := &doubler{}
	if _, err := Run(context.Background(), f, &Config{Optimizer: &SGD{LearningRate: 0.1}, Steps: 1, Preconditioner: d}); err != nil {
		t.Fatal(err)
	}
	after := gatherValues(nil, f.params)
	for i := range after {
		if want := before[i] - 0.2*g[i]; !scalar.EqualWithinAbsOrRel(after[i], want, 1e-14, 1e-14) {
			t.Errorf("θ%d = %v, want %v", i, after[i], want)
		}
	}
	if d.calls != 1 {
		t.Errorf("preconditioner called %d times, want 1", d.calls)
	}
}

func TestSchedules(t *testing.T) {
	pl := &Plateau{Patience: 1, Decay: 0.5}
	for _, l := range []float64{3, 2, 2, 2, 2, 2} {
		pl.Observe(l)
	}
	for _, tc := range []struct {
		name string
		s    Schedule
		step int
		want float64
	}{
		{"constant", Constant{}, 50, 1},
		{"step", StepDecay{Every: 10, Gamma: 0.5}, 25, 0.25},
		{"exponential", Exponential{Gamma: 0.9}, 2, 0.81},
		{"cosine-start", Cosine{Steps: 100, Min: 0.1}, 0, 1},
		{"cosine-mid", Cosine{Steps: 100, Min: 0.1}, 50, 0.55},
		{"cosine-end", Cosine{Steps: 100, Min: 0.1}, 150, 0.1},
		{"warmup-first", Warmup{Steps: 4}, 0, 0.25},
		{"warmup-then-step", Warmup{Steps: 4, Then: StepDecay{Every: 10, Gamma: 0.5}}, 14, 0.5},
		{"plateau", pl, 0, 0.25},
	} {
		if got := tc.s.Rate(tc.step); !scalar.EqualWithinAbsOrRel(got, tc.want, 1e-14, 1e-14) {
			t.Errorf("%s: rate at %d = %v, want %v", tc.name, tc.step, got, tc.want)
		}
	}
}

func TestJSONLinesAndProgress(t *testing.T) {
	var metrics, lines bytes.Buffer
	res, err := Run(context.Background(), quadratic(10, 1), &Config{
		Optimizer: &Adam{}, Steps: 10, Eval: quadratic(10, 1), EvalEvery: 5,
		Recorders: []Recorder{&JSONLines{W: &metrics, Every: 2}, &ProgressLine{W: &lines, Every: 5}},
	})
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(&metrics)
	var n, evals int
	var last map[string]any
	for sc.Scan() {
		last = nil
		if err := json.Unmarshal(sc.Bytes(), &last); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		if _, ok := last["eval_loss"]; ok {
			evals++
		}
		n++
	}
	if n != 7 || evals != 2 || last["status"] != "StepLimit" {
		t.Errorf("%d lines, %d with eval_loss, last %v; want steps 2, 4, 5, 6, 8, 10 and the status, 2 evaluations", n, evals, last)
	}
	if got := strings.Count(lines.String(), "\n"); got != 3 || !strings.Contains(lines.String(), res.Status.String()) {
		t.Errorf("progress lines:\n%s", lines.String())
	}
}

// failing is an objective whose Loss fails.
type failing struct{ Objective }

var errBroken = errors.New("broken")

func (failing) Loss([]int) (float64, error) { return 0, errBroken }

func TestObjectiveErrorPropagates(t *testing.T) {
	res, err := Run(context.Background(), failing{quadratic(10, 1)}, &Config{Steps: 3})
	if !errors.Is(err, errBroken) || res.Status != Failure {
		t.Errorf("status %v, error %v; want Failure wrapping the objective's error", res.Status, err)
	}
}

func TestProgressBar(t *testing.T) {
	var buf bytes.Buffer
	res, err := Run(context.Background(), quadratic(10, 1), &Config{Optimizer: &Adam{}, Steps: 5, Recorders: []Recorder{&ProgressBar{W: &buf}}})
	if err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.Contains(out, "5/5") || !strings.Contains(out, "StepLimit after 5 steps") || !strings.Contains(out, "loss") {
		t.Errorf("progress bar output %q; want the count 5/5, the loss and the status (%v)", out, res.Status)
	}
}

// lossOnlyCounter is a held-out objective that counts how the loop
// evaluates it.
type lossOnlyCounter struct {
	*lsqFunc
	loss, lossOnly int
}

func (c *lossOnlyCounter) Loss(batch []int) (float64, error) {
	c.loss++
	return c.lsqFunc.Loss(batch)
}

func (c *lossOnlyCounter) LossOnly(batch []int) (float64, error) {
	c.lossOnly++
	return c.lsqFunc.Loss(batch)
}

// A held-out objective that is a LossEvaluator is evaluated through
// LossOnly, never through the gradient-writing Loss.
func TestRunEvalLossOnly(t *testing.T) {
	eval := &lossOnlyCounter{lsqFunc: quadratic(10, 1)}
	res, err := Run(context.Background(), quadratic(10, 2), &Config{Optimizer: &Adam{}, Steps: 10, Eval: eval, EvalEvery: 5})
	if err != nil {
		t.Fatal(err)
	}
	if eval.loss != 0 || eval.lossOnly != 2 || math.IsNaN(res.EvalLoss) {
		t.Errorf("Loss called %d times, LossOnly %d (want 0 and 2), eval loss %g", eval.loss, eval.lossOnly, res.EvalLoss)
	}
}

// The final training loss of a LossEvaluator objective goes through
// LossOnly (with the weight decay added), never through the
// gradient-writing Loss: one Loss per Adam step and nothing more.
func TestRunFinalLossOnly(t *testing.T) {
	const steps, wd = 10, 0.3
	obj := &lossOnlyCounter{lsqFunc: quadratic(10, 3)}
	res, err := Run(context.Background(), obj, &Config{Optimizer: &Adam{}, Steps: steps, WeightDecay: wd})
	if err != nil {
		t.Fatal(err)
	}
	if obj.loss != steps || obj.lossOnly != 1 {
		t.Errorf("Loss called %d times, LossOnly %d; want %d and 1", obj.loss, obj.lossOnly, steps)
	}
	want, err := obj.lsqFunc.Loss(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range obj.Params() {
		for _, v := range p.Value {
			want += 0.5 * wd * v * v
		}
	}
	if !scalar.EqualWithinAbsOrRel(res.Loss, want, 1e-14, 1e-12) {
		t.Errorf("final loss %.15g, want %.15g (loss plus weight decay at the final parameters)", res.Loss, want)
	}
}
