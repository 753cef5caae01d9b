package nsm_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/neuralpde/neuralpde/nn"
	"github.com/neuralpde/neuralpde/nsm"
)

// A neural spectral model for periodic Poisson maps the 15×15 real Fourier
// coefficients of f to those of u; its activations run on a 23×23 grid
// (3/2 the coefficients per axis).
func ExampleNewModel() {
	p, err := nsm.NewProblem(nsm.PoissonName)
	if err != nil {
		fmt.Println(err)
		return
	}
	in, out := p.Channels()
	m, err := nsm.NewModel(nsm.DefaultConfig(p), p.Basis(), in, out, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		fmt.Println(err)
		return
	}
	mx, my := p.Basis().Dims()
	nx, ny := m.Grid()
	fmt.Printf("coefficients %d×%d, grid %d×%d, %d parameters\n", mx, my, nx, ny, nn.NumParams(m.Params()))
	// Output:
	// coefficients 15×15, grid 23×23, 928065 parameters
}
