package classical

import (
	"errors"
	"fmt"
	"math"

	"github.com/neuralpde/neuralpde/operators"
	"github.com/neuralpde/neuralpde/pde"
)

// Config sets how SolvePreset and NewOperatorSolver solve a preset. A nil
// *Config, or a zero field, means the preset's tuned default (see
// DefaultConfig, which documents them per preset).
type Config struct {
	// NX and NT are the sizes of the output grid: NX points of
	// pde.Preset.SpaceGrid and NT times of pde.Preset.TimeGrid. Zero means
	// the preset's NX and NT.
	NX, NT int
	// Modes is the internal resolution: the number of Fourier grid points
	// (periodic problems and Dirichlet problems embedded in a periodic one)
	// or of Chebyshev collocation points.
	Modes int
	// Dt is the time step, or the first trial step of an adaptive method.
	// Fixed-step methods shrink it slightly so that it divides the interval
	// between output times.
	Dt float64
	// Method names the time stepper: "etdrk4" (Fourier pseudo-spectral,
	// exponential; the default), "rk4" or "dopri5" (Fourier pseudo-spectral
	// method of lines, explicit), "sdirk2", "sdirk3" or "cn" (Chebyshev
	// collocation for Dirichlet problems, implicit with Newton stage
	// solves; Modes then counts collocation points, default 64).
	Method string
	// RTol and ATol are the tolerances of the adaptive "dopri5"; zero means
	// 1e-8 and 1e-10.
	RTol, ATol float64
	// Progress, if not nil, is called with the time as the solution
	// advances.
	Progress func(t float64)
}

// Solution is a solved preset on its output grid.
type Solution struct {
	// X and T are the output grid.
	X, T []float64
	// U holds u(T[i], X[j]) at U[i*len(X)+j]: time on the first axis.
	U []float64
	// Method, Modes and Dt are what was used; Steps counts the accepted
	// time steps.
	Method string
	Modes  int
	Dt     float64
	Steps  int
}

// presetDefault is one row of the tuned defaults.
type presetDefault struct {
	method string
	modes  int
	dt     float64
}

// presetDefaults are the tuned settings of the named presets; the tests and
// benchmarks in solve_test.go measure their accuracy.
var presetDefaults = map[string]presetDefault{
	"burgers-shock":        {"etdrk4", 2048, 1e-3},
	"kdv":                  {"etdrk4", 256, 2.5e-4},
	"kuramoto-sivashinsky": {"etdrk4", 128, 5e-4},
	"allen-cahn":           {"etdrk4", 4096, 2.5e-3},
	"burgers-periodic":     {"etdrk4", 1024, 1e-3},
	"heat":                 {"etdrk4", 64, 1e-2},
	"advection":            {"etdrk4", 256, 1e-2},
}

// defaultChebyshevPoints is the default number of collocation points of
// the implicit (Chebyshev) methods.
const defaultChebyshevPoints = 64

func isChebyshevMethod(m string) bool { return m == "sdirk2" || m == "sdirk3" || m == "cn" }

// genericDefault is used for presets without a tuned row.
var genericDefault = presetDefault{"etdrk4", 512, 1e-3}

// DefaultConfig returns the tuned settings for the named preset:
//
//	preset                 method  modes  dt
//	burgers-shock          etdrk4  2048   1e-3
//	kdv                    etdrk4   256   2.5e-4
//	kuramoto-sivashinsky   etdrk4   128   5e-4
//	allen-cahn             etdrk4  4096   2.5e-3
//	burgers-periodic       etdrk4  1024   1e-3
//	heat                   etdrk4    64   1e-2
//	advection              etdrk4   256   1e-2
//
// and etdrk4 with 512 modes and dt = 1e-3 for any other preset. NX and NT
// are left zero (the preset's own grid). Measured accuracy at these
// settings (go test -v -run 'SolvePresetExact|SelfConvergence'):
// burgers-shock 3.2e-9 relative L2 against Cole–Hopf over the 100×256 grid;
// kdv, kuramoto-sivashinsky and allen-cahn within 1.1e-10, 1.7e-10 and
// 3.3e-10 at t = 1 of a run with dt halved and modes doubled (allen-cahn
// 2.7e-9 over its whole grid, the kink of its initial data needing the
// 4096 modes); heat and advection exact to rounding.
func DefaultConfig(preset string) Config {
	d, ok := presetDefaults[preset]
	if !ok {
		d = genericDefault
	}
	return Config{Method: d.method, Modes: d.modes, Dt: d.dt}
}

// resolve fills the zero fields of cfg from the preset's defaults.
func resolve(p *pde.Preset, cfg *Config) (Config, error) {
	d := DefaultConfig(p.Name)
	var c Config
	if cfg != nil {
		c = *cfg
	}
	if c.Method == "" {
		c.Method = d.Method
	}
	if c.Modes == 0 {
		c.Modes = d.Modes
		if isChebyshevMethod(c.Method) {
			c.Modes = defaultChebyshevPoints
		}
	}
	if c.Dt == 0 {
		c.Dt = d.Dt
	}
	if c.NX == 0 {
		c.NX = p.NX
	}
	if c.NT == 0 {
		c.NT = p.NT
	}
	switch {
	case c.NX < 2 || c.NT < 1:
		return c, fmt.Errorf("classical: output grid %d×%d is too small; NX must be at least 2 and NT at least 1", c.NX, c.NT)
	case c.Modes < 4:
		return c, fmt.Errorf("classical: Modes = %d is too small; use at least 4 (or 0 for the default)", c.Modes)
	case !(c.Dt > 0) || math.IsInf(c.Dt, 0):
		return c, fmt.Errorf("classical: time step Dt = %g must be positive (or 0 for the default)", c.Dt)
	case c.RTol < 0 || c.ATol < 0:
		return c, errors.New("classical: tolerances must not be negative")
	}
	return c, nil
}

// SolvePreset solves a preset with fixed initial data on its standard
// space–time grid (or the grid sizes in cfg). Periodic presets are solved
// pseudo-spectrally; a Dirichlet preset with zero boundary data is embedded
// in a periodic problem by odd extension (with period L when its initial
// data is already odd about the midpoint, as for burgers-shock, else 2L).
// The implicit methods solve Dirichlet presets (any boundary data) by
// Chebyshev collocation.
func SolvePreset(p *pde.Preset, cfg *Config) (*Solution, error) {
	if p == nil {
		return nil, errors.New("classical: nil preset")
	}
	if p.Initial == nil {
		return nil, fmt.Errorf("classical: preset %q has random initial data; use NewOperatorSolver", p.Name)
	}
	c, err := resolve(p, cfg)
	if err != nil {
		return nil, err
	}
	sol := &Solution{
		X:      p.SpaceGrid(c.NX).Points(nil),
		T:      p.TimeGrid(c.NT),
		Method: c.Method,
		Modes:  c.Modes,
	}
	sol.U = make([]float64, len(sol.T)*len(sol.X))
	switch c.Method {
	case "etdrk4", "rk4", "dopri5":
		err = solveFourier(sol, p, c)
	case "sdirk2", "sdirk3", "cn":
		err = solveChebyshev(sol, p, c)
	default:
		err = fmt.Errorf("classical: unknown method %q; use etdrk4, rk4, dopri5, sdirk2, sdirk3 or cn", c.Method)
	}
	if err != nil {
		return nil, fmt.Errorf("classical: preset %q: %w", p.Name, err)
	}
	return sol, nil
}

// periodicEmbedding returns the periodic domain [a, a+length) on which the
// preset is solved and its initial data there. A periodic preset is its own
// embedding. A Dirichlet preset with zero boundary data is extended oddly
// about its ends, which the catalogue's equations preserve (they are
// invariant under x ↦ −x, u ↦ −u, or linear); the extension has period 2L,
// or L when the initial data is odd about the midpoint.
func periodicEmbedding(p *pde.Preset) (a, length float64, u0 func(float64) float64, err error) {
	a, b := p.X.A, p.X.B
	L := b - a
	switch p.BC.Kind {
	case pde.PeriodicBC:
		return a, L, p.Initial, nil
	case pde.Dirichlet:
	default:
		return 0, 0, nil, fmt.Errorf("no periodic embedding for %v boundary conditions", p.BC.Kind)
	}
	if p.BC.Left != nil || p.BC.Right != nil {
		return 0, 0, nil, errors.New("a Fourier solve needs zero Dirichlet data")
	}
	switch p.Equation.(type) {
	case pde.Burgers, pde.Heat, pde.KuramotoSivashinsky, pde.AllenCahn:
	default:
		return 0, 0, nil, fmt.Errorf("the %q equation is not invariant under odd reflection", p.Equation.Name())
	}
	f := p.Initial
	scale := 0.0
	for i := 0; i <= 64; i++ {
		scale = math.Max(scale, math.Abs(f(a+float64(i)*L/64)))
	}
	oddMid := true
	for i := 0; i <= 64; i++ {
		y := float64(i) * L / 128
		if math.Abs(f(a+y)+f(b-y)) > 1e-13*scale {
			oddMid = false
			break
		}
	}
	if oddMid {
		return a, L, f, nil
	}
	ext := func(x float64) float64 {
		x = a + math.Mod(x-a, 2*L)
		if x < a {
			x += 2 * L
		}
		if x <= b {
			return f(x)
		}
		return -f(2*b - x)
	}
	return a, 2 * L, ext, nil
}

// initialCoefficients writes the Forward coefficients of u0 on n points of
// [a, a+length), computed from 8n samples and truncated, so that the
// aliasing error of initial data with a kink (allen-cahn) is 64 times
// smaller than sampling at n points would give.
func initialCoefficients(dst []complex128, u0 func(float64) float64, a, length float64, n int) {
	const over = 8
	m := over * n
	big := newPlan(m, length)
	x := make([]float64, m)
	for i := range x {
		x[i] = u0(a + float64(i)*length/float64(m))
	}
	c := big.Forward(nil, x)
	for j := range dst {
		dst[j] = c[j] / over
	}
	if hasNyquist(n) {
		dst[n/2] = 0
	}
}

func solveFourier(sol *Solution, p *pde.Preset, c Config) error {
	a, length, u0, err := periodicEmbedding(p)
	if err != nil {
		return err
	}
	sys, err := NewFourierSystem(p.Equation, c.Modes, length, true)
	if err != nil {
		return err
	}
	v := make([]complex128, sys.Dim())
	initialCoefficients(v, u0, a, length, c.Modes)
	sys.Truncate(v)

	nx := len(sol.X)
	for j, x := range sol.X {
		sol.U[j] = p.Initial(x)
	}
	if len(sol.T) == 1 {
		sol.Dt = c.Dt
		return nil
	}
	// The output times are equally spaced; one step size divides each
	// interval, so ETDRK4's coefficients are computed once.
	t0 := sol.T[0]
	interval := (sol.T[len(sol.T)-1] - t0) / float64(len(sol.T)-1)
	k, h := FixedSteps(0, interval, c.Dt)
	sol.Dt = h
	out := newFourierOutput(sys, a, length, sol.X)

	// step advances v by span from t.
	var step func(v []complex128, t float64) error
	span := h
	switch c.Method {
	case "etdrk4":
		et := NewETDRK4(sys)
		et.SetStep(h)
		step = func(v []complex128, t float64) error { return et.Step(v, t, h, v) }
	case "rk4":
		ps := newPhysicalSystem(sys)
		rk := NewRK4(ps)
		u := make([]float64, c.Modes)
		step = func(v []complex128, t float64) error {
			ps.toGrid(u, v)
			rk.Step(u, t, h, u)
			ps.fromGrid(v, u)
			return nil
		}
	case "dopri5":
		// One adaptive run per output interval, starting from the step the
		// previous run ended with.
		ps := newPhysicalSystem(sys)
		dp := NewDormandPrince(ps)
		u := make([]float64, c.Modes)
		rtol, atol := orDefault(c.RTol, 1e-8), orDefault(c.ATol, 1e-10)
		set := &Settings{Dt: h, Controller: &PIController{RTol: rtol, ATol: atol}}
		span, k = interval, 1
		step = func(v []complex128, t float64) error {
			ps.toGrid(u, v)
			res, err := Integrate(u, t, t+interval, dp, set)
			sol.Steps += res.Steps - 1
			set.Dt = res.Dt
			ps.fromGrid(v, u)
			return err
		}
	}
	for i := 1; i < len(sol.T); i++ {
		tStart := t0 + float64(i-1)*interval
		for s := 0; s < k; s++ {
			t := tStart + float64(s)*span
			if err := step(v, t); err != nil {
				return err
			}
			sol.Steps++
			if c.Progress != nil {
				c.Progress(t + span)
			}
		}
		if !finite(v) {
			return fmt.Errorf("%w (by t = %g with %d modes, dt = %g)", ErrNonFinite, sol.T[i], c.Modes, h)
		}
		out.eval(sol.U[i*nx:(i+1)*nx], v)
	}
	return nil
}

func newPlan(n int, length float64) *operators.Fourier { return operators.NewFourier(n, length) }

// fourierOutput evaluates a Fourier solution at the output points. When
// the points are equally spaced with a spacing that divides the period (a
// periodic grid, or a uniform grid with both ends whose length divides the
// period, as for burgers-shock), they are every s-th point of a finer
// periodic grid of size M ≥ n: the spectrum is zero-padded to M, one inverse
// FFT gives all points, and s-th points are kept. Otherwise the
// trigonometric interpolant is summed at each point.
type fourierOutput struct {
	sys    *FourierSystem
	a      float64
	xs     []float64
	fine   *operators.Fourier
	stride int
	w      []complex128
	u      []float64
}

func newFourierOutput(sys *FourierSystem, a, length float64, xs []float64) *fourierOutput {
	o := &fourierOutput{sys: sys, a: a, xs: xs}
	nx := len(xs)
	if nx < 2 {
		return o
	}
	h := xs[1] - xs[0]
	p := math.Round(length / h)
	if !(h > 0) || math.Abs(p*h-length) > 1e-12*length || math.Abs(xs[0]-a) > 1e-12*length {
		return o
	}
	for j, x := range xs {
		if math.Abs(x-(xs[0]+float64(j)*h)) > 1e-12*length {
			return o
		}
	}
	// Smallest multiple M = s·P of the P points per period holding every
	// mode of the solution (n/2+1 coefficients, or fewer when dealiased).
	need := 2 * (sys.cut - 1)
	if sys.cut == len(sys.lin) {
		need = sys.plan.Len()
	}
	P := int(p)
	s := 1
	for s*P < need || (s*P)%2 == 1 {
		s++
	}
	o.stride = s
	o.fine = operators.NewFourier(s*P, length)
	o.w = make([]complex128, o.fine.NumModes())
	o.u = make([]float64, s*P)
	return o
}

func (o *fourierOutput) eval(dst []float64, v []complex128) {
	if o.fine == nil {
		o.sys.plan.Interpolate(dst, v, o.a, o.xs)
		return
	}
	o.sys.plan.ResampleCoeffs(o.w, v, o.fine.Len())
	o.fine.Inverse(o.u, o.w)
	for j := range dst {
		dst[j] = o.u[(j*o.stride)%len(o.u)]
	}
}

// physicalSystem is a FourierSystem seen as a real System on the grid
// values, for the explicit Runge–Kutta steppers: f(u) = F⁻¹(L F u + N(F u)).
type physicalSystem struct {
	sys  *FourierSystem
	v, w []complex128
}

func newPhysicalSystem(sys *FourierSystem) *physicalSystem {
	return &physicalSystem{sys: sys, v: make([]complex128, sys.Dim()), w: make([]complex128, sys.Dim())}
}

func (p *physicalSystem) Dim() int { return p.sys.plan.Len() }

func (p *physicalSystem) Func(dst []float64, t float64, u []float64) {
	p.fromGrid(p.v, u)
	p.sys.Nonlinear(p.w, t, p.v)
	for j, l := range p.sys.lin {
		p.w[j] += l * p.v[j]
	}
	p.sys.plan.Inverse(dst, p.w)
}

func (p *physicalSystem) toGrid(u []float64, v []complex128) { p.sys.plan.Inverse(u, v) }

func (p *physicalSystem) fromGrid(v []complex128, u []float64) {
	p.sys.plan.Forward(v, u)
	p.sys.Truncate(v)
}
