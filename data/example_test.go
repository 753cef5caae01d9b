package data_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/neuralpde/neuralpde/data"
	"github.com/neuralpde/neuralpde/pde"
)

func ExampleWriteNPZ() {
	dir, _ := os.MkdirTemp("", "npz")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "u.npz")

	u := data.NewArray([]float64{1, 2, 3, 4, 5, 6}, 2, 3)
	if err := data.WriteNPZ(path, map[string]data.Array{"u": u}, map[string]string{"preset": "heat"}); err != nil {
		log.Fatal(err)
	}
	arrays, meta, err := data.ReadNPZ(path)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(arrays["u"].Shape, arrays["u"].Data, string(meta))
	// Output: [2 3] [1 2 3 4 5 6] {"preset":"heat"}
}

func ExampleGaussianRF() {
	law := pde.RandomField{Alpha: 2, Tau: 5, Sigma: 25, BC: pde.PeriodicBC}
	coarse, _ := data.NewGaussianRF(law, 16, pde.NewPeriodicGrid(0, 1, 64))
	fine, _ := data.NewGaussianRF(law, 16, pde.NewPeriodicGrid(0, 1, 512))
	a := make([]float64, 64)
	b := make([]float64, 512)
	coarse.Sample(a, 1, 7)
	fine.Sample(b, 1, 7)
	// Sample 7 is one band-limited function: the fine draw, subsampled,
	// is the coarse draw.
	diff := 0.0
	for j := range a {
		diff = max(diff, a[j]-b[8*j], b[8*j]-a[j])
	}
	fmt.Println(diff < 1e-12)
	// Output: true
}

// negate is a toy Solver: the output is −input.
type negate struct{ n int }

func (s negate) InputShape() []int  { return []int{s.n} }
func (s negate) OutputShape() []int { return []int{s.n} }
func (s negate) Solve(out, in []float64) error {
	for i, v := range in {
		out[i] = -v
	}
	return nil
}

func ExampleGenerate() {
	dir, _ := os.MkdirTemp("", "gen")
	defer os.RemoveAll(dir)
	grid := pde.NewPeriodicGrid(0, 1, 64)
	sampler, _ := data.NewGaussianRF(pde.RandomField{Alpha: 2, Tau: 5, Sigma: 25}, 0, grid)
	cfg := &data.GenerateConfig{
		N: 10, Seed: 1, Sampler: sampler,
		Solvers:   func() (data.Solver, error) { return negate{64}, nil },
		Subsample: 2,
		Out:       filepath.Join(dir, "toy.npz"),
		Coords:    map[string]data.Array{"x": data.NewArray(grid.Points(nil), 64)},
		Axes:      []string{"x"},
		Meta:      data.Meta{Solver: "negate"},
	}
	if _, err := data.Generate(context.Background(), cfg); err != nil {
		log.Fatal(err)
	}
	d, err := data.Load(cfg.Out)
	if err != nil {
		log.Fatal(err)
	}
	train, test, _ := d.SplitFraction(0.8)
	fmt.Println(d.Inputs.Shape, d.Outputs.Shape, train.Len(), test.Len(), d.Meta.Sampler.Modes)
	// Output: [10 32] [10 32] 8 2 31
}
