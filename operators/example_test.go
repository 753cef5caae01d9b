package operators_test

import (
	"fmt"
	"math"

	"github.com/neuralpde/neuralpde/operators"
	"github.com/neuralpde/neuralpde/pde"
)

func ExampleFourier_Deriv() {
	// d/dx sin(3x) on 32 periodic points of [0, 2π).
	g := pde.NewPeriodicGrid(0, 2*math.Pi, 32)
	u := pde.NewField(g, func(x float64) float64 { return math.Sin(3 * x) }).U
	f := operators.NewFourier(g.N, g.Length())
	du := f.Deriv(nil, u, 1)
	var maxErr float64
	for j, x := range g.Points(nil) {
		maxErr = math.Max(maxErr, math.Abs(du[j]-3*math.Cos(3*x)))
	}
	fmt.Printf("max error below 1e-13: %v\n", maxErr < 1e-13)
	// Output:
	// max error below 1e-13: true
}

func ExampleFourier_Interpolate() {
	// Sample a spectral solution held on 64 periodic points at 5 uniform
	// points that include both ends of [0, 1].
	f := operators.NewFourier(64, 1)
	g := pde.NewPeriodicGrid(0, 1, 64)
	u := pde.NewField(g, func(x float64) float64 { return math.Cos(2 * math.Pi * x) }).U
	c := f.Forward(nil, u)
	xs := pde.NewUniformGrid(0, 1, 5).Points(nil)
	for _, v := range f.Interpolate(nil, c, 0, xs) {
		fmt.Printf("%.6f\n", math.Round(v*1e6)/1e6+0) // round off ±1e-17, and +0 turns −0 into 0
	}
	// Output:
	// 1.000000
	// 0.000000
	// -1.000000
	// 0.000000
	// 1.000000
}

func ExampleFourier2D_InverseLaplacian() {
	// −Δu = 2 sin x sin y on [0, 2π)² has the zero-mean solution u = sin x sin y.
	const n = 16
	f := operators.NewFourier2D(n, n, 2*math.Pi, 2*math.Pi)
	g := make([]float64, n*n)
	want := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			x, y := 2*math.Pi*float64(i)/n, 2*math.Pi*float64(j)/n
			want[i*n+j] = math.Sin(x) * math.Sin(y)
			g[i*n+j] = 2 * want[i*n+j]
		}
	}
	u := f.InverseLaplacian(nil, g)
	var maxErr float64
	for k := range u {
		maxErr = math.Max(maxErr, math.Abs(u[k]-want[k]))
	}
	fmt.Printf("max error below 1e-14: %v\n", maxErr < 1e-14)
	// Output:
	// max error below 1e-14: true
}

func ExampleFourier2D_ForwardColumns() {
	// A pseudo-spectral step that keeps the modes q ≤ ny/3 along y (the 2/3
	// rule) transforms only those columns along x, both ways. The product
	// below has y-modes q ≤ 3, all kept, so the round trip is exact.
	const nx, ny = 16, 32
	f := operators.NewFourier2D(nx, ny, 1, 1)
	qn := ny/3 + 1
	u := make([]float64, nx*ny)
	for i := 0; i < nx; i++ {
		for j := 0; j < ny; j++ {
			x, y := 2*math.Pi*float64(i)/nx, 2*math.Pi*float64(j)/ny
			a, b := math.Sin(x)*math.Cos(2*y), math.Cos(3*x)+math.Sin(y)
			u[i*ny+j] = a * b
		}
	}
	c := f.ForwardColumns(nil, u, qn)
	// Drop the columns q ≥ qn, which hold partial transforms.
	_, my := f.ModeDims()
	for p := 0; p < nx; p++ {
		clear(c[p*my+qn : (p+1)*my])
	}
	back := f.InverseColumns(nil, c, qn)
	var maxErr float64
	for k := range u {
		maxErr = math.Max(maxErr, math.Abs(back[k]-u[k]))
	}
	fmt.Printf("round trip error below 1e-14: %v\n", maxErr < 1e-14)
	// Output:
	// round trip error below 1e-14: true
}

func ExampleD2() {
	// Fourth-order second derivative of x³ on 6 points with both ends:
	// exact for cubics, one-sided formulas included.
	g := pde.NewUniformGrid(0, 1, 6)
	u := pde.NewField(g, func(x float64) float64 { return x * x * x }).U
	for _, v := range operators.D2(nil, u, g.Spacing(), 4, false) {
		fmt.Printf("%.4f ", v+0)
	}
	fmt.Println()
	// Output:
	// 0.0000 1.2000 2.4000 3.6000 4.8000 6.0000
}

func ExampleChebyshev_Deriv() {
	// The derivative of exp(x) on 20 Chebyshev points of [0, 1] is accurate
	// to round-off.
	c := operators.NewChebyshev(20, 0, 1)
	u := make([]float64, 20)
	for j, x := range c.Points() {
		u[j] = math.Exp(x)
	}
	du := c.Deriv(nil, u, 1)
	var maxErr float64
	for j, x := range c.Points() {
		maxErr = math.Max(maxErr, math.Abs(du[j]-math.Exp(x)))
	}
	fmt.Printf("max error below 1e-12: %v\n", maxErr < 1e-12)
	// Output:
	// max error below 1e-12: true
}

func ExampleFornbergWeights() {
	// The classical five-point fourth-order first-derivative stencil.
	w := operators.FornbergWeights(nil, 0, []float64{-2, -1, 0, 1, 2}, 1)
	for _, v := range w {
		fmt.Printf("%.6f ", v*12+0)
	}
	fmt.Println()
	// Output:
	// 1.000000 -8.000000 0.000000 8.000000 -1.000000
}
