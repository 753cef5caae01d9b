package nonlinear_test

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/neuralpde/neuralpde/operators/nonlinear"
)

// Solve x² + y² = 4, eˣ + y = 1 by Newton's method.
func ExampleNewton() {
	p := nonlinear.Problem{
		Dim: 2,
		F: func(dst, x []float64) {
			dst[0] = x[0]*x[0] + x[1]*x[1] - 4
			dst[1] = math.Exp(x[0]) + x[1] - 1
		},
		Jacobian: func(dst *mat.Dense, x []float64) {
			dst.Set(0, 0, 2*x[0])
			dst.Set(0, 1, 2*x[1])
			dst.Set(1, 0, math.Exp(x[0]))
			dst.Set(1, 1, 1)
		},
	}
	x := []float64{-2, 1}
	res, err := nonlinear.Newton(x, p, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%v in %d steps: x = (%.6f, %.6f)\n", res.Status, res.Iterations, x[0], x[1])
	// Output:
	// converged in 4 steps: x = (-1.816264, 0.837368)
}

// Solve the same system without a Jacobian: Newton–Krylov differences F.
func ExampleNewtonKrylov() {
	p := nonlinear.Problem{
		Dim: 2,
		F: func(dst, x []float64) {
			dst[0] = x[0]*x[0] + x[1]*x[1] - 4
			dst[1] = math.Exp(x[0]) + x[1] - 1
		},
	}
	x := []float64{-2, 1}
	res, err := nonlinear.NewtonKrylov(x, p, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%v: x = (%.6f, %.6f)\n", res.Status, x[0], x[1])
	// Output:
	// converged: x = (-1.816264, 0.837368)
}
