package train

import "github.com/neuralpde/neuralpde/nn"

// AdamW is Adam with decoupled weight decay, Loshchilov & Hutter (2019),
// "Decoupled weight decay regularization", ICLR, Algorithm 2: each step
// first shrinks θ by the factor 1 − η·λ and then takes the Adam step, so
// the decay is not divided by the adaptive denominator as an L2 penalty in
// the loss would be.
type AdamW struct {
	// LearningRate is η; zero means 1e-3.
	LearningRate float64
	// Beta1 is β₁; zero means 0.9.
	Beta1 float64
	// Beta2 is β₂; zero means 0.999.
	Beta2 float64
	// Epsilon is ε; zero means 1e-8.
	Epsilon float64
	// WeightDecay is λ; zero means 0.01.
	WeightDecay float64

	a adaptive
}

var _ Optimizer = (*AdamW)(nil)

// Init implements Optimizer.
func (o *AdamW) Init(params []*nn.Param, _ Objective) error {
	o.a.lr = orDefault(o.LearningRate, 1e-3)
	o.a.b1 = orDefault(o.Beta1, 0.9)
	o.a.b2 = orDefault(o.Beta2, 0.999)
	o.a.eps = orDefault(o.Epsilon, 1e-8)
	o.a.wd = orDefault(o.WeightDecay, 0.01)
	return o.a.init(kindAdam, params)
}

// Step implements Optimizer.
func (o *AdamW) Step(s *Step) (Status, error) {
	o.a.step(s.Rates)
	return NotTerminated, nil
}

// State implements Stateful.
func (o *AdamW) State() map[string][]float64 {
	s := make(stateSet)
	o.a.state(s, "")
	return s
}

// SetState implements Stateful.
func (o *AdamW) SetState(state map[string][]float64) error { return o.a.setState(state, "") }
