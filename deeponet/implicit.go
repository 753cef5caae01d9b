package deeponet

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"

	"github.com/neuralpde/neuralpde/nn"
	"github.com/neuralpde/neuralpde/nn/implicit"
)

// ImplicitConfig makes the branch an implicit (deep equilibrium) network
// (Bai, Kolter & Koltun 2019): the normalised sensor values u are injected
// as e = uA + c, the hidden state is the equilibrium z* = tanh(zW + e) of
// one weight-tied layer of Width units, found by nn/implicit's solvers,
// and the branch output is z*V + d. Its gradient comes from the implicit
// function theorem, so training memory does not depend on the solver's
// iterations. Branch's hidden widths are ignored, and Stacked must be off.
type ImplicitConfig struct {
	// Width is the equilibrium layer's width; zero means 40.
	Width int `yaml:"width" json:"width"`
	// Solver is newton-krylov (zero value), broyden, anderson,
	// fixed-point or homotopy.
	Solver string `yaml:"solver" json:"solver"`
	// Backward is exact (zero value: GMRES on the adjoint equation) or
	// phantom (approximate: truncated Neumann series of PhantomTerms
	// terms).
	Backward     string `yaml:"backward" json:"backward"`
	PhantomTerms int    `yaml:"phantom_terms" json:"phantom_terms,omitempty"`
	// Tol is the forward tolerance on ‖f(z) − z‖₂ per function; zero means
	// 1e-8.
	Tol float64 `yaml:"tol" json:"tol"`
	// MaxIterations caps the solver's iterations; zero means the solver's
	// default (50 Newton steps, 500 otherwise).
	MaxIterations int `yaml:"max_iterations" json:"max_iterations"`
	// Memory is Broyden's and Anderson's history; Damping the damping β of
	// Anderson and fixed-point. Zero means the defaults of nn/implicit.
	Memory  int     `yaml:"memory" json:"memory"`
	Damping float64 `yaml:"damping" json:"damping"`
	// OnFailure is "error" (zero value: a solve that misses Tol stops
	// training with an error) or "flag" (it is used, counted and
	// reported).
	OnFailure string `yaml:"on_failure" json:"on_failure"`
	// Contraction is the spectral norm of W at initialisation; zero means
	// 0.5. Training does not constrain it.
	Contraction float64 `yaml:"contraction" json:"contraction"`
}

// settings checks the config and returns nn/implicit's settings.
func (c *ImplicitConfig) settings() (*implicit.Settings, error) {
	solver, err := implicit.ParseSolver(c.Solver)
	if err != nil {
		return nil, fmt.Errorf("deeponet: implicit branch: %w", err)
	}
	backward, err := implicit.ParseBackward(c.Backward)
	if err != nil {
		return nil, fmt.Errorf("deeponet: implicit branch: %w", err)
	}
	s := &implicit.Settings{Solver: solver, Backward: backward, PhantomTerms: c.PhantomTerms, AbsTol: c.Tol,
		MaxIterations: c.MaxIterations, Memory: c.Memory, Damping: c.Damping}
	switch c.OnFailure {
	case "", "error":
	case "flag":
		s.OnFailure = implicit.Flag
	default:
		return nil, fmt.Errorf("deeponet: implicit branch on_failure %q; use error or flag", c.OnFailure)
	}
	if c.Width < 0 || c.Contraction < 0 || c.Contraction >= 1 || math.IsNaN(c.Contraction) {
		return nil, fmt.Errorf("deeponet: implicit branch width %d and contraction %g; use a positive width (0 for 40) and a contraction in (0, 1) (0 for 0.5)", c.Width, c.Contraction)
	}
	if err := s.Check(); err != nil {
		return nil, fmt.Errorf("deeponet: implicit branch: %w", err)
	}
	return s, nil
}

// implicitBranch holds the parameters of an implicit branch: injection
// A (m × H) and c, the weight-tied W (H × H), output V (H × P) and d.
type implicitBranch struct {
	m, h, p    int
	a, c, w    *nn.Param
	v, d       *nn.Param
	settings   *implicit.Settings
	parameters []*nn.Param
}

func newImplicitBranch(cfg *ImplicitConfig, m, p int, rng *rand.Rand) (*implicitBranch, error) {
	set, err := cfg.settings()
	if err != nil {
		return nil, err
	}
	h := cfg.Width
	if h == 0 {
		h = 40
	}
	contraction := cfg.Contraction
	if contraction == 0 {
		contraction = 0.5
	}
	b := &implicitBranch{m: m, h: h, p: p, settings: set,
		a: nn.NewParam("branch.inject.w", m, h), c: nn.NewParam("branch.inject.b", h),
		w: nn.NewParam("branch.equilibrium.w", h, h),
		v: nn.NewParam("branch.out.w", h, p), d: nn.NewParam("branch.out.b", p)}
	glorot := func(w []float64, in, out int) {
		s := math.Sqrt(2 / float64(in+out))
		for i := range w {
			w[i] = s * rng.NormFloat64()
		}
	}
	glorot(b.a.Value, m, h)
	glorot(b.v.Value, h, p)
	// A Gaussian H×H matrix of entry variance σ² has spectral norm about
	// 2σ√H (Marchenko–Pastur edge), so σ = contraction/(2√H).
	sigma := contraction / (2 * math.Sqrt(float64(h)))
	for i := range b.w.Value {
		b.w.Value[i] = sigma * rng.NormFloat64()
	}
	b.parameters = []*nn.Param{b.a, b.c, b.w, b.v, b.d}
	return b, nil
}

// implicitPass is one workspace's equilibrium layer over an
// implicitBranch: per-worker Functions with their own W-gradient
// accumulators, the injections e and their adjoints.
type implicitPass struct {
	b      *implicitBranch
	layer  *implicit.Layer
	nf     int
	x      []float64 // the normalised input, nf × m (not owned)
	e, ge  []float64 // nf × H
	z, gz  []float64 // nf × H
	out    []float64 // nf × P
	gw     [][]float64
	sd, av [][]float64 // per worker: tanh' and work of length H
}

func (b *implicitBranch) newPass() (*implicitPass, error) {
	nw := runtime.GOMAXPROCS(0)
	ip := &implicitPass{b: b, gw: make([][]float64, nw), sd: make([][]float64, nw), av: make([][]float64, nw)}
	fs := make([]implicit.Function, nw)
	for k := range nw {
		ip.gw[k] = make([]float64, b.h*b.h)
		ip.sd[k], ip.av[k] = make([]float64, b.h), make([]float64, b.h)
		fs[k] = ip.function(k)
	}
	var err error
	ip.layer, err = implicit.New(fs, b.settings)
	return ip, err
}

// pre sets worker k's tanh' at zW + e_s and writes tanh(zW + e_s) into
// dst if not nil.
func (ip *implicitPass) pre(k int, dst, z []float64, s int) {
	h, w := ip.b.h, ip.b.w.Value
	a := ip.av[k]
	copy(a, ip.e[s*h:(s+1)*h])
	for j, zj := range z {
		if zj != 0 {
			row := w[j*h : (j+1)*h]
			for i, wji := range row {
				a[i] += zj * wji
			}
		}
	}
	sd := ip.sd[k]
	for i, v := range a {
		t := math.Tanh(v)
		sd[i] = 1 - t*t
		if dst != nil {
			dst[i] = t
		}
	}
}

// function is worker k's f(z) = tanh(zW + e_s) with its derivatives.
func (ip *implicitPass) function(k int) implicit.Function {
	h := ip.b.h
	return implicit.Function{
		Dim: h,
		F:   func(dst, z []float64, s int) { ip.pre(k, dst, z, s) },
		JVP: func(dst, z, v []float64, s int) {
			ip.pre(k, nil, z, s)
			w := ip.b.w.Value
			clear(dst)
			for j, vj := range v {
				axpyTo(dst, vj, w[j*h:(j+1)*h])
			}
			for i, d := range ip.sd[k] {
				dst[i] *= d
			}
		},
		VJP: func(dst, z, u []float64, s int) {
			ip.pre(k, nil, z, s)
			w, sd := ip.b.w.Value, ip.sd[k]
			for j := range h {
				row := w[j*h : (j+1)*h]
				var t float64
				for i, wji := range row {
					t += wji * sd[i] * u[i]
				}
				dst[j] = t
			}
		},
		ParamVJP: func(z, u []float64, s int) {
			ip.pre(k, nil, z, s)
			sd, gw := ip.sd[k], ip.gw[k]
			ge := ip.ge[s*h : (s+1)*h]
			for i := range ge {
				ge[i] = sd[i] * u[i]
			}
			for j, zj := range z {
				axpyTo(gw[j*h:(j+1)*h], zj, ge)
			}
		},
	}
}

func axpyTo(y []float64, alpha float64, x []float64) {
	for i, v := range x {
		y[i] += alpha * v
	}
}

// forward computes the branch outputs (nf × P) for the normalised inputs x
// (nf × m).
func (ip *implicitPass) forward(x []float64, nf int) ([]float64, error) {
	b := ip.b
	h, p := b.h, b.p
	ip.nf, ip.x = nf, x
	ip.e, ip.ge = grow(ip.e, nf*h), grow(ip.ge, nf*h)
	ip.z, ip.gz, ip.out = grow(ip.z, nf*h), grow(ip.gz, nf*h), grow(ip.out, nf*p)
	for i := range nf {
		copy(ip.e[i*h:(i+1)*h], b.c.Value)
	}
	gemm(false, false, nf, h, b.m, 1, x, b.m, b.a.Value, h, 1, ip.e, h)
	if _, err := ip.layer.Forward(ip.z, nil, nf); err != nil {
		return nil, fmt.Errorf("deeponet: implicit branch: %w", err)
	}
	for i := range nf {
		copy(ip.out[i*p:(i+1)*p], b.d.Value)
	}
	gemm(false, false, nf, p, h, 1, ip.z, h, b.v.Value, p, 1, ip.out, p)
	return ip.out, nil
}

// backward back-propagates gout (nf × P) of the last forward into the
// parameters' Grad.
func (ip *implicitPass) backward(gout []float64) error {
	b, nf := ip.b, ip.nf
	h, p := b.h, b.p
	gemm(true, false, h, p, nf, 1, ip.z, h, gout, p, 1, b.v.Grad, p)
	for i := range nf {
		axpyTo(b.d.Grad, 1, gout[i*p:(i+1)*p])
	}
	gemm(false, true, nf, h, p, 1, gout, p, b.v.Value, p, 0, ip.gz, h)
	for _, g := range ip.gw {
		clear(g)
	}
	if err := ip.layer.Backward(ip.gz); err != nil {
		return fmt.Errorf("deeponet: implicit branch: %w", err)
	}
	for _, g := range ip.gw {
		axpyTo(b.w.Grad, 1, g)
	}
	gemm(true, false, b.m, h, nf, 1, ip.x, b.m, ip.ge, h, 1, b.a.Grad, h)
	for i := range nf {
		axpyTo(b.c.Grad, 1, ip.ge[i*h:(i+1)*h])
	}
	return nil
}

var errStackedImplicit = errors.New("deeponet: an implicit branch is one network; set stacked: false or drop implicit")
