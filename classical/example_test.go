package classical_test

import (
	"fmt"
	"math"

	"github.com/neuralpde/neuralpde/classical"
	"github.com/neuralpde/neuralpde/pde"
)

func ExampleSolvePreset() {
	p, err := pde.Lookup("heat")
	if err != nil {
		fmt.Println(err)
		return
	}
	sol, err := classical.SolvePreset(p, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	var maxErr float64
	for i, t := range sol.T {
		for j, x := range sol.X {
			maxErr = math.Max(maxErr, math.Abs(sol.U[i*len(sol.X)+j]-p.Exact(t, x)))
		}
	}
	fmt.Printf("%s: %d×%d grid, %s with %d modes, max error below 1e-12: %v\n",
		p.Name, len(sol.T), len(sol.X), sol.Method, sol.Modes, maxErr < 1e-12)
	// Output:
	// heat: 100×128 grid, etdrk4 with 64 modes, max error below 1e-12: true
}

func ExampleNewOperatorSolver() {
	p, err := pde.Lookup("burgers-periodic")
	if err != nil {
		fmt.Println(err)
		return
	}
	s, err := classical.NewOperatorSolver(p, 256, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	in := make([]float64, 256)
	for i := range in {
		in[i] = math.Sin(2 * math.Pi * float64(i) / 256)
	}
	out := make([]float64, 256)
	if err := s.Solve(out, in); err != nil {
		fmt.Println(err)
		return
	}
	// The viscosity ν = 0.1 damps the single mode by about e^{−4π²ν} and
	// the nonlinearity moves a little energy into higher modes.
	fmt.Println(s.InputShape(), s.OutputShape(), s.Modes(), s.Dt())
	fmt.Printf("max |u(1,·)| = %.4f\n", maxAbs(out))
	// Output:
	// [256] [256] 1024 0.001
	// max |u(1,·)| = 0.0179
}

func maxAbs(u []float64) float64 {
	var m float64
	for _, v := range u {
		m = math.Max(m, math.Abs(v))
	}
	return m
}

func ExampleIntegrate() {
	// u′ = −u from u(0) = 1 with adaptive Dormand–Prince.
	sys := decay{}
	u := []float64{1}
	res, err := classical.Integrate(u, 0, 1, classical.NewDormandPrince(sys),
		&classical.Settings{Dt: 0.1, Controller: &classical.PIController{RTol: 1e-10, ATol: 1e-12}})
	fmt.Println(res.Status, err, math.Abs(u[0]-math.Exp(-1)) < 1e-9)
	// Output:
	// success <nil> true
}

type decay struct{}

func (decay) Dim() int                                   { return 1 }
func (decay) Func(dst []float64, _ float64, u []float64) { dst[0] = -u[0] }
