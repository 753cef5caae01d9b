package fno_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/neuralpde/neuralpde/fno"
	"github.com/neuralpde/neuralpde/nn"
)

// The FNO-1D of Li et al.'s Burgers experiment: width 64, 16 modes, 4
// Fourier blocks. Its weights do not depend on the grid, so it runs on 256
// points as on 1024.
func ExampleNewModel() {
	m, err := fno.NewModel(fno.DefaultConfig(), 1, 1, 1, rand.New(rand.NewPCG(1, 0)))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("parameters:", nn.NumParams(m.Params()))
	fmt.Println("256 points:", m.CheckGrid([]int{256}) == nil)
	fmt.Println("1024 points:", m.CheckGrid([]int{1024}) == nil)
	fmt.Println("16 points:", m.CheckGrid([]int{16}) == nil)
	// Output:
	// parameters: 549569
	// 256 points: true
	// 1024 points: true
	// 16 points: false
}
