package nn

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestInitializerMoments draws 200,000 values from each initialiser and
// checks the sample mean and variance against the distribution's (the
// tolerances are about six standard errors).
func TestInitializerMoments(t *testing.T) {
	const fanIn, fanOut, n = 30, 50, 200000
	for _, c := range []struct {
		name     string
		init     Initializer
		mean, vr float64
	}{
		{"GlorotUniform", GlorotUniform, 0, 2.0 / (fanIn + fanOut)},
		{"GlorotNormal", GlorotNormal, 0, 2.0 / (fanIn + fanOut)},
		{"HeNormal", HeNormal, 0, 2.0 / fanIn},
		{"HeUniform", HeUniform, 0, 2.0 / fanIn},
		{"Uniform(1,3)", Uniform(1, 3), 2, 4.0 / 12},
	} {
		dst := make([]float64, n)
		c.init(dst, fanIn, fanOut, rand.New(rand.NewPCG(1, 2)))
		var mean, vr float64
		for _, v := range dst {
			mean += v
		}
		mean /= n
		for _, v := range dst {
			vr += (v - mean) * (v - mean)
		}
		vr /= n - 1
		if se := math.Sqrt(c.vr / n); math.Abs(mean-c.mean) > 6*se {
			t.Errorf("%s: mean %.5g, want %.5g ± %.2g", c.name, mean, c.mean, 6*se)
		}
		if math.Abs(vr-c.vr) > 0.02*c.vr {
			t.Errorf("%s: variance %.5g, want %.5g", c.name, vr, c.vr)
		}
	}
	dst := []float64{1, 2, 3}
	Zeros(dst, 1, 1, nil)
	if !slices.Equal(dst, []float64{0, 0, 0}) {
		t.Errorf("Zeros left %v", dst)
	}
}

// TestMLPSeeded checks that the same seed gives the same network and a
// different seed a different one.
func TestMLPSeeded(t *testing.T) {
	cfg := DefaultMLPConfig()
	cfg.Fourier = FourierConfig{Features: 4, Scale: 2}
	a, _ := NewMLP(cfg, rand.New(rand.NewPCG(7, 7)))
	b, _ := NewMLP(cfg, rand.New(rand.NewPCG(7, 7)))
	c, _ := NewMLP(cfg, rand.New(rand.NewPCG(8, 7)))
	for i, p := range a.Params() {
		if !slices.Equal(p.Value, b.Params()[i].Value) {
			t.Fatalf("%s differs between equal seeds", p.Name)
		}
	}
	if !slices.Equal(a.fourier, b.fourier) || slices.Equal(a.fourier, c.fourier) {
		t.Error("Fourier matrix does not follow the seed")
	}
	if slices.Equal(a.Params()[0].Value, c.Params()[0].Value) {
		t.Error("different seeds gave the same weights")
	}
	if got, want := NumParams(a.Params()), 8*64+64+2*(64*64+64)+64+1; got != want {
		t.Errorf("NumParams = %d, want %d", got, want)
	}
}

func TestMLPConfigErrors(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, c := range []struct {
		name string
		cfg  MLPConfig
	}{
		{"no inputs", MLPConfig{Outputs: 1}},
		{"no outputs", MLPConfig{Inputs: 1}},
		{"zero width", MLPConfig{Inputs: 1, Outputs: 1, Hidden: []int{4, 0}}},
		{"negative features", MLPConfig{Inputs: 1, Outputs: 1, Fourier: FourierConfig{Features: -1}}},
	} {
		if _, err := NewMLP(c.cfg, rng); err == nil {
			t.Errorf("%s: no error", c.name)
		}
	}
	if _, err := NewMLP(DefaultMLPConfig(), nil); err == nil {
		t.Error("nil rng: no error")
	}
}
