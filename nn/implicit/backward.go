package implicit

import (
	"math"

	"github.com/neuralpde/neuralpde/operators/sparse"
)

// backward finds w for sample s with equilibrium z and upstream gradient
// u = ∂L/∂z*, then adds (∂f/∂θ)ᵀw through ParamVJP.
//
// Exact: by the implicit function theorem dz*/dθ = (I − J)⁻¹∂f/∂θ with
// J = ∂f/∂z at z*, so ∂L/∂θ = (∂f/∂θ)ᵀw with (I − J)ᵀw = u (Bai et al.
// 2019, Theorem 1), solved by GMRES with the operator v ↦ v − Jᵀv from
// VJPs, started from w = u.
//
// Phantom (APPROXIMATE): w = τ Σ_{k<K} (τJᵀ + (1−τ)I)ᵏ u (Geng et al.
// 2021, the Neumann-series phantom gradient), which tends to the exact w
// as K → ∞ when the spectral radius of J is below one.
func (w *worker) backward(z, u []float64, s int, set *Settings, st *BackwardStats) {
	dim := len(z)
	w.d, w.t, w.rhs = grow(w.d, dim), grow(w.t, dim), grow(w.rhs, dim)
	x := w.d
	switch set.Backward {
	case Exact:
		op := sparse.OperatorFunc(func(dst, v []float64) {
			w.f.VJP(dst, z, v, s)
			for i, vi := range v {
				dst[i] = vi - dst[i]
			}
		})
		copy(x, u)
		res, err := w.gmres.Solve(x, op, u, &sparse.Settings{
			Tolerance:     set.BackwardTol,
			MaxIterations: set.MaxLinearIterations,
			Restart:       set.Restart,
		})
		st.Iterations, st.Residual = res.Iterations, res.Residual
		st.Converged = err == nil && res.Status == sparse.Converged
	case Phantom:
		tau := set.PhantomDamping
		p, q := w.t, w.rhs
		copy(p, u)
		copy(x, u)
		for range set.PhantomTerms - 1 {
			w.f.VJP(q, z, p, s)
			for i := range p {
				p[i] = tau*q[i] + (1-tau)*p[i]
			}
			axpy(x, 1, p)
		}
		for i := range x {
			x[i] *= tau
		}
		st.Iterations, st.Residual, st.Converged = set.PhantomTerms, math.NaN(), true
	}
	w.f.ParamVJP(z, x, s)
}
