package classical_test

import (
	"fmt"
	"math"

	"github.com/neuralpde/neuralpde/classical"
	"github.com/neuralpde/neuralpde/pde"
)

func ExampleSolvePoisson2D() {
	for _, name := range []string{"poisson-dirichlet", "poisson-periodic"} {
		p, _ := pde.Lookup2D(name)
		sol, err := classical.SolvePoisson2D(p, 65, nil)
		if err != nil {
			fmt.Println(err)
			return
		}
		var e float64
		for i, x := range sol.X {
			for j, y := range sol.Y {
				e = math.Max(e, math.Abs(sol.U[i*len(sol.Y)+j]-p.Exact(0, x, y)))
			}
		}
		fmt.Printf("%s (%s): max error below 5e-3: %v, below 1e-13: %v\n", name, p.BC, e < 5e-3, e < 1e-13)
	}
	// Output:
	// poisson-dirichlet (dirichlet): max error below 5e-3: true, below 1e-13: false
	// poisson-periodic (periodic): max error below 5e-3: true, below 1e-13: true
}

func ExampleNavierStokes2D() {
	// The decaying Taylor–Green vortex from t = 0 to t = 1.
	p, _ := pde.Lookup2D("taylor-green")
	const n = 32
	s, err := classical.NewNavierStokes2D(p, n, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	xs, ys := p.Grids(n)
	in, want := make([]float64, n*n), make([]float64, n*n)
	for i := range n {
		for j := range n {
			in[i*n+j] = p.Initial(xs.At(i), ys.At(j))
			want[i*n+j] = p.Exact(1, xs.At(i), ys.At(j))
		}
	}
	out := make([]float64, n*n)
	if err := s.Solve(out, in); err != nil {
		fmt.Println(err)
		return
	}
	var e float64
	for i := range out {
		e = math.Max(e, math.Abs(out[i]-want[i]))
	}
	fmt.Printf("%s, output shape %v: error at t = 1 below 1e-9: %v\n", s.Method(), s.OutputShape(), e < 1e-9)
	// Output:
	// cn-heun, output shape [1 32 32]: error at t = 1 below 1e-9: true
}

func ExampleNewOperatorSolver2D() {
	// One sample of the FNO Darcy benchmark: a 12/3 coefficient in, the
	// pressure u out, on the same 33×33 vertex grid.
	p, _ := pde.Lookup2D("darcy")
	const n = 33
	s, err := classical.NewOperatorSolver2D(p, n, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	xs, ys := p.Grids(n)
	g := make([]float64, n*n)
	for i := range n {
		for j := range n {
			g[i*n+j] = math.Sin(3*math.Pi*xs.At(i)) * math.Cos(2*math.Pi*ys.At(j))
		}
	}
	a := p.Coefficient.Apply(nil, g)
	u := make([]float64, n*n)
	if err := s.Solve(u, a); err != nil {
		fmt.Println(err)
		return
	}
	var umax float64
	for _, v := range u {
		umax = math.Max(umax, v)
	}
	fmt.Printf("input %v, output %v, max u %.4f\n", s.InputShape(), s.OutputShape(), umax)
	// Output:
	// input [33 33], output [33 33], max u 0.0138
}
