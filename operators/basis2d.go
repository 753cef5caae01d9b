package operators

import (
	"fmt"

	"gonum.org/v1/gonum/mat"
)

// Basis2D is the tensor-product basis φ_i(x)ψ_j(y) of two one-dimensional
// bases: Fourier×Fourier for a periodic rectangle, Fourier×Chebyshev for
// space–time problems periodic in space, Chebyshev×Chebyshev for a box.
// Coefficients are the row-major Mx×My array c[i*My+j], values on a grid
// the row-major nx×ny array u[p*ny+q] = u(x_p, y_q) at the collocation
// points of each axis (x the slow index, as in Fourier2D).
//
// A Basis2D holds workspaces, so a value must be used by one goroutine at
// a time.
type Basis2D struct {
	X, Y Basis

	col, cx, tmp []float64
}

// NewBasis2D returns the tensor product of x and y.
func NewBasis2D(x, y Basis) *Basis2D { return &Basis2D{X: x, Y: y} }

// Len returns Mx·My.
func (b *Basis2D) Len() int { return b.X.Len() * b.Y.Len() }

// Dims returns Mx and My.
func (b *Basis2D) Dims() (mx, my int) { return b.X.Len(), b.Y.Len() }

func (b *Basis2D) work(nx, ny int) {
	mx, my := b.Dims()
	b.col = growF(b.col, nx)
	b.cx = growF(b.cx, mx)
	b.tmp = growF(b.tmp, nx*my)
}

func growF(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}

// Forward writes to dst (nil allocates) the Mx×My coefficients of the
// interpolant of the values u on the nx×ny collocation grid (fast
// transforms along y, then along x) and returns it.
func (b *Basis2D) Forward(dst, u []float64, nx, ny int) []float64 {
	mx, my := b.Dims()
	if len(u) != nx*ny {
		panic(fmt.Sprintf("operators: Basis2D.Forward input has length %d, want %d×%d", len(u), nx, ny))
	}
	dst = checkDst(dst, mx*my, "Basis2D.Forward")
	b.work(nx, ny)
	for p := range nx {
		b.Y.Forward(b.tmp[p*my:(p+1)*my], u[p*ny:(p+1)*ny])
	}
	col, out := b.col, b.cx
	for j := range my {
		for p := range nx {
			col[p] = b.tmp[p*my+j]
		}
		b.X.Forward(out, col)
		for i := range mx {
			dst[i*my+j] = out[i]
		}
	}
	return dst
}

// Inverse writes to dst (nil allocates) the values of the series coef on
// the nx×ny collocation grid and returns it.
func (b *Basis2D) Inverse(dst, coef []float64, nx, ny int) []float64 {
	mx, my := b.Dims()
	checkLen(coef, mx*my, "Basis2D.Inverse coefficients")
	dst = checkDst(dst, nx*ny, "Basis2D.Inverse")
	b.work(nx, ny)
	in, col := b.cx, b.col
	for j := range my {
		for i := range mx {
			in[i] = coef[i*my+j]
		}
		b.X.Inverse(col, in)
		for p := range nx {
			b.tmp[p*my+j] = col[p]
		}
	}
	for p := range nx {
		b.Y.Inverse(dst[p*ny:(p+1)*ny], b.tmp[p*my:(p+1)*my])
	}
	return dst
}

// Deriv writes to dst (nil allocates; may be coef) the coefficients of
// ∂^ox_x ∂^oy_y u of the series coef and returns it. It is exact.
func (b *Basis2D) Deriv(dst, coef []float64, ox, oy int) []float64 {
	mx, my := b.Dims()
	checkLen(coef, mx*my, "Basis2D.Deriv coefficients")
	dst = checkDst(dst, mx*my, "Basis2D.Deriv")
	c := mat.NewDense(mx, my, append([]float64(nil), coef...))
	var t, r mat.Dense
	t.Mul(b.X.Derivative(ox), c)
	r.Mul(&t, b.Y.Derivative(oy).T())
	copy(dst, r.RawMatrix().Data)
	return dst
}

// NormSq returns ∫∫ u² dx dy = Σ Gx_ii' Gy_jj' c_ij c_i'j' of the series
// coef (Parseval's identity for the tensor basis), exactly.
func (b *Basis2D) NormSq(coef []float64) float64 {
	mx, my := b.Dims()
	checkLen(coef, mx*my, "Basis2D.NormSq coefficients")
	c := mat.NewDense(mx, my, append([]float64(nil), coef...))
	var t, r mat.Dense
	t.Mul(b.X.Gram(), c)
	r.Mul(&t, b.Y.Gram())
	return mat.Sum(mulElem(&r, c))
}

func mulElem(a, b *mat.Dense) *mat.Dense {
	var r mat.Dense
	r.MulElem(a, b)
	return &r
}

// Integral returns ∫∫ u dx dy of the series coef.
func (b *Basis2D) Integral(coef []float64) float64 {
	mx, my := b.Dims()
	checkLen(coef, mx*my, "Basis2D.Integral coefficients")
	col := make([]float64, mx)
	e := make([]float64, my)
	var s float64
	for j := range my {
		clear(e)
		e[j] = 1
		iy := b.Y.Integral(e)
		if iy == 0 {
			continue
		}
		for i := range mx {
			col[i] = coef[i*my+j]
		}
		s += iy * b.X.Integral(col)
	}
	return s
}
