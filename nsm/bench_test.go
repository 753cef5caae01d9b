package nsm

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/neuralpde/neuralpde/internal/cputime"
	"github.com/neuralpde/neuralpde/train"
)

// BenchmarkStep times one loss-and-gradient evaluation of the default
// model on a batch of 16 for each problem and spectral weights.
func BenchmarkStep(b *testing.B) {
	for _, name := range []string{PoissonName, ReactionDiffusionPrefix + "0.01", NavierStokesPrefix + "0.001"} {
		for _, weights := range []string{WeightsReal, WeightsComplex} {
			b.Run(name+"/"+weights, func(b *testing.B) {
				p, err := NewProblem(name)
				if err != nil {
					b.Fatal(err)
				}
				cfg := DefaultConfig(p)
				cfg.Weights = weights
				in, out := p.Channels()
				m, err := NewModel(cfg, p.Basis(), in, out, rand.New(rand.NewPCG(1, 2)))
				if err != nil {
					b.Fatal(err)
				}
				obj, err := NewObjective(m, p, 16, 3)
				if err != nil {
					b.Fatal(err)
				}
				benchLoss(b, obj)
			})
		}
	}
}

// BenchmarkFNOStep times one loss-and-gradient evaluation of the grid FNO
// baseline on reaction–diffusion at 64×64 with the default budget's width
// and batch 16, for each loss.
func BenchmarkFNOStep(b *testing.B) {
	p, err := NewReactionDiffusion(0.01, rdRho, rdFrequencies, rdChebyshev)
	if err != nil {
		b.Fatal(err)
	}
	for _, loss := range []string{FNOResidual, FNOData} {
		b.Run(loss, func(b *testing.B) {
			f, err := NewGridFNO(DefaultConfig(p), 3, 1, rdFrequencies, rdChebyshev, rand.New(rand.NewPCG(1, 2)))
			if err != nil {
				b.Fatal(err)
			}
			obj, err := NewFNOObjective(f, p, loss, 64, 16, 3, false)
			if err != nil {
				b.Fatal(err)
			}
			benchLoss(b, obj)
		})
	}
}

// BenchmarkInference times the default reaction–diffusion model's
// inference on a batch of 16 held-out inputs: the forward pass and the
// series u = u₀ + t·v on the n×n output grid, per sample (the weights do
// not change the cost, so they are the initial ones).
func BenchmarkInference(b *testing.B) {
	p, err := NewReactionDiffusion(0.01, rdRho, rdFrequencies, rdChebyshev)
	if err != nil {
		b.Fatal(err)
	}
	cfg := DefaultConfig(p)
	in, out := p.Channels()
	m, err := NewModel(cfg, p.Basis(), in, out, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		b.Fatal(err)
	}
	const samples = 16
	M := p.mx * p.mt
	a := make([]float64, samples*M*in)
	for i := range samples {
		p.Input(a[i*M*in:(i+1)*M*in], 5, i)
	}
	v := make([]float64, samples*M*out)
	u := make([]float64, M)
	for _, n := range []int{64, 128, 256} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			grid := make([]float64, n*n)
			infer := func() {
				m.Predict(v, a, samples)
				for i := range samples {
					p.Solution(u, v[i*M*out:(i+1)*M*out], a[i*M*in:(i+1)*M*in])
					p.Values(grid, u, n)
				}
			}
			infer() // workspaces
			b.ReportAllocs()
			c0 := cputime.Process()
			for b.Loop() {
				infer()
			}
			// The machine is shared: CPU time (the process's, which only
			// this benchmark keeps busy) beside wall time.
			perSample := float64(b.N * samples)
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/perSample/1e6, "ms/sample")
			b.ReportMetric(float64((cputime.Process()-c0).Nanoseconds())/perSample/1e6, "cpu-ms/sample")
		})
	}
}

// benchLoss times obj's loss and gradient on all its samples after one
// warm-up call that sizes its workspaces.
func benchLoss(b *testing.B, obj train.Objective) {
	obj.Loss(nil)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := obj.Loss(nil); err != nil {
			b.Fatal(err)
		}
	}
}
