package pinn

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/stat"
)

// TestLShapeReferenceConvergence checks the finite-difference reference
// converges under refinement, at the rate the corner singularity allows
// (u ~ r^{2/3}: about h^{4/3}), against a solve on a finer grid.
func TestLShapeReferenceConvergence(t *testing.T) {
	const n = 9
	fine, err := LShapeReference(n, 32)
	if err != nil {
		t.Fatal(err)
	}
	var logH, logE []float64
	for _, r := range []int{2, 4, 8} {
		u, err := LShapeReference(n, r)
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
	if _, err := LShapeReference(8, 1); err == nil {
		t.Error("even grid size accepted")
	}
}
