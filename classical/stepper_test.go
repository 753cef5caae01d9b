package classical

import (
	"math"
	"math/cmplx"
	"testing"
)

// expSin is the system y₁′ = y₁ cos t, y₂′ = −2t y₂, with exact solution
// y₁ = exp(sin t), y₂ = exp(−t²) from y(0) = (1, 1).
type expSin struct{}

func (expSin) Dim() int { return 2 }
func (expSin) Func(dst []float64, t float64, u []float64) {
	dst[0] = u[0] * math.Cos(t)
	dst[1] = -2 * t * u[1]
}
func (expSin) exact(t float64) []float64 { return []float64{math.Exp(math.Sin(t)), math.Exp(-t * t)} }

// bernoulli is the semilinear system v_i′ = λ_i v_i + v_i², whose exact
// solution is 1/v = (1/v₀ + 1/λ) e^{−λt} − 1/λ.
type bernoulli struct{ lambda, v0 []complex128 }

func (b bernoulli) Dim() int                { return len(b.lambda) }
func (b bernoulli) Linear(dst []complex128) { copy(dst, b.lambda) }
func (b bernoulli) Nonlinear(dst []complex128, _ float64, v []complex128) {
	for i, x := range v {
		dst[i] = x * x
	}
}
func (b bernoulli) exact(t float64) []complex128 {
	v := make([]complex128, len(b.lambda))
	for i, l := range b.lambda {
		v[i] = 1 / ((1/b.v0[i]+1/l)*cmplx.Exp(-l*complex(t, 0)) - 1/l)
	}
	return v
}

// slope returns the least-squares slope of log e against log h.
func slope(h, e []float64) float64 {
	var sx, sy, sxx, sxy float64
	n := float64(len(h))
	for i := range h {
		x, y := math.Log(h[i]), math.Log(e[i])
		sx += x
		sy += y
		sxx += x * x
		sxy += x * y
	}
	return (n*sxy - sx*sy) / (n*sxx - sx*sx)
}

func maxAbsDiff(a, b []float64) float64 {
	var m float64
	for i := range a {
		m = math.Max(m, math.Abs(a[i]-b[i]))
	}
	return m
}

// TestStepperOrder checks each real stepper's global error against its
// claimed order, as diffrax's test_ode_order does.
func TestStepperOrder(t *testing.T) {
	sys := expSin{}
	const t1 = 2.0
	for _, tc := range []struct {
		name string
		s    Stepper
		dts  []float64
	}{
		{"rk4", NewRK4(sys), []float64{0.1, 0.05, 0.025, 0.0125}},
		{"dopri5", NewDormandPrince(sys), []float64{0.1, 0.05, 0.025, 0.0125}},
	} {
		var errs []float64
		for _, dt := range tc.dts {
			u := []float64{1, 1}
			if _, err := Integrate(u, 0, t1, tc.s, &Settings{Dt: dt}); err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			errs = append(errs, maxAbsDiff(u, sys.exact(t1)))
		}
		p := slope(tc.dts, errs)
		if math.Abs(p-float64(tc.s.Order())) > 0.3 {
			t.Errorf("%s: observed order %.2f, want %d (errors %v)", tc.name, p, tc.s.Order(), errs)
		}
	}
}

func TestETDRK4Order(t *testing.T) {
	sys := bernoulli{
		lambda: []complex128{-1, -20, 3i, complex(-2, 5), 0.5},
		v0:     []complex128{0.5, 0.3, complex(0.2, 0.1), 0.4, 0.3},
	}
	const t1 = 1.0
	dts := []float64{0.1, 0.05, 0.025, 0.0125}
	var errs []float64
	want := sys.exact(t1)
	for _, dt := range dts {
		v := append([]complex128(nil), sys.v0...)
		s := NewETDRK4(sys)
		if _, err := s.Integrate(v, 0, t1, dt, nil); err != nil {
			t.Fatal(err)
		}
		var e float64
		for i := range v {
			e = math.Max(e, cmplx.Abs(v[i]-want[i]))
		}
		errs = append(errs, e)
	}
	if p := slope(dts, errs); math.Abs(p-4) > 0.3 {
		t.Errorf("ETDRK4: observed order %.2f, want 4 (errors %v)", p, errs)
	}
}

// TestETDRK4Coefficients compares the contour-integral φ coefficients with
// their direct formulas where those are free of cancellation, and with the
// Taylor series at small arguments.
func TestETDRK4Coefficients(t *testing.T) {
	lambda := []complex128{-1e-6, 1e-7i, -0.5, 0.3i, 2, -40, 30i, complex(-5, 12), -1e5}
	s := NewETDRK4(bernoulli{lambda: lambda, v0: lambda})
	const h = 0.5
	s.SetStep(h)
	for i, l := range lambda {
		z := complex(h, 0) * l
		var q, f1, f2, f3 complex128
		tol := 1e-10
		if cmplx.Abs(z) > 0.1 {
			ez := cmplx.Exp(z)
			z3 := z * z * z
			q = (cmplx.Exp(z/2) - 1) / z
			f1 = (-4 - z + ez*(4-3*z+z*z)) / z3
			f2 = (2 + z + ez*(z-2)) / z3
			f3 = (-4 - 3*z - z*z + ez*(4-z)) / z3
		} else {
			// Leading Taylor terms: q = 1/2 + z/8, f1 = 1/6 + z/6,
			// f2 = 1/6 + z/12, f3 = 1/6 + 0·z; the next terms are O(z²).
			q, f1, f2, f3 = 0.5+z/8, 1.0/6+z/6, 1.0/6+z/12, 1.0/6
		}
		for _, c := range []struct {
			name      string
			got, want complex128
		}{
			{"Q", s.q[i], h * q}, {"f1", s.f1[i], h * f1}, {"f2", s.f2[i], h * f2}, {"f3", s.f3[i], h * f3},
		} {
			if d := cmplx.Abs(c.got - c.want); d > tol*math.Max(1, cmplx.Abs(c.want)) {
				t.Errorf("hL = %v: %s = %v, want %v (|diff| %.2g)", z, c.name, c.got, c.want, d)
			}
		}
	}
}

func TestAdaptiveDormandPrince(t *testing.T) {
	sys := expSin{}
	const t1 = 5.0
	for _, tc := range []struct {
		rtol, atol, tol float64
	}{
		{1e-4, 1e-7, 1e-3},
		{1e-8, 1e-11, 1e-7},
		{1e-11, 1e-13, 1e-10},
	} {
		u := []float64{1, 1}
		ctl := &PIController{RTol: tc.rtol, ATol: tc.atol}
		res, err := Integrate(u, 0, t1, NewDormandPrince(sys), &Settings{Dt: 1e-3, Controller: ctl})
		if err != nil || res.Status != Success || res.T != t1 {
			t.Fatalf("rtol %g: %v %+v", tc.rtol, err, res)
		}
		if e := maxAbsDiff(u, sys.exact(t1)); e > tc.tol {
			t.Errorf("rtol %g: error %.3g > %g (%d steps, %d rejected)", tc.rtol, e, tc.tol, res.Steps, res.Rejected)
		}
	}
}

func TestIntegrateStatus(t *testing.T) {
	sys := expSin{}
	u := []float64{1, 1}
	res, err := Integrate(u, 0, 5, NewDormandPrince(sys), &Settings{Dt: 1e-3, Controller: &PIController{RTol: 1e-12, ATol: 1e-14}, MaxSteps: 10})
	if res.Status != MaxStepsReached || err == nil {
		t.Errorf("max steps: got %v, %v", res.Status, err)
	}
	u = []float64{1, 1}
	res, err = Integrate(u, 0, 5, NewDormandPrince(sys), &Settings{Dt: 1e-3, Controller: &PIController{RTol: 1e-14, ATol: 1e-16, DtMin: 0.01}})
	if res.Status != StepSizeTooSmall || err == nil {
		t.Errorf("dt min: got %v, %v", res.Status, err)
	}
	// y′ = y² from y = 1 blows up at t = 1.
	blow := expSinBlow{}
	u = []float64{1}
	res, err = Integrate(u, 0, 2, NewRK4(blow), &Settings{Dt: 0.1})
	if res.Status != NonFinite || err == nil {
		t.Errorf("blow-up: got %v, %v", res.Status, err)
	}
	if _, err := Integrate(u, 0, 1, NewRK4(blow), nil); err == nil {
		t.Error("nil settings: no error")
	}
	if _, err := Integrate(u, 0, 1, NewRK4(blow), &Settings{Dt: 0.1, Controller: &PIController{}}); err == nil {
		t.Error("adaptive RK4: no error")
	}
}

type expSinBlow struct{}

func (expSinBlow) Dim() int { return 1 }
func (expSinBlow) Func(dst []float64, _ float64, u []float64) {
	dst[0] = u[0] * u[0] * u[0] * u[0]
}

func TestStepAllocs(t *testing.T) {
	u := []float64{1, 1}
	rk, dp := NewRK4(expSin{}), NewDormandPrince(expSin{})
	e := make([]float64, 2)
	sys := bernoulli{lambda: []complex128{-1, 2i}, v0: []complex128{0.1, 0.2}}
	et := NewETDRK4(sys)
	v := []complex128{0.1, 0.2}
	et.SetStep(0.01)
	for name, f := range map[string]func(){
		"rk4":    func() { rk.Step(u, 0, 0.01, u) },
		"dopri5": func() { dp.StepError(u, e, 0, 0.01, u) },
		"etdrk4": func() { et.Step(v, 0, 0.01, v) },
	} {
		if a := testing.AllocsPerRun(10, f); a != 0 {
			t.Errorf("%s: %v allocations per step", name, a)
		}
	}
}
