package sparse

// CG is the preconditioned conjugate gradient method of Hestenes and
// Stiefel (1952) for symmetric positive definite systems, in the form of
// Saad (2003), Algorithm 9.1. The zero value is ready to use; a CG keeps its
// work vectors between calls, so repeated solves of the same size allocate
// nothing. A CG must not be used by two goroutines at once.
type CG struct {
	r, z, p, q []float64
}

// Solve solves A x = b. On entry x holds the initial guess, on return the
// last iterate. It stops when ‖b − Ax‖₂ ≤ tol·‖b‖₂: the recursively
// updated residual decides when to check, and the true residual confirms
// (Result.Residual is the true relative residual when Converged). A
// non-converged solve returns a nil error and a Status other than
// Converged. The error is non-nil only for invalid input (mismatched
// lengths, bad settings).
func (c *CG) Solve(x []float64, a Operator, b []float64, s *Settings) (Result, error) {
	if err := checkLengths(x, b); err != nil {
		return Result{}, err
	}
	if err := s.check(); err != nil {
		return Result{}, err
	}
	n := len(b)
	tol := s.tolerance()
	maxIter := s.maxIterations(10 * n)
	m := s.preconditioner()
	c.r, c.z, c.p, c.q = grow(c.r, n), grow(c.z, n), grow(c.p, n), grow(c.q, n)
	r, z, p, q := c.r, c.z, c.p, c.q

	bnorm := norm(b)
	if bnorm == 0 {
		for i := range x {
			x[i] = 0
		}
		return Result{Status: Converged}, nil
	}
	a.MulVec(r, x)
	for i, v := range b {
		r[i] = v - r[i]
	}
	res := norm(r) / bnorm
	if res <= tol {
		return Result{Status: Converged, Residual: res}, nil
	}
	if m != nil {
		m.Precondition(z, r)
	} else {
		copy(z, r)
	}
	copy(p, z)
	rz := dot(r, z)
	for k := 1; k <= maxIter; k++ {
		if !(rz > 0) {
			return Result{Status: Stalled, Iterations: k - 1, Residual: res}, nil
		}
		a.MulVec(q, p)
		pq := dot(p, q)
		if !(pq > 0) || !isFinite(pq) {
			return Result{Status: Stalled, Iterations: k - 1, Residual: res}, nil
		}
		alpha := rz / pq
		axpy(x, alpha, p)
		axpy(r, -alpha, q)
		res = norm(r) / bnorm
		if !isFinite(res) {
			return Result{Status: Stalled, Iterations: k, Residual: res}, nil
		}
		restart := false
		if res <= tol {
			// Confirm on the true residual: the recursive one drifts from
			// it in floating point. If it falls short, restart from the
			// true residual (residual replacement).
			a.MulVec(r, x)
			for i, v := range b {
				r[i] = v - r[i]
			}
			if res = norm(r) / bnorm; res <= tol {
				return Result{Status: Converged, Iterations: k, Residual: res}, nil
			}
			restart = true
		}
		if m != nil {
			m.Precondition(z, r)
		} else {
			copy(z, r)
		}
		rzNew := dot(r, z)
		beta := rzNew / rz
		if restart {
			beta = 0
		}
		rz = rzNew
		for i, v := range z {
			p[i] = v + beta*p[i]
		}
	}
	return Result{Status: MaxIterationsReached, Iterations: maxIter, Residual: res}, nil
}
