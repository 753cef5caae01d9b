package implicit

import (
	"github.com/neuralpde/neuralpde/operators/nonlinear"
	"github.com/neuralpde/neuralpde/operators/sparse"
)

// homotopy follows H(z, λ) = z − (1−λ)z₀ − λf(z) from z = z₀ at λ = 0 to
// the equilibrium at λ = 1 in HomotopySteps equal steps (Allgower and
// Georg 2003, ch. 2). Each step predicts along the tangent,
// ∂z/∂λ = (I − λ∂f/∂z)⁻¹(f(z) − z₀), solved by GMRES from JVPs to 1e-6,
// and corrects at the new λ by Newton–Krylov: loosely (1e-6, three steps)
// on the way, to the layer's tolerance at λ = 1. Iterations counts the
// predictor and corrector steps.
func (w *worker) homotopy(z, z0 []float64, s int, set *Settings, st *Stats) {
	dim := len(z)
	copy(z, z0)
	var lambda float64
	h := 1 / float64(set.HomotopySteps)
	tangent := sparse.OperatorFunc(func(dst, v []float64) {
		w.f.JVP(dst, z, v, s)
		w.evals++
		for i, vi := range v {
			dst[i] = vi - lambda*dst[i]
		}
	})
	lin := &sparse.Settings{Tolerance: 1e-6, MaxIterations: set.MaxLinearIterations, Restart: set.Restart}
	p := nonlinear.Problem{
		Dim: dim,
		F: func(dst, x []float64) {
			w.f.F(dst, x, s)
			w.evals++
			for i, xi := range x {
				dst[i] = xi - (1-lambda)*z0[i] - lambda*dst[i]
			}
		},
		JacVec: func(dst, x, v []float64) {
			w.f.JVP(dst, x, v, s)
			w.evals++
			for i, vi := range v {
				dst[i] = vi - lambda*dst[i]
			}
		},
	}
	for k := range set.HomotopySteps {
		lambda = float64(k) * h
		w.f.F(w.fz, z, s)
		w.evals++
		for i, v := range w.fz {
			w.rhs[i] = v - z0[i]
		}
		copy(w.t, w.rhs)
		res, err := w.gmres.Solve(w.t, tangent, w.rhs, lin)
		if err == nil && res.Status != sparse.Stalled {
			axpy(z, h, w.t)
		}
		st.Iterations++
		lambda = float64(k+1) * h
		if k < set.HomotopySteps-1 {
			var mid Stats
			w.newtonOn(z, p, 1e-6, 3, set, &mid)
			st.Iterations += mid.Iterations
		}
	}
	lambda = 1
	var last Stats
	w.newtonOn(z, p, w.absTol(z, s, set), set.MaxIterations, set, &last)
	st.Iterations += last.Iterations
	st.Residual, st.Converged = last.Residual, last.Converged
}
