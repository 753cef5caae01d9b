package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
)

// SpectralConv1D is the spectral convolution of a Fourier neural operator
// layer on a periodic 1-D grid (Li et al., "Fourier Neural Operator for
// Parametric Partial Differential Equations", ICLR 2021, eq. 4–5): the real
// DFT of every input channel, the lowest Modes coefficients multiplied by a
// learned complex In×Out matrix per mode, and the inverse real DFT of every
// output channel (numpy's rfft/irfft conventions, as torch.fft).
//
// Fields are channel-last: a batch of B samples on n points with C channels
// is the row-major B×n×C array. The weights are complex; Re and Im hold
// their real and imaginary parts, shape In×Out×Modes. Because they act on
// Fourier modes, the same weights apply on any grid with n ≥ 2·Modes
// points (zero-shot super-resolution).
//
// Only the kept modes are computed, as truncated DFT matrices applied to
// each sample's channels in one product (see spectral_dft.go), and the
// weights mix the whole batch in one product per mode. Backward applies
// the transposes of the same products, and uses the input spectrum that
// Forward keeps for the gradients of both Re and Im. Samples and modes are
// split across GOMAXPROCS goroutines. A SpectralConv1D holds workspaces:
// use it from one goroutine at a time.
type SpectralConv1D struct {
	In, Out, Modes int
	Re, Im         *Param

	n, batch int
	fwd, inv []float64 // realDFT(n, Modes) and realIDFT(n, Modes, 1/n)
	mix      modeMixer
	h        [][]float64 // per goroutine: 2·Modes × max(In, Out)
}

// NewSpectralConv1D returns a spectral convolution from in to out channels
// keeping modes Fourier modes, its weights named name+".re" and name+".im"
// drawn uniformly from [0, 1/(in·out)) as in Li et al.'s code.
func NewSpectralConv1D(name string, in, out, modes int, rng *rand.Rand) (*SpectralConv1D, error) {
	if in < 1 || out < 1 || modes < 1 {
		return nil, fmt.Errorf("nn: SpectralConv1D %q with %d inputs, %d outputs and %d modes; all must be positive", name, in, out, modes)
	}
	c := &SpectralConv1D{In: in, Out: out, Modes: modes, Re: NewParam(name+".re", in, out, modes), Im: NewParam(name+".im", in, out, modes)}
	initSpectral(rng, in, out, c.Re.Value, c.Im.Value)
	return c, nil
}

func initSpectral(rng *rand.Rand, in, out int, re, im []float64) {
	scale := 1 / float64(in*out)
	for i := range re {
		re[i] = scale * rng.Float64()
		im[i] = scale * rng.Float64()
	}
}

// Params returns the weights' real and imaginary parts.
func (c *SpectralConv1D) Params() []*Param { return []*Param{c.Re, c.Im} }

// CheckGrid returns an error unless the layer can run on n points.
func (c *SpectralConv1D) CheckGrid(n int) error {
	if n < 2*c.Modes {
		return fmt.Errorf("nn: spectral convolution with %d modes needs at least %d grid points, got %d; use a finer grid or fewer modes", c.Modes, 2*c.Modes, n)
	}
	return nil
}

func (c *SpectralConv1D) prepare(batch, n int) {
	if c.n != n {
		c.n = n
		c.fwd = realDFT(n, c.Modes)
		c.inv = realIDFT(n, c.Modes, 1/float64(n))
	}
	nw := runtime.GOMAXPROCS(0)
	for len(c.h) < nw {
		c.h = append(c.h, make([]float64, 2*c.Modes*max(c.In, c.Out)))
	}
	c.mix.in, c.mix.out, c.mix.modes = c.In, c.Out, c.Modes
	c.mix.prepare(batch, nw)
	c.batch = batch
}

// Forward writes the spectral convolution of x (batch×n×In) to dst
// (batch×n×Out; nil allocates) and returns it. It panics if x has the wrong
// length or n < 2·Modes (check with CheckGrid).
func (c *SpectralConv1D) Forward(dst, x []float64, batch, n int) []float64 {
	if len(x) != batch*n*c.In {
		panic(fmt.Sprintf("nn: SpectralConv1D input of length %d, want %d×%d×%d", len(x), batch, n, c.In))
	}
	if err := c.CheckGrid(n); err != nil {
		panic(err)
	}
	if dst == nil {
		dst = make([]float64, batch*n*c.Out)
	} else if len(dst) != batch*n*c.Out {
		panic("nn: SpectralConv1D output of wrong length")
	}
	c.prepare(batch, n)
	M, C, O, nw := c.Modes, c.In, c.Out, len(c.h)
	mx := &c.mix
	ParallelRange(M, nw, func(_, lo, hi int) { mx.setWeights(c.Re.Value, c.Im.Value, lo, hi) })
	ParallelRange(batch, nw, func(w, lo, hi int) {
		h := c.h[w][:2*M*C]
		for b := lo; b < hi; b++ {
			Gemm(false, false, 2*M, C, n, 1, c.fwd, n, x[b*n*C:], C, 0, h, C)
			for k := range M {
				xk := mx.x[(k*batch+b)*2*C:]
				copy(xk[:C], h[k*C:(k+1)*C])
				copy(xk[C:2*C], h[(M+k)*C:(M+k+1)*C])
			}
		}
	})
	ParallelRange(M, nw, func(_, lo, hi int) { mx.forward(batch, lo, hi) })
	ParallelRange(batch, nw, func(w, lo, hi int) {
		h := c.h[w][:2*M*O]
		for b := lo; b < hi; b++ {
			for k := range M {
				yk := mx.y[(k*batch+b)*2*O:]
				copy(h[k*O:(k+1)*O], yk[:O])
				copy(h[(M+k)*O:(M+k+1)*O], yk[O:2*O])
			}
			Gemm(false, false, n, O, 2*M, 1, c.inv, 2*M, h, O, 0, dst[b*n*O:], O)
		}
	})
	return dst
}

// Backward takes the gradient dy (batch×n×Out) of a loss with respect to
// the output of the last Forward, adds the gradients with respect to the
// weights to Re.Grad and Im.Grad, writes the gradient with respect to that
// Forward's input to dx (batch×n×In; nil allocates) and returns it. Every
// step of Forward is a real linear map, so each step of Backward is its
// transpose, in reverse order.
func (c *SpectralConv1D) Backward(dx, dy []float64, batch int) []float64 {
	n := c.n
	if batch != c.batch || len(dy) != batch*n*c.Out {
		panic(fmt.Sprintf("nn: SpectralConv1D.Backward gradient of length %d does not match the last Forward (%d×%d×%d)", len(dy), c.batch, n, c.Out))
	}
	if dx == nil {
		dx = make([]float64, batch*n*c.In)
	} else if len(dx) != batch*n*c.In {
		panic("nn: SpectralConv1D.Backward input gradient of wrong length")
	}
	M, C, O, nw := c.Modes, c.In, c.Out, len(c.h)
	mx := &c.mix
	ParallelRange(batch, nw, func(w, lo, hi int) {
		h := c.h[w][:2*M*O]
		for b := lo; b < hi; b++ {
			Gemm(true, false, 2*M, O, n, 1, c.inv, 2*M, dy[b*n*O:], O, 0, h, O)
			for k := range M {
				gk := mx.gy[(k*batch+b)*2*O:]
				copy(gk[:O], h[k*O:(k+1)*O])
				copy(gk[O:2*O], h[(M+k)*O:(M+k+1)*O])
			}
		}
	})
	ParallelRange(M, nw, func(w, lo, hi int) { mx.backward(c.Re.Grad, c.Im.Grad, mx.gw[w], batch, lo, hi) })
	ParallelRange(batch, nw, func(w, lo, hi int) {
		h := c.h[w][:2*M*C]
		for b := lo; b < hi; b++ {
			for k := range M {
				gk := mx.gx[(k*batch+b)*2*C:]
				copy(h[k*C:(k+1)*C], gk[:C])
				copy(h[(M+k)*C:(M+k+1)*C], gk[C:2*C])
			}
			Gemm(true, false, n, C, 2*M, 1, c.fwd, n, h, C, 0, dx[b*n*C:], C)
		}
	})
	return dx
}

// SpectralConv2D is the spectral convolution of a Fourier neural operator
// layer on a periodic n1×n2 grid (Li et al. 2021): the 2-D real DFT of every
// input channel (real along the second axis), the modes |k1| < Modes1
// (both signs: rows 0…Modes1−1 and n1−Modes1…n1−1) and 0 ≤ k2 < Modes2
// multiplied by a learned complex In×Out matrix per mode, and the inverse
// 2-D real DFT (numpy's rfft2/irfft2 conventions).
//
// Fields are channel-last, batch×n1×n2×C. Re and Im have shape
// In×Out×(2·Modes1)×Modes2, the positive-k1 block first. As SpectralConv1D,
// it computes only the kept modes with truncated DFT matrices (along the
// second axis one product per grid row, along the first one product per
// sample), keeps the input spectrum for Backward, splits samples and modes
// across goroutines, and must be used from one goroutine at a time.
type SpectralConv2D struct {
	In, Out, Modes1, Modes2 int
	Re, Im                  *Param

	n1, n2, batch int
	f2, b2        []float64 // realDFT(n2, Modes2) and realIDFT(n2, Modes2, 1/(n1·n2))
	g             []float64 // 2R × n1: the complex DFT along the first axis on the R = 2·Modes1 kept rows, cosines then minus sines
	a             []float64 // 2n1 × 2R: its inverse, rows 2s and 2s+1 giving the real and imaginary parts at s
	mix           modeMixer
	h, z          [][]float64 // per goroutine: n1 × 2Modes2·max(In, Out) and 2R × 2Modes2·max(In, Out)
}

// NewSpectralConv2D returns a 2-D spectral convolution from in to out
// channels keeping modes1 × modes2 modes per sign of k1, its weights
// initialised as NewSpectralConv1D's.
func NewSpectralConv2D(name string, in, out, modes1, modes2 int, rng *rand.Rand) (*SpectralConv2D, error) {
	if in < 1 || out < 1 || modes1 < 1 || modes2 < 1 {
		return nil, fmt.Errorf("nn: SpectralConv2D %q with %d inputs, %d outputs and %d×%d modes; all must be positive", name, in, out, modes1, modes2)
	}
	c := &SpectralConv2D{In: in, Out: out, Modes1: modes1, Modes2: modes2,
		Re: NewParam(name+".re", in, out, 2*modes1, modes2), Im: NewParam(name+".im", in, out, 2*modes1, modes2)}
	initSpectral(rng, in, out, c.Re.Value, c.Im.Value)
	return c, nil
}

// Params returns the weights' real and imaginary parts.
func (c *SpectralConv2D) Params() []*Param { return []*Param{c.Re, c.Im} }

// CheckGrid returns an error unless the layer can run on an n1×n2 grid.
func (c *SpectralConv2D) CheckGrid(n1, n2 int) error {
	if n1 < 2*c.Modes1 || n2 < 2*c.Modes2 {
		return fmt.Errorf("nn: spectral convolution with %d×%d modes needs at least a %d×%d grid, got %d×%d; use a finer grid or fewer modes", c.Modes1, c.Modes2, 2*c.Modes1, 2*c.Modes2, n1, n2)
	}
	return nil
}

// rowOf returns the frequency k1 (in 0…n1−1) of kept row r.
func (c *SpectralConv2D) rowOf(r int) int {
	if r < c.Modes1 {
		return r
	}
	return c.n1 - 2*c.Modes1 + r
}

func (c *SpectralConv2D) prepare(batch, n1, n2 int) {
	R, m2, P := 2*c.Modes1, c.Modes2, max(c.In, c.Out)
	if c.n1 != n1 || c.n2 != n2 {
		c.n1, c.n2 = n1, n2
		c.f2 = realDFT(n2, m2)
		c.b2 = realIDFT(n2, m2, 1/float64(n1*n2))
		c.g = make([]float64, 2*R*n1)
		c.a = make([]float64, 2*n1*2*R)
		for r := range R {
			for s := range n1 {
				sn, cs := math.Sincos(phase(c.rowOf(r), s, n1))
				c.g[r*n1+s] = cs
				c.g[(R+r)*n1+s] = -sn
				re, im := c.a[2*s*2*R:(2*s+1)*2*R], c.a[(2*s+1)*2*R:(2*s+2)*2*R]
				re[r], re[R+r] = cs, -sn
				im[r], im[R+r] = sn, cs
			}
		}
		c.h, c.z = nil, nil
	}
	nw := runtime.GOMAXPROCS(0)
	for len(c.h) < nw {
		c.h = append(c.h, make([]float64, n1*2*m2*P))
		c.z = append(c.z, make([]float64, 2*R*2*m2*P))
	}
	c.mix.in, c.mix.out, c.mix.modes = c.In, c.Out, R*m2
	c.mix.prepare(batch, nw)
	c.batch = batch
}

// Forward writes the spectral convolution of x (batch×n1×n2×In) to dst
// (batch×n1×n2×Out; nil allocates) and returns it. It panics on a wrong
// length or a grid CheckGrid refuses.
func (c *SpectralConv2D) Forward(dst, x []float64, batch, n1, n2 int) []float64 {
	if len(x) != batch*n1*n2*c.In {
		panic(fmt.Sprintf("nn: SpectralConv2D input of length %d, want %d×%d×%d×%d", len(x), batch, n1, n2, c.In))
	}
	if err := c.CheckGrid(n1, n2); err != nil {
		panic(err)
	}
	if dst == nil {
		dst = make([]float64, batch*n1*n2*c.Out)
	} else if len(dst) != batch*n1*n2*c.Out {
		panic("nn: SpectralConv2D output of wrong length")
	}
	c.prepare(batch, n1, n2)
	R, m2, C, O, nw := 2*c.Modes1, c.Modes2, c.In, c.Out, len(c.h)
	M := R * m2
	mx := &c.mix
	ParallelRange(M, nw, func(_, lo, hi int) { mx.setWeights(c.Re.Value, c.Im.Value, lo, hi) })
	ParallelRange(batch, nw, func(w, lo, hi int) {
		P := 2 * m2 * C
		h, z := c.h[w][:n1*P], c.z[w][:2*R*P]
		for b := lo; b < hi; b++ {
			// Row s of h is [Re | Im] of the DFT along the second axis,
			// each m2 × C.
			for s := range n1 {
				Gemm(false, false, 2*m2, C, n2, 1, c.f2, n2, x[(b*n1+s)*n2*C:], C, 0, h[s*P:], C)
			}
			// z = [cos; −sin]·h; the complex product along the first
			// axis is Re = cos·Re h + sin·Im h, Im = cos·Im h − sin·Re h.
			Gemm(false, false, 2*R, P, n1, 1, c.g, n1, h, P, 0, z, P)
			for r := range R {
				zc, zs := z[r*P:(r+1)*P], z[(R+r)*P:(R+r+1)*P]
				for k2 := range m2 {
					xk := mx.x[((r*m2+k2)*batch+b)*2*C:]
					re, im := xk[:C], xk[C:2*C]
					lo, hi := k2*C, m2*C+k2*C
					for ch := range C {
						re[ch] = zc[lo+ch] - zs[hi+ch]
						im[ch] = zc[hi+ch] + zs[lo+ch]
					}
				}
			}
		}
	})
	ParallelRange(M, nw, func(_, lo, hi int) { mx.forward(batch, lo, hi) })
	ParallelRange(batch, nw, func(w, lo, hi int) {
		Q := m2 * O
		v, ys := c.h[w][:2*n1*Q], c.z[w][:2*R*Q]
		for b := lo; b < hi; b++ {
			for r := range R {
				for k2 := range m2 {
					yk := mx.y[((r*m2+k2)*batch+b)*2*O:]
					copy(ys[r*Q+k2*O:r*Q+(k2+1)*O], yk[:O])
					copy(ys[(R+r)*Q+k2*O:(R+r)*Q+(k2+1)*O], yk[O:2*O])
				}
			}
			Gemm(false, false, 2*n1, Q, 2*R, 1, c.a, 2*R, ys, Q, 0, v, Q)
			for s := range n1 {
				Gemm(false, false, n2, O, 2*m2, 1, c.b2, 2*m2, v[2*s*Q:], O, 0, dst[(b*n1+s)*n2*O:], O)
			}
		}
	})
	return dst
}

// Backward is SpectralConv1D.Backward for the 2-D layer: it adds the
// weight gradients to Re.Grad and Im.Grad and writes the gradient with
// respect to the last Forward's input to dx (nil allocates), applying the
// transpose of each of Forward's real linear steps in reverse order.
func (c *SpectralConv2D) Backward(dx, dy []float64, batch int) []float64 {
	n1, n2 := c.n1, c.n2
	if batch != c.batch || len(dy) != batch*n1*n2*c.Out {
		panic(fmt.Sprintf("nn: SpectralConv2D.Backward gradient of length %d does not match the last Forward (%d×%d×%d×%d)", len(dy), c.batch, n1, n2, c.Out))
	}
	if dx == nil {
		dx = make([]float64, batch*n1*n2*c.In)
	} else if len(dx) != batch*n1*n2*c.In {
		panic("nn: SpectralConv2D.Backward input gradient of wrong length")
	}
	R, m2, C, O, nw := 2*c.Modes1, c.Modes2, c.In, c.Out, len(c.h)
	M := R * m2
	mx := &c.mix
	ParallelRange(batch, nw, func(w, lo, hi int) {
		Q := m2 * O
		v, ys := c.h[w][:2*n1*Q], c.z[w][:2*R*Q]
		for b := lo; b < hi; b++ {
			for s := range n1 {
				Gemm(true, false, 2*m2, O, n2, 1, c.b2, 2*m2, dy[(b*n1+s)*n2*O:], O, 0, v[2*s*Q:], O)
			}
			Gemm(true, false, 2*R, Q, 2*n1, 1, c.a, 2*R, v, Q, 0, ys, Q)
			for r := range R {
				for k2 := range m2 {
					gk := mx.gy[((r*m2+k2)*batch+b)*2*O:]
					copy(gk[:O], ys[r*Q+k2*O:r*Q+(k2+1)*O])
					copy(gk[O:2*O], ys[(R+r)*Q+k2*O:(R+r)*Q+(k2+1)*O])
				}
			}
		}
	})
	ParallelRange(M, nw, func(w, lo, hi int) { mx.backward(c.Re.Grad, c.Im.Grad, mx.gw[w], batch, lo, hi) })
	ParallelRange(batch, nw, func(w, lo, hi int) {
		P := 2 * m2 * C
		h, z := c.h[w][:n1*P], c.z[w][:2*R*P]
		for b := lo; b < hi; b++ {
			for r := range R {
				zc, zs := z[r*P:(r+1)*P], z[(R+r)*P:(R+r+1)*P]
				for k2 := range m2 {
					gk := mx.gx[((r*m2+k2)*batch+b)*2*C:]
					re, im := gk[:C], gk[C:2*C]
					lo, hi := k2*C, m2*C+k2*C
					for ch := range C {
						zc[lo+ch], zs[hi+ch] = re[ch], -re[ch]
						zc[hi+ch], zs[lo+ch] = im[ch], im[ch]
					}
				}
			}
			Gemm(true, false, n1, P, 2*R, 1, c.g, n1, z, P, 0, h, P)
			for s := range n1 {
				Gemm(true, false, n2, C, 2*m2, 1, c.f2, n2, h[s*P:], C, 0, dx[(b*n1+s)*n2*C:], C)
			}
		}
	})
	return dx
}
