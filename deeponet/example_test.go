package deeponet_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"

	"github.com/neuralpde/neuralpde/data"
	"github.com/neuralpde/neuralpde/deeponet"
)

// Train a tiny DeepONet on the antiderivative of u(x) = a + b·cos(πx) at 10
// sensors, then ask the trained model for G(u)(y) at a point off the grid.
func Example() {
	const m, n = 10, 64
	rng := rand.New(rand.NewPCG(1, 2))
	x := make([]float64, m)
	for j := range x {
		x[j] = float64(j) / (m - 1)
	}
	in, out := make([]float64, n*m), make([]float64, n*m)
	for i := range n {
		a, b := rng.NormFloat64(), rng.NormFloat64()
		for j, xj := range x {
			in[i*m+j] = a + b*math.Cos(math.Pi*xj)
			out[i*m+j] = a*xj + b*math.Sin(math.Pi*xj)/math.Pi
		}
	}
	ds := &data.Dataset{
		Inputs:  data.NewArray(in, n, m),
		Outputs: data.NewArray(out, n, m),
		Coords:  map[string]data.Array{"x": data.NewArray(x, m)},
		Meta:    data.Meta{Axes: []string{"x"}},
	}
	cfg := deeponet.DefaultConfig()
	cfg.Branch, cfg.Trunk, cfg.Basis = []int{20}, []int{20}, 10
	cfg.Steps, cfg.LearningRate, cfg.Seed = 4000, 3e-3, 1
	cfg.DecayRate, cfg.DecaySteps = 0.5, 1000
	dir, err := os.MkdirTemp("", "deeponet-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	res, err := deeponet.Train(context.Background(), cfg, ds, dir, nil)
	if err != nil {
		panic(err)
	}
	// u = 1 + cos(πx); G(u)(0.55) = 0.55 + sin(0.55π)/π.
	u := make([]float64, m)
	for j, xj := range x {
		u[j] = 1 + math.Cos(math.Pi*xj)
	}
	g, err := res.Model.Predict(nil, u, []float64{0.55})
	if err != nil {
		panic(err)
	}
	want := 0.55 + math.Sin(0.55*math.Pi)/math.Pi
	fmt.Printf("training MSE below 1e-4: %v\n", res.TrainMSE < 1e-4)
	fmt.Printf("G(u)(0.55) within 5%%: %v\n", math.Abs(g[0]-want) < 0.05*want)
	// Output:
	// training MSE below 1e-4: true
	// G(u)(0.55) within 5%: true
}
