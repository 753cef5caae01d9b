package fno

import (
	"math/rand/v2"
	"runtime"
	"testing"
)

// TestStepAllocations checks that a training step's allocations do not
// grow with the batch or the grid: workspaces are reused, and what remains
// is the closures and goroutines that split each layer across the cores.
func TestStepAllocations(t *testing.T) {
	if runtime.GOMAXPROCS(0) > 2 {
		t.Skip("the bound below counts the goroutines of two cores")
	}
	for _, tc := range []struct {
		name  string
		grid  []int
		batch int
	}{
		{"1d small", []int{32}, 2},
		{"1d large", []int{256}, 20},
		{"2d small", []int{16, 16}, 2},
		{"2d large", []int{40, 40}, 8},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, 2))
			s := smoothSamples(rng, tc.batch, tc.grid, 1)
			m, err := NewModel(&Config{Width: 16, Modes: 4, Padding: 2, ProjWidth: 16}, len(tc.grid), 1, 1, rng)
			if err != nil {
				t.Fatal(err)
			}
			obj, err := NewObjective(m, s, fitNormalizer(s.A, 1), fitNormalizer(s.U, 1), "l2")
			if err != nil {
				t.Fatal(err)
			}
			batch := make([]int, tc.batch)
			for i := range batch {
				batch[i] = i
			}
			allocs := testing.AllocsPerRun(3, func() {
				if _, err := obj.Loss(batch); err != nil {
					t.Fatal(err)
				}
			})
			// 42 on one or two cores (go1.26): the closures and
			// goroutines of the parallel splits, whatever the batch and
			// grid.
			if allocs > 60 {
				t.Errorf("%v allocations per step; want them independent of batch and grid (≤ 60)", allocs)
			}
			t.Logf("%v allocations per step", allocs)
		})
	}
}
