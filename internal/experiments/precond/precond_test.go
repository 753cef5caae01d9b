package precond

import (
	"context"
	"math"
	"testing"

	"github.com/neuralpde/neuralpde/train"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/floats/scalar"
	"gonum.org/v1/gonum/stat"
)

// TestFourierPoisson checks the model: zero loss and error at the exact
// coefficients, the gradient against central differences of the loss,
// and a mini-batch Jacobian against the full one.
func TestFourierPoisson(t *testing.T) {
	for _, c := range []struct {
		dim, k int
	}{{1, 3}, {2, 2}} {
		p, err := NewFourierPoisson(c.dim, c.k, 1)
		if err != nil {
			t.Fatal(err)
		}
		copy(p.theta.Value, p.Exact())
		f, err := p.Loss(nil)
		if err != nil || f > 1e-24 || p.RelL2() != 0 {
			t.Errorf("d=%d: at θ*, loss %g, error %g (%v)", c.dim, f, p.RelL2(), err)
		}
		for i := range p.theta.Value {
			p.theta.Value[i] = 0.1 * float64(i%5)
		}
		if _, err := p.Loss(nil); err != nil {
			t.Fatal(err)
		}
		g := append([]float64(nil), p.theta.Grad...)
		const h = 1e-6
		for i := range p.theta.Value {
			v := p.theta.Value[i]
			p.theta.Value[i] = v + h
			fp, _ := p.Loss(nil)
			p.theta.Value[i] = v - h
			fm, _ := p.Loss(nil)
			p.theta.Value[i] = v
			if d := (fp - fm) / (2 * h); !scalar.EqualWithinAbsOrRel(g[i], d, 1e-6, 1e-6) {
				t.Errorf("d=%d: gradient %d is %g, differences give %g", c.dim, i, g[i], d)
			}
		}
		batch := []int{2, 0, p.NumSamples() - 1}
		jb, err := p.Jacobian(nil, batch)
		if err != nil {
			t.Fatal(err)
		}
		for i, q := range batch {
			if !floats.Equal(jb.RawRowView(i), p.J.RawRowView(q)) {
				t.Errorf("d=%d: batch Jacobian row %d is not row %d", c.dim, i, q)
			}
		}
	}
	if _, err := NewFourierPoisson(3, 2, 1); err == nil {
		t.Error("3-D problem accepted")
	}
	if _, err := NewFourierPoisson(1, 0, 1); err == nil {
		t.Error("K = 0 accepted")
	}
}

// TestFourierConditioning checks De Ryck et al.'s claim on the 1-D model:
// the condition number of JᵀJ grows like K⁴ (log–log slope 4 within 0.3),
// while the spectrally preconditioned one stays below 10.
func TestFourierConditioning(t *testing.T) {
	var logK, logCond []float64
	for _, k := range []int{4, 8, 16, 32} {
		p, err := NewFourierPoisson(1, k, 1)
		if err != nil {
			t.Fatal(err)
		}
		opts := &train.SpectrumOptions{Iterations: p.theta.Len()}
		plain, err := train.EstimateSpectrum(p, nil, nil, opts)
		if err != nil {
			t.Fatal(err)
		}
		pre, err := p.SpectralPreconditioner(1)
		if err != nil {
			t.Fatal(err)
		}
		spec, err := train.EstimateSpectrum(p, pre, nil, opts)
		if err != nil {
			t.Fatal(err)
		}
		if !(spec.Cond < 10) {
			t.Errorf("K=%d: preconditioned condition number %g, want < 10", k, spec.Cond)
		}
		logK = append(logK, math.Log(float64(k)))
		logCond = append(logCond, math.Log(plain.Cond))
	}
	if _, slope := stat.LinearRegression(logK, logCond, nil, false); math.Abs(slope-4) > 0.3 {
		t.Errorf("condition number grows like K^%.2f, want K^4", slope)
	}
}

// TestFourierSteps checks that on the 1-D model with K = 4 the spectral
// and Gauss–Newton preconditioners reach relative L2 1e-3 in at least ten
// times fewer gradient-descent steps than plain descent, which reaches it
// too.
func TestFourierSteps(t *testing.T) {
	row, err := RunFourier(context.Background(), 1, 4, 1, 1e-3, 100000)
	if err != nil {
		t.Fatal(err)
	}
	if row.Steps < 0 || row.StepsSpectral < 0 || row.StepsGN < 0 {
		t.Fatalf("target not reached: %+v", row)
	}
	if 10*row.StepsSpectral > row.Steps || 10*row.StepsGN > row.Steps {
		t.Errorf("steps plain %d, spectral %d, Gauss–Newton %d: want a tenfold cut", row.Steps, row.StepsSpectral, row.StepsGN)
	}
	if !(row.Cond > 100*row.CondSpectral) {
		t.Errorf("condition numbers %g plain, %g spectral", row.Cond, row.CondSpectral)
	}
}

// TestRunPINNSmoke trains a tiny poisson-sine PINN a few steps each way.
func TestRunPINNSmoke(t *testing.T) {
	s := PINNSetup{Preset: "poisson-sine", Hidden: []int{8}, Collocation: 64, Boundary: 16, Seed: 1}
	for _, c := range []struct {
		opt string
		pre bool
	}{{"gd", false}, {"gd", true}, {"adam", true}} {
		row, err := RunPINN(context.Background(), s, PINNRun{Optimizer: c.opt, Precondition: c.pre, Steps: 5, Every: 1, Target: 1e-12})
		if err != nil {
			t.Fatalf("%s/%v: %v", c.opt, c.pre, err)
		}
		if row.Steps != 5 || math.IsNaN(row.Final) || row.Final > 10 || row.Best > row.Final {
			t.Errorf("%s/%v: %+v", c.opt, c.pre, row)
		}
	}
	if _, err := RunPINN(context.Background(), s, PINNRun{Optimizer: "lbfgs", Steps: 5}); err == nil {
		t.Error("unknown optimizer accepted")
	}
}
