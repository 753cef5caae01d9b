package precond

import (
	"fmt"
	"math"

	"github.com/neuralpde/neuralpde/nn"
	"github.com/neuralpde/neuralpde/train"
	"gonum.org/v1/gonum/mat"
)

// FourierPoisson is the least-squares loss of −Δu = f on [−π, π]^d with
// u = g on the boundary for a model linear in Fourier features,
//
//	u_θ(x) = Σᵢ θᵢ φᵢ(x),  φᵢ(x) = Πⱼ ψ_{aᵢⱼ}(xⱼ),  ψ ∈ {1, cos kx, sin kx : 1 ≤ k ≤ K},
//
// (2K + 1)^d coefficients, the setting of De Ryck et al. (2023), §4.
// The loss is
//
//	½ Σ_q w_q (−Δu_θ(x_q) − f(x_q))² + ½ β Σ_b w_b (u_θ(x_b) − g(x_b))²,
//
// with the midpoint rule on M = 2K + 2 points per direction (exact for
// these trigonometric polynomials, so the interior part of JᵀJ is
// diag(|kᵢ|⁴ ‖φᵢ‖²)) and M uniform points per boundary side (the two end
// points in 1-D, each of weight 1). The exact solution u* lies in the
// model's span, with coefficients θ*ᵢ = Πⱼ c(aᵢⱼ), c = 1 for the
// constant and 1/k for cos kx and sin kx, so f = −Δu* and g = u*. The
// residual Jθ − b is linear: J is fixed and built once.
type FourierPoisson struct {
	// Dim is d and K the highest wavenumber.
	Dim, K int
	// Beta is the boundary penalty β.
	Beta float64

	theta  *nn.Param
	star   []float64 // θ*
	norm2  []float64 // ‖φᵢ‖² on [−π, π]^d
	k      []float64 // wave vectors, Dim per coefficient
	J      *mat.Dense
	b      []float64
	r, tmp []float64
}

var _ train.LeastSquares = (*FourierPoisson)(nil)

// feature1D returns ψ_a(x) and its wavenumber: a = 0 is the constant,
// a = 2k−1 is cos kx and a = 2k is sin kx.
func feature1D(a int, x float64) (v, k float64) {
	if a == 0 {
		return 1, 0
	}
	k = float64((a + 1) / 2)
	if a%2 == 1 {
		return math.Cos(k * x), k
	}
	return math.Sin(k * x), k
}

// NewFourierPoisson returns the problem in dimension dim (1 or 2) with
// highest wavenumber k and boundary penalty beta, from θ = 0.
func NewFourierPoisson(dim, k int, beta float64) (*FourierPoisson, error) {
	if dim != 1 && dim != 2 {
		return nil, fmt.Errorf("precond: FourierPoisson in %d dimensions; use 1 or 2", dim)
	}
	if k < 1 || !(beta > 0) {
		return nil, fmt.Errorf("precond: FourierPoisson with K = %d and β = %v; give K ≥ 1 and β > 0", k, beta)
	}
	per := 2*k + 1
	n := per
	if dim == 2 {
		n = per * per
	}
	p := &FourierPoisson{Dim: dim, K: k, Beta: beta, theta: nn.NewParam("theta", n),
		star: make([]float64, n), norm2: make([]float64, n), k: make([]float64, n*dim)}
	// Multi-index of coefficient i: a[j] = (i / per^j) % per.
	index := func(i int) []int {
		a := make([]int, dim)
		for j := range a {
			a[j] = i % per
			i /= per
		}
		return a
	}
	for i := 0; i < n; i++ {
		p.star[i], p.norm2[i] = 1, 1
		for j, a := range index(i) {
			_, kk := feature1D(a, 0)
			p.k[i*dim+j] = kk
			if a == 0 {
				p.norm2[i] *= 2 * math.Pi
			} else {
				p.norm2[i] *= math.Pi
				p.star[i] /= kk
			}
		}
	}
	// Quadrature points: interior midpoints, then boundary points.
	m := 2*k + 2
	h := 2 * math.Pi / float64(m)
	var pts [][]float64
	var wts []float64
	var interior []bool
	if dim == 1 {
		for q := 0; q < m; q++ {
			pts = append(pts, []float64{-math.Pi + (float64(q)+0.5)*h})
			wts = append(wts, h)
			interior = append(interior, true)
		}
		for _, x := range []float64{-math.Pi, math.Pi} {
			pts = append(pts, []float64{x})
			wts = append(wts, beta)
			interior = append(interior, false)
		}
	} else {
		for qy := 0; qy < m; qy++ {
			for qx := 0; qx < m; qx++ {
				pts = append(pts, []float64{-math.Pi + (float64(qx)+0.5)*h, -math.Pi + (float64(qy)+0.5)*h})
				wts = append(wts, h*h)
				interior = append(interior, true)
			}
		}
		for q := 0; q < m; q++ {
			s := -math.Pi + (float64(q)+0.5)*h
			for _, pt := range [][]float64{{s, -math.Pi}, {s, math.Pi}, {-math.Pi, s}, {math.Pi, s}} {
				pts = append(pts, pt)
				wts = append(wts, beta*h)
				interior = append(interior, false)
			}
		}
	}
	rows := len(pts)
	p.J = mat.NewDense(rows, n, nil)
	p.b = make([]float64, rows)
	for q, x := range pts {
		sw := math.Sqrt(wts[q])
		var target float64
		for i := 0; i < n; i++ {
			phi, k2 := 1.0, 0.0
			for j, a := range index(i) {
				v, kk := feature1D(a, x[j])
				phi *= v
				k2 += kk * kk
			}
			v := phi
			if interior[q] {
				v = k2 * phi // −Δφ = |k|² φ
			}
			p.J.Set(q, i, sw*v)
			target += sw * v * p.star[i]
		}
		p.b[q] = target
	}
	return p, nil
}

// Params implements train.Objective: one parameter "theta" of the
// coefficients.
func (p *FourierPoisson) Params() []*nn.Param { return []*nn.Param{p.theta} }

// NumSamples implements train.Objective: the quadrature and boundary
// points.
func (p *FourierPoisson) NumSamples() int { r, _ := p.J.Dims(); return r }

// NumResiduals implements train.LeastSquares.
func (p *FourierPoisson) NumResiduals(batch []int) int {
	if batch == nil {
		return p.NumSamples()
	}
	return len(batch)
}

// Residuals implements train.LeastSquares.
func (p *FourierPoisson) Residuals(dst []float64, batch []int) ([]float64, error) {
	m, n := p.J.Dims()
	p.tmp = resize(p.tmp, m)
	mat.NewVecDense(m, p.tmp).MulVec(p.J, mat.NewVecDense(n, p.theta.Value))
	for i := range p.tmp {
		p.tmp[i] -= p.b[i]
	}
	if batch == nil {
		dst = resize(dst, m)
		copy(dst, p.tmp)
		return dst, nil
	}
	dst = resize(dst, len(batch))
	for i, q := range batch {
		dst[i] = p.tmp[q]
	}
	return dst, nil
}

// Jacobian implements train.LeastSquares.
func (p *FourierPoisson) Jacobian(dst *mat.Dense, batch []int) (*mat.Dense, error) {
	_, n := p.J.Dims()
	rows := p.NumResiduals(batch)
	if dst == nil {
		dst = mat.NewDense(rows, n, nil)
	}
	if r, c := dst.Dims(); r != rows || c != n {
		return nil, fmt.Errorf("precond: Jacobian destination is %d×%d, want %d×%d", r, c, rows, n)
	}
	if batch == nil {
		dst.Copy(p.J)
		return dst, nil
	}
	for i, q := range batch {
		dst.SetRow(i, p.J.RawRowView(q))
	}
	return dst, nil
}

// Loss implements train.Objective: ½‖r‖² with gradient Jᵀr.
func (p *FourierPoisson) Loss(batch []int) (float64, error) {
	var err error
	if p.r, err = p.Residuals(p.r, batch); err != nil {
		return 0, err
	}
	_, n := p.J.Dims()
	g := mat.NewVecDense(n, p.theta.Grad)
	if batch == nil {
		g.MulVec(p.J.T(), mat.NewVecDense(len(p.r), p.r))
	} else {
		clear(p.theta.Grad)
		for i, q := range batch {
			for j, v := range p.J.RawRowView(q) {
				p.theta.Grad[j] += v * p.r[i]
			}
		}
	}
	var f float64
	for _, v := range p.r {
		f += v * v
	}
	return f / 2, nil
}

// Wavenumbers returns the wave vectors of the coefficients, Dim numbers
// each, for train.LaplacianScales.
func (p *FourierPoisson) Wavenumbers() []float64 { return append([]float64(nil), p.k...) }

// Exact returns θ*, the coefficients of the exact solution.
func (p *FourierPoisson) Exact() []float64 { return append([]float64(nil), p.star...) }

// RelL2 returns the relative L2 error ‖u_θ − u*‖/‖u*‖ on [−π, π]^d, exact
// by the orthogonality of the features.
func (p *FourierPoisson) RelL2() float64 {
	var num, den float64
	for i, v := range p.theta.Value {
		d := v - p.star[i]
		num += p.norm2[i] * d * d
		den += p.norm2[i] * p.star[i] * p.star[i]
	}
	return math.Sqrt(num / den)
}

// SpectralPreconditioner returns the symbol-based diagonal preconditioner
// (shift + |k|²)^−2 of the model's coefficients (train.LaplacianScales).
func (p *FourierPoisson) SpectralPreconditioner(shift float64) (*train.Diagonal, error) {
	s, err := train.LaplacianScales(nil, p.k, p.Dim, shift)
	if err != nil {
		return nil, err
	}
	return &train.Diagonal{Scales: map[string][]float64{p.theta.Name: s}}, nil
}

func resize(s []float64, n int) []float64 {
	if cap(s) >= n {
		return s[:n]
	}
	return make([]float64, n)
}
