package pinn_test

import (
	"context"
	"fmt"

	"github.com/neuralpde/neuralpde/pinn"
)

// Train a small PINN for −Δu = 2π² sin(πx) sin(πy) on the unit square with
// zero boundary data (imposed exactly by the automatic output transform)
// by a few Adam steps and then Levenberg–Marquardt.
func Example() {
	cfg, err := pinn.DefaultConfig("poisson-sine")
	if err != nil {
		fmt.Println(err)
		return
	}
	cfg.Network.Hidden = []int{10, 10}
	cfg.Points.Collocation = 200
	cfg.Stages = []pinn.StageConfig{{Optimizer: "adam", Steps: 50}, {Optimizer: "lm", Steps: 40}}
	res, err := pinn.Train(context.Background(), cfg, "", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d steps, relative L2 error below 1e-3: %v\n", res.Steps, res.RelL2 < 1e-3)
	// Output: 90 steps, relative L2 error below 1e-3: true
}
