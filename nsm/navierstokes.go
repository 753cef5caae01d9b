package nsm

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/neuralpde/neuralpde/classical"
	"github.com/neuralpde/neuralpde/data"
	"github.com/neuralpde/neuralpde/operators"
	"github.com/neuralpde/neuralpde/pde"
)

// NavierStokes is the two-dimensional forced Navier–Stokes equation in
// vorticity form on the periodic unit square over a short horizon,
//
//	ω_t + u·∇ω = νΔω + f,  u = (∂_y ψ, −∂_x ψ),  −Δψ = ω,  t in [0, T],
//
// mapping the initial vorticity ω₀ to ω(x, y, t). Forcing and initial law
// are those of the navier-stokes preset (Li et al. 2021): f = 0.1(sin
// 2π(x+y) + cos 2π(x+y)), ω₀ ~ N(0, 7^1.5(−Δ + 49I)^−2.5), here truncated
// to the basis's frequencies (the preset's data.GaussianRF with K−1 modes),
// so ω₀ is exactly representable.
//
// Basis: real Fourier × real Fourier (K frequencies per axis) in space and
// Chebyshev (Mt) in t. The model is the two-dimensional Model on the
// spatial basis with the time coefficients as its output channels: its
// output v (M × (Mt−1), M = (2K−1)²) gives ω = ω₀ + t·v, so ω(·, 0) = ω₀
// exactly (multiplication by t is exact in the Chebyshev basis). This is
// the NSM counterpart of an FNO with time as channels (Li et al.'s
// "FNO-2D"); Du et al. use a three-dimensional Chebyshev × Fourier²
// model instead. The model's spatial constant coefficient is discarded,
// so ω keeps ω₀'s zero mean, which the equation conserves.
//
// The residual r = ω_t + u·∇ω − νΔω − f is assembled in coefficient
// space: ω_t, Δω, ∇ω and u exactly (derivative matrices, the inverse
// Laplacian diagonal), u·∇ω by collocation on a grid of 3K points per
// spatial axis and 2·Mt Gauss–Lobatto times (free of aliasing onto the
// kept modes), truncated to the basis. Its norm is ∫∫∫ r² = Σ_s w_s r_sᵀ G
// r_s, w the Fourier Gram weights and G the exact Chebyshev Gram matrix
// of [0, T]. Values and Reference compare ω at Times uniform snapshots
// t_k = kT/Times, k = 1..Times.
type NavierStokes struct {
	Nu, T float64
	// Times is the number of snapshots compared by Values and Reference.
	Times int

	basis     *operators.Basis2D
	fx        *operators.FourierBasis
	ct        *operators.ChebyshevBasis
	k         int // frequencies per axis
	mx, m     int // coefficients per axis, spatial coefficients mx²
	mt        int // Chebyshev coefficients of ω
	nx, nt    int // collocation grid of the loss
	w         []float64
	lap       []float64 // −|k|² per spatial coefficient
	psi, npsi []float64 // ±1/|k|² (0 for the constant): ψ = psi·ω
	der       deriv1D   // d/dx on one axis's coefficients
	force     []float64 // M spatial coefficients of f
	dt        *mat.Dense
	norm      *residualNorm
	mulT      *mat.Dense
	sx, ax    *mat.Dense // nx×mx and mx×nx
	st, at    *mat.Dense // nt×mt and mt×nt
	grf       *data.GaussianRF
	preset    *pde.Preset2D
	fine      []float64
	w0        []float64 // M
	refs      map[refKey]*classical.NavierStokes2D
	out       map[int]*nsOutput
	u         []float64    // M×mt: ω's coefficients
	c         [4][]float64 // M×mt: u, v, ω_x, ω_y
	g         [4][]float64 // grid values of c
	r, gr     []float64    // M×mt
	prod      []float64    // grid product and its adjoint
	work      []float64
	tmp, tmp2 []float64
}

// deriv1D is the derivative of a real Fourier axis on its coefficients:
// (d/dx c)_i = val[i]·c[src[i]] (each row of the derivative matrix has one
// nonzero).
type deriv1D struct {
	src []int
	val []float64
}

// refKey names a classical solver by resolution and time step.
type refKey struct {
	n  int
	dt float64
}

// nsOutput evaluates series at the snapshots on an n×n grid.
type nsOutput struct {
	sx   *mat.Dense // n×mx
	tq   []float64  // Times×mt
	c, g []float64  // M×Times and n×n×Times workspaces
	work []float64
}

// NewNavierStokes returns the problem for viscosity ν on [0, T] with k
// frequencies per spatial axis, mt Chebyshev coefficients in t, and times
// snapshots.
func NewNavierStokes(nu, T float64, k, mt, times int) (*NavierStokes, error) {
	if !(nu > 0) || math.IsInf(nu, 0) || !(T > 0) || math.IsInf(T, 0) {
		return nil, fmt.Errorf("nsm: Navier–Stokes needs ν > 0 and T > 0 finite, got ν = %g, T = %g", nu, T)
	}
	if k < 3 || mt < 3 || times < 1 {
		return nil, fmt.Errorf("nsm: Navier–Stokes with %d frequencies, %d Chebyshev coefficients and %d snapshots; use at least 3, 3 and 1", k, mt, times)
	}
	preset, err := pde.Lookup2D("navier-stokes")
	if err != nil {
		return nil, err
	}
	p := &NavierStokes{Nu: nu, T: T, Times: times, k: k, mt: mt, refs: map[refKey]*classical.NavierStokes2D{}, out: map[int]*nsOutput{}}
	pr := *preset
	pr.PDE = pde.NavierStokes{Nu: nu}
	pr.SaveEvery = T / float64(times)
	pr.StepsSaved = times
	p.preset = &pr
	p.fx = operators.NewFourierBasis(k, 0, 1)
	p.ct = operators.NewChebyshevBasis(mt, 0, T)
	p.basis = operators.NewBasis2D(p.fx, operators.NewFourierBasis(k, 0, 1))
	p.mx = p.fx.Len()
	p.m = p.mx * p.mx
	p.nx, p.nt = 3*k, 2*mt
	gx := p.fx.Gram()
	p.w = make([]float64, p.m)
	p.lap = make([]float64, p.m)
	p.psi, p.npsi = make([]float64, p.m), make([]float64, p.m)
	for i := range p.mx {
		for j := range p.mx {
			s := i*p.mx + j
			wi, wj := p.fx.Frequency(i), p.fx.Frequency(j)
			p.w[s] = gx.At(i, i) * gx.At(j, j)
			p.lap[s] = -(wi*wi + wj*wj)
			if s > 0 {
				p.psi[s] = 1 / (wi*wi + wj*wj)
				p.npsi[s] = -p.psi[s]
			}
		}
	}
	d := p.fx.Derivative(1)
	p.der = deriv1D{src: make([]int, p.mx), val: make([]float64, p.mx)}
	for i := range p.mx {
		for j := range p.mx {
			if v := d.At(i, j); v != 0 {
				p.der.src[i], p.der.val[i] = j, v
			}
		}
	}
	// f is a trigonometric polynomial of frequency 1 per axis: its
	// coefficients from a 2K-point grid are exact.
	n := 2 * k
	xs := p.fx.Points(n)
	fg := make([]float64, n*n)
	for a, x := range xs {
		for b, y := range xs {
			fg[a*n+b] = pr.Source(x, y)
		}
	}
	p.force = p.basis.Forward(nil, fg, n, n)
	p.dt = p.ct.Derivative(1)
	p.norm, _ = newResidualNorm(p.ct, NormL2)
	p.mulT = operators.NewChebyshevBasis(mt-1, 0, T).MulX()
	p.sx, p.ax = p.fx.Synthesis(p.nx), p.fx.Analysis(p.nx)
	p.st, p.at = p.ct.Synthesis(p.nt), p.ct.Analysis(p.nt)
	grid := pde.Grid{Kind: pde.Periodic, N: n, A: 0, B: 1}
	if p.grf, err = data.NewGaussianRF(*pr.InputLaw, k-1, grid, grid); err != nil {
		return nil, err
	}
	p.fine = make([]float64, n*n)
	p.w0 = make([]float64, p.m)
	M, G := p.m*mt, p.nx*p.nx*p.nt
	p.u, p.r, p.gr = make([]float64, M), make([]float64, M), make([]float64, M)
	for i := range p.c {
		p.c[i] = make([]float64, M)
		p.g[i] = make([]float64, G)
	}
	p.prod = make([]float64, G)
	p.tmp = make([]float64, p.nx*p.nx*mt)
	p.tmp2 = make([]float64, M)
	p.work = make([]float64, p.nx*p.nx*mt)
	return p, nil
}

// Name returns e.g. "navier-stokes-nu0.001".
func (p *NavierStokes) Name() string { return fmt.Sprintf("%s%g", NavierStokesPrefix, p.Nu) }

// Basis returns the spatial basis, Fourier × Fourier on [0, 1)².
func (p *NavierStokes) Basis() *operators.Basis2D { return p.basis }

// Channels returns 2, Mt−1: ω₀ and f in, the Chebyshev coefficients of v
// out. The forcing is the same for every sample but not invariant under
// translations, so the operator ω₀ ↦ ω is not either: a model whose
// biases act on the constant mode only must be given f to produce it
// (without it, training stalls at ≈ 0.24 relative error on ν = 0.01).
func (p *NavierStokes) Channels() (in, out int) { return 2, p.mt - 1 }

func (p *NavierStokes) setResidualNorm(norm string) (err error) {
	p.norm, err = newResidualNorm(p.ct, norm)
	return err
}

// Sizes returns M·Mt solution coefficients and Times·n² values.
func (p *NavierStokes) Sizes(n int) (coef, values int) { return p.m * p.mt, p.Times * n * n }

// tune sets the complex (translation-equivariant) spectral weights and
// Adam's rate 3e-3: at ν = 0.001 the real, untied weights reach 6.0e-2
// after 2,000 steps and the complex ones 5.3e-3 after 700 (package doc).
func (p *NavierStokes) tune(c *Config) {
	c.Weights = WeightsComplex
	c.LearningRate = 3e-3
}

// Input draws ω₀ from the preset's law, truncated to the basis (channel
// 0), and writes f (channel 1).
func (p *NavierStokes) Input(dst []float64, seed uint64, i int) {
	p.grf.Sample(p.fine, seed, i)
	n := 2 * p.k
	p.basis.Forward(p.w0, p.fine, n, n)
	for s := range p.m {
		dst[2*s], dst[2*s+1] = p.w0[s], p.force[s]
	}
}

// initial writes ω₀'s coefficients (channel 0 of an input a) into p.w0
// and returns it.
func (p *NavierStokes) initial(a []float64) []float64 {
	for s := range p.m {
		p.w0[s] = a[2*s]
	}
	return p.w0
}

// Solution writes ω = ω₀ + t·v (M×Mt, spatial index slow): ω_s = MulT·v_s
// plus ω₀_s on the constant Chebyshev coefficient, with v's spatial
// constant discarded.
func (p *NavierStokes) Solution(dst, v, a []float64) {
	mt := p.mt
	out := mt - 1
	// Ω (M×Mt) = V (M×(Mt−1)) MulTᵀ, one product for all modes.
	gemmNT(dst[:p.m*mt], v[:p.m*out], p.mulT.RawMatrix().Data, p.m, mt, out, mt, out, false)
	clear(dst[:mt])
	for s := range p.m {
		dst[s*mt] += a[2*s]
	}
}

// applyDeriv writes to dst (M×mt) ∂_x (axis 0) or ∂_y (axis 1) of
// scale⊙src (scale nil: 1), or with transpose adds the adjoint
// scale⊙(Dᵀ src) to dst.
func (p *NavierStokes) applyDeriv(dst, src []float64, axis int, scale []float64, transpose bool) {
	mx, mt := p.mx, p.mt
	if !transpose {
		clear(dst)
	}
	for i := range mx {
		for j := range mx {
			s := i*mx + j
			var from int
			var v float64
			if axis == 0 {
				from, v = p.der.src[i]*mx+j, p.der.val[i]
			} else {
				from, v = i*mx+p.der.src[j], p.der.val[j]
			}
			if v == 0 {
				continue
			}
			if transpose {
				// (Dᵀ g)_from += v·g_s, then the scale of from.
				f := v
				if scale != nil {
					f *= scale[from]
				}
				d, g := dst[from*mt:(from+1)*mt], src[s*mt:(s+1)*mt]
				for l := range d {
					d[l] += f * g[l]
				}
				continue
			}
			f := v
			if scale != nil {
				f *= scale[from]
			}
			d, c := dst[s*mt:(s+1)*mt], src[from*mt:(from+1)*mt]
			for l := range d {
				d[l] = f * c[l]
			}
		}
	}
}

// synth writes the values on the loss grid (nx×nx×nt) of the series c
// (M×mt).
func (p *NavierStokes) synth(g, c []float64) {
	separable(p.tmp, c, p.sx, p.sx, false, false, p.mt, p.work)
	gemmNT(g, p.tmp, p.st.RawMatrix().Data, p.nx*p.nx, p.nt, p.mt, p.nt, p.mt, false)
}

// synthT is the adjoint of synth: c (M×mt) = synthᵀ g.
func (p *NavierStokes) synthT(c, g []float64) {
	gemm(p.tmp, g, p.st.RawMatrix().Data, p.nx*p.nx, p.nt, p.mt, p.nt, p.mt, false)
	separable(c, p.tmp, p.sx, p.sx, true, true, p.mt, p.work)
}

// analyse writes the coefficients (M×mt) of the grid values g, truncated.
func (p *NavierStokes) analyse(c, g []float64) {
	gemmNT(p.tmp, g, p.at.RawMatrix().Data, p.nx*p.nx, p.mt, p.nt, p.mt, p.nt, false)
	separable(c, p.tmp, p.ax, p.ax, false, false, p.mt, p.work)
}

// analyseT is the adjoint of analyse: g = analyseᵀ c.
func (p *NavierStokes) analyseT(g, c []float64) {
	separable(p.tmp, c, p.ax, p.ax, true, true, p.mt, p.work)
	gemm(g, p.tmp, p.at.RawMatrix().Data, p.nx*p.nx, p.mt, p.nt, p.mt, p.nt, false)
}

// Loss is the mean over the batch of ∫∫∫ (ω_t + u·∇ω − νΔω − f)².
func (p *NavierStokes) Loss(gv, v, a []float64, B int) float64 {
	M, mt, out := p.m, p.mt, p.mt-1
	dt := p.dt.RawMatrix() // mt×mt, stride mt
	var loss float64
	for b := range B {
		u := p.u
		p.Solution(u, v[b*M*out:(b+1)*M*out], a[b*M*2:(b+1)*M*2])
		// u = ∂_y ψ, v = −∂_x ψ, ψ = psi·ω; then ω_x, ω_y.
		p.applyDeriv(p.c[0], u, 1, p.psi, false)
		p.applyDeriv(p.c[1], u, 0, p.npsi, false)
		p.applyDeriv(p.c[2], u, 0, nil, false)
		p.applyDeriv(p.c[3], u, 1, nil, false)
		for i := range p.c {
			p.synth(p.g[i], p.c[i])
		}
		for k := range p.prod {
			p.prod[k] = p.g[0][k]*p.g[2][k] + p.g[1][k]*p.g[3][k]
		}
		r := p.r
		p.analyse(r, p.prod)
		// r += ω Dtᵀ − νΔω − f.
		gemmNT(r, u, dt.Data, M, mt, mt, mt, mt, true)
		for s := range M {
			row, us := r[s*mt:(s+1)*mt], u[s*mt:(s+1)*mt]
			c := -p.Nu * p.lap[s]
			for l := range row {
				row[l] += c * us[l]
			}
			row[0] -= p.force[s]
		}
		// ∫ r² = Σ_s w_s r_s G r_sᵀ (or the integrated norm); gradient
		// 2 w_s (r G)_s / B.
		gr := p.gr
		loss += p.norm.eval(gr, r, p.w, M, 1/float64(B))
		// gω = gr Dt − νΔ gr + (the adjoint of the advection term).
		gu := p.c[0] // reuse after the grid values are taken
		p.analyseT(p.prod, gr)
		// prod = g0·g2 + g1·g3: each field's gradient is the adjoint times
		// its partner.
		g0, g1, g2, g3 := p.g[0], p.g[1], p.g[2], p.g[3]
		for k, q := range p.prod {
			g0[k], g2[k] = q*g2[k], q*g0[k]
			g1[k], g3[k] = q*g3[k], q*g1[k]
		}
		for i := range p.c {
			p.synthT(p.c[i], p.g[i])
		}
		// Back through the linear maps: c0 = Dy ψ ω, c1 = −Dx ψ ω, c2 = Dx ω,
		// c3 = Dy ω.
		t := p.tmp2
		clear(t)
		p.applyDeriv(t, p.c[0], 1, p.psi, true)
		p.applyDeriv(t, p.c[1], 0, p.npsi, true)
		p.applyDeriv(t, p.c[2], 0, nil, true)
		p.applyDeriv(t, p.c[3], 1, nil, true)
		gemm(gu, gr, dt.Data, M, mt, mt, mt, mt, false)
		for s := range M {
			row, gs, ts := gu[s*mt:(s+1)*mt], gr[s*mt:(s+1)*mt], t[s*mt:(s+1)*mt]
			c := -p.Nu * p.lap[s]
			for l := range row {
				row[l] += c*gs[l] + ts[l]
			}
		}
		// v enters through ω_s = MulT·v_s for s > 0.
		gvb := gv[b*M*out : (b+1)*M*out]
		gemm(gvb, gu, p.mulT.RawMatrix().Data, M, mt, out, mt, out, false)
		clear(gvb[:out])
	}
	return loss / float64(B)
}

// Grid returns the n periodic points of each spatial axis.
func (p *NavierStokes) Grid(n int) (x, y []float64) { return p.fx.Points(n), p.fx.Points(n) }

// SnapshotTimes returns t_k = kT/Times, k = 1..Times.
func (p *NavierStokes) SnapshotTimes() []float64 {
	ts := make([]float64, p.Times)
	for k := range ts {
		ts[k] = float64(k+1) * p.T / float64(p.Times)
	}
	return ts
}

// Values writes ω at the snapshots on the n×n grid into dst (Times×n×n):
// the Chebyshev series at the Times snapshots (one product), then the
// spatial synthesis by the n×Mx matrix along both axes (built once per n).
func (p *NavierStokes) Values(dst, u []float64, n int) {
	o, ok := p.out[n]
	T := p.Times
	if !ok {
		o = &nsOutput{sx: p.fx.Synthesis(n), tq: make([]float64, T*p.mt), c: make([]float64, p.m*T), g: make([]float64, n*n*T),
			work: make([]float64, max(n*p.mx, n*n)*T)}
		e, col := make([]float64, p.mt), make([]float64, T)
		for j := range p.mt {
			clear(e)
			e[j] = 1
			p.ct.Eval(col, e, p.SnapshotTimes())
			for q, v := range col {
				o.tq[q*p.mt+j] = v
			}
		}
		p.out[n] = o
	}
	gemmNT(o.c, u, o.tq, p.m, T, p.mt, T, p.mt, false)
	separable(o.g, o.c, o.sx, o.sx, false, false, T, o.work)
	for q := range n * n {
		for k := range T {
			dst[k*n*n+q] = o.g[q*T+k]
		}
	}
}

// Reference solves by the classical pseudo-spectral solver
// (classical.NavierStokes2D, Crank–Nicolson–Heun, dt = 1e-3) on max(n, 64)
// points and writes ω at the snapshots on the n×n grid (Times×n×n). ω₀ has
// frequencies below K ≤ 21, which the solver's 2/3 mask on 64 points
// keeps exactly.
func (p *NavierStokes) Reference(dst, a []float64, n int) error {
	return p.ReferenceAt(dst, a, n, max(n, 64), 0)
}

// ReferenceAt is Reference with the solver's resolution nf (a multiple of
// n) and time step dt (zero: the solver's default).
func (p *NavierStokes) ReferenceAt(dst, a []float64, n, nf int, dt float64) error {
	if nf%n != 0 {
		return fmt.Errorf("nsm: reference resolution %d is not a multiple of %d", nf, n)
	}
	key := refKey{nf, dt}
	s, ok := p.refs[key]
	if !ok {
		var err error
		if s, err = classical.NewNavierStokes2D(p.preset, nf, &classical.Config2D{Dt: dt}); err != nil {
			return err
		}
		p.refs[key] = s
	}
	w0 := p.basis.Inverse(nil, p.initial(a), nf, nf)
	out := make([]float64, p.Times*nf*nf)
	if err := s.Solve(out, w0); err != nil {
		return err
	}
	r := nf / n
	for k := range p.Times {
		for i := range n {
			for j := range n {
				dst[(k*n+i)*n+j] = out[(k*nf+i*r)*nf+j*r]
			}
		}
	}
	return nil
}
