package train

import (
	"math"

	"github.com/neuralpde/neuralpde/nn"
)

// GaussNewton minimises ½‖r(θ)‖² by solving the Gauss–Newton equations
// JᵀJ p = −Jᵀr (Nocedal & Wright 2006, Numerical Optimization, §10.3) and
// backtracking along p until the Armijo condition holds. A small ridge
// keeps JᵀJ invertible when the model has more parameters than residuals;
// it is raised by factors of 100 when the Cholesky factorisation fails.
//
// The objective must implement LeastSquares. It needs full-batch
// training and the exact gradient, and ignores Step.Rates.
type GaussNewton struct {
	// Ridge is the relative ridge: JᵀJ + Ridge·mean(diag JᵀJ)·I is
	// factorised; zero means 1e-12.
	Ridge float64
	// MatrixFree solves by conjugate gradients on products with J and Jᵀ
	// instead of forming and factorising JᵀJ; false means Cholesky, the
	// better choice while the parameter count P is small (P² memory).
	MatrixFree bool
	// CGTol is the relative residual at which CG stops; zero means 1e-10.
	CGTol float64
	// CGMaxIter bounds the CG iterations; zero means the parameter count.
	CGMaxIter int

	w    lsqWork
	ones []float64
}

var _ Optimizer = (*GaussNewton)(nil)

// Needs implements Needer.
func (o *GaussNewton) Needs() Needs { return Needs{FullBatch: true, ExactGradient: true} }

// Init implements Optimizer.
func (o *GaussNewton) Init(params []*nn.Param, obj Objective) error {
	if err := checkParams(params); err != nil {
		return err
	}
	ls, err := leastSquaresOf("GaussNewton", obj)
	if err != nil {
		return err
	}
	o.w.init(ls, params)
	o.w.cg = o.MatrixFree
	o.w.cgTol = orDefault(o.CGTol, 1e-10)
	o.w.cgMax = orDefaultInt(o.CGMaxIter, nn.NumParams(params))
	o.ones = make([]float64, nn.NumParams(params))
	for i := range o.ones {
		o.ones[i] = 1
	}
	return nil
}

// Step implements Optimizer.
func (o *GaussNewton) Step(s *Step) (Status, error) {
	f, err := o.w.linearize(s.Batch)
	if err != nil {
		return Failure, err
	}
	var mean float64
	for _, v := range o.w.colSq {
		mean += v
	}
	mean /= float64(len(o.w.colSq))
	if mean == 0 || norm(o.w.g) == 0 {
		return Converged, nil
	}
	ridge := orDefault(o.Ridge, 1e-12) * mean
	for !o.w.solve(ridge, o.ones) {
		ridge *= 100
		if ridge > 1e6*mean {
			return Converged, nil
		}
	}
	slope := dot(o.w.g, o.w.p)
	if !(slope < 0) {
		return Converged, nil
	}
	// Backtracking (Nocedal & Wright Algorithm 3.1) with c = 1e-4.
	for alpha := 1.0; alpha > 1e-10; alpha /= 2 {
		ft, err := o.w.trial(alpha, s.Batch)
		if err != nil {
			o.w.restore()
			return Failure, err
		}
		if ft <= f+1e-4*alpha*slope && !math.IsInf(ft, 0) {
			return NotTerminated, nil
		}
	}
	o.w.restore()
	return Converged, nil
}

// State implements Stateful; Gauss–Newton keeps no state between steps.
func (o *GaussNewton) State() map[string][]float64 { return map[string][]float64{} }

// SetState implements Stateful.
func (o *GaussNewton) SetState(map[string][]float64) error { return nil }
