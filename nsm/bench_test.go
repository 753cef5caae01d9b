package nsm

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkStep times one loss-and-gradient evaluation of the default
// model on a batch of 16 for each problem.
func BenchmarkStep(b *testing.B) {
	for _, name := range []string{PoissonName, ReactionDiffusionPrefix + "0.01"} {
		b.Run(name, func(b *testing.B) {
			p, err := NewProblem(name)
			if err != nil {
				b.Fatal(err)
			}
			cfg := DefaultConfig(p)
			in, out := p.Channels()
			m, err := NewModel(cfg, p.Basis(), in, out, rand.New(rand.NewPCG(1, 2)))
			if err != nil {
				b.Fatal(err)
			}
			obj, err := NewObjective(m, p, 16, 3)
			if err != nil {
				b.Fatal(err)
			}
			obj.Loss(nil)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := obj.Loss(nil); err != nil {
					b.Fatal(err)
				}
			}
		})
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
			obj.Loss(nil)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := obj.Loss(nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
