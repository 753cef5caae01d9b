package classical

import (
	"fmt"
	"math"
	"math/cmplx"
)

// ETDRK4 is the fourth-order exponential time-differencing Runge–Kutta
// method of Cox & Matthews (2002, §2.2, eqs. 26–29) for a Semilinear system
// v′ = Lv + N(t, v) with diagonal L. The linear part is integrated exactly,
// so stiff diffusion or dispersion does not limit the step.
//
// The coefficient functions φ(hL) suffer cancellation for small |hL|; they
// are evaluated as the mean over M points on a circle of radius one around
// each hL (Kassam & Trefethen 2005, §3), computed once per step size and
// reused while the step size stays the same.
type ETDRK4 struct {
	// ContourPoints is the number M of points on each contour circle; zero
	// means 32. The full circle is used, so L may be complex.
	ContourPoints int

	sys Semilinear
	l   []complex128

	dt                   float64
	e, e2, q, f1, f2, f3 []complex128
	nv, na, nb, nc, a, b []complex128
	// When L is real (diffusion, reaction) so are the coefficients, and
	// the step uses these real copies: half the multiplications.
	isReal                     bool
	re, re2, rq, rf1, rf2, rf3 []float64
}

// NewETDRK4 returns an ETDRK4 stepper with workspaces for sys. The diagonal
// of L is read once, here.
func NewETDRK4(sys Semilinear) *ETDRK4 {
	n := sys.Dim()
	mk := func() []complex128 { return make([]complex128, n) }
	s := &ETDRK4{
		sys: sys, l: mk(),
		e: mk(), e2: mk(), q: mk(), f1: mk(), f2: mk(), f3: mk(),
		nv: mk(), na: mk(), nb: mk(), nc: mk(), a: mk(), b: mk(),
	}
	sys.Linear(s.l)
	s.isReal = true
	for _, l := range s.l {
		if imag(l) != 0 {
			s.isReal = false
			break
		}
	}
	if s.isReal {
		mk := func() []float64 { return make([]float64, n) }
		s.re, s.re2, s.rq, s.rf1, s.rf2, s.rf3 = mk(), mk(), mk(), mk(), mk(), mk()
	}
	return s
}

// sameStep reports whether two step sizes differ by rounding only (a
// relative 1e-13), as equal spans between output times computed by
// subtraction do: coefficients built for one serve the other to rounding.
func sameStep(a, b float64) bool { return math.Abs(a-b) <= 1e-13*math.Abs(a) }

// Order returns 4.
func (*ETDRK4) Order() int { return 4 }

// SetStep computes the coefficients for step size dt. Step calls it when
// the step size changes (by more than rounding: sameStep); calling it
// first moves that cost out of the loop.
func (s *ETDRK4) SetStep(dt float64) {
	if sameStep(dt, s.dt) {
		return
	}
	m := s.ContourPoints
	if m <= 0 {
		m = 32
	}
	// Roots of unity shifted by half a point, so that none is real: for
	// real L the mean is then exactly real up to rounding.
	roots := make([]complex128, m)
	for j := range roots {
		roots[j] = cmplx.Exp(complex(0, math.Pi*(float64(j)+0.5)*2/float64(m)))
	}
	h := complex(dt, 0)
	for i, l := range s.l {
		hl := h * l
		s.e[i] = cmplx.Exp(hl)
		s.e2[i] = cmplx.Exp(hl / 2)
		var q, f1, f2, f3 complex128
		for _, r := range roots {
			z := hl + r
			ez := cmplx.Exp(z)
			z2 := z * z
			z3 := z2 * z
			q += (cmplx.Exp(z/2) - 1) / z
			f1 += (-4 - z + ez*(4-3*z+z2)) / z3
			f2 += (2 + z + ez*(z-2)) / z3
			f3 += (-4 - 3*z - z2 + ez*(4-z)) / z3
		}
		w := h / complex(float64(m), 0)
		s.q[i], s.f1[i], s.f2[i], s.f3[i] = w*q, w*f1, w*f2, w*f3
	}
	if s.isReal {
		// For real hL the contour means are real up to rounding: the
		// points come in conjugate pairs.
		for i := range s.l {
			s.re[i], s.re2[i], s.rq[i] = real(s.e[i]), real(s.e2[i]), real(s.q[i])
			s.rf1[i], s.rf2[i], s.rf3[i] = real(s.f1[i]), real(s.f2[i]), real(s.f3[i])
		}
	}
	s.dt = dt
}

// Step advances v from t to t+dt into dst. dst and v may be the same slice.
func (s *ETDRK4) Step(dst []complex128, t, dt float64, v []complex128) error {
	n := len(s.l)
	if len(dst) != n || len(v) != n {
		panic(fmt.Sprintf("classical: ETDRK4 Step slices have lengths %d and %d, want %d", len(dst), len(v), n))
	}
	s.SetStep(dt)
	if s.isReal {
		s.stepReal(dst, t, dt, v)
		return nil
	}
	N := s.sys.Nonlinear
	e, e2, q := s.e, s.e2, s.q
	nv, na, nb, nc, a, b := s.nv, s.na, s.nb, s.nc, s.a, s.b

	N(nv, t, v)
	for i := range a {
		a[i] = e2[i]*v[i] + q[i]*nv[i]
	}
	N(na, t+dt/2, a)
	for i := range b {
		b[i] = e2[i]*v[i] + q[i]*na[i]
	}
	N(nb, t+dt/2, b)
	// c = e2·a + q·(2Nb − Nv), stored in b.
	for i := range b {
		b[i] = e2[i]*a[i] + q[i]*(2*nb[i]-nv[i])
	}
	N(nc, t+dt, b)
	f1, f2, f3 := s.f1, s.f2, s.f3
	for i := range dst {
		dst[i] = e[i]*v[i] + f1[i]*nv[i] + 2*f2[i]*(na[i]+nb[i]) + f3[i]*nc[i]
	}
	return nil
}

// Integrate advances v in place from t0 to t1 in ⌈(t1−t0)/dt⌉ equal steps.
// progress, if not nil, is called after every step.
func (s *ETDRK4) Integrate(v []complex128, t0, t1, dt float64, progress func(t float64)) (Result, error) {
	if !(dt > 0) {
		return Result{T: t0}, fmt.Errorf("classical: ETDRK4 step %g must be positive", dt)
	}
	if !(t1 >= t0) {
		return Result{T: t0}, fmt.Errorf("classical: final time %g is before the initial time %g", t1, t0)
	}
	return integrateFixed(v, t0, t1, dt, math.MaxInt, progress, s.Step)
}

// rmul returns r·z for real r with two multiplications.
func rmul(r float64, z complex128) complex128 { return complex(r*real(z), r*imag(z)) }

// stepReal is Step for real L, with real coefficients.
func (s *ETDRK4) stepReal(dst []complex128, t, dt float64, v []complex128) {
	N := s.sys.Nonlinear
	n := len(v)
	e, e2, q := s.re[:n], s.re2[:n], s.rq[:n]
	nv, na, nb, nc, a, b := s.nv[:n], s.na[:n], s.nb[:n], s.nc[:n], s.a[:n], s.b[:n]
	N(nv, t, v)
	for i, vi := range v {
		a[i] = rmul(e2[i], vi) + rmul(q[i], nv[i])
	}
	N(na, t+dt/2, a)
	for i, vi := range v {
		b[i] = rmul(e2[i], vi) + rmul(q[i], na[i])
	}
	N(nb, t+dt/2, b)
	for i, ai := range a {
		b[i] = rmul(e2[i], ai) + rmul(q[i], 2*nb[i]-nv[i])
	}
	N(nc, t+dt, b)
	f1, f2, f3 := s.rf1[:n], s.rf2[:n], s.rf3[:n]
	dst = dst[:n]
	for i, vi := range v {
		dst[i] = rmul(e[i], vi) + rmul(f1[i], nv[i]) + rmul(2*f2[i], na[i]+nb[i]) + rmul(f3[i], nc[i])
	}
}
