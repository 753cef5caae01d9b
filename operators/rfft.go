package operators

import (
	"math"
	"math/bits"

	"gonum.org/v1/gonum/dsp/fourier"
)

// rfft is a real FFT of length n with numpy's rfft/irfft layout (n/2+1
// coefficients). For power-of-two n ≥ 8 it is the radix-4 transform below,
// several times faster than gonum's FFTPACK port; other lengths go through
// gonum's dsp/fourier. It holds a workspace: one per goroutine.
type rfft struct {
	n   int
	r4  *radix4
	gen *fourier.FFT
}

func newRFFT(n int) *rfft {
	if n >= 8 && isPow2(n) {
		return &rfft{n: n, r4: newRadix4(n)}
	}
	return &rfft{n: n, gen: fourier.NewFFT(n)}
}

func isPow2(n int) bool { return n > 0 && n&(n-1) == 0 }

// forward writes the n/2+1 coefficients Σ_m u_m e^{−2πijm/n} into dst.
func (f *rfft) forward(dst []complex128, u []float64) {
	if f.r4 != nil {
		f.r4.forward(dst, u)
		return
	}
	f.gen.Coefficients(dst, u)
}

// inverse writes the n samples scale·Σ_j c_j e^{2πijm/n} of the real
// sequence with coefficients c (summed over ±j) into dst; scale = 1/n is
// numpy's irfft. The imaginary parts of c_0 and, for even n, c_{n/2} are
// ignored. c is not modified.
func (f *rfft) inverse(dst []float64, c []complex128, scale float64) {
	if f.r4 != nil {
		f.r4.inverse(dst, c, scale)
		return
	}
	f.gen.Sequence(dst, c)
	if scale != 1 {
		for i := range dst {
			dst[i] *= scale
		}
	}
}

// rmul returns r·z for real r with two multiplications.
func rmul(r float64, z complex128) complex128 { return complex(r*real(z), r*imag(z)) }

// mulI returns sgn·(−i)·x: −i·x for sgn = 1 (forward), i·x for sgn = −1.
func mulI(x complex128, sgn float64) complex128 {
	return complex(sgn*imag(x), -sgn*real(x))
}

// radix4 is a real FFT for a power-of-two length n ≥ 8 with numpy's
// rfft/irfft layout. The pseudo-spectral right-hand sides spend nearly all
// their time in FFTs, and gonum's FFTPACK port takes 4–5 times longer per
// transform than this radix-4 transform with contiguous per-pass twiddles.
// The real transform is a complex transform of length n/2 on
// z_m = x_{2m} + i x_{2m+1} followed by the usual split into even and odd
// parts (W. H. Press et al., "Numerical Recipes", 3rd ed., CUP 2007,
// §12.3); the complex transform is decimation in time with radix-4 passes
// (C. Van Loan, "Computational Frameworks for the Fast Fourier Transform",
// SIAM 1992, §2.2).
//
// It holds a workspace: one per goroutine.
type radix4 struct {
	n, h int
	rev  []int32
	// radix2 says whether log₂(n/2) is odd: the first pass is then a
	// fused length-8 butterfly rather than a length-4 one; the remaining
	// passes are radix 4.
	radix2 bool
	// twf and twb hold the twiddles of the radix-4 passes, forward
	// (e^{−2πij/s}) and backward (e^{+2πij/s}): for each pass of length s
	// the triples (w^j, w^{2j}, w^{3j}), j < s/4.
	twf, twb []complex128
	// split[k] = e^{−2πik/n}, k ≤ h/2, for the even/odd split.
	split []complex128
	z     []complex128
}

func newRadix4(n int) *radix4 {
	if n < 8 || !isPow2(n) {
		panic("operators: radix4 needs a power-of-two length ≥ 8")
	}
	h := n / 2
	f := &radix4{n: n, h: h, rev: make([]int32, h), z: make([]complex128, h)}
	lg := bits.TrailingZeros(uint(h))
	for i := range f.rev {
		f.rev[i] = int32(bits.Reverse32(uint32(i)) >> (32 - lg))
	}
	tw := func(j, s int) (fw, bw complex128) {
		sn, cs := math.Sincos(2 * math.Pi * float64(j) / float64(s))
		return complex(cs, -sn), complex(cs, sn)
	}
	size := 4
	if lg%2 == 1 {
		f.radix2 = true
		size = 8
	}
	for s := size * 4; s <= h; s *= 4 {
		for j := 0; j < s/4; j++ {
			for p := 1; p <= 3; p++ {
				a, b := tw(p*j, s)
				f.twf = append(f.twf, a)
				f.twb = append(f.twb, b)
			}
		}
	}
	f.split = make([]complex128, h/2+1)
	for k := range f.split {
		sn, cs := math.Sincos(2 * math.Pi * float64(k) / float64(n))
		f.split[k] = complex(cs, -sn)
	}
	return f
}

// cfft transforms x (length h) in place by decimation in time: forward
// with e^{−2πijk/h} when tw is twf, backward with twb; unnormalised. x must
// hold the input in bit-reversed order, unless src is not nil: then the
// input is z_m = src[2m] + i·src[2m+1], read directly by the first pass.
func (f *radix4) cfft(x []complex128, src []float64, tw []complex128, forward bool) {
	h := f.h
	sgn := 1.0
	if !forward {
		sgn = -1
	}
	size := 4
	if f.radix2 {
		// The first three stages fused into length-8 butterflies, with
		// twiddles ±1, ∓i and (±1∓i)/√2.
		const r = 1 / math.Sqrt2
		var v [8]complex128
		for s := 0; s+8 <= h; s += 8 {
			b := x[s : s+8 : s+8]
			f.load(v[:], b, src, s)
			a0, a1 := v[0]+v[1], v[0]-v[1]
			a2, a3 := v[2]+v[3], v[2]-v[3]
			a4, a5 := v[4]+v[5], v[4]-v[5]
			a6, a7 := v[6]+v[7], v[6]-v[7]
			b0, b2 := a0+a2, a0-a2
			t := mulI(a3, sgn)
			b1, b3 := a1+t, a1-t
			b4, b6 := a4+a6, a4-a6
			t = mulI(a7, sgn)
			b5, b7 := a5+t, a5-t
			b[0], b[4] = b0+b4, b0-b4
			t = rmul(r, b5+mulI(b5, sgn))
			b[1], b[5] = b1+t, b1-t
			t = mulI(b6, sgn)
			b[2], b[6] = b2+t, b2-t
			t = mulI(rmul(r, b7+mulI(b7, sgn)), sgn)
			b[3], b[7] = b3+t, b3-t
		}
		size = 8
	} else {
		// The first two stages fused: twiddles 1 and ∓i.
		var v [4]complex128
		for s := 0; s+4 <= h; s += 4 {
			b := x[s : s+4 : s+4]
			f.load(v[:], b, src, s)
			a0, a1 := v[0]+v[1], v[0]-v[1]
			b0, b1 := v[2]+v[3], mulI(v[2]-v[3], sgn)
			b[0], b[2] = a0+b0, a0-b0
			b[1], b[3] = a1+b1, a1-b1
		}
	}
	off := 0
	// Radix-4 passes: two radix-2 stages at once, with w^{2j} = (w^j)² so
	// that four points take three twiddle products.
	for q := size; q < h; q *= 4 {
		s := 4 * q
		w := tw[off : off+3*q : off+3*q]
		for start := 0; start < h; start += s {
			x0s := x[start : start+q : start+q]
			x1s := x[start+q : start+2*q : start+2*q]
			x2s := x[start+2*q : start+3*q : start+3*q]
			x3s := x[start+3*q : start+4*q : start+4*q]
			for j := range x0s {
				wt := w[3*j : 3*j+3 : 3*j+3]
				x0 := x0s[j]
				t1 := x1s[j] * wt[1]
				t2 := x2s[j] * wt[0]
				t3 := x3s[j] * wt[2]
				a0, a1 := x0+t1, x0-t1
				p, m := t2+t3, mulI(t2-t3, sgn)
				x0s[j] = a0 + p
				x2s[j] = a0 - p
				x1s[j] = a1 + m
				x3s[j] = a1 - m
			}
		}
		off += 3 * q
	}
}

// load reads the inputs of one first-pass butterfly, at position s of the
// bit-reversed sequence, into v: from b, where they already are, or, when
// src is not nil, as z_m = src[2m] + i·src[2m+1]. Bit reversal is additive
// over disjoint bits: rev(s+i) = rev(s) + rev(i) for i < len(v) ≤ s's
// lowest set bit.
func (f *radix4) load(v, b []complex128, src []float64, s int) {
	if src == nil {
		copy(v, b)
		return
	}
	m0 := int(f.rev[s])
	for i := range v {
		m := 2 * (m0 + int(f.rev[i]))
		v[i] = complex(src[m], src[m+1])
	}
}

// forward writes the n/2+1 coefficients Σ_m u_m e^{−2πijm/n} into dst.
func (f *radix4) forward(dst []complex128, u []float64) {
	h := f.h
	z := f.z
	f.cfft(z, u, f.twf, true)
	// X_k = E_k + e^{−2πik/n} O_k with E_k = (Z_k + conj Z_{h−k})/2,
	// O_k = (Z_k − conj Z_{h−k})/(2i), for k and h−k together.
	z0 := z[0]
	dst[0] = complex(real(z0)+imag(z0), 0)
	dst[h] = complex(real(z0)-imag(z0), 0)
	for k := 1; k <= h/2; k++ {
		zk, zc := z[k], z[h-k]
		zcc := complex(real(zc), -imag(zc))
		e := rmul(0.5, zk+zcc)
		d := rmul(0.5, zk-zcc)
		o := complex(imag(d), -real(d)) // d/i
		t := f.split[k] * o
		dst[k] = e + t
		// X_{h−k} = conj(E_k) − conj(e^{−2πik/n} O_k)·… which is
		// conj(E_k − t) by the symmetry e^{−2πi(h−k)/n} = −conj e^{−2πik/n}.
		et := e - t
		dst[h-k] = complex(real(et), -imag(et))
	}
}

// inverse writes the n samples scale·Σ_j c_j e^{2πijm/n} of the real
// sequence with coefficients c into dst; the imaginary parts of c_0 and
// c_{n/2} are ignored, as numpy.fft.irfft does.
func (f *radix4) inverse(dst []float64, c []complex128, scale float64) {
	h := f.h
	z := f.z
	// Z_k = E_k + i O_k with E_k = (X_k + conj X_{h−k})/2 and
	// O_k = e^{2πik/n}(X_k − conj X_{h−k})/2, written bit-reversed.
	c0, ch := real(c[0]), real(c[h])
	rev := f.rev
	z[rev[0]] = complex((c0+ch)*scale, (c0-ch)*scale)
	for k := 1; k <= h/2; k++ {
		xk, xc := c[k], c[h-k]
		xcc := complex(real(xc), -imag(xc))
		e := xk + xcc
		d := xk - xcc
		s := f.split[k]
		o := complex(real(s), -imag(s)) * d // e^{2πik/n}·d
		io := complex(-imag(o), real(o))
		z[rev[k]] = rmul(scale, e+io)
		if k != h-k {
			// For index h−k: E = conj(e)/2, O = e^{2πi(h−k)/n}(conj d)(−1)/2,
			// and e^{2πi(h−k)/n} = −conj e^{2πik/n}, so O = conj(o)/2.
			ec := complex(real(e), -imag(e))
			oc := complex(real(o), -imag(o))
			z[rev[h-k]] = rmul(scale, ec+complex(-imag(oc), real(oc)))
		}
	}
	f.cfft(z, nil, f.twb, false)
	for m, v := range z {
		dst[2*m] = real(v)
		dst[2*m+1] = imag(v)
	}
}
