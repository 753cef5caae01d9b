package deeponet

import (
	"fmt"

	"github.com/neuralpde/neuralpde/nn"
)

// ReLU is max(0, z), the activation of the DeepONet paper's data-driven
// experiments (Lu et al. 2021, §3), which nn does not provide because its
// second derivative vanishes almost everywhere (useless for residuals).
// Its derivatives are those of the two linear pieces (σ'(0) = 0).
var ReLU nn.Activation = reluAct{}

type reluAct struct{}

func (reluAct) Name() string { return "relu" }

func (reluAct) Aux(dst, z []float64) {}

func (reluAct) Deriv(dst, z, _ []float64, k int) {
	switch k {
	case 0:
		for i, v := range z[:len(dst)] {
			dst[i] = max(v, 0)
		}
	case 1:
		for i, v := range z[:len(dst)] {
			if v > 0 {
				dst[i] = 1
			} else {
				dst[i] = 0
			}
		}
	default:
		if k < 0 || k > nn.MaxDeriv {
			panic(fmt.Sprintf("deeponet: relu derivative of order %d requested", k))
		}
		clear(dst)
	}
}

// activationByName is nn.ActivationByName extended by relu.
func activationByName(name string) (nn.Activation, error) {
	if name == "relu" {
		return ReLU, nil
	}
	return nn.ActivationByName(name)
}
