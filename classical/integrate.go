package classical

import (
	"errors"
	"fmt"
	"math"
)

// Status says how an integration ended.
type Status int

const (
	// Success means the final time was reached.
	Success Status = iota
	// MaxStepsReached means Settings.MaxSteps steps were attempted before
	// the final time.
	MaxStepsReached
	// StepSizeTooSmall means the controller rejected a step it could not
	// shrink further (below its DtMin, or too small to change t).
	StepSizeTooSmall
	// NonFinite means the solution became NaN or infinite: the integration
	// blew up, usually because the step is too large for stability.
	NonFinite
	// SolveFailed means an implicit stage's nonlinear solve did not
	// converge.
	SolveFailed
)

func (s Status) String() string {
	switch s {
	case Success:
		return "success"
	case MaxStepsReached:
		return "max steps reached"
	case StepSizeTooSmall:
		return "step size too small"
	case NonFinite:
		return "non-finite solution"
	case SolveFailed:
		return "implicit solve failed"
	}
	return fmt.Sprintf("Status(%d)", int(s))
}

// Errors returned with a Status other than Success; test with errors.Is.
var (
	ErrMaxSteps     = errors.New("classical: maximum number of steps reached; increase Settings.MaxSteps or loosen the tolerances")
	ErrStepTooSmall = errors.New("classical: step size fell below the minimum; the problem may be stiff (use an implicit or exponential stepper) or the tolerances too tight")
	ErrNonFinite    = errors.New("classical: solution became NaN or infinite; reduce the time step or increase the resolution")
)

// Settings control Integrate. A nil *Settings is invalid: Dt must be given.
type Settings struct {
	// Dt is the step size of a fixed-step run, or the first trial step of
	// an adaptive one. A fixed-step run divides [t0, t1] into
	// ⌈(t1−t0)/Dt⌉ equal steps, so the step used may be slightly smaller.
	Dt float64
	// Controller, if not nil, makes the run adaptive; the stepper must then
	// be Embedded.
	Controller Controller
	// MaxSteps bounds the number of attempted steps; zero means 1e6.
	MaxSteps int
	// Progress, if not nil, is called with the time after every accepted
	// step.
	Progress func(t float64)
}

// Result reports how an integration went.
type Result struct {
	Status Status
	// T is the time the solution was advanced to.
	T float64
	// Steps and Rejected count accepted and rejected steps.
	Steps, Rejected int
	// Dt is the last step size used (fixed runs) or proposed (adaptive).
	Dt float64
}

// Integrate advances u in place from t0 to t1 with stepper s. Without a
// controller the steps are fixed (see Settings.Dt); with one, s must be
// Embedded and the step size adapts. A run that does not reach t1 returns a
// Result whose Status says why, u holding the solution at Result.T, and an
// error wrapping ErrMaxSteps, ErrStepTooSmall, ErrNonFinite or the implicit
// solver's error.
func Integrate(u []float64, t0, t1 float64, s Stepper, set *Settings) (Result, error) {
	if set == nil || !(set.Dt > 0) || math.IsInf(set.Dt, 0) {
		return Result{T: t0}, errors.New("classical: Settings.Dt must be a positive step size")
	}
	if !(t1 >= t0) {
		return Result{T: t0}, fmt.Errorf("classical: final time %g is before the initial time %g", t1, t0)
	}
	maxSteps := set.MaxSteps
	if maxSteps <= 0 {
		maxSteps = 1000000
	}
	if set.Controller == nil {
		return integrateFixed(u, t0, t1, set.Dt, maxSteps, set.Progress, s.Step)
	}
	e, ok := s.(Embedded)
	if !ok {
		return Result{T: t0}, fmt.Errorf("classical: adaptive integration needs an Embedded stepper (such as DormandPrince), got %T", s)
	}
	return integrateAdaptive(u, t0, t1, e, set, maxSteps)
}

// integrateFixed takes n = ⌈(t1−t0)/dt⌉ equal steps of any stepper on E.
func integrateFixed[E float64 | complex128](u []E, t0, t1, dt float64, maxSteps int, progress func(float64), step func(dst []E, t, dt float64, u []E) error) (Result, error) {
	res := Result{T: t0}
	if t1 == t0 {
		return res, nil
	}
	n, h := FixedSteps(t0, t1, dt)
	res.Dt = h
	if n > maxSteps {
		return res, fmt.Errorf("classical: %d steps of %g needed, more than MaxSteps = %d; %w", n, h, maxSteps, ErrMaxSteps)
	}
	for i := 0; i < n; i++ {
		t := t0 + float64(i)*h
		if err := step(u, t, h, u); err != nil {
			res.Status = SolveFailed
			return res, fmt.Errorf("classical: step at t = %g: %w", t, err)
		}
		res.Steps++
		res.T = t0 + float64(i+1)*h
		if i == n-1 {
			res.T = t1
		}
		if !finite(u) {
			res.Status = NonFinite
			return res, fmt.Errorf("%w (at t = %g, dt = %g)", ErrNonFinite, res.T, h)
		}
		if progress != nil {
			progress(res.T)
		}
	}
	return res, nil
}

// FixedSteps returns the number n = ⌈(t1−t0)/dt⌉ of equal steps covering
// [t0, t1] with steps no larger than dt (up to rounding), and their size.
func FixedSteps(t0, t1, dt float64) (n int, h float64) {
	span := t1 - t0
	n = int(math.Ceil(span/dt - 1e-9))
	if n < 1 {
		n = 1
	}
	return n, span / float64(n)
}

func integrateAdaptive(u []float64, t0, t1 float64, s Embedded, set *Settings, maxSteps int) (Result, error) {
	c := set.Controller
	c.Reset()
	res := Result{T: t0}
	n := len(u)
	u1 := make([]float64, n)
	errEst := make([]float64, n)
	t, dt := t0, set.Dt
	q := s.ErrorOrder()
	for t < t1 {
		if res.Steps+res.Rejected >= maxSteps {
			res.Status, res.T, res.Dt = MaxStepsReached, t, dt
			return res, fmt.Errorf("%w (%d steps, at t = %g of %g)", ErrMaxSteps, maxSteps, t, t1)
		}
		last := false
		h := dt
		if t+h >= t1 || t+1.01*h >= t1 {
			h, last = t1-t, true
		}
		if t+h == t {
			res.Status, res.T, res.Dt = StepSizeTooSmall, t, h
			return res, fmt.Errorf("%w (dt = %g at t = %g)", ErrStepTooSmall, h, t)
		}
		if err := s.StepError(u1, errEst, t, h, u); err != nil {
			res.Status, res.T = SolveFailed, t
			return res, fmt.Errorf("classical: step at t = %g: %w", t, err)
		}
		accept, next, ok := c.Adapt(h, u, u1, errEst, q)
		if !ok {
			res.Status, res.T, res.Dt = StepSizeTooSmall, t, h
			return res, fmt.Errorf("%w (dt = %g at t = %g)", ErrStepTooSmall, h, t)
		}
		if !accept {
			res.Rejected++
			dt = next
			continue
		}
		if !finite(u1) {
			res.Status, res.T, res.Dt = NonFinite, t, h
			return res, fmt.Errorf("%w (at t = %g, dt = %g)", ErrNonFinite, t, h)
		}
		copy(u, u1)
		res.Steps++
		if last {
			t = t1
		} else {
			t += h
		}
		if !last || next < dt {
			dt = next
		}
		if set.Progress != nil {
			set.Progress(t)
		}
	}
	res.T, res.Dt = t, dt
	return res, nil
}

func finite[E float64 | complex128](u []E) bool {
	var sum E
	for _, v := range u {
		sum += v * 0
	}
	// v·0 is 0 for finite v and NaN for NaN or ±Inf, so the sum is NaN iff
	// some entry is not finite.
	return sum == sum
}
