package classical

import (
	"testing"
	"time"
)

// TestSelfConvergence solves the presets without exact solutions twice, at
// their defaults and with the step halved and the modes doubled, and
// checks the relative L2 difference at t = T (and over the whole
// space–time grid). The fast cases run at reduced settings with the same
// code path; the default settings run unless -short.
func TestSelfConvergence(t *testing.T) {
	for _, tc := range []struct {
		preset  string
		cfg     Config // zero: the defaults
		long    bool
		tolLast float64
		tolAll  float64
	}{
		{"kdv", Config{Modes: 128, Dt: 1e-3}, false, 1e-6, 1e-6},
		{"kuramoto-sivashinsky", Config{Modes: 64, Dt: 2e-3}, false, 1e-7, 1e-7},
		{"allen-cahn", Config{Modes: 512, Dt: 5e-3}, false, 2e-4, 1e-4},
		{"kdv", Config{}, true, 1e-9, 1e-9},
		{"kuramoto-sivashinsky", Config{}, true, 1e-9, 1e-9},
		{"allen-cahn", Config{}, true, 1e-9, 1e-8},
	} {
		if tc.long && testing.Short() {
			continue
		}
		p := lookup(t, tc.preset)
		c := tc.cfg
		start := time.Now()
		sol, err := SolvePreset(p, &c)
		if err != nil {
			t.Fatal(err)
		}
		el := time.Since(start)
		fine, err := SolvePreset(p, &Config{Modes: 2 * sol.Modes, Dt: sol.Dt / 2})
		if err != nil {
			t.Fatal(err)
		}
		nx := len(sol.X)
		last := relL2(sol.U[len(sol.U)-nx:], fine.U[len(fine.U)-nx:])
		all := relL2(sol.U, fine.U)
		t.Logf("%s (%d modes, dt %.3g, %v): vs (%d, %.3g): relative L2 %.3g at t = %g, %.3g over the grid",
			tc.preset, sol.Modes, sol.Dt, el.Round(time.Millisecond), fine.Modes, fine.Dt, last, sol.T[len(sol.T)-1], all)
		if !(last < tc.tolLast) || !(all < tc.tolAll) {
			t.Errorf("%s %+v: relative L2 %.3g at t = T (want < %g), %.3g over the grid (want < %g)",
				tc.preset, tc.cfg, last, tc.tolLast, all, tc.tolAll)
		}
	}
}
