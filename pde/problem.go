package pde

import (
	"fmt"
	"sort"
)

// Equation is one PDE of the catalogue, with its parameters held in the
// concrete type (for example Burgers{Nu: 0.01/π}). Solvers switch on the
// concrete type; neural models only need Residual and Needs.
type Equation interface {
	// Name is the equation's catalogue name, for example "burgers".
	Name() string
	// Needs is the set of derivatives Residual reads from the jet.
	Needs() Deriv
	// Residual returns the pointwise residual, zero where u solves the
	// equation, computed with a from the derivatives in j.
	Residual(a Algebra, j Jet) Term
}

// BCKind is the kind of a boundary condition.
type BCKind int

const (
	// PeriodicBC identifies the two ends of the interval.
	PeriodicBC BCKind = iota
	// Dirichlet prescribes u at the boundary.
	Dirichlet
	// Neumann prescribes the outward normal derivative at the boundary.
	Neumann
)

func (k BCKind) String() string {
	switch k {
	case PeriodicBC:
		return "periodic"
	case Dirichlet:
		return "dirichlet"
	case Neumann:
		return "neumann"
	}
	return fmt.Sprintf("BCKind(%d)", int(k))
}

// BC is a boundary condition on a one-dimensional interval. Left and Right
// give the prescribed value (Dirichlet) or outward normal derivative
// (Neumann) at time t; nil means zero. Both are ignored for PeriodicBC.
type BC struct {
	Kind        BCKind
	Left, Right func(t float64) float64
}

// Value returns the prescribed boundary value at the left (side 0) or right
// (side 1) end at time t.
func (bc BC) Value(side int, t float64) float64 {
	f := bc.Left
	if side == 1 {
		f = bc.Right
	}
	if f == nil {
		return 0
	}
	return f(t)
}

// RandomField describes the Gaussian random field N(0, σ²(−Δ + τ²I)^−α)
// from which an operator-learning preset draws its input functions, with the
// parameters named as in the FNO papers (Li et al. 2021). The sampler lives
// in package data; this is only the law.
type RandomField struct {
	Alpha, Tau, Sigma float64
	// BC is the boundary condition of the Laplacian in the covariance:
	// PeriodicBC or Neumann.
	BC BCKind
}

// Preset is a named benchmark problem with its exact parameters. The names
// are part of the CLI.
type Preset struct {
	Name        string
	Description string
	Equation    Equation

	// X is the spatial interval and BC its boundary condition. For a
	// periodic problem the grid is periodic on [X.A, X.B).
	X  Interval
	BC BC
	// T is the time interval [0, T.B] of an evolution problem.
	T Interval

	// Initial is the initial condition; nil when the initial data is drawn
	// from InitialLaw.
	Initial func(x float64) float64
	// InitialLaw is the law of random initial data of an operator-learning
	// preset; nil for a preset with fixed initial data.
	InitialLaw *RandomField

	// Exact is the exact solution u(t, x), nil when none is known.
	Exact func(t, x float64) float64
	// ExactGrid, when not nil, writes Exact on the tensor grid t × x into
	// dst (row-major, time first; nil allocates) faster than point by
	// point. Use the ExactOnGrid method, which falls back to Exact.
	ExactGrid func(dst, t, x []float64) []float64

	// NX and NT are the preset's standard space–time grid: the sizes of the
	// x and t arrays that `neuralpde solve` writes by default.
	NX, NT int
}

// SpaceGrid returns the preset's standard spatial grid with n points: periodic
// on [X.A, X.B) for a periodic problem, uniform with both end points
// otherwise. n ≤ 0 means NX.
func (p *Preset) SpaceGrid(n int) Grid {
	if n <= 0 {
		n = p.NX
	}
	if p.BC.Kind == PeriodicBC {
		return NewPeriodicGrid(p.X.A, p.X.B, n)
	}
	return NewUniformGrid(p.X.A, p.X.B, n)
}

// TimeGrid returns the preset's standard output times, m of them. m ≤ 0
// means NT.
func (p *Preset) TimeGrid(m int) []float64 {
	if m <= 0 {
		m = p.NT
	}
	return p.timeGrid(m)
}

// ExactOnGrid writes the exact solution on the tensor grid t × x into dst
// (row-major, time first; nil allocates) and returns it. It panics when the
// preset has no exact solution.
func (p *Preset) ExactOnGrid(dst, t, x []float64) []float64 {
	if p.ExactGrid != nil {
		return p.ExactGrid(dst, t, x)
	}
	if p.Exact == nil {
		panic("pde: preset " + p.Name + " has no exact solution")
	}
	if dst == nil {
		dst = make([]float64, len(t)*len(x))
	}
	if len(dst) != len(t)*len(x) {
		panic(fmt.Sprintf("pde: ExactOnGrid destination has length %d, want %d", len(dst), len(t)*len(x)))
	}
	for i, ti := range t {
		for j, xj := range x {
			dst[i*len(x)+j] = p.Exact(ti, xj)
		}
	}
	return dst
}

var presets = map[string]*Preset{}

// register adds p to the catalogue of named presets; a duplicate name panics
// at start-up.
func register(p *Preset) {
	if _, dup := presets[p.Name]; dup {
		panic("pde: duplicate preset " + p.Name)
	}
	presets[p.Name] = p
}

// ErrUnknownPreset is wrapped by Lookup when no preset has the given name.
var ErrUnknownPreset = fmt.Errorf("pde: unknown preset")

// Lookup returns the named preset. The returned Preset is a copy the caller
// may modify.
func Lookup(name string) (*Preset, error) {
	p, ok := presets[name]
	if !ok {
		return nil, fmt.Errorf("%w %q (known presets: %v)", ErrUnknownPreset, name, PresetNames())
	}
	c := *p
	return &c, nil
}

// PresetNames returns the names of all presets, sorted.
func PresetNames() []string {
	names := make([]string, 0, len(presets))
	for n := range presets {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
