package data

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync"

	"github.com/neuralpde/neuralpde/pde"
	"gonum.org/v1/gonum/dsp/fourier"
)

// DefaultGRFModes is the number of modes per axis a GaussianRF keeps when
// NewGaussianRF is given modes ≤ 0 and the grid can resolve them.
const DefaultGRFModes = 256

// GaussianRF samples the mean-zero Gaussian random field
// N(0, σ²(−Δ + τ²I)^−α) of a pde.RandomField on a one- or two-dimensional
// grid by its Karhunen–Loève expansion in the eigenfunctions φ_k of −Δ
// (Lord, Powell & Shardlow 2014, §7.1),
//
//	u = c Σ_k σ (μ_k + τ²)^(−α/2) ξ_k φ_k,  ξ_k ~ N(0, 1) i.i.d.,
//
// with φ_k orthonormal in L² of the domain and μ_k the eigenvalues of −Δ.
// The constant mode is left out, so every sample has mean zero.
//
// Periodic BC (the FNO burgers and Navier–Stokes inputs): φ_k are the
// sines and cosines of wavenumber 2πk/L, and c = √2, because the FNO code
// (Li et al. 2021, GaussianRF in utilities3.py) takes the real part of a
// complex Gaussian series whose real and imaginary parts both have unit
// variance. On [0, 1) and [0, 1)² this is exactly that class's law, with
// its sqrt_eig = size^d·√2·σ·(4π²|k|² + τ²)^(−α/2) scaling, up to the
// truncation below.
//
// Neumann BC (the FNO Darcy inputs): φ_k are products of cosines
// √(2/L) cos(πk(x−A)/L), μ_k = Σ (πk_i/L_i)², and c = 1, which on [0, 1]²
// is the MATLAB GRF.m of the FNO Darcy data with σ = τ^(α−1) there.
//
// Truncation: the expansion keeps the modes with |k_i| ≤ Modes on every
// axis, a fixed set that does not depend on the grid, so a sample is one
// band-limited function and a sample drawn on a fine periodic grid,
// subsampled, equals the same sample drawn on the coarse grid (to
// rounding). A periodic grid must have more than 2·Modes points per axis to
// resolve every kept mode. The coefficients ξ_k are drawn in a fixed mode
// order from rand.NewPCG(seed, i), so sample i depends only on (seed, i).
//
// A GaussianRF is safe for concurrent use: Sample takes its FFT workspace
// from a pool. Its exported fields describe it and must not be changed
// after NewGaussianRF.
type GaussianRF struct {
	Law   pde.RandomField
	Grids []pde.Grid
	Modes int

	shape []int
	// amp[m] is the factor multiplying ξ_m, in draw order.
	amp []float64
	// cos[d] is the Neumann cosine table of axis d, N_d × (Modes+1).
	cos  [][]float64
	pool sync.Pool
}

var _ Sampler = (*GaussianRF)(nil)

// NewGaussianRF returns a sampler of law on the grid with one (x) or two
// (x, y; row-major, x slow) axes, keeping modes modes per axis. modes ≤ 0
// means DefaultGRFModes, reduced to the most a periodic grid resolves.
func NewGaussianRF(law pde.RandomField, modes int, grids ...pde.Grid) (*GaussianRF, error) {
	if len(grids) != 1 && len(grids) != 2 {
		return nil, fmt.Errorf("data: GaussianRF needs one or two grid axes, got %d", len(grids))
	}
	if !(law.Sigma >= 0) || !(law.Alpha > 0) || math.IsInf(law.Tau, 0) || math.IsNaN(law.Tau) || math.IsInf(law.Sigma, 0) {
		return nil, fmt.Errorf("data: GaussianRF law α=%g, τ=%g, σ=%g is invalid; need α > 0, σ ≥ 0 and finite τ", law.Alpha, law.Tau, law.Sigma)
	}
	if law.BC != pde.PeriodicBC && law.BC != pde.Neumann {
		return nil, fmt.Errorf("data: GaussianRF supports periodic and Neumann boundary conditions, not %v", law.BC)
	}
	maxModes := math.MaxInt
	for d, g := range grids {
		if g.N < 2 {
			return nil, fmt.Errorf("data: GaussianRF axis %d has %d points; need at least 2", d, g.N)
		}
		if law.BC == pde.PeriodicBC {
			if g.Kind != pde.Periodic {
				return nil, fmt.Errorf("data: periodic GaussianRF needs a periodic grid, axis %d is %v", d, g.Kind)
			}
			maxModes = min(maxModes, (g.N-1)/2)
		}
	}
	if modes <= 0 {
		modes = min(DefaultGRFModes, maxModes)
	}
	if modes > maxModes {
		return nil, fmt.Errorf("data: a GaussianRF with %d modes needs more than %d points per periodic axis; use at most %d modes or a finer grid", modes, 2*modes, maxModes)
	}
	if modes < 1 {
		return nil, fmt.Errorf("data: GaussianRF grid is too coarse to hold one mode; use at least 3 points per periodic axis")
	}
	f := &GaussianRF{Law: law, Grids: append([]pde.Grid(nil), grids...), Modes: modes}
	for _, g := range grids {
		f.shape = append(f.shape, g.N)
	}
	f.setup()
	return f, nil
}

// setup computes the amplitudes in draw order and the cosine tables.
func (f *GaussianRF) setup() {
	law, K := f.Law, f.Modes
	decay := func(mu float64) float64 { return law.Sigma * math.Pow(mu+law.Tau*law.Tau, -law.Alpha/2) }
	vol := 1.0
	for _, g := range f.Grids {
		vol *= g.Length()
	}
	switch {
	case law.BC == pde.PeriodicBC && len(f.Grids) == 1:
		// Modes k = 1..K, each a cosine and a sine of norm √(2/L).
		L := f.Grids[0].Length()
		for k := 1; k <= K; k++ {
			w := 2 * math.Pi * float64(k) / L
			f.amp = append(f.amp, math.Sqrt2*decay(w*w)*math.Sqrt(2/vol))
		}
	case law.BC == pde.PeriodicBC:
		// The half plane kx > 0, or kx = 0 and ky > 0; each k a cosine
		// and a sine of norm √(2/(LxLy)).
		Lx, Ly := f.Grids[0].Length(), f.Grids[1].Length()
		for kx := 0; kx <= K; kx++ {
			for ky := -K; ky <= K; ky++ {
				if kx == 0 && ky <= 0 {
					continue
				}
				wx, wy := 2*math.Pi*float64(kx)/Lx, 2*math.Pi*float64(ky)/Ly
				f.amp = append(f.amp, math.Sqrt2*decay(wx*wx+wy*wy)*math.Sqrt(2/vol))
			}
		}
	default:
		// Neumann: cosine products, k_i = 0..K, not all zero.
		f.cos = make([][]float64, len(f.Grids))
		for d, g := range f.Grids {
			L := g.Length()
			t := make([]float64, g.N*(K+1))
			for j := range g.N {
				x := g.At(j) - g.A
				t[j*(K+1)] = 1 / math.Sqrt(L)
				for k := 1; k <= K; k++ {
					t[j*(K+1)+k] = math.Sqrt(2/L) * math.Cos(math.Pi*float64(k)*x/L)
				}
			}
			f.cos[d] = t
		}
		if len(f.Grids) == 1 {
			L := f.Grids[0].Length()
			for k := 1; k <= K; k++ {
				w := math.Pi * float64(k) / L
				f.amp = append(f.amp, decay(w*w))
			}
			return
		}
		Lx, Ly := f.Grids[0].Length(), f.Grids[1].Length()
		for kx := 0; kx <= K; kx++ {
			for ky := 0; ky <= K; ky++ {
				if kx == 0 && ky == 0 {
					f.amp = append(f.amp, 0)
					continue
				}
				wx, wy := math.Pi*float64(kx)/Lx, math.Pi*float64(ky)/Ly
				f.amp = append(f.amp, decay(wx*wx+wy*wy))
			}
		}
	}
}

// Shape returns the grid's shape: (N) or (Nx, Ny).
func (f *GaussianRF) Shape() []int { return append([]int(nil), f.shape...) }

// grfWork is the per-call workspace of a sampler.
type grfWork struct {
	fft        *fourier.FFT
	xfft, yfft *fourier.CmplxFFT
	c          []complex128
	c2         []complex128
	col        []complex128
	coef, tmp  []float64
	pcg        rand.PCG
	rng        *rand.Rand
}

func (f *GaussianRF) work() *grfWork {
	if w, ok := f.pool.Get().(*grfWork); ok {
		return w
	}
	w := new(grfWork)
	w.rng = rand.New(&w.pcg)
	switch {
	case f.Law.BC == pde.PeriodicBC && len(f.Grids) == 1:
		n := f.Grids[0].N
		w.fft = fourier.NewFFT(n)
		w.c = make([]complex128, n/2+1)
	case f.Law.BC == pde.PeriodicBC:
		nx, ny := f.Grids[0].N, f.Grids[1].N
		w.xfft, w.yfft = fourier.NewCmplxFFT(nx), fourier.NewCmplxFFT(ny)
		w.c = make([]complex128, (f.Modes+1)*ny)
		w.c2 = make([]complex128, nx)
		w.col = make([]complex128, nx)
	default:
		w.coef = make([]float64, f.Modes+1)
		w.tmp = make([]float64, (f.Modes+1)*f.shape[len(f.shape)-1])
	}
	return w
}

// Sample writes sample i of the stream seeded by seed into dst, whose
// length must be the product of Shape; a wrong length panics.
func (f *GaussianRF) Sample(dst []float64, seed uint64, i int) {
	if len(dst) != shapeLen(f.shape) {
		panic(fmt.Sprintf("data: GaussianRF sample destination has length %d, want %d", len(dst), shapeLen(f.shape)))
	}
	w := f.work()
	defer f.pool.Put(w)
	w.pcg.Seed(seed, uint64(i))
	rng := w.rng
	switch {
	case f.Law.BC == pde.PeriodicBC && len(f.Grids) == 1:
		// u_j = Σ_k a_k (α_k cos θ_jk + β_k sin θ_jk) = 2 Re Σ_k c_k e^{iθ_jk}
		// with c_k = a_k (α_k − iβ_k)/2, which the unnormalised real
		// inverse FFT evaluates.
		clear(w.c)
		for k := 1; k <= f.Modes; k++ {
			a, b := rng.NormFloat64(), rng.NormFloat64()
			w.c[k] = complex(a, -b) * complex(f.amp[k-1]/2, 0)
		}
		w.fft.Sequence(dst, w.c)
	case f.Law.BC == pde.PeriodicBC:
		f.periodic2D(dst, rng, w)
	default:
		f.neumann(dst, rng, w)
	}
}

// periodic2D evaluates u = Re Σ_{k∈H} a_k (α_k − iβ_k) e^{iθ_k} on the
// grid, θ_k = 2π(kx(x−Ax)/Lx + ky(y−Ay)/Ly), by inverse FFTs along y for
// each kx = 0..K, then along x for each y.
func (f *GaussianRF) periodic2D(dst []float64, rng *rand.Rand, w *grfWork) {
	nx, ny, K := f.Grids[0].N, f.Grids[1].N, f.Modes
	clear(w.c)
	m := 0
	for kx := 0; kx <= K; kx++ {
		row := w.c[kx*ny : (kx+1)*ny]
		for ky := -K; ky <= K; ky++ {
			if kx == 0 && ky <= 0 {
				continue
			}
			a, b := rng.NormFloat64(), rng.NormFloat64()
			row[(ky+ny)%ny] = complex(a, -b) * complex(f.amp[m], 0)
			m++
		}
		w.yfft.Sequence(row, row)
	}
	for j := range ny {
		clear(w.c2)
		for kx := 0; kx <= K; kx++ {
			w.c2[kx] = w.c[kx*ny+j]
		}
		w.xfft.Sequence(w.col, w.c2)
		for i := range nx {
			dst[i*ny+j] = real(w.col[i])
		}
	}
}

// neumann evaluates the cosine expansion from the tables: in 1-D
// u = Σ_k a_k ξ_k C_jk, in 2-D u = Cx (a∘ξ) Cyᵀ.
func (f *GaussianRF) neumann(dst []float64, rng *rand.Rand, w *grfWork) {
	K1 := f.Modes + 1
	if len(f.Grids) == 1 {
		coef := w.coef
		coef[0] = 0
		for k := 1; k < K1; k++ {
			coef[k] = f.amp[k-1] * rng.NormFloat64()
		}
		cx := f.cos[0]
		for j := range dst {
			s := 0.0
			for k, c := range coef {
				s += c * cx[j*K1+k]
			}
			dst[j] = s
		}
		return
	}
	nx, ny := f.Grids[0].N, f.Grids[1].N
	cx, cy := f.cos[0], f.cos[1]
	// t[kx][j] = Σ_ky a ξ[kx][ky] Cy[j][ky], drawn row by row.
	t, coef := w.tmp, w.coef
	for kx := range K1 {
		for ky := range K1 {
			m := kx*K1 + ky
			if m == 0 {
				coef[ky] = 0
				continue
			}
			coef[ky] = f.amp[m] * rng.NormFloat64()
		}
		for j := range ny {
			s := 0.0
			for ky, c := range coef {
				s += c * cy[j*K1+ky]
			}
			t[kx*ny+j] = s
		}
	}
	for i := range nx {
		out := dst[i*ny : (i+1)*ny]
		clear(out)
		for kx := range K1 {
			c := cx[i*K1+kx]
			for j, v := range t[kx*ny : (kx+1)*ny] {
				out[j] += c * v
			}
		}
	}
}
