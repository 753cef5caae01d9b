package classical

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/neuralpde/neuralpde/operators"
	"github.com/neuralpde/neuralpde/pde"
)

// ChebyshevSystem is the Chebyshev collocation semi-discretisation of a
// one-dimensional PDE on [a, b] with Dirichlet boundary data (Trefethen
// 2000, ch. 6, 7 and 13): the unknowns are the values at the n−2 interior
// Gauss–Lobatto points, the boundary values are imposed from pde.BC at each
// time, and derivatives are products with the dense differentiation
// matrices. It knows pde.Heat, pde.Burgers and pde.AllenCahn, and has the
// Jacobian the implicit steppers need. The stiffness of D² (eigenvalues of
// order n⁴) is what the implicit DIRK steppers are for.
//
// A ChebyshevSystem holds workspaces: one per goroutine.
type ChebyshevSystem struct {
	eq     pde.Equation
	bc     pde.BC
	cheb   *operators.Chebyshev
	d1, d2 *mat.Dense
	n      int

	full, ux, uxx []float64
	vfull         *mat.VecDense
	vux, vuxx     *mat.VecDense
}

var _ JacobianSystem = (*ChebyshevSystem)(nil)

// NewChebyshevSystem returns the collocation system of eq on n ≥ 4
// Gauss–Lobatto points of [a, b] with Dirichlet data bc.
func NewChebyshevSystem(eq pde.Equation, bc pde.BC, n int, a, b float64) (*ChebyshevSystem, error) {
	switch eq.(type) {
	case pde.Heat, pde.Burgers, pde.AllenCahn:
	default:
		return nil, fmt.Errorf("classical: no Chebyshev discretisation for the %q equation", eq.Name())
	}
	if bc.Kind != pde.Dirichlet {
		return nil, fmt.Errorf("classical: Chebyshev collocation needs Dirichlet boundary conditions, got %v", bc.Kind)
	}
	if n < 4 {
		return nil, fmt.Errorf("classical: Chebyshev collocation needs at least 4 points, got %d", n)
	}
	cheb := operators.NewChebyshev(n, a, b)
	s := &ChebyshevSystem{
		eq: eq, bc: bc, cheb: cheb, n: n,
		d1: cheb.DiffMatrix(1), d2: cheb.DiffMatrix(2),
		full: make([]float64, n), ux: make([]float64, n), uxx: make([]float64, n),
	}
	s.vfull = mat.NewVecDense(n, s.full)
	s.vux = mat.NewVecDense(n, s.ux)
	s.vuxx = mat.NewVecDense(n, s.uxx)
	return s, nil
}

// Dim returns the number of interior points, n−2.
func (s *ChebyshevSystem) Dim() int { return s.n - 2 }

// Points returns the n Gauss–Lobatto points, increasing; the system's
// unknowns are the values at Points()[1:n−1].
func (s *ChebyshevSystem) Points() []float64 { return s.cheb.Points() }

// Full writes the values at all n points, the boundary values from the
// boundary condition at time t, into dst.
func (s *ChebyshevSystem) Full(dst []float64, t float64, u []float64) {
	dst[0] = s.bc.Value(0, t)
	copy(dst[1:s.n-1], u)
	dst[s.n-1] = s.bc.Value(1, t)
}

func (s *ChebyshevSystem) derivs(t float64, u []float64) {
	s.Full(s.full, t, u)
	s.vux.MulVec(s.d1, s.vfull)
	s.vuxx.MulVec(s.d2, s.vfull)
}

// Func writes the right-hand side at the interior points.
func (s *ChebyshevSystem) Func(dst []float64, t float64, u []float64) {
	s.derivs(t, u)
	ux, uxx := s.ux[1:s.n-1], s.uxx[1:s.n-1]
	switch e := s.eq.(type) {
	case pde.Heat:
		for i := range dst {
			dst[i] = e.Kappa * uxx[i]
		}
	case pde.Burgers:
		for i, v := range u {
			dst[i] = e.Nu*uxx[i] - v*ux[i]
		}
	case pde.AllenCahn:
		for i, v := range u {
			dst[i] = e.Eps*uxx[i] + e.A*(v-v*v*v)
		}
	}
}

// Jacobian writes ∂f/∂u at the interior points.
func (s *ChebyshevSystem) Jacobian(dst *mat.Dense, t float64, u []float64) {
	m := s.n - 2
	d1 := s.d1.Slice(1, s.n-1, 1, s.n-1)
	d2 := s.d2.Slice(1, s.n-1, 1, s.n-1)
	switch e := s.eq.(type) {
	case pde.Heat:
		dst.Scale(e.Kappa, d2)
	case pde.Burgers:
		// ν D2 − diag(u_x) − diag(u) D1.
		s.derivs(t, u)
		for i := 0; i < m; i++ {
			for j := 0; j < m; j++ {
				dst.Set(i, j, e.Nu*d2.At(i, j)-u[i]*d1.At(i, j))
			}
			dst.Set(i, i, dst.At(i, i)-s.ux[i+1])
		}
	case pde.AllenCahn:
		dst.Scale(e.Eps, d2)
		for i, v := range u {
			dst.Set(i, i, dst.At(i, i)+e.A*(1-3*v*v))
		}
	}
}

func solveChebyshev(sol *Solution, p *pde.Preset, c Config) error {
	sys, err := NewChebyshevSystem(p.Equation, p.BC, c.Modes, p.X.A, p.X.B)
	if err != nil {
		return err
	}
	var st *DIRK
	switch c.Method {
	case "sdirk2":
		st = NewSDIRK2(sys)
	case "sdirk3":
		st = NewSDIRK3(sys)
	case "cn":
		st = NewCrankNicolson(sys)
	}
	x := sys.Points()
	u := make([]float64, sys.Dim())
	for i := range u {
		u[i] = p.Initial(x[i+1])
	}
	nx := len(sol.X)
	for j, xj := range sol.X {
		sol.U[j] = p.Initial(xj)
	}
	sol.Dt = c.Dt
	if len(sol.T) == 1 {
		return nil
	}
	full := make([]float64, c.Modes)
	for i := 1; i < len(sol.T); i++ {
		res, err := Integrate(u, sol.T[i-1], sol.T[i], st, &Settings{Dt: c.Dt, Progress: c.Progress})
		sol.Steps += res.Steps
		sol.Dt = res.Dt
		if err != nil {
			return err
		}
		sys.Full(full, sol.T[i], u)
		sys.cheb.Interpolate(sol.U[i*nx:(i+1)*nx], full, sol.X)
	}
	return nil
}
