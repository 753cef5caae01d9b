package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	G "gorgonia.org/gorgonia"

	"github.com/neuralpde/neuralpde/internal/cputime"
)

// laplacianObjective is the benchmark problem that
// scripts/reference/nn_laplacian_step.py repeats in PyTorch: an MLP
// 2→width×depth→1 (tanh, float64) and the loss ½·mean(−Δu − f)² over n
// random points of the unit square.
func laplacianObjective(b testing.TB, n, width, depth int) *ResidualObjective {
	cfg := DefaultMLPConfig()
	cfg.Hidden = make([]int, depth)
	for i := range cfg.Hidden {
		cfg.Hidden[i] = width
	}
	m, err := NewMLP(cfg, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	blk := Block{Name: "interior", XCols: 2, YCols: 1}
	for i := 0; i < n; i++ {
		x, y := rng.Float64(), rng.Float64()
		blk.X = append(blk.X, x, y)
		blk.Y = append(blk.Y, 2*math.Pi*math.Pi*math.Sin(math.Pi*x)*math.Sin(math.Pi*y))
	}
	o, err := NewResidualObjective(m.Params(), []Block{blk}, func(g *Graph, x, y []*G.Node) ([]Residual, error) {
		j, err := m.Jet(g, x[0], JetSpec{Second: []int{0, 1}})
		if err != nil {
			return nil, err
		}
		lap, err := j.Laplacian(0, 1)
		if err != nil {
			return nil, err
		}
		var a Algebra
		r := a.Sub(a.Scale(-1, lap), y[0])
		if err := a.Err(); err != nil {
			return nil, err
		}
		return []Residual{{R: r.(*G.Node), Traces: []*Trace{j.Trace}}}, nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return o
}

// BenchmarkLaplacianStep is one training step of a PINN: forward pass with
// the Laplacian jet, one reverse pass to the weights, gradients copied into
// Param.Grad. Compare with scripts/reference/nn_laplacian_step.py:
//
//	go test ./nn -run '^$' -bench LaplacianStep -benchtime 20x
func BenchmarkLaplacianStep(b *testing.B) {
	for _, c := range []struct {
		name                string
		batch, width, depth int
	}{
		{"batch1024_64x3", 1024, 64, 3},
		{"batch4096_64x3", 4096, 64, 3},
	} {
		b.Run(c.name, func(b *testing.B) {
			o := laplacianObjective(b, c.batch, c.width, c.depth)
			if _, err := o.Loss(nil); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			cpu := cputime.Process()
			for b.Loop() {
				if _, err := o.Loss(nil); err != nil {
					b.Fatal(err)
				}
			}
			// CPU time per step is less disturbed than wall time by other
			// processes on a shared machine.
			b.ReportMetric(float64(cputime.Process()-cpu)/1e6/float64(b.N), "cpu-ms/op")
		})
	}
}

// BenchmarkJacobian is the per-sample residual Jacobian of the Laplacian
// residual (rows: batch points; columns: the 2→32×2→1 network's 1,185
// weights), the Gauss–Newton building block.
func BenchmarkJacobian(b *testing.B) {
	for _, n := range []int{256, 1024} {
		b.Run(fmt.Sprintf("batch%d_32x2", n), func(b *testing.B) {
			o := laplacianObjective(b, n, 32, 2)
			J, err := o.Jacobian(nil, nil)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if _, err := o.Jacobian(J, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
