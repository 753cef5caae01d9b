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
