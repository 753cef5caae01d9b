package train

import "github.com/neuralpde/neuralpde/nn"

// AMSGrad is the Adam variant of Reddi, Kale & Kumar (2018), "On the
// convergence of Adam and beyond", ICLR, Algorithm 2: it divides by the
// running maximum of the second-moment estimate, so the effective step
// never grows, which repairs Adam's non-convergence counterexample. Bias
// correction is kept as in Adam (v̂ = max v / (1 − β₂ᵗ)).
type AMSGrad struct {
	// LearningRate is η; zero means 1e-3.
	LearningRate float64
	// Beta1 is β₁; zero means 0.9.
	Beta1 float64
	// Beta2 is β₂; zero means 0.999.
	Beta2 float64
	// Epsilon is ε; zero means 1e-8.
	Epsilon float64

	a adaptive
}

var _ Optimizer = (*AMSGrad)(nil)

// Init implements Optimizer.
func (o *AMSGrad) Init(params []*nn.Param, _ Objective) error {
	o.a.lr = orDefault(o.LearningRate, 1e-3)
	o.a.b1 = orDefault(o.Beta1, 0.9)
	o.a.b2 = orDefault(o.Beta2, 0.999)
	o.a.eps = orDefault(o.Epsilon, 1e-8)
	o.a.wd = 0
	return o.a.init(kindAMSGrad, params)
}

// Step implements Optimizer.
func (o *AMSGrad) Step(s *Step) (Status, error) {
	o.a.step(s.Rates)
	return NotTerminated, nil
}

// State implements Stateful.
func (o *AMSGrad) State() map[string][]float64 {
	s := make(stateSet)
	o.a.state(s, "")
	return s
}

// SetState implements Stateful.
func (o *AMSGrad) SetState(state map[string][]float64) error { return o.a.setState(state, "") }
