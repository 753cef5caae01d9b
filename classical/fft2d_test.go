package classical

import (
	"fmt"
	"math"
	"math/cmplx"
	"math/rand/v2"
	"testing"

	"github.com/neuralpde/neuralpde/operators"
)

func TestFFT2AgainstFourier2D(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, sz := range [][2]int{{2, 8}, {8, 8}, {16, 32}, {32, 16}, {64, 64}, {128, 256}, {12, 10}, {9, 16}} {
		nx, ny := sz[0], sz[1]
		t.Run(fmt.Sprintf("%dx%d", nx, ny), func(t *testing.T) {
			u := make([]float64, nx*ny)
			for i := range u {
				u[i] = r.NormFloat64()
			}
			ref := operators.NewFourier2D(nx, ny, 1, 1)
			want := ref.Forward(nil, u)
			f := newFFT2(nx, ny)
			my := ny/2 + 1
			for _, qn := range []int{my, my/2 + 1} {
				c := make([]complex128, nx*my)
				f.forward(c, u, qn)
				var err float64
				for p := range nx {
					for q := range qn {
						err = math.Max(err, cmplx.Abs(c[p*my+q]-want[p*my+q]))
					}
				}
				if tol := 1e-12 * float64(nx*ny); err > tol {
					t.Errorf("forward with %d columns differs from Fourier2D by %g, want below %g", qn, err, tol)
				}
				// Inverse of the first qn columns, the rest zero.
				in := make([]complex128, nx*my)
				for p := range nx {
					copy(in[p*my:p*my+qn], want[p*my:p*my+qn])
				}
				wantU := ref.Inverse(nil, in)
				got := make([]float64, nx*ny)
				f.inverse(got, in, qn)
				var ierr float64
				for i := range got {
					ierr = math.Max(ierr, math.Abs(got[i]-wantU[i]))
				}
				if ierr > 1e-13*float64(nx+ny) {
					t.Errorf("inverse with %d columns differs from Fourier2D by %g", qn, ierr)
				}
			}
		})
	}
}

func BenchmarkFFT2(b *testing.B) {
	for _, n := range []int{64, 128, 256, 512} {
		u := make([]float64, n*n)
		for i := range u {
			u[i] = math.Sin(float64(i))
		}
		c := make([]complex128, n*(n/2+1))
		b.Run(fmt.Sprintf("classical/%d", n), func(b *testing.B) {
			f := newFFT2(n, n)
			b.ReportAllocs()
			for b.Loop() {
				f.forward(c, u, n/2+1)
			}
		})
		b.Run(fmt.Sprintf("operators/%d", n), func(b *testing.B) {
			f := operators.NewFourier2D(n, n, 1, 1)
			b.ReportAllocs()
			for b.Loop() {
				f.Forward(c, u)
			}
		})
	}
}
