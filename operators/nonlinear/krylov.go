package nonlinear

import (
	"math"

	"gonum.org/v1/gonum/floats"

	"github.com/neuralpde/neuralpde/operators/sparse"
)

// NewtonKrylov solves F(x) = 0 in place by the Jacobian-free
// Newton–Krylov method (Knoll and Keyes 2004): x holds the initial guess on
// entry, the last iterate on return. Each step solves J(x) d = −F(x)
// inexactly by restarted GMRES (operators/sparse), right-preconditioned by
// Settings.Preconditioner if set, to the relative tolerance η of the
// forcing term, and is globalised by the line search of s. J·v comes from
// Problem.JacVec if non-nil, else from the forward difference
// (F(x + εv) − F(x))/ε with ε = √((1 + ‖x‖)·ε_mach)/‖v‖ (Knoll and Keyes
// 2004, eq. (14)). A non-converged result returns err == nil with
// Status != Converged: callers decide.
func NewtonKrylov(x []float64, p Problem, s *Settings) (Result, error) {
	if err := p.check(x); err != nil {
		return Result{}, err
	}
	set, err := resolve(s)
	if err != nil {
		return Result{}, err
	}
	n := p.Dim
	d := make([]float64, n)
	rhs := make([]float64, n)
	j := &jacobian{p: p, xp: make([]float64, n), fp: make([]float64, n)}
	var gmres sparse.GMRES
	ls := &sparse.Settings{
		MaxIterations:  set.MaxLinearIterations,
		Restart:        set.Restart,
		Preconditioner: set.Preconditioner,
	}

	// Eisenstat–Walker (1996) choice 2 state.
	const (
		gamma  = 0.9
		ewExp  = 2.0
		eta0   = 0.5
		etaMax = 0.9
	)
	eta := eta0
	prevNorm := math.NaN()
	stopTol := math.NaN()

	step := func(d, x, f []float64) (float64, int, bool) {
		fnorm := floats.Norm(f, 2)
		if math.IsNaN(stopTol) {
			stopTol = set.AbsTol + set.RelTol*fnorm
		}
		switch {
		case set.ForcingTerm > 0:
			eta = set.ForcingTerm
		case !math.IsNaN(prevNorm):
			r := fnorm / prevNorm
			next := gamma * r * r
			if safe := gamma * math.Pow(eta, ewExp); safe > 0.1 {
				next = math.Max(next, safe)
			}
			// Do not solve more accurately than the outer tolerance needs.
			next = math.Max(next, 0.5*stopTol/fnorm)
			eta = math.Min(next, etaMax)
		}
		prevNorm = fnorm
		j.x, j.f = x, f
		j.xnorm = floats.Norm(x, 2)
		for i, v := range f {
			rhs[i] = -v
			d[i] = 0
		}
		ls.Tolerance = eta
		res, err := gmres.Solve(d, j, rhs, ls)
		if err != nil || res.Status == sparse.Stalled && floats.Norm(d, 2) == 0 {
			return 0, res.Iterations, false
		}
		// The step need not meet η (a capped GMRES); the line search uses
		// the residual it reached.
		return math.Min(res.Residual, 1), res.Iterations, allFinite(d)
	}
	return iterate(x, p, set, d, step)
}

// jacobian is the operator v ↦ J(x)·v at the current Newton iterate.
type jacobian struct {
	p      Problem
	x, f   []float64 // current iterate and F(x)
	xnorm  float64
	xp, fp []float64 // work for the finite difference
}

func (j *jacobian) MulVec(dst, v []float64) {
	if j.p.JacVec != nil {
		j.p.JacVec(dst, j.x, v)
		return
	}
	vnorm := floats.Norm(v, 2)
	if vnorm == 0 {
		for i := range dst {
			dst[i] = 0
		}
		return
	}
	eps := math.Sqrt((1+j.xnorm)*epsMach) / vnorm
	for i, xi := range j.x {
		j.xp[i] = xi + eps*v[i]
	}
	j.p.F(j.fp, j.xp)
	for i, fi := range j.f {
		dst[i] = (j.fp[i] - fi) / eps
	}
}

const epsMach = 0x1p-52
