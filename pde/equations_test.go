package pde

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// tanhWave is u(t, x) = γ·P(τ), τ = tanh(k(x − ct)), with P a polynomial
// given by its coefficients (constant first). Many exact travelling-wave
// solutions have this form, and all its derivatives are again polynomials
// in τ because dτ/dθ = 1 − τ².
type tanhWave struct {
	p        []float64
	gamma, k float64
	c        float64
}

// polyDeriv returns the coefficients of d/dθ P(τ) = P′(τ)(1 − τ²).
func polyDeriv(p []float64) []float64 {
	d := make([]float64, len(p)+1)
	for i := 1; i < len(p); i++ {
		ip := float64(i) * p[i]
		d[i-1] += ip
		d[i+1] -= ip
	}
	return d
}

func polyEval(p []float64, x float64) float64 {
	var v float64
	for i := len(p) - 1; i >= 0; i-- {
		v = v*x + p[i]
	}
	return v
}

// jet returns the Float jet of the wave at (t, x), all derivatives set.
func (w tanhWave) jet(t, x float64) Jet {
	tau := math.Tanh(w.k * (x - w.c*t))
	d := [5][]float64{w.p}
	for i := 1; i < 5; i++ {
		d[i] = polyDeriv(d[i-1])
	}
	v := func(i int) float64 { return w.gamma * math.Pow(w.k, float64(i)) * polyEval(d[i], tau) }
	return Jet{
		X: x, T: t,
		U: v(0), Ut: -w.c * v(1),
		Ux: v(1), Uxx: v(2), Uxxx: v(3), Uxxxx: v(4),
	}
}

// TestResidualExactSolutions checks that each equation's residual vanishes
// on a known exact solution.
func TestResidualExactSolutions(t *testing.T) {
	// Kuramoto–Sivashinsky u_t + A u u_x + B u_xx + C u_xxxx = 0: the
	// Kuramoto–Tsuzuki wave of v_T + v v_X + v_XX + v_XXXX = 0,
	// v = c + (15/19)√(11/19)(−9τ + 11τ³), τ = tanh(½√(11/19)(X − cT)),
	// rescaled by x = αX, t = βT, u = γv with α² = C/B, β = C/B², γ = α/(Aβ).
	ks := KuramotoSivashinsky{A: 5 / math.Pi, B: 5 / (3 * math.Pi * math.Pi), C: 5 / (27 * math.Pow(math.Pi, 4))}
	alpha := math.Sqrt(ks.C / ks.B)
	beta := ks.C / (ks.B * ks.B)
	gamma := alpha / (ks.A * beta)
	const ksC = 0.3
	amp := 15.0 / 19 * math.Sqrt(11.0/19)

	// KdV soliton u = (3c/A) sech²(½√(c/δ)(x − ct)).
	kdv := KdV{A: 1, Delta: 0.0025}
	const kdvC = 0.7

	// Allen–Cahn stationary kink u = tanh(x √(A/(2ε))).
	ac := AllenCahn{Eps: 0.0001, A: 5}

	// Burgers viscous shock u = c − a tanh(a(x − ct)/(2ν)).
	bu := Burgers{Nu: 0.01 / math.Pi}
	const buA, buC = 0.8, 0.3

	cases := []struct {
		eq   Equation
		wave tanhWave
		xs   []float64 // sample points, scaled to the wave's width
		tol  float64   // relative to the largest term
	}{
		{
			eq:   ks,
			wave: tanhWave{p: []float64{ksC, -9 * amp, 0, 11 * amp}, gamma: gamma, k: 0.5 * math.Sqrt(11.0/19) / alpha, c: ksC * alpha / beta},
			xs:   []float64{-3 * alpha, -alpha, 0, 0.4 * alpha, 2 * alpha},
			tol:  1e-13,
		},
		{
			eq:   kdv,
			wave: tanhWave{p: []float64{3 * kdvC / kdv.A, 0, -3 * kdvC / kdv.A}, gamma: 1, k: 0.5 * math.Sqrt(kdvC/kdv.Delta), c: kdvC},
			xs:   []float64{-0.3, -0.05, 0, 0.02, 0.2},
			tol:  1e-13,
		},
		{
			eq:   ac,
			wave: tanhWave{p: []float64{0, 1}, gamma: 1, k: math.Sqrt(ac.A / (2 * ac.Eps)), c: 0},
			xs:   []float64{-0.02, -0.004, 0, 0.001, 0.01},
			tol:  1e-13,
		},
		{
			eq:   bu,
			wave: tanhWave{p: []float64{buC, -buA}, gamma: 1, k: buA / (2 * bu.Nu), c: buC},
			xs:   []float64{-0.05, -0.01, 0, 0.003, 0.03},
			tol:  1e-13,
		},
		{
			eq:   Advection{C: 1.5},
			wave: tanhWave{p: []float64{0.2, 1, 0.5, -0.3}, gamma: 1, k: 3, c: 1.5},
			xs:   []float64{-1, -0.2, 0, 0.3, 0.9},
			tol:  1e-14,
		},
	}
	for _, c := range cases {
		for _, tt := range []float64{0, 0.1, 0.5} {
			for _, x := range c.xs {
				x += c.wave.c * tt // follow the wave
				j := c.wave.jet(tt, x)
				r := c.eq.Residual(Float{}, j).(float64)
				scale := jetScale(j)
				if math.Abs(r) > c.tol*scale {
					t.Errorf("%s: residual at t=%g x=%g is %g, want 0 (scale %g, tol %g)", c.eq.Name(), tt, x, r, scale, c.tol)
				}
			}
		}
	}
}

func jetScale(j Jet) float64 {
	var s float64
	for _, v := range []Term{j.U, j.Ut, j.Ux, j.Uxx, j.Uxxx, j.Uxxxx, j.Uy, j.Uyy, j.F} {
		if f, ok := v.(float64); ok {
			s = math.Max(s, math.Abs(f))
		}
	}
	return math.Max(s*s, s) // u u_x terms are quadratic
}

func TestResidualHeatAndPoisson(t *testing.T) {
	heat := Heat{Kappa: 0.1}
	for _, tt := range []float64{0, 0.3, 1} {
		for _, x := range []float64{0.1, 0.37, 0.8} {
			// Mode k decays as e^{−κk²π²t}; u_t = −κk²π²u, u_xx = −k²π²u.
			var u, ut, uxx float64
			for k, a := range map[float64]float64{1: 1, 3: 0.5} {
				m := a * math.Exp(-heat.Kappa*k*k*math.Pi*math.Pi*tt) * math.Sin(k*math.Pi*x)
				u += m
				ut += -heat.Kappa * k * k * math.Pi * math.Pi * m
				uxx += -k * k * math.Pi * math.Pi * m
			}
			if u != heatExact(tt, x) && math.Abs(u-heatExact(tt, x)) > 1e-15 {
				t.Errorf("heat preset exact solution at t=%g x=%g is %g, want %g", tt, x, heatExact(tt, x), u)
			}
			r := heat.Residual(Float{}, Jet{U: u, Ut: ut, Uxx: uxx}).(float64)
			if math.Abs(r) > 1e-14 {
				t.Errorf("heat residual at t=%g x=%g is %g, want 0", tt, x, r)
			}
		}
	}
	var p Poisson
	for _, x := range []float64{0.1, 0.5, 0.77} {
		for _, y := range []float64{0.2, 0.9} {
			u := math.Sin(math.Pi*x) * math.Sin(2*math.Pi*y)
			j := Jet{X: x, Y: y, U: u, Uxx: -math.Pi * math.Pi * u, Uyy: -4 * math.Pi * math.Pi * u, F: 5 * math.Pi * math.Pi * u}
			if r := p.Residual(Float{}, j).(float64); math.Abs(r) > 1e-13 {
				t.Errorf("poisson residual at (%g, %g) is %g, want 0", x, y, r)
			}
		}
	}
}

// TestResidualFormulas checks each residual against its formula written out
// by hand, on random jets: a manufactured check that every coefficient sits
// on the right term with the right sign.
func TestResidualFormulas(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	cases := []struct {
		eq      Equation
		formula func(j jetF) float64
	}{
		{Burgers{Nu: 0.3}, func(j jetF) float64 { return j.ut + j.u*j.ux - 0.3*j.uxx }},
		{Heat{Kappa: 0.7}, func(j jetF) float64 { return j.ut - 0.7*j.uxx }},
		{Advection{C: -1.3}, func(j jetF) float64 { return j.ut - 1.3*j.ux }},
		{AllenCahn{Eps: 0.01, A: 5}, func(j jetF) float64 { return j.ut - 0.01*j.uxx + 5*j.u*j.u*j.u - 5*j.u }},
		{KdV{A: 2, Delta: 0.0025}, func(j jetF) float64 { return j.ut + 2*j.u*j.ux + 0.0025*j.uxxx }},
		{KuramotoSivashinsky{A: 1.5, B: 0.5, C: 0.25}, func(j jetF) float64 {
			return j.ut + 1.5*j.u*j.ux + 0.5*j.uxx + 0.25*j.uxxxx
		}},
		{Poisson{}, func(j jetF) float64 { return -j.uxx - j.uyy - j.f }},
	}
	for _, c := range cases {
		for range 20 {
			jf := randomJetF(rnd)
			got := c.eq.Residual(Float{}, jf.only(c.eq.Needs())).(float64)
			want := c.formula(jf)
			if math.Abs(got-want) > 1e-13*(1+math.Abs(want)) {
				t.Errorf("%s: residual %g, want %g", c.eq.Name(), got, want)
			}
		}
	}
}

type jetF struct {
	u, ut, ux, uxx, uxxx, uxxxx, uy, uyy, uxy, f float64
}

func randomJetF(rnd *rand.Rand) jetF {
	n := func() float64 { return 4*rnd.Float64() - 2 }
	return jetF{n(), n(), n(), n(), n(), n(), n(), n(), n(), n()}
}

// only returns the Float jet with just the derivatives in d set; a residual
// that reads anything else finds nil and panics, so Needs is checked too.
func (j jetF) only(d Deriv) Jet {
	var out Jet
	out.F = j.f
	set := []struct {
		bit Deriv
		dst *Term
		v   float64
	}{
		{DU, &out.U, j.u}, {DT, &out.Ut, j.ut}, {DX, &out.Ux, j.ux}, {DXX, &out.Uxx, j.uxx},
		{DXXX, &out.Uxxx, j.uxxx}, {DXXXX, &out.Uxxxx, j.uxxxx},
		{DY, &out.Uy, j.uy}, {DYY, &out.Uyy, j.uyy}, {DXY, &out.Uxy, j.uxy},
	}
	for _, s := range set {
		if d.Has(s.bit) {
			*s.dst = s.v
		}
	}
	return out
}

// TestFloatVecAgree evaluates every residual on a batch with Vec and point
// by point with Float; the two do the same operations in the same order.
func TestFloatVecAgree(t *testing.T) {
	rnd := rand.New(rand.NewPCG(3, 4))
	const n = 17
	eqs := []Equation{
		Burgers{Nu: 0.01}, Heat{Kappa: 0.2}, Advection{C: 2}, AllenCahn{Eps: 1e-4, A: 5},
		KdV{A: 1, Delta: 0.0025}, KuramotoSivashinsky{A: 1, B: 1, C: 1}, Poisson{},
	}
	for _, eq := range eqs {
		pts := make([]jetF, n)
		for i := range pts {
			pts[i] = randomJetF(rnd)
		}
		col := func(f func(j jetF) float64) []float64 {
			v := make([]float64, n)
			for i, p := range pts {
				v[i] = f(p)
			}
			return v
		}
		vj := Jet{
			U: col(func(j jetF) float64 { return j.u }), Ut: col(func(j jetF) float64 { return j.ut }),
			Ux: col(func(j jetF) float64 { return j.ux }), Uxx: col(func(j jetF) float64 { return j.uxx }),
			Uxxx: col(func(j jetF) float64 { return j.uxxx }), Uxxxx: col(func(j jetF) float64 { return j.uxxxx }),
			Uy: col(func(j jetF) float64 { return j.uy }), Uyy: col(func(j jetF) float64 { return j.uyy }),
			Uxy: col(func(j jetF) float64 { return j.uxy }), F: col(func(j jetF) float64 { return j.f }),
		}
		got := eq.Residual(Vec{}, vj).([]float64)
		if len(got) != n {
			t.Fatalf("%s: Vec residual has length %d, want %d", eq.Name(), len(got), n)
		}
		for i, p := range pts {
			want := eq.Residual(Float{}, p.only(eq.Needs())).(float64)
			if got[i] != want {
				t.Errorf("%s: point %d: Vec residual %v, Float %v", eq.Name(), i, got[i], want)
			}
		}
	}
}

func TestParams(t *testing.T) {
	cases := []struct {
		eq   Equation
		want map[string]float64
	}{
		{Burgers{Nu: 0.5}, map[string]float64{"nu": 0.5}},
		{Heat{Kappa: 0.1}, map[string]float64{"kappa": 0.1}},
		{Advection{C: -2}, map[string]float64{"c": -2}},
		{AllenCahn{Eps: 1e-4, A: 5}, map[string]float64{"eps": 1e-4, "a": 5}},
		{KdV{A: 1, Delta: 0.0025}, map[string]float64{"a": 1, "delta": 0.0025}},
		{KuramotoSivashinsky{A: 1, B: 2, C: 3}, map[string]float64{"a": 1, "b": 2, "c": 3}},
		{Poisson{}, map[string]float64{}},
		{noParams{}, map[string]float64{}},
	}
	for _, c := range cases {
		got := Params(c.eq)
		if len(got) != len(c.want) {
			t.Errorf("%s: Params = %v, want %v", c.eq.Name(), got, c.want)
			continue
		}
		for k, v := range c.want {
			if g, ok := got[k]; !ok || g != v {
				t.Errorf("%s: Params[%q] = %v (present %t), want %v", c.eq.Name(), k, g, ok, v)
			}
		}
	}
}

type noParams struct{}

func (noParams) Name() string                   { return "none" }
func (noParams) Needs() Deriv                   { return DU }
func (noParams) Residual(a Algebra, j Jet) Term { return j.U }

func TestNewEquationRoundTrip(t *testing.T) {
	eqs := []Equation{
		Burgers{Nu: 0.01 / math.Pi}, Heat{Kappa: 0.1}, Advection{C: -1}, AllenCahn{Eps: 1e-4, A: 5},
		KdV{A: 1, Delta: 0.0025}, KuramotoSivashinsky{A: 1, B: 2, C: 3}, Poisson{},
	}
	if len(eqs) != len(EquationNames()) {
		t.Errorf("test covers %d equations, catalogue has %v", len(eqs), EquationNames())
	}
	for _, e := range eqs {
		got, err := NewEquation(e.Name(), Params(e))
		if err != nil {
			t.Errorf("%s: %v", e.Name(), err)
			continue
		}
		if got != e {
			t.Errorf("NewEquation(%q, %v) = %#v, want %#v", e.Name(), Params(e), got, e)
		}
	}
	// Every preset's equation round-trips too.
	for _, name := range PresetNames() {
		p, _ := Lookup(name)
		if got, err := NewEquation(p.Equation.Name(), Params(p.Equation)); err != nil || got != p.Equation {
			t.Errorf("preset %s: NewEquation gives %v, %v; want %#v", name, got, err, p.Equation)
		}
	}
}

func TestNewEquationErrors(t *testing.T) {
	cases := []struct {
		name   string
		params map[string]float64
		want   string // a substring of the error
	}{
		{"burger", map[string]float64{"nu": 1}, "known equations: [advection allen-cahn burgers"},
		{"burgers", map[string]float64{}, `needs parameter "nu"`},
		{"kdv", map[string]float64{"a": 1}, `needs parameter "delta"`},
		{"heat", map[string]float64{"kappa": 1, "nu": 2}, `has no parameter "nu"`},
		{"poisson", map[string]float64{"f": 1}, `has no parameter "f"`},
	}
	for _, c := range cases {
		_, err := NewEquation(c.name, c.params)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("NewEquation(%q, %v): error %v, want one containing %q", c.name, c.params, err, c.want)
		}
	}
}
