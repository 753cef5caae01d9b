package pde_test

import (
	"fmt"
	"math"

	"github.com/neuralpde/neuralpde/pde"
)

func ExampleLookup() {
	p, err := pde.Lookup("burgers-shock")
	if err != nil {
		fmt.Println(err)
		return
	}
	ts := p.TimeGrid(0)
	fmt.Printf("%s: %v\n", p.Equation.Name(), pde.Params(p.Equation))
	fmt.Printf("x: %d points on [%g, %g], %s\n", p.NX, p.X.A, p.X.B, p.BC.Kind)
	fmt.Printf("t: %d times from %g to %g\n", len(ts), ts[0], ts[len(ts)-1])

	_, err = pde.Lookup("burger")
	fmt.Println(err)
	// Output:
	// burgers: map[nu:0.0031830988618379067]
	// x: 256 points on [-1, 1], dirichlet
	// t: 100 times from 0 to 0.99
	// pde: unknown preset "burger" (known presets: [advection allen-cahn burgers-periodic burgers-shock heat kdv kuramoto-sivashinsky])
}

// The residual of the heat equation u_t − κ u_xx at one point, for
// u = e^{−κπ²t} sin(πx), evaluated on float64 values.
func ExampleHeat_Residual() {
	eq := pde.Heat{Kappa: 0.1}
	t, x := 0.5, 0.25
	u := math.Exp(-eq.Kappa*math.Pi*math.Pi*t) * math.Sin(math.Pi*x)
	j := pde.Jet{
		U:   u,
		Ut:  -eq.Kappa * math.Pi * math.Pi * u,
		Uxx: -math.Pi * math.Pi * u,
	}
	r := eq.Residual(pde.Float{}, j).(float64)
	fmt.Printf("|residual| < 1e-15: %t\n", math.Abs(r) < 1e-15)

	// A wrong solution leaves a residual.
	j.Ut = 0.0
	fmt.Printf("residual %.4f\n", eq.Residual(pde.Float{}, j))
	// Output:
	// |residual| < 1e-15: true
	// residual 0.4261
}

// The burgers-shock solution at t = 1 on both sides of the shock at x = 0.
func ExampleBurgersColeHopf() {
	exact := pde.NewBurgersColeHopf(0.01/math.Pi, 0)
	for _, x := range []float64{-0.5, -0.01, 0.01, 0.5} {
		fmt.Printf("u(1, %5.2f) = %+.12f\n", x, exact.Eval(1, x))
	}
	// Output:
	// u(1, -0.50) = +0.376181395748
	// u(1, -0.01) = +0.594256167589
	// u(1,  0.01) = -0.594256167589
	// u(1,  0.50) = -0.376181395748
}
