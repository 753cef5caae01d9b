package classical

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/neuralpde/neuralpde/pde"
)

// bandLimited returns, on n periodic points of [0, 1), a random real
// trigonometric polynomial with modes 1, …, kmax whose coefficients decay as
// the burgers-periodic law's, (4π²k² + 25)^−1; the same seed gives the same
// function at every n > 2·kmax.
func bandLimited(n, kmax int, seed uint64) []float64 {
	r := rand.New(rand.NewPCG(seed, 1))
	u := make([]float64, n)
	for k := 1; k <= kmax; k++ {
		s := 25 * math.Sqrt2 / (4*math.Pi*math.Pi*float64(k*k) + 25)
		a, b := s*r.NormFloat64(), s*r.NormFloat64()
		for i := range u {
			sn, cs := math.Sincos(2 * math.Pi * float64(k) * float64(i) / float64(n))
			u[i] += a*cs + b*sn
		}
	}
	return u
}

// TestOperatorSolverResolution checks that the same band-limited sample
// solved at several resolutions gives the same u(1,·) at the common points.
func TestOperatorSolverResolution(t *testing.T) {
	p := lookup(t, "burgers-periodic")
	resolutions := []int{1024, 256, 2048}
	if !testing.Short() {
		resolutions = append(resolutions, 8192)
	}
	const base = 1024
	var want []float64
	for _, res := range resolutions {
		s, err := NewOperatorSolver(p, res, nil)
		if err != nil {
			t.Fatal(err)
		}
		out := make([]float64, res)
		if err := s.Solve(out, bandLimited(res, 100, 7)); err != nil {
			t.Fatal(err)
		}
		if want == nil {
			want = out
			continue
		}
		// Compare on the points the two grids share.
		var got, ref []float64
		if res > base {
			for j := 0; j < base; j++ {
				got = append(got, out[j*res/base])
			}
			ref = want
		} else {
			got = out
			for j := 0; j < res; j++ {
				ref = append(ref, want[j*base/res])
			}
		}
		e := relL2(got, ref)
		t.Logf("res %d (%d modes, dt %g) vs %d: relative L2 %.3g", res, s.Modes(), s.Dt(), base, e)
		if !(e < 1e-8) {
			t.Errorf("res %d vs %d: relative L2 %.3g ≥ 1e-8", res, base, e)
		}
	}
}

func TestOperatorSolverErrors(t *testing.T) {
	p := lookup(t, "burgers-periodic")
	if _, err := NewOperatorSolver(lookup(t, "burgers-shock"), 64, nil); err == nil {
		t.Error("Dirichlet preset: no error")
	}
	if _, err := NewOperatorSolver(p, 2, nil); err == nil {
		t.Error("res 2: no error")
	}
	if _, err := NewOperatorSolver(p, 64, &Config{Method: "rk4"}); err == nil {
		t.Error("method rk4: no error")
	}
	s, err := NewOperatorSolver(p, 64, &Config{Dt: 0.01})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Solve(make([]float64, 64), make([]float64, 32)); err == nil {
		t.Error("short input: no error")
	}
	in := make([]float64, 64)
	in[3] = math.NaN()
	if err := s.Solve(make([]float64, 64), in); err == nil {
		t.Error("NaN input: no error")
	}
	// A step far too large for the explicit nonlinear term blows up.
	s, err = NewOperatorSolver(p, 256, &Config{Dt: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	in = bandLimited(256, 100, 1)
	for i := range in {
		in[i] *= 1e3
	}
	if err := s.Solve(make([]float64, 256), in); err == nil {
		t.Error("unstable step: no error")
	}
}

func TestOperatorSolverAllocs(t *testing.T) {
	s, err := NewOperatorSolver(lookup(t, "burgers-periodic"), 128, &Config{Dt: 0.05})
	if err != nil {
		t.Fatal(err)
	}
	in, out := bandLimited(128, 20, 1), make([]float64, 128)
	if a := testing.AllocsPerRun(3, func() { s.Solve(out, in) }); a != 0 {
		t.Errorf("%v allocations per Solve", a)
	}
}

// TestOperatorSolverColeHopf checks the operator solver against an exact
// solution: u0 = sin(2πx) on [0, 1) with ν = 0.1 is, under y = 2x − 1 and
// τ = 2t, the Cole–Hopf problem u0 = −sin(πy) with ν' = 2ν. At ν' = 0.2,
// τ = 2 the Gauss–Hermite rule needs 400 nodes (200 leave 3e-8).
func TestOperatorSolverColeHopf(t *testing.T) {
	p := lookup(t, "burgers-periodic")
	ch := pde.NewBurgersColeHopf(0.2, 400)
	for _, res := range []int{64, 256, 1024} {
		s, err := NewOperatorSolver(p, res, nil)
		if err != nil {
			t.Fatal(err)
		}
		in, out, want := make([]float64, res), make([]float64, res), make([]float64, res)
		for i := range in {
			x := float64(i) / float64(res)
			in[i] = math.Sin(2 * math.Pi * x)
			want[i] = ch.Eval(2, 2*x-1)
		}
		if err := s.Solve(out, in); err != nil {
			t.Fatal(err)
		}
		e := relL2(out, want)
		t.Logf("res %d: relative L2 vs Cole–Hopf %.3g", res, e)
		if !(e < 1e-10) {
			t.Errorf("res %d: relative L2 vs Cole–Hopf %.3g ≥ 1e-10", res, e)
		}
	}
}
