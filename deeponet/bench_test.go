package deeponet

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/neuralpde/neuralpde/pde"
	"github.com/neuralpde/neuralpde/train"
)

// BenchmarkAntiderivativeStep times one Adam step of the issue's
// antiderivative DeepONet (branch [100, 40, 40], trunk [1, 40, 40], p = 40)
// on the aligned layout, 150 functions × 100 points, full batch; the
// PyTorch step of the same net is scripts/reference/deeponet_antiderivative.py.
func BenchmarkAntiderivativeStep(b *testing.B) {
	for _, layout := range []string{"aligned", "unaligned"} {
		b.Run(layout, func(b *testing.B) {
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
			opt := &train.Adam{}
			if err := opt.Init(md.Params(), obj); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if _, err := obj.Loss(nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkPhysicsStep times one loss-and-gradient evaluation of the
// physics-informed diffusion–reaction DeepONet (branch [100, 50, 50, 50],
// trunk [2, 50, 50, 50], hard constraint) on 20 functions × 50 collocation
// points.
func BenchmarkPhysicsStep(b *testing.B) {
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
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, err := obj.Loss(nil); err != nil {
			b.Fatal(err)
		}
	}
}
