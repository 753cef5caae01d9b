package train

import (
	"fmt"
	"math"
)

// Schedule gives the learning-rate multiplier of each step. Optimizers
// with a learning rate multiply it by the factor (through Step.Rates).
type Schedule interface {
	// Rate returns the multiplier at step (0-based).
	Rate(step int) float64
}

// Observer is implemented by schedules that adapt to the loss, such as
// Plateau. The loop calls Observe with each monitored loss: the
// evaluation loss when Config.Eval is set, else the training loss, at
// every evaluation.
type Observer interface {
	Observe(loss float64)
}

// Constant is the schedule with factor 1 at every step.
type Constant struct{}

// Rate implements Schedule.
func (Constant) Rate(int) float64 { return 1 }

// StepDecay multiplies the rate by Gamma every Every steps.
type StepDecay struct {
	// Every is the number of steps between decays; zero means 1000.
	Every int
	// Gamma is the decay factor; zero means 0.1.
	Gamma float64
}

// Rate implements Schedule.
func (s StepDecay) Rate(step int) float64 {
	return math.Pow(orDefault(s.Gamma, 0.1), float64(step/orDefaultInt(s.Every, 1000)))
}

// Exponential multiplies the rate by Gamma every step.
type Exponential struct {
	// Gamma is the per-step factor; zero means 0.999.
	Gamma float64
}

// Rate implements Schedule.
func (s Exponential) Rate(step int) float64 {
	return math.Pow(orDefault(s.Gamma, 0.999), float64(step))
}

// Cosine is the cosine annealing of Loshchilov & Hutter (2017), "SGDR:
// Stochastic gradient descent with warm restarts", ICLR, eq. (5), without
// restarts: the factor falls from 1 to Min over Steps steps along a half
// cosine and stays at Min afterwards.
type Cosine struct {
	// Steps is the length of the decay; it must be positive.
	Steps int
	// Min is the final factor; zero means 0.
	Min float64
}

// Rate implements Schedule.
func (s Cosine) Rate(step int) float64 {
	if s.Steps <= 0 || step >= s.Steps {
		return s.Min
	}
	return s.Min + 0.5*(1-s.Min)*(1+math.Cos(math.Pi*float64(step)/float64(s.Steps)))
}

// Warmup ramps the factor linearly from 1/Steps to 1 over the first Steps
// steps (Goyal et al. (2017), "Accurate, large minibatch SGD: Training
// ImageNet in 1 hour", §2.2) and then follows Then, started at step 0, so
// warm-up composes with any other schedule.
type Warmup struct {
	// Steps is the warm-up length; zero means no warm-up.
	Steps int
	// Then is the schedule after warm-up; nil means Constant.
	Then Schedule
}

// Rate implements Schedule.
func (s Warmup) Rate(step int) float64 {
	if step < s.Steps {
		return float64(step+1) / float64(s.Steps)
	}
	if s.Then == nil {
		return 1
	}
	return s.Then.Rate(step - s.Steps)
}

// Observe passes the loss to Then when it is an Observer.
func (s Warmup) Observe(loss float64) {
	if o, ok := s.Then.(Observer); ok {
		o.Observe(loss)
	}
}

// State passes through Then's state when it is Stateful.
func (s Warmup) State() map[string][]float64 {
	if st, ok := s.Then.(Stateful); ok {
		return st.State()
	}
	return map[string][]float64{}
}

// SetState passes through to Then when it is Stateful.
func (s Warmup) SetState(state map[string][]float64) error {
	if st, ok := s.Then.(Stateful); ok {
		return st.SetState(state)
	}
	return nil
}

// Plateau reduces the factor when the monitored loss stops improving, as
// PyTorch's ReduceLROnPlateau does: after Patience observations without a
// relative improvement of Threshold over the best loss, the factor is
// multiplied by Decay (not below Min) and Cooldown observations pass
// before counting again. Use it as a pointer: it keeps state, which
// checkpoints store.
type Plateau struct {
	// Decay is the reduction factor; zero means 0.1.
	Decay float64
	// Patience is the number of observations without improvement
	// tolerated; zero means 10.
	Patience int
	// Threshold is the relative improvement that counts; zero means 1e-4.
	Threshold float64
	// Min is the smallest factor; zero means 0.
	Min float64
	// Cooldown is the number of observations ignored after a reduction;
	// zero means none.
	Cooldown int

	factor, best float64
	bad, cool    int
	started      bool
}

// Rate implements Schedule.
func (s *Plateau) Rate(int) float64 {
	if !s.started {
		return 1
	}
	return s.factor
}

// Observe implements Observer.
func (s *Plateau) Observe(loss float64) {
	if !s.started {
		s.started, s.factor, s.best = true, 1, math.Inf(1)
	}
	if loss < s.best*(1-orDefault(s.Threshold, 1e-4)) {
		s.best, s.bad = loss, 0
	} else if s.cool == 0 {
		s.bad++
	}
	if s.cool > 0 {
		s.cool--
		return
	}
	if s.bad > orDefaultInt(s.Patience, 10) {
		s.factor = math.Max(s.factor*orDefault(s.Decay, 0.1), s.Min)
		s.bad, s.cool = 0, s.Cooldown
	}
}

// State implements Stateful.
func (s *Plateau) State() map[string][]float64 {
	started := 0.0
	if s.started {
		started = 1
	}
	return map[string][]float64{"plateau": {started, s.factor, s.best, float64(s.bad), float64(s.cool)}}
}

// SetState implements Stateful.
func (s *Plateau) SetState(state map[string][]float64) error {
	v, ok := state["plateau"]
	if !ok || len(v) != 5 {
		return fmt.Errorf("train: schedule state has no plateau entry; the checkpoint was written with a different schedule")
	}
	s.started, s.factor, s.best, s.bad, s.cool = v[0] == 1, v[1], v[2], int(v[3]), int(v[4])
	return nil
}
