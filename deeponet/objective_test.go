package deeponet

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/neuralpde/neuralpde/train"
	"gonum.org/v1/gonum/floats/scalar"
)

// randomProblem returns a small model and data for gradient checks.
func randomProblem(t *testing.T, cfg *Config, nf, ny int) (*Model, []float64, []float64, []float64) {
	t.Helper()
	rng := rand.New(rand.NewPCG(3, 4))
	m, d := 5, 2
	md, err := NewModel(cfg, m, d, rng)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range md.Params() {
		for i := range p.Value {
			p.Value[i] += 0.1 * rng.NormFloat64() // non-zero biases
		}
	}
	if cfg.Normalize {
		md.Norm = Normalization{InMean: []float64{0.1, -0.2, 0, 0.3, 0.05}, InStd: []float64{1.5, 0.7, 1, 2, 0.9}}
		for c := range md.Outputs {
			md.Norm.OutMean = append(md.Norm.OutMean, 0.2*float64(c)-0.1)
			md.Norm.OutStd = append(md.Norm.OutStd, 1.3+float64(c))
		}
	}
	u := make([]float64, nf*m)
	y := make([]float64, ny*d)
	target := make([]float64, nf*ny*md.Outputs)
	for _, a := range [][]float64{u, y, target} {
		for i := range a {
			a[i] = rng.NormFloat64()
		}
	}
	return md, u, y, target
}

// Gradients of every layout, loss and architecture agree with central
// differences of the loss.
func TestDataGradient(t *testing.T) {
	type tc struct {
		stacked, normalize, linear bool
		outputs                    int
		loss                       string
		unaligned                  bool
	}
	var cases []tc
	for _, st := range []bool{false, true} {
		for _, loss := range []string{"mse", "rel-l2"} {
			for _, un := range []bool{false, true} {
				cases = append(cases, tc{stacked: st, normalize: !st, linear: un, outputs: 1 + btoi(st != un), loss: loss, unaligned: un})
			}
		}
	}
	for _, c := range cases {
		name := fmt.Sprintf("%+v", c)
		cfg := DefaultConfig()
		cfg.Branch, cfg.Trunk, cfg.Basis = []int{6, 4}, []int{5}, 3
		cfg.Stacked, cfg.Normalize, cfg.LinearTrunk, cfg.Outputs = c.stacked, c.normalize, c.linear, c.outputs
		md, u, y, target := randomProblem(t, cfg, 4, 6)
		if c.loss == "rel-l2" {
			// y is N(0, 1); any bounds make a smooth φ.
			md.Constraint = Constraint{Kind: "dirichlet-initial", X: 0, T: 1, Lo: []float64{-1, -2}, Hi: []float64{1.5, 1}}
		}
		var triples [][2]int
		if c.unaligned {
			triples = [][2]int{{0, 1}, {2, 3}, {0, 5}, {3, 0}, {1, 1}, {2, 2}, {3, 4}}
		}
		obj, err := NewData(md, c.loss, u, y, target, triples)
		if err != nil {
			t.Fatal(err)
		}
		batch := []int{0, 2, 3}
		if _, err := obj.Loss(batch); err != nil {
			t.Fatal(err)
		}
		worst := 0.0
		grads := make(map[string][]float64)
		for _, p := range md.Params() {
			grads[p.Name] = append([]float64(nil), p.Grad...)
		}
		for _, p := range md.Params() {
			grad := grads[p.Name]
			for i := range p.Value {
				v := p.Value[i]
				h := 1e-6
				p.Value[i] = v + h
				lp, _ := obj.Loss(batch)
				p.Value[i] = v - h
				lm, _ := obj.Loss(batch)
				p.Value[i] = v
				fd := (lp - lm) / (2 * h)
				if e := math.Abs(fd-grad[i]) / math.Max(1, math.Abs(fd)); e > 1e-7 && testing.Verbose() {
					t.Logf("%s %s[%d]: fd %.10g grad %.10g", name, p.Name, i, fd, grad[i])
				}
				worst = math.Max(worst, math.Abs(fd-grad[i])/math.Max(1, math.Abs(fd)))
			}
		}
		if worst > 1e-8 {
			t.Errorf("%s: gradient differs from finite differences by %.3g", name, worst)
		}
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// checkLossOnly checks that obj's LossOnly equals its Loss to 1e-12
// relative on each batch and leaves every Param.Grad as it was.
func checkLossOnly(t *testing.T, name string, obj train.LossEvaluator, batches [][]int) {
	t.Helper()
	const sentinel = 42.0
	for _, batch := range batches {
		want, err := obj.Loss(batch)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range obj.Params() {
			for i := range p.Grad {
				p.Grad[i] = sentinel
			}
		}
		got, err := obj.LossOnly(batch)
		if err != nil {
			t.Fatal(err)
		}
		if !scalar.EqualWithinRel(got, want, 1e-12) {
			t.Errorf("%s batch %v: LossOnly %.17g, Loss %.17g", name, batch, got, want)
		}
		for _, p := range obj.Params() {
			for i, g := range p.Grad {
				if g != sentinel {
					t.Fatalf("%s batch %v: LossOnly changed %s.Grad[%d] to %g", name, batch, p.Name, i, g)
				}
			}
		}
	}
}

// LossOnly is Loss without the gradient, for every layout and loss and
// for an implicit branch.
func TestDataLossOnly(t *testing.T) {
	for _, implicit := range []bool{false, true} {
		for _, loss := range []string{"mse", "rel-l2"} {
			for _, unaligned := range []bool{false, true} {
				name := fmt.Sprintf("implicit=%v/%s/unaligned=%v", implicit, loss, unaligned)
				cfg := DefaultConfig()
				cfg.Branch, cfg.Trunk, cfg.Basis, cfg.Normalize = []int{6, 4}, []int{5}, 3, true
				if implicit {
					cfg.Implicit = &ImplicitConfig{Width: 6, Tol: 1e-13, MaxIterations: 3000, Contraction: 0.6}
				}
				md, u, y, target := randomProblem(t, cfg, 4, 6)
				if loss == "rel-l2" {
					md.Constraint = Constraint{Kind: "dirichlet-initial", X: 0, T: 1, Lo: []float64{-1, -2}, Hi: []float64{1.5, 1}}
				}
				var triples [][2]int
				if unaligned {
					triples = [][2]int{{0, 1}, {2, 3}, {0, 5}, {3, 0}, {1, 1}, {2, 2}, {3, 4}}
				}
				obj, err := NewData(md, loss, u, y, target, triples)
				if err != nil {
					t.Fatal(err)
				}
				checkLossOnly(t, name, obj, [][]int{nil, {0, 2, 3}, {1}})
			}
		}
	}
}
