package classical

import (
	"fmt"

	"github.com/neuralpde/neuralpde/operators"
	"github.com/neuralpde/neuralpde/pde"
)

// OperatorSolver maps a sampled initial condition to the solution at the
// preset's final time, for the operator-learning presets (burgers-periodic):
// Solve reads u(0,·) on res periodic points of the preset's domain and
// writes u(T,·) on the same points. Internally it solves on Modes Fourier
// points (the band-limited interpolant of the input is padded or
// truncated to that size) with ETDRK4.
//
// It satisfies data.Solver. It holds FFT plans and workspaces, so use one
// per goroutine.
type OperatorSolver struct {
	res, modes int
	t0, t1, dt float64
	steps      int
	progress   func(t float64)

	sys     *FourierSystem
	et      *ETDRK4
	inPlan  *operators.Fourier
	inCoef  []complex128
	v       []complex128
	outCoef []complex128
}

// NewOperatorSolver returns a solver for the periodic preset p whose input
// and output are sampled on res points. cfg's Modes is the internal
// resolution, zero meaning the larger of res and the preset's default
// (1024 for burgers-periodic, see DefaultConfig); Dt the step, zero meaning
// the preset's default; Method must be empty or "etdrk4". NX and NT are not
// used.
func NewOperatorSolver(p *pde.Preset, res int, cfg *Config) (*OperatorSolver, error) {
	if p == nil {
		return nil, fmt.Errorf("classical: nil preset")
	}
	if p.BC.Kind != pde.PeriodicBC {
		return nil, fmt.Errorf("classical: preset %q is not periodic; OperatorSolver solves periodic presets", p.Name)
	}
	if res < 4 {
		return nil, fmt.Errorf("classical: operator resolution %d is too small; use at least 4 points", res)
	}
	def := DefaultConfig(p.Name)
	var c Config
	if cfg != nil {
		c = *cfg
	}
	if c.Method == "" {
		c.Method = def.Method
	}
	if c.Dt == 0 {
		c.Dt = def.Dt
	}
	if c.Modes == 0 {
		c.Modes = max(res, def.Modes)
	}
	if c.Method != "etdrk4" {
		return nil, fmt.Errorf("classical: OperatorSolver supports Method etdrk4, not %q", c.Method)
	}
	if c.Modes < 4 {
		return nil, fmt.Errorf("classical: Modes = %d is too small; use at least 4 (or 0 for the default)", c.Modes)
	}
	if !(c.Dt > 0) {
		return nil, fmt.Errorf("classical: time step Dt = %g must be positive (or 0 for the default)", c.Dt)
	}
	length := p.X.Length()
	sys, err := NewFourierSystem(p.Equation, c.Modes, length, true)
	if err != nil {
		return nil, err
	}
	steps, dt := FixedSteps(p.T.A, p.T.B, c.Dt)
	s := &OperatorSolver{
		res: res, modes: c.Modes,
		t0: p.T.A, t1: p.T.B, dt: dt, steps: steps,
		progress: c.Progress,
		sys:      sys,
		et:       NewETDRK4(sys),
		inPlan:   operators.NewFourier(res, length),
		inCoef:   make([]complex128, res/2+1),
		v:        make([]complex128, sys.Dim()),
		outCoef:  make([]complex128, res/2+1),
	}
	s.et.SetStep(dt)
	return s, nil
}

// InputShape returns [res].
func (s *OperatorSolver) InputShape() []int { return []int{s.res} }

// OutputShape returns [res].
func (s *OperatorSolver) OutputShape() []int { return []int{s.res} }

// Modes returns the internal Fourier resolution.
func (s *OperatorSolver) Modes() int { return s.modes }

// Dt returns the time step used.
func (s *OperatorSolver) Dt() float64 { return s.dt }

// Solve writes u(T,·) for the initial data in into out; both have res
// entries. A non-finite input or solution is an error.
func (s *OperatorSolver) Solve(out, in []float64) error {
	if len(in) != s.res || len(out) != s.res {
		return fmt.Errorf("classical: OperatorSolver.Solve got input length %d and output length %d, want %d", len(in), len(out), s.res)
	}
	if !finite(in) {
		return fmt.Errorf("classical: input contains NaN or Inf")
	}
	s.inPlan.Forward(s.inCoef, in)
	s.inPlan.ResampleCoeffs(s.v, s.inCoef, s.modes)
	s.sys.Truncate(s.v)
	for i := 0; i < s.steps; i++ {
		t := s.t0 + float64(i)*s.dt
		s.et.Step(s.v, t, s.dt, s.v)
		if s.progress != nil {
			s.progress(t + s.dt)
		}
	}
	if !finite(s.v) {
		return fmt.Errorf("%w (Burgers solve with %d modes, dt = %g)", ErrNonFinite, s.modes, s.dt)
	}
	s.sys.plan.ResampleCoeffs(s.outCoef, s.v, s.res)
	s.inPlan.Inverse(out, s.outCoef)
	return nil
}
