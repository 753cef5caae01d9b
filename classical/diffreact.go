package classical

import (
	"fmt"
	"math"

	"github.com/neuralpde/neuralpde/pde"
)

// DiffReactConfig sets the resolution of a DiffReactSolver. Zero fields mean
// the defaults.
type DiffReactConfig struct {
	// Refine is the number of grid intervals per sensor interval; zero
	// means 4. The source is interpolated between sensors by the cubic
	// through the four nearest.
	Refine int
	// Steps is the number of time steps per interval between output
	// times; zero means 10.
	Steps int
}

// DiffReactSolver maps a source f, sampled at the sensors, to the solution
// u(t, x) of the diffusion–reaction equation u_t = D u_xx + k u² + f(x)
// with zero initial and Dirichlet boundary data, on the output grid of an
// operator preset (diffusion-reaction): NT times by NX = Sensors points.
// This is the data of the physics-informed DeepONet benchmark (Wang, Wang &
// Perdikaris 2021, §3.2).
//
// Space: second-order central differences on Refine·(Sensors−1)+1 uniform
// points. Time: Crank–Nicolson, whose nonlinear stage equation is solved by
// Newton's method with the tridiagonal Jacobian I − (Δt/2)(D L + 2k diag u)
// (Thomas algorithm) to round-off. Both are second order
// (TestDiffReactOrder measures the slope).
//
// It satisfies data.Solver and holds its workspaces: use one per goroutine.
type DiffReactSolver struct {
	eq             pde.DiffusionReaction
	sensors, nt    int
	refine, steps  int
	n              int // grid points including both ends
	h, dt          float64
	f, u, v, r, cp []float64
	dp             []float64
}

// NewDiffReactSolver returns the solver of the operator preset p, whose
// equation must be a pde.DiffusionReaction with NX equal to Sensors. cfg
// nil means the defaults.
func NewDiffReactSolver(p *pde.OperatorPreset, cfg *DiffReactConfig) (*DiffReactSolver, error) {
	eq, ok := p.Equation.(pde.DiffusionReaction)
	if !ok {
		return nil, fmt.Errorf("classical: preset %q is not a diffusion–reaction preset", p.Name)
	}
	if p.NX != p.Sensors || p.Sensors < 4 || p.NT < 2 {
		return nil, fmt.Errorf("classical: diffusion–reaction preset %q has %d sensors, %d output points and %d times; need NX = Sensors ≥ 4 and NT ≥ 2", p.Name, p.Sensors, p.NX, p.NT)
	}
	if !(p.T.B > p.T.A) || !(p.X.B > p.X.A) {
		return nil, fmt.Errorf("classical: preset %q has an empty interval", p.Name)
	}
	var c DiffReactConfig
	if cfg != nil {
		c = *cfg
	}
	if c.Refine == 0 {
		c.Refine = 4
	}
	if c.Steps == 0 {
		c.Steps = 10
	}
	if c.Refine < 1 || c.Steps < 1 {
		return nil, fmt.Errorf("classical: diffusion–reaction Refine %d and Steps %d must be positive (or 0 for the defaults)", c.Refine, c.Steps)
	}
	n := c.Refine*(p.Sensors-1) + 1
	s := &DiffReactSolver{
		eq: eq, sensors: p.Sensors, nt: p.NT, refine: c.Refine, steps: c.Steps, n: n,
		h:  p.X.Length() / float64(n-1),
		dt: (p.T.B - p.T.A) / float64(p.NT-1) / float64(c.Steps),
	}
	s.f = make([]float64, n)
	s.u = make([]float64, n)
	s.v = make([]float64, n)
	s.r = make([]float64, n)
	s.cp = make([]float64, n)
	s.dp = make([]float64, n)
	return s, nil
}

// InputShape is (Sensors); OutputShape is (NT, Sensors), time first.
func (s *DiffReactSolver) InputShape() []int  { return []int{s.sensors} }
func (s *DiffReactSolver) OutputShape() []int { return []int{s.nt, s.sensors} }

// Solve writes u at the output times and sensors into out for the source
// in; wrong lengths or a Newton iteration that does not converge are
// errors.
func (s *DiffReactSolver) Solve(out, in []float64) error {
	if len(in) != s.sensors || len(out) != s.nt*s.sensors {
		return fmt.Errorf("classical: diffusion–reaction input %d and output %d values; want %d and %d", len(in), len(out), s.sensors, s.nt*s.sensors)
	}
	s.interpolate(in)
	clear(s.u)
	s.store(out[:s.sensors])
	for k := 1; k < s.nt; k++ {
		for range s.steps {
			if err := s.step(); err != nil {
				return err
			}
		}
		s.store(out[k*s.sensors : (k+1)*s.sensors])
	}
	return nil
}

func (s *DiffReactSolver) store(dst []float64) {
	for j := range dst {
		dst[j] = s.u[j*s.refine]
	}
}

// interpolate fills s.f from the sensor values by the cubic through the
// four nearest sensors.
func (s *DiffReactSolver) interpolate(in []float64) {
	m, r := s.sensors, s.refine
	for i := range s.f {
		j, q := i/r, i%r
		if q == 0 {
			s.f[i] = in[j]
			continue
		}
		lo := min(max(j-1, 0), m-4)
		x := float64(j-lo) + float64(q)/float64(r) // position in sensor units from lo
		v := 0.0
		for a := range 4 {
			w := 1.0
			for b := range 4 {
				if b != a {
					w *= (x - float64(b)) / float64(a-b)
				}
			}
			v += w * in[lo+a]
		}
		s.f[i] = v
	}
}

// step advances s.u by one Crank–Nicolson step.
func (s *DiffReactSolver) step() error {
	n, dt, d, k := s.n, s.dt, s.eq.D, s.eq.K
	c := d / (s.h * s.h)
	u, v, r := s.u, s.v, s.r
	// r ← u + (Δt/2)A(u), the explicit half.
	for i := 1; i < n-1; i++ {
		r[i] = u[i] + 0.5*dt*(c*(u[i-1]-2*u[i]+u[i+1])+k*u[i]*u[i]+s.f[i])
	}
	copy(v, u)
	for it := 0; it < 30; it++ {
		// Residual F(v) = v − (Δt/2)A(v) − r; Newton δ solves J δ = −F.
		off := -0.5 * dt * c
		worst, size := 0.0, 0.0
		for i := 1; i < n-1; i++ {
			av := c*(v[i-1]-2*v[i]+v[i+1]) + k*v[i]*v[i] + s.f[i]
			s.dp[i] = -(v[i] - 0.5*dt*av - r[i])
		}
		// Thomas algorithm on the interior, diagonal 1 + Δt c − Δt k v_i.
		for i := 1; i < n-1; i++ {
			diag := 1 + dt*c - dt*k*v[i]
			if i > 1 {
				diag -= off * s.cp[i-1]
				s.dp[i] -= off * s.dp[i-1]
			}
			s.cp[i] = off / diag
			s.dp[i] /= diag
		}
		for i := n - 2; i >= 1; i-- {
			if i < n-2 {
				s.dp[i] -= s.cp[i] * s.dp[i+1]
			}
			v[i] += s.dp[i]
			worst = math.Max(worst, math.Abs(s.dp[i]))
			size = math.Max(size, math.Abs(v[i]))
		}
		if !(worst <= 1e-14*(1+size)) {
			if math.IsNaN(worst) || math.IsInf(size, 0) {
				break
			}
			continue
		}
		copy(u, v)
		return nil
	}
	return fmt.Errorf("classical: diffusion–reaction Newton iteration did not converge (|u| = %g); the source may be too large for a bounded solution, or use more Steps", diffReactMaxAbs(v))
}

func diffReactMaxAbs(x []float64) float64 {
	m := 0.0
	for _, v := range x {
		m = math.Max(m, math.Abs(v))
	}
	return m
}
