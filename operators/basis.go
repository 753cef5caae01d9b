package operators

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// Basis is an orthogonal basis φ_0, …, φ_{M−1} of functions on an interval,
// truncated to M = Len() functions, in which a function is the series
// u(x) = Σ_k c_k φ_k(x). It is the coefficient space of a spectral method:
// transforms between the coefficients and values at collocation points,
// exact derivatives as matrices acting on coefficients, and the Gram matrix
// G_ij = ∫ φ_i φ_j dx that turns coefficients into exact L² norms
// (Parseval's identity ‖u‖² = cᵀGc).
//
// Values of a Basis hold workspaces (FFT plans per grid size), so a value
// must be used by one goroutine at a time.
type Basis interface {
	// Len returns the number of coefficients M.
	Len() int
	// Interval returns the interval [a, b] (for a periodic basis the
	// period is b − a).
	Interval() (a, b float64)
	// Periodic reports whether the basis functions are periodic.
	Periodic() bool
	// MinPoints returns the fewest collocation points on which Forward
	// recovers the coefficients of every series of the basis exactly.
	MinPoints() int
	// Points returns the n collocation points: uniform without the end
	// point for a periodic basis, Chebyshev–Gauss–Lobatto from a to b
	// otherwise.
	Points(n int) []float64
	// Forward writes to dst (length M; nil allocates) the first M
	// coefficients of the interpolant of the values u at Points(len(u)),
	// computed by a fast transform, and returns dst. len(u) must be at
	// least MinPoints.
	Forward(dst, u []float64) []float64
	// Inverse writes to dst the values of the series coef at
	// Points(len(dst)), computed by a fast transform, and returns dst.
	// len(dst) must be at least MinPoints.
	Inverse(dst, coef []float64) []float64
	// Synthesis returns the n×M matrix S_jk = φ_k(x_j) at Points(n):
	// Inverse as a matrix.
	Synthesis(n int) *mat.Dense
	// Analysis returns the M×n matrix of Forward on n points, with
	// Analysis(n)·Synthesis(n) = I for n ≥ MinPoints.
	Analysis(n int) *mat.Dense
	// Derivative returns the M×M matrix that maps coefficients to the
	// coefficients of the order-th derivative. It is exact: the
	// derivative of a series of the basis is again one.
	Derivative(order int) *mat.Dense
	// Gram returns the M×M Gram matrix G_ij = ∫_a^b φ_i φ_j dx.
	Gram() *mat.Dense
	// Integral returns ∫_a^b u dx of the series coef.
	Integral(coef []float64) float64
	// Eval writes to dst (nil allocates) the values of the series coef
	// at the points xs and returns it.
	Eval(dst, coef, xs []float64) []float64
}

var (
	_ Basis = (*FourierBasis)(nil)
	_ Basis = (*ChebyshevBasis)(nil)
)

// FourierBasis is the real trigonometric basis of period L on [a, a+L):
// φ_0 = 1, φ_{2k−1} = cos(ω_k(x−a)), φ_{2k} = sin(ω_k(x−a)),
// ω_k = 2πk/L, for the frequencies k = 1, …, K−1, so M = 2K−1. Real
// coefficients (rather than complex ones) let one set of real matrices and
// real network weights serve Fourier and Chebyshev axes alike.
//
// Its Gram matrix is diagonal, diag(L, L/2, …, L/2): Parseval's identity.
type FourierBasis struct {
	k      int
	a, l   float64
	plans  map[int]*Fourier
	coefs  map[int][]complex128
	matrix matrixCache
}

// NewFourierBasis returns the real Fourier basis with frequencies 0, …,
// k−1 (M = 2k−1 functions) of period length on [a, a+length). It panics if
// k < 1 or the length is not positive and finite.
func NewFourierBasis(k int, a, length float64) *FourierBasis {
	if k < 1 {
		panic(fmt.Sprintf("operators: FourierBasis needs at least one frequency, got %d", k))
	}
	if !(length > 0) || math.IsInf(length, 1) || math.IsNaN(a) || math.IsInf(a, 0) {
		panic(fmt.Sprintf("operators: FourierBasis period [%g, %g+%g) must be finite and non-empty", a, a, length))
	}
	return &FourierBasis{k: k, a: a, l: length, plans: map[int]*Fourier{}, coefs: map[int][]complex128{}}
}

// Frequencies returns K, the number of frequencies 0, …, K−1.
func (f *FourierBasis) Frequencies() int { return f.k }

// Len returns M = 2K−1.
func (f *FourierBasis) Len() int { return 2*f.k - 1 }

// Interval returns [a, a+L].
func (f *FourierBasis) Interval() (a, b float64) { return f.a, f.a + f.l }

// Periodic returns true.
func (f *FourierBasis) Periodic() bool { return true }

// MinPoints returns 2K−1: the highest frequency K−1 must lie below the
// Nyquist frequency n/2.
func (f *FourierBasis) MinPoints() int { return 2*f.k - 1 }

// Frequency returns the angular frequency ω of coefficient index i (0 for
// the constant, ω_k for the pair 2k−1, 2k).
func (f *FourierBasis) Frequency(i int) float64 {
	return 2 * math.Pi * float64((i+1)/2) / f.l
}

// Points returns a + jL/n, j = 0, …, n−1.
func (f *FourierBasis) Points(n int) []float64 {
	p := make([]float64, n)
	for j := range p {
		p[j] = f.a + float64(j)*f.l/float64(n)
	}
	return p
}

func (f *FourierBasis) plan(n int) (*Fourier, []complex128) {
	if n < f.MinPoints() {
		panic(fmt.Sprintf("operators: FourierBasis with %d frequencies needs at least %d points, got %d", f.k, f.MinPoints(), n))
	}
	p, ok := f.plans[n]
	if !ok {
		p = NewFourier(n, f.l)
		f.plans[n] = p
		f.coefs[n] = make([]complex128, n/2+1)
	}
	return p, f.coefs[n]
}

// Forward writes the real Fourier coefficients of the samples u to dst by
// a real FFT: c_0 = Re û_0/n, c_{2k−1} = 2 Re û_k/n, c_{2k} = −2 Im û_k/n.
func (f *FourierBasis) Forward(dst, u []float64) []float64 {
	n := len(u)
	p, c := f.plan(n)
	dst = checkDst(dst, f.Len(), "FourierBasis.Forward")
	p.Forward(c, u)
	s := 1 / float64(n)
	dst[0] = real(c[0]) * s
	for k := 1; k < f.k; k++ {
		dst[2*k-1] = 2 * s * real(c[k])
		dst[2*k] = -2 * s * imag(c[k])
	}
	return dst
}

// Inverse writes the values of the series coef at Points(len(dst)) by an
// inverse real FFT.
func (f *FourierBasis) Inverse(dst, coef []float64) []float64 {
	n := len(dst)
	p, c := f.plan(n)
	checkLen(coef, f.Len(), "FourierBasis.Inverse coefficients")
	clear(c)
	fn := float64(n)
	c[0] = complex(fn*coef[0], 0)
	for k := 1; k < f.k; k++ {
		c[k] = complex(0.5*fn*coef[2*k-1], -0.5*fn*coef[2*k])
	}
	return p.Inverse(dst, c)
}

// Synthesis returns the n×M matrix of the basis functions at Points(n).
func (f *FourierBasis) Synthesis(n int) *mat.Dense {
	return f.matrix.get('S', n, func() *mat.Dense {
		m := mat.NewDense(n, f.Len(), nil)
		for j, x := range f.Points(n) {
			m.SetRow(j, f.row(nil, x))
		}
		return m
	})
}

// row writes φ_0(x), …, φ_{M−1}(x) to dst.
func (f *FourierBasis) row(dst []float64, x float64) []float64 {
	if dst == nil {
		dst = make([]float64, f.Len())
	}
	dst[0] = 1
	th := 2 * math.Pi * (x - f.a) / f.l
	for k := 1; k < f.k; k++ {
		s, c := math.Sincos(float64(k) * th)
		dst[2*k-1], dst[2*k] = c, s
	}
	return dst
}

// Analysis returns the M×n matrix of Forward: the discrete projections
// (1/n)·1, (2/n)·cos, (2/n)·sin at Points(n).
func (f *FourierBasis) Analysis(n int) *mat.Dense {
	if n < f.MinPoints() {
		panic(fmt.Sprintf("operators: FourierBasis with %d frequencies needs at least %d points, got %d", f.k, f.MinPoints(), n))
	}
	return f.matrix.get('A', n, func() *mat.Dense {
		s := f.Synthesis(n)
		m := mat.NewDense(f.Len(), n, nil)
		for i := range f.Len() {
			w := 2 / float64(n)
			if i == 0 {
				w = 1 / float64(n)
			}
			for j := range n {
				m.Set(i, j, w*s.At(j, i))
			}
		}
		return m
	})
}

// Derivative returns the block-diagonal matrix of d^order/dx^order: on each
// pair (cos, sin) of frequency ω the rotation-like block ω[0 1; −1 0]ᵀ,
// raised to the power order. A negative order panics.
func (f *FourierBasis) Derivative(order int) *mat.Dense {
	if order < 0 {
		panic(fmt.Sprintf("operators: derivative order must be non-negative, got %d", order))
	}
	m := mat.NewDense(f.Len(), f.Len(), nil)
	if order == 0 {
		m.Set(0, 0, 1)
	}
	for k := 1; k < f.k; k++ {
		w := math.Pow(f.Frequency(2*k), float64(order))
		// d/dx (a cos + b sin) = ω(b cos − a sin): (a, b) ↦ ω(b, −a).
		var cc, cs, sc, ss float64
		switch order % 4 {
		case 0:
			cc, ss = 1, 1
		case 1:
			cs, sc = 1, -1
		case 2:
			cc, ss = -1, -1
		case 3:
			cs, sc = -1, 1
		}
		i := 2*k - 1
		m.Set(i, i, w*cc)
		m.Set(i, i+1, w*cs)
		m.Set(i+1, i, w*sc)
		m.Set(i+1, i+1, w*ss)
	}
	return m
}

// Gram returns diag(L, L/2, …, L/2).
func (f *FourierBasis) Gram() *mat.Dense {
	m := mat.NewDense(f.Len(), f.Len(), nil)
	for i := range f.Len() {
		m.Set(i, i, f.weight(i))
	}
	return m
}

// weight returns ∫ φ_i² dx.
func (f *FourierBasis) weight(i int) float64 {
	if i == 0 {
		return f.l
	}
	return f.l / 2
}

// NormSq returns ∫ u² dx = Σ_i G_ii c_i² of the series coef (Parseval).
func (f *FourierBasis) NormSq(coef []float64) float64 {
	checkLen(coef, f.Len(), "FourierBasis.NormSq coefficients")
	var s float64
	for i, c := range coef {
		s += f.weight(i) * c * c
	}
	return s
}

// Integral returns L·c_0.
func (f *FourierBasis) Integral(coef []float64) float64 {
	checkLen(coef, f.Len(), "FourierBasis.Integral coefficients")
	return f.l * coef[0]
}

// Eval writes the series at the points xs to dst.
func (f *FourierBasis) Eval(dst, coef, xs []float64) []float64 {
	return evalSeries(dst, coef, xs, f.Len(), f.row)
}

// ChebyshevBasis is the Chebyshev basis φ_k(x) = T_k(s), s = (2x−a−b)/(b−a),
// k = 0, …, M−1, on [a, b], with transforms on Chebyshev–Gauss–Lobatto
// points by the DCT of Chebyshev.
//
// Its Gram matrix is not diagonal in the Lebesgue L² inner product (the
// T_k are orthogonal only with the weight (1−s²)^{−1/2}); it is exact:
// ∫_{−1}^{1} T_m T_n ds = ½(I_{m+n} + I_{|m−n|}), I_j = 2/(1−j²) for
// even j and 0 for odd j (Boyd 2001, App. A), so cᵀGc is the exact L²
// norm of the series, not a weighted one.
type ChebyshevBasis struct {
	m      int
	a, b   float64
	plans  map[int]*Chebyshev
	pad    map[int][]float64
	matrix matrixCache
}

// NewChebyshevBasis returns the Chebyshev basis T_0, …, T_{m−1} on [a, b].
// It panics if m < 1 or the interval is empty or infinite.
func NewChebyshevBasis(m int, a, b float64) *ChebyshevBasis {
	if m < 1 {
		panic(fmt.Sprintf("operators: ChebyshevBasis needs at least one function, got %d", m))
	}
	if !(b > a) || math.IsInf(a, 0) || math.IsInf(b, 0) {
		panic(fmt.Sprintf("operators: ChebyshevBasis interval [%g, %g] must be finite and non-empty", a, b))
	}
	return &ChebyshevBasis{m: m, a: a, b: b, plans: map[int]*Chebyshev{}, pad: map[int][]float64{}}
}

// Len returns M.
func (c *ChebyshevBasis) Len() int { return c.m }

// Interval returns [a, b].
func (c *ChebyshevBasis) Interval() (a, b float64) { return c.a, c.b }

// Periodic returns false.
func (c *ChebyshevBasis) Periodic() bool { return false }

// MinPoints returns max(M, 2): a polynomial of degree M−1 is determined by
// its values at M points.
func (c *ChebyshevBasis) MinPoints() int { return max(c.m, 2) }

// Points returns the n Gauss–Lobatto points of [a, b], increasing.
func (c *ChebyshevBasis) Points(n int) []float64 {
	p, _ := c.plan(n)
	return append([]float64(nil), p.Points()...)
}

func (c *ChebyshevBasis) plan(n int) (*Chebyshev, []float64) {
	if n < c.MinPoints() {
		panic(fmt.Sprintf("operators: ChebyshevBasis with %d functions needs at least %d points, got %d", c.m, c.MinPoints(), n))
	}
	p, ok := c.plans[n]
	if !ok {
		p = NewChebyshev(n, c.a, c.b)
		c.plans[n] = p
		c.pad[n] = make([]float64, n)
	}
	return p, c.pad[n]
}

// Forward writes the first M Chebyshev coefficients of the interpolant of
// u at the len(u) Gauss–Lobatto points (a DCT-I).
func (c *ChebyshevBasis) Forward(dst, u []float64) []float64 {
	p, w := c.plan(len(u))
	dst = checkDst(dst, c.m, "ChebyshevBasis.Forward")
	p.Coefficients(w, u)
	copy(dst, w[:c.m])
	return dst
}

// Inverse writes the values of the series at the len(dst) Gauss–Lobatto
// points (an inverse DCT-I of the zero-padded coefficients).
func (c *ChebyshevBasis) Inverse(dst, coef []float64) []float64 {
	p, w := c.plan(len(dst))
	checkLen(coef, c.m, "ChebyshevBasis.Inverse coefficients")
	copy(w, coef)
	clear(w[c.m:])
	return p.Values(dst, w)
}

// Synthesis returns the n×M matrix T_k(s_j) at Points(n).
func (c *ChebyshevBasis) Synthesis(n int) *mat.Dense {
	return c.matrix.get('S', n, func() *mat.Dense {
		m := mat.NewDense(n, c.m, nil)
		for j, x := range c.Points(n) {
			m.SetRow(j, c.row(nil, x))
		}
		return m
	})
}

// row writes T_0(s), …, T_{M−1}(s) at s(x) to dst by the three-term
// recurrence.
func (c *ChebyshevBasis) row(dst []float64, x float64) []float64 {
	if dst == nil {
		dst = make([]float64, c.m)
	}
	s := (2*x - c.a - c.b) / (c.b - c.a)
	dst[0] = 1
	if c.m > 1 {
		dst[1] = s
	}
	for k := 2; k < c.m; k++ {
		dst[k] = 2*s*dst[k-1] - dst[k-2]
	}
	return dst
}

// Analysis returns the M×n matrix of Forward on n points: the first M rows
// of the DCT-I.
func (c *ChebyshevBasis) Analysis(n int) *mat.Dense {
	return c.matrix.get('A', n, func() *mat.Dense {
		m := mat.NewDense(c.m, n, nil)
		e := make([]float64, n)
		col := make([]float64, c.m)
		for j := range n {
			clear(e)
			e[j] = 1
			c.Forward(col, e)
			m.SetCol(j, col)
		}
		return m
	})
}

// Derivative returns the M×M matrix of d^order/dx^order on Chebyshev
// coefficients, built column by column with Chebyshev.DerivCoeffs (the
// recurrence γ_{k−1}c′_{k−1} = c′_{k+1} + 2k c_k, exact for polynomials).
func (c *ChebyshevBasis) Derivative(order int) *mat.Dense {
	if order < 0 {
		panic(fmt.Sprintf("operators: derivative order must be non-negative, got %d", order))
	}
	m := mat.NewDense(c.m, c.m, nil)
	if c.m == 1 {
		if order == 0 {
			m.Set(0, 0, 1)
		}
		return m
	}
	p := NewChebyshev(c.m, c.a, c.b)
	e := make([]float64, c.m)
	d := make([]float64, c.m)
	for j := range c.m {
		clear(e)
		e[j] = 1
		p.DerivCoeffs(d, e, order)
		m.SetCol(j, d)
	}
	return m
}

// chebIntegral returns ∫_{−1}^{1} T_j ds.
func chebIntegral(j int) float64 {
	if j%2 == 1 {
		return 0
	}
	return 2 / (1 - float64(j*j))
}

// Gram returns G_mn = ((b−a)/2)·½(I_{m+n} + I_{|m−n|}).
func (c *ChebyshevBasis) Gram() *mat.Dense {
	return c.matrix.get('G', 0, func() *mat.Dense {
		g := mat.NewDense(c.m, c.m, nil)
		h := (c.b - c.a) / 2
		for i := range c.m {
			for j := range c.m {
				d := i - j
				if d < 0 {
					d = -d
				}
				g.Set(i, j, h*0.5*(chebIntegral(i+j)+chebIntegral(d)))
			}
		}
		return g
	})
}

// NormSq returns ∫_a^b u² dx = cᵀGc of the series coef, exactly.
func (c *ChebyshevBasis) NormSq(coef []float64) float64 {
	checkLen(coef, c.m, "ChebyshevBasis.NormSq coefficients")
	g := c.Gram()
	return mat.Inner(mat.NewVecDense(c.m, coef), g, mat.NewVecDense(c.m, coef))
}

// Integral returns ∫_a^b u dx = ((b−a)/2) Σ_k c_k I_k.
func (c *ChebyshevBasis) Integral(coef []float64) float64 {
	checkLen(coef, c.m, "ChebyshevBasis.Integral coefficients")
	var s float64
	for k, v := range coef {
		s += v * chebIntegral(k)
	}
	return s * (c.b - c.a) / 2
}

// MulX returns the (M+1)×M matrix that maps the coefficients of u to
// those of (x−a)·u, exactly, by s·T_k = ½(T_{k+1} + T_{|k−1|}) and
// x − a = ((b−a)/2)(s+1). It builds an initial condition into a time
// basis: u = u_0 + (t−a)·v vanishes at t = a whatever v is.
func (c *ChebyshevBasis) MulX() *mat.Dense {
	h := (c.b - c.a) / 2
	m := mat.NewDense(c.m+1, c.m, nil)
	for k := range c.m {
		m.Set(k, k, m.At(k, k)+h)
		if k == 0 {
			m.Set(1, 0, m.At(1, 0)+h)
			continue
		}
		m.Set(k+1, k, m.At(k+1, k)+h/2)
		m.Set(k-1, k, m.At(k-1, k)+h/2)
	}
	return m
}

// Antiderivative returns the (M+1)×M matrix that maps the coefficients of
// u to those of U(x) = ∫_a^x u, exactly: ∫T_0 = T_1, ∫T_1 = T_2/4,
// ∫T_k = T_{k+1}/(2(k+1)) − T_{k−1}/(2(k−1)) in s = (2x − a − b)/(b − a),
// times (b−a)/2, with the constant chosen so that U(a) = 0 (T_k(−1) =
// (−1)^k). It measures a residual of an evolution equation by its
// accumulated effect: for u_t = F(u) + r the error grows like ∫r.
func (c *ChebyshevBasis) Antiderivative() *mat.Dense {
	h := (c.b - c.a) / 2
	m := mat.NewDense(c.m+1, c.m, nil)
	for k := range c.m {
		switch k {
		case 0:
			m.Set(1, 0, h)
		case 1:
			m.Set(2, 1, h/4)
		default:
			m.Set(k+1, k, h/(2*float64(k+1)))
			m.Set(k-1, k, m.At(k-1, k)-h/(2*float64(k-1)))
		}
		var at float64 // U(a) = Σ_j m_jk (−1)^j
		for j := range c.m + 1 {
			if j%2 == 0 {
				at += m.At(j, k)
			} else {
				at -= m.At(j, k)
			}
		}
		m.Set(0, k, m.At(0, k)-at)
	}
	return m
}

// Eval writes the series at the points xs to dst.
func (c *ChebyshevBasis) Eval(dst, coef, xs []float64) []float64 {
	return evalSeries(dst, coef, xs, c.m, c.row)
}

// evalSeries evaluates Σ_k coef_k φ_k(x) at xs, with row writing the φ_k(x).
func evalSeries(dst, coef, xs []float64, m int, row func([]float64, float64) []float64) []float64 {
	checkLen(coef, m, "Basis.Eval coefficients")
	if dst == nil {
		dst = make([]float64, len(xs))
	}
	if len(dst) != len(xs) {
		panic(fmt.Sprintf("operators: Basis.Eval destination has length %d, want %d", len(dst), len(xs)))
	}
	phi := make([]float64, m)
	for i, x := range xs {
		row(phi, x)
		var s float64
		for k, c := range coef {
			s += c * phi[k]
		}
		dst[i] = s
	}
	return dst
}

// matrixCache keeps the matrices a basis built, by kind and size.
type matrixCache map[[2]int]*mat.Dense

func (c *matrixCache) get(kind byte, n int, build func() *mat.Dense) *mat.Dense {
	if *c == nil {
		*c = matrixCache{}
	}
	key := [2]int{int(kind), n}
	m, ok := (*c)[key]
	if !ok {
		m = build()
		(*c)[key] = m
	}
	return m
}

func checkDst(dst []float64, n int, what string) []float64 {
	if dst == nil {
		return make([]float64, n)
	}
	if len(dst) != n {
		panic(fmt.Sprintf("operators: %s destination has length %d, want %d", what, len(dst), n))
	}
	return dst
}

func checkLen(s []float64, n int, what string) {
	if len(s) != n {
		panic(fmt.Sprintf("operators: %s have length %d, want %d", what, len(s), n))
	}
}
