package sparse

import "math"

// GMRES is the restarted generalized minimal residual method GMRES(m) of
// Saad and Schultz (1986), with modified Gram–Schmidt Arnoldi and Givens
// rotations (Saad 2003, Alg. 6.9, and §9.3 for the preconditioned forms).
// The zero value is ready to use; a GMRES keeps its Krylov basis and work
// vectors between calls, so repeated solves of the same size and restart
// allocate nothing. A GMRES must not be used by two goroutines at once.
type GMRES struct {
	v          []float64 // (m+1) basis vectors of length n, one after another
	h          []float64 // Hessenberg matrix, column j at h[j*(m+1):]
	cs, sn, g  []float64 // Givens rotations and the rotated right-hand side
	y          []float64
	w, z, work []float64
}

// Solve solves A x = b. On entry x holds the initial guess, on return the
// last iterate. It stops when the monitored relative residual (see
// Settings.Tolerance and Side) is at most the tolerance. A non-converged
// solve returns a nil error and a Status other than Converged; a whole
// restart cycle that does not decrease the residual gives Stalled. The
// error is non-nil only for invalid input.
func (g *GMRES) Solve(x []float64, a Operator, b []float64, s *Settings) (Result, error) {
	if err := checkLengths(x, b); err != nil {
		return Result{}, err
	}
	if err := s.check(); err != nil {
		return Result{}, err
	}
	n := len(b)
	tol := s.tolerance()
	maxIter := s.maxIterations(10 * n)
	pre := s.preconditioner()
	left := s != nil && s.Side == Left && pre != nil
	m := 30
	if s != nil && s.Restart > 0 {
		m = s.Restart
	}
	m = min(m, n)
	g.v = grow(g.v, (m+1)*n)
	g.h = grow(g.h, (m+1)*m)
	g.cs, g.sn, g.g, g.y = grow(g.cs, m), grow(g.sn, m), grow(g.g, m+1), grow(g.y, m)
	g.w, g.z, g.work = grow(g.w, n), grow(g.z, n), grow(g.work, n)
	w, z := g.w, g.z
	basis := func(j int) []float64 { return g.v[j*n : (j+1)*n] }
	hcol := func(j int) []float64 { return g.h[j*(m+1) : (j+1)*(m+1)] }

	// The reference norm: ‖b‖, or ‖M⁻¹b‖ with left preconditioning.
	bnorm := norm(b)
	if left && bnorm != 0 {
		pre.Precondition(w, b)
		bnorm = norm(w)
	}
	if bnorm == 0 {
		for i := range x {
			x[i] = 0
		}
		return Result{Status: Converged}, nil
	}

	total := 0
	res := math.Inf(1)
	for {
		// r = b − Ax, preconditioned on the left if asked.
		r := basis(0)
		a.MulVec(w, x)
		for i, v := range b {
			w[i] = v - w[i]
		}
		if left {
			pre.Precondition(r, w)
		} else {
			copy(r, w)
		}
		beta := norm(r)
		prev := res
		res = beta / bnorm
		switch {
		case !isFinite(res):
			return Result{Status: Stalled, Iterations: total, Residual: res}, nil
		case res <= tol:
			return Result{Status: Converged, Iterations: total, Residual: res}, nil
		case total >= maxIter:
			return Result{Status: MaxIterationsReached, Iterations: total, Residual: res}, nil
		case res >= prev:
			return Result{Status: Stalled, Iterations: total, Residual: res}, nil
		}
		for i := range r {
			r[i] /= beta
		}
		for i := range g.g {
			g.g[i] = 0
		}
		g.g[0] = beta

		k := 0
		for k < m && total < maxIter {
			j := k
			vj := basis(j)
			vn := basis(j + 1)
			switch {
			case left:
				a.MulVec(w, vj)
				pre.Precondition(vn, w)
			case pre != nil:
				pre.Precondition(z, vj)
				a.MulVec(vn, z)
			default:
				a.MulVec(vn, vj)
			}
			hj := hcol(j)
			for i := 0; i <= j; i++ {
				vi := basis(i)
				hij := dot(vn, vi)
				hj[i] = hij
				axpy(vn, -hij, vi)
			}
			hnext := norm(vn)
			hj[j+1] = hnext
			// Apply the previous rotations to the new column, then make
			// the rotation that zeroes its subdiagonal entry.
			for i := 0; i < j; i++ {
				t := g.cs[i]*hj[i] + g.sn[i]*hj[i+1]
				hj[i+1] = -g.sn[i]*hj[i] + g.cs[i]*hj[i+1]
				hj[i] = t
			}
			d := math.Hypot(hj[j], hj[j+1])
			if d == 0 {
				// A singular projected matrix: no progress is possible in
				// this Krylov space.
				break
			}
			g.cs[j], g.sn[j] = hj[j]/d, hj[j+1]/d
			hj[j] = d
			hj[j+1] = 0
			g.g[j+1] = -g.sn[j] * g.g[j]
			g.g[j] *= g.cs[j]
			k++
			total++
			if math.Abs(g.g[j+1])/bnorm <= tol || hnext == 0 {
				break
			}
			for i := range vn {
				vn[i] /= hnext
			}
		}
		if k == 0 {
			return Result{Status: Stalled, Iterations: total, Residual: res}, nil
		}
		// Solve the k×k upper-triangular system H y = g and update x.
		y := g.y[:k]
		for i := k - 1; i >= 0; i-- {
			t := g.g[i]
			for l := i + 1; l < k; l++ {
				t -= hcol(l)[i] * y[l]
			}
			y[i] = t / hcol(i)[i]
		}
		update := g.work
		for i := range update {
			update[i] = 0
		}
		for i, yi := range y {
			axpy(update, yi, basis(i))
		}
		if pre != nil && !left {
			pre.Precondition(z, update)
			update = z
		}
		axpy(x, 1, update)
	}
}
