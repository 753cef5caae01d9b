package nsm

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/neuralpde/neuralpde/operators"
)

// Both residual norms equal their integrals, summed by Simpson's rule on
// the series, and have the gradients central differences give.
func TestResidualNorm(t *testing.T) {
	const rows, mt, T = 3, 6, 0.7
	ct := operators.NewChebyshevBasis(mt, 0, T)
	rng := rand.New(rand.NewPCG(4, 5))
	r, w := make([]float64, rows*mt), make([]float64, rows)
	for i := range r {
		r[i] = rng.NormFloat64()
	}
	for i := range w {
		w[i] = 0.5 + rng.Float64()
	}
	const n = 2001
	ts := make([]float64, n)
	for j := range ts {
		ts[j] = T * float64(j) / (n - 1)
	}
	simpson := func(f []float64) float64 {
		var s float64
		for j, v := range f {
			c := 2.0
			switch {
			case j == 0 || j == n-1:
				c = 1
			case j%2 == 1:
				c = 4
			}
			s += c * v
		}
		return s * T / (n - 1) / 3
	}
	for _, norm := range []string{NormL2, NormIntegrated} {
		rn, err := newResidualNorm(ct, norm)
		if err != nil {
			t.Fatal(err)
		}
		gr := make([]float64, len(r))
		got := rn.eval(gr, r, w, rows, 1)
		var want float64
		for i := range rows {
			vals := ct.Eval(nil, r[i*mt:(i+1)*mt], ts)
			if norm == NormIntegrated {
				// Cumulative trapezoid of the values, refined: exact
				// enough at 2001 points for a degree-5 polynomial.
				acc := make([]float64, n)
				for j := 1; j < n; j++ {
					acc[j] = acc[j-1] + (vals[j]+vals[j-1])/2*(ts[j]-ts[j-1])
				}
				vals = acc
			}
			sq := make([]float64, n)
			for j, v := range vals {
				sq[j] = v * v
			}
			want += w[i] * simpson(sq)
		}
		if math.Abs(got-want) > 1e-5*want {
			t.Errorf("%s: norm %.10g, the integral %.10g", norm, got, want)
		}
		scratch := make([]float64, len(r))
		checkGradient(t, norm+" residual norm", func() float64 { return rn.eval(scratch, r, w, rows, 1) },
			func() ([][]float64, [][]float64) { return [][]float64{r}, [][]float64{gr} }, 1, 1e-7)
	}
	if _, err := newResidualNorm(ct, "h1"); err == nil {
		t.Error("an unknown norm was accepted")
	}
}
