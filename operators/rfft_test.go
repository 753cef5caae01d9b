package operators

import (
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/gonum/dsp/fourier"
)

// TestRadix4AgainstGonum checks the radix-4 real FFT against gonum's
// FFTPACK port on both kinds of first pass (log₂(n/2) odd and even),
// including that the inverse ignores the imaginary parts of c_0 and of the
// Nyquist mode and leaves its input alone.
func TestRadix4AgainstGonum(t *testing.T) {
	for _, n := range []int{8, 16, 32, 64, 256, 1024, 2048, 4096} {
		f := newRFFT(n)
		if f.r4 == nil {
			t.Fatalf("n=%d: not the radix-4 transform", n)
		}
		ref := fourier.NewFFT(n)
		u := randomSamples(n, uint64(n))
		got := make([]complex128, n/2+1)
		f.forward(got, u)
		want := ref.Coefficients(nil, u)
		if d, tol := maxAbsDiffC(got, want), 1e-13*math.Sqrt(float64(n)); d > tol {
			t.Errorf("n=%d: forward differs from gonum by %g, want below %g", n, d, tol)
		}
		c := append([]complex128(nil), want...)
		c[0] += 3i
		c[n/2] -= 2i
		keep := append([]complex128(nil), c...)
		back := make([]float64, n)
		f.inverse(back, c, 1/float64(n))
		if d := maxAbsDiff(back, u); d > 1e-13 {
			t.Errorf("n=%d: inverse differs from the input by %g", n, d)
		}
		if maxAbsDiffC(c, keep) != 0 {
			t.Errorf("n=%d: inverse modified its coefficients", n)
		}
		seq := ref.Sequence(nil, want)
		f.inverse(back, want, 1)
		if d, tol := maxAbsDiff(back, seq), 1e-13*float64(n); d > tol {
			t.Errorf("n=%d: unscaled inverse differs from gonum's Sequence by %g, want below %g", n, d, tol)
		}
	}
}

// gonumFourier2D returns a plan on the same grid that takes gonum's
// transforms whatever the sizes, the reference for the radix-4 path.
func gonumFourier2D(nx, ny int) *Fourier2D {
	f := NewFourier2D(nx, ny, 1, 1)
	f.row = &rfft{n: ny, gen: fourier.NewFFT(ny)}
	f.rows = nil
	f.col = fourier.NewCmplxFFT(nx)
	f.colWork = make([]complex128, nx)
	return f
}

// TestFourier2DColumns checks Forward, Inverse, ForwardColumns and
// InverseColumns, on the radix-4 path (power-of-two sizes) and on gonum's,
// against gonum's full transforms.
func TestFourier2DColumns(t *testing.T) {
	for _, test := range []struct {
		nx, ny int
		fast   bool
	}{
		{1, 16, true}, {2, 8, true}, {8, 8, true}, {16, 32, true}, {32, 16, true},
		{64, 64, true}, {128, 256, true},
		{12, 10, false}, {9, 16, false}, {16, 4, false}, {6, 5, false},
	} {
		nx, ny, my := test.nx, test.ny, test.ny/2+1
		t.Run(fmt.Sprintf("%dx%d", nx, ny), func(t *testing.T) {
			f := NewFourier2D(nx, ny, 1, 1)
			if fast := f.rows != nil || (nx == 1 && f.row.r4 != nil); fast != test.fast {
				t.Fatalf("radix-4 path %v, want %v", fast, test.fast)
			}
			ref := gonumFourier2D(nx, ny)
			u := randomSamples(nx*ny, uint64(nx*ny))
			want := ref.Forward(nil, u)
			for _, qn := range []int{my, my/2 + 1, 1} {
				c := f.ForwardColumns(nil, u, qn)
				var err float64
				for p := range nx {
					err = math.Max(err, maxAbsDiffC(c[p*my:p*my+qn], want[p*my:p*my+qn]))
				}
				if tol := 1e-13 * float64(nx*ny); err > tol {
					t.Errorf("ForwardColumns(%d) differs from gonum's transform by %g, want below %g", qn, err, tol)
				}
				// The inverse of the first qn columns, the rest zero.
				in := make([]complex128, nx*my)
				for p := range nx {
					copy(in[p*my:p*my+qn], want[p*my:p*my+qn])
				}
				wantU := ref.Inverse(nil, in)
				if d, tol := maxAbsDiff(f.Inverse(nil, in), wantU), 1e-14*float64(nx+ny); d > tol {
					t.Errorf("Inverse with %d columns differs from gonum's by %g, want below %g", qn, d, tol)
				}
				got := f.InverseColumns(nil, in, qn)
				if d, tol := maxAbsDiff(got, wantU), 1e-14*float64(nx+ny); d > tol {
					t.Errorf("InverseColumns(%d) differs from gonum's Inverse by %g, want below %g", qn, d, tol)
				}
				for p := range nx {
					for q := qn; q < my; q++ {
						if in[p*my+q] != 0 {
							t.Fatalf("InverseColumns(%d) wrote column %d", qn, q)
						}
					}
				}
			}
		})
	}
}

// TestResampleCoeffs checks that Inverse on m points of ResampleCoeffs is
// Resample, for padding and truncation with and without Nyquist modes.
func TestResampleCoeffs(t *testing.T) {
	for _, test := range []struct{ n, m int }{
		{16, 32}, {16, 8}, {16, 12}, {16, 16}, {12, 7}, {9, 20}, {20, 9}, {1024, 256}, {64, 1024},
	} {
		f := NewFourier(test.n, 2)
		u := randomSamples(test.n, uint64(test.n+test.m))
		want := f.Resample(nil, u, test.m)
		c := f.ResampleCoeffs(nil, f.Forward(nil, u), test.m)
		if d := maxAbsDiff(NewFourier(test.m, 2).Inverse(nil, c), want); d > 1e-13 {
			t.Errorf("%d→%d: Inverse of ResampleCoeffs differs from Resample by %g", test.n, test.m, d)
		}
	}
}

func TestColumnsPanics(t *testing.T) {
	f := NewFourier2D(8, 8, 1, 1)
	u, c := make([]float64, 64), make([]complex128, 8*5)
	testPanics(t, []panicCase{
		{"ForwardColumns qn 0", func() { f.ForwardColumns(c, u, 0) }},
		{"ForwardColumns qn too large", func() { f.ForwardColumns(c, u, 6) }},
		{"ForwardColumns dst", func() { f.ForwardColumns(c[1:], u, 5) }},
		{"InverseColumns qn", func() { f.InverseColumns(u, c, 6) }},
		{"InverseColumns c", func() { f.InverseColumns(u, c[1:], 5) }},
		{"ResampleCoeffs m", func() { NewFourier(8, 1).ResampleCoeffs(nil, c[:5], 0) }},
		{"ResampleCoeffs dst", func() { NewFourier(8, 1).ResampleCoeffs(c[:4], c[:5], 8) }},
	})
}
