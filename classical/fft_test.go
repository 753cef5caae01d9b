package classical

import (
	"fmt"
	"math"
	"math/cmplx"
	"math/rand/v2"
	"testing"

	"github.com/neuralpde/neuralpde/operators"
)

func TestRealFFT(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{8, 16, 32, 64, 256, 1024, 4096} {
		f := newRealFFT(n)
		ref := operators.NewFourier(n, 1)
		u := make([]float64, n)
		for i := range u {
			u[i] = r.NormFloat64()
		}
		got := make([]complex128, n/2+1)
		f.forward(got, u)
		want := ref.Forward(nil, u)
		for j := range want {
			if d := cmplx.Abs(got[j] - want[j]); d > 1e-12*math.Sqrt(float64(n)) {
				t.Errorf("n=%d: forward mode %d: %v, want %v", n, j, got[j], want[j])
				break
			}
		}
		// Give c_0 and the Nyquist mode imaginary parts, which must be
		// ignored.
		c := append([]complex128(nil), want...)
		c[0] += 3i
		c[n/2] -= 2i
		back := make([]float64, n)
		f.inverse(back, c)
		for i := range u {
			if math.Abs(back[i]-u[i]) > 1e-13 {
				t.Errorf("n=%d: inverse sample %d: %v, want %v", n, i, back[i], u[i])
				break
			}
		}
		if a := testing.AllocsPerRun(5, func() { f.forward(got, u); f.inverse(back, got) }); a != 0 {
			t.Errorf("n=%d: %v allocations", n, a)
		}
	}
}

func BenchmarkRealFFT(b *testing.B) {
	for _, n := range []int{1024, 2048} {
		u := make([]float64, n)
		for i := range u {
			u[i] = math.Sin(float64(i))
		}
		c := make([]complex128, n/2+1)
		b.Run(fmt.Sprintf("classical/%d", n), func(b *testing.B) {
			f := newRealFFT(n)
			for range b.N {
				f.forward(c, u)
				f.inverse(u, c)
			}
		})
		b.Run(fmt.Sprintf("operators/%d", n), func(b *testing.B) {
			f := operators.NewFourier(n, 1)
			for range b.N {
				f.Forward(c, u)
				f.Inverse(u, c)
			}
		})
	}
}
