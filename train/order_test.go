package train

import (
	"context"
	"math"
	"testing"

	"gonum.org/v1/gonum/stat"
)

// farExpFit is expFit started from (a, b, c) = (0.5, 3, 1).
func farExpFit() *lsqFunc {
	f := expFit()
	copy(f.params[0].Value, []float64{0.5, 3, 1})
	return f
}

// TestConvergenceOrder measures the order of convergence p in
// f_{k+1} ≈ C f_k^p as the slope of log f_{k+1} against log f_k over the
// steps with f in [1e-28, 1e-1] of f₀: gradient descent converges
// linearly (p = 1); Gauss–Newton on a zero-residual problem and Newton
// with a Hessian refreshed every step quadratically (p = 2); Newton with a
// lazy Hessian and Levenberg–Marquardt superlinearly (Nielsen's update
// lowers λ at most threefold per step, so the damping fades geometrically
// rather than at once).
func TestConvergenceOrder(t *testing.T) {
	for _, tc := range []struct {
		name   string
		opt    Optimizer
		obj    *lsqFunc
		steps  int
		lo, hi float64
	}{
		{"gradient-descent", &SGD{LearningRate: 0.01}, quadratic(100, 1), 5000, 0.97, 1.03},
		{"gauss-newton", &GaussNewton{}, farExpFit(), 30, 1.8, 2.3},
		{"levenberg-marquardt", &LevenbergMarquardt{Damping: 1e-9}, farExpFit(), 30, 1.05, 2.3},
		{"newton-fresh-hessian", &Newton{Refresh: 1, M: 1e-6}, farExpFit(), 30, 1.8, 2.3},
		{"newton-lazy-hessian", &Newton{Refresh: 4, M: 1e-6}, farExpFit(), 60, 1.1, 1.9},
	} {
		f0, _ := tc.obj.Loss(nil)
		res, err := Run(context.Background(), tc.obj, &Config{Optimizer: tc.opt, Steps: tc.steps, TargetLoss: 1e-30 * f0})
		if err != nil {
			t.Fatal(err)
		}
		var x, y []float64
		for k := 0; k+1 < len(res.Losses); k++ {
			a, b := res.Losses[k]/f0, res.Losses[k+1]/f0
			if a <= 1e-1 && b >= 1e-28 {
				x = append(x, math.Log(a))
				y = append(y, math.Log(b))
			}
		}
		if len(x) < 3 {
			t.Errorf("%s: only %d steps in range (%v after %d steps, loss %.3e)", tc.name, len(x), res.Status, res.Steps, res.Loss/f0)
			continue
		}
		_, slope := stat.LinearRegression(x, y, nil, false)
		if slope < tc.lo || slope > tc.hi {
			t.Errorf("%s: order %.3f from %d steps, want in [%v, %v]", tc.name, slope, len(x), tc.lo, tc.hi)
		}
		t.Logf("%s: order %.3f from %d steps", tc.name, slope, len(x))
	}
}
