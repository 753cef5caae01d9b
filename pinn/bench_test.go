package pinn

import (
	"context"
	"fmt"
	"testing"

	"github.com/neuralpde/neuralpde/train"
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

// BenchmarkBurgersLMStep is one Levenberg–Marquardt step of the default
// burgers-shock recipe (MLP 2→20×4→1 tanh, 1,341 weights, hard initial
// and boundary constraints) on its coarse and fine collocation sets:
// residuals, the Jacobian, JᵀJ, Cholesky factorisations and trial
// evaluations. With -tags openblas the dense algebra goes to OpenBLAS.
func BenchmarkBurgersLMStep(b *testing.B) {
	for _, n := range []int{2500, 10000} {
		b.Run(fmt.Sprintf("collocation%d_20x4", n), func(b *testing.B) {
			cfg, err := DefaultConfig("burgers-shock")
			if err != nil {
				b.Fatal(err)
			}
			cfg.Points.Collocation = n
			p, m, err := cfg.build()
			if err != nil {
				b.Fatal(err)
			}
			pn, err := cfg.newPINN(p, m, nil)
			if err != nil {
				b.Fatal(err)
			}
			lm := &train.LevenbergMarquardt{}
			run := func(steps int) {
				if _, err := train.Run(context.Background(), pn.Objective(), &train.Config{Optimizer: lm, Steps: steps}); err != nil {
					b.Fatal(err)
				}
			}
			run(1)
			b.ReportAllocs()
			b.ResetTimer()
			cpu := cpuTime()
			for b.Loop() {
				run(1)
			}
			b.ReportMetric(float64(cpuTime()-cpu)/1e6/float64(b.N), "cpu-ms/op")
		})
	}
}
