package deeponet

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/neuralpde/neuralpde/internal/cputime"
	"github.com/neuralpde/neuralpde/pde"
	"github.com/neuralpde/neuralpde/train"
)

// antiderivativeObjective returns the data objective of the issue's
// antiderivative DeepONet (branch [100, 40, 40], trunk [1, 40, 40],
// p = 40) on 150 functions × 100 points, aligned or as 10⁴ unaligned
// triples.
func antiderivativeObjective(b *testing.B, layout string) *Data {
	b.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	nf, m := 150, 100
	u, y, s := make([]float64, nf*m), make([]float64, m), make([]float64, nf*m)
	for i := range u {
		u[i] = rng.NormFloat64()
	}
	for j := range y {
		y[j] = float64(j) / float64(m-1)
	}
	for i := range s {
		s[i] = math.Sin(float64(i))
	}
	md, err := NewModel(DefaultConfig(), m, 1, rng)
	if err != nil {
		b.Fatal(err)
	}
	var triples [][2]int
	if layout == "unaligned" {
		triples = drawTriples(nf, m, 10000, rng)
	}
	obj, err := NewData(md, "mse", u, y, s, triples)
	if err != nil {
		b.Fatal(err)
	}
	return obj
}

// physicsObjective returns the physics-informed diffusion–reaction
// DeepONet objective (branch [100, 50, 50, 50], trunk [2, 50, 50, 50],
// hard constraint) on 20 functions × 50 collocation points.
func physicsObjective(b *testing.B) *Physics {
	b.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	cfg := DefaultConfig()
	cfg.Branch, cfg.Trunk, cfg.Basis = []int{50, 50}, []int{50, 50}, 50
	nf, q, m := 20, 50, 100
	md, err := NewModel(cfg, m, 2, rng)
	if err != nil {
		b.Fatal(err)
	}
	md.Constraint = Constraint{Kind: "dirichlet-initial", X: 1, T: 0, Lo: []float64{0, 0}, Hi: []float64{1, 1}}
	u, xs, pts := make([]float64, nf*m), make([]float64, m), make([]float64, nf*q*2)
	for i := range u {
		u[i] = rng.NormFloat64()
	}
	for j := range xs {
		xs[j] = float64(j) / float64(m-1)
	}
	for i := range pts {
		pts[i] = rng.Float64()
	}
	obj, err := NewPhysics(md, pde.DiffusionReaction{D: 0.01, K: 0.01}, u, xs, pts, q, []string{"t", "x"})
	if err != nil {
		b.Fatal(err)
	}
	return obj
}

// benchLoss times loss, one full-batch evaluation, reporting its CPU time
// (user + system) beside the wall time: the machine is shared.
func benchLoss(b *testing.B, loss func([]int) (float64, error)) {
	b.ReportAllocs()
	b.ResetTimer()
	cpu := cputime.Process()
	for range b.N {
		if _, err := loss(nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cputime.Process()-cpu)/1e6/float64(b.N), "cpu-ms/op")
}

// BenchmarkAntiderivativeStep times one loss-and-gradient evaluation of
// the antiderivative DeepONet, full batch, with Adam initialised beside
// it; the PyTorch step of the same net is
// scripts/reference/deeponet_antiderivative.py.
func BenchmarkAntiderivativeStep(b *testing.B) {
	for _, layout := range []string{"aligned", "unaligned"} {
		b.Run(layout, func(b *testing.B) {
			obj := antiderivativeObjective(b, layout)
			opt := &train.Adam{}
			if err := opt.Init(obj.Params(), obj); err != nil {
				b.Fatal(err)
			}
			benchLoss(b, obj.Loss)
		})
	}
}

// BenchmarkPhysicsStep times one loss-and-gradient evaluation of the
// physics-informed diffusion–reaction DeepONet.
func BenchmarkPhysicsStep(b *testing.B) {
	benchLoss(b, physicsObjective(b).Loss)
}

// BenchmarkEval times Loss against the forward-only LossOnly, back to
// back on the same objective, for the antiderivative DeepONet in both
// layouts and the physics-informed one.
func BenchmarkEval(b *testing.B) {
	objs := []struct {
		name string
		obj  func(*testing.B) train.LossEvaluator
	}{
		{"antiderivative-aligned", func(b *testing.B) train.LossEvaluator { return antiderivativeObjective(b, "aligned") }},
		{"antiderivative-unaligned", func(b *testing.B) train.LossEvaluator { return antiderivativeObjective(b, "unaligned") }},
		{"physics", func(b *testing.B) train.LossEvaluator { return physicsObjective(b) }},
	}
	for _, o := range objs {
		obj := o.obj(b)
		b.Run(o.name+"/Loss", func(b *testing.B) { benchLoss(b, obj.Loss) })
		b.Run(o.name+"/LossOnly", func(b *testing.B) { benchLoss(b, obj.LossOnly) })
	}
}
