package train

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/neuralpde/neuralpde/nn"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/floats/scalar"
	"gonum.org/v1/gonum/mat"
)

// gradOnly hides a preconditioner's ApplyInverse, so EstimateSpectrum
// must go through Precondition.
type gradOnly struct{ p Preconditioner }

func (g gradOnly) Precondition(params []*nn.Param, batch []int) error {
	return g.p.Precondition(params, batch)
}

// TestEstimateSpectrum checks the estimated extreme eigenvalues of JᵀJ,
// plain and preconditioned, on both of EstimateSpectrum's paths (kernel on
// the residuals, operator on the parameters) against known values and
// gonum's EigenSym.
func TestEstimateSpectrum(t *testing.T) {
	tall := randomLSQ(40, 12, 3)
	if _, err := tall.Loss(nil); err != nil {
		t.Fatal(err)
	}
	J, _ := tall.Jacobian(nil, nil)
	var jtj mat.SymDense
	jtj.SymOuterK(1, J.T())
	var eig mat.EigenSym
	eig.Factorize(&jtj, false)
	ev := eig.Values(nil)
	invDiag := make([]float64, 12)
	for i := range invDiag {
		invDiag[i] = 1 / jtj.At(i, i)
	}
	// Jacobi-scaled JᵀJ: D^(−1/2) JᵀJ D^(−1/2).
	scaled := mat.NewSymDense(12, nil)
	for i := 0; i < 12; i++ {
		for j := i; j < 12; j++ {
			scaled.SetSym(i, j, jtj.At(i, j)*math.Sqrt(invDiag[i]*invDiag[j]))
		}
	}
	eig.Factorize(scaled, false)
	evScaled := eig.Values(nil)
	diagOf := func(f *lsqFunc, s []float64) *Diagonal {
		return &Diagonal{Scales: map[string][]float64{f.params[0].Name: s[:6], f.params[1].Name: s[6:]}}
	}

	square := quadratic(1e6, 4)
	if _, err := square.Loss(nil); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name           string
		obj            Objective
		pre            Preconditioner
		max, min, cond float64
		dim            int
		tol            float64
	}{
		{name: "kernel, cond 1e6", obj: square, max: math.NaN(), min: math.NaN(), cond: 1e6, dim: 20, tol: 1e-6},
		{name: "natural gradient, λ → 0", obj: square, pre: &NaturalGradient{Objective: square, Damping: 1e-12, CGTol: 1e-14, CGMaxIter: 100}, max: 1, min: 1, cond: 1, dim: 20, tol: 1e-4},
		{name: "parameters", obj: tall, max: ev[11], min: ev[0], cond: ev[11] / ev[0], dim: 12, tol: 1e-9},
		{name: "parameters, Jacobi", obj: tall, pre: diagOf(tall, invDiag), max: evScaled[11], min: evScaled[0], cond: evScaled[11] / evScaled[0], dim: 12, tol: 1e-9},
		{name: "parameters, Jacobi through Grad", obj: tall, pre: gradOnly{diagOf(tall, invDiag)}, max: evScaled[11], min: evScaled[0], cond: evScaled[11] / evScaled[0], dim: 12, tol: 1e-9},
	} {
		params := c.obj.Params()
		before := gatherGrads(nil, params)
		s, err := EstimateSpectrum(c.obj, c.pre, nil, &SpectrumOptions{Iterations: 100, Seed: 1})
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		// Lanczos stops early once the Krylov space is invariant (a
		// clustered spectrum); otherwise it runs to the full size.
		if s.Dim != c.dim || s.Preconditioned != (c.pre != nil) || len(s.Ritz) > c.dim || c.cond > 1 && len(s.Ritz) != c.dim {
			t.Errorf("%s: Dim %d, %d Ritz values, Preconditioned %v", c.name, s.Dim, len(s.Ritz), s.Preconditioned)
		}
		for _, v := range []struct {
			what      string
			got, want float64
		}{{"max", s.Max, c.max}, {"min", s.Min, c.min}, {"cond", s.Cond, c.cond}} {
			if !math.IsNaN(v.want) && !scalar.EqualWithinRel(v.got, v.want, c.tol) {
				t.Errorf("%s: %s = %.10g, want %.10g", c.name, v.what, v.got, v.want)
			}
		}
		if !floats.Equal(gatherGrads(nil, params), before) {
			t.Errorf("%s: the gradients changed", c.name)
		}
	}
	if _, err := EstimateSpectrum(lossOnly{}, nil, nil, nil); err == nil || !strings.Contains(err.Error(), "LeastSquares") {
		t.Errorf("objective without residuals: error %v", err)
	}
}

// lossOnly is an Objective with no residuals.
type lossOnly struct{}

func (lossOnly) Params() []*nn.Param               { return []*nn.Param{nn.NewParam("x", 1)} }
func (lossOnly) NumSamples() int                   { return 1 }
func (lossOnly) Loss(batch []int) (float64, error) { return 0, nil }

// TestSpectrumRecorder runs training with a SpectrumRecorder beside
// JSONLines on one writer and checks the estimates and their lines.
func TestSpectrumRecorder(t *testing.T) {
	obj := regressionMLP(t, 2)
	pre := &NaturalGradient{Objective: obj, Damping: 1e-3}
	var buf bytes.Buffer
	// RankTol leaves out the Ritz values at rounding level (the kernel of
	// a 49-parameter MLP on 32 residuals is numerically rank-deficient),
	// which otherwise set both condition numbers by rounding alone and
	// differ between BLAS builds.
	rec := &SpectrumRecorder{Objective: obj, Preconditioner: pre, Every: 5, Options: &SpectrumOptions{Iterations: 40, RankTol: 1e-10}, W: &buf}
	_, err := Run(context.Background(), obj, &Config{
		Optimizer: &SGD{LearningRate: 0.5}, Preconditioner: pre, Steps: 10,
		Recorders: []Recorder{&JSONLines{W: &buf, Every: 5}, rec},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.History) != 2 || rec.History[0].Step != 5 || rec.History[1].Step != 10 {
		t.Fatalf("history %+v, want estimates at steps 5 and 10", rec.History)
	}
	for _, h := range rec.History {
		// 32 residuals, 49 parameters: the 32×32 kernel. The recorder
		// sees the preconditioner of the step just taken, whose Jacobian
		// is one step old, so its kernel is not exactly μ/(μ + λ) ≤ 1.
		if h.Plain.Dim != 32 || !(h.Plain.Cond > 1e3) || !(h.Preconditioned.Max > 0) || math.IsInf(h.Preconditioned.Max, 0) {
			t.Errorf("step %d: plain %+v, preconditioned %+v", h.Step, h.Plain, h.Preconditioned)
		}
	}
	// With its Jacobian at the current point, the Gauss–Newton-
	// preconditioned kernel J (JᵀJ + λI)⁻¹ Jᵀ has eigenvalues μ/(μ + λ) < 1.
	if _, err := obj.Loss(nil); err != nil {
		t.Fatal(err)
	}
	if err := pre.Precondition(obj.Params(), nil); err != nil {
		t.Fatal(err)
	}
	s, err := EstimateSpectrum(obj, pre, nil, &SpectrumOptions{Iterations: 40})
	if err != nil || !(s.Max < 1+1e-9) || !(s.Max > 0.5) {
		t.Errorf("fresh natural-gradient kernel: max %g (error %v), want in (0.5, 1]", s.Max, err)
	}
	var spectra int
	for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var v map[string]any
		if err := json.Unmarshal([]byte(line), &v); err != nil {
			t.Fatalf("line %q: %v", line, err)
		}
		if sp, ok := v["spectrum"].(map[string]any); ok {
			spectra++
			if _, ok := v["precond_spectrum"]; !ok || sp["cond"].(float64) <= 1 {
				t.Errorf("spectrum line %q", line)
			}
		}
	}
	if spectra != 2 {
		t.Errorf("%d spectrum lines, want 2:\n%s", spectra, buf.String())
	}
}

// countJacobians counts the Jacobian evaluations of a LeastSquares.
type countJacobians struct {
	*lsqFunc
	n int
}

func (c *countJacobians) Jacobian(dst *mat.Dense, batch []int) (*mat.Dense, error) {
	c.n++
	return c.lsqFunc.Jacobian(dst, batch)
}

// TestSpectrumReusesPreconditioner checks that a spectrum estimate with a
// fresh Jacobi or NaturalGradient evaluates the preconditioner's Jacobian
// once, not once per Lanczos product.
func TestSpectrumReusesPreconditioner(t *testing.T) {
	for _, c := range []struct {
		name string
		pre  func(ls LeastSquares) Preconditioner
	}{
		{"Jacobi", func(ls LeastSquares) Preconditioner { return &Jacobi{Objective: ls} }},
		{"natural gradient", func(ls LeastSquares) Preconditioner { return &NaturalGradient{Objective: ls} }},
	} {
		f := &countJacobians{lsqFunc: randomLSQ(30, 10, 4)}
		if _, err := f.Loss(nil); err != nil {
			t.Fatal(err)
		}
		if _, err := EstimateSpectrum(f, c.pre(f), nil, &SpectrumOptions{Iterations: 10}); err != nil {
			t.Fatal(err)
		}
		if f.n != 2 {
			t.Errorf("%s: %d Jacobians, want 2 (the estimate's and the preconditioner's)", c.name, f.n)
		}
	}
}

// TestSpectrumRecorderFresh checks that with Fresh the preconditioned
// estimate is of P and JᵀJ at the same point: damped Gauss–Newton then
// brings the largest eigenvalue into (½, 1].
func TestSpectrumRecorderFresh(t *testing.T) {
	obj := regressionMLP(t, 2)
	rec := &SpectrumRecorder{
		Objective: obj, Every: 5, Options: &SpectrumOptions{Iterations: 40, RankTol: 1e-10},
		Fresh: func() (Preconditioner, error) { return &NaturalGradient{Objective: obj, Damping: 1e-3}, nil },
	}
	pre := &NaturalGradient{Objective: obj, Damping: 1e-3}
	if _, err := Run(context.Background(), obj, &Config{
		Optimizer: &SGD{LearningRate: 0.5}, Preconditioner: pre, Steps: 10, Recorders: []Recorder{rec},
	}); err != nil {
		t.Fatal(err)
	}
	if len(rec.History) != 2 {
		t.Fatalf("history %+v, want two estimates", rec.History)
	}
	for _, h := range rec.History {
		if m := h.Preconditioned.Max; !(m > 0.5 && m <= 1+1e-9) {
			t.Errorf("step %d: preconditioned λmax %v, want in (0.5, 1]", h.Step, m)
		}
	}
}
