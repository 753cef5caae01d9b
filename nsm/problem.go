package nsm

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/neuralpde/neuralpde/operators"
)

// Problem is a parametric PDE posed in coefficient space: the basis of
// its solution, how input functions are drawn (as coefficients), the
// spectral residual loss, and a classical solver for reference solutions.
// Poisson2D, ReactionDiffusion and NavierStokes implement it.
//
// A Problem holds workspaces: use it from one goroutine at a time.
type Problem interface {
	// Name returns the problem's name, e.g. "poisson-periodic-grf".
	Name() string
	// Basis returns the tensor basis of the inputs, the model's output
	// and the solution.
	Basis() *operators.Basis2D
	// Channels returns the numbers of input and output channels of the
	// model.
	Channels() (in, out int)
	// Input writes to dst (M×In, channels last) the input coefficients
	// of sample i of the stream seeded by seed; sample i depends only on
	// (seed, i).
	Input(dst []float64, seed uint64, i int)
	// Loss returns the mean over the B samples of the spectral residual
	// loss ∫ r² of the model outputs v (B×M×Out) for the inputs a
	// (B×M×In), computed exactly from coefficients by Parseval's
	// identity, and writes its gradient with respect to v into gv.
	Loss(gv, v, a []float64, B int) float64
	// Sizes returns the number of the solution's coefficients (Solution's
	// dst) and of its values at output resolution n (Values' and
	// Reference's dst): M and n² for a problem posed on the model's
	// basis, more where the model's channels carry another axis.
	Sizes(n int) (coef, values int)
	// Solution writes to dst (Sizes' coef) the solution coefficients given one
	// sample's model output v (M×Out) and input a (M×In): where the
	// boundary or initial conditions are built into the basis, this is
	// where they enter.
	Solution(dst, v, a []float64)
	// Grid returns the output grid at resolution n: the points of the two
	// axes on which Values and Reference are compared.
	Grid(n int) (x, y []float64)
	// Values writes to dst (Sizes' values) the series u on Grid(n).
	Values(dst, u []float64, n int)
	// Reference writes to dst (Sizes' values) the classical solution on Grid(n)
	// for the input a (M×In), at the resolution the problem's classical
	// solver needs for round-off-level accuracy.
	Reference(dst, a []float64, n int) error

	tune(c *Config)
	// setResidualNorm chooses the norm of the spectral loss
	// (Config.ResidualNorm).
	setResidualNorm(norm string) error
}

// Poisson2D is −Δu = f on the periodic unit square with f drawn from a
// Gaussian random field N(0, σ²(−Δ + τ²)^−α) truncated to the basis's
// frequencies, u of zero mean. Basis: real Fourier × real Fourier with K
// frequencies per axis. The residual −Δu − f is linear, so its
// coefficients are exact: r_ij = λ_ij u_ij − f_ij, λ_ij = ω_i² + ω_j², and
// ‖r‖² = Σ w_ij r_ij² (Parseval). The zero-mean condition is built into
// the basis: the model's constant coefficient is discarded.
type Poisson2D struct {
	K                 int
	Alpha, Tau, Sigma float64

	basis  *operators.Basis2D
	lambda []float64 // λ per coefficient
	weight []float64 // ∫ φ² per coefficient
	amp    []float64 // GRF standard deviation per coefficient
	plans  map[int]*operators.Fourier2D
}

// NewPoisson2D returns the periodic Poisson problem with k frequencies per
// axis and forcing law α = 2, τ = 3, σ = τ^α·(2π)²/2 (so that ‖u‖ is of
// order one).
func NewPoisson2D(k int) (*Poisson2D, error) {
	if k < 2 {
		return nil, fmt.Errorf("nsm: Poisson2D with %d frequencies; use at least 2", k)
	}
	p := &Poisson2D{K: k, Alpha: 2, Tau: 3, plans: map[int]*operators.Fourier2D{}}
	p.Sigma = math.Pow(p.Tau, p.Alpha) * 4 * math.Pi * math.Pi / 2
	fx := operators.NewFourierBasis(k, 0, 1)
	fy := operators.NewFourierBasis(k, 0, 1)
	p.basis = operators.NewBasis2D(fx, fy)
	M := fx.Len()
	p.lambda = make([]float64, M*M)
	p.weight = make([]float64, M*M)
	p.amp = make([]float64, M*M)
	gx, gy := fx.Gram(), fy.Gram()
	for i := range M {
		for j := range M {
			wx, wy := fx.Frequency(i), fy.Frequency(j)
			l := wx*wx + wy*wy
			p.lambda[i*M+j] = l
			p.weight[i*M+j] = gx.At(i, i) * gy.At(j, j)
			if i == 0 && j == 0 {
				continue
			}
			// Variance of a real coefficient: the field's spectral
			// density over the basis function's squared norm.
			kk := l / (4 * math.Pi * math.Pi)
			p.amp[i*M+j] = p.Sigma * math.Pow(kk+p.Tau*p.Tau, -p.Alpha/2) / math.Sqrt(p.weight[i*M+j])
		}
	}
	return p, nil
}

// Name returns "poisson-periodic-grf".
func (p *Poisson2D) Name() string { return "poisson-periodic-grf" }

// Basis returns Fourier×Fourier on [0,1)².
func (p *Poisson2D) Basis() *operators.Basis2D { return p.basis }

// Channels returns 1, 1: f in, u out.
func (p *Poisson2D) Channels() (in, out int) { return 1, 1 }

// Sizes returns M and n².
func (p *Poisson2D) Sizes(n int) (coef, values int) { return p.basis.Len(), n * n }

func (p *Poisson2D) tune(c *Config) {}

func (p *Poisson2D) setResidualNorm(norm string) error {
	if norm != NormL2 && norm != "" {
		return fmt.Errorf("nsm: %s has no time axis; its residual norm is %q, not %q", p.Name(), NormL2, norm)
	}
	return nil
}

// Input draws the coefficients of f.
func (p *Poisson2D) Input(dst []float64, seed uint64, i int) {
	rng := rand.New(rand.NewPCG(seed, uint64(i)))
	for k, a := range p.amp {
		dst[k] = a * rng.NormFloat64()
	}
}

// Loss is the mean of ∫(−Δu − f)² over the batch.
func (p *Poisson2D) Loss(gv, v, a []float64, B int) float64 {
	M := len(p.lambda)
	var loss float64
	for b := range B {
		for k := range M {
			i := b*M + k
			if k == 0 {
				gv[i] = 0
				loss += p.weight[k] * a[i] * a[i]
				continue
			}
			r := p.lambda[k]*v[i] - a[i]
			loss += p.weight[k] * r * r
			gv[i] = 2 * p.weight[k] * p.lambda[k] * r / float64(B)
		}
	}
	return loss / float64(B)
}

// Solution is v with its constant coefficient set to zero.
func (p *Poisson2D) Solution(dst, v, a []float64) {
	copy(dst, v)
	dst[0] = 0
}

// Grid returns n periodic points per axis.
func (p *Poisson2D) Grid(n int) (x, y []float64) {
	return p.basis.X.Points(n), p.basis.Y.Points(n)
}

// Values evaluates u on the n×n grid by inverse FFTs.
func (p *Poisson2D) Values(dst, u []float64, n int) { p.basis.Inverse(dst, u, n, n) }

// Reference samples f on the n×n grid and solves −Δu = f by FFT
// (operators.Fourier2D.InverseLaplacian), exact for band-limited f.
func (p *Poisson2D) Reference(dst, a []float64, n int) error {
	plan, ok := p.plans[n]
	if !ok {
		plan = operators.NewFourier2D(n, n, 1, 1)
		p.plans[n] = plan
	}
	f := p.basis.Inverse(nil, a, n, n)
	plan.InverseLaplacian(dst, f)
	return nil
}

// Symbol returns λ_ij = ω_i² + ω_j² per coefficient (the symbol of −Δ),
// 0 for the discarded constant.
func (p *Poisson2D) Symbol() []float64 {
	s := append([]float64(nil), p.lambda...)
	s[0] = 0
	return s
}
