package implicit

import (
	"math"

	"github.com/neuralpde/neuralpde/operators/nonlinear"
)

// newtonKrylov solves g(z) = f(z) − z = 0 by operators/nonlinear's
// Newton–Krylov method with the exact Jacobian–vector product
// (∂f/∂z − I)v, GMRES inner solves, Eisenstat–Walker forcing terms and a
// backtracking line search.
func (w *worker) newtonKrylov(z []float64, s int, set *Settings, st *Stats) {
	p := nonlinear.Problem{
		Dim: len(z),
		F: func(dst, x []float64) {
			w.f.F(dst, x, s)
			w.evals++
			axpy(dst, -1, x)
		},
		JacVec: func(dst, x, v []float64) {
			w.f.JVP(dst, x, v, s)
			w.evals++
			axpy(dst, -1, v)
		},
	}
	w.newtonOn(z, p, w.absTol(z, s, set), set.MaxIterations, set, st)
}

// absTol returns the absolute residual that the stopping test asks for at
// z: AbsTol + RelTol·‖f(z)‖₂, with ‖f‖ taken at the Newton start (it
// changes little along a converging Newton path). It costs one evaluation
// of f when RelTol is set.
func (w *worker) absTol(z []float64, s int, set *Settings) float64 {
	if set.RelTol == 0 {
		return set.AbsTol
	}
	w.residual(w.gt, z, s)
	return set.AbsTol + set.RelTol*w.fnorm
}

// newtonOn runs Newton–Krylov on p from z to ‖p.F(z)‖₂ ≤ abs and fills st
// (‖p.F(z)‖₂ is ‖f(z) − z‖₂ at λ = 1 for both users).
func (w *worker) newtonOn(z []float64, p nonlinear.Problem, abs float64, maxIter int, set *Settings, st *Stats) {
	res, err := nonlinear.NewtonKrylov(z, p, &nonlinear.Settings{
		AbsTol: abs,
		// nonlinear reads zero as its default; the smallest positive value
		// is "none" in effect.
		RelTol:              math.SmallestNonzeroFloat64,
		MaxIterations:       maxIter,
		Restart:             set.Restart,
		MaxLinearIterations: set.MaxLinearIterations,
	})
	st.Iterations += res.Iterations
	if err != nil || len(res.Residuals) == 0 {
		// Only a non-finite F(z₀) gets here: the solve did not start.
		st.Residual = math.NaN()
		st.Converged = false
		return
	}
	st.Residual = res.Residuals[len(res.Residuals)-1]
	st.Converged = res.Status == nonlinear.Converged
}
