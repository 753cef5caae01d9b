package operators

import (
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
	"time"

	dspfft "github.com/mjibson/go-dsp/fft"
	"gonum.org/v1/gonum/dsp/fourier"
	"gonum.org/v1/gonum/mat"

	"github.com/neuralpde/neuralpde/internal/cputime"
)

var sizes1D = []int{64, 256, 1024, 4096, 8192}

func randomSamples(n int, seed uint64) []float64 {
	rnd := rand.New(rand.NewPCG(seed, 1))
	u := make([]float64, n)
	for i := range u {
		u[i] = rnd.NormFloat64()
	}
	return u
}

// reportCPU starts counting this process's CPU time; the function it returns
// reports it per iteration as cpu-ns/op. On a shared machine the wall time
// includes waiting for a core, so the CPU time is the figure to compare.
// Call it just before the timed loop, as defer reportCPU(b)().
func reportCPU(b *testing.B) func() {
	t0 := cputime.Process()
	return func() {
		if b.N > 0 {
			b.ReportMetric(float64(cputime.Process()-t0)/float64(b.N), "cpu-ns/op")
		}
	}
}

func BenchmarkFourierForward(b *testing.B) {
	for _, n := range sizes1D {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			f := NewFourier(n, 1)
			u := randomSamples(n, 1)
			c := make([]complex128, f.NumModes())
			b.ReportAllocs()
			defer reportCPU(b)()
			for b.Loop() {
				f.Forward(c, u)
			}
		})
	}
}

func BenchmarkFourierInverse(b *testing.B) {
	for _, n := range sizes1D {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			f := NewFourier(n, 1)
			c := f.Forward(nil, randomSamples(n, 1))
			u := make([]float64, n)
			b.ReportAllocs()
			defer reportCPU(b)()
			for b.Loop() {
				f.Inverse(u, c)
			}
		})
	}
}

func BenchmarkFourierDeriv(b *testing.B) {
	for _, n := range sizes1D {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			f := NewFourier(n, 1)
			u := randomSamples(n, 1)
			du := make([]float64, n)
			b.ReportAllocs()
			defer reportCPU(b)()
			for b.Loop() {
				f.Deriv(du, u, 1)
			}
		})
	}
}

// BenchmarkFourierInterpolate evaluates a spectral solution on 256 uniform
// points with both ends, the sampling the datasets use.
func BenchmarkFourierInterpolate(b *testing.B) {
	for _, n := range []int{256, 1024, 4096} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			f := NewFourier(n, 2*math.Pi)
			c := f.Forward(nil, randomSamples(n, 1))
			xs := make([]float64, 256)
			for i := range xs {
				xs[i] = 2 * math.Pi * float64(i) / 255
			}
			dst := make([]float64, len(xs))
			b.ReportAllocs()
			defer reportCPU(b)()
			for b.Loop() {
				f.Interpolate(dst, c, 0, xs)
			}
		})
	}
}

func BenchmarkFourierResample(b *testing.B) {
	for _, n := range []int{256, 1024} {
		b.Run(strconv.Itoa(n)+"to"+strconv.Itoa(2*n), func(b *testing.B) {
			f := NewFourier(n, 1)
			u := randomSamples(n, 1)
			dst := make([]float64, 2*n)
			b.ReportAllocs()
			defer reportCPU(b)()
			for b.Loop() {
				f.Resample(dst, u, 2*n)
			}
		})
	}
}

// BenchmarkRealFFT compares gonum's real FFT (used here) with go-dsp's on the
// same input, back to back, for context: go-dsp allocates its output and
// works in complex arithmetic. For the ratios take the fastest of several
// runs, e.g. go test -run XXX -bench RealFFT -benchtime 0.2s -count 8.
func BenchmarkRealFFT(b *testing.B) {
	for _, n := range sizes1D {
		u := randomSamples(n, 1)
		b.Run("gonum/"+strconv.Itoa(n), func(b *testing.B) {
			fft := fourier.NewFFT(n)
			c := make([]complex128, n/2+1)
			b.ReportAllocs()
			for b.Loop() {
				fft.Coefficients(c, u)
			}
		})
		b.Run("godsp/"+strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				dspfft.FFTReal(u)
			}
		})
		// go-dsp spreads large radix-2 transforms over GOMAXPROCS goroutines;
		// with one worker it is compared core for core.
		b.Run("godsp1/"+strconv.Itoa(n), func(b *testing.B) {
			dspfft.SetWorkerPoolSize(1)
			defer dspfft.SetWorkerPoolSize(0)
			b.ReportAllocs()
			for b.Loop() {
				dspfft.FFTReal(u)
			}
		})
	}
}

// BenchmarkRealFFTRatio measures go-dsp's time over gonum's on a loaded
// machine: each iteration times a batch of gonum transforms and, right after,
// the same batch with go-dsp (default workers, then one worker), and the
// median of the per-iteration ratios is reported, so load that drifts over
// the run cancels. Run with
// go test -run XXX -bench RealFFTRatio -benchtime 200x ./operators.
func BenchmarkRealFFTRatio(b *testing.B) {
	for _, n := range sizes1D {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			u := randomSamples(n, 1)
			fft := fourier.NewFFT(n)
			c := make([]complex128, n/2+1)
			batch := max(1, 32768/n)
			var ratio, ratio1 []float64
			defer dspfft.SetWorkerPoolSize(0)
			for b.Loop() {
				t0 := time.Now()
				for range batch {
					fft.Coefficients(c, u)
				}
				t1 := time.Now()
				dspfft.SetWorkerPoolSize(0)
				for range batch {
					dspfft.FFTReal(u)
				}
				t2 := time.Now()
				dspfft.SetWorkerPoolSize(1)
				for range batch {
					dspfft.FFTReal(u)
				}
				t3 := time.Now()
				g := float64(t1.Sub(t0))
				ratio = append(ratio, float64(t2.Sub(t1))/g)
				ratio1 = append(ratio1, float64(t3.Sub(t2))/g)
			}
			slices.Sort(ratio)
			slices.Sort(ratio1)
			b.ReportMetric(ratio[len(ratio)/2], "godsp/gonum")
			b.ReportMetric(ratio1[len(ratio1)/2], "godsp1/gonum")
		})
	}
}

// TestGoDSPAgrees pins the comparison above to the same transform.
func TestGoDSPAgrees(t *testing.T) {
	u := randomSamples(1024, 2)
	f := NewFourier(1024, 1)
	c := f.Forward(nil, u)
	d := dspfft.FFTReal(u)
	if diff := maxAbsDiffC(c, d[:len(c)]); diff > 1e-11 {
		t.Errorf("gonum and go-dsp real FFTs differ by %g", diff)
	}
}

var sizes2D = []int{64, 128, 256, 512}

func BenchmarkFourier2DForward(b *testing.B) {
	for _, n := range sizes2D {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			f := NewFourier2D(n, n, 1, 1)
			u := randomSamples(n*n, 1)
			c := make([]complex128, f.NumModes())
			b.ReportAllocs()
			defer reportCPU(b)()
			for b.Loop() {
				f.Forward(c, u)
			}
		})
	}
}

func BenchmarkFourier2DInverse(b *testing.B) {
	for _, n := range sizes2D {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			f := NewFourier2D(n, n, 1, 1)
			c := f.Forward(nil, randomSamples(n*n, 1))
			u := make([]float64, n*n)
			b.ReportAllocs()
			defer reportCPU(b)()
			for b.Loop() {
				f.Inverse(u, c)
			}
		})
	}
}

func BenchmarkFourier2DDeriv(b *testing.B) {
	for _, n := range sizes2D {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			f := NewFourier2D(n, n, 1, 1)
			u := randomSamples(n*n, 1)
			du := make([]float64, n*n)
			b.ReportAllocs()
			defer reportCPU(b)()
			for b.Loop() {
				f.Deriv(du, u, 1, 0)
			}
		})
	}
}

func BenchmarkFourier2DInverseLaplacian(b *testing.B) {
	for _, n := range sizes2D {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			f := NewFourier2D(n, n, 1, 1)
			g := randomSamples(n*n, 1)
			u := make([]float64, n*n)
			b.ReportAllocs()
			defer reportCPU(b)()
			for b.Loop() {
				f.InverseLaplacian(u, g)
			}
		})
	}
}

func BenchmarkFD(b *testing.B) {
	for _, n := range []int{256, 4096} {
		for _, order := range []int{2, 4} {
			u := randomSamples(n, 1)
			du := make([]float64, n)
			b.Run("D1/order"+strconv.Itoa(order)+"/"+strconv.Itoa(n), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					D1(du, u, 0.01, order, false)
				}
			})
			b.Run("D2/order"+strconv.Itoa(order)+"/"+strconv.Itoa(n), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					D2(du, u, 0.01, order, true)
				}
			})
		}
	}
}

func BenchmarkChebyshevDeriv(b *testing.B) {
	for _, n := range []int{33, 129, 513, 2049} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			c := NewChebyshev(n, -1, 1)
			u := randomSamples(n, 1)
			du := make([]float64, n)
			b.ReportAllocs()
			for b.Loop() {
				c.Deriv(du, u, 1)
			}
		})
	}
}

// BenchmarkChebyshevDiffMatrixApply is the O(N²) alternative to Deriv.
func BenchmarkChebyshevDiffMatrixApply(b *testing.B) {
	for _, n := range []int{33, 129, 513} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			d := NewChebyshev(n, -1, 1).DiffMatrix(1)
			u := mat.NewVecDense(n, randomSamples(n, 1))
			du := mat.NewVecDense(n, nil)
			b.ReportAllocs()
			for b.Loop() {
				du.MulVec(d, u)
			}
		})
	}
}

func BenchmarkChebyshevInterpolate(b *testing.B) {
	for _, n := range []int{33, 129} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			c := NewChebyshev(n, -1, 1)
			u := randomSamples(n, 1)
			xs := make([]float64, 256)
			for i := range xs {
				xs[i] = -1 + 2*float64(i)/255
			}
			dst := make([]float64, len(xs))
			b.ReportAllocs()
			for b.Loop() {
				c.Interpolate(dst, u, xs)
			}
		})
	}
}
