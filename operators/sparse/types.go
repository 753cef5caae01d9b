package sparse

import "fmt"

// Operator is a linear map that can be applied to a vector. It is all a
// Krylov solver needs, so matrix-free operators work as well as matrices.
type Operator interface {
	// MulVec writes A·x into dst. dst and x do not overlap.
	MulVec(dst, x []float64)
}

// Preconditioner applies the inverse of an approximation M of an operator.
type Preconditioner interface {
	// Precondition writes M⁻¹·r into dst. dst and r do not overlap.
	Precondition(dst, r []float64)
}

// OperatorFunc adapts a function to the Operator interface.
type OperatorFunc func(dst, x []float64)

// MulVec calls f(dst, x).
func (f OperatorFunc) MulVec(dst, x []float64) { f(dst, x) }

// PreconditionerFunc adapts a function to the Preconditioner interface.
type PreconditionerFunc func(dst, r []float64)

// Precondition calls f(dst, r).
func (f PreconditionerFunc) Precondition(dst, r []float64) { f(dst, r) }

// Side says on which side GMRES applies its preconditioner.
type Side int

const (
	// Right preconditioning solves A M⁻¹ y = b, x = M⁻¹ y. The residual
	// GMRES monitors is the true residual b − Ax.
	Right Side = iota
	// Left preconditioning solves M⁻¹ A x = M⁻¹ b. The residual GMRES
	// monitors is the preconditioned residual M⁻¹(b − Ax), and the
	// tolerance is relative to ‖M⁻¹ b‖.
	Left
)

func (s Side) String() string {
	switch s {
	case Right:
		return "right"
	case Left:
		return "left"
	}
	return fmt.Sprintf("Side(%d)", int(s))
}

// Status says why an iterative solver stopped.
type Status int

const (
	// Converged means the relative residual reached the tolerance.
	Converged Status = iota + 1
	// MaxIterationsReached means the iteration cap was hit first.
	MaxIterationsReached
	// Stalled means the method could not make progress: a breakdown (in CG
	// a non-positive curvature pᵀAp or rᵀM⁻¹r, so A or M is not symmetric
	// positive definite), a non-finite residual, or a whole GMRES restart
	// cycle or multigrid cycle without any decrease of the residual.
	Stalled
)

func (s Status) String() string {
	switch s {
	case Converged:
		return "converged"
	case MaxIterationsReached:
		return "maximum iterations reached"
	case Stalled:
		return "stalled"
	}
	return fmt.Sprintf("Status(%d)", int(s))
}

// Settings control an iterative solve. A nil *Settings means all defaults.
type Settings struct {
	// Tolerance is the target relative residual ‖b − Ax‖₂/‖b‖₂ (for GMRES
	// with Left preconditioning, ‖M⁻¹(b − Ax)‖₂/‖M⁻¹b‖₂). Zero means 1e-10.
	Tolerance float64
	// MaxIterations caps the iterations: CG steps, GMRES inner (Arnoldi)
	// steps in total over all restarts, or multigrid cycles. Zero means
	// 10·n for CG and GMRES and 100 for multigrid.
	MaxIterations int
	// Preconditioner is applied as M⁻¹. Nil means none. For CG it must be
	// symmetric positive definite.
	Preconditioner Preconditioner
	// Side is where GMRES applies the preconditioner. The zero value is
	// Right. CG ignores it.
	Side Side
	// Restart is the m of GMRES(m): the Krylov dimension before a restart.
	// Zero means 30. CG ignores it.
	Restart int
}

const defaultTolerance = 1e-10

func (s *Settings) tolerance() float64 {
	if s == nil || s.Tolerance == 0 {
		return defaultTolerance
	}
	return s.Tolerance
}

func (s *Settings) maxIterations(def int) int {
	if s == nil || s.MaxIterations == 0 {
		return def
	}
	return s.MaxIterations
}

func (s *Settings) preconditioner() Preconditioner {
	if s == nil {
		return nil
	}
	return s.Preconditioner
}

func (s *Settings) check() error {
	if s == nil {
		return nil
	}
	switch {
	case s.Tolerance < 0 || s.Tolerance != s.Tolerance:
		return fmt.Errorf("sparse: tolerance %g is negative or NaN; use a positive value or zero for the default 1e-10", s.Tolerance)
	case s.MaxIterations < 0:
		return fmt.Errorf("sparse: MaxIterations %d is negative; use a positive cap or zero for the default", s.MaxIterations)
	case s.Restart < 0:
		return fmt.Errorf("sparse: GMRES restart %d is negative; use a positive Krylov dimension or zero for the default 30", s.Restart)
	case s.Side != Right && s.Side != Left:
		return fmt.Errorf("sparse: unknown preconditioning side %v; use sparse.Right or sparse.Left", s.Side)
	}
	return nil
}

// Result reports how an iterative solve ended.
type Result struct {
	Status Status
	// Iterations is the number of iterations taken (see
	// Settings.MaxIterations for what one iteration is).
	Iterations int
	// Residual is the final relative residual the method monitored (see
	// Settings.Tolerance).
	Residual float64
}

func checkLengths(x, b []float64) error {
	if len(x) != len(b) {
		return fmt.Errorf("sparse: solution has length %d but right-hand side has length %d; they must match the operator's size", len(x), len(b))
	}
	if len(b) == 0 {
		return fmt.Errorf("sparse: empty system; the right-hand side must have at least one entry")
	}
	return nil
}
