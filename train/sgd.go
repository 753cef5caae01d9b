package train

import "github.com/neuralpde/neuralpde/nn"

// SGD is stochastic gradient descent with optional heavy-ball or Nesterov
// momentum, in the form of Sutskever, Martens, Dahl & Hinton (2013), "On
// the importance of initialization and momentum in deep learning", ICML:
//
//	v ← μ v + g,  θ ← θ − η v          (heavy ball)
//	v ← μ v + g,  θ ← θ − η (g + μ v)  (Nesterov)
type SGD struct {
	// LearningRate is η; zero means 0.01.
	LearningRate float64
	// Momentum is μ; zero means plain gradient descent.
	Momentum float64
	// Nesterov selects Nesterov momentum; false means heavy ball.
	Nesterov bool

	params []*nn.Param
	v      [][]float64
}

var _ Optimizer = (*SGD)(nil)

// Init implements Optimizer.
func (o *SGD) Init(params []*nn.Param, _ Objective) error {
	if err := checkParams(params); err != nil {
		return err
	}
	o.params = params
	o.v = make([][]float64, len(params))
	for i, p := range params {
		o.v[i] = make([]float64, p.Len())
	}
	return nil
}

// Step implements Optimizer.
func (o *SGD) Step(s *Step) (Status, error) {
	lr := orDefault(o.LearningRate, 0.01)
	mu := o.Momentum
	for i, p := range o.params {
		eta := lr * s.Rates[i]
		v := o.v[i]
		for j, g := range p.Grad {
			if mu == 0 {
				p.Value[j] -= eta * g
				continue
			}
			v[j] = mu*v[j] + g
			if o.Nesterov {
				p.Value[j] -= eta * (g + mu*v[j])
			} else {
				p.Value[j] -= eta * v[j]
			}
		}
	}
	return NotTerminated, nil
}

// State implements Stateful.
func (o *SGD) State() map[string][]float64 {
	s := make(stateSet)
	for i, p := range o.params {
		s["v:"+p.Name] = o.v[i]
	}
	return s
}

// SetState implements Stateful.
func (o *SGD) SetState(state map[string][]float64) error {
	for i, p := range o.params {
		if err := stateInto(o.v[i], state, "v:"+p.Name); err != nil {
			return err
		}
	}
	return nil
}
