package pde

import (
	"math"
	"sync"
)

// The named presets. Their names and parameters are part of the CLI and of
// the datasets it writes: change them only together with the documentation.
func init() {
	nuShock := 0.01 / math.Pi
	// The quadrature rule is built on first use, not at start-up.
	shock := sync.OnceValue(func() *BurgersColeHopf { return NewBurgersColeHopf(nuShock, 0) })
	register(&Preset{
		Name: "burgers-shock",
		Description: "Burgers u_t + u u_x = (0.01/π) u_xx on [−1,1], u0 = −sin(πx), u(±1) = 0, t ∈ [0,1]; " +
			"Cole–Hopf exact solution (Raissi et al. 2019)",
		Equation:  Burgers{Nu: nuShock},
		X:         Interval{A: -1, B: 1},
		BC:        BC{Kind: Dirichlet},
		T:         Interval{A: 0, B: 1},
		Initial:   func(x float64) float64 { return -math.Sin(math.Pi * x) },
		Exact:     func(t, x float64) float64 { return shock().Eval(t, x) },
		ExactGrid: func(dst, t, x []float64) []float64 { return shock().Grid(dst, t, x) },
		NX:        256,
		NT:        100,
	})

	register(&Preset{
		Name: "kdv",
		Description: "Korteweg–de Vries u_t + u u_x + 0.0025 u_xxx = 0, periodic [−1,1), u0 = cos(πx), t ∈ [0,1] " +
			"(Zabusky & Kruskal 1965; Raissi et al. 2019)",
		Equation: KdV{A: 1, Delta: 0.0025},
		X:        Interval{A: -1, B: 1},
		BC:       BC{Kind: PeriodicBC},
		T:        Interval{A: 0, B: 1},
		Initial:  func(x float64) float64 { return math.Cos(math.Pi * x) },
		NX:       512,
		NT:       201,
	})

	register(&Preset{
		Name: "allen-cahn",
		Description: "Allen–Cahn u_t − 0.0001 u_xx + 5u³ − 5u = 0, periodic [−1,1), u0 = x² cos(πx), t ∈ [0,1] " +
			"(Raissi et al. 2019)",
		Equation: AllenCahn{Eps: 0.0001, A: 5},
		X:        Interval{A: -1, B: 1},
		BC:       BC{Kind: PeriodicBC},
		T:        Interval{A: 0, B: 1},
		Initial:  func(x float64) float64 { return x * x * math.Cos(math.Pi*x) },
		NX:       512,
		NT:       201,
	})

	register(&Preset{
		Name: "kuramoto-sivashinsky",
		Description: "Kuramoto–Sivashinsky u_t + (5/π) u u_x + 5/(3π²) u_xx + 5/(27π⁴) u_xxxx = 0, periodic [−1,1), " +
			"u0 = −sin(πx), t ∈ [0,1] (Kassam & Trefethen 2005)",
		Equation: KuramotoSivashinsky{
			A: 5 / math.Pi,
			B: 5 / (3 * math.Pi * math.Pi),
			C: 5 / (27 * math.Pi * math.Pi * math.Pi * math.Pi),
		},
		X:       Interval{A: -1, B: 1},
		BC:      BC{Kind: PeriodicBC},
		T:       Interval{A: 0, B: 1},
		Initial: func(x float64) float64 { return -math.Sin(math.Pi * x) },
		NX:      512,
		NT:      201,
	})

	register(&Preset{
		Name: "burgers-periodic",
		Description: "operator learning u(0,·) ↦ u(1,·) for Burgers with ν = 0.1, periodic [0,1), " +
			"u0 ~ N(0, 625(−Δ+25I)^−2) (Li et al. 2021, FNO)",
		Equation:   Burgers{Nu: 0.1},
		X:          Interval{A: 0, B: 1},
		BC:         BC{Kind: PeriodicBC},
		T:          Interval{A: 0, B: 1},
		InitialLaw: &RandomField{Alpha: 2, Tau: 5, Sigma: 25, BC: PeriodicBC},
		NX:         1024,
		NT:         2,
	})

	register(&Preset{
		Name:        "heat",
		Description: "heat u_t = 0.1 u_xx on [0,1], u0 = sin(πx) + 0.5 sin(3πx), u(0) = u(1) = 0, t ∈ [0,1]; exact series",
		Equation:    Heat{Kappa: heatKappa},
		X:           Interval{A: 0, B: 1},
		BC:          BC{Kind: Dirichlet},
		T:           Interval{A: 0, B: 1},
		Initial:     func(x float64) float64 { return heatExact(0, x) },
		Exact:       heatExact,
		NX:          128,
		NT:          100,
	})

	register(&Preset{
		Name:        "advection",
		Description: "advection u_t + u_x = 0, periodic [−1,1), u0 = exp(sin(πx)), t ∈ [0,2]; exact translate",
		Equation:    Advection{C: advectionC},
		X:           Interval{A: -1, B: 1},
		BC:          BC{Kind: PeriodicBC},
		T:           Interval{A: 0, B: 2},
		Initial:     advectionInitial,
		Exact:       func(t, x float64) float64 { return advectionInitial(x - advectionC*t) },
		NX:          256,
		NT:          201,
	})
}

const (
	heatKappa  = 0.1
	advectionC = 1.0
)

// heatExact is the heat preset's solution: each sine mode sin(kπx) of the
// initial data decays as e^{−κk²π²t}.
func heatExact(t, x float64) float64 {
	d := heatKappa * math.Pi * math.Pi * t
	return math.Exp(-d)*math.Sin(math.Pi*x) + 0.5*math.Exp(-9*d)*math.Sin(3*math.Pi*x)
}

// advectionInitial is smooth and 2-periodic, with Fourier coefficients that
// decay faster than geometrically (modified Bessel functions), so spectral
// methods converge at once and finite differences show their formal order.
func advectionInitial(x float64) float64 { return math.Exp(math.Sin(math.Pi * x)) }
