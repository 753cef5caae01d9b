package classical

import (
	"math"
	"testing"
)

// TestReactDiffLogistic checks the spatially constant solution against the
// logistic curve u = u₀e^{ρt}/(u₀e^{ρt} + 1 − u₀).
func TestReactDiffLogistic(t *testing.T) {
	const rho, u0 = 5.0, 0.1
	ts := []float64{0, 0.25, 0.5, 1}
	init := make([]float64, 16)
	for i := range init {
		init[i] = u0
	}
	got, err := SolveReactDiff(nil, init, 0.01, rho, 1, ts, 1e-3)
	if err != nil {
		t.Fatal(err)
	}
	for i, ti := range ts {
		e := u0 * math.Exp(rho*ti)
		want := e / (e + 1 - u0)
		for _, v := range got[i*16 : (i+1)*16] {
			if math.Abs(v-want) > 1e-10 {
				t.Fatalf("t=%g: u = %v, want %v", ti, v, want)
			}
		}
	}
}

// TestReactDiffOrder checks ETDRK4's fourth order on a varying solution:
// the log–log slope of the error at t = 1 against the step.
func TestReactDiffOrder(t *testing.T) {
	const n = 64
	init := make([]float64, n)
	for i := range init {
		x := float64(i) / n
		init[i] = 0.5 + 0.4*math.Sin(2*math.Pi*x) + 0.05*math.Cos(6*math.Pi*x)
	}
	ts := []float64{1}
	ref, err := SolveReactDiff(nil, init, 0.01, 5, 1, ts, 1.0/2048)
	if err != nil {
		t.Fatal(err)
	}
	var errs []float64
	dts := []float64{1.0 / 16, 1.0 / 32, 1.0 / 64}
	for _, dt := range dts {
		u, err := SolveReactDiff(nil, init, 0.01, 5, 1, ts, dt)
		if err != nil {
			t.Fatal(err)
		}
		errs = append(errs, maxAbsDiff(u, ref))
	}
	slope := math.Log(errs[1]/errs[2]) / math.Log(2)
	if slope < 3.6 || slope > 4.6 {
		t.Errorf("ETDRK4 order on reaction–diffusion: slope %.2f (errors %v), want about 4", slope, errs)
	}
}

func TestReactDiffErrors(t *testing.T) {
	u0 := make([]float64, 8)
	for _, tc := range []struct {
		name string
		fn   func() error
	}{
		{"few points", func() error {
			_, err := SolveReactDiff(nil, make([]float64, 3), 0.1, 5, 1, []float64{1}, 0.01)
			return err
		}},
		{"negative nu", func() error { _, err := SolveReactDiff(nil, u0, -1, 5, 1, []float64{1}, 0.01); return err }},
		{"zero step", func() error { _, err := SolveReactDiff(nil, u0, 0.1, 5, 1, []float64{1}, 0); return err }},
		{"times decrease", func() error { _, err := SolveReactDiff(nil, u0, 0.1, 5, 1, []float64{0.5, 0.2}, 0.01); return err }},
	} {
		if tc.fn() == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
}
