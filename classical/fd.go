package classical

import (
	"fmt"

	"github.com/neuralpde/neuralpde/operators"
	"github.com/neuralpde/neuralpde/pde"
)

// FDSystem is the finite-difference method-of-lines semi-discretisation of
// a linear one-dimensional PDE, pde.Heat or pde.Advection, with centred
// differences of order 2 or 4 (operators.D1, operators.D2; Fornberg 1988).
// On a periodic grid the unknowns are the n grid values; on a uniform grid
// with Dirichlet data they are the n−2 interior values, the boundary
// values being imposed from pde.BC at each time (near the ends the
// stencils are one-sided, of the same order). It serves the space
// convergence-order tests and any caller who wants a finite-difference
// reference; the presets themselves are solved spectrally.
type FDSystem struct {
	eq       pde.Equation
	bc       pde.BC
	n, order int
	h        float64
	periodic bool
	full, d  []float64
}

var _ System = (*FDSystem)(nil)

// NewFDSystem returns the FD system of eq on grid g (Periodic, or Uniform
// with Dirichlet data bc) with difference order 2 or 4.
func NewFDSystem(eq pde.Equation, g pde.Grid, bc pde.BC, order int) (*FDSystem, error) {
	switch eq.(type) {
	case pde.Heat, pde.Advection:
	default:
		return nil, fmt.Errorf("classical: no finite-difference discretisation for the %q equation", eq.Name())
	}
	if order != 2 && order != 4 {
		return nil, fmt.Errorf("classical: finite-difference order %d is not available; use 2 or 4", order)
	}
	s := &FDSystem{eq: eq, bc: bc, n: g.N, order: order}
	switch g.Kind {
	case pde.Periodic:
		s.periodic = true
	case pde.Uniform:
		if bc.Kind != pde.Dirichlet {
			return nil, fmt.Errorf("classical: a uniform grid with ends needs Dirichlet data, got %v", bc.Kind)
		}
		if _, ok := eq.(pde.Advection); ok {
			return nil, fmt.Errorf("classical: advection with Dirichlet data at both ends is ill-posed; use a periodic grid")
		}
	default:
		return nil, fmt.Errorf("classical: finite differences need a periodic or uniform grid, got %v", g.Kind)
	}
	if g.N < 8 {
		return nil, fmt.Errorf("classical: finite differences need at least 8 points, got %d", g.N)
	}
	s.h = g.Spacing()
	s.full = make([]float64, g.N)
	s.d = make([]float64, g.N)
	return s, nil
}

// Dim returns n (periodic) or n−2 (Dirichlet).
func (s *FDSystem) Dim() int {
	if s.periodic {
		return s.n
	}
	return s.n - 2
}

// Full writes the values at all n grid points at time t into dst.
func (s *FDSystem) Full(dst []float64, t float64, u []float64) {
	if s.periodic {
		copy(dst, u)
		return
	}
	dst[0] = s.bc.Value(0, t)
	copy(dst[1:s.n-1], u)
	dst[s.n-1] = s.bc.Value(1, t)
}

// Func writes the right-hand side.
func (s *FDSystem) Func(dst []float64, t float64, u []float64) {
	s.Full(s.full, t, u)
	var c float64
	switch e := s.eq.(type) {
	case pde.Heat:
		operators.D2(s.d, s.full, s.h, s.order, s.periodic)
		c = e.Kappa
	case pde.Advection:
		operators.D1(s.d, s.full, s.h, s.order, s.periodic)
		c = -e.C
	}
	d := s.d
	if !s.periodic {
		d = d[1 : s.n-1]
	}
	for i, v := range d {
		dst[i] = c * v
	}
}
