package nsm

import (
	"math"
	"math/rand/v2"
	"testing"
)

// checkGradient compares every k-th parameter's gradient of obj with a
// central difference of the loss.
func checkGradient(t *testing.T, name string, loss func() float64, params func() ([][]float64, [][]float64), stride int, tol float64) {
	t.Helper()
	loss()
	values, grads := params()
	// Copy every gradient first: the differenced losses overwrite Grad.
	saved := make([][]float64, len(grads))
	for i, g := range grads {
		saved[i] = append([]float64(nil), g...)
	}
	var worst float64
	checked := 0
	for pi, v := range values {
		g := saved[pi]
		for i := 0; i < len(v); i += stride {
			old := v[i]
			h := 1e-5 * math.Max(1, math.Abs(old))
			v[i] = old + h
			lp := loss()
			v[i] = old - h
			lm := loss()
			v[i] = old
			fd := (lp - lm) / (2 * h)
			err := math.Abs(fd-g[i]) / math.Max(1e-3, math.Abs(fd)+math.Abs(g[i]))
			worst = math.Max(worst, err)
			checked++
		}
	}
	if worst > tol || checked == 0 {
		t.Errorf("%s: worst relative gradient error %.2e over %d entries, want below %.0e", name, worst, checked, tol)
	}
}

func smallConfig() *Config {
	return &Config{Width: 4, Layers: 2, ProjWidth: 5, GridFactor: 1.5}
}

func TestModelGradient(t *testing.T) {
	for _, tc := range []struct {
		name string
		mk   func() (Problem, error)
		tol  float64
	}{
		{"poisson k=3", func() (Problem, error) { return NewPoisson2D(3) }, 1e-6},
		{"reaction-diffusion", func() (Problem, error) { return NewReactionDiffusion(0.01, 5, 4, 5) }, 1e-6},
	} {
		p, err := tc.mk()
		if err != nil {
			t.Fatal(err)
		}
		in, out := p.Channels()
		m, err := NewModel(smallConfig(), p.Basis(), in, out, rand.New(rand.NewPCG(1, 1)))
		if err != nil {
			t.Fatal(err)
		}
		obj, err := NewObjective(m, p, 3, 7)
		if err != nil {
			t.Fatal(err)
		}
		batch := []int{2, 0}
		loss := func() float64 {
			l, err := obj.Loss(batch)
			if err != nil {
				t.Fatal(err)
			}
			return l
		}
		params := func() ([][]float64, [][]float64) {
			var v, g [][]float64
			for _, q := range m.Params() {
				v = append(v, q.Value)
				g = append(g, q.Grad)
			}
			return v, g
		}
		checkGradient(t, tc.name, loss, params, 7, tc.tol)
	}
}

func TestFNOGradient(t *testing.T) {
	p, err := NewReactionDiffusion(0.01, 5, 3, 4)
	if err != nil {
		t.Fatal(err)
	}
	for _, loss := range []string{FNOData, FNOResidual} {
		f, err := NewGridFNO(smallConfig(), 3, 1, 3, 4, rand.New(rand.NewPCG(2, 2)))
		if err != nil {
			t.Fatal(err)
		}
		obj, err := NewFNOObjective(f, p, loss, 8, 3, 5, false)
		if err != nil {
			t.Fatal(err)
		}
		batch := []int{1, 2}
		lossFn := func() float64 {
			l, err := obj.Loss(batch)
			if err != nil {
				t.Fatal(err)
			}
			return l
		}
		params := func() ([][]float64, [][]float64) {
			var v, g [][]float64
			for _, q := range f.Params() {
				v = append(v, q.Value)
				g = append(g, q.Grad)
			}
			return v, g
		}
		checkGradient(t, "fno "+loss, lossFn, params, 5, 1e-5)
	}
}
