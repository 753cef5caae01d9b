package pinn

import (
	"fmt"
	"testing"
)

// BenchmarkBurgersStep is one loss-and-gradient evaluation of the classic
// burgers-shock PINN (MLP 2→20×8→1 tanh, 10,000 collocation points, 100
// soft initial/boundary points): the work of an Adam step or of one
// L-BFGS line-search evaluation. scripts/reference/pinn_burgers_step.py
// times the same step in PyTorch and alternates with this benchmark.
func BenchmarkBurgersStep(b *testing.B) {
	for _, n := range []int{2500, 10000} {
		b.Run(fmt.Sprintf("collocation%d_20x8", n), func(b *testing.B) {
			cfg, err := DefaultConfig("burgers-shock")
			if err != nil {
				b.Fatal(err)
			}
			cfg.Constraint = "none"
			cfg.Points.Collocation = n
			p, err := cfg.problem()
			if err != nil {
				b.Fatal(err)
			}
			m, err := cfg.model(p)
			if err != nil {
				b.Fatal(err)
			}
			pn, err := cfg.newPINN(p, m, nil)
			if err != nil {
				b.Fatal(err)
			}
			obj := pn.Objective()
			if _, err := obj.Loss(nil); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			cpu := cpuTime()
			for b.Loop() {
				if _, err := obj.Loss(nil); err != nil {
					b.Fatal(err)
				}
			}
			// CPU time per step is less disturbed than wall time by other
			// processes on a shared machine.
			b.ReportMetric(float64(cpuTime()-cpu)/1e6/float64(b.N), "cpu-ms/op")
		})
	}
}
