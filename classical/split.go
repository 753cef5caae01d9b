package classical

import (
	"fmt"
	"math"

	"github.com/neuralpde/neuralpde/operators"
)

// Splitting selects the operator splitting of SolveReactDiffSplit.
type Splitting int

const (
	// LieSplitting takes u ← D(h) R(h) u per step: first order in h.
	// With as many steps as grid points it is the reference solver of Du,
	// Chalapathi & Krishnapriyan (2024), whose inference-speed comparison
	// (their plot/reaction.solver.py) runs it on n points and n steps.
	LieSplitting Splitting = iota + 1
	// StrangSplitting takes u ← R(h/2) D(h) R(h/2) u per step: second
	// order. Consecutive half reactions are merged into one.
	StrangSplitting
)

// String returns "Lie" or "Strang".
func (s Splitting) String() string {
	switch s {
	case LieSplitting:
		return "Lie"
	case StrangSplitting:
		return "Strang"
	}
	return fmt.Sprintf("Splitting(%d)", int(s))
}

// SolveReactDiffSplit writes to dst (len(ts)×n, row-major, time first) the
// solution at the times ts (non-decreasing, from 0) of u_t = ν u_xx +
// ρu(1−u) with initial values u0 on n periodic points of a domain of the
// given length, by operator splitting with steps of at most dt (equal
// steps between consecutive output times), and returns it. Both parts are
// integrated exactly: the reaction R(τ) pointwise by the logistic flow
// u ↦ ue^{ρτ}/(1 + u(e^{ρτ} − 1)), the diffusion D(τ) by the Fourier
// multiplier e^{−νk²τ}; the error is the splitting's alone (O(h) for Lie,
// O(h²) for Strang) plus the grid's. A nil dst is allocated.
//
// The logistic flow of a negative value blows up in finite time; a step
// that crosses it returns an error.
func SolveReactDiffSplit(dst, u0 []float64, nu, rho, length float64, ts []float64, dt float64, split Splitting) ([]float64, error) {
	n := len(u0)
	dst, err := checkReactDiffOutput(dst, n, ts, dt)
	if err != nil {
		return nil, err
	}
	if split != LieSplitting && split != StrangSplitting {
		return nil, fmt.Errorf("classical: unknown splitting %v; use LieSplitting or StrangSplitting", split)
	}
	if err := checkReactDiff(nu, rho, length, n); err != nil {
		return nil, err
	}
	s := newSplitter(nu, rho, length, n)
	copy(s.u, u0)
	// owed is the reaction time Strang splitting has yet to apply: the
	// second half step of the last step, merged with the next step's
	// first half or applied before an output.
	owed := 0.0
	err = marchOutputs(ts, dt,
		func(_, h float64) error {
			if split == LieSplitting {
				if err := s.react(h); err != nil {
					return err
				}
				s.diffuse(h)
				return nil
			}
			if err := s.react(owed + h/2); err != nil {
				return err
			}
			s.diffuse(h)
			owed = h / 2
			return nil
		},
		func(i int, ti float64) error {
			if owed > 0 {
				if err := s.react(owed); err != nil {
					return err
				}
				owed = 0
			}
			row := dst[i*n : (i+1)*n]
			copy(row, s.u)
			return checkFiniteRow(row, ti)
		})
	if err != nil {
		return nil, err
	}
	return dst, nil
}

// splitter holds the state and workspaces of SolveReactDiffSplit.
type splitter struct {
	nu, rho float64
	plan    *operators.Fourier
	u       []float64
	c       []complex128
	// mult is e^{−νk²h} for the step h it was last built for.
	mult []float64
	h    float64
}

func newSplitter(nu, rho, length float64, n int) *splitter {
	plan := operators.NewFourier(n, length)
	return &splitter{nu: nu, rho: rho, plan: plan, u: make([]float64, n),
		c: make([]complex128, plan.NumModes()), mult: make([]float64, plan.NumModes()), h: math.NaN()}
}

// react applies the exact logistic flow for time tau to every point.
func (s *splitter) react(tau float64) error {
	if tau == 0 {
		return nil
	}
	em1 := math.Expm1(s.rho * tau)
	for i, u := range s.u {
		d := 1 + u*em1
		if !(d > 0) {
			return fmt.Errorf("classical: the logistic flow of u = %g blows up within a step of %g; reaction–diffusion splitting needs u > −1/(e^{ρh} − 1)", u, tau)
		}
		s.u[i] = u * (1 + em1) / d
	}
	return nil
}

// diffuse applies the exact heat flow for time h.
func (s *splitter) diffuse(h float64) {
	if !sameStep(h, s.h) {
		for j := range s.mult {
			k := s.plan.Wavenumber(j)
			s.mult[j] = math.Exp(-s.nu * k * k * h)
		}
		s.h = h
	}
	s.plan.Forward(s.c, s.u)
	for j, m := range s.mult {
		s.c[j] *= complex(m, 0)
	}
	s.plan.Inverse(s.u, s.c)
}
