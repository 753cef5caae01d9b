package train

import "github.com/neuralpde/neuralpde/nn"

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
