package data

import (
	"math"
	"testing"

	"github.com/neuralpde/neuralpde/pde"
)

// The sampler's covariance at the sensors, Σ_k b_jk b_lk, must be the RBF
// kernel, whether or not the sensors lie on the fine grid.
func TestRBFCovariance(t *testing.T) {
	for _, tc := range []struct {
		name       string
		ell, sigma float64
		sensors    pde.Grid
		fine       int
		tol        float64
	}{
		{"paper: 100 sensors, fine 1000", 0.2, 1, pde.NewUniformGrid(0, 1, 100), 0, 1e-9},
		{"sensors off the fine grid", 0.2, 1, pde.NewUniformGrid(0, 1, 37), 250, 1e-9},
		{"σ=2, ℓ=0.5 on [−1, 2]", 0.5, 2, pde.NewUniformGrid(-1, 2, 50), 200, 1e-8},
	} {
		f, err := NewRBF(tc.ell, tc.sigma, tc.sensors, tc.fine)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		s := tc.sensors.Points(nil)
		r := f.Modes
		worst := 0.0
		for i := range s {
			for j := range s {
				c := 0.0
				for k := range r {
					c += f.basis[i*r+k] * f.basis[j*r+k]
				}
				d := (s[i] - s[j]) / tc.ell
				want := tc.sigma * tc.sigma * math.Exp(-0.5*d*d)
				worst = math.Max(worst, math.Abs(c-want))
			}
		}
		if worst > tc.tol*tc.sigma*tc.sigma {
			t.Errorf("%s: covariance differs from the kernel by %.3g (modes %d)", tc.name, worst, r)
		}
	}
}

// Samples are reproducible from (seed, i), differ between i, and have the
// kernel's variance empirically.
func TestRBFSample(t *testing.T) {
	f, err := NewRBF(0.2, 1, pde.NewUniformGrid(0, 1, 20), 200)
	if err != nil {
		t.Fatal(err)
	}
	a, b := make([]float64, 20), make([]float64, 20)
	f.Sample(a, 7, 3)
	f.Sample(b, 7, 3)
	for j := range a {
		if a[j] != b[j] {
			t.Fatalf("sample (7, 3) is not reproducible: %v vs %v", a[j], b[j])
		}
	}
	f.Sample(b, 7, 4)
	if a[0] == b[0] {
		t.Errorf("samples 3 and 4 coincide")
	}
	const n = 4000
	var v0, c01 float64
	for i := range n {
		f.Sample(a, 1, i)
		v0 += a[5] * a[5]
		c01 += a[5] * a[9]
	}
	v0, c01 = v0/n, c01/n
	d := (4.0 / 19) / 0.2
	if math.Abs(v0-1) > 0.1 || math.Abs(c01-math.Exp(-0.5*d*d)) > 0.1 {
		t.Errorf("empirical variance %.3f (want 1) and covariance %.3f (want %.3f)", v0, c01, math.Exp(-0.5*d*d))
	}
}

func TestRBFBadInput(t *testing.T) {
	g := pde.NewUniformGrid(0, 1, 10)
	for _, tc := range []struct {
		ell, sigma float64
		fine       int
	}{{0, 1, 10}, {-1, 1, 10}, {0.2, -1, 10}, {math.NaN(), 1, 10}, {0.2, 1, 1}} {
		if _, err := NewRBF(tc.ell, tc.sigma, g, tc.fine); err == nil {
			t.Errorf("NewRBF(%v, %v, fine %d) gave no error", tc.ell, tc.sigma, tc.fine)
		}
	}
}
