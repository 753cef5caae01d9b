package operators

import (
	"math"
	"math/bits"
)

// colFFT is a complex FFT of power-of-two length n applied along the slow
// axis of a row-major n×stride array (down its columns), to the first qn
// columns at once: decimation in time with radix-4 passes (a radix-2 pass
// first when log₂n is odd), each butterfly combining whole rows, so the
// inner loops are contiguous and the twiddle is constant across them.
type colFFT struct {
	n   int
	rev []int
	// tw[s+j] = e^{−2πij/(2s)} for the stage that joins transforms of
	// length s (j < s).
	tw []complex128
}

func newColFFT(n int) *colFFT {
	f := &colFFT{n: n, rev: make([]int, n), tw: make([]complex128, n)}
	lg := bits.TrailingZeros(uint(n))
	for i := range f.rev {
		if lg > 0 {
			f.rev[i] = int(bits.Reverse(uint(i)) >> (bits.UintSize - lg))
		}
	}
	for s := 1; s < n; s *= 2 {
		for j := 0; j < s; j++ {
			sn, cs := math.Sincos(math.Pi * float64(j) / float64(s))
			f.tw[s+j] = complex(cs, -sn)
		}
	}
	return f
}

// transform applies the forward (unnormalised) or inverse (scaled by 1/n)
// transform along the slow axis to columns [0, qn) of c.
func (f *colFFT) transform(c []complex128, stride, qn int, forward bool) {
	n := f.n
	row := func(i int) []complex128 { return c[i*stride : i*stride+qn : i*stride+qn] }
	// Bit-reversal permutation of the rows, with the inverse's 1/n.
	scale := 1 / float64(n)
	for i, r := range f.rev {
		switch {
		case i < r:
			a, b := row(i), row(r)
			if forward {
				for q := range a {
					a[q], b[q] = b[q], a[q]
				}
			} else {
				for q := range a {
					a[q], b[q] = rmul(scale, b[q]), rmul(scale, a[q])
				}
			}
		case i == r && !forward:
			a := row(i)
			for q := range a {
				a[q] = rmul(scale, a[q])
			}
		}
	}
	conj := func(w complex128) complex128 {
		if forward {
			return w
		}
		return complex(real(w), -imag(w))
	}
	sgn := 1.0
	if !forward {
		sgn = -1
	}
	s := 1
	if bits.TrailingZeros(uint(n))%2 == 1 {
		// One radix-2 pass of length-2 butterflies (twiddle 1).
		for start := 0; start < n; start += 2 {
			a, b := row(start), row(start+1)
			for q := range a {
				x, y := a[q], b[q]
				a[q], b[q] = x+y, x-y
			}
		}
		s = 2
	}
	// Radix-4 passes join four transforms of length s into one of length
	// 4s: the two radix-2 stages s → 2s → 4s at once.
	for ; s < n; s *= 4 {
		for start := 0; start < n; start += 4 * s {
			for j := 0; j < s; j++ {
				w1 := conj(f.tw[s+j])   // stage s → 2s
				w2 := conj(f.tw[2*s+j]) // stage 2s → 4s
				x0, x1 := row(start+j), row(start+j+s)
				x2, x3 := row(start+j+2*s), row(start+j+3*s)
				if j == 0 {
					for q := range x0 {
						a0, a1 := x0[q], x1[q]
						a2, a3 := x2[q], x3[q]
						y0, y1 := a0+a1, a0-a1
						y2, y3 := a2+a3, a2-a3
						t3 := mulI(y3, sgn)
						x0[q], x2[q] = y0+y2, y0-y2
						x1[q], x3[q] = y1+t3, y1-t3
					}
					continue
				}
				for q := range x0 {
					a0 := x0[q]
					t1 := w1 * x1[q]
					a2 := x2[q]
					t3 := w1 * x3[q]
					y0, y1 := a0+t1, a0-t1
					y2, y3 := a2+t3, a2-t3
					u2 := w2 * y2
					u3 := mulI(w2*y3, sgn)
					x0[q], x2[q] = y0+u2, y0-u2
					x1[q], x3[q] = y1+u3, y1-u3
				}
			}
		}
	}
}
