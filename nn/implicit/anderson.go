package implicit

import "math"

// anderson runs Anderson acceleration of z ← f(z) in the difference form
// of Walker and Ni (2011, §3): with gₖ = f(zₖ) − zₖ and the last m
// differences ΔZ = [zᵢ₊₁ − zᵢ], ΔG = [gᵢ₊₁ − gᵢ], γ minimises
// ‖gₖ − ΔG γ‖₂ and zₖ₊₁ = zₖ + βgₖ − (ΔZ + βΔG)γ. The small least-squares
// problem is solved by its normal equations with a relative ridge of
// 1e-12 (Cholesky; a failed factorisation clears the history, which
// restarts the method from a damped Picard step).
func (w *worker) anderson(z []float64, s int, set *Settings, st *Stats) {
	dim, m, beta := len(z), set.Memory, set.Damping
	w.dz, w.dg = grow(w.dz, m*dim), grow(w.dg, m*dim)
	w.small, w.coef = grow(w.small, m*m), grow(w.coef, m)
	col := func(a []float64, i int) []float64 { return a[i*dim : (i+1)*dim] }
	g, zPrev, gPrev := w.g, w.zt, w.gt
	stored, next := 0, 0
	r := w.residual(g, z, s)
	for it := 0; ; it++ {
		st.Iterations, st.Residual = it, r
		if w.met(r, set) {
			st.Converged = true
			return
		}
		if it == set.MaxIterations || math.IsNaN(r) {
			return
		}
		if it > 0 {
			dzc, dgc := col(w.dz, next), col(w.dg, next)
			for i := range dzc {
				dzc[i] = z[i] - zPrev[i]
				dgc[i] = g[i] - gPrev[i]
			}
			next = (next + 1) % m
			stored = min(stored+1, m)
		}
		copy(zPrev, z)
		copy(gPrev, g)
		axpy(z, beta, g)
		if stored > 0 && w.andersonCoefficients(stored, dim, g) {
			for j := range stored {
				c := w.coef[j]
				axpy(z, -c, col(w.dz, j))
				axpy(z, -beta*c, col(w.dg, j))
			}
		} else if stored > 0 {
			stored, next = 0, 0
		}
		r = w.residual(g, z, s)
	}
}

// andersonCoefficients solves (ΔGᵀΔG + εI)γ = ΔGᵀg for the k stored
// columns into w.coef, and reports whether the Cholesky factorisation
// succeeded.
func (w *worker) andersonCoefficients(k, dim int, g []float64) bool {
	a, c := w.small[:k*k], w.coef[:k]
	col := func(i int) []float64 { return w.dg[i*dim : (i+1)*dim] }
	var trace float64
	for i := range k {
		for j := 0; j <= i; j++ {
			v := dot(col(i), col(j))
			a[i*k+j], a[j*k+i] = v, v
		}
		trace += a[i*k+i]
		c[i] = dot(col(i), g)
	}
	ridge := 1e-12 * trace / float64(k)
	for i := range k {
		a[i*k+i] += ridge
	}
	// Cholesky a = LLᵀ in the lower triangle, then two triangular solves.
	for j := range k {
		d := a[j*k+j]
		for p := range j {
			d -= a[j*k+p] * a[j*k+p]
		}
		if !(d > 0) {
			return false
		}
		d = math.Sqrt(d)
		a[j*k+j] = d
		for i := j + 1; i < k; i++ {
			v := a[i*k+j]
			for p := range j {
				v -= a[i*k+p] * a[j*k+p]
			}
			a[i*k+j] = v / d
		}
	}
	for i := range k {
		v := c[i]
		for p := range i {
			v -= a[i*k+p] * c[p]
		}
		c[i] = v / a[i*k+i]
	}
	for i := k - 1; i >= 0; i-- {
		v := c[i]
		for p := i + 1; p < k; p++ {
			v -= a[p*k+i] * c[p]
		}
		c[i] = v / a[i*k+i]
	}
	return true
}
