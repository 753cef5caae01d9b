package pinn

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	"github.com/neuralpde/neuralpde/internal/cputime"
	"github.com/neuralpde/neuralpde/train"
)

// burgersObjective returns the objective of the classic burgers-shock
// PINN (MLP 2→20×8→1 tanh, soft initial and boundary conditions) on n
// collocation points and 100 initial/boundary points.
func burgersObjective(b *testing.B, n int) *Objective {
	b.Helper()
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
	return pn.Objective()
}

// benchLoss times loss on all points after a first, untimed call (which
// compiles the graph) and reports the CPU time per call: less disturbed
// than wall time by other processes on a shared machine.
func benchLoss(b *testing.B, loss func([]int) (float64, error)) {
	if _, err := loss(nil); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu := cputime.Process()
	for b.Loop() {
		if _, err := loss(nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cputime.Process()-cpu)/1e6/float64(b.N), "cpu-ms/op")
}

// BenchmarkBurgersStep is one loss-and-gradient evaluation of the classic
// burgers-shock PINN (MLP 2→20×8→1 tanh, 10,000 collocation points, 100
// soft initial/boundary points): the work of an Adam step or of one
// L-BFGS line-search evaluation. scripts/reference/pinn_burgers_step.py
// times the same step in PyTorch and alternates with this benchmark.
func BenchmarkBurgersStep(b *testing.B) {
	for _, n := range []int{2500, 10000} {
		b.Run(fmt.Sprintf("collocation%d_20x8", n), func(b *testing.B) {
			benchLoss(b, burgersObjective(b, n).Loss)
		})
	}
}

// BenchmarkBurgersEval times Loss against LossOnly, back to back on
// burgers-shock objectives of one configuration. LossOnly's first call on
// a fresh objective (whose loss graph is already compiled) compiles its
// forward-only graph: "first-cpu-ms" is that call's CPU time, paid once
// per objective and batch shape, and "graph-kB" the live heap it adds;
// the timed calls exclude both.
func BenchmarkBurgersEval(b *testing.B) {
	for _, n := range []int{2500, 10000} {
		name := fmt.Sprintf("collocation%d_20x8", n)
		b.Run(name+"/Loss", func(b *testing.B) { benchLoss(b, burgersObjective(b, n).Loss) })
		b.Run(name+"/LossOnly", func(b *testing.B) {
			obj := burgersObjective(b, n)
			if _, err := obj.Loss(nil); err != nil {
				b.Fatal(err)
			}
			heap := liveHeap()
			cpu := cputime.Process()
			if _, err := obj.LossOnly(nil); err != nil {
				b.Fatal(err)
			}
			first := cputime.Process() - cpu
			grown := liveHeap() - heap
			benchLoss(b, obj.LossOnly)
			b.ReportMetric(float64(first)/1e6, "first-cpu-ms")
			b.ReportMetric(float64(grown)/1e3, "graph-kB")
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
			cpu := cputime.Process()
			for b.Loop() {
				run(1)
			}
			b.ReportMetric(float64(cputime.Process()-cpu)/1e6/float64(b.N), "cpu-ms/op")
		})
	}
}

// liveHeap returns the bytes of live heap objects after a collection.
func liveHeap() int64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return int64(ms.HeapAlloc)
}
