package pde

import (
	"fmt"
	"math"
	"sort"
)

// Darcy is the steady Darcy flow equation −∇·(a∇u) = f with a constant
// source f, the coefficient a carried in the jet's F field (the input of
// the FNO Darcy benchmark is a itself).
//
// The jet holds no derivatives of a, so the residual is the form the
// equation takes where a is locally constant, −a(u_xx + u_yy) − f. For the
// piecewise-constant coefficient of the darcy preset this is the equation
// everywhere off the interfaces between the two values; across an
// interface the flux a∂u/∂n is continuous, a condition no pointwise
// residual expresses. A smooth coefficient would need a_x u_x + a_y u_y as
// well, which the classical solvers (classical.Darcy) include through their
// finite-volume discretisation.
type Darcy struct {
	// Source is the constant right-hand side f (1 in the FNO benchmark).
	Source float64
}

func (Darcy) Name() string                 { return "darcy" }
func (Darcy) Needs() Deriv                 { return DXX | DYY }
func (e Darcy) Params() map[string]float64 { return map[string]float64{"f": e.Source} }

// Residual returns −a(u_xx + u_yy) − f, a read from j.F.
func (e Darcy) Residual(a Algebra, j Jet) Term {
	return a.Shift(-e.Source, a.Scale(-1, a.Mul(j.F, a.Add(j.Uxx, j.Uyy))))
}

// NavierStokes is the two-dimensional incompressible Navier–Stokes equation
// in vorticity form on a periodic domain,
//
//	∂_t w + u·∇w = ν Δw + f,  u = (∂_y ψ, −∂_x ψ),  −Δψ = w,
//
// with the forcing f a function of position (Preset2D.Source). The velocity
// is a non-local function of w (through the stream function ψ), which a
// pointwise derivative jet cannot carry, so NavierStokes has no pointwise
// residual and is not an Equation: it is solved by the pseudo-spectral
// solvers of package classical only.
type NavierStokes struct {
	// Nu is the kinematic viscosity ν.
	Nu float64
}

func (NavierStokes) Name() string                 { return "navier-stokes" }
func (e NavierStokes) Params() map[string]float64 { return map[string]float64{"nu": e.Nu} }

// PDE2D is the problem of a two-dimensional preset: a catalogue Equation
// (Poisson, Darcy) or an equation without a pointwise residual
// (NavierStokes). Params gives its named parameters for metadata.
type PDE2D interface {
	Name() string
	Params() map[string]float64
}

// Threshold maps a random field g to a two-valued coefficient: Above where
// g ≥ Level and Below elsewhere. It is the law of the FNO Darcy
// coefficient (12 where a Gaussian random field is non-negative, 3
// elsewhere).
type Threshold struct {
	Level, Above, Below float64
}

// Apply writes the coefficient of the field g into dst and returns it. A
// nil dst is allocated; a length that differs from g's panics.
func (t Threshold) Apply(dst, g []float64) []float64 {
	if dst == nil {
		dst = make([]float64, len(g))
	}
	if len(dst) != len(g) {
		panic(fmt.Sprintf("pde: Threshold.Apply destination has length %d, want %d", len(dst), len(g)))
	}
	for i, v := range g {
		if v >= t.Level {
			dst[i] = t.Above
		} else {
			dst[i] = t.Below
		}
	}
	return dst
}

// Input2D says what the random input of an operator-learning 2-D preset is.
type Input2D int

const (
	// NoInput marks a preset with fixed data (a manufactured solution).
	NoInput Input2D = iota
	// CoefficientInput is a coefficient field: the input is Coefficient
	// applied to a draw of InputLaw (darcy).
	CoefficientInput
	// InitialInput is the initial condition, a draw of InputLaw
	// (navier-stokes).
	InitialInput
)

func (k Input2D) String() string {
	switch k {
	case NoInput:
		return "none"
	case CoefficientInput:
		return "coefficient"
	case InitialInput:
		return "initial"
	}
	return fmt.Sprintf("Input2D(%d)", int(k))
}

// Preset2D is a named problem on a rectangle X × Y of the plane: a steady
// problem (Poisson, Darcy) with zero Dirichlet data, or a periodic
// evolution problem (Navier–Stokes) saved at StepsSaved equally spaced
// times. Fields on its grids are row-major with x the slow index,
// u[i*ny+j] = u(x_i, y_j), as everywhere in neuralpde.
//
// The one-dimensional Preset and the polygonal SteadyPreset do not carry a
// second periodic axis, a coefficient law or saved times; this type adds
// them without changing those.
type Preset2D struct {
	Name        string
	Description string
	PDE         PDE2D

	// X and Y are the intervals of the rectangle. BC is PeriodicBC (the
	// torus [X.A, X.B) × [Y.A, Y.B), grids without the end point) or
	// Dirichlet (zero on the boundary, uniform grids with both ends).
	X, Y Interval
	BC   BCKind

	// Source is the right-hand side f(x, y) of a steady problem or the
	// forcing of an evolution problem; nil means zero (a Darcy preset
	// uses its equation's constant Source).
	Source func(x, y float64) float64

	// Input is what the random input of an operator-learning preset is;
	// InputLaw is the law of the Gaussian random field it is drawn from
	// and Coefficient, for CoefficientInput, the map from that field to
	// the coefficient.
	Input       Input2D
	InputLaw    *RandomField
	Coefficient *Threshold

	// Initial is the fixed initial condition of an evolution preset
	// without random input (a test problem); nil otherwise.
	Initial func(x, y float64) float64
	// Exact is the exact solution u(t, x, y) (t = 0 for a steady
	// problem), nil when none is known.
	Exact func(t, x, y float64) float64

	// SaveEvery is the time between saved snapshots of an evolution
	// problem and StepsSaved their default number: the solution is saved
	// at t = SaveEvery, 2·SaveEvery, …, StepsSaved·SaveEvery. Both are
	// zero for a steady problem.
	SaveEvery  float64
	StepsSaved int

	// NX is the standard number of grid points per axis.
	NX int
}

// Steady reports whether p is a steady problem (no saved times).
func (p *Preset2D) Steady() bool { return p.StepsSaved == 0 }

// Grids returns the x and y grids with n points per axis: periodic for a
// periodic preset, uniform with both end points otherwise. n ≤ 0 means NX.
func (p *Preset2D) Grids(n int) (x, y Grid) {
	if n <= 0 {
		n = p.NX
	}
	if p.BC == PeriodicBC {
		return NewPeriodicGrid(p.X.A, p.X.B, n), NewPeriodicGrid(p.Y.A, p.Y.B, n)
	}
	return NewUniformGrid(p.X.A, p.X.B, n), NewUniformGrid(p.Y.A, p.Y.B, n)
}

// SaveTimes returns the times at which an evolution preset saves its
// solution when steps snapshots are kept; steps ≤ 0 means StepsSaved.
func (p *Preset2D) SaveTimes(steps int) []float64 {
	if steps <= 0 {
		steps = p.StepsSaved
	}
	ts := make([]float64, steps)
	for k := range ts {
		ts[k] = float64(k+1) * p.SaveEvery
	}
	return ts
}

var presets2D = map[string]*Preset2D{}

func register2D(p *Preset2D) {
	if _, dup := presets2D[p.Name]; dup {
		panic("pde: duplicate 2-D preset " + p.Name)
	}
	if _, dup := presets[p.Name]; dup {
		panic("pde: 2-D preset " + p.Name + " duplicates an evolution preset")
	}
	if _, dup := steadyPresets[p.Name]; dup {
		panic("pde: 2-D preset " + p.Name + " duplicates a steady preset")
	}
	presets2D[p.Name] = p
}

// Lookup2D returns the named two-dimensional preset; the returned value is
// a copy the caller may modify (the pointers it holds are shared).
func Lookup2D(name string) (*Preset2D, error) {
	p, ok := presets2D[name]
	if !ok {
		return nil, fmt.Errorf("%w %q (known 2-D presets: %v)", ErrUnknownPreset, name, Preset2DNames())
	}
	c := *p
	return &c, nil
}

// Preset2DNames returns the names of the two-dimensional presets, sorted.
func Preset2DNames() []string {
	names := make([]string, 0, len(presets2D))
	for n := range presets2D {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// NavierStokesForcing is the forcing of the FNO Navier–Stokes benchmark,
// f(x, y) = 0.1(sin 2π(x+y) + cos 2π(x+y)) (Li et al. 2021, §5.3).
func NavierStokesForcing(x, y float64) float64 {
	s, c := math.Sincos(2 * math.Pi * (x + y))
	return 0.1 * (s + c)
}

// TaylorGreen returns the decaying Taylor–Green vortex of the periodic unit
// square with wavenumber k (a positive integer) and viscosity ν as
// vorticity, w(t, x, y) = 4πk cos(2πkx) cos(2πky) e^{−8π²k²νt}, an exact
// solution of NavierStokes{Nu: ν} without forcing: its stream function
// ψ = w/(8π²k²) makes u·∇w vanish identically.
func TaylorGreen(k int, nu float64) func(t, x, y float64) float64 {
	kk := 2 * math.Pi * float64(k)
	return func(t, x, y float64) float64 {
		return 2 * kk * math.Cos(kk*x) * math.Cos(kk*y) * math.Exp(-2*kk*kk*nu*t)
	}
}

// poissonMMS is the manufactured solution of poisson-dirichlet,
// u = e^{x+y} sin(πx) sin(2πy), and its source −Δu.
func poissonMMS(x, y float64) (u, f float64) {
	e := math.Exp(x + y)
	sx, cx := math.Sincos(math.Pi * x)
	sy, cy := math.Sincos(2 * math.Pi * y)
	uxx := e * sy * ((1-math.Pi*math.Pi)*sx + 2*math.Pi*cx)
	uyy := e * sx * ((1-4*math.Pi*math.Pi)*sy + 4*math.Pi*cy)
	return e * sx * sy, -(uxx + uyy)
}

// poissonPeriodic is the manufactured solution of poisson-periodic, a
// mean-zero trigonometric polynomial, and its source −Δu.
func poissonPeriodic(x, y float64) (u, f float64) {
	const tp = 2 * math.Pi
	a := math.Sin(tp*x) * math.Cos(2*tp*y)
	b := math.Cos(3*tp*x + tp*y)
	return a + 0.5*b, tp * tp * (5*a + 0.5*10*b)
}

// The two-dimensional presets. Their names and parameters are part of the
// CLI and of the datasets it writes.
func init() {
	unit := Interval{A: 0, B: 1}
	register2D(&Preset2D{
		Name: "darcy",
		Description: "operator learning a ↦ u for Darcy flow −∇·(a∇u) = 1 on (0,1)², u = 0 on the boundary, " +
			"a = 12 where a GRF ~ N(0, (−Δ+9I)^−2) with zero Neumann BC is ≥ 0 and 3 elsewhere (Li et al. 2021, FNO)",
		PDE: Darcy{Source: 1},
		X:   unit,
		Y:   unit,
		BC:  Dirichlet,
		// σ = τ^(α−1) as in the FNO MATLAB GRF.m; only the sign matters.
		Input:       CoefficientInput,
		InputLaw:    &RandomField{Alpha: 2, Tau: 3, Sigma: 3, BC: Neumann},
		Coefficient: &Threshold{Level: 0, Above: 12, Below: 3},
		NX:          421,
	})
	register2D(&Preset2D{
		Name: "navier-stokes",
		Description: "operator learning w(0) ↦ w(1..T) for 2-D Navier–Stokes in vorticity form, ν = 1e-3, periodic (0,1)², " +
			"f = 0.1(sin 2π(x+y) + cos 2π(x+y)), w(0) ~ N(0, 7^1.5(−Δ+49I)^−2.5) (Li et al. 2021, FNO)",
		PDE:        NavierStokes{Nu: 1e-3},
		X:          unit,
		Y:          unit,
		BC:         PeriodicBC,
		Source:     NavierStokesForcing,
		Input:      InitialInput,
		InputLaw:   &RandomField{Alpha: 2.5, Tau: 7, Sigma: math.Pow(7, 1.5), BC: PeriodicBC},
		SaveEvery:  1,
		StepsSaved: 50,
		NX:         256,
	})
	tg := TaylorGreen(1, 1e-3)
	register2D(&Preset2D{
		Name: "taylor-green",
		Description: "decaying Taylor–Green vortex w = 4π cos 2πx cos 2πy e^{−8π²νt}, ν = 1e-3, periodic (0,1)², " +
			"no forcing; exact Navier–Stokes solution (Taylor & Green 1937)",
		PDE:        NavierStokes{Nu: 1e-3},
		X:          unit,
		Y:          unit,
		BC:         PeriodicBC,
		Initial:    func(x, y float64) float64 { return tg(0, x, y) },
		Exact:      tg,
		SaveEvery:  1,
		StepsSaved: 1,
		NX:         64,
	})
	register2D(&Preset2D{
		Name:        "poisson-dirichlet",
		Description: "Poisson −Δu = f on (0,1)², u = 0 on the boundary; manufactured u = e^{x+y} sin(πx) sin(2πy)",
		PDE:         Poisson{},
		X:           unit,
		Y:           unit,
		BC:          Dirichlet,
		Source:      func(x, y float64) float64 { _, f := poissonMMS(x, y); return f },
		Exact:       func(_, x, y float64) float64 { u, _ := poissonMMS(x, y); return u },
		NX:          129,
	})
	register2D(&Preset2D{
		Name:        "poisson-periodic",
		Description: "Poisson −Δu = f on the periodic unit square, mean-zero u; manufactured u = sin 2πx cos 4πy + ½cos(6πx + 2πy)",
		PDE:         Poisson{},
		X:           unit,
		Y:           unit,
		BC:          PeriodicBC,
		Source:      func(x, y float64) float64 { _, f := poissonPeriodic(x, y); return f },
		Exact:       func(_, x, y float64) float64 { u, _ := poissonPeriodic(x, y); return u },
		NX:          64,
	})
}

var (
	_ Equation = Darcy{}
	_ PDE2D    = Darcy{}
	_ PDE2D    = Poisson{}
	_ PDE2D    = NavierStokes{}
)
