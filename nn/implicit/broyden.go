package implicit

import "math"

// broyden solves g(z) = f(z) − z = 0 by Broyden's good method in inverse
// form (Broyden 1965; Kelley 1995, §7.3): B ≈ (∂g/∂z)⁻¹ starts at −I (the
// inverse Jacobian of g for f ≡ const) and after each step s with change y
// in g takes the rank-one update B ← B + (s − By)(sᵀB)/(sᵀBy), which keeps
// sᵀB unchanged in directions orthogonal to s. B = −I + Σᵢ uᵢvᵢᵀ is held
// as the last Memory pairs (uᵢ, vᵢ), the oldest dropped first, as in Bai et
// al.'s DEQ code. A step that does not decrease ‖g‖ is halved up to
// eight times; failing that, the memory is cleared and the Picard step
// z + g is taken.
func (w *worker) broyden(z []float64, s int, set *Settings, st *Stats) {
	dim, m := len(z), set.Memory
	w.us, w.vs = grow(w.us, m*dim), grow(w.vs, m*dim)
	u := func(i int) []float64 { return w.us[i*dim : (i+1)*dim] }
	v := func(i int) []float64 { return w.vs[i*dim : (i+1)*dim] }
	stored, next := 0, 0
	skip := -1 // a pair left out of B: the oldest, about to be replaced
	// applyB writes B·x (or Bᵀ·x) into dst.
	applyB := func(dst, x []float64, trans bool) {
		for i, xi := range x {
			dst[i] = -xi
		}
		for i := range stored {
			if i == skip {
				continue
			}
			a, b := u(i), v(i)
			if trans {
				a, b = b, a
			}
			axpy(dst, dot(b, x), a)
		}
	}
	g, d, zt, gt := w.g, w.d, w.zt, w.gt
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
		applyB(d, g, false)
		for i := range d {
			d[i] = -d[i]
		}
		step := 1.0
		var rt float64
		accepted := false
		for range 9 {
			for i := range zt {
				zt[i] = z[i] + step*d[i]
			}
			rt = w.residual(gt, zt, s)
			if rt < r {
				accepted = true
				break
			}
			step /= 2
		}
		if !accepted {
			stored, next = 0, 0
			for i := range zt {
				zt[i] = z[i] + g[i]
			}
			rt = w.residual(gt, zt, s)
		}
		// s = zt − z into d, y = gt − g into g (g is replaced below).
		for i := range d {
			d[i] = zt[i] - z[i]
			g[i] = gt[i] - g[i]
		}
		// With full memory the oldest pair is dropped before the update.
		skip = -1
		if stored == m {
			skip = next
		}
		by := w.t
		applyB(by, g, false)
		sBy := dot(d, by)
		if math.Abs(sBy) > 1e-30*norm(d)*norm(by) && sBy != 0 {
			un, vn := u(next), v(next)
			applyB(vn, d, true) // uses the pairs before this update
			for i := range un {
				un[i] = (d[i] - by[i]) / sBy
			}
			next = (next + 1) % m
			stored = min(stored+1, m)
		}
		skip = -1
		copy(z, zt)
		copy(g, gt)
		r = rt
	}
}
