package train_test

import (
	"context"
	"fmt"

	"github.com/neuralpde/neuralpde/nn"
	"github.com/neuralpde/neuralpde/train"
	"gonum.org/v1/gonum/mat"
)

// scaledFit is ½‖D(θ − 1)‖² with D = diag(1, 10, 100): a least-squares
// problem whose Gauss–Newton matrix D² has condition number 10⁴.
type scaledFit struct{ theta *nn.Param }

var fitScales = []float64{1, 10, 100}

func (f scaledFit) Params() []*nn.Param      { return []*nn.Param{f.theta} }
func (f scaledFit) NumSamples() int          { return 3 }
func (f scaledFit) NumResiduals(_ []int) int { return 3 }

func (f scaledFit) Residuals(dst []float64, _ []int) ([]float64, error) {
	if dst == nil {
		dst = make([]float64, 3)
	}
	for i, v := range f.theta.Value {
		dst[i] = fitScales[i] * (v - 1)
	}
	return dst, nil
}

func (f scaledFit) Jacobian(dst *mat.Dense, _ []int) (*mat.Dense, error) {
	if dst == nil {
		dst = mat.NewDense(3, 3, nil)
	}
	for i, v := range fitScales {
		dst.Set(i, i, v)
	}
	return dst, nil
}

func (f scaledFit) Loss(_ []int) (float64, error) {
	var loss float64
	for i, v := range f.theta.Value {
		r := fitScales[i] * (v - 1)
		loss += r * r / 2
		f.theta.Grad[i] = fitScales[i] * r
	}
	return loss, nil
}

// Estimate the condition number of the Gauss–Newton matrix with and
// without a diagonal preconditioner, and train by gradient descent on the
// preconditioned gradient.
func ExampleEstimateSpectrum() {
	obj := scaledFit{nn.NewParam("theta", 3)}
	pre := &train.Diagonal{Scales: map[string][]float64{"theta": {1, 1e-2, 1e-4}}}
	plain, err := train.EstimateSpectrum(obj, nil, nil, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	scaled, err := train.EstimateSpectrum(obj, pre, nil, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("condition number %.0f, preconditioned %.0f\n", plain.Cond, scaled.Cond)
	res, err := train.Run(context.Background(), obj, &train.Config{Optimizer: &train.SGD{LearningRate: 1}, Preconditioner: pre, Steps: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("loss after one step: %.1g\n", res.Losses[1])
	// Output:
	// condition number 10000, preconditioned 1
	// loss after one step: 0
}
