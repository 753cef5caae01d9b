package classical

import (
	"fmt"

	"github.com/neuralpde/neuralpde/pde"
)

// Config2D sets how the two-dimensional solvers (NavierStokes2D, Darcy,
// NewOperatorSolver2D) solve a preset. A nil *Config2D, or a zero field,
// means the default named in the field's comment.
type Config2D struct {
	// Dt is the time step of an evolution preset; zero means
	// DefaultNavierStokesDt. It is reduced to divide the save interval.
	Dt float64
	// Method is the time-stepping scheme of an evolution preset (CNHeun
	// or CNEuler); empty means CNHeun.
	Method string
	// StepsSaved is the number of saved times of an evolution preset;
	// zero means the preset's StepsSaved.
	StepsSaved int
	// Tolerance is the relative residual ‖b − Au‖/‖b‖ at which a steady
	// solve stops; zero means 1e-10.
	Tolerance float64
	// Progress, if not nil, is called after every time step with the
	// current time.
	Progress func(t float64)
}

// FieldSolver is a solver of a two-dimensional operator-learning preset:
// the method set of data.Solver (which classical does not import) and a
// description of the discretisation for the dataset's metadata.
type FieldSolver interface {
	InputShape() []int
	OutputShape() []int
	Solve(out, in []float64) error
	Description() string
}

// NewOperatorSolver2D returns the solver of the operator-learning preset p
// at res points per axis: a Darcy solver (input the coefficient a, output
// u, both res×res with the boundary) for a Darcy preset, a NavierStokes2D
// (input w(0), output w at StepsSaved times) for a Navier–Stokes preset.
func NewOperatorSolver2D(p *pde.Preset2D, res int, cfg *Config2D) (FieldSolver, error) {
	if p == nil {
		return nil, fmt.Errorf("classical: nil preset")
	}
	switch p.PDE.(type) {
	case pde.NavierStokes:
		return NewNavierStokes2D(p, res, cfg)
	case pde.Darcy:
		return NewDarcy(p, res, cfg)
	}
	return nil, fmt.Errorf("classical: preset %q (%s) has no 2-D operator solver; use darcy or navier-stokes", p.Name, pdeName(p.PDE))
}

var _ FieldSolver = (*NavierStokes2D)(nil)
