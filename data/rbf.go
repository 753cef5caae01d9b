package data

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync"

	"github.com/neuralpde/neuralpde/pde"
	"gonum.org/v1/gonum/mat"
)

// DefaultRBFFine is the number of points of the fine grid on which NewRBF
// decomposes the kernel matrix when given fine ≤ 0: the N = 1000 of the
// DeepONet code's spaces.GRF.
const DefaultRBFFine = 1000

// rbfTol is the relative eigenvalue below which a mode of the kernel matrix
// is dropped. The DeepONet code adds a 1e-13 jitter before its Cholesky
// factorisation; the modes dropped here carry less variance than that.
const rbfTol = 1e-13

// RBF samples the mean-zero Gaussian random field with the squared-
// exponential (RBF) covariance
//
//	k(x, x') = σ² exp(−|x − x'|² / (2ℓ²))
//
// at the points of a one-dimensional sensor grid: the input functions of
// the DeepONet benchmarks (Lu, Jin, Pang, Zhang & Karniadakis 2021,
// "Learning nonlinear operators via DeepONet", Nat. Mach. Intell. 3; their
// code's spaces.GRF with kernel "RBF", length scale ℓ = 0.2), and of the
// physics-informed DeepONet benchmarks (Wang, Wang & Perdikaris 2021, Sci.
// Adv. 7, eabi8605).
//
// spaces.GRF factorises the kernel matrix K on a fine uniform grid of the
// interval (N = 1000 points) by Cholesky, draws L·ξ there and interpolates
// to the sensors. RBF uses the documented spectral equivalent: the
// eigendecomposition K = V Λ Vᵀ on the same fine grid, keeping the modes
// with λ_k > 1e-13·λ_max, and evaluates each kept mode at the sensors by
// the Nyström extension √λ_k φ_k(s) = K(s, X) v_k / √λ_k, which is exact at
// the fine-grid points and smooth between them (no interpolation error).
// A sample is u(s) = Σ_k √λ_k φ_k(s) ξ_k with ξ_k ~ N(0, 1) drawn in order
// of decreasing λ_k from rand.NewPCG(seed, i), so sample i depends only on
// (seed, i), and its covariance at the fine-grid points is K up to the
// dropped modes.
//
// An RBF is safe for concurrent use. Its exported fields describe it and
// must not be changed after NewRBF.
type RBF struct {
	// LengthScale is ℓ and Sigma is σ.
	LengthScale, Sigma float64
	// Sensors is the grid the samples are drawn on; the fine grid spans
	// [Sensors.A, Sensors.B] with Fine points.
	Sensors pde.Grid
	Fine    int
	// Modes is the number of eigenmodes kept.
	Modes int

	// basis is Sensors.N × Modes: √λ_k φ_k(s_j).
	basis []float64
	pool  sync.Pool
}

var _ Sampler = (*RBF)(nil)

// NewRBF returns the sampler of the RBF field with length scale ell and
// standard deviation sigma at the points of sensors, decomposing the
// kernel on a uniform grid of fine points over the sensors' interval
// (fine ≤ 0 means DefaultRBFFine).
func NewRBF(ell, sigma float64, sensors pde.Grid, fine int) (*RBF, error) {
	if !(ell > 0) || math.IsInf(ell, 0) || !(sigma >= 0) || math.IsInf(sigma, 0) {
		return nil, fmt.Errorf("data: RBF field with length scale %g and σ %g; need a finite ℓ > 0 and σ ≥ 0", ell, sigma)
	}
	if sensors.N < 1 || !(sensors.B > sensors.A) {
		return nil, fmt.Errorf("data: RBF field needs a sensor grid with points on an interval A < B, got %d points on [%g, %g]", sensors.N, sensors.A, sensors.B)
	}
	if fine <= 0 {
		fine = DefaultRBFFine
	}
	if fine < 2 {
		return nil, fmt.Errorf("data: RBF fine grid of %d points; use at least 2 (or 0 for %d)", fine, DefaultRBFFine)
	}
	f := &RBF{LengthScale: ell, Sigma: sigma, Sensors: sensors, Fine: fine}
	if err := f.setup(); err != nil {
		return nil, err
	}
	return f, nil
}

func (f *RBF) kernel(x, y float64) float64 {
	d := (x - y) / f.LengthScale
	return f.Sigma * f.Sigma * math.Exp(-0.5*d*d)
}

// setup decomposes the fine-grid kernel matrix and tabulates the kept
// modes at the sensors.
func (f *RBF) setup() error {
	n := f.Fine
	fine := pde.NewUniformGrid(f.Sensors.A, f.Sensors.B, n)
	x := fine.Points(nil)
	k := mat.NewSymDense(n, nil)
	for i := range n {
		for j := i; j < n; j++ {
			k.SetSym(i, j, f.kernel(x[i], x[j]))
		}
	}
	var eig mat.EigenSym
	if ok := eig.Factorize(k, true); !ok {
		return fmt.Errorf("data: RBF kernel eigendecomposition on %d points failed; try a smaller fine grid", n)
	}
	vals := eig.Values(nil) // ascending
	var vecs mat.Dense
	eig.VectorsTo(&vecs)
	top := vals[n-1]
	var keep []int
	for j := n - 1; j >= 0 && vals[j] > rbfTol*top; j-- {
		keep = append(keep, j)
	}
	f.Modes = len(keep)
	s := f.Sensors.Points(nil)
	m := len(s)
	f.basis = make([]float64, m*f.Modes)
	row := make([]float64, n)
	for i, si := range s {
		for j, xj := range x {
			row[j] = f.kernel(si, xj)
		}
		for c, j := range keep {
			v := 0.0
			for r, kr := range row {
				v += kr * vecs.At(r, j)
			}
			f.basis[i*f.Modes+c] = v / math.Sqrt(vals[j])
		}
	}
	return nil
}

// Shape returns (Sensors.N).
func (f *RBF) Shape() []int { return []int{f.Sensors.N} }

type rbfWork struct {
	xi  []float64
	pcg rand.PCG
	rng *rand.Rand
}

// Sample writes sample i of the stream seeded by seed into dst, of length
// Sensors.N; a wrong length panics.
func (f *RBF) Sample(dst []float64, seed uint64, i int) {
	if len(dst) != f.Sensors.N {
		panic(fmt.Sprintf("data: RBF sample destination has length %d, want %d", len(dst), f.Sensors.N))
	}
	w, ok := f.pool.Get().(*rbfWork)
	if !ok {
		w = &rbfWork{xi: make([]float64, f.Modes)}
		w.rng = rand.New(&w.pcg)
	}
	defer f.pool.Put(w)
	w.pcg.Seed(seed, uint64(i))
	for k := range w.xi {
		w.xi[k] = w.rng.NormFloat64()
	}
	r := f.Modes
	for j := range dst {
		v := 0.0
		for k, b := range f.basis[j*r : (j+1)*r] {
			v += b * w.xi[k]
		}
		dst[j] = v
	}
}

// Describe returns the law for a dataset's metadata: Kind "rbf", Sigma σ,
// Modes the number of eigenmodes kept. SamplerLaw has no length-scale
// field; Generate's callers record ℓ in Meta.Params as "length_scale".
func (f *RBF) Describe() SamplerLaw {
	return SamplerLaw{Kind: "rbf", Sigma: f.Sigma, Modes: f.Modes}
}
