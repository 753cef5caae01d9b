package classical

import (
	"fmt"

	"github.com/neuralpde/neuralpde/pde"
)

// AntiderivativeSolver maps u sampled at n uniform points x_0 < … < x_{n−1}
// (both ends of the interval) to s(x_j) = ∫_{x_0}^{x_j} u(x) dx at the same
// points: the data of the DeepONet antiderivative benchmark (Lu et al.
// 2021). Each interval's integral is that of the cubic through the four
// nearest samples,
//
//	∫_{x_i}^{x_{i+1}} u ≈ h(−u_{i−1} + 13u_i + 13u_{i+1} − u_{i+2})/24
//
// inside, and the one-sided h(9u_0 + 19u_1 − 5u_2 + u_3)/24 (mirrored) in
// the end intervals, so the cumulative sum is fourth-order accurate.
//
// It satisfies data.Solver and holds no workspace.
type AntiderivativeSolver struct {
	n int
	h float64
}

// NewAntiderivativeSolver returns the solver on the uniform grid g (at
// least 4 points).
func NewAntiderivativeSolver(g pde.Grid) (*AntiderivativeSolver, error) {
	if g.Kind != pde.Uniform {
		return nil, fmt.Errorf("classical: the antiderivative solver needs a uniform grid with both ends, got %v", g.Kind)
	}
	if g.N < 4 {
		return nil, fmt.Errorf("classical: the antiderivative solver needs at least 4 points, got %d", g.N)
	}
	return &AntiderivativeSolver{n: g.N, h: g.Spacing()}, nil
}

// NewAntiderivativePresetSolver returns the solver of the operator preset
// p (antiderivative) on its sensor grid.
func NewAntiderivativePresetSolver(p *pde.OperatorPreset) (*AntiderivativeSolver, error) {
	if _, ok := p.Equation.(pde.Antiderivative); !ok {
		return nil, fmt.Errorf("classical: preset %q is not an antiderivative preset", p.Name)
	}
	if p.NX != p.Sensors {
		return nil, fmt.Errorf("classical: antiderivative preset %q has %d output points and %d sensors; they must agree", p.Name, p.NX, p.Sensors)
	}
	return NewAntiderivativeSolver(p.SensorGrid())
}

// InputShape and OutputShape are both (n).
func (s *AntiderivativeSolver) InputShape() []int  { return []int{s.n} }
func (s *AntiderivativeSolver) OutputShape() []int { return []int{s.n} }

// Solve writes the antiderivative of in into out; wrong lengths are an
// error.
func (s *AntiderivativeSolver) Solve(out, in []float64) error {
	n := s.n
	if len(in) != n || len(out) != n {
		return fmt.Errorf("classical: antiderivative of %d values into %d; both must be %d", len(in), len(out), n)
	}
	c := s.h / 24
	out[0] = 0
	for i := 0; i < n-1; i++ {
		var q float64
		switch {
		case i == 0:
			q = 9*in[0] + 19*in[1] - 5*in[2] + in[3]
		case i == n-2:
			q = 9*in[n-1] + 19*in[n-2] - 5*in[n-3] + in[n-4]
		default:
			q = -in[i-1] + 13*in[i] + 13*in[i+1] - in[i+2]
		}
		out[i+1] = out[i] + c*q
	}
	return nil
}
