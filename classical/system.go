package classical

import "gonum.org/v1/gonum/mat"

// System is an ODE system u′ = f(t, u) on ℝⁿ, for example the
// method-of-lines semi-discretisation of a PDE.
type System interface {
	// Dim returns n, the length of u.
	Dim() int
	// Func writes f(t, u) into dst. dst and u never overlap.
	Func(dst []float64, t float64, u []float64)
}

// JacobianSystem is a System that can also write its Jacobian ∂f/∂u. The
// implicit steppers (DIRK) need it for their Newton solves.
type JacobianSystem interface {
	System
	// Jacobian writes ∂f/∂u at (t, u) into dst, an n×n matrix.
	Jacobian(dst *mat.Dense, t float64, u []float64)
}

// Semilinear is an ODE system v′ = Lv + N(t, v) on ℂⁿ whose linear part L is
// diagonal, as the Fourier coefficients of a periodic PDE whose linear terms
// have constant coefficients. ETDRK4 integrates L exactly and N explicitly.
type Semilinear interface {
	// Dim returns n, the length of v.
	Dim() int
	// Linear writes the diagonal of L into dst.
	Linear(dst []complex128)
	// Nonlinear writes N(t, v) into dst. dst and v never overlap.
	Nonlinear(dst []complex128, t float64, v []complex128)
}

// Stepper advances a System by one step. A Stepper holds the workspaces of
// one System and is not safe for concurrent use.
type Stepper interface {
	// Order returns the order p of the method: the global error is O(dtᵖ).
	Order() int
	// Step writes the solution at t+dt into dst, given u at t. dst and u may
	// be the same slice. Explicit steppers never fail; an implicit stepper
	// returns an error when its nonlinear solve does not converge.
	Step(dst []float64, t, dt float64, u []float64) error
}

// Embedded is a Stepper with an embedded solution of lower order, whose
// difference from the main solution estimates the local error. Adaptive
// integration (Integrate with a Controller) needs it.
type Embedded interface {
	Stepper
	// StepError is Step that also writes the local error estimate into
	// errEst.
	StepError(dst, errEst []float64, t, dt float64, u []float64) error
	// ErrorOrder returns the order of the embedded solution; a step-size
	// controller uses it to scale its exponents.
	ErrorOrder() int
}

func checkLen(name string, got, want int) {
	if got != want {
		panic("classical: " + name + " has the wrong length")
	}
}
