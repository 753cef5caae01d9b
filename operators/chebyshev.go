package operators

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/neuralpde/neuralpde/pde"
)

// Chebyshev holds the N Chebyshev–Gauss–Lobatto points of [a, b],
// x_j = (a+b)/2 − (b−a)/2·cos(πj/(N−1)), increasing from a to b as on a
// pde.ChebyshevGL grid, and the transforms between values at those points
// and coefficients of the Chebyshev series u(x) = Σ_k c_k T_k(s),
// s = (2x − a − b)/(b − a).
//
// A Chebyshev holds workspaces, so a value must be used by one goroutine at a
// time.
type Chebyshev struct {
	n      int
	a, b   float64
	points []float64
	bary   []float64 // barycentric weights (−1)^j, halved at the ends

	fft  *rfft        // length 2(N−1): the DCT-I as a real FFT of the even extension
	ext  []float64    // 2(N−1)
	spec []complex128 // N
	coef []float64    // N, Deriv's coefficients
	work []float64    // N, DerivCoeffs's recurrence
	next []float64    // N
}

// NewChebyshev returns the Chebyshev transforms on n ≥ 2 Gauss–Lobatto points
// of [a, b]. It panics if n < 2 or the interval is empty.
func NewChebyshev(n int, a, b float64) *Chebyshev {
	if n < 2 {
		panic(fmt.Sprintf("operators: Chebyshev needs at least 2 points, got %d", n))
	}
	if !(b > a) || math.IsInf(a, 0) || math.IsInf(b, 0) {
		panic(fmt.Sprintf("operators: Chebyshev interval [%g, %g] must be finite and non-empty", a, b))
	}
	c := &Chebyshev{
		n:      n,
		a:      a,
		b:      b,
		points: pde.NewChebyshevGrid(a, b, n).Points(nil),
		bary:   make([]float64, n),
		fft:    newRFFT(2 * (n - 1)),
		ext:    make([]float64, 2*(n-1)),
		spec:   make([]complex128, n),
		coef:   make([]float64, n),
		work:   make([]float64, n),
		next:   make([]float64, n),
	}
	for j := range c.bary {
		c.bary[j] = 1
		if j%2 == 1 {
			c.bary[j] = -1
		}
	}
	c.bary[0] *= 0.5
	c.bary[n-1] *= 0.5
	return c
}

// Len returns the number of points N.
func (c *Chebyshev) Len() int { return c.n }

// Interval returns the interval [a, b].
func (c *Chebyshev) Interval() (a, b float64) { return c.a, c.b }

// Points returns the Gauss–Lobatto points, increasing from a to b; they are
// identical to pde.NewChebyshevGrid(a, b, N).Points. The returned slice is
// the Chebyshev's own and must not be modified.
func (c *Chebyshev) Points() []float64 { return c.points }

// QuadratureWeights writes to dst the Clenshaw–Curtis weights w_j, for which
// Σ_j w_j u(x_j) is the integral over [a, b] of the polynomial interpolating u
// at the points (exact for polynomials of degree N−1; Trefethen 2000,
// program clencurt.m), and returns dst. A nil dst is allocated; a wrong
// length panics.
func (c *Chebyshev) QuadratureWeights(dst []float64) []float64 {
	n := c.n
	if dst == nil {
		dst = make([]float64, n)
	}
	if len(dst) != n {
		panic(fmt.Sprintf("operators: Chebyshev.QuadratureWeights destination has length %d, want %d", len(dst), n))
	}
	N := n - 1
	half := 0.5 * (c.b - c.a)
	var end float64
	if N%2 == 0 {
		end = 1 / float64(N*N-1)
	} else {
		end = 1 / float64(N*N)
	}
	dst[0], dst[N] = half*end, half*end
	for i := 1; i < N; i++ {
		theta := math.Pi * float64(i) / float64(N)
		v := 1.0
		for k := 1; k <= (N-1)/2; k++ {
			v -= 2 * math.Cos(2*float64(k)*theta) / float64(4*k*k-1)
		}
		if N%2 == 0 {
			v -= math.Cos(float64(N)*theta) / float64(N*N-1)
		}
		dst[i] = half * 2 * v / float64(N)
	}
	return dst
}

// DiffMatrix returns the N×N matrix of the order-th derivative on the
// points, D^order, with D the Chebyshev differentiation matrix of Trefethen
// ("Spectral Methods in MATLAB", 2000, program cheb.m) scaled to [a, b]. The
// off-diagonal entries use the trigonometric form of x_i − x_j and the
// diagonal the negative-sum trick, D_ii = −Σ_{j≠i} D_ij, which makes D exact
// on constants and reduces round-off (Baltensperger and Trummer 2003). Order
// 0 gives the identity; a negative order panics.
func (c *Chebyshev) DiffMatrix(order int) *mat.Dense {
	if order < 0 {
		panic(fmt.Sprintf("operators: derivative order must be non-negative, got %d", order))
	}
	n := c.n
	N := float64(n - 1)
	d := mat.NewDense(n, n, nil)
	if order == 0 {
		for i := 0; i < n; i++ {
			d.Set(i, i, 1)
		}
		return d
	}
	scale := 2 / (c.b - c.a)
	for i := 0; i < n; i++ {
		var sum float64
		for j := 0; j < n; j++ {
			if i == j {
				continue
			}
			// s_i − s_j = cos(πj/N) − cos(πi/N) = 2 sin(π(i+j)/2N) sin(π(i−j)/2N).
			diff := 2 * math.Sin(math.Pi*float64(i+j)/(2*N)) * math.Sin(math.Pi*float64(i-j)/(2*N))
			v := scale * (c.bary[j] / c.bary[i]) / diff
			d.Set(i, j, v)
			sum += v
		}
		d.Set(i, i, -sum)
	}
	if order == 1 {
		return d
	}
	p := mat.DenseCopyOf(d)
	var tmp mat.Dense
	for o := 1; o < order; o++ {
		tmp.Mul(p, d)
		p.Copy(&tmp)
	}
	return p
}

// Coefficients writes to dst the Chebyshev coefficients c_0, …, c_{N−1} of
// the polynomial interpolating the values u at the points, and returns it.
// They are computed by a DCT-I, done as a real FFT of length 2(N−1) of the
// even extension of u (Trefethen 2000, ch. 8; Boyd 2001, §10.4), in
// O(N log N). A nil dst is allocated; a wrong length panics.
func (c *Chebyshev) Coefficients(dst, u []float64) []float64 {
	n := c.n
	if len(u) != n {
		panic(fmt.Sprintf("operators: Chebyshev.Coefficients input has length %d, want %d", len(u), n))
	}
	if dst == nil {
		dst = make([]float64, n)
	}
	if len(dst) != n {
		panic(fmt.Sprintf("operators: Chebyshev.Coefficients destination has length %d, want %d", len(dst), n))
	}
	N := n - 1
	// v_j = u(cos(πj/N)) = u[N−j] in Trefethen's decreasing order; the even
	// extension is v_0, …, v_N, v_{N−1}, …, v_1.
	for j := 0; j <= N; j++ {
		c.ext[j] = u[N-j]
	}
	for j := 1; j < N; j++ {
		c.ext[2*N-j] = u[N-j]
	}
	// The FFT gives W_k = 2 Σ″_j v_j cos(πjk/N); c_k = W_k/(N·γ_k), γ_0 = γ_N = 2.
	c.fft.forward(c.spec, c.ext)
	inv := 1 / float64(N)
	for k := range dst {
		dst[k] = real(c.spec[k]) * inv
	}
	dst[0] *= 0.5
	dst[N] *= 0.5
	return dst
}

// Values writes to dst the values at the points of the Chebyshev series with
// coefficients coef (the inverse of Coefficients), and returns it. A nil dst
// is allocated; a wrong length panics.
func (c *Chebyshev) Values(dst, coef []float64) []float64 {
	n := c.n
	if len(coef) != n {
		panic(fmt.Sprintf("operators: Chebyshev.Values coefficients have length %d, want %d", len(coef), n))
	}
	if dst == nil {
		dst = make([]float64, n)
	}
	if len(dst) != n {
		panic(fmt.Sprintf("operators: Chebyshev.Values destination has length %d, want %d", len(dst), n))
	}
	c.values(dst, coef)
	return dst
}

func (c *Chebyshev) values(dst, coef []float64) {
	N := c.n - 1
	// The unnormalised inverse real FFT of (c_0, c_1/2, …, c_{N−1}/2, c_N)
	// is y_m = Σ_k c_k cos(πmk/N) = v_m.
	c.spec[0] = complex(coef[0], 0)
	for k := 1; k < N; k++ {
		c.spec[k] = complex(0.5*coef[k], 0)
	}
	c.spec[N] = complex(coef[N], 0)
	c.fft.inverse(c.ext, c.spec, 1)
	for j := 0; j <= N; j++ {
		dst[j] = c.ext[N-j]
	}
}

// DerivCoeffs writes to dst the Chebyshev coefficients of the order-th
// derivative of the series with coefficients coef, by the recurrence
// γ_{k−1} c′_{k−1} = c′_{k+1} + 2k c_k (γ_0 = 2, otherwise 1; Boyd 2001,
// §A.2), scaled to [a, b], and returns dst; dst may be coef. A nil dst is
// allocated; a wrong length or a negative order panics.
func (c *Chebyshev) DerivCoeffs(dst, coef []float64, order int) []float64 {
	if order < 0 {
		panic(fmt.Sprintf("operators: derivative order must be non-negative, got %d", order))
	}
	n := c.n
	if len(coef) != n {
		panic(fmt.Sprintf("operators: Chebyshev.DerivCoeffs coefficients have length %d, want %d", len(coef), n))
	}
	if dst == nil {
		dst = make([]float64, n)
	}
	if len(dst) != n {
		panic(fmt.Sprintf("operators: Chebyshev.DerivCoeffs destination has length %d, want %d", len(dst), n))
	}
	a, d := c.work, c.next
	copy(a, coef)
	scale := 2 / (c.b - c.a)
	N := n - 1
	for o := 0; o < order; o++ {
		d[N] = 0
		d[N-1] = scale * 2 * float64(N) * a[N]
		for k := N - 1; k >= 1; k-- {
			d[k-1] = d[k+1] + scale*2*float64(k)*a[k]
		}
		d[0] *= 0.5
		a, d = d, a
	}
	copy(dst, a)
	return dst
}

// Deriv writes to dst the order-th derivative at the points of the
// polynomial interpolating u, computed through the coefficients in
// O(N log N), and returns it; dst may be u. It agrees with DiffMatrix(order)·u
// to round-off. A nil dst is allocated; a wrong length or a negative order
// panics.
func (c *Chebyshev) Deriv(dst, u []float64, order int) []float64 {
	if order < 0 {
		panic(fmt.Sprintf("operators: derivative order must be non-negative, got %d", order))
	}
	if dst == nil {
		dst = make([]float64, c.n)
	}
	if len(dst) != c.n {
		panic(fmt.Sprintf("operators: Chebyshev.Deriv destination has length %d, want %d", len(dst), c.n))
	}
	c.Coefficients(c.coef, u)
	c.DerivCoeffs(c.coef, c.coef, order)
	c.values(dst, c.coef)
	return dst
}

// Interpolate writes to dst the values at the points xs of the polynomial
// interpolating u at the Chebyshev points, by the barycentric formula of the
// second kind with weights (−1)^j, halved at the ends (Berrut and Trefethen,
// "Barycentric Lagrange interpolation", SIAM Review 46, 2004), and returns
// it. Points outside [a, b] are extrapolated. A nil dst is allocated; a
// wrong length panics.
func (c *Chebyshev) Interpolate(dst, u, xs []float64) []float64 {
	if len(u) != c.n {
		panic(fmt.Sprintf("operators: Chebyshev.Interpolate input has length %d, want %d", len(u), c.n))
	}
	if dst == nil {
		dst = make([]float64, len(xs))
	}
	if len(dst) != len(xs) {
		panic(fmt.Sprintf("operators: Chebyshev.Interpolate destination has length %d, want %d", len(dst), len(xs)))
	}
outer:
	for i, x := range xs {
		var num, den float64
		for j, xj := range c.points {
			dx := x - xj
			if dx == 0 {
				dst[i] = u[j]
				continue outer
			}
			w := c.bary[j] / dx
			num += w * u[j]
			den += w
		}
		dst[i] = num / den
	}
	return dst
}
