package pinn

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/stat"
)

func TestSobolFirstPoints(t *testing.T) {
	// Unscrambled Sobol′ points 1…7 (the origin skipped), as in Joe and
	// Kuo's reference and scipy.stats.qmc.Sobol(scramble=False).
	want := [][3]float64{
		{0.5, 0.5, 0.5}, {0.75, 0.25, 0.25}, {0.25, 0.75, 0.75}, {0.375, 0.375, 0.625},
		{0.875, 0.875, 0.125}, {0.625, 0.125, 0.875}, {0.125, 0.625, 0.375},
	}
	var s Sobol
	got := s.Sample(nil, len(want), 3)
	for i, w := range want {
		for j := range w {
			if got[3*i+j] != w[j] {
				t.Errorf("Sobol point %d coordinate %d = %g, want %g", i+1, j, got[3*i+j], w[j])
			}
		}
	}
}

func TestHaltonFirstPoints(t *testing.T) {
	var h Halton
	got := h.Sample(nil, 3, 2)
	want := []float64{0.5, 1.0 / 3, 0.25, 2.0 / 3, 0.75, 1.0 / 9}
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-15 {
			t.Errorf("Halton value %d = %g, want %g", i, got[i], want[i])
		}
	}
}

func TestLatinHypercubeStrata(t *testing.T) {
	const n, d = 50, 3
	pts := LatinHypercube{Rand: rand.New(rand.NewPCG(1, 2))}.Sample(nil, n, d)
	for j := 0; j < d; j++ {
		seen := make([]bool, n)
		for i := 0; i < n; i++ {
			k := int(pts[i*d+j] * n)
			if seen[k] {
				t.Fatalf("coordinate %d: stratum %d holds two points", j, k)
			}
			seen[k] = true
		}
	}
}

// TestQuasiRandomConvergence checks the integration error of
// ∫ exp(x + y + z) over the unit cube falls as N^−1 (up to logarithms)
// for the low-discrepancy sequences, against N^−1/2 for random points.
func TestQuasiRandomConvergence(t *testing.T) {
	exact := math.Pow(math.E-1, 3)
	cases := []struct {
		name     string
		sampler  func() Sampler
		maxSlope float64
	}{
		{"sobol", func() Sampler { return &Sobol{} }, -0.8},
		{"halton", func() Sampler { return &Halton{} }, -0.75},
		{"lhs", func() Sampler { return LatinHypercube{Rand: rand.New(rand.NewPCG(3, 4))} }, -0.6},
	}
	for _, c := range cases {
		var logN, logE []float64
		for n := 1 << 8; n <= 1<<15; n <<= 1 {
			pts := c.sampler().Sample(nil, n, 3)
			sum := 0.0
			for i := 0; i < n; i++ {
				sum += math.Exp(pts[3*i] + pts[3*i+1] + pts[3*i+2])
			}
			logN = append(logN, math.Log(float64(n)))
			logE = append(logE, math.Log(math.Abs(sum/float64(n)-exact)))
		}
		_, slope := stat.LinearRegression(logN, logE, nil, false)
		t.Logf("%s: log-log slope of the integration error %.2f", c.name, slope)
		if slope > c.maxSlope {
			t.Errorf("%s: error slope %.2f, want at most %.2f", c.name, slope, c.maxSlope)
		}
	}
}

func TestNewSampler(t *testing.T) {
	for _, name := range []string{"", "uniform", "lhs", "sobol", "halton"} {
		s, err := NewSampler(name, 7)
		if err != nil {
			t.Fatalf("%q: %v", name, err)
		}
		for _, v := range s.Sample(nil, 64, 2) {
			if v < 0 || v >= 1 {
				t.Fatalf("%q: sample %g outside [0, 1)", name, v)
			}
		}
	}
	if _, err := NewSampler("grid", 0); err == nil {
		t.Error("unknown sampler name accepted")
	}
}

func TestSobolDimensionsAreSeparateSequences(t *testing.T) {
	var s, s2, s1 Sobol
	s.Sample(nil, 5, 2)
	got := s.Sample(nil, 3, 1)
	want := s1.Sample(nil, 3, 1)
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("1-D points after 2-D ones: %v, want the fresh 1-D sequence %v", got, want)
		}
	}
	a := s.Sample(nil, 2, 2)
	b := s2.Sample(nil, 7, 2)[10:]
	if a[0] != b[0] || a[3] != b[3] {
		t.Errorf("2-D sequence did not continue: %v vs %v", a, b)
	}
}
