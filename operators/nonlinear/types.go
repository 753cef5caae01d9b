package nonlinear

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/neuralpde/neuralpde/operators/sparse"
)

// Problem is a system of Dim nonlinear equations F(x) = 0 in Dim unknowns.
// F is required; the other functions are optional abilities a method may
// use.
type Problem struct {
	Dim int
	// F writes F(x) into dst.
	F func(dst, x []float64)
	// Jacobian, if non-nil, writes the dense Jacobian ∂F/∂x at x into dst
	// (Dim×Dim, zeroed before the call, so only non-zero entries need
	// setting); Newton then solves with LU.
	Jacobian func(dst *mat.Dense, x []float64)
	// JacVec, if non-nil, writes J(x)·v into dst; NewtonKrylov otherwise
	// uses a finite-difference directional derivative with a scaled step.
	JacVec func(dst, x, v []float64)
}

func (p *Problem) check(x []float64) error {
	switch {
	case p.Dim <= 0:
		return fmt.Errorf("nonlinear: problem dimension %d is not positive; set Problem.Dim to the number of unknowns", p.Dim)
	case p.F == nil:
		return fmt.Errorf("nonlinear: Problem.F is nil; supply the residual function")
	case len(x) != p.Dim:
		return fmt.Errorf("nonlinear: initial guess has length %d but Problem.Dim is %d", len(x), p.Dim)
	}
	return nil
}

// LineSearch selects how a Newton step is globalised.
type LineSearch int

const (
	// Backtracking is the Armijo backtracking line search on ½‖F‖₂² with
	// safeguarded quadratic interpolation (Dennis and Schnabel, Alg.
	// A6.3.1). It is the default.
	Backtracking LineSearch = iota
	// FullStep takes every Newton step whole.
	FullStep
)

func (l LineSearch) String() string {
	switch l {
	case Backtracking:
		return "backtracking"
	case FullStep:
		return "full step"
	}
	return fmt.Sprintf("LineSearch(%d)", int(l))
}

// Settings control a Newton or Newton–Krylov solve. A nil *Settings means
// all defaults.
type Settings struct {
	// AbsTol and RelTol set the stopping test
	// ‖F(x)‖₂ ≤ AbsTol + RelTol·‖F(x₀)‖₂.
	// Zero values mean AbsTol = 1e-10 and RelTol = 1e-12.
	AbsTol, RelTol float64
	// MaxIterations caps the Newton steps. Zero means 50.
	MaxIterations int
	// LineSearch selects the globalisation. The zero value is Backtracking.
	LineSearch LineSearch
	// MaxBacktracks caps the step shortenings in one line search before
	// the solve is declared Stalled. Zero means 30.
	MaxBacktracks int

	// The settings below are used by NewtonKrylov only.

	// ForcingTerm is the inner GMRES relative tolerance η:
	// ‖F + J d‖₂ ≤ η‖F‖₂. Zero means the adaptive choice 2 of Eisenstat and
	// Walker (1996) with γ = 0.9, α = 2, η₀ = 0.5, η_max = 0.9 and their
	// safeguards; a value in (0, 1) fixes η.
	ForcingTerm float64
	// Restart is the GMRES restart length. Zero means 30.
	Restart int
	// MaxLinearIterations caps the GMRES iterations of one Newton step.
	// Zero means 200.
	MaxLinearIterations int
	// Preconditioner, if non-nil, right-preconditions GMRES; it should
	// approximate the inverse of the Jacobian (for a PDE, a multigrid cycle
	// for its leading-order operator is the usual choice).
	Preconditioner sparse.Preconditioner
}

const (
	defaultAbsTol        = 1e-10
	defaultRelTol        = 1e-12
	defaultMaxIterations = 50
	defaultMaxBacktracks = 30
	defaultMaxLinear     = 200
)

// settings is Settings with every default filled in.
type settings struct {
	Settings
}

func resolve(s *Settings) (settings, error) {
	var r settings
	if s != nil {
		r.Settings = *s
	}
	switch {
	case r.AbsTol < 0 || r.AbsTol != r.AbsTol:
		return r, fmt.Errorf("nonlinear: AbsTol %g is negative or NaN; use a positive value or zero for the default 1e-10", r.AbsTol)
	case r.RelTol < 0 || r.RelTol != r.RelTol:
		return r, fmt.Errorf("nonlinear: RelTol %g is negative or NaN; use a positive value or zero for the default 1e-12", r.RelTol)
	case r.MaxIterations < 0:
		return r, fmt.Errorf("nonlinear: MaxIterations %d is negative; use a positive cap or zero for the default 50", r.MaxIterations)
	case r.MaxBacktracks < 0:
		return r, fmt.Errorf("nonlinear: MaxBacktracks %d is negative; use a positive cap or zero for the default 30", r.MaxBacktracks)
	case r.LineSearch != Backtracking && r.LineSearch != FullStep:
		return r, fmt.Errorf("nonlinear: unknown line search %v; use Backtracking or FullStep", r.LineSearch)
	case r.ForcingTerm < 0 || r.ForcingTerm >= 1 || r.ForcingTerm != r.ForcingTerm:
		return r, fmt.Errorf("nonlinear: forcing term %g is outside [0, 1); use a value in (0, 1) or zero for Eisenstat–Walker", r.ForcingTerm)
	case r.Restart < 0:
		return r, fmt.Errorf("nonlinear: GMRES restart %d is negative; use a positive value or zero for the default 30", r.Restart)
	case r.MaxLinearIterations < 0:
		return r, fmt.Errorf("nonlinear: MaxLinearIterations %d is negative; use a positive cap or zero for the default 200", r.MaxLinearIterations)
	}
	if r.AbsTol == 0 {
		r.AbsTol = defaultAbsTol
	}
	if r.RelTol == 0 {
		r.RelTol = defaultRelTol
	}
	if r.MaxIterations == 0 {
		r.MaxIterations = defaultMaxIterations
	}
	if r.MaxBacktracks == 0 {
		r.MaxBacktracks = defaultMaxBacktracks
	}
	if r.MaxLinearIterations == 0 {
		r.MaxLinearIterations = defaultMaxLinear
	}
	return r, nil
}

// Status says why a nonlinear solve stopped.
type Status int

const (
	// Converged means ‖F(x)‖₂ ≤ AbsTol + RelTol·‖F(x₀)‖₂.
	Converged Status = iota + 1
	// MaxIterationsReached means the Newton step cap was hit first.
	MaxIterationsReached
	// Stalled means the line search found no step with sufficient
	// decrease of ½‖F‖₂² (x is then a local minimiser of ‖F‖ that is not a
	// root, or the direction is not a descent direction).
	Stalled
	// LinearSolveFailed means the Newton step could not be computed: a
	// singular Jacobian (Newton) or a GMRES solve that made no progress
	// (NewtonKrylov).
	LinearSolveFailed
	// Diverged means F became non-finite at a full step (FullStep only);
	// x holds the last iterate with a finite residual.
	Diverged
)

func (s Status) String() string {
	switch s {
	case Converged:
		return "converged"
	case MaxIterationsReached:
		return "maximum iterations reached"
	case Stalled:
		return "stalled"
	case LinearSolveFailed:
		return "linear solve failed"
	case Diverged:
		return "diverged"
	}
	return fmt.Sprintf("Status(%d)", int(s))
}

// Result reports how a nonlinear solve ended.
type Result struct {
	Status Status
	// Iterations is the number of Newton steps taken.
	Iterations int
	// Residuals holds ‖F‖₂ at each iterate, starting with x₀.
	Residuals []float64
	// LinearIterations is the total number of GMRES iterations
	// (NewtonKrylov only).
	LinearIterations int
}
