package train

import (
	"github.com/neuralpde/neuralpde/nn"
	"gonum.org/v1/gonum/mat"
)

// Objective is what the training loop minimises: a loss over NumSamples
// training samples with respect to the parameters Params. Every model family
// (PINN, DeepONet, FNO, neural spectral) and every test problem implements
// it; optimizers see nothing else.
type Objective interface {
	// Params returns the trainable parameters. The slice and the Params in
	// it stay the same for the Objective's life; optimizers update Value in
	// place.
	Params() []*nn.Param
	// NumSamples is the number of training samples that batches index.
	NumSamples() int
	// Loss evaluates the loss on the samples whose indices are in batch (nil
	// means all of them) and writes its gradient into each Param's Grad.
	Loss(batch []int) (float64, error)
}

// LossEvaluator is an Objective that can also evaluate its loss without
// the gradient (forward passes alone, every Param.Grad left as it is). The
// loop evaluates Config.Eval through LossOnly when it has one.
type LossEvaluator interface {
	Objective
	// LossOnly returns Loss(batch) without computing or writing the
	// gradient.
	LossOnly(batch []int) (float64, error)
}

// forwardLoss returns obj's loss on batch through LossOnly when obj is a
// LossEvaluator, else through Loss (which also writes the gradients).
func forwardLoss(obj Objective, batch []int) (float64, error) {
	if e, ok := obj.(LossEvaluator); ok {
		return e.LossOnly(batch)
	}
	return obj.Loss(batch)
}

// LeastSquares is an Objective whose loss is ½‖r(θ)‖² for a residual vector
// r. Gauss–Newton and Levenberg–Marquardt need it (others see only the
// Objective); an objective that does not implement it gets a clear error
// from those optimizers. Loss must return exactly ½‖r‖², so weights and
// means are folded into r (a mean-square loss scales each residual by
// 1/√n).
type LeastSquares interface {
	Objective
	// NumResiduals is the length of r on the given batch (nil means all).
	NumResiduals(batch []int) int
	// Residuals writes r(θ) on batch into dst (nil allocates) and returns it.
	Residuals(dst []float64, batch []int) ([]float64, error)
	// Jacobian writes ∂r/∂θ on batch into dst (nil allocates): one row per
	// residual, one column per scalar parameter, parameters in the order of
	// Params and each in row-major order.
	Jacobian(dst *mat.Dense, batch []int) (*mat.Dense, error)
}
