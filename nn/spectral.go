package nn

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"

	"github.com/neuralpde/neuralpde/operators"
	"gonum.org/v1/gonum/dsp/fourier"
)

// SpectralConv1D is the spectral convolution of a Fourier neural operator
// layer on a periodic 1-D grid (Li et al., "Fourier Neural Operator for
// Parametric Partial Differential Equations", ICLR 2021, eq. 4–5): the real
// FFT of every input channel, the lowest Modes coefficients multiplied by a
// learned complex In×Out matrix per mode, and the inverse real FFT of every
// output channel (numpy's rfft/irfft conventions, as torch.fft).
//
// Fields are channel-last: a batch of B samples on n points with C channels
// is the row-major B×n×C array. The weights are complex; Re and Im hold
// their real and imaginary parts, shape In×Out×Modes. Because they act on
// Fourier modes, the same weights apply on any grid with n ≥ 2·Modes
// points (zero-shot super-resolution).
//
// Forward keeps the input spectrum for Backward, which uses it for the
// gradients of both Re and Im; Backward's adjoints are derived by hand
// (see the comments in backwardSample). The batch is split across
// GOMAXPROCS goroutines, each with its own FFT plan. A SpectralConv1D holds
// workspaces: use it from one goroutine at a time.
type SpectralConv1D struct {
	In, Out, Modes int
	Re, Im         *Param

	n, batch int
	xhat     []complex128 // batch × In × Modes, the last Forward's input spectrum
	workers  []*spectralWorker1D
}

// spectralWorker1D is one goroutine's plan, buffers and weight-gradient
// accumulators.
type spectralWorker1D struct {
	plan     *operators.Fourier
	seq      []float64
	coef     []complex128
	y        []complex128 // Out × Modes (forward) or In × Modes (backward)
	gy       []complex128 // Out × Modes
	gRe, gIm []float64
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
	if c.n == n && c.batch >= batch && c.workers != nil {
		return
	}
	if c.n != n || c.workers == nil {
		nw := runtime.GOMAXPROCS(0)
		c.workers = make([]*spectralWorker1D, nw)
		for w := range c.workers {
			c.workers[w] = &spectralWorker1D{
				plan: operators.NewFourier(n, 1),
				seq:  make([]float64, n),
				coef: make([]complex128, n/2+1),
				y:    make([]complex128, max(c.In, c.Out)*c.Modes),
				gy:   make([]complex128, c.Out*c.Modes),
				gRe:  make([]float64, len(c.Re.Value)),
				gIm:  make([]float64, len(c.Im.Value)),
			}
		}
	}
	c.n = n
	if c.batch < batch {
		c.batch = batch
		c.xhat = make([]complex128, batch*c.In*c.Modes)
	}
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
	parallelSamples(batch, len(c.workers), func(w, lo, hi int) {
		wk := c.workers[w]
		for b := lo; b < hi; b++ {
			c.forwardSample(wk, dst, x, b)
		}
	})
	return dst
}

func (c *SpectralConv1D) forwardSample(wk *spectralWorker1D, dst, x []float64, b int) {
	n, m, in, out := c.n, c.Modes, c.In, c.Out
	xh := c.xhat[b*in*m : (b+1)*in*m]
	for i := range in {
		for t := range n {
			wk.seq[t] = x[(b*n+t)*in+i]
		}
		wk.plan.Forward(wk.coef, wk.seq)
		copy(xh[i*m:(i+1)*m], wk.coef[:m])
	}
	y := wk.y[:out*m]
	mix(y, xh, c.Re.Value, c.Im.Value, in, out, m)
	clear(wk.coef)
	for o := range out {
		copy(wk.coef[:m], y[o*m:(o+1)*m])
		wk.plan.Inverse(wk.seq, wk.coef)
		for t := range n {
			dst[(b*n+t)*out+o] = wk.seq[t]
		}
	}
}

// Backward takes the gradient dy (batch×n×Out) of a loss with respect to
// the output of the last Forward, adds the gradients with respect to the
// weights to Re.Grad and Im.Grad, writes the gradient with respect to that
// Forward's input to dx (batch×n×In; nil allocates) and returns it.
func (c *SpectralConv1D) Backward(dx, dy []float64, batch int) []float64 {
	n := c.n
	if batch > c.batch || len(dy) != batch*n*c.Out {
		panic(fmt.Sprintf("nn: SpectralConv1D.Backward gradient of length %d does not match the last Forward (%d×%d×%d)", len(dy), batch, n, c.Out))
	}
	if dx == nil {
		dx = make([]float64, batch*n*c.In)
	} else if len(dx) != batch*n*c.In {
		panic("nn: SpectralConv1D.Backward input gradient of wrong length")
	}
	for _, wk := range c.workers {
		clear(wk.gRe)
		clear(wk.gIm)
	}
	used := parallelSamples(batch, len(c.workers), func(w, lo, hi int) {
		wk := c.workers[w]
		for b := lo; b < hi; b++ {
			c.backwardSample(wk, dx, dy, b)
		}
	})
	for _, wk := range c.workers[:used] {
		addTo(c.Re.Grad, wk.gRe)
		addTo(c.Im.Grad, wk.gIm)
	}
	return dx
}

// backwardSample is the adjoint of forwardSample for sample b. With
// y = irfft(Y) restricted to k < m ≤ n/2, y_t = (1/n)(Re Y₀ + 2 Σ_{k≥1}
// Re(Y_k e^{2πikt/n})), so ∂L/∂Y_k (as ∂/∂Re + i ∂/∂Im) = (c_k/n) G_k with
// G = rfft(∂L/∂y), c₀ = 1, c_k = 2. For Y_k = Σᵢ X_ik W_iok,
// ∂L/∂W_iok = conj(X_ik) ∂L/∂Y_ok and ∂L/∂X_ik = Σₒ conj(W_iok) ∂L/∂Y_ok.
// With X = rfft(x), ∂L/∂x_t = Re Σ_k ∂L/∂X_k e^{2πikt/n}, which is
// n·irfft(Z) for Z₀ = ∂L/∂X₀ and Z_k = ∂L/∂X_k / 2.
func (c *SpectralConv1D) backwardSample(wk *spectralWorker1D, dx, dy []float64, b int) {
	n, m, in, out := c.n, c.Modes, c.In, c.Out
	fn := float64(n)
	gy := wk.gy
	for o := range out {
		for t := range n {
			wk.seq[t] = dy[(b*n+t)*out+o]
		}
		wk.plan.Forward(wk.coef, wk.seq)
		gy[o*m] = wk.coef[0] / complex(fn, 0)
		for k := 1; k < m; k++ {
			gy[o*m+k] = wk.coef[k] * complex(2/fn, 0)
		}
	}
	xh := c.xhat[b*in*m : (b+1)*in*m]
	gx := wk.y[:in*m]
	mixAdjoint(gx, wk.gRe, wk.gIm, xh, gy, c.Re.Value, c.Im.Value, in, out, m)
	clear(wk.coef)
	for i := range in {
		wk.coef[0] = gx[i*m] * complex(fn, 0)
		for k := 1; k < m; k++ {
			wk.coef[k] = gx[i*m+k] * complex(fn/2, 0)
		}
		wk.plan.Inverse(wk.seq, wk.coef)
		for t := range n {
			dx[(b*n+t)*in+i] = wk.seq[t]
		}
	}
}

// SpectralConv2D is the spectral convolution of a Fourier neural operator
// layer on a periodic n1×n2 grid (Li et al. 2021): the 2-D real FFT of every
// input channel (real along the second axis), the modes |k1| < Modes1
// (both signs: rows 0…Modes1−1 and n1−Modes1…n1−1) and 0 ≤ k2 < Modes2
// multiplied by a learned complex In×Out matrix per mode, and the inverse
// 2-D real FFT (numpy's rfft2/irfft2 conventions).
//
// Fields are channel-last, batch×n1×n2×C. Re and Im have shape
// In×Out×(2·Modes1)×Modes2, the positive-k1 block first. As SpectralConv1D,
// it keeps the input spectrum for Backward, splits the batch across
// goroutines with one set of FFT plans each, and must be used from one
// goroutine at a time.
type SpectralConv2D struct {
	In, Out, Modes1, Modes2 int
	Re, Im                  *Param

	n1, n2, batch int
	xhat          []complex128 // batch × In × 2Modes1 × Modes2
	workers       []*spectralWorker2D
}

type spectralWorker2D struct {
	row      *operators.Fourier
	col      *fourier.CmplxFFT
	seq      []float64
	coef     []complex128
	colBuf   []complex128
	colOut   []complex128
	half     []complex128 // n1 × Modes2
	y        []complex128 // max(In, Out) × 2Modes1 × Modes2
	gy       []complex128 // Out × 2Modes1 × Modes2
	gRe, gIm []float64
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

// rowOf returns the FFT row index k1 of kept row r.
func (c *SpectralConv2D) rowOf(r int) int {
	if r < c.Modes1 {
		return r
	}
	return c.n1 - 2*c.Modes1 + r
}

func (c *SpectralConv2D) prepare(batch, n1, n2 int) {
	modes := 2 * c.Modes1 * c.Modes2
	if c.n1 != n1 || c.n2 != n2 || c.workers == nil {
		nw := runtime.GOMAXPROCS(0)
		c.workers = make([]*spectralWorker2D, nw)
		for w := range c.workers {
			c.workers[w] = &spectralWorker2D{
				row:    operators.NewFourier(n2, 1),
				col:    fourier.NewCmplxFFT(n1),
				seq:    make([]float64, n2),
				coef:   make([]complex128, n2/2+1),
				colBuf: make([]complex128, n1),
				colOut: make([]complex128, n1),
				half:   make([]complex128, n1*c.Modes2),
				y:      make([]complex128, max(c.In, c.Out)*modes),
				gy:     make([]complex128, c.Out*modes),
				gRe:    make([]float64, len(c.Re.Value)),
				gIm:    make([]float64, len(c.Im.Value)),
			}
		}
		c.n1, c.n2 = n1, n2
	}
	if c.batch < batch {
		c.batch = batch
		c.xhat = make([]complex128, batch*c.In*modes)
	}
}

// rfft2 writes the kept modes of the 2-D real FFT of channel ch of sample
// b of the channel-last field f (C channels) to dst (2Modes1 × Modes2).
func (c *SpectralConv2D) rfft2(wk *spectralWorker2D, dst []complex128, f []float64, b, ch, C int) {
	n1, n2, m2 := c.n1, c.n2, c.Modes2
	for s := range n1 {
		base := (b*n1 + s) * n2
		for t := range n2 {
			wk.seq[t] = f[(base+t)*C+ch]
		}
		wk.row.Forward(wk.coef, wk.seq)
		copy(wk.half[s*m2:(s+1)*m2], wk.coef[:m2])
	}
	for k2 := range m2 {
		for s := range n1 {
			wk.colBuf[s] = wk.half[s*m2+k2]
		}
		wk.col.Coefficients(wk.colOut, wk.colBuf)
		for r := range 2 * c.Modes1 {
			dst[r*m2+k2] = wk.colOut[c.rowOf(r)]
		}
	}
}

// irfft2 writes scale·Re Σ_{kept k1, k2} w_{k2} Z[k1,k2] e^{2πi(k1 s/n1 + k2 t/n2)}
// into channel ch of sample b of the channel-last field f (C channels),
// where w₀ = 1/n2 and w_{k2} = 2/n2 (the inverse real FFT along the
// second axis, whose coefficient 0 enters by its real part).
func (c *SpectralConv2D) irfft2(wk *spectralWorker2D, f []float64, z []complex128, b, ch, C int, scale float64) {
	n1, n2, m2 := c.n1, c.n2, c.Modes2
	for k2 := range m2 {
		clear(wk.colBuf)
		for r := range 2 * c.Modes1 {
			wk.colBuf[c.rowOf(r)] = z[r*m2+k2]
		}
		wk.col.Sequence(wk.colOut, wk.colBuf)
		for s := range n1 {
			wk.half[s*m2+k2] = wk.colOut[s]
		}
	}
	clear(wk.coef)
	for s := range n1 {
		copy(wk.coef[:m2], wk.half[s*m2:(s+1)*m2])
		wk.row.Inverse(wk.seq, wk.coef)
		base := (b*n1 + s) * n2
		for t := range n2 {
			f[(base+t)*C+ch] = scale * wk.seq[t]
		}
	}
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
	M := 2 * c.Modes1 * c.Modes2
	parallelSamples(batch, len(c.workers), func(w, lo, hi int) {
		wk := c.workers[w]
		for b := lo; b < hi; b++ {
			xh := c.xhat[b*c.In*M : (b+1)*c.In*M]
			for i := range c.In {
				c.rfft2(wk, xh[i*M:(i+1)*M], x, b, i, c.In)
			}
			y := wk.y[:c.Out*M]
			mix(y, xh, c.Re.Value, c.Im.Value, c.In, c.Out, M)
			for o := range c.Out {
				c.irfft2(wk, dst, y[o*M:(o+1)*M], b, o, c.Out, 1/float64(n1))
			}
		}
	})
	return dst
}

// mix sets y[o,k] = Σᵢ x[i,k] (re + i·im)[i,o,k].
func mix(y, x []complex128, re, im []float64, in, out, M int) {
	clear(y)
	for i := range in {
		xi := x[i*M : (i+1)*M]
		for o := range out {
			w0 := (i*out + o) * M
			yo := y[o*M : (o+1)*M]
			for k, xv := range xi {
				yo[k] += xv * complex(re[w0+k], im[w0+k])
			}
		}
	}
}

// Backward is SpectralConv1D.Backward for the 2-D layer: it adds the
// weight gradients to Re.Grad and Im.Grad and writes the gradient with
// respect to the last Forward's input to dx (nil allocates). The adjoints
// are those of the 1-D layer with the complex FFT along the first axis:
// ∂L/∂Y = (c_{k2}/(n1 n2)) rfft2(∂L/∂y) on the kept modes, and
// ∂L/∂x = Re Σ ∂L/∂X e^{2πi(k1 s/n1 + k2 t/n2)}.
func (c *SpectralConv2D) Backward(dx, dy []float64, batch int) []float64 {
	n1, n2 := c.n1, c.n2
	if batch > c.batch || len(dy) != batch*n1*n2*c.Out {
		panic(fmt.Sprintf("nn: SpectralConv2D.Backward gradient of length %d does not match the last Forward (%d×%d×%d×%d)", len(dy), batch, n1, n2, c.Out))
	}
	if dx == nil {
		dx = make([]float64, batch*n1*n2*c.In)
	} else if len(dx) != batch*n1*n2*c.In {
		panic("nn: SpectralConv2D.Backward input gradient of wrong length")
	}
	for _, wk := range c.workers {
		clear(wk.gRe)
		clear(wk.gIm)
	}
	M, m2 := 2*c.Modes1*c.Modes2, c.Modes2
	norm := 1 / float64(n1*n2)
	used := parallelSamples(batch, len(c.workers), func(w, lo, hi int) {
		wk := c.workers[w]
		for b := lo; b < hi; b++ {
			gy := wk.gy
			for o := range c.Out {
				g := gy[o*M : (o+1)*M]
				c.rfft2(wk, g, dy, b, o, c.Out)
				for k := range g {
					if k%m2 == 0 {
						g[k] *= complex(norm, 0)
					} else {
						g[k] *= complex(2*norm, 0)
					}
				}
			}
			xh := c.xhat[b*c.In*M : (b+1)*c.In*M]
			gx := wk.y[:c.In*M]
			mixAdjoint(gx, wk.gRe, wk.gIm, xh, gy, c.Re.Value, c.Im.Value, c.In, c.Out, M)
			// irfft2 applies w_{k2} = 1/n2 or 2/n2; ∂L/∂x needs weight 1 on
			// every mode, so scale by n2 and halve k2 ≥ 1 modes.
			for i := range c.In {
				z := gx[i*M : (i+1)*M]
				for k := range z {
					if k%m2 != 0 {
						z[k] /= 2
					}
				}
				c.irfft2(wk, dx, z, b, i, c.In, float64(n2))
			}
		}
	})
	for _, wk := range c.workers[:used] {
		addTo(c.Re.Grad, wk.gRe)
		addTo(c.Im.Grad, wk.gIm)
	}
	return dx
}

// mixAdjoint sets gx[i,k] = Σₒ conj(w[i,o,k]) gy[o,k] and adds
// conj(x[i,k]) gy[o,k] to (gRe + i·gIm)[i,o,k].
func mixAdjoint(gx []complex128, gRe, gIm []float64, x, gy []complex128, re, im []float64, in, out, M int) {
	clear(gx)
	for i := range in {
		xi := x[i*M : (i+1)*M]
		gxi := gx[i*M : (i+1)*M]
		for o := range out {
			w0 := (i*out + o) * M
			gyo := gy[o*M : (o+1)*M]
			for k, g := range gyo {
				xc := xi[k]
				gRe[w0+k] += real(xc)*real(g) + imag(xc)*imag(g)
				gIm[w0+k] += real(xc)*imag(g) - imag(xc)*real(g)
				wr, wi := re[w0+k], im[w0+k]
				gxi[k] += complex(wr*real(g)+wi*imag(g), wr*imag(g)-wi*real(g))
			}
		}
	}
}

func addTo(dst, src []float64) {
	for i, v := range src {
		dst[i] += v
	}
}

// parallelSamples runs f(w, lo, hi) on at most workers goroutines over
// contiguous blocks of [0, n) and returns how many it used.
func parallelSamples(n, workers int, f func(w, lo, hi int)) int {
	nw := min(workers, n)
	if nw <= 1 {
		if n > 0 {
			f(0, 0, n)
		}
		return min(n, 1)
	}
	var wg sync.WaitGroup
	for w := range nw {
		lo, hi := w*n/nw, (w+1)*n/nw
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(w, lo, hi)
		}()
	}
	wg.Wait()
	return nw
}
