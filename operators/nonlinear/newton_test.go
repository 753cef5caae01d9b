package nonlinear

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// circleExp is F(x, y) = (x² + y² − 4, eˣ + y − 1), with a root near
// (−1.816, 0.8372).
var circleExp = Problem{
	Dim: 2,
	F: func(dst, x []float64) {
		dst[0] = x[0]*x[0] + x[1]*x[1] - 4
		dst[1] = math.Exp(x[0]) + x[1] - 1
	},
	Jacobian: func(dst *mat.Dense, x []float64) {
		dst.Set(0, 0, 2*x[0])
		dst.Set(0, 1, 2*x[1])
		dst.Set(1, 0, math.Exp(x[0]))
		dst.Set(1, 1, 1)
	},
	JacVec: func(dst, x, v []float64) {
		dst[0] = 2*x[0]*v[0] + 2*x[1]*v[1]
		dst[1] = math.Exp(x[0])*v[0] + v[1]
	},
}

func TestNewtonQuadraticConvergence(t *testing.T) {
	x := []float64{-2, 1}
	res, err := Newton(x, circleExp, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != Converged {
		t.Fatalf("status %v, residuals %v", res.Status, res.Residuals)
	}
	f := make([]float64, 2)
	circleExp.F(f, x)
	if math.Hypot(f[0], f[1]) > 1e-10 {
		t.Errorf("‖F(x)‖ = %g at the returned x", math.Hypot(f[0], f[1]))
	}
	// Quadratic convergence: r_{k+1}/r_k² stays bounded while r_{k+1}/r_k
	// goes to zero. Skip residuals at rounding level.
	r := res.Residuals
	for k := 0; k+1 < len(r) && r[k+1] > 1e-13; k++ {
		if q := r[k+1] / (r[k] * r[k]); q > 2 {
			t.Errorf("step %d: r_{k+1}/r_k² = %g, not quadratic (residuals %v)", k, q, r)
		}
	}
	if n := len(r); n < 4 || r[n-2]/r[n-3] > 1e-2 {
		t.Errorf("no superlinear contraction in residuals %v", r)
	}
}

func TestNewtonStatuses(t *testing.T) {
	// x² + 1 = 0 has no real root: ½‖F‖² has its minimum 1/2 at x = 0.
	noRoot := Problem{
		Dim:      1,
		F:        func(dst, x []float64) { dst[0] = x[0]*x[0] + 1 },
		Jacobian: func(dst *mat.Dense, x []float64) { dst.Set(0, 0, 2*x[0]) },
	}
	// arctan x = 0: full Newton steps from |x₀| > 1.3917 diverge; a line
	// search is needed.
	atan := Problem{
		Dim:      1,
		F:        func(dst, x []float64) { dst[0] = math.Atan(x[0]) },
		Jacobian: func(dst *mat.Dense, x []float64) { dst.Set(0, 0, 1/(1+x[0]*x[0])) },
	}
	singular := Problem{
		Dim: 2,
		F:   func(dst, x []float64) { dst[0], dst[1] = x[0]+x[1]-1, x[0]+x[1]+1 },
		Jacobian: func(dst *mat.Dense, x []float64) {
			dst.Set(0, 0, 1)
			dst.Set(0, 1, 1)
			dst.Set(1, 0, 1)
			dst.Set(1, 1, 1)
		},
	}
	for _, tc := range []struct {
		name   string
		p      Problem
		x0     []float64
		s      *Settings
		krylov bool
		want   []Status // any of these
	}{
		{"no-root", noRoot, []float64{0.5}, nil, false, []Status{Stalled}},
		{"no-root-jfnk", noRoot, []float64{0.5}, nil, true, []Status{Stalled}},
		{"atan-line-search", atan, []float64{3}, nil, false, []Status{Converged}},
		{"atan-line-search-jfnk", atan, []float64{3}, nil, true, []Status{Converged}},
		{"atan-full-step", atan, []float64{3}, &Settings{LineSearch: FullStep}, false, []Status{Diverged, MaxIterationsReached, LinearSolveFailed}},
		{"capped", circleExp, []float64{-2, 1}, &Settings{MaxIterations: 1}, false, []Status{MaxIterationsReached}},
		{"singular", singular, []float64{0, 0}, nil, false, []Status{LinearSolveFailed}},
	} {
		solve := Newton
		if tc.krylov {
			solve = NewtonKrylov
		}
		res, err := solve(append([]float64(nil), tc.x0...), tc.p, tc.s)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		ok := false
		for _, s := range tc.want {
			ok = ok || res.Status == s
		}
		if !ok {
			t.Errorf("%s: status %v, want one of %v (residuals %v)", tc.name, res.Status, tc.want, res.Residuals)
		}
		t.Logf("%s: %v after %d steps", tc.name, res.Status, res.Iterations)
	}
}

func TestNewtonBadInput(t *testing.T) {
	noJac := Problem{Dim: 2, F: circleExp.F}
	for _, tc := range []struct {
		name string
		p    Problem
		x    []float64
		s    *Settings
	}{
		{"no-jacobian", noJac, []float64{1, 1}, nil},
		{"no-F", Problem{Dim: 2, Jacobian: circleExp.Jacobian}, []float64{1, 1}, nil},
		{"length", circleExp, []float64{1}, nil},
		{"dim", Problem{Dim: 0, F: circleExp.F, Jacobian: circleExp.Jacobian}, nil, nil},
		{"tolerance", circleExp, []float64{1, 1}, &Settings{AbsTol: -1}},
		{"forcing", circleExp, []float64{1, 1}, &Settings{ForcingTerm: 1.5}},
		{"nan-start", circleExp, []float64{math.NaN(), 1}, nil},
	} {
		if _, err := Newton(tc.x, tc.p, tc.s); err == nil {
			t.Errorf("%s: Newton gave no error", tc.name)
		}
		if tc.name == "no-jacobian" {
			continue
		}
		if _, err := NewtonKrylov(tc.x, tc.p, tc.s); err == nil {
			t.Errorf("%s: NewtonKrylov gave no error", tc.name)
		}
	}
}

func TestNewtonKrylovSmall(t *testing.T) {
	for _, tc := range []struct {
		name string
		p    Problem
	}{
		{"jacvec", circleExp},
		{"finite-difference", Problem{Dim: 2, F: circleExp.F}},
	} {
		x := []float64{-2, 1}
		res, err := NewtonKrylov(x, tc.p, nil)
		if err != nil {
			t.Fatal(err)
		}
		if res.Status != Converged {
			t.Fatalf("%s: status %v, residuals %v", tc.name, res.Status, res.Residuals)
		}
		if math.Abs(x[0]+1.8163) > 1e-3 || math.Abs(x[1]-0.8374) > 1e-3 {
			t.Errorf("%s: root %v, want about (−1.8163, 0.8374)", tc.name, x)
		}
		if res.LinearIterations == 0 {
			t.Errorf("%s: no linear iterations counted", tc.name)
		}
	}
}
