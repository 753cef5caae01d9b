package nn

import (
	"math"
	"testing"

	"github.com/neuralpde/neuralpde/internal/cputime"
)

// TestGELUDeriv compares GELUDeriv with the GELU and its derivative written
// with math.Erf, across the three ranges of Cody's approximations, the
// points where they meet, and far tails.
func TestGELUDeriv(t *testing.T) {
	var x []float64
	for v := -40.0; v <= 40; v += 0.00731 {
		x = append(x, v)
	}
	// Range boundaries of z = |x|/√2 (0.46875 and 4) and their neighbours.
	for _, z := range []float64{0.46875, 4} {
		b := z * math.Sqrt2
		for _, v := range []float64{b, math.Nextafter(b, 0), math.Nextafter(b, 10)} {
			x = append(x, v, -v)
		}
	}
	x = append(x, 0, math.Copysign(0, -1), 1e-300, -1e-300, 1e300, -1e300)
	for len(x) < 1<<15 { // long enough to take the goroutine path as well
		x = append(x, x...)
	}
	y, d := make([]float64, len(x)), make([]float64, len(x))
	GELUDeriv(y, d, x)
	for i, v := range x {
		cdf := 0.5 * (1 + math.Erf(v/math.Sqrt2))
		wantY := v * cdf
		wantD := cdf + v*math.Exp(-0.5*v*v)/math.Sqrt(2*math.Pi)
		if math.Abs(y[i]-wantY) > 1e-15*math.Max(1, math.Abs(wantY)) || math.Abs(d[i]-wantD) > 1e-15 {
			t.Fatalf("x = %v: GELU %v, derivative %v; want %v, %v", v, y[i], d[i], wantY, wantD)
		}
	}
	// GELUValues is GELUDeriv's y, bit for bit, in place too.
	yv := append([]float64(nil), x...)
	GELUValues(yv, yv)
	for i := range x {
		if yv[i] != y[i] && !(math.IsNaN(yv[i]) && math.IsNaN(y[i])) {
			t.Fatalf("x = %v: GELUValues %v, GELUDeriv %v", x[i], yv[i], y[i])
		}
	}
}

// BenchmarkGELUDeriv compares the CPU time per element of GELUDeriv's
// kernel with the same function written with math.Erf and math.Exp.
func BenchmarkGELUDeriv(b *testing.B) {
	x := make([]float64, 1<<16)
	for i := range x {
		x[i] = 8 * (float64(i)/float64(len(x)) - 0.5)
	}
	y, d := make([]float64, len(x)), make([]float64, len(x))
	b.Run("cody", func(b *testing.B) {
		start := cputime.Process()
		for range b.N {
			geluDeriv(y, d, x)
		}
		b.ReportMetric(float64((cputime.Process()-start).Nanoseconds())/float64(b.N*len(x)), "cpu-ns/elem")
	})
	b.Run("math.Erf", func(b *testing.B) {
		start := cputime.Process()
		for range b.N {
			for i, v := range x {
				cdf := 0.5 * (1 + math.Erf(v/math.Sqrt2))
				d[i] = cdf + v*math.Exp(-0.5*v*v)/math.Sqrt(2*math.Pi)
				y[i] = v * cdf
			}
		}
		b.ReportMetric(float64((cputime.Process()-start).Nanoseconds())/float64(b.N*len(x)), "cpu-ns/elem")
	})
}
