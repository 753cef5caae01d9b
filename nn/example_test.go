package nn_test

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/neuralpde/neuralpde/nn"
)

// Fit u(x) ≈ sin πx on [−1, 1] with a small tanh network and plain
// gradient descent on the regression objective.
func ExampleNewRegression() {
	cfg := nn.DefaultMLPConfig()
	cfg.Inputs, cfg.Hidden = 1, []int{16}
	m, err := nn.NewMLP(cfg, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		panic(err)
	}
	var x, y []float64
	for i := 0; i < 32; i++ {
		xi := -1 + 2*float64(i)/31
		x, y = append(x, xi), append(y, math.Sin(math.Pi*xi))
	}
	obj, err := nn.NewRegression(m, x, y)
	if err != nil {
		panic(err)
	}
	first, _ := obj.Loss(nil)
	var loss float64
	for step := 0; step < 2000; step++ {
		if loss, err = obj.Loss(nil); err != nil {
			panic(err)
		}
		for _, p := range obj.Params() {
			for i := range p.Value {
				p.Value[i] -= 0.2 * p.Grad[i]
			}
		}
	}
	fmt.Printf("loss fell more than 100-fold: %v\n", first/loss > 100)
	// Output:
	// loss fell more than 100-fold: true
}

// The Laplacian of a network at a point, from a forward Taylor-mode jet.
func ExampleMLP_Jet() {
	cfg := nn.DefaultMLPConfig() // 2 → 64×3 → 1, tanh
	m, _ := nn.NewMLP(cfg, rand.New(rand.NewPCG(1, 2)))
	g := nn.NewGraph()
	x := g.Input("x", 1, 2)
	copy(x.Data, []float64{0.3, 0.7})
	jet, err := m.Jet(g, x.Node, nn.JetSpec{Second: []int{0, 1}})
	if err != nil {
		panic(err)
	}
	lap, _ := jet.Laplacian(0, 1)
	val, _ := g.Read(lap)
	prog, err := g.Compile(nil, nil)
	if err != nil {
		panic(err)
	}
	if _, err := prog.Run(); err != nil {
		panic(err)
	}
	// Compare with a central difference of the plain-Go evaluation.
	h := 1e-4
	u := func(a, b float64) float64 { return m.Eval(nil, []float64{a, b})[0] }
	fd := (u(0.3+h, 0.7) + u(0.3-h, 0.7) + u(0.3, 0.7+h) + u(0.3, 0.7-h) - 4*u(0.3, 0.7)) / (h * h)
	fmt.Printf("jet and finite difference agree to 1e-5: %v\n", math.Abs(val[0]-fd) < 1e-5*math.Max(1, math.Abs(fd)))
	// Output:
	// jet and finite difference agree to 1e-5: true
}
