package train

import (
	"math"

	"github.com/neuralpde/neuralpde/nn"
)

// Polyak is gradient descent with the step size of Polyak (1969),
// "Minimization of unsmooth functionals", USSR Comput. Math. Math. Phys. 9:
//
//	θ ← θ − γ (f(θ) − f*) / ‖g‖² · g,
//
// which needs the optimal value f*. Losses in this project are sums of
// squares, so f* defaults to 0. With Estimate, f* is replaced by the
// target level f_best − δ of the dynamic step size with estimated optimal
// value (Nedić & Bertsekas (2001), "Convergence rate of incremental
// subgradient algorithms"; Goffin & Kiwiel (1999), "Convergence of a
// simple subgradient level method", Math. Program. 85): δ grows by the
// factor 1.5 after a step that gains at least δ/2 over the best loss so
// far and halves otherwise. (Requiring the full δ, as for nonsmooth
// losses, fails on smooth ones by the curvature term and drives δ to 0.)
//
// The step is multiplied by Step.Rates per parameter.
type Polyak struct {
	// FStar is the known optimal loss f*; zero means 0. It is ignored
	// with Estimate.
	FStar float64
	// Estimate estimates f* online by the target-level rule.
	Estimate bool
	// Gamma is γ, in (0, 2) for convergence; zero means 1.
	Gamma float64
	// MaxStep caps the step's Euclidean length; zero means no cap.
	MaxStep float64

	params             []*nn.Param
	best, delta, level float64
	started            bool
}

var _ Optimizer = (*Polyak)(nil)

// Init implements Optimizer.
func (o *Polyak) Init(params []*nn.Param, _ Objective) error {
	if err := checkParams(params); err != nil {
		return err
	}
	o.params = params
	o.started = false
	o.best, o.delta, o.level = 0, 0, 0
	return nil
}

// Step implements Optimizer.
func (o *Polyak) Step(s *Step) (Status, error) {
	f := s.Loss
	target := o.FStar
	if o.Estimate {
		switch {
		case !o.started:
			o.best, o.delta = f, 0.5*math.Abs(f)
		case f <= o.best-o.delta/2:
			o.delta *= 1.5
		default:
			o.delta *= 0.5
		}
		o.started = true
		o.best = math.Min(o.best, f)
		o.level = o.best - o.delta
		target = o.level
	}
	gn := gradNorm(o.params)
	if gn == 0 {
		return Converged, nil
	}
	if f <= target {
		if o.Estimate {
			return NotTerminated, nil
		}
		return Converged, nil
	}
	alpha := orDefault(o.Gamma, 1) * (f - target) / (gn * gn)
	if o.MaxStep > 0 {
		alpha = math.Min(alpha, o.MaxStep/gn)
	}
	for i, p := range o.params {
		a := alpha * s.Rates[i]
		for j, g := range p.Grad {
			p.Value[j] -= a * g
		}
	}
	return NotTerminated, nil
}

// State implements Stateful.
func (o *Polyak) State() map[string][]float64 {
	st := make(stateSet)
	started := 0.0
	if o.started {
		started = 1
	}
	st.scalar("started", started)
	st.scalar("best", o.best)
	st.scalar("delta", o.delta)
	st.scalar("level", o.level)
	return st
}

// SetState implements Stateful.
func (o *Polyak) SetState(state map[string][]float64) error {
	vals := make([]float64, 4)
	for i, k := range []string{"started", "best", "delta", "level"} {
		v, err := stateScalar(state, k)
		if err != nil {
			return err
		}
		vals[i] = v
	}
	o.started, o.best, o.delta, o.level = vals[0] == 1, vals[1], vals[2], vals[3]
	return nil
}
