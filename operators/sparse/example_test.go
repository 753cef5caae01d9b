package sparse_test

import (
	"fmt"
	"math"

	"github.com/neuralpde/neuralpde/operators/sparse"
)

// Solve −Δu = 2π² sin(πx) sin(πy) on the unit square, u = 0 on the
// boundary, with multigrid-preconditioned CG; the exact solution is
// sin(πx) sin(πy).
func ExampleMultigrid() {
	const n = 65 // vertices per side: 2^6 + 1
	m := n - 2
	h := 1 / float64(n-1)
	a := sparse.Laplacian5(m)
	b := make([]float64, m*m)
	exact := make([]float64, m*m)
	for j := 0; j < m; j++ {
		for i := 0; i < m; i++ {
			x, y := float64(i+1)*h, float64(j+1)*h
			exact[j*m+i] = math.Sin(math.Pi*x) * math.Sin(math.Pi*y)
			b[j*m+i] = 2 * math.Pi * math.Pi * exact[j*m+i]
		}
	}
	mg, err := sparse.NewMultigrid(a, m, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	u := make([]float64, m*m)
	res, err := (&sparse.CG{}).Solve(u, a, b, &sparse.Settings{Tolerance: 1e-10, Preconditioner: mg})
	if err != nil {
		fmt.Println(err)
		return
	}
	var maxErr float64
	for k := range u {
		maxErr = math.Max(maxErr, math.Abs(u[k]-exact[k]))
	}
	fmt.Printf("%v after %d iterations, %d levels, max error %.1e\n", res.Status, res.Iterations, mg.Levels(), maxErr)
	// Output:
	// converged after 6 iterations, 4 levels, max error 2.0e-04
}

// Assemble a small matrix from triplets (duplicates are summed) and solve
// a nonsymmetric system with GMRES.
func ExampleGMRES() {
	t := sparse.NewCOO(3, 3, 6)
	t.Append(0, 0, 4)
	t.Append(0, 1, 1)
	t.Append(1, 0, -2)
	t.Append(1, 1, 3)
	t.Append(2, 2, 1)
	t.Append(2, 2, 1) // a(2,2) = 2
	a := t.ToCSR()
	x := make([]float64, 3)
	res, err := (&sparse.GMRES{}).Solve(x, a, []float64{5, 1, 2}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%v: x = (%.6f, %.6f, %.6f)\n", res.Status, x[0], x[1], x[2])
	// Output:
	// converged: x = (1.000000, 1.000000, 1.000000)
}
