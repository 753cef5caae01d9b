package train

import "github.com/neuralpde/neuralpde/nn"

// Adam is the method of Kingma & Ba (2015), "Adam: A method for stochastic
// optimization", ICLR, Algorithm 1: bias-corrected running means of the
// gradient and of its square, θ ← θ − η m̂ / (√v̂ + ε).
type Adam struct {
	// LearningRate is η; zero means 1e-3.
	LearningRate float64
	// Beta1 is the first-moment decay β₁; zero means 0.9.
	Beta1 float64
	// Beta2 is the second-moment decay β₂; zero means 0.999.
	Beta2 float64
	// Epsilon is ε; zero means 1e-8.
	Epsilon float64

	a adaptive
}

var _ Optimizer = (*Adam)(nil)

// Init implements Optimizer.
func (o *Adam) Init(params []*nn.Param, _ Objective) error {
	o.a.lr = orDefault(o.LearningRate, 1e-3)
	o.a.b1 = orDefault(o.Beta1, 0.9)
	o.a.b2 = orDefault(o.Beta2, 0.999)
	o.a.eps = orDefault(o.Epsilon, 1e-8)
	o.a.wd = 0
	return o.a.init(kindAdam, params)
}

// Step implements Optimizer.
func (o *Adam) Step(s *Step) (Status, error) {
	o.a.step(s.Rates)
	return NotTerminated, nil
}

// State implements Stateful.
func (o *Adam) State() map[string][]float64 {
	s := make(stateSet)
	o.a.state(s, "")
	return s
}

// SetState implements Stateful.
func (o *Adam) SetState(state map[string][]float64) error { return o.a.setState(state, "") }
