package train_test

import (
	"context"
	"fmt"
	"math"

	"github.com/neuralpde/neuralpde/nn"
	"github.com/neuralpde/neuralpde/train"
	"gonum.org/v1/gonum/mat"
)

// decay fits y = a·exp(−b·t) to samples: a least-squares objective with
// residuals rᵢ = a·exp(−b tᵢ) − yᵢ over one parameter θ = (a, b).
type decay struct {
	theta *nn.Param
	t, y  []float64
}

func (d *decay) Params() []*nn.Param { return []*nn.Param{d.theta} }
func (d *decay) NumSamples() int     { return len(d.t) }

func (d *decay) NumResiduals(batch []int) int { return len(d.indices(batch)) }

func (d *decay) indices(batch []int) []int {
	if batch != nil {
		return batch
	}
	all := make([]int, len(d.t))
	for i := range all {
		all[i] = i
	}
	return all
}

func (d *decay) Residuals(dst []float64, batch []int) ([]float64, error) {
	idx := d.indices(batch)
	if dst == nil {
		dst = make([]float64, len(idx))
	}
	a, b := d.theta.Value[0], d.theta.Value[1]
	for k, i := range idx {
		dst[k] = a*math.Exp(-b*d.t[i]) - d.y[i]
	}
	return dst, nil
}

func (d *decay) Jacobian(dst *mat.Dense, batch []int) (*mat.Dense, error) {
	idx := d.indices(batch)
	if dst == nil {
		dst = mat.NewDense(len(idx), 2, nil)
	}
	a, b := d.theta.Value[0], d.theta.Value[1]
	for k, i := range idx {
		e := math.Exp(-b * d.t[i])
		dst.Set(k, 0, e)
		dst.Set(k, 1, -a*d.t[i]*e)
	}
	return dst, nil
}

func (d *decay) Loss(batch []int) (float64, error) {
	r, _ := d.Residuals(nil, batch)
	J, _ := d.Jacobian(nil, batch)
	var f float64
	d.theta.Grad[0], d.theta.Grad[1] = 0, 0
	for k, v := range r {
		f += 0.5 * v * v
		d.theta.Grad[0] += J.At(k, 0) * v
		d.theta.Grad[1] += J.At(k, 1) * v
	}
	return f, nil
}

func ExampleRun() {
	d := &decay{theta: nn.NewParam("theta", 2)}
	d.theta.Value[0], d.theta.Value[1] = 1, 0.1
	for i := 0; i < 20; i++ {
		t := 0.25 * float64(i)
		d.t = append(d.t, t)
		d.y = append(d.y, 3*math.Exp(-0.7*t))
	}
	for _, opt := range []train.Optimizer{&train.LevenbergMarquardt{}, &train.LBFGS{}, &train.Adam{LearningRate: 0.05}} {
		d.theta.Value[0], d.theta.Value[1] = 1, 0.1
		res, err := train.Run(context.Background(), d, &train.Config{Optimizer: opt, Steps: 5000, TargetLoss: 1e-20})
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%-26T %v after %d steps: a = %.6f, b = %.6f\n", opt, res.Status, res.Steps, d.theta.Value[0], d.theta.Value[1])
	}
	// Output:
	// *train.LevenbergMarquardt  TargetReached after 5 steps: a = 3.000000, b = 0.700000
	// *train.LBFGS               TargetReached after 13 steps: a = 3.000000, b = 0.700000
	// *train.Adam                TargetReached after 405 steps: a = 3.000000, b = 0.700000
}
