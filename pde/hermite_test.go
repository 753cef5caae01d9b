package pde

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func TestGaussHermiteSmall(t *testing.T) {
	sp := math.Sqrt(math.Pi)
	cases := []struct {
		n    int
		z, w []float64
	}{
		{1, []float64{0}, []float64{sp}},
		{2, []float64{-1 / math.Sqrt2, 1 / math.Sqrt2}, []float64{sp / 2, sp / 2}},
		{3, []float64{-math.Sqrt(1.5), 0, math.Sqrt(1.5)}, []float64{sp / 6, 2 * sp / 3, sp / 6}},
	}
	for _, c := range cases {
		z, lw := GaussHermite(c.n)
		for i := range z {
			if math.Abs(z[i]-c.z[i]) > 1e-15 || math.Abs(math.Exp(lw[i])-c.w[i]) > 1e-15 {
				t.Errorf("n=%d node %d: (%v, %v), want (%v, %v)", c.n, i, z[i], math.Exp(lw[i]), c.z[i], c.w[i])
			}
		}
	}
}

// TestGaussHermiteMoments checks that the rule integrates z^{2k} e^{−z²}
// exactly, ∫ = Γ(k + ½), up to degree 2n − 2. The high moments are carried
// by the outermost nodes, whose weights are as small as e^{−2n}, so this
// checks the tiny weights to full relative accuracy, which the Cole–Hopf
// integrals need (their integrand peaks far out in the tails).
func TestGaussHermiteMoments(t *testing.T) {
	for _, n := range []int{10, 61, 200, 1000} {
		z, lw := GaussHermite(n)
		for i := 1; i < n; i++ {
			if !(z[i] > z[i-1]) || z[i] != -z[n-1-i] || lw[i] != lw[n-1-i] {
				t.Fatalf("n=%d: nodes not increasing and symmetric at %d", n, i)
			}
		}
		for _, k := range []int{0, 1, 5, n / 2, n - 1} {
			// log Σ wᵢ zᵢ^{2k} by log-sum-exp, against log Γ(k + ½).
			terms := make([]float64, 0, n)
			for i := range z {
				if z[i] == 0 && k > 0 {
					continue
				}
				terms = append(terms, lw[i]+2*float64(k)*math.Log(math.Abs(z[i])))
			}
			got := logSumExp(terms)
			want, _ := math.Lgamma(float64(k) + 0.5)
			tol := 1e-13 * math.Max(1, math.Abs(want))
			if math.Abs(got-want) > tol {
				t.Errorf("n=%d: log of moment %d is %v, want %v (difference %g)", n, 2*k, got, want, got-want)
			}
		}
	}
}

func logSumExp(v []float64) float64 {
	m := math.Inf(-1)
	for _, x := range v {
		m = math.Max(m, x)
	}
	var s float64
	for _, x := range v {
		s += math.Exp(x - m)
	}
	return m + math.Log(s)
}

// TestGaussHermiteEigen compares the nodes with the eigenvalues of the
// Jacobi matrix computed by a dense symmetric eigensolver (Golub & Welsch
// 1969), an independent route to the same numbers.
func TestGaussHermiteEigen(t *testing.T) {
	for _, n := range []int{7, 64, 150} {
		a := mat.NewSymDense(n, nil)
		for k := 1; k < n; k++ {
			a.SetSym(k-1, k, math.Sqrt(float64(k)/2))
		}
		var es mat.EigenSym
		if !es.Factorize(a, false) {
			t.Fatalf("n=%d: eigendecomposition failed", n)
		}
		want := es.Values(nil)
		z, _ := GaussHermite(n)
		tol := 1e-14 * math.Sqrt(float64(2*n))
		for i := range z {
			if math.Abs(z[i]-want[i]) > tol {
				t.Errorf("n=%d node %d: %v, eigenvalue %v", n, i, z[i], want[i])
			}
		}
	}
}

func TestGaussHermitePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("GaussHermite(0) did not panic")
		}
	}()
	GaussHermite(0)
}
