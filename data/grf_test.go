package data

import (
	"math"
	"math/rand/v2"
	"strconv"
	"sync"
	"testing"

	"github.com/neuralpde/neuralpde/pde"
	"gonum.org/v1/gonum/dsp/fourier"
	"gonum.org/v1/gonum/floats"
)

var burgersLaw = pde.RandomField{Alpha: 2, Tau: 5, Sigma: 25, BC: pde.PeriodicBC}

func mustGRF(t testing.TB, law pde.RandomField, modes int, grids ...pde.Grid) *GaussianRF {
	t.Helper()
	f, err := NewGaussianRF(law, modes, grids...)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func sample(s Sampler, seed uint64, i int) []float64 {
	dst := make([]float64, shapeLen(s.Shape()))
	s.Sample(dst, seed, i)
	return dst
}

// TestGaussianRFDirectSum checks the FFT evaluation against the expansion
// summed term by term, drawing the same coefficients in the same order.
func TestGaussianRFDirectSum(t *testing.T) {
	const seed, idx = 7, 3
	t.Run("periodic1D", func(t *testing.T) {
		g := pde.NewPeriodicGrid(-1, 2, 40)
		f := mustGRF(t, pde.RandomField{Alpha: 1.5, Tau: 2, Sigma: 3}, 12, g)
		got := sample(f, seed, idx)
		rng := rand.New(rand.NewPCG(seed, idx))
		want := make([]float64, g.N)
		for k := 1; k <= 12; k++ {
			a, b := rng.NormFloat64(), rng.NormFloat64()
			w := 2 * math.Pi * float64(k) / g.Length()
			amp := math.Sqrt2 * 3 * math.Pow(w*w+4, -0.75) * math.Sqrt(2/g.Length())
			for j := range want {
				th := w * (g.At(j) - g.A)
				want[j] += amp * (a*math.Cos(th) + b*math.Sin(th))
			}
		}
		if !floats.EqualApprox(got, want, 1e-12*floats.Norm(want, math.Inf(1))) {
			t.Errorf("FFT and direct sums differ by %g", maxDiff(got, want))
		}
	})
	t.Run("periodic2D", func(t *testing.T) {
		gx, gy := pde.NewPeriodicGrid(0, 1, 12), pde.NewPeriodicGrid(0, 2, 10)
		law := pde.RandomField{Alpha: 2.5, Tau: 7, Sigma: 7}
		f := mustGRF(t, law, 4, gx, gy)
		got := sample(f, seed, idx)
		rng := rand.New(rand.NewPCG(seed, idx))
		want := make([]float64, gx.N*gy.N)
		for kx := 0; kx <= 4; kx++ {
			for ky := -4; ky <= 4; ky++ {
				if kx == 0 && ky <= 0 {
					continue
				}
				a, b := rng.NormFloat64(), rng.NormFloat64()
				wx, wy := 2*math.Pi*float64(kx), math.Pi*float64(ky)
				amp := math.Sqrt2 * 7 * math.Pow(wx*wx+wy*wy+49, -1.25) * math.Sqrt(2/2.0)
				for i := range gx.N {
					for j := range gy.N {
						th := wx*gx.At(i) + wy*gy.At(j)
						want[i*gy.N+j] += amp * (a*math.Cos(th) + b*math.Sin(th))
					}
				}
			}
		}
		if !floats.EqualApprox(got, want, 1e-12*floats.Norm(want, math.Inf(1))) {
			t.Errorf("FFT and direct sums differ by %g", maxDiff(got, want))
		}
	})
	t.Run("neumann2D", func(t *testing.T) {
		gx, gy := pde.NewUniformGrid(0, 1, 9), pde.NewUniformGrid(0, 1, 7)
		law := pde.RandomField{Alpha: 2, Tau: 3, Sigma: 3, BC: pde.Neumann}
		f := mustGRF(t, law, 5, gx, gy)
		got := sample(f, seed, idx)
		rng := rand.New(rand.NewPCG(seed, idx))
		phi := func(k int, x float64) float64 {
			if k == 0 {
				return 1
			}
			return math.Sqrt2 * math.Cos(math.Pi*float64(k)*x)
		}
		want := make([]float64, gx.N*gy.N)
		for kx := 0; kx <= 5; kx++ {
			for ky := 0; ky <= 5; ky++ {
				if kx == 0 && ky == 0 {
					continue
				}
				xi := rng.NormFloat64()
				mu := math.Pi * math.Pi * float64(kx*kx+ky*ky)
				amp := 3 * math.Pow(mu+9, -1)
				for i := range gx.N {
					for j := range gy.N {
						want[i*gy.N+j] += amp * xi * phi(kx, gx.At(i)) * phi(ky, gy.At(j))
					}
				}
			}
		}
		if !floats.EqualApprox(got, want, 1e-12*floats.Norm(want, math.Inf(1))) {
			t.Errorf("table and direct sums differ by %g", maxDiff(got, want))
		}
	})
}

func maxDiff(a, b []float64) float64 {
	m := 0.0
	for i := range a {
		m = max(m, math.Abs(a[i]-b[i]))
	}
	return m
}

// TestGaussianRFResolutionInvariant checks that a sample on a fine grid,
// subsampled, is the same function as the sample on the coarse grid.
func TestGaussianRFResolutionInvariant(t *testing.T) {
	cases := []struct {
		name         string
		law          pde.RandomField
		modes        int
		coarse, fine []pde.Grid
		r            int
	}{
		{"periodic 1024 vs 8192", burgersLaw, 256,
			[]pde.Grid{pde.NewPeriodicGrid(0, 1, 1024)}, []pde.Grid{pde.NewPeriodicGrid(0, 1, 8192)}, 8},
		{"periodic 2D 32 vs 128", pde.RandomField{Alpha: 2.5, Tau: 7, Sigma: 7}, 10,
			[]pde.Grid{pde.NewPeriodicGrid(0, 1, 32), pde.NewPeriodicGrid(0, 1, 32)},
			[]pde.Grid{pde.NewPeriodicGrid(0, 1, 128), pde.NewPeriodicGrid(0, 1, 128)}, 4},
		{"neumann 2D 15 vs 57", pde.RandomField{Alpha: 2, Tau: 3, Sigma: 3, BC: pde.Neumann}, 12,
			[]pde.Grid{pde.NewUniformGrid(0, 1, 15), pde.NewUniformGrid(0, 1, 15)},
			[]pde.Grid{pde.NewUniformGrid(0, 1, 57), pde.NewUniformGrid(0, 1, 57)}, 4},
	}
	for _, c := range cases {
		coarse := sample(mustGRF(t, c.law, c.modes, c.coarse...), 11, 5)
		fine := sample(mustGRF(t, c.law, c.modes, c.fine...), 11, 5)
		var sub []float64
		if len(c.fine) == 1 {
			for j := 0; j < len(fine); j += c.r {
				sub = append(sub, fine[j])
			}
		} else {
			n := c.fine[1].N
			for i := 0; i < c.fine[0].N; i += c.r {
				for j := 0; j < n; j += c.r {
					sub = append(sub, fine[i*n+j])
				}
			}
		}
		scale := floats.Norm(coarse, math.Inf(1))
		if scale == 0 || len(sub) != len(coarse) || maxDiff(sub, coarse) > 1e-12*scale {
			t.Errorf("%s: subsampled fine sample differs from the coarse one by %g (scale %g)", c.name, maxDiff(sub, coarse), scale)
		}
	}
}

// TestGaussianRFCovariance compares the sample covariance with the
// covariance of the law, c(x, x') = Σ_k a_k² φ_k(x)φ_k(x'), and on [0, 1)
// with the pointwise variance of the FNO GaussianRF,
// 2σ² Σ_{k≠0} (4π²k² + τ²)^(−α).
func TestGaussianRFCovariance(t *testing.T) {
	const n, samples = 64, 4000
	law := burgersLaw
	g := pde.NewPeriodicGrid(0, 1, n)
	f := mustGRF(t, law, 31, g)
	lags := []int{0, 1, 2, 5, 16}
	emp := make([]float64, len(lags))
	u := make([]float64, n)
	for i := range samples {
		f.Sample(u, 1, i)
		for l, lag := range lags {
			for j := range n {
				emp[l] += u[j] * u[(j+lag)%n]
			}
		}
	}
	for l, lag := range lags {
		emp[l] /= samples * n
		want := 0.0
		for k := 1; k <= 31; k++ {
			w := 2 * math.Pi * float64(k)
			want += 4 * law.Sigma * law.Sigma * math.Pow(w*w+law.Tau*law.Tau, -law.Alpha) * math.Cos(w*float64(lag)/n)
		}
		if math.Abs(emp[l]-want) > 0.06*emp[0] {
			t.Errorf("lag %d: sample covariance %g, law %g", lag, emp[l], want)
		}
	}
	fno := 0.0
	for k := -n / 2; k < n/2; k++ {
		if k != 0 {
			fno += 2 * law.Sigma * law.Sigma * math.Pow(4*math.Pi*math.Pi*float64(k*k)+law.Tau*law.Tau, -law.Alpha)
		}
	}
	if math.Abs(emp[0]-fno) > 0.06*fno {
		t.Errorf("pointwise variance %g, FNO GaussianRF's %g", emp[0], fno)
	}
}

// TestGaussianRFSpectrum checks E|û_k|² against the law mode by mode.
func TestGaussianRFSpectrum(t *testing.T) {
	const n, samples, modes = 64, 2000, 20
	g := pde.NewPeriodicGrid(0, 2, n)
	law := pde.RandomField{Alpha: 1, Tau: 1, Sigma: 1}
	f := mustGRF(t, law, modes, g)
	fft := fourier.NewFFT(n)
	power := make([]float64, n/2+1)
	u := make([]float64, n)
	var c []complex128
	for i := range samples {
		f.Sample(u, 9, i)
		c = fft.Coefficients(c, u)
		for k, v := range c {
			power[k] += real(v)*real(v) + imag(v)*imag(v)
		}
	}
	for k := range power {
		power[k] /= samples
		want := 0.0
		if 1 <= k && k <= modes {
			// u = Σ a_k(α cos + β sin) has DFT coefficient n·a_k(α − iβ)/2.
			a := f.amp[k-1]
			want = n * n * a * a / 2
		}
		if want == 0 {
			if power[k] > 1e-20 {
				t.Errorf("mode %d outside the band has power %g", k, power[k])
			}
			continue
		}
		if math.Abs(power[k]/want-1) > 0.1 {
			t.Errorf("mode %d: power %g, law %g", k, power[k], want)
		}
	}
}

func TestNeumannVariance(t *testing.T) {
	const samples = 3000
	gx := pde.NewUniformGrid(0, 1, 11)
	law := pde.RandomField{Alpha: 2, Tau: 3, Sigma: 9, BC: pde.Neumann}
	f := mustGRF(t, law, 16, gx, gx)
	u := make([]float64, 121)
	var emp [121]float64
	for i := range samples {
		f.Sample(u, 2, i)
		for j, v := range u {
			emp[j] += v * v / samples
		}
	}
	for _, p := range []struct{ i, j int }{{0, 0}, {5, 5}, {2, 7}, {10, 3}} {
		x, y := gx.At(p.i), gx.At(p.j)
		want := 0.0
		for kx := 0; kx <= 16; kx++ {
			for ky := 0; ky <= 16; ky++ {
				if kx+ky == 0 {
					continue
				}
				a := f.amp[kx*17+ky]
				px, py := 1.0, 1.0
				if kx > 0 {
					px = math.Sqrt2 * math.Cos(math.Pi*float64(kx)*x)
				}
				if ky > 0 {
					py = math.Sqrt2 * math.Cos(math.Pi*float64(ky)*y)
				}
				want += a * a * px * px * py * py
			}
		}
		if got := emp[p.i*11+p.j]; math.Abs(got/want-1) > 0.1 {
			t.Errorf("variance at (%g, %g) = %g, law %g", x, y, got, want)
		}
	}
}

func TestSamplersDeterministic(t *testing.T) {
	g := pde.NewPeriodicGrid(0, 1, 128)
	rfs, err := NewRandomFourierSeries(g, 10, 1, 1.5)
	if err != nil {
		t.Fatal(err)
	}
	samplers := map[string]Sampler{
		"grf1d":   mustGRF(t, burgersLaw, 0, g),
		"grf2d":   mustGRF(t, burgersLaw, 8, pde.NewPeriodicGrid(0, 1, 32), pde.NewPeriodicGrid(0, 1, 24)),
		"neumann": mustGRF(t, pde.RandomField{Alpha: 2, Tau: 3, Sigma: 9, BC: pde.Neumann}, 6, pde.NewUniformGrid(0, 1, 9), pde.NewUniformGrid(0, 1, 9)),
		"fourier": rfs,
	}
	for name, s := range samplers {
		a, b, c, d := sample(s, 4, 17), sample(s, 4, 17), sample(s, 4, 18), sample(s, 5, 17)
		if !floats.Equal(a, b) {
			t.Errorf("%s: two draws of sample (4, 17) differ", name)
		}
		if floats.Equal(a, c) || floats.Equal(a, d) {
			t.Errorf("%s: samples (4,17), (4,18), (5,17) are not all different", name)
		}
		// Concurrent draws give the same samples as sequential ones.
		want := make([][]float64, 16)
		for i := range want {
			want[i] = sample(s, 4, i)
		}
		got := make([][]float64, 16)
		var wg sync.WaitGroup
		for i := range got {
			wg.Go(func() { got[i] = sample(s, 4, i) })
		}
		wg.Wait()
		for i := range got {
			if !floats.Equal(got[i], want[i]) {
				t.Errorf("%s: concurrent sample %d differs from the sequential one", name, i)
			}
		}
	}
}

func TestRandomFourierSeriesVariance(t *testing.T) {
	g := pde.NewPeriodicGrid(0, 1, 32)
	s, err := NewRandomFourierSeries(g, 8, 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	const samples = 4000
	u := make([]float64, g.N)
	emp := 0.0
	for i := range samples {
		s.Sample(u, 3, i)
		emp += floats.Dot(u, u) / (samples * float64(g.N))
	}
	want := 0.0
	for k := 1; k <= 8; k++ {
		want += 4 / float64(k*k)
	}
	if math.Abs(emp/want-1) > 0.05 {
		t.Errorf("pointwise variance %g, want %g", emp, want)
	}
}

func TestSamplerErrors(t *testing.T) {
	per := pde.NewPeriodicGrid(0, 1, 64)
	cases := []struct {
		name  string
		law   pde.RandomField
		modes int
		grids []pde.Grid
	}{
		{"no grid", burgersLaw, 4, nil},
		{"three axes", burgersLaw, 4, []pde.Grid{per, per, per}},
		{"too many modes", burgersLaw, 32, []pde.Grid{per}},
		{"uniform grid, periodic law", burgersLaw, 4, []pde.Grid{pde.NewUniformGrid(0, 1, 64)}},
		{"negative sigma", pde.RandomField{Alpha: 2, Tau: 1, Sigma: -1}, 4, []pde.Grid{per}},
		{"zero alpha", pde.RandomField{Alpha: 0, Tau: 1, Sigma: 1}, 4, []pde.Grid{per}},
		{"dirichlet", pde.RandomField{Alpha: 2, Tau: 1, Sigma: 1, BC: pde.Dirichlet}, 4, []pde.Grid{per}},
	}
	for _, c := range cases {
		if _, err := NewGaussianRF(c.law, c.modes, c.grids...); err == nil {
			t.Errorf("%s: no error", c.name)
		}
	}
	if _, err := NewRandomFourierSeries(per, 32, 1, 1); err == nil {
		t.Error("RandomFourierSeries with 32 modes on 64 points: no error")
	}
}

func BenchmarkGaussianRF(b *testing.B) {
	for _, n := range []int{1024, 8192} {
		f := mustGRF(b, burgersLaw, 0, pde.NewPeriodicGrid(0, 1, n))
		u := make([]float64, n)
		b.Run("periodic1D/"+itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				f.Sample(u, 1, i)
			}
		})
	}
	for _, n := range []int{64, 256} {
		g := pde.NewPeriodicGrid(0, 1, n)
		f := mustGRF(b, pde.RandomField{Alpha: 2.5, Tau: 7, Sigma: 7}, 0, g, g)
		u := make([]float64, n*n)
		b.Run("periodic2D/"+itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				f.Sample(u, 1, i)
			}
		})
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestThresholded(t *testing.T) {
	g := pde.NewUniformGrid(0, 1, 17)
	f := mustGRF(t, pde.RandomField{Alpha: 2, Tau: 3, Sigma: 3, BC: pde.Neumann}, 8, g, g)
	th := &Thresholded{Field: f, Level: 0, Below: 3, Above: 12}
	raw, a := sample(f, 5, 2), sample(th, 5, 2)
	n12 := 0
	for j := range raw {
		want := 3.0
		if raw[j] >= 0 {
			want = 12
			n12++
		}
		if a[j] != want {
			t.Fatalf("point %d: field %g thresholded to %g, want %g", j, raw[j], a[j], want)
		}
	}
	if n12 == 0 || n12 == len(a) {
		t.Errorf("threshold at the field's mean gave %d of %d points above", n12, len(a))
	}
	if k := th.Describe().Kind; k != "thresholded gaussian-rf (below 0: 3, else 12)" {
		t.Errorf("Describe().Kind = %q", k)
	}
}
