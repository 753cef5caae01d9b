package train

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/neuralpde/neuralpde/nn"
	"gonum.org/v1/gonum/mat"
)

// BenchmarkOptimizerStep times one step of the first-order and
// matrix-preconditioned methods on a layer of n×n weights and n biases
// with a fixed random gradient, and reports allocations (zero for the
// element-wise methods).
func BenchmarkOptimizerStep(b *testing.B) {
	for _, n := range []int{32, 128} {
		for _, tc := range []struct {
			name string
			opt  func() Optimizer
		}{
			{"SGD", func() Optimizer { return &SGD{Momentum: 0.9, Nesterov: true} }},
			{"Adam", func() Optimizer { return &Adam{} }},
			{"AMSGrad", func() Optimizer { return &AMSGrad{} }},
			{"Muon", func() Optimizer { return &Muon{} }},
			{"Muon-PolarExpress", func() Optimizer { return &Muon{PolarExpress: true} }},
			{"Shampoo-every-step", func() Optimizer { return &Shampoo{} }},
			{"Shampoo-every-10", func() Optimizer { return &Shampoo{UpdateEvery: 10} }},
		} {
			b.Run(fmt.Sprintf("%s/n=%d", tc.name, n), func(b *testing.B) {
				rng := rand.New(rand.NewPCG(1, 1))
				w := nn.NewParam("w", n, n)
				bias := nn.NewParam("b", n)
				params := []*nn.Param{w, bias}
				for _, p := range params {
					for j := range p.Grad {
						p.Value[j] = rng.NormFloat64()
						p.Grad[j] = rng.NormFloat64()
					}
				}
				o := tc.opt()
				if err := o.Init(params, nil); err != nil {
					b.Fatal(err)
				}
				s := &Step{Params: params, Rates: []float64{1e-6, 1e-6}}
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					if _, err := o.Step(s); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkDampedSolve times one Levenberg–Marquardt linear algebra step
// (normal matrix and one damped solve) on a random m×n Jacobian, by the
// n×n Cholesky system and by the m×m push-through system.
func BenchmarkDampedSolve(b *testing.B) {
	for _, sz := range [][2]int{{256, 1153}, {1024, 1185}, {2048, 1185}} {
		m, n := sz[0], sz[1]
		rng := rand.New(rand.NewPCG(1, 2))
		J := make([]float64, m*n)
		r := make([]float64, m)
		for i := range J {
			J[i] = rng.NormFloat64()
		}
		for i := range r {
			r[i] = rng.NormFloat64()
		}
		d := make([]float64, n)
		for i := range d {
			d[i] = 1
		}
		for _, primal := range []bool{true, false} {
			name := "dual"
			if primal {
				name = "primal"
			}
			if !primal && m >= n {
				continue
			}
			b.Run(fmt.Sprintf("%s/m=%d/n=%d", name, m, n), func(b *testing.B) {
				f := &lsqFunc{params: []*nn.Param{nn.NewParam("w", n)}, m: m,
					res: func(dst, _ []float64) { copy(dst, r) },
					jac: func(dst *mat.Dense, _ []float64) { copy(dst.RawMatrix().Data, J) }}
				w := &lsqWork{primal: primal}
				w.init(f, f.params)
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					if _, err := w.linearize(nil); err != nil {
						b.Fatal(err)
					}
					if !w.solve(1e-3, d) {
						b.Fatal("solve failed")
					}
				}
			})
		}
	}
}
