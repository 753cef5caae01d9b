package classical

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/stat"
)

// TestSolvePoissonLShapeConvergence checks that the solve converges under
// refinement at the rate the corner singularity allows (u ~ r^{2/3}: about
// h^{4/3}), against a solve on a finer grid.
func TestSolvePoissonLShapeConvergence(t *testing.T) {
	const n = 9
	fine, err := SolvePoissonLShape(n, 32)
	if err != nil {
		t.Fatal(err)
	}
	var logH, logE []float64
	for _, r := range []int{2, 4, 8} {
		u, err := SolvePoissonLShape(n, r)
		if err != nil {
			t.Fatal(err)
		}
		num, den := 0.0, 0.0
		for i := range u {
			num += (u[i] - fine[i]) * (u[i] - fine[i])
			den += fine[i] * fine[i]
		}
		e := math.Sqrt(num / den)
		h := 2 / float64((n-1)*r)
		t.Logf("h = %.5f: relative error %.3e", h, e)
		logH = append(logH, math.Log(h))
		logE = append(logE, math.Log(e))
	}
	_, slope := stat.LinearRegression(logH, logE, nil, false)
	t.Logf("log-log slope %.2f", slope)
	if slope < 1.2 || slope > 2.2 {
		t.Errorf("convergence slope %.2f, want between 1.2 (the corner's 4/3) and 2.2", slope)
	}
}

// TestSolvePoissonLShapeShape checks the solution's shape: zero outside
// the domain and on its boundary, positive inside, symmetric about the
// diagonal y = x (the domain is), and its maximum near the value of a
// fine solve.
func TestSolvePoissonLShapeShape(t *testing.T) {
	const n = 17
	u, err := SolvePoissonLShape(n, 4)
	if err != nil {
		t.Fatal(err)
	}
	mid := (n - 1) / 2
	max := 0.0
	for j := 0; j < n; j++ {
		for i := 0; i < n; i++ {
			v := u[j*n+i]
			inside := i > 0 && j > 0 && i < n-1 && j < n-1 && !(i >= mid && j >= mid)
			switch {
			case !inside && v != 0:
				t.Fatalf("u(%d, %d) = %g outside the open domain", i, j, v)
			case inside && !(v > 0):
				t.Fatalf("u(%d, %d) = %g inside the domain, want positive", i, j, v)
			}
			if d := math.Abs(v - u[i*n+j]); d > 1e-9 {
				t.Fatalf("u not symmetric about y = x at (%d, %d): difference %g", i, j, d)
			}
			max = math.Max(max, v)
		}
	}
	// The maximum of the exact solution is about 0.1495 (near (−0.4, −0.4)
	// on a fine solve); h = 1/32 is within a percent.
	if math.Abs(max-0.1495) > 3e-3 {
		t.Errorf("max u = %.4f, want about 0.1495", max)
	}
}

func TestSolvePoissonLShapeErrors(t *testing.T) {
	for _, c := range []struct{ n, refine int }{{8, 1}, {3, 1}, {9, 0}} {
		if _, err := SolvePoissonLShape(c.n, c.refine); err == nil {
			t.Errorf("n = %d, refine = %d accepted", c.n, c.refine)
		}
	}
}
