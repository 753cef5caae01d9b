package classical

import (
	"fmt"
	"math"

	"github.com/neuralpde/neuralpde/operators"
	"github.com/neuralpde/neuralpde/pde"
)

// FourierSystem is the Fourier pseudo-spectral semi-discretisation of a
// periodic one-dimensional PDE (Trefethen 2000, ch. 3 and 10), written as a
// Semilinear system on the real-FFT coefficients v_j = Σ_m u(x_m) e^{−2πijm/n},
// j = 0, …, n/2:
//
//	v′ = Lv + N(v),
//
// with L the Fourier symbol of the constant-coefficient linear terms and N
// the nonlinear term, computed pseudo-spectrally (products on the grid)
// and dealiased by the 2/3 rule (Orszag 1971) unless Dealias is off. The
// equations it knows are pde.Burgers, pde.KdV, pde.KuramotoSivashinsky,
// pde.AllenCahn, pde.Heat and pde.Advection.
//
// A FourierSystem holds an FFT plan and workspaces: one per goroutine.
type FourierSystem struct {
	plan *operators.Fourier
	lin  []complex128
	// quad is the coefficient q of a conservative quadratic term
	// −q (u²/2)_x; cubic is the coefficient r of a reaction term −r u³.
	quad, cubic float64
	// cut is the first mode the 2/3 rule removes (len(lin) if none).
	cut int
	// dx[j] = −(quad/2)·k_j, the factor of the quadratic term's
	// derivative: −quad·(u²/2)_x has coefficients i·dx[j]·F(u²)_j.
	dx   []float64
	u    []float64
	dudx []complex128
}

var _ Semilinear = (*FourierSystem)(nil)

// NewFourierSystem returns the pseudo-spectral system of eq on n periodic
// points of a domain of the given length. dealias selects the 2/3 rule.
func NewFourierSystem(eq pde.Equation, n int, length float64, dealias bool) (*FourierSystem, error) {
	if n < 4 {
		return nil, fmt.Errorf("classical: a Fourier discretisation needs at least 4 points, got %d", n)
	}
	if !(length > 0) || math.IsInf(length, 0) {
		return nil, fmt.Errorf("classical: periodic domain length %g must be positive and finite", length)
	}
	plan := operators.NewFourier(n, length)
	nm := plan.NumModes()
	s := &FourierSystem{
		plan: plan,
		lin:  make([]complex128, nm),
		cut:  nm,
		u:    make([]float64, n),
		dudx: make([]complex128, nm),
	}
	// symbol(j) returns (ik)^p for each p as needed below.
	var a [5]float64 // coefficients of ∂ˣᵖu on the right-hand side u_t = Σ a_p ∂ˣᵖu + …
	switch e := eq.(type) {
	case pde.Burgers:
		a[2], s.quad = e.Nu, 1
	case pde.KdV:
		a[3], s.quad = -e.Delta, e.A
	case pde.KuramotoSivashinsky:
		a[2], a[4], s.quad = -e.B, -e.C, e.A
	case pde.AllenCahn:
		// u_t = ε u_xx + A u − A u³: the linear reaction goes into L, where
		// ETDRK4 integrates it exactly.
		a[0], a[2], s.cubic = e.A, e.Eps, e.A
	case pde.Heat:
		a[2] = e.Kappa
	case pde.Advection:
		a[1] = -e.C
	default:
		return nil, fmt.Errorf("classical: no Fourier discretisation for the %q equation", eq.Name())
	}
	for j := range s.lin {
		ik := complex(0, plan.Wavenumber(j))
		p := complex(1, 0)
		var l complex128
		for _, ap := range a {
			l += complex(ap, 0) * p
			p *= ik
		}
		s.lin[j] = l
	}
	if hasNyquist(n) && (a[1] != 0 || a[3] != 0) {
		// Odd derivatives of the Nyquist mode are not real on the grid.
		s.lin[nm-1] = complex(real(s.lin[nm-1]), 0)
	}
	if dealias {
		s.cut = (n + 2) / 3
	}
	s.dx = make([]float64, nm)
	for j := range s.dx {
		s.dx[j] = -0.5 * s.quad * plan.Wavenumber(j)
	}
	return s, nil
}

func hasNyquist(n int) bool { return n%2 == 0 }

// Dim returns the number of coefficients, n/2+1.
func (s *FourierSystem) Dim() int { return len(s.lin) }

// Plan returns the system's FFT plan.
func (s *FourierSystem) Plan() *operators.Fourier { return s.plan }

// Linear writes the Fourier symbol of the linear terms.
func (s *FourierSystem) Linear(dst []complex128) { copy(dst, s.lin) }

// Nonlinear writes the dealiased coefficients of the nonlinear term.
func (s *FourierSystem) Nonlinear(dst []complex128, _ float64, v []complex128) {
	if s.quad == 0 && s.cubic == 0 {
		for i := range dst {
			dst[i] = 0
		}
		return
	}
	u := s.u
	s.plan.Inverse(u, v)
	if s.quad != 0 {
		for i, x := range u {
			u[i] = x * x
		}
		s.plan.Forward(dst, u)
		// −q (u²/2)_x = −(q/2)·ik·F(u²).
		d := dst[:s.cut]
		for j, g := range s.dx[:len(d)] {
			d[j] = complex(-g*imag(d[j]), g*real(d[j]))
		}
	} else {
		for i, x := range u {
			u[i] = x * x * x
		}
		s.plan.Forward(dst, u)
		for j := range dst[:s.cut] {
			dst[j] *= complex(-s.cubic, 0)
		}
	}
	for j := s.cut; j < len(dst); j++ {
		dst[j] = 0
	}
}

// Truncate zeroes the modes the 2/3 rule removes (none without dealiasing).
func (s *FourierSystem) Truncate(v []complex128) {
	for j := s.cut; j < len(v); j++ {
		v[j] = 0
	}
}
