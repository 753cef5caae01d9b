package classical

import (
	"fmt"
	"math"

	"github.com/neuralpde/neuralpde/operators"
	"github.com/neuralpde/neuralpde/pde"
)

// The time-stepping schemes of NavierStokes2D.
const (
	// CNHeun treats the viscous term by the trapezoidal (Crank–Nicolson)
	// rule and the advection and forcing by Heun's method: a CN–Euler
	// predictor, then the corrector with the average of the advection
	// terms at both ends. Second order in time.
	CNHeun = "cn-heun"
	// CNEuler treats advection and forcing by forward Euler and the
	// viscous term by Crank–Nicolson, exactly the update of the FNO
	// Navier–Stokes data generator (Li et al. 2021, ns_2d.py, there with
	// dt = 1e-4). First order in time.
	CNEuler = "cn-euler"
)

// DefaultNavierStokesDt is the default time step of NavierStokes2D, ten
// times the FNO generator's 1e-4 (which its first-order CNEuler needs).
// With CNHeun, ν = 1e-3 and the forcing of navier-stokes, a sample of the
// preset's initial law on 64² taken to t = 20 differs from the same solve
// with dt = 5e-4 by 9e-9 of max|w| (by 4e-8 with dt = 2e-3).
const DefaultNavierStokesDt = 1e-3

// NavierStokes2D maps an initial vorticity to the vorticity at the saved
// times of a periodic Navier–Stokes preset (navier-stokes, taylor-green):
// Solve reads w(0) on the preset's n×n periodic grid and writes w(t_k),
// t_k = k·SaveEvery for k = 1..StepsSaved, on the same grid (output shape
// StepsSaved×n×n).
//
// It integrates ∂_t w + u·∇w = νΔw + f, u = (∂_y ψ, −∂_x ψ), −Δψ = w, by
// the Fourier pseudo-spectral method on the n×n grid: u, ∂_x w and ∂_y w
// are computed in Fourier space, the product u·∂_x w + v·∂_y w on the grid
// (Orszag 1971), and the state is kept in the modes |k_x|, |k_y| ≤ n/3 (the
// 2/3 rule, as the FNO generator's dealiasing mask; the initial data is
// truncated to them). Time stepping is CNHeun (default) or CNEuler with a
// fixed step that divides SaveEvery.
//
// The mean vorticity is conserved: the advection term of band-limited
// fields has zero mean exactly, and the forcing has zero mean.
//
// It satisfies data.Solver; it holds FFT plans and workspaces and
// allocates nothing per Solve, so use one per goroutine.
type NavierStokes2D struct {
	n, my, kc   int
	qn          int // coefficient columns in use: kc+1
	nu, dt      float64
	method      string
	save        float64
	saved       int
	stepsPerOut int
	progress    func(t float64)

	fft    *operators.Fourier2D
	rows   []int     // coefficient rows inside the mask
	kx, ky []float64 // kx[p], ky[q]
	// a and b are the mode-wise factors of the update
	// ŵ ← a·ŵ + b·(f̂ − N̂): a = (1 − νk²dt/2)/(1 + νk²dt/2),
	// b = dt/(1 + νk²dt/2).
	a, b []float64
	fh   []complex128

	w, ws, n0, n1    []complex128
	cu, cv, cwx, cwy []complex128
	gu, gv, gwx, gwy []float64
}

// NewNavierStokes2D returns a solver for the Navier–Stokes preset p (its
// PDE must be pde.NavierStokes, its BC periodic) on n×n points. cfg's Dt
// (zero: DefaultNavierStokesDt, reduced so that it divides SaveEvery),
// Method (CNHeun or CNEuler, empty meaning CNHeun), StepsSaved (zero: the
// preset's) and Progress are used.
func NewNavierStokes2D(p *pde.Preset2D, n int, cfg *Config2D) (*NavierStokes2D, error) {
	if p == nil {
		return nil, fmt.Errorf("classical: nil preset")
	}
	ns, ok := p.PDE.(pde.NavierStokes)
	if !ok {
		return nil, fmt.Errorf("classical: preset %q is %v, not Navier–Stokes", p.Name, pdeName(p.PDE))
	}
	if p.BC != pde.PeriodicBC {
		return nil, fmt.Errorf("classical: Navier–Stokes preset %q must be periodic", p.Name)
	}
	if n < 8 {
		return nil, fmt.Errorf("classical: Navier–Stokes resolution %d is too small; use at least 8 points per axis", n)
	}
	if !(ns.Nu > 0) || math.IsInf(ns.Nu, 0) {
		return nil, fmt.Errorf("classical: viscosity ν = %g must be positive and finite", ns.Nu)
	}
	if !(p.SaveEvery > 0) {
		return nil, fmt.Errorf("classical: preset %q has no save interval (SaveEvery = %g)", p.Name, p.SaveEvery)
	}
	lx, ly := p.X.Length(), p.Y.Length()
	if !(lx > 0) || !(ly > 0) {
		return nil, fmt.Errorf("classical: preset %q has an empty domain %v × %v", p.Name, p.X, p.Y)
	}
	var c Config2D
	if cfg != nil {
		c = *cfg
	}
	if c.Method == "" {
		c.Method = CNHeun
	}
	if c.Method != CNHeun && c.Method != CNEuler {
		return nil, fmt.Errorf("classical: Navier–Stokes method %q is unknown; use %q or %q", c.Method, CNHeun, CNEuler)
	}
	if c.Dt == 0 {
		c.Dt = DefaultNavierStokesDt
	}
	if !(c.Dt > 0) || math.IsInf(c.Dt, 0) {
		return nil, fmt.Errorf("classical: time step Dt = %g must be positive (or 0 for the default)", c.Dt)
	}
	if c.StepsSaved == 0 {
		c.StepsSaved = p.StepsSaved
	}
	if c.StepsSaved < 1 {
		return nil, fmt.Errorf("classical: StepsSaved = %d; save at least one time", c.StepsSaved)
	}
	per := int(math.Ceil(p.SaveEvery/c.Dt - 1e-9))
	my := n/2 + 1
	kc := n / 3
	s := &NavierStokes2D{
		n: n, my: my, kc: kc, qn: kc + 1,
		nu: ns.Nu, dt: p.SaveEvery / float64(per), method: c.Method,
		save: p.SaveEvery, saved: c.StepsSaved, stepsPerOut: per,
		progress: c.Progress,
		fft:      operators.NewFourier2D(n, n, lx, ly),
		kx:       make([]float64, n),
		ky:       make([]float64, my),
		a:        make([]float64, n*my),
		b:        make([]float64, n*my),
		fh:       make([]complex128, n*my),
	}
	for p := range s.kx {
		s.kx[p] = s.fft.WavenumberX(p)
		if abs(signedFreq(p, n)) <= kc {
			s.rows = append(s.rows, p)
		}
	}
	for q := range s.ky {
		s.ky[q] = s.fft.WavenumberY(q)
	}
	for _, p := range s.rows {
		for q := 0; q <= kc; q++ {
			l := s.nu * (s.kx[p]*s.kx[p] + s.ky[q]*s.ky[q]) * s.dt / 2
			s.a[p*my+q] = (1 - l) / (1 + l)
			s.b[p*my+q] = s.dt / (1 + l)
		}
	}
	cs := func() []complex128 { return make([]complex128, n*my) }
	fs := func() []float64 { return make([]float64, n*n) }
	s.w, s.ws, s.n0, s.n1 = cs(), cs(), cs(), cs()
	s.cu, s.cv, s.cwx, s.cwy = cs(), cs(), cs(), cs()
	s.gu, s.gv, s.gwx, s.gwy = fs(), fs(), fs(), fs()
	if p.Source != nil {
		xs, ys := p.Grids(n)
		for i := range n {
			x := xs.At(i)
			for j := range n {
				s.gu[i*n+j] = p.Source(x, ys.At(j))
			}
		}
		if !finite(s.gu) {
			return nil, fmt.Errorf("classical: preset %q has a forcing that is not finite on the grid", p.Name)
		}
		s.fft.ForwardColumns(s.fh, s.gu, s.qn)
		s.maskCopy(s.fh, s.fh)
	}
	return s, nil
}

// signedFreq is the signed frequency of complex-FFT index p of n points.
func signedFreq(p, n int) int {
	if p <= (n-1)/2 {
		return p
	}
	return p - n
}

func abs(i int) int {
	if i < 0 {
		return -i
	}
	return i
}

// pdeName names a preset's PDE in an error message.
func pdeName(e pde.PDE2D) string {
	if e == nil {
		return "missing"
	}
	return e.Name()
}

// InputShape returns [n, n].
func (s *NavierStokes2D) InputShape() []int { return []int{s.n, s.n} }

// OutputShape returns [StepsSaved, n, n].
func (s *NavierStokes2D) OutputShape() []int { return []int{s.saved, s.n, s.n} }

// Dt returns the time step used; Method the scheme.
func (s *NavierStokes2D) Dt() float64 { return s.dt }

// Method returns the time-stepping scheme, CNHeun or CNEuler.
func (s *NavierStokes2D) Method() string { return s.method }

// SaveTimes returns the times of the saved snapshots.
func (s *NavierStokes2D) SaveTimes() []float64 {
	ts := make([]float64, s.saved)
	for k := range ts {
		ts[k] = float64(k+1) * s.save
	}
	return ts
}

// Description describes the discretisation, for dataset metadata.
func (s *NavierStokes2D) Description() string {
	return fmt.Sprintf("fourier pseudo-spectral %d², 2/3 dealiasing, %s dt %g, ν %g, saved at t = %g..%g",
		s.n, s.method, s.dt, s.nu, s.save, float64(s.saved)*s.save)
}

// Solve writes the vorticity at the saved times for the initial vorticity
// in; in has n·n entries and out StepsSaved·n·n. A non-finite input or
// solution is an error.
func (s *NavierStokes2D) Solve(out, in []float64) error {
	nn := s.n * s.n
	if len(in) != nn || len(out) != s.saved*nn {
		return fmt.Errorf("classical: NavierStokes2D.Solve got input length %d and output length %d, want %d and %d",
			len(in), len(out), nn, s.saved*nn)
	}
	if !finite(in) {
		return fmt.Errorf("classical: Navier–Stokes input contains NaN or Inf")
	}
	copy(s.gu, in)
	s.fft.ForwardColumns(s.w, s.gu, s.qn)
	s.maskCopy(s.w, s.w)
	t := 0.0
	for k := range s.saved {
		for range s.stepsPerOut {
			s.step()
			t += s.dt
			if s.progress != nil {
				s.progress(t)
			}
		}
		if !finite(s.w) {
			return fmt.Errorf("%w (Navier–Stokes %d², %s, dt = %g, by t = %g)", ErrNonFinite, s.n, s.method, s.dt, float64(k+1)*s.save)
		}
		s.maskCopy(s.cu, s.w)
		s.fft.InverseColumns(out[k*nn:(k+1)*nn], s.cu, s.qn)
	}
	return nil
}

// maskCopy writes the modes of src inside the dealiasing mask to the
// columns q ≤ kc of dst and zeros the rest of those columns; dst may be
// src. The columns q > kc of dst are not touched.
func (s *NavierStokes2D) maskCopy(dst, src []complex128) {
	my, qn := s.my, s.qn
	for p := 0; p < s.n; p++ {
		d := dst[p*my : p*my+qn]
		if abs(signedFreq(p, s.n)) > s.kc {
			clear(d)
			continue
		}
		copy(d, src[p*my:p*my+qn])
	}
}

// step advances s.w by one step of the scheme.
func (s *NavierStokes2D) step() {
	my := s.my
	s.advection(s.n0, s.w)
	if s.method == CNEuler {
		for _, p := range s.rows {
			for q := p * my; q < p*my+s.qn; q++ {
				s.w[q] = rmul(s.a[q], s.w[q]) + rmul(s.b[q], s.fh[q]-s.n0[q])
			}
		}
		return
	}
	for _, p := range s.rows {
		for q := p * my; q < p*my+s.qn; q++ {
			s.ws[q] = rmul(s.a[q], s.w[q]) + rmul(s.b[q], s.fh[q]-s.n0[q])
		}
	}
	s.advection(s.n1, s.ws)
	for _, p := range s.rows {
		for q := p * my; q < p*my+s.qn; q++ {
			nl := rmul(0.5, s.n0[q]+s.n1[q])
			s.w[q] = rmul(s.a[q], s.w[q]) + rmul(s.b[q], s.fh[q]-nl)
		}
	}
}

// advection writes into dst, on the modes inside the mask, the
// coefficients of u·∇w for the vorticity with (masked) coefficients w.
func (s *NavierStokes2D) advection(dst, w []complex128) {
	n, my, qn := s.n, s.my, s.qn
	for p := 0; p < n; p++ {
		o := p * my
		cu, cv := s.cu[o:o+qn], s.cv[o:o+qn]
		cwx, cwy := s.cwx[o:o+qn], s.cwy[o:o+qn]
		if abs(signedFreq(p, n)) > s.kc {
			clear(cu)
			clear(cv)
			clear(cwx)
			clear(cwy)
			continue
		}
		kx := s.kx[p]
		wp := w[o : o+qn]
		for q, v := range wp {
			ky := s.ky[q]
			k2 := kx*kx + ky*ky
			var psi complex128
			if k2 != 0 {
				psi = rmul(1/k2, v)
			}
			// i·k·z = (−k·imag z, k·real z).
			cu[q] = complex(-ky*imag(psi), ky*real(psi))
			cv[q] = complex(kx*imag(psi), -kx*real(psi))
			cwx[q] = complex(-kx*imag(v), kx*real(v))
			cwy[q] = complex(-ky*imag(v), ky*real(v))
		}
	}
	s.fft.InverseColumns(s.gu, s.cu, qn)
	s.fft.InverseColumns(s.gv, s.cv, qn)
	s.fft.InverseColumns(s.gwx, s.cwx, qn)
	s.fft.InverseColumns(s.gwy, s.cwy, qn)
	g := s.gu
	for i := range g {
		g[i] = g[i]*s.gwx[i] + s.gv[i]*s.gwy[i]
	}
	s.fft.ForwardColumns(dst, g, qn)
}
