package implicit

import (
	"math"
	"math/rand/v2"
	"runtime"
	"testing"
)

// stepBytes returns the bytes allocated by one training step (Forward,
// loss gradient, Backward) of a layer whose solver always runs iters
// iterations, after a warm-up step has sized every workspace.
func stepBytes(t *testing.T, solver Solver, iters int) (bytes uint64, allocs float64) {
	const d, p, batch = 128, 16, 8
	// With ‖W‖₂ = 0.9 the residual after 100 steps is still ≈ 1e-5 of the
	// first, so the unreachable tolerance below makes every step run.
	tl := newTanhLayer(rand.New(rand.NewPCG(21, 22)), d, p, batch, 0.9)
	// An unreachable tolerance with Flag runs exactly iters iterations.
	l, err := New([]Function{tl.function()}, &Settings{Solver: solver, AbsTol: 1e-300, MaxIterations: iters, OnFailure: Flag})
	if err != nil {
		t.Fatal(err)
	}
	z := make([]float64, batch*d)
	gz := make([]float64, batch*d)
	step := func() {
		if _, err := l.Forward(z, nil, batch); err != nil {
			t.Fatal(err)
		}
		for i, v := range z {
			gz[i] = v
		}
		if err := l.Backward(gz); err != nil {
			t.Fatal(err)
		}
	}
	step()
	if got := l.Report().Forward[0].Iterations; got != iters {
		t.Fatalf("%v ran %d iterations, want %d", solver, got, iters)
	}
	// The least of three measurements: the runtime's own background
	// allocations (counted in TotalAlloc) occasionally land in one.
	bytes = math.MaxUint64
	for range 3 {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		step()
		runtime.ReadMemStats(&after)
		bytes = min(bytes, after.TotalAlloc-before.TotalAlloc)
	}
	return bytes, testing.AllocsPerRun(1, step)
}

// TestMemoryIndependentOfIterations shows the point of implicit
// differentiation: the memory a training step allocates does not grow
// with the number of forward iterations (10 vs 100), because the backward
// pass needs only z*, not the iterates. Unrolled backpropagation through
// 100 iterations of this 8×128 batch would keep ≥ 100·8·128·8 B = 0.8 MB of
// iterates.
func TestMemoryIndependentOfIterations(t *testing.T) {
	for _, solver := range []Solver{FixedPoint, Anderson, Broyden} {
		b10, a10 := stepBytes(t, solver, 10)
		b100, a100 := stepBytes(t, solver, 100)
		t.Logf("%-12v bytes/step: %6d at 10 iterations, %6d at 100; allocs/step %.0f vs %.0f", solver, b10, b100, a10, a100)
		if b100 > b10+1024 || a100 > a10+2 {
			t.Errorf("%v: a step allocates %d B (%.0f allocs) at 100 iterations but %d B (%.0f) at 10; it must not grow with iterations", solver, b100, a100, b10, a10)
		}
	}
}
