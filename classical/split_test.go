package classical

import (
	"math"
	"testing"
)

// splitInit is a varying, positive initial value on n points of [0, 1).
func splitInit(n int) []float64 {
	u := make([]float64, n)
	for i := range u {
		x := float64(i) / float64(n)
		u[i] = 0.5 + 0.4*math.Sin(2*math.Pi*x) + 0.05*math.Cos(6*math.Pi*x)
	}
	return u
}

// TestSplitExactParts checks that each part alone is integrated exactly
// whatever the step: the logistic curve without diffusion and the decay
// e^{−ν(2π)²t} of a sine without reaction.
func TestSplitExactParts(t *testing.T) {
	const n = 16
	ts := []float64{0, 0.3, 1}
	for _, split := range []Splitting{LieSplitting, StrangSplitting} {
		const rho, u0 = 5.0, 0.1
		flat := make([]float64, n)
		for i := range flat {
			flat[i] = u0
		}
		got, err := SolveReactDiffSplit(nil, flat, 0.05, rho, 1, ts, 0.25, split)
		if err != nil {
			t.Fatal(err)
		}
		for i, ti := range ts {
			e := u0 * math.Exp(rho*ti)
			want := e / (e + 1 - u0)
			for _, v := range got[i*n : (i+1)*n] {
				if math.Abs(v-want) > 1e-13 {
					t.Fatalf("%v, logistic at t = %g: %v, want %v", split, ti, v, want)
				}
			}
		}
		const nu = 0.02
		sine := make([]float64, n)
		for i := range sine {
			sine[i] = math.Sin(2 * math.Pi * float64(i) / n)
		}
		got, err = SolveReactDiffSplit(nil, sine, nu, 0, 1, ts, 0.5, split)
		if err != nil {
			t.Fatal(err)
		}
		for i, ti := range ts {
			decay := math.Exp(-nu * 4 * math.Pi * math.Pi * ti)
			for j, v := range got[i*n : (i+1)*n] {
				if math.Abs(v-decay*sine[j]) > 1e-13 {
					t.Fatalf("%v, heat flow at t = %g, point %d: %v, want %v", split, ti, j, v, decay*sine[j])
				}
			}
		}
	}
}

// TestSplitOrder checks the splittings' orders, one and two: the log–log
// slope of the error at t = 1 (and at an output time in between) against
// the step, with ETDRK4 on the same grid as the reference.
func TestSplitOrder(t *testing.T) {
	const n = 64
	init := splitInit(n)
	ts := []float64{0.5, 1}
	ref, err := SolveReactDiff(nil, init, 0.01, 5, 1, ts, 1.0/2048)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		split  Splitting
		lo, hi float64
	}{{LieSplitting, 0.9, 1.1}, {StrangSplitting, 1.9, 2.1}} {
		var errs []float64
		for _, dt := range []float64{1.0 / 64, 1.0 / 128, 1.0 / 256} {
			u, err := SolveReactDiffSplit(nil, init, 0.01, 5, 1, ts, dt, tc.split)
			if err != nil {
				t.Fatal(err)
			}
			errs = append(errs, maxAbsDiff(u, ref))
		}
		for i := range 2 {
			slope := math.Log(errs[i]/errs[i+1]) / math.Log(2)
			if slope < tc.lo || slope > tc.hi {
				t.Errorf("%v splitting order: slope %.2f (errors %.3g), want %g–%g", tc.split, slope, errs, tc.lo, tc.hi)
			}
		}
		t.Logf("%v: max errors at dt = 1/64, 1/128, 1/256: %.3g", tc.split, errs)
	}
}

func TestSplitErrors(t *testing.T) {
	u0 := splitInit(8)
	for _, tc := range []struct {
		name string
		fn   func() error
	}{
		{"few points", func() error {
			_, err := SolveReactDiffSplit(nil, make([]float64, 3), 0.1, 5, 1, []float64{1}, 0.01, LieSplitting)
			return err
		}},
		{"unknown splitting", func() error { _, err := SolveReactDiffSplit(nil, u0, 0.1, 5, 1, []float64{1}, 0.01, 0); return err }},
		{"short dst", func() error {
			_, err := SolveReactDiffSplit(make([]float64, 7), u0, 0.1, 5, 1, []float64{1}, 0.01, StrangSplitting)
			return err
		}},
		{"times decrease", func() error {
			_, err := SolveReactDiffSplit(nil, u0, 0.1, 5, 1, []float64{0.5, 0.2}, 0.01, LieSplitting)
			return err
		}},
		{"logistic blow-up", func() error {
			neg := []float64{-1, -1, -1, -1}
			_, err := SolveReactDiffSplit(nil, neg, 0, 5, 1, []float64{1}, 0.5, LieSplitting)
			return err
		}},
	} {
		if tc.fn() == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
}

// BenchmarkSplitStep times one step of each splitting and of ETDRK4 on
// 256 points (a thousand steps per iteration), the per-step cost behind
// the classical side of the neural spectral methods' timing comparison.
func BenchmarkSplitStep(b *testing.B) {
	const n, steps = 256, 1000
	init := splitInit(n)
	ts := []float64{1}
	dst := make([]float64, n)
	for _, split := range []Splitting{LieSplitting, StrangSplitting} {
		b.Run(split.String(), func(b *testing.B) {
			for b.Loop() {
				if _, err := SolveReactDiffSplit(dst, init, 0.01, 5, 1, ts, 1.0/steps, split); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("ETDRK4", func(b *testing.B) {
		for b.Loop() {
			if _, err := SolveReactDiff(dst, init, 0.01, 5, 1, ts, 1.0/steps); err != nil {
				b.Fatal(err)
			}
		}
	})
}
