package deeponet

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/neuralpde/neuralpde/pde"
)

// physicsCase is one physics objective of the tests.
type physicsCase struct {
	eq         pde.Equation
	coords     []string
	constraint string
	width      float64
}

// physicsCases covers both operator equations, with and without the hard
// constraint.
var physicsCases = []physicsCase{
	{pde.DiffusionReaction{D: 0.3, K: 0.7}, []string{"t", "x"}, "", 0},
	{pde.DiffusionReaction{D: 0.3, K: 0.7}, []string{"t", "x"}, "dirichlet-initial", 0},
	{pde.DiffusionReaction{D: 0.3, K: 0.7}, []string{"t", "x"}, "dirichlet-initial", 0.2},
	{pde.Antiderivative{}, []string{"x"}, "", 0},
	{pde.Antiderivative{}, []string{"x"}, "start", 0},
}

// newPhysicsCase returns a small random model and its physics objective
// on 3 functions × 4 collocation points.
func newPhysicsCase(t *testing.T, tc physicsCase) (*Model, *Physics) {
	t.Helper()
	cfg := DefaultConfig()
	cfg.Branch, cfg.Trunk, cfg.Basis = []int{6}, []int{5, 4}, 3
	d := len(tc.coords)
	rng := rand.New(rand.NewPCG(5, 6))
	md, err := NewModel(cfg, 5, d, rng)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range md.Params() {
		for i := range p.Value {
			p.Value[i] += 0.2 * rng.NormFloat64()
		}
	}
	md.Norm = Normalization{InMean: make([]float64, 5), InStd: []float64{1, 2, 1, 0.5, 1}, OutMean: []float64{0.1}, OutStd: []float64{1.7}}
	if tc.constraint != "" {
		md.Constraint = Constraint{Kind: tc.constraint, X: d - 1, T: 0, Lo: make([]float64, d), Hi: []float64{1, 1}[:d], Width: tc.width}
	}
	nf, q := 3, 4
	u := make([]float64, nf*5)
	for i := range u {
		u[i] = rng.NormFloat64()
	}
	pts := make([]float64, nf*q*d)
	for i := range pts {
		pts[i] = rng.Float64()
	}
	obj, err := NewPhysics(md, tc.eq, u, []float64{0, 0.25, 0.5, 0.75, 1}, pts, q, tc.coords)
	if err != nil {
		t.Fatal(err)
	}
	return md, obj
}

// The physics objective's gradient agrees with central differences, for
// both operator equations, with and without the hard constraint.
func TestPhysicsGradient(t *testing.T) {
	for _, tc := range physicsCases {
		name := fmt.Sprintf("%s/%q/%g", tc.eq.Name(), tc.constraint, tc.width)
		md, obj := newPhysicsCase(t, tc)
		batch := []int{2, 0}
		if _, err := obj.Loss(batch); err != nil {
			t.Fatal(err)
		}
		grads := make(map[string][]float64)
		for _, p := range md.Params() {
			grads[p.Name] = append([]float64(nil), p.Grad...)
		}
		worst := 0.0
		for _, p := range md.Params() {
			for i := range p.Value {
				v, h := p.Value[i], 1e-6
				p.Value[i] = v + h
				lp, _ := obj.Loss(batch)
				p.Value[i] = v - h
				lm, _ := obj.Loss(batch)
				p.Value[i] = v
				fd := (lp - lm) / (2 * h)
				worst = math.Max(worst, math.Abs(fd-grads[p.Name][i])/math.Max(1, math.Abs(fd)))
			}
		}
		if worst > 1e-7 {
			t.Errorf("%s: gradient differs from finite differences by %.3g", name, worst)
		}
	}
}

// LossOnly is Loss without the gradient for every physics case.
func TestPhysicsLossOnly(t *testing.T) {
	for _, tc := range physicsCases {
		_, obj := newPhysicsCase(t, tc)
		checkLossOnly(t, fmt.Sprintf("%s/%q/%g", tc.eq.Name(), tc.constraint, tc.width), obj, [][]int{nil, {2, 0}, {1}})
	}
}

// The residual the objective minimises is the equation's, evaluated on
// the model's derivatives: compare the loss with finite differences of
// Predict in y.
func TestPhysicsResidual(t *testing.T) {
	for _, width := range []float64{0, 0.2} {
		physicsResidual(t, width)
	}
}

func physicsResidual(t *testing.T, width float64) {
	eq := pde.DiffusionReaction{D: 0.3, K: 0.7}
	cfg := DefaultConfig()
	cfg.Branch, cfg.Trunk, cfg.Basis = []int{6}, []int{5}, 3
	rng := rand.New(rand.NewPCG(7, 8))
	md, _ := NewModel(cfg, 5, 2, rng)
	md.Constraint = Constraint{Kind: "dirichlet-initial", X: 1, T: 0, Lo: []float64{0, 0}, Hi: []float64{1, 1}, Width: width}
	u := []float64{0.3, -1, 0.5, 2, 0.1}
	xs := []float64{0, 0.25, 0.5, 0.75, 1}
	y := []float64{0.4, 0.6} // t, x
	obj, err := NewPhysics(md, eq, u, xs, y, 1, []string{"t", "x"})
	if err != nil {
		t.Fatal(err)
	}
	loss, _ := obj.Loss(nil)
	G := func(t, x float64) float64 {
		v, _ := md.Predict(nil, u, []float64{t, x})
		return v[0]
	}
	h := 1e-4
	g := G(0.4, 0.6)
	gt := (G(0.4+h, 0.6) - G(0.4-h, 0.6)) / (2 * h)
	gxx := (G(0.4, 0.6+h) - 2*g + G(0.4, 0.6-h)) / (h * h)
	f := 0.6*0.5 + 0.4*2 // linear interpolation at x = 0.6
	r := gt - eq.D*gxx - eq.K*g*g - f
	if math.Abs(loss-r*r) > 1e-6*math.Max(1, r*r) {
		t.Errorf("width %g: loss %.10g, squared finite-difference residual %.10g", width, loss, r*r)
	}
}
