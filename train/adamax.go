package train

import "github.com/neuralpde/neuralpde/nn"

// AdaMax is the infinity-norm variant of Adam, Kingma & Ba (2015), "Adam:
// A method for stochastic optimization", ICLR, Algorithm 2:
// u ← max(β₂u, |g| + ε), θ ← θ − η/(1−β₁ᵗ) · m/u. The paper has no ε;
// it is added to |g| inside the maximum, where PyTorch's Adamax puts it,
// so u stays positive and the two implementations agree to rounding.
type AdaMax struct {
	// LearningRate is η; zero means 2e-3, the paper's default.
	LearningRate float64
	// Beta1 is β₁; zero means 0.9.
	Beta1 float64
	// Beta2 is β₂; zero means 0.999.
	Beta2 float64
	// Epsilon is ε; zero means 1e-8.
	Epsilon float64

	a adaptive
}

var _ Optimizer = (*AdaMax)(nil)

// Init implements Optimizer.
func (o *AdaMax) Init(params []*nn.Param, _ Objective) error {
	o.a.lr = orDefault(o.LearningRate, 2e-3)
	o.a.b1 = orDefault(o.Beta1, 0.9)
	o.a.b2 = orDefault(o.Beta2, 0.999)
	o.a.eps = orDefault(o.Epsilon, 1e-8)
	o.a.wd = 0
	return o.a.init(kindAdaMax, params)
}

// Step implements Optimizer.
func (o *AdaMax) Step(s *Step) (Status, error) {
	o.a.step(s.Rates)
	return NotTerminated, nil
}

// State implements Stateful.
func (o *AdaMax) State() map[string][]float64 {
	s := make(stateSet)
	o.a.state(s, "")
	return s
}

// SetState implements Stateful.
func (o *AdaMax) SetState(state map[string][]float64) error { return o.a.setState(state, "") }
