package classical

import (
	"fmt"
	"math"

	"github.com/neuralpde/neuralpde/operators"
)

// ReactDiffSystem is the Fisher–KPP reaction–diffusion equation
// u_t = ν u_xx + ρ u(1 − u) on a periodic interval, as a Semilinear system
// on the real-FFT coefficients of u on n points (FourierSystem's
// convention): the linear part ρ − νk² is integrated exactly by ETDRK4 and
// the quadratic term −ρu² is computed on the grid and dealiased by the 2/3
// rule. It is the reference solver of the neural spectral methods'
// reaction–diffusion problem (Du, Chalapathi & Krishnapriyan 2024, §4.2).
//
// A ReactDiffSystem holds an FFT plan and workspaces: one per goroutine.
type ReactDiffSystem struct {
	nu, rho float64
	plan    *operators.Fourier
	lin     []complex128
	cut     int
	u       []float64
}

var _ Semilinear = (*ReactDiffSystem)(nil)

// NewReactDiffSystem returns the system for ν ≥ 0 and ρ on n ≥ 4 points of
// a periodic domain of the given length.
func NewReactDiffSystem(nu, rho, length float64, n int) (*ReactDiffSystem, error) {
	if err := checkReactDiff(nu, rho, length, n); err != nil {
		return nil, err
	}
	plan := operators.NewFourier(n, length)
	s := &ReactDiffSystem{nu: nu, rho: rho, plan: plan, lin: make([]complex128, plan.NumModes()), cut: (n + 2) / 3, u: make([]float64, n)}
	for j := range s.lin {
		k := plan.Wavenumber(j)
		s.lin[j] = complex(rho-nu*k*k, 0)
	}
	return s, nil
}

// checkReactDiff checks the parameters of a periodic reaction–diffusion
// problem on n points.
func checkReactDiff(nu, rho, length float64, n int) error {
	if n < 4 {
		return fmt.Errorf("classical: a Fourier discretisation needs at least 4 points, got %d", n)
	}
	if !(nu >= 0) || math.IsInf(nu, 0) || math.IsNaN(rho) || math.IsInf(rho, 0) {
		return fmt.Errorf("classical: reaction–diffusion needs finite ν ≥ 0 and ρ, got ν = %g, ρ = %g", nu, rho)
	}
	if !(length > 0) || math.IsInf(length, 0) {
		return fmt.Errorf("classical: periodic domain length %g must be positive and finite", length)
	}
	return nil
}

// Dim returns n/2+1.
func (s *ReactDiffSystem) Dim() int { return len(s.lin) }

// Linear writes ρ − νk².
func (s *ReactDiffSystem) Linear(dst []complex128) { copy(dst, s.lin) }

// Nonlinear writes the dealiased coefficients of −ρu².
func (s *ReactDiffSystem) Nonlinear(dst []complex128, _ float64, v []complex128) {
	s.plan.Inverse(s.u, v)
	for i, x := range s.u {
		s.u[i] = -s.rho * x * x
	}
	s.plan.Forward(dst, s.u)
	clear(dst[s.cut:])
}

// SolveReactDiff writes to dst (len(ts)×n, row-major, time first) the
// solution at the times ts (non-decreasing, from 0) of u_t = ν u_xx +
// ρu(1−u) with initial values u0 on n periodic points of a domain of the
// given length, by ETDRK4 with steps of at most dt (equal steps between
// consecutive output times), and returns it. A nil dst is allocated.
func SolveReactDiff(dst, u0 []float64, nu, rho, length float64, ts []float64, dt float64) ([]float64, error) {
	n := len(u0)
	dst, err := checkReactDiffOutput(dst, n, ts, dt)
	if err != nil {
		return nil, err
	}
	sys, err := NewReactDiffSystem(nu, rho, length, n)
	if err != nil {
		return nil, err
	}
	et := NewETDRK4(sys)
	v := sys.plan.Forward(nil, u0)
	err = marchOutputs(ts, dt,
		func(t, h float64) error { return et.Step(v, t, h, v) },
		func(i int, ti float64) error {
			row := dst[i*n : (i+1)*n]
			sys.plan.Inverse(row, v)
			return checkFiniteRow(row, ti)
		})
	if err != nil {
		return nil, err
	}
	return dst, nil
}

// checkReactDiffOutput returns dst, allocated if nil, after checking its
// length against len(ts)×n and the step dt.
func checkReactDiffOutput(dst []float64, n int, ts []float64, dt float64) ([]float64, error) {
	if dst == nil {
		dst = make([]float64, len(ts)*n)
	}
	if len(dst) != len(ts)*n {
		return nil, fmt.Errorf("classical: reaction–diffusion destination has length %d, want %d×%d", len(dst), len(ts), n)
	}
	if !(dt > 0) {
		return nil, fmt.Errorf("classical: time step %g must be positive", dt)
	}
	return dst, nil
}

// marchOutputs advances a solution from t = 0 through the output times ts
// (non-decreasing): between consecutive outputs it calls step(t, h) with
// equal steps h of at most dt, and at each output time out(i, tᵢ).
func marchOutputs(ts []float64, dt float64, step func(t, h float64) error, out func(i int, ti float64) error) error {
	t := 0.0
	for i, ti := range ts {
		if ti < t {
			return fmt.Errorf("classical: output times must be non-decreasing from 0; %g follows %g", ti, t)
		}
		if span := ti - t; span > 0 {
			steps := int(math.Ceil(span/dt - 1e-9))
			h := span / float64(steps)
			for range steps {
				if err := step(t, h); err != nil {
					return err
				}
				t += h
			}
			t = ti
		}
		if err := out(i, ti); err != nil {
			return err
		}
	}
	return nil
}

// checkFiniteRow reports a non-finite value of the solution at time t.
func checkFiniteRow(row []float64, t float64) error {
	for _, x := range row {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("classical: reaction–diffusion solution is not finite at t = %g; use a smaller step", t)
		}
	}
	return nil
}
