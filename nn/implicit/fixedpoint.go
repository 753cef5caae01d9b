package implicit

// fixedPoint runs the damped Picard iteration z ← z + β(f(z) − z).
func (w *worker) fixedPoint(z []float64, s int, set *Settings, st *Stats) {
	g := w.g
	r := w.residual(g, z, s)
	for it := 0; ; it++ {
		st.Iterations, st.Residual = it, r
		if w.met(r, set) {
			st.Converged = true
			return
		}
		if it == set.MaxIterations || r != r {
			return
		}
		axpy(z, set.Damping, g)
		r = w.residual(g, z, s)
	}
}
