package operators

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/dsp/fourier"
)

// Fourier2D is a real-to-complex FFT plan on nx×ny periodic points of a
// domain of size lx×ly: real FFTs along y (the fast index), then complex
// FFTs along x. For power-of-two sizes (ny ≥ 8) these are the radix-4 real
// FFT of Fourier and a complex FFT along x whose butterflies combine whole
// rows of the coefficient array; other sizes use gonum's dsp/fourier.
// Fields are row-major with x the slow
// index, u[i*ny+j] = u(x_i, y_j). Coefficients are nx×(ny/2+1), row-major,
// as numpy.fft.rfft2 of the (nx, ny) array: c[p*(ny/2+1)+q] is the mode with
// x-wavenumber WavenumberX(p) (both signs, numpy.fft.fftfreq order) and
// y-wavenumber WavenumberY(q) ≥ 0.
//
// A Fourier2D holds workspaces, so a value must be used by one goroutine at a
// time.
type Fourier2D struct {
	nx, ny, my int
	lx, ly     float64
	row        *rfft
	// Along x: rows for power-of-two nx with the radix-4 row transform,
	// col and colWork (nx) otherwise.
	rows    *colFFT
	col     *fourier.CmplxFFT
	colWork []complex128
	kx, ky  []float64
	coef    []complex128 // nx*my

	// Resample's 1-D plans and workspaces, made on first use.
	rowPlan, colPlan *Fourier
	rowsOut          []float64 // nx × (target ny)
	colIn, colOut    []float64 // nx, target nx
}

// NewFourier2D returns a 2-D real FFT plan on nx×ny periodic points of a
// domain of size lx×ly. It panics if a size is below 1 or a length is not
// positive and finite.
func NewFourier2D(nx, ny int, lx, ly float64) *Fourier2D {
	if nx < 1 || ny < 1 {
		panic(fmt.Sprintf("operators: Fourier2D needs at least one point per axis, got %d×%d", nx, ny))
	}
	if !(lx > 0) || !(ly > 0) || math.IsInf(lx, 1) || math.IsInf(ly, 1) {
		panic(fmt.Sprintf("operators: Fourier2D domain lengths must be positive and finite, got %g×%g", lx, ly))
	}
	my := ny/2 + 1
	f := &Fourier2D{
		nx: nx, ny: ny, my: my,
		lx: lx, ly: ly,
		row:  newRFFT(ny),
		kx:   make([]float64, nx),
		ky:   make([]float64, my),
		coef: make([]complex128, nx*my),
	}
	if isPow2(nx) && f.row.r4 != nil {
		f.rows = newColFFT(nx)
	} else {
		f.col = fourier.NewCmplxFFT(nx)
		f.colWork = make([]complex128, nx)
	}
	for p := range f.kx {
		f.kx[p] = 2 * math.Pi * float64(signedIndex(p, nx)) / lx
	}
	for q := range f.ky {
		f.ky[q] = 2 * math.Pi * float64(q) / ly
	}
	return f
}

// signedIndex maps a complex-FFT index p of n points to its signed frequency
// (numpy.fft.fftfreq·n): p for p ≤ (n−1)/2, else p−n. For even n the Nyquist
// index n/2 maps to −n/2.
func signedIndex(p, n int) int {
	if p <= (n-1)/2 {
		return p
	}
	return p - n
}

// Dims returns the number of points along x and y.
func (f *Fourier2D) Dims() (nx, ny int) { return f.nx, f.ny }

// ModeDims returns the shape of the coefficient array, nx×(ny/2+1).
func (f *Fourier2D) ModeDims() (nx, my int) { return f.nx, f.my }

// Len returns the number of points nx·ny.
func (f *Fourier2D) Len() int { return f.nx * f.ny }

// NumModes returns the number of coefficients nx·(ny/2+1).
func (f *Fourier2D) NumModes() int { return f.nx * f.my }

// WavenumberX returns the x-wavenumber 2πp'/lx of coefficient row p, where p'
// is p for p ≤ (nx−1)/2 and p−nx otherwise.
func (f *Fourier2D) WavenumberX(p int) float64 { return f.kx[p] }

// WavenumberY returns the y-wavenumber 2πq/ly of coefficient column q,
// 0 ≤ q ≤ ny/2.
func (f *Fourier2D) WavenumberY(q int) float64 { return f.ky[q] }

// Forward computes the unnormalised 2-D Fourier coefficients of u (numpy's
// rfft2 of the (nx, ny) array), writes them to dst and returns it. A nil dst
// is allocated; a wrong length panics.
func (f *Fourier2D) Forward(dst []complex128, u []float64) []complex128 {
	return f.forwardChecked("Forward", dst, u, f.my)
}

// ForwardColumns computes the columns q < qn of Forward's coefficients
// (the y-wavenumbers below WavenumberY(qn)) into dst and returns it. The
// columns q ≥ qn of dst are left holding intermediate values (the
// transforms along y only), which must not be read as coefficients. A
// pseudo-spectral solver that keeps only the modes of a truncation such as
// the 2/3 rule, or a spectral layer that keeps a few low modes, skips the
// transforms along x of the columns it drops. A nil dst is allocated; a
// wrong length or a qn outside [1, ny/2+1] panics; qn = ny/2+1 is Forward.
func (f *Fourier2D) ForwardColumns(dst []complex128, u []float64, qn int) []complex128 {
	return f.forwardChecked("ForwardColumns", dst, u, qn)
}

// forwardChecked checks the arguments of the exported method name, then
// computes the columns q < qn of the coefficients of u into dst.
func (f *Fourier2D) forwardChecked(name string, dst []complex128, u []float64, qn int) []complex128 {
	if qn < 1 || qn > f.my {
		panic(fmt.Sprintf("operators: Fourier2D.%s column count %d is outside [1, %d]", name, qn, f.my))
	}
	if len(u) != f.nx*f.ny {
		panic(fmt.Sprintf("operators: Fourier2D.%s input has length %d, want %d", name, len(u), f.nx*f.ny))
	}
	if dst == nil {
		dst = make([]complex128, f.nx*f.my)
	}
	if len(dst) != f.nx*f.my {
		panic(fmt.Sprintf("operators: Fourier2D.%s destination has length %d, want %d", name, len(dst), f.nx*f.my))
	}
	f.forward(dst, u, qn)
	return dst
}

// forward writes the coefficients of u into c, complete in the columns
// q < qn.
func (f *Fourier2D) forward(c []complex128, u []float64, qn int) {
	for p := 0; p < f.nx; p++ {
		f.row.forward(c[p*f.my:(p+1)*f.my], u[p*f.ny:(p+1)*f.ny])
	}
	switch {
	case f.nx == 1:
	case f.rows != nil:
		f.rows.transform(c, f.my, qn, true)
	default:
		f.columns(c, qn, true)
	}
}

// columns transforms the columns q < qn of the nx×my array c in place
// along x with gonum's complex FFT, unnormalised in both directions.
func (f *Fourier2D) columns(c []complex128, qn int, forward bool) {
	w := f.colWork
	for q := 0; q < qn; q++ {
		for p := range w {
			w[p] = c[p*f.my+q]
		}
		if forward {
			f.col.Coefficients(w, w)
		} else {
			f.col.Sequence(w, w)
		}
		for p, v := range w {
			c[p*f.my+q] = v
		}
	}
}

// Inverse computes the real field whose coefficients are c (numpy's irfft2,
// so Inverse(Forward(u)) = u), writes it to dst and returns it; c is not
// modified. The imaginary parts that a real field cannot carry (in the
// columns q = 0 and, for even ny, q = ny/2, after the inverse transform along
// x) are ignored. A nil dst is allocated; a wrong length panics.
func (f *Fourier2D) Inverse(dst []float64, c []complex128) []float64 {
	dst = f.inverseArgs("Inverse", dst, c, f.my)
	copy(f.coef, c)
	f.inverse(dst, f.coef, f.my)
	return dst
}

// InverseColumns is Inverse for coefficients c whose columns q ≥ qn are all
// zero, done in place: c is the workspace, so it is overwritten (its
// columns q ≥ qn stay zero), and the columns q ≥ qn are not transformed
// along x. Nonzero values in those columns give a wrong result. A nil dst
// is allocated; a wrong length or a qn outside [1, ny/2+1] panics.
func (f *Fourier2D) InverseColumns(dst []float64, c []complex128, qn int) []float64 {
	dst = f.inverseArgs("InverseColumns", dst, c, qn)
	f.inverse(dst, c, qn)
	return dst
}

// inverseArgs checks the arguments of the exported method name and
// returns dst, allocated if nil.
func (f *Fourier2D) inverseArgs(name string, dst []float64, c []complex128, qn int) []float64 {
	if qn < 1 || qn > f.my {
		panic(fmt.Sprintf("operators: Fourier2D.%s column count %d is outside [1, %d]", name, qn, f.my))
	}
	if len(c) != f.nx*f.my {
		panic(fmt.Sprintf("operators: Fourier2D.%s coefficients have length %d, want %d", name, len(c), f.nx*f.my))
	}
	if dst == nil {
		dst = make([]float64, f.nx*f.ny)
	}
	if len(dst) != f.nx*f.ny {
		panic(fmt.Sprintf("operators: Fourier2D.%s destination has length %d, want %d", name, len(dst), f.nx*f.ny))
	}
	return dst
}

// inverse writes into dst the field whose coefficients are c, zero in the
// columns q ≥ qn; c is overwritten.
func (f *Fourier2D) inverse(dst []float64, c []complex128, qn int) {
	// The gonum column transform is unnormalised and the row transform
	// divides by nx·ny; the radix-4 one divides by nx and the row by ny.
	scale := 1 / float64(f.nx*f.ny)
	switch {
	case f.nx == 1:
	case f.rows != nil:
		f.rows.transform(c, f.my, qn, false)
		scale = 1 / float64(f.ny)
	default:
		f.columns(c, qn, false)
	}
	for p := 0; p < f.nx; p++ {
		f.row.inverse(dst[p*f.ny:(p+1)*f.ny], c[p*f.my:(p+1)*f.my], scale)
	}
}

// DerivCoeffs multiplies the coefficients c by (ik_x)^ox (ik_y)^oy, writes
// the result to dst and returns it; dst may be c. For an odd order along an
// axis with an even number of points that axis's Nyquist modes are zeroed. A
// nil dst is allocated; a wrong length or a negative order panics.
func (f *Fourier2D) DerivCoeffs(dst, c []complex128, ox, oy int) []complex128 {
	if ox < 0 || oy < 0 {
		panic(fmt.Sprintf("operators: derivative orders must be non-negative, got (%d, %d)", ox, oy))
	}
	if len(c) != f.nx*f.my {
		panic(fmt.Sprintf("operators: Fourier2D.DerivCoeffs coefficients have length %d, want %d", len(c), f.nx*f.my))
	}
	if dst == nil {
		dst = make([]complex128, f.nx*f.my)
	}
	if len(dst) != f.nx*f.my {
		panic(fmt.Sprintf("operators: Fourier2D.DerivCoeffs destination has length %d, want %d", len(dst), f.nx*f.my))
	}
	ip := ipow(ox + oy)
	nyqX := -1
	if ox%2 == 1 && hasNyquist(f.nx) {
		nyqX = f.nx / 2
	}
	nyqY := -1
	if oy%2 == 1 && hasNyquist(f.ny) {
		nyqY = f.ny / 2
	}
	for p := 0; p < f.nx; p++ {
		kx := intPow(f.kx[p], ox)
		cp := c[p*f.my : (p+1)*f.my]
		dp := dst[p*f.my : (p+1)*f.my]
		for q, v := range cp {
			if p == nyqX || q == nyqY {
				dp[q] = 0
				continue
			}
			dp[q] = ip * complex(kx*intPow(f.ky[q], oy), 0) * v
		}
	}
	return dst
}

// Deriv writes ∂^{ox+oy}u/∂x^{ox}∂y^{oy} of the periodic field u to dst and
// returns it; dst may be u. See DerivCoeffs for the Nyquist modes. A nil dst
// is allocated; a wrong length or a negative order panics.
func (f *Fourier2D) Deriv(dst, u []float64, ox, oy int) []float64 {
	if dst == nil {
		dst = make([]float64, f.nx*f.ny)
	}
	if len(dst) != f.nx*f.ny {
		panic(fmt.Sprintf("operators: Fourier2D.Deriv destination has length %d, want %d", len(dst), f.nx*f.ny))
	}
	f.Forward(f.coef, u)
	f.DerivCoeffs(f.coef, f.coef, ox, oy)
	f.inverse(dst, f.coef, f.my)
	return dst
}

// intPow returns x^n for n ≥ 0 by repeated multiplication (n is a small
// derivative order).
func intPow(x float64, n int) float64 {
	r := 1.0
	for ; n > 0; n-- {
		r *= x
	}
	return r
}

// InverseLaplacianCoeffs divides the coefficients c by |k|² = k_x² + k_y²
// and sets the mean mode to zero, which maps the coefficients of g to those
// of the zero-mean u with −Δu = g − mean(g); it writes the result to dst and
// returns it; dst may be c. A nil dst is allocated; a wrong length panics.
func (f *Fourier2D) InverseLaplacianCoeffs(dst, c []complex128) []complex128 {
	if len(c) != f.nx*f.my {
		panic(fmt.Sprintf("operators: Fourier2D.InverseLaplacianCoeffs coefficients have length %d, want %d", len(c), f.nx*f.my))
	}
	if dst == nil {
		dst = make([]complex128, f.nx*f.my)
	}
	if len(dst) != f.nx*f.my {
		panic(fmt.Sprintf("operators: Fourier2D.InverseLaplacianCoeffs destination has length %d, want %d", len(dst), f.nx*f.my))
	}
	for p := 0; p < f.nx; p++ {
		kx2 := f.kx[p] * f.kx[p]
		cp := c[p*f.my : (p+1)*f.my]
		dp := dst[p*f.my : (p+1)*f.my]
		for q, v := range cp {
			k2 := kx2 + f.ky[q]*f.ky[q]
			if k2 == 0 {
				dp[q] = 0
				continue
			}
			dp[q] = v / complex(k2, 0)
		}
	}
	return dst
}

// InverseLaplacian solves the periodic Poisson problem −Δu = g − mean(g) for
// the zero-mean u, writes it to dst and returns it; dst may be g. The mean is
// removed because −Δ annihilates constants, so only g − mean(g) is in its
// range. A nil dst is allocated; a wrong length panics.
func (f *Fourier2D) InverseLaplacian(dst, g []float64) []float64 {
	if dst == nil {
		dst = make([]float64, f.nx*f.ny)
	}
	if len(dst) != f.nx*f.ny {
		panic(fmt.Sprintf("operators: Fourier2D.InverseLaplacian destination has length %d, want %d", len(dst), f.nx*f.ny))
	}
	f.Forward(f.coef, g)
	f.InverseLaplacianCoeffs(f.coef, f.coef)
	f.inverse(dst, f.coef, f.my)
	return dst
}

// Dealias applies Orszag's 2/3 rule along both axes to the coefficients c in
// place: it zeroes every mode whose signed x-index p' has 3|p'| ≥ nx or whose
// y-index q has 3q ≥ ny.
func (f *Fourier2D) Dealias(c []complex128) {
	if len(c) != f.nx*f.my {
		panic(fmt.Sprintf("operators: Fourier2D.Dealias coefficients have length %d, want %d", len(c), f.nx*f.my))
	}
	cutY := dealiasCut(f.ny)
	for p := 0; p < f.nx; p++ {
		cp := c[p*f.my : (p+1)*f.my]
		if sp := signedIndex(p, f.nx); 3*abs(sp) >= f.nx {
			for q := range cp {
				cp[q] = 0
			}
			continue
		}
		for q := cutY; q < f.my; q++ {
			cp[q] = 0
		}
	}
}

func abs(i int) int {
	if i < 0 {
		return -i
	}
	return i
}

// Resample returns the samples on mx×my periodic points of the same domain of
// the trigonometric interpolant of u, resampling along y and then along x as
// Fourier.Resample does (scipy.signal.resample applied to each axis). A nil
// dst is allocated; a wrong length panics. The 1-D plans for the target sizes
// are kept, so repeated calls with the same sizes allocate nothing.
func (f *Fourier2D) Resample(dst, u []float64, mx, my int) []float64 {
	if mx < 1 || my < 1 {
		panic(fmt.Sprintf("operators: Fourier2D.Resample needs at least one target point per axis, got %d×%d", mx, my))
	}
	if len(u) != f.nx*f.ny {
		panic(fmt.Sprintf("operators: Fourier2D.Resample input has length %d, want %d", len(u), f.nx*f.ny))
	}
	if dst == nil {
		dst = make([]float64, mx*my)
	}
	if len(dst) != mx*my {
		panic(fmt.Sprintf("operators: Fourier2D.Resample destination has length %d, want %d", len(dst), mx*my))
	}
	if f.rowPlan == nil {
		f.rowPlan = NewFourier(f.ny, f.ly)
		f.colPlan = NewFourier(f.nx, f.lx)
		f.colIn = make([]float64, f.nx)
	}
	if len(f.rowsOut) != f.nx*my {
		f.rowsOut = make([]float64, f.nx*my)
	}
	if len(f.colOut) != mx {
		f.colOut = make([]float64, mx)
	}
	for p := 0; p < f.nx; p++ {
		f.rowPlan.Resample(f.rowsOut[p*my:(p+1)*my], u[p*f.ny:(p+1)*f.ny], my)
	}
	for q := 0; q < my; q++ {
		for p := range f.colIn {
			f.colIn[p] = f.rowsOut[p*my+q]
		}
		f.colPlan.Resample(f.colOut, f.colIn, mx)
		for p, v := range f.colOut {
			dst[p*my+q] = v
		}
	}
	return dst
}
