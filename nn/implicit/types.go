package implicit

import (
	"errors"
	"fmt"
	"math"
)

// Function is f_θ(z, x) for the samples of one batch, seen one sample at a
// time: s is the sample's position in the batch that Layer.Forward was
// called with, and z has length Dim. The layer calls a Function from one
// goroutine at a time; a layer with several workers has one Function per
// worker, each with its own workspace and gradient accumulators.
type Function struct {
	// Dim is the length of z for one sample. It may change between
	// Forward calls (a model evaluated on another grid).
	Dim int
	// F writes f(z, x_s) into dst. Required.
	F func(dst, z []float64, s int)
	// JVP writes (∂f/∂z)(z, x_s)·v into dst. Required by NewtonKrylov
	// and Homotopy.
	JVP func(dst, z, v []float64, s int)
	// VJP writes (∂f/∂z)(z, x_s)ᵀ·u into dst. Required by the backward
	// passes except Phantom with one term and τ = 1.
	VJP func(dst, z, u []float64, s int)
	// ParamVJP adds (∂f/∂θ)(z, x_s)ᵀ·u to the gradients of the parameters,
	// and (∂f/∂x_s)ᵀ·u to the gradient of the layer's input if the model
	// needs it. Required by Backward.
	ParamVJP func(z, u []float64, s int)
}

func (f *Function) check(set *Settings) error {
	switch {
	case f.Dim <= 0:
		return fmt.Errorf("implicit: Function.Dim is %d; set it to the length of one sample's state z", f.Dim)
	case f.F == nil:
		return errors.New("implicit: Function.F is nil; supply f(z, x)")
	case f.JVP == nil && (set.Solver == NewtonKrylov || set.Solver == Homotopy):
		return fmt.Errorf("implicit: the %v solver needs Function.JVP; supply it or choose Broyden, Anderson or FixedPoint", set.Solver)
	}
	return nil
}

// Solver selects the forward solver.
type Solver int

const (
	// NewtonKrylov is Jacobian-free Newton–Krylov with line search.
	NewtonKrylov Solver = iota
	// Broyden is limited-memory good Broyden in inverse form.
	Broyden
	// Anderson is Anderson acceleration (type II).
	Anderson
	// FixedPoint is the damped Picard iteration.
	FixedPoint
	// Homotopy is predictor–corrector continuation from z₀.
	Homotopy
)

var solverNames = [...]string{"newton-krylov", "broyden", "anderson", "fixed-point", "homotopy"}

func (s Solver) String() string {
	if s >= 0 && int(s) < len(solverNames) {
		return solverNames[s]
	}
	return fmt.Sprintf("Solver(%d)", int(s))
}

// ParseSolver returns the Solver named name (as its String: newton-krylov,
// broyden, anderson, fixed-point or homotopy); "" is NewtonKrylov.
func ParseSolver(name string) (Solver, error) {
	if name == "" {
		return NewtonKrylov, nil
	}
	for i, n := range solverNames {
		if n == name {
			return Solver(i), nil
		}
	}
	return 0, fmt.Errorf("implicit: unknown solver %q; use newton-krylov, broyden, anderson, fixed-point or homotopy", name)
}

// BackwardMode selects how Backward finds w = (I − ∂f/∂z)⁻ᵀ ∂L/∂z*.
type BackwardMode int

const (
	// Exact solves (I − ∂f/∂z)ᵀ w = ∂L/∂z* by GMRES: the gradient of the
	// loss, to the GMRES tolerance.
	Exact BackwardMode = iota
	// Phantom is the truncated damped Neumann series of Geng et al.
	// (2021). APPROXIMATE: not the gradient of the loss.
	Phantom
)

func (b BackwardMode) String() string {
	switch b {
	case Exact:
		return "exact"
	case Phantom:
		return "phantom (approximate)"
	}
	return fmt.Sprintf("BackwardMode(%d)", int(b))
}

// ParseBackward returns the BackwardMode named "exact" or "phantom"; ""
// is Exact.
func ParseBackward(name string) (BackwardMode, error) {
	switch name {
	case "", "exact":
		return Exact, nil
	case "phantom":
		return Phantom, nil
	}
	return 0, fmt.Errorf("implicit: unknown backward %q; use exact or phantom", name)
}

// FailurePolicy says what a solve that misses its tolerance does.
type FailurePolicy int

const (
	// Fail makes Forward (or Backward) return an error.
	Fail FailurePolicy = iota
	// Flag keeps the last iterate, counts the failure and flags the
	// sample in the Report.
	Flag
)

// Settings configure a Layer. A nil *Settings means all defaults.
type Settings struct {
	// Solver is the forward solver; the zero value is NewtonKrylov.
	Solver Solver
	// AbsTol and RelTol set the forward stopping test on the residual
	// ‖f(z) − z‖₂ ≤ AbsTol + RelTol·‖f(z)‖₂ (RelTol is the relative
	// residual of Bai et al.'s DEQ code, so a warm start does not tighten
	// it; Newton–Krylov and Homotopy take ‖f‖ at the start of their last
	// Newton solve). Zero AbsTol means 1e-8; zero RelTol means none.
	AbsTol, RelTol float64
	// MaxIterations caps the solver's iterations (Newton steps, Broyden,
	// Anderson or Picard steps; for Homotopy the corrector steps at λ = 1).
	// Zero means 50 for NewtonKrylov and Homotopy, 500 otherwise.
	MaxIterations int
	// Memory is the number of stored updates of Broyden and the window m
	// of Anderson. Zero means 20 for Broyden and 5 for Anderson.
	Memory int
	// Damping is β of Anderson and FixedPoint, in (0, 1]. Zero means 1.
	Damping float64
	// HomotopySteps is the number of λ steps of Homotopy. Zero means 8.
	HomotopySteps int
	// Restart and MaxLinearIterations set GMRES inside NewtonKrylov,
	// Homotopy and the Exact backward. Zero means 30 and 200.
	Restart, MaxLinearIterations int

	// Backward selects the backward pass; the zero value is Exact.
	Backward BackwardMode
	// BackwardTol is the relative GMRES residual of Exact. Zero means
	// 1e-10.
	BackwardTol float64
	// PhantomTerms is K, the number of Neumann terms of Phantom. Zero
	// means 1 (the Jacobian-free backward).
	PhantomTerms int
	// PhantomDamping is τ of Phantom, in (0, 1]. Zero means 1.
	PhantomDamping float64

	// WarmStart starts each sample from its last equilibrium (by the key
	// Forward is given) instead of from zero (Homotopy always starts from
	// z₀).
	WarmStart bool
	// OnFailure says what a solve that misses its tolerance does; the zero
	// value is Fail.
	OnFailure FailurePolicy
	// StartWeight, if positive, makes Homotopy's starting point z₀
	// learnable: the layer adds the auxiliary loss
	// (StartWeight/2)·mean_s ‖z₀ − z*_s‖² (StartLoss) and its gradient to
	// Z0.Grad, pulling z₀ towards the equilibria so the path is short. The
	// equilibrium itself does not depend on z₀, so without it z₀ gets no
	// gradient. Zero means z₀ stays at its initial value (zero).
	StartWeight float64
}

// Check returns an error naming the first invalid field of s (nil is
// valid: all defaults).
func (s *Settings) Check() error {
	_, err := resolve(s)
	return err
}

func resolve(s *Settings) (Settings, error) {
	var r Settings
	if s != nil {
		r = *s
	}
	bad := func(v float64) bool { return v < 0 || math.IsNaN(v) || math.IsInf(v, 0) }
	switch {
	case r.Solver < NewtonKrylov || r.Solver > Homotopy:
		return r, fmt.Errorf("implicit: unknown solver %v; use NewtonKrylov, Broyden, Anderson, FixedPoint or Homotopy", r.Solver)
	case bad(r.AbsTol) || bad(r.RelTol):
		return r, fmt.Errorf("implicit: tolerances AbsTol %g and RelTol %g must be finite and non-negative", r.AbsTol, r.RelTol)
	case r.MaxIterations < 0 || r.Memory < 0 || r.HomotopySteps < 0 || r.Restart < 0 || r.MaxLinearIterations < 0 || r.PhantomTerms < 0:
		return r, errors.New("implicit: MaxIterations, Memory, HomotopySteps, Restart, MaxLinearIterations and PhantomTerms must not be negative; zero means the default")
	case bad(r.Damping) || r.Damping > 1 || bad(r.PhantomDamping) || r.PhantomDamping > 1:
		return r, fmt.Errorf("implicit: Damping %g and PhantomDamping %g must lie in (0, 1]; zero means 1", r.Damping, r.PhantomDamping)
	case bad(r.BackwardTol) || r.BackwardTol >= 1:
		return r, fmt.Errorf("implicit: BackwardTol %g must lie in [0, 1); zero means 1e-10", r.BackwardTol)
	case r.Backward != Exact && r.Backward != Phantom:
		return r, fmt.Errorf("implicit: unknown backward mode %v; use Exact or Phantom", r.Backward)
	case r.OnFailure != Fail && r.OnFailure != Flag:
		return r, errors.New("implicit: unknown failure policy; use Fail or Flag")
	case bad(r.StartWeight):
		return r, fmt.Errorf("implicit: StartWeight %g must be finite and non-negative", r.StartWeight)
	}
	if r.AbsTol == 0 {
		r.AbsTol = 1e-8
	}
	if r.MaxIterations == 0 {
		r.MaxIterations = 500
		if r.Solver == NewtonKrylov || r.Solver == Homotopy {
			r.MaxIterations = 50
		}
	}
	if r.Memory == 0 {
		r.Memory = 5
		if r.Solver == Broyden {
			r.Memory = 20
		}
	}
	if r.Damping == 0 {
		r.Damping = 1
	}
	if r.HomotopySteps == 0 {
		r.HomotopySteps = 8
	}
	if r.Restart == 0 {
		r.Restart = 30
	}
	if r.MaxLinearIterations == 0 {
		r.MaxLinearIterations = 200
	}
	if r.BackwardTol == 0 {
		r.BackwardTol = 1e-10
	}
	if r.PhantomTerms == 0 {
		r.PhantomTerms = 1
	}
	if r.PhantomDamping == 0 {
		r.PhantomDamping = 1
	}
	return r, nil
}

// Stats is the report of one sample's forward solve.
type Stats struct {
	// Key is the sample's key given to Forward (its dataset index), or
	// its position in the batch when no keys were given.
	Key int
	// Iterations is the number of solver iterations; Evals the number of
	// evaluations of f and of its JVP together (the fair measure of cost
	// across solvers).
	Iterations, Evals int
	// Residual is ‖f(z) − z‖₂ at the returned z.
	Residual float64
	// Converged reports whether Residual met the tolerance.
	Converged bool
	// WarmStarted reports whether the solve started from a cached
	// equilibrium.
	WarmStarted bool
}

// BackwardStats is the report of one sample's backward pass.
type BackwardStats struct {
	Key int
	// Iterations is the number of GMRES iterations (Exact) or Neumann
	// terms (Phantom).
	Iterations int
	// Residual is the relative residual ‖(I − J)ᵀw − u‖/‖u‖ that GMRES
	// reached (Exact); NaN for Phantom.
	Residual  float64
	Converged bool
}

// Report describes the last Forward and Backward of a Layer, and counts
// over the Layer's life.
type Report struct {
	Solver   Solver
	Backward BackwardMode
	// Approximate is true when the backward pass is Phantom: the
	// parameter gradients are then not the gradient of the loss.
	Approximate bool
	// Forward and BackwardSolves hold one entry per sample of the last
	// Forward and Backward.
	Forward        []Stats
	BackwardSolves []BackwardStats
	// Failures and BackwardFailures count the samples of the last Forward
	// and Backward that missed their tolerance (used only under Flag).
	Failures, BackwardFailures int
	// Solves, TotalFailures and TotalBackwardFailures count over the
	// Layer's life.
	Solves, TotalFailures, TotalBackwardFailures int
}

// MeanIterations returns the mean forward iterations of the last Forward.
func (r *Report) MeanIterations() float64 {
	if len(r.Forward) == 0 {
		return 0
	}
	n := 0
	for _, s := range r.Forward {
		n += s.Iterations
	}
	return float64(n) / float64(len(r.Forward))
}

// MaxResidual returns the largest forward residual of the last Forward.
func (r *Report) MaxResidual() float64 {
	m := 0.0
	for _, s := range r.Forward {
		m = math.Max(m, s.Residual)
	}
	return m
}
