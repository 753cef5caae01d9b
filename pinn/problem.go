package pinn

import (
	"errors"
	"fmt"
	"math"

	"github.com/neuralpde/neuralpde/pde"
)

// Problem is a PDE problem in the form a PINN trains on: a catalogue
// equation on a spatial domain (and a time interval for an evolution
// problem), with its initial and boundary data. A point p is the slice of
// the network's inputs: the space coordinates (x, then y), then t for an
// evolution problem.
type Problem struct {
	// Name identifies the problem in checkpoints and logs (a preset name).
	Name string
	// Equation supplies the residual, evaluated on the network's jets.
	Equation pde.Equation
	// Space is the spatial domain: an Interval or a *Polygon.
	Space Domain
	// Time is the time interval of an evolution problem; nil for a steady
	// one.
	Time *pde.Interval
	// Initial is u at t = Time.A as a function of the space coordinates;
	// evolution problems need it.
	Initial func(x []float64) float64
	// BC is the kind of boundary condition on all of ∂Space: Dirichlet,
	// Neumann, or PeriodicBC (an Interval only).
	BC pde.BCKind
	// Boundary is the Dirichlet value or outward normal derivative at a
	// boundary point p (with t last); nil means zero.
	Boundary func(p []float64) float64
	// Source is the value put in the jet's F field at each collocation
	// point (the Poisson source f); nil means zero.
	Source func(p []float64) float64
	// Exact is the exact solution, nil when none is known.
	Exact func(p []float64) float64
}

// Dim returns the number of network inputs.
func (p *Problem) Dim() int {
	if p.Time != nil {
		return p.Space.Dim() + 1
	}
	return p.Space.Dim()
}

// Domain returns the space–time cylinder of an evolution problem, or
// Space for a steady one.
func (p *Problem) Domain() Domain {
	if p.Time != nil {
		return SpaceTime{Space: p.Space, T: *p.Time}
	}
	return p.Space
}

// Validate reports the first inconsistency of p.
func (p *Problem) Validate() error {
	switch {
	case p.Equation == nil:
		return errors.New("pinn: problem without an equation")
	case p.Space == nil:
		return errors.New("pinn: problem without a spatial domain")
	case p.Space.Dim() > 2:
		return fmt.Errorf("pinn: spatial dimension %d; at most 2 are supported", p.Space.Dim())
	case p.Time != nil && !(p.Time.B > p.Time.A):
		return fmt.Errorf("pinn: time interval [%g, %g] is empty", p.Time.A, p.Time.B)
	case p.Time != nil && p.Initial == nil:
		return errors.New("pinn: an evolution problem needs Initial data")
	case p.BC == pde.PeriodicBC:
		if _, ok := p.Space.(Interval); !ok {
			return errors.New("pinn: periodic boundary conditions are supported on an Interval only")
		}
	case p.BC != pde.Dirichlet && p.BC != pde.Neumann:
		return fmt.Errorf("pinn: unknown boundary condition %v", p.BC)
	}
	needs := p.Equation.Needs()
	if p.Time == nil && needs&pde.DT != 0 {
		return fmt.Errorf("pinn: equation %s needs u_t but the problem has no time interval", p.Equation.Name())
	}
	if p.Space.Dim() == 1 && needs&(pde.DY|pde.DYY|pde.DXY) != 0 {
		return fmt.Errorf("pinn: equation %s needs y derivatives but the domain is one-dimensional", p.Equation.Name())
	}
	return nil
}

// FromPreset returns the PINN problem of a time-dependent preset with
// fixed initial data.
func FromPreset(pr *pde.Preset) (*Problem, error) {
	if pr.Initial == nil {
		return nil, fmt.Errorf("pinn: preset %q draws its initial data from a random field; a PINN needs fixed initial data", pr.Name)
	}
	t := pr.T
	p := &Problem{
		Name:     pr.Name,
		Equation: pr.Equation,
		Space:    Interval{A: pr.X.A, B: pr.X.B},
		Time:     &t,
		Initial:  func(x []float64) float64 { return pr.Initial(x[0]) },
		BC:       pr.BC.Kind,
	}
	if pr.BC.Kind != pde.PeriodicBC && (pr.BC.Left != nil || pr.BC.Right != nil) {
		bc, mid := pr.BC, (pr.X.A+pr.X.B)/2
		p.Boundary = func(q []float64) float64 {
			if q[0] < mid {
				return bc.Value(0, q[1])
			}
			return bc.Value(1, q[1])
		}
	}
	if pr.Exact != nil {
		p.Exact = func(q []float64) float64 { return pr.Exact(q[1], q[0]) }
	}
	return p, nil
}

// FromSteadyPreset returns the PINN problem of a steady planar preset.
func FromSteadyPreset(pr *pde.SteadyPreset) (*Problem, error) {
	poly, err := NewPolygon(pr.Region)
	if err != nil {
		return nil, fmt.Errorf("pinn: preset %q: %w", pr.Name, err)
	}
	p := &Problem{Name: pr.Name, Equation: pr.Equation, Space: poly, BC: pde.Dirichlet}
	if f := pr.Source; f != nil {
		p.Source = func(q []float64) float64 { return f(q[0], q[1]) }
	}
	if g := pr.Boundary; g != nil {
		p.Boundary = func(q []float64) float64 { return g(q[0], q[1]) }
	}
	if u := pr.Exact; u != nil {
		p.Exact = func(q []float64) float64 { return u(q[0], q[1]) }
	}
	return p, nil
}

// LookupProblem returns the PINN problem of the named preset, evolution or
// steady.
func LookupProblem(name string) (*Problem, error) {
	if pr, err := pde.Lookup(name); err == nil {
		return FromPreset(pr)
	}
	if pr, err := pde.LookupSteady(name); err == nil {
		return FromSteadyPreset(pr)
	}
	names := append(pde.PresetNames(), pde.SteadyPresetNames()...)
	return nil, fmt.Errorf("%w %q (known presets: %v)", pde.ErrUnknownPreset, name, names)
}

// derivSlot says where a pde.Deriv lives in an MLP jet: input i, order k
// (k = 0 for a mixed second derivative of inputs 0 and 1).
type derivSlot struct {
	d     pde.Deriv
	input int
	order int
}

// slots returns the jet slots of the derivatives in need for a problem
// whose time input (if any) is tIndex.
func slots(need pde.Deriv, tIndex int) []derivSlot {
	all := []derivSlot{
		{pde.DX, 0, 1}, {pde.DXX, 0, 2}, {pde.DXXX, 0, 3}, {pde.DXXXX, 0, 4},
		{pde.DY, 1, 1}, {pde.DYY, 1, 2}, {pde.DXY, 0, 0}, {pde.DT, tIndex, 1},
	}
	var out []derivSlot
	for _, s := range all {
		if need&s.d != 0 {
			out = append(out, s)
		}
	}
	return out
}

// allDerivs lists the derivatives a jet holds, in the order of
// jetFields.
var allDerivs = []pde.Deriv{pde.DU, pde.DT, pde.DX, pde.DXX, pde.DXXX, pde.DXXXX, pde.DY, pde.DYY, pde.DXY}

// jetFields returns pointers to the derivative fields of j, in the order
// of allDerivs.
func jetFields(j *pde.Jet) []*pde.Term {
	return []*pde.Term{&j.U, &j.Ut, &j.Ux, &j.Uxx, &j.Uxxx, &j.Uxxxx, &j.Uy, &j.Uyy, &j.Uxy}
}

// jetField returns a pointer to the field of j that holds d.
func jetField(j *pde.Jet, d pde.Deriv) *pde.Term {
	for i, f := range jetFields(j) {
		if allDerivs[i] == d {
			return f
		}
	}
	return nil
}

// effectiveNeeds returns the derivatives the residuals of eqs actually
// read: those in Needs whose value changes the pointwise residual. A
// derivative multiplied by a coefficient that is zero (u_xxxx of a
// Kuramoto–Sivashinsky form with C = 0) is dropped, so its jet is not
// built. The test evaluates each residual with pde.Float at a few seeded
// random jets.
func effectiveNeeds(eqs ...pde.Equation) pde.Deriv {
	var need pde.Deriv
	vals := []float64{0.37, -1.21, 0.83, 2.05, -0.44, 1.67, -0.91, 0.58, 1.13, -0.27, 0.71, -1.49}
	for _, eq := range eqs {
		declared := eq.Needs()
		for trial := 0; trial < 3; trial++ {
			base := pde.Jet{}
			fields := append([]*pde.Term{&base.X, &base.Y, &base.T, &base.F}, jetFields(&base)...)
			for i, f := range fields {
				*f = vals[(i+5*trial)%len(vals)] * float64(trial+1)
			}
			r0 := eq.Residual(pde.Float{}, base).(float64)
			for _, d := range allDerivs {
				if declared&d == 0 || need&d != 0 {
					continue
				}
				pert := base
				f := jetField(&pert, d)
				*f = (*f).(float64) + 0.731
				if r := eq.Residual(pde.Float{}, pert).(float64); math.Abs(r-r0) > 1e-14*(1+math.Abs(r0)) {
					need |= d
				}
			}
		}
	}
	return need
}
