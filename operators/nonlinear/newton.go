package nonlinear

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

// Newton solves F(x) = 0 in place by Newton's method: x holds the initial
// guess on entry, the last iterate on return. Each step solves
// J(x) d = −F(x) by LU factorisation of the dense Jacobian and is
// globalised by the line search of s. Newton needs Problem.Jacobian and
// returns an error if it is nil. A non-converged result returns err == nil
// with Status != Converged: callers decide.
func Newton(x []float64, p Problem, s *Settings) (Result, error) {
	if err := p.check(x); err != nil {
		return Result{}, err
	}
	if p.Jacobian == nil {
		return Result{}, fmt.Errorf("nonlinear: Newton needs Problem.Jacobian; supply it or use NewtonKrylov")
	}
	set, err := resolve(s)
	if err != nil {
		return Result{}, err
	}
	n := p.Dim
	jac := mat.NewDense(n, n, nil)
	var lu mat.LU
	d := make([]float64, n)
	dv := mat.NewVecDense(n, d)
	rhs := mat.NewVecDense(n, nil)
	step := func(d, x, f []float64) (eta float64, linIter int, ok bool) {
		jac.Zero() // a Jacobian function may set only the non-zero entries
		p.Jacobian(jac, x)
		lu.Factorize(jac)
		if lu.Det() == 0 {
			return 0, 0, false
		}
		for i, v := range f {
			rhs.SetVec(i, -v)
		}
		// An ill-conditioned Jacobian still gives a usable direction; the
		// line search judges it.
		_ = lu.SolveVecTo(dv, false, rhs)
		return 0, 0, allFinite(d)
	}
	return iterate(x, p, set, d, step)
}

// stepFunc writes the Newton direction for x, with f = F(x), into d. It
// returns the relative linear residual η it reached (0 for a direct solve),
// the linear iterations it used, and false if no direction could be found.
type stepFunc func(d, x, f []float64) (eta float64, linearIterations int, ok bool)

// iterate is the Newton loop shared by Newton and NewtonKrylov.
func iterate(x []float64, p Problem, s settings, d []float64, step stepFunc) (Result, error) {
	n := p.Dim
	f := make([]float64, n)
	xt := make([]float64, n)
	ft := make([]float64, n)
	p.F(f, x)
	fnorm := floats.Norm(f, 2)
	if math.IsNaN(fnorm) || math.IsInf(fnorm, 0) {
		return Result{}, fmt.Errorf("nonlinear: F(x₀) is not finite (‖F‖ = %g); start from a point where F is defined", fnorm)
	}
	res := Result{Residuals: []float64{fnorm}}
	tol := s.AbsTol + s.RelTol*fnorm
	for {
		if fnorm <= tol {
			res.Status = Converged
			return res, nil
		}
		if res.Iterations == s.MaxIterations {
			res.Status = MaxIterationsReached
			return res, nil
		}
		eta, lin, ok := step(d, x, f)
		res.LinearIterations += lin
		if !ok {
			res.Status = LinearSolveFailed
			return res, nil
		}
		next, status := lineSearch(xt, ft, x, f, d, fnorm, eta, p, s)
		if status != 0 {
			res.Status = status
			return res, nil
		}
		copy(x, xt)
		copy(f, ft)
		fnorm = next
		res.Iterations++
		res.Residuals = append(res.Residuals, fnorm)
	}
}

// lineSearch finds x + t·d with sufficient decrease of φ(t) = ½‖F(x+td)‖²,
// writing the point into xt and its residual into ft and returning
// ‖F(xt)‖. The slope φ'(0) = Fᵀ J d is bounded by −(1−η)‖F‖² for a step
// solving J d = −F to relative residual η (Eisenstat and Walker 1994), and
// that bound is the slope used in the Armijo test. A non-zero Status means
// failure.
func lineSearch(xt, ft, x, f, d []float64, fnorm, eta float64, p Problem, s settings) (float64, Status) {
	const (
		alpha   = 1e-4    // sufficient-decrease constant (Dennis and Schnabel, §6.3)
		stepTol = 0x1p-36 // ≈ ε_mach^(2/3), Dennis and Schnabel's default steptol
		lo      = 0.1     // bounds on the shortening factor per backtrack
		hi      = 0.5
	)
	phi0 := 0.5 * fnorm * fnorm
	slope := -(1 - eta) * fnorm * fnorm
	// The relative length of the full step (Dennis and Schnabel, A6.3.1):
	// a step shorter than stepTol relative to x cannot change x usefully.
	var rel float64
	for i, di := range d {
		rel = math.Max(rel, math.Abs(di)/math.Max(math.Abs(x[i]), 1))
	}
	t := 1.0
	for k := 0; ; k++ {
		for i := range xt {
			xt[i] = x[i] + t*d[i]
		}
		p.F(ft, xt)
		norm := floats.Norm(ft, 2)
		finite := !math.IsNaN(norm) && !math.IsInf(norm, 0)
		if s.LineSearch == FullStep {
			if !finite {
				return norm, Diverged
			}
			return norm, 0
		}
		phi := 0.5 * norm * norm
		// Armijo, plus a strict decrease: at rounding level the Armijo
		// margin vanishes and would accept steps that change nothing.
		if finite && phi < phi0 && phi <= phi0+alpha*t*slope {
			return norm, 0
		}
		if k == s.MaxBacktracks || t*rel < stepTol {
			return norm, Stalled
		}
		next := hi * t
		if finite {
			// Minimiser of the quadratic through φ(0), φ'(0) and φ(t).
			next = -slope * t * t / (2 * (phi - phi0 - slope*t))
			next = math.Max(lo*t, math.Min(hi*t, next))
		}
		t = next
	}
}

func allFinite(v []float64) bool {
	for _, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}
