package nn

import (
	"math"
	"sync"
)

// The spectral convolutions keep only the lowest modes, so instead of full
// FFTs they apply truncated DFTs as real matrices: a real DFT of length n
// keeping m modes is a 2m×n matrix (cosine rows, then minus-sine rows), and
// its adjoint and the truncated inverse are its transposes and a scaled
// n×2m matrix. With fields channel-last, every transform of a sample is one
// matrix product over all its channels, the per-mode weights mix the whole
// batch in one product per mode, and the backward pass is the transpose of
// each product. At the FNO's sizes (16 of 256 modes; 12 per sign of 52²)
// this is more arithmetic than an FFT but runs in Gemm's kernel: replacing
// the FFTs (gonum's FFTPACK at 52, which is no power of two) cut the CPU
// time of an FNO-2D training step at 47² padded to 52² by about a quarter
// with gonum's own GEMM, before Gemm had its AVX2 kernel, and left FNO-1D
// at 256 points (radix-4 FFT) about even (go test ./fno -bench Epoch).

// phase returns 2π·(k·t mod n)/n, reduced before the multiplication by 2π
// so that large products lose no accuracy.
func phase(k, t, n int) float64 {
	return 2 * math.Pi * float64((k*t)%n) / float64(n)
}

// realDFT returns the 2m×n matrix of the truncated real DFT: row k is
// cos(2πkt/n) and row m+k is −sin(2πkt/n), so that F·x holds Re X_k and
// Im X_k of X_k = Σ_t x_t e^{−2πikt/n}, k < m.
func realDFT(n, m int) []float64 {
	f := make([]float64, 2*m*n)
	for k := range m {
		for t := range n {
			s, c := math.Sincos(phase(k, t, n))
			f[k*n+t] = c
			f[(m+k)*n+t] = -s
		}
	}
	return f
}

// realIDFT returns the n×2m matrix B with B·[Re Y; Im Y] =
// scale·(Re Y₀ + 2 Σ_{0<k<m} Re(Y_k e^{2πikt/n})), the inverse real DFT
// (numpy's irfft times n·scale) of a spectrum zero beyond mode m.
func realIDFT(n, m int, scale float64) []float64 {
	b := make([]float64, n*2*m)
	for t := range n {
		for k := range m {
			w := 2 * scale
			if k == 0 {
				w = scale
			}
			s, c := math.Sincos(phase(k, t, n))
			b[t*2*m+k] = w * c
			b[t*2*m+m+k] = -w * s
		}
	}
	return b
}

// modeMixer multiplies, for every kept mode k, the batch's spectra X_k
// (batch × In, complex) by the complex In×Out weight matrix W_k. Complex
// products are real products of twice the size: with x = [Re X | Im X]
// and Ŵ = [[Re W, Im W], [−Im W, Re W]] (2In×2Out), x·Ŵ = [Re Y | Im Y].
// Spectra are stored mode-major, modes × batch × 2·channels.
type modeMixer struct {
	in, out, modes int
	w, wt          []float64 // Ŵ (modes × 2in × 2out) and Ŵᵀ, rebuilt from the Params every Forward
	x, gx          []float64 // modes × batch × 2in: the forward input (kept for Backward), its gradient
	y, gy          []float64 // modes × batch × 2out
	gw             [][]float64
}

func (mx *modeMixer) prepare(batch, workers int) {
	mx.w = grow(mx.w, mx.modes*4*mx.in*mx.out)
	mx.wt = grow(mx.wt, mx.modes*4*mx.in*mx.out)
	mx.x = grow(mx.x, mx.modes*batch*2*mx.in)
	mx.gx = grow(mx.gx, mx.modes*batch*2*mx.in)
	mx.y = grow(mx.y, mx.modes*batch*2*mx.out)
	mx.gy = grow(mx.gy, mx.modes*batch*2*mx.out)
	for len(mx.gw) < workers {
		mx.gw = append(mx.gw, make([]float64, 4*mx.in*mx.out))
	}
}

func grow(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}

// setWeights builds Ŵ_k and its transpose for the modes [lo, hi) from re
// and im (in × out × modes). The modes go in blocks of eight, so that each
// cache line of re and im is read once.
func (mx *modeMixer) setWeights(re, im []float64, lo, hi int) {
	in, out, M := mx.in, mx.out, mx.modes
	size := 4 * in * out
	for k0 := lo; k0 < hi; k0 += 8 {
		k1 := min(k0+8, hi)
		for i := range in {
			for o := range out {
				src := (i*out + o) * M
				for k := k0; k < k1; k++ {
					r, m := re[src+k], im[src+k]
					w, wt := mx.w[k*size:(k+1)*size], mx.wt[k*size:(k+1)*size]
					w[i*2*out+o], w[i*2*out+out+o] = r, m
					w[(in+i)*2*out+o], w[(in+i)*2*out+out+o] = -m, r
					wt[o*2*in+i], wt[(out+o)*2*in+i] = r, m
					wt[o*2*in+in+i], wt[(out+o)*2*in+in+i] = -m, r
				}
			}
		}
	}
}

// forward sets y_k = x_k·Ŵ_k for the modes [lo, hi).
func (mx *modeMixer) forward(batch, lo, hi int) {
	a, c := 2*mx.in, 2*mx.out
	for k := lo; k < hi; k++ {
		Gemm(false, false, batch, c, a, 1, mx.x[k*batch*a:], a, mx.w[k*a*c:], c, 0, mx.y[k*batch*c:], c)
	}
}

// backward sets gx_k = gy_k·Ŵ_kᵀ for the modes [lo, hi) and adds the
// weight gradient x_kᵀ·gy_k, folded back to the real and imaginary parts,
// to gRe and gIm; scratch is a 2in×2out workspace.
func (mx *modeMixer) backward(gRe, gIm, scratch []float64, batch, lo, hi int) {
	in, out, M := mx.in, mx.out, mx.modes
	a, c := 2*in, 2*out
	for k := lo; k < hi; k++ {
		gy := mx.gy[k*batch*c:]
		Gemm(false, false, batch, a, c, 1, gy, c, mx.wt[k*a*c:], a, 0, mx.gx[k*batch*a:], a)
		Gemm(true, false, a, c, batch, 1, mx.x[k*batch*a:], a, gy, c, 0, scratch, c)
		// Re W enters Ŵ at (i, o) and (in+i, out+o), Im W at (i, out+o)
		// and, negated, at (in+i, o).
		for i := range in {
			top := scratch[i*c : (i+1)*c]
			bot := scratch[(in+i)*c : (in+i+1)*c]
			for o := range out {
				gRe[(i*out+o)*M+k] += top[o] + bot[out+o]
				gIm[(i*out+o)*M+k] += top[out+o] - bot[o]
			}
		}
	}
}

// ParallelRange runs f(w, lo, hi) on min(workers, n) goroutines over
// contiguous blocks of [0, n) and returns how many it used (0 when n is 0;
// one runs on the calling goroutine).
func ParallelRange(n, workers int, f func(w, lo, hi int)) int {
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
