package train

import (
	"fmt"
	"math"

	"github.com/neuralpde/neuralpde/nn"
)

// DampingUpdate selects how Levenberg–Marquardt adapts its damping λ.
type DampingUpdate int

const (
	// Nielsen is the update of Nielsen (1999), "Damping parameter in
	// Marquardt's method", IMM-REP-1999-05, DTU: after a step with gain
	// ratio ρ > 0, λ ← λ·max(1/3, 1 − (2ρ − 1)³) and ν ← 2; after a
	// rejected step λ ← λ·ν and ν ← 2ν.
	Nielsen DampingUpdate = iota
	// Marquardt is the update of Marquardt (1963), "An algorithm for
	// least-squares estimation of nonlinear parameters", SIAM J. Appl.
	// Math. 11: λ ← λ/10 after an accepted step, λ ← 10λ after a rejected
	// one.
	Marquardt
)

// LevenbergMarquardt minimises ½‖r(θ)‖² with steps solving
// (JᵀJ + λD) p = −Jᵀr (Levenberg 1944; Marquardt 1963), accepting a step
// when the gain ratio ρ = (f(θ) − f(θ+p)) / (m(0) − m(p)) of actual to
// model decrease is positive and adapting λ by the chosen DampingUpdate.
// D is the identity (Levenberg) or, with Scaled, diag(JᵀJ) with each entry
// the running maximum over steps as in Moré (1978), "The Levenberg–
// Marquardt algorithm: implementation and theory", LNM 630.
//
// The objective must implement LeastSquares. It needs full-batch training
// and the exact gradient, and ignores Step.Rates. A step that tries
// MaxTries values of λ without decreasing the loss reports Converged.
type LevenbergMarquardt struct {
	// Damping is the initial λ; zero means 1e-3.
	Damping float64
	// Update selects the damping update; the zero value is Nielsen.
	Update DampingUpdate
	// Scaled uses Marquardt's scaling D = diag(JᵀJ); false means D = I.
	Scaled bool
	// MaxTries bounds the trial steps per Step; zero means 30.
	MaxTries int
	// MatrixFree solves by conjugate gradients on products with J and Jᵀ
	// instead of factorising JᵀJ + λD; false means Cholesky, the better
	// choice while the parameter count P is small (P² memory).
	MatrixFree bool
	// CGTol is the relative residual at which CG stops; zero means 1e-10.
	CGTol float64
	// CGMaxIter bounds the CG iterations; zero means the parameter count.
	CGMaxIter int

	w          lsqWork
	lambda, nu float64
	d          []float64
}

var _ Optimizer = (*LevenbergMarquardt)(nil)

// Needs implements Needer.
func (o *LevenbergMarquardt) Needs() Needs { return Needs{FullBatch: true, ExactGradient: true} }

// Init implements Optimizer.
func (o *LevenbergMarquardt) Init(params []*nn.Param, obj Objective) error {
	if err := checkParams(params); err != nil {
		return err
	}
	ls, err := leastSquaresOf("LevenbergMarquardt", obj)
	if err != nil {
		return err
	}
	if o.Update != Nielsen && o.Update != Marquardt {
		return fmt.Errorf("train: unknown DampingUpdate %d; use Nielsen or Marquardt", o.Update)
	}
	o.w.init(ls, params)
	o.w.cg = o.MatrixFree
	o.w.cgTol = orDefault(o.CGTol, 1e-10)
	o.w.cgMax = orDefaultInt(o.CGMaxIter, nn.NumParams(params))
	o.lambda = orDefault(o.Damping, 1e-3)
	o.nu = 2
	o.d = make([]float64, nn.NumParams(params))
	if !o.Scaled {
		for i := range o.d {
			o.d[i] = 1
		}
	}
	return nil
}

// Step implements Optimizer.
func (o *LevenbergMarquardt) Step(s *Step) (Status, error) {
	f, err := o.w.linearize(s.Batch)
	if err != nil {
		return Failure, err
	}
	if norm(o.w.g) == 0 {
		return Converged, nil
	}
	if o.Scaled {
		for i, v := range o.w.colSq {
			o.d[i] = math.Max(o.d[i], v)
		}
		for i := range o.d {
			if o.d[i] == 0 {
				o.d[i] = 1
			}
		}
	}
	for try := 0; try < orDefaultInt(o.MaxTries, 30); try++ {
		if o.w.solve(o.lambda, o.d) {
			ft, err := o.w.trial(1, s.Batch)
			if err != nil {
				o.w.restore()
				return Failure, err
			}
			pred := o.w.predicted(1)
			if rho := (f - ft) / pred; pred > 0 && rho > 0 {
				o.accept(rho)
				return NotTerminated, nil
			}
			o.w.restore()
		}
		o.reject()
	}
	return Converged, nil
}

func (o *LevenbergMarquardt) accept(rho float64) {
	switch o.Update {
	case Nielsen:
		t := 2*rho - 1
		o.lambda *= math.Max(1.0/3, 1-t*t*t)
		o.nu = 2
	case Marquardt:
		o.lambda /= 10
	}
	o.lambda = math.Max(o.lambda, 1e-15)
}

func (o *LevenbergMarquardt) reject() {
	switch o.Update {
	case Nielsen:
		o.lambda *= o.nu
		o.nu *= 2
	case Marquardt:
		o.lambda *= 10
	}
	o.lambda = math.Min(o.lambda, 1e16)
}

// State implements Stateful.
func (o *LevenbergMarquardt) State() map[string][]float64 {
	st := make(stateSet)
	st.scalar("lambda", o.lambda)
	st.scalar("nu", o.nu)
	st["scale"] = o.d
	return st
}

// SetState implements Stateful.
func (o *LevenbergMarquardt) SetState(state map[string][]float64) error {
	var err error
	if o.lambda, err = stateScalar(state, "lambda"); err != nil {
		return err
	}
	if o.nu, err = stateScalar(state, "nu"); err != nil {
		return err
	}
	return stateInto(o.d, state, "scale")
}
