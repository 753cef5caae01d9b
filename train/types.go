package train

import (
	"fmt"

	"github.com/neuralpde/neuralpde/nn"
)

// Status says why a run or an optimizer step stopped.
type Status int

const (
	// NotTerminated means the run continues; an optimizer's Step returns it
	// after a normal step.
	NotTerminated Status = iota
	// StepLimit means the configured number of steps (or epochs) ran.
	StepLimit
	// TargetReached means the training loss fell to Config.TargetLoss.
	TargetReached
	// Converged means the optimizer can make no further progress: the
	// gradient vanished or no trial step decreased the loss.
	Converged
	// EarlyStopped means the monitored loss did not improve for
	// Config.Patience evaluations.
	EarlyStopped
	// Canceled means the context was canceled (Ctrl-C); a checkpoint was
	// written if one was configured.
	Canceled
	// NonFinite means the loss or its gradient became NaN or ±Inf; the
	// last checkpoint on disk is the last good state.
	NonFinite
	// Failure means an error stopped the run.
	Failure
)

var statusNames = [...]string{"NotTerminated", "StepLimit", "TargetReached", "Converged", "EarlyStopped", "Canceled", "NonFinite", "Failure"}

func (s Status) String() string {
	if s < 0 || int(s) >= len(statusNames) {
		return fmt.Sprintf("Status(%d)", int(s))
	}
	return statusNames[s]
}

// Optimizer updates parameters in place, one step at a time. The training
// loop evaluates the loss and gradient once at the start of each step and
// hands them over in a Step; first-order methods use that gradient alone,
// while line-search and second-order methods re-evaluate the loss through
// Step.Evaluate or find extra abilities (LeastSquares, HessianVector) on
// Step.Objective by type assertion. The loop does not know which kind it
// drives.
type Optimizer interface {
	// Init prepares the optimizer's state for params, the trainable
	// parameters of obj, and resets any state from an earlier run. An
	// optimizer that needs an ability obj lacks (a residual Jacobian, say)
	// returns an error naming it here.
	Init(params []*nn.Param, obj Objective) error
	// Step updates the values of s.Params. It returns NotTerminated after
	// a normal step, or the Status that ends the run (Converged when it
	// can make no further progress).
	Step(s *Step) (Status, error)
}

// Step is one optimizer step's view of the problem.
type Step struct {
	// Params are the trainable parameters, the same slice given to Init.
	// On entry their Grad holds the gradient at their current Value on
	// Batch, after the loop's preconditioner and gradient clipping.
	Params []*nn.Param
	// Objective is the objective being minimised (with the loop's weight
	// decay folded in), for type assertions to LeastSquares and
	// HessianVector.
	Objective Objective
	// Batch holds the sample indices of this step (nil means all).
	Batch []int
	// Loss is the loss at the current Value on Batch.
	Loss float64
	// Count is the number of steps taken before this one.
	Count int
	// Rates holds one learning-rate multiplier per parameter: the
	// schedule's factor times the parameter group's multiplier. Methods
	// with a learning rate multiply it by Rates[i]; methods that choose
	// their own step length (line searches, Gauss–Newton,
	// Levenberg–Marquardt, Newton) ignore it, as their documentation says.
	Rates []float64

	eval  func() (float64, error)
	fresh bool
	next  float64
}

// Evaluate evaluates the loss at the current Value of Params on Batch,
// writes its exact gradient (no preconditioner, no clipping) into each
// Param's Grad, and returns the loss.
func (s *Step) Evaluate() (float64, error) {
	s.fresh = false
	return s.eval()
}

// Fresh tells the loop that each Param's Grad holds the exact gradient at
// its current Value on Batch and that loss is the loss there, as left by
// the last call to Evaluate. With full-batch training the loop then skips
// evaluating the same point again at the start of the next step.
func (s *Step) Fresh(loss float64) {
	s.fresh = true
	s.next = loss
}

// Stateful is implemented by optimizers and schedules whose state a
// checkpoint stores, so that a resumed run continues exactly as an
// uninterrupted one would.
type Stateful interface {
	// State returns the state as named flat arrays, scalars as arrays of
	// length one. The arrays may alias the receiver's storage and are read
	// before the next step.
	State() map[string][]float64
	// SetState restores state returned by State. Optimizers are
	// initialised with Init first.
	SetState(state map[string][]float64) error
}

// Needs says what an optimizer requires of the training loop.
type Needs struct {
	// FullBatch means the loss must be the same function at every step
	// (curvature pairs, line searches and trust regions compare losses
	// across steps), so mini-batches are refused.
	FullBatch bool
	// ExactGradient means the gradient must be the exact gradient of the
	// loss, so a Preconditioner or gradient clipping is refused.
	ExactGradient bool
}

// Needer is implemented by optimizers with requirements on the loop.
type Needer interface {
	Needs() Needs
}

// HessianVector is an Objective that can multiply the Hessian of its loss
// by a vector, which the Newton method uses instead of differencing
// gradients.
type HessianVector interface {
	Objective
	// HessVec writes H·v on batch (nil means all) into dst (nil
	// allocates) and returns it. v and dst are laid out like a Jacobian
	// row: parameters in the order of Params, each row-major.
	HessVec(dst, v []float64, batch []int) ([]float64, error)
}

// Preconditioner transforms the gradient before the optimizer sees it:
// the loop calls Precondition after evaluating the loss, and the
// optimizer then reads the preconditioned gradient from each Param's Grad.
// The identity is the default (no Preconditioner).
type Preconditioner interface {
	// Precondition overwrites the Grad of params (the trainable
	// parameters) with the preconditioned gradient for the samples in
	// batch (nil means all).
	Precondition(params []*nn.Param, batch []int) error
}
