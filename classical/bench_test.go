package classical

import (
	"math"
	"testing"

	"github.com/neuralpde/neuralpde/internal/cputime"
	"github.com/neuralpde/neuralpde/pde"
)

// BenchmarkBurgersPeriodic1024 times one burgers-periodic sample at 1024
// points with the default settings (1024 modes, 2/3 dealiasing, ETDRK4,
// dt = 1e-3), the same method as scripts/reference/classical_burgers_periodic.py.
func BenchmarkBurgersPeriodic1024(b *testing.B) {
	s, err := NewOperatorSolver(lookup(b, "burgers-periodic"), 1024, nil)
	if err != nil {
		b.Fatal(err)
	}
	in, out := bandLimited(1024, 100, 1), make([]float64, 1024)
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cputime.Process()
	for range b.N {
		if err := s.Solve(out, in); err != nil {
			b.Fatal(err)
		}
	}
	// On a shared machine the wall time includes waiting for a core; the
	// process CPU time per sample is the figure to compare with the numpy
	// script's time.process_time.
	b.ReportMetric(float64((cputime.Process()-cpu0).Microseconds())/1e3/float64(b.N), "cpu-ms/op")
}

// BenchmarkBurgersShock solves burgers-shock with the default settings and
// reports the relative L2 error against the Cole–Hopf solution, in units
// of 1e-9.
func BenchmarkBurgersShock(b *testing.B) {
	p := lookup(b, "burgers-shock")
	var sol *Solution
	var err error
	cpu0 := cputime.Process()
	for range b.N {
		if sol, err = SolvePreset(p, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64((cputime.Process()-cpu0).Microseconds())/1e3/float64(b.N), "cpu-ms/op")
	b.StopTimer()
	want := pde.NewBurgersColeHopf(0.01/math.Pi, 0).Grid(nil, sol.T, sol.X)
	b.ReportMetric(relL2(sol.U, want)*1e9, "relL2×1e9")
}

// BenchmarkPresets solves each preset with fixed initial data at its
// defaults; the time per op is one whole solve.
func BenchmarkPresets(b *testing.B) {
	for _, name := range []string{"burgers-shock", "kdv", "kuramoto-sivashinsky", "allen-cahn", "heat", "advection"} {
		b.Run(name, func(b *testing.B) {
			p := lookup(b, name)
			for range b.N {
				if _, err := SolvePreset(p, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
