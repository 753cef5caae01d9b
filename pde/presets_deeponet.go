package pde

import (
	"fmt"
	"sort"
)

// Antiderivative is the ordinary differential equation s'(y) = u(y) of the
// DeepONet antiderivative benchmark (Lu et al. 2021, §3.1; Wang, Wang &
// Perdikaris 2021, §3.1), with the integrand u read from the jet's F and
// y from its X axis.
type Antiderivative struct{}

func (Antiderivative) Name() string               { return "antiderivative" }
func (Antiderivative) Needs() Deriv               { return DX }
func (Antiderivative) Params() map[string]float64 { return map[string]float64{} }

// Residual returns s_x − u, u read from j.F.
func (Antiderivative) Residual(a Algebra, j Jet) Term { return a.Sub(j.Ux, j.F) }

// DiffusionReaction is the nonlinear diffusion–reaction equation
//
//	u_t = D u_xx + k u² + f(x)
//
// of the physics-informed DeepONet paper (Wang, Wang & Perdikaris 2021,
// "Learning the solution operator of parametric partial differential
// equations with physics-informed DeepONets", Sci. Adv. 7, eabi8605, §3.2),
// with the source f read from the jet's F.
type DiffusionReaction struct {
	// D is the diffusivity and K the reaction rate k.
	D, K float64
}

func (DiffusionReaction) Name() string { return "diffusion-reaction" }
func (DiffusionReaction) Needs() Deriv { return DU | DT | DXX }
func (e DiffusionReaction) Params() map[string]float64 {
	return map[string]float64{"D": e.D, "k": e.K}
}

// Residual returns u_t − D u_xx − k u² − f, f read from j.F.
func (e DiffusionReaction) Residual(a Algebra, j Jet) Term {
	return a.Sub(a.Sub(a.Sub(j.Ut, a.Scale(e.D, j.Uxx)), a.Scale(e.K, a.Mul(j.U, j.U))), j.F)
}

// RBFField describes the Gaussian random field with the squared-exponential
// covariance σ² exp(−|x−x'|²/(2ℓ²)) from which the DeepONet presets draw
// their input functions (Lu et al. 2021, spaces.GRF). The sampler is
// data.RBF; this is only the law.
type RBFField struct {
	LengthScale, Sigma float64
}

// OperatorPreset is a named operator-learning benchmark whose input is a
// function of x drawn from an RBF field at Sensors uniform points of X
// (both ends included) and whose output is the solution on the output grid:
// NX points of X (the sensors when NX = Sensors), at NT times of T for an
// evolution problem (NT = 0 for a problem in x alone). The names are part
// of the CLI.
type OperatorPreset struct {
	Name        string
	Description string
	Equation    Equation
	// Input names what the input function is ("integrand", "source").
	Input string
	// X is the interval; BC the boundary condition of the solution.
	X  Interval
	BC BC
	// T is the time interval of an evolution problem, zero otherwise. The
	// initial data is zero.
	T        Interval
	InputLaw RBFField
	Sensors  int
	NX, NT   int
}

// SensorGrid returns the uniform grid of the input's sensors.
func (p *OperatorPreset) SensorGrid() Grid { return NewUniformGrid(p.X.A, p.X.B, p.Sensors) }

// OutputGrid returns the output's spatial grid and its times (nil when NT
// is zero): NX uniform points of X and NT uniform times of T, ends
// included.
func (p *OperatorPreset) OutputGrid() (x Grid, t []float64) {
	x = NewUniformGrid(p.X.A, p.X.B, p.NX)
	if p.NT == 0 {
		return x, nil
	}
	t = make([]float64, p.NT)
	for i := range t {
		t[i] = p.T.A + (p.T.B-p.T.A)*float64(i)/float64(p.NT-1)
	}
	return x, t
}

var operatorPresets = map[string]*OperatorPreset{}

func registerOperator(p *OperatorPreset) {
	if _, dup := operatorPresets[p.Name]; dup {
		panic("pde: duplicate operator preset " + p.Name)
	}
	operatorPresets[p.Name] = p
}

// LookupOperator returns the named operator preset (antiderivative,
// diffusion-reaction). The returned preset is a copy the caller may modify.
func LookupOperator(name string) (*OperatorPreset, error) {
	p, ok := operatorPresets[name]
	if !ok {
		return nil, fmt.Errorf("%w %q (known operator presets: %v)", ErrUnknownPreset, name, OperatorPresetNames())
	}
	c := *p
	return &c, nil
}

// OperatorPresetNames returns the names of the operator presets, sorted.
func OperatorPresetNames() []string {
	names := make([]string, 0, len(operatorPresets))
	for n := range operatorPresets {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func init() {
	registerOperator(&OperatorPreset{
		Name: "antiderivative",
		Description: "operator learning u ↦ G(u)(y) = ∫₀^y u(s) ds on [0,1], u from the RBF field ℓ = 0.2 " +
			"at m = 100 sensors (Lu et al. 2021, DeepONet §3.1)",
		Equation: Antiderivative{},
		Input:    "integrand",
		X:        Interval{A: 0, B: 1},
		BC:       BC{Kind: Dirichlet},
		InputLaw: RBFField{LengthScale: 0.2, Sigma: 1},
		Sensors:  100,
		NX:       100,
	})
	registerOperator(&OperatorPreset{
		Name: "diffusion-reaction",
		Description: "operator learning f ↦ u for u_t = 0.01 u_xx + 0.01 u² + f(x) on [0,1]×[0,1], u = 0 at t = 0, " +
			"x = 0 and x = 1, f from the RBF field ℓ = 0.2 at m = 100 sensors (Wang, Wang & Perdikaris 2021, §3.2)",
		Equation: DiffusionReaction{D: 0.01, K: 0.01},
		Input:    "source",
		X:        Interval{A: 0, B: 1},
		BC:       BC{Kind: Dirichlet},
		T:        Interval{A: 0, B: 1},
		InputLaw: RBFField{LengthScale: 0.2, Sigma: 1},
		Sensors:  100,
		NX:       100,
		NT:       100,
	})
}
