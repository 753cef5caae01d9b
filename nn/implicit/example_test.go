package implicit_test

import (
	"fmt"
	"math"

	"github.com/neuralpde/neuralpde/nn/implicit"
)

// The scalar equilibrium z = cos(z) + x·θ (the Dottie number for x = 0),
// solved by Newton–Krylov, and dz*/dθ by the implicit function theorem:
// dz*/dθ = x / (1 + sin z*).
func ExampleLayer() {
	theta, grad := 0.5, 0.0
	x := []float64{0, 1}
	f := implicit.Function{
		Dim: 1,
		F:   func(dst, z []float64, s int) { dst[0] = math.Cos(z[0]) + x[s]*theta },
		JVP: func(dst, z, v []float64, s int) { dst[0] = -math.Sin(z[0]) * v[0] },
		VJP: func(dst, z, u []float64, s int) { dst[0] = -math.Sin(z[0]) * u[0] },
		ParamVJP: func(z, u []float64, s int) {
			grad += x[s] * u[0]
		},
	}
	l, err := implicit.New([]implicit.Function{f}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	z, err := l.Forward(nil, nil, 2)
	if err != nil {
		fmt.Println(err)
		return
	}
	// L = z*₁, so ∂L/∂z* = (0, 1).
	if err := l.Backward([]float64{0, 1}); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("z* = %.8f, %.8f\n", z[0], z[1])
	fmt.Printf("dz*₁/dθ = %.8f (formula %.8f)\n", grad, 1/(1+math.Sin(z[1])))
	r := l.Report()
	fmt.Printf("%v: converged %v, %d iterations\n", r.Solver, r.Forward[1].Converged, r.Forward[1].Iterations)
	// Output:
	// z* = 0.73908513, 1.02181690
	// dz*₁/dθ = 0.53964866 (formula 0.53964866)
	// newton-krylov: converged true, 4 iterations
}
