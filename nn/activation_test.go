package nn

import (
	"math"
	"math/cmplx"
	"testing"
)

// TestActivationDerivatives checks σ⁽ᵏ⁾ for k = 0…MaxDeriv of every
// activation (and the embedding's cosine) against Cauchy's integral formula
// on the complex extension of σ, to 1e-10 relative.
func TestActivationDerivatives(t *testing.T) {
	z := []float64{-3.1, -1.7, -0.6, -0.05, 0, 0.3, 1.2, 2.4, 3.3}
	for _, act := range append(Activations(), Activation(cosAct{})) {
		f := complexAct(act)
		aux := make([]float64, len(z))
		act.Aux(aux, z)
		got := make([]float64, len(z))
		for k := 0; k <= MaxDeriv; k++ {
			act.Deriv(got, z, aux, k)
			for i, v := range z {
				want := cauchyDeriv(func(p []complex128) complex128 { return f(p[0]) }, []float64{v}, 0, k, 0.5, 64)
				if k == 0 {
					want = real(f(complex(v, 0)))
				}
				if e := math.Abs(got[i] - want); e > 1e-10*math.Max(1, math.Abs(want)) {
					t.Errorf("%s order %d at %v: got %.15g, want %.15g", act.Name(), k, v, got[i], want)
				}
			}
		}
	}
}

func TestComplexErf(t *testing.T) {
	for _, x := range []float64{-2.5, -1, -0.1, 0, 0.4, 1.3, 2.9} {
		if got, want := real(complexErf(complex(x, 0))), math.Erf(x); math.Abs(got-want) > 1e-13 {
			t.Errorf("erf(%v) = %.16g, want %.16g", x, got, want)
		}
	}
	// erf(iy) = 2i/√π ∫₀ʸ e^{s²} ds is purely imaginary.
	if v := complexErf(complex(0, 1)); math.Abs(real(v)) > 1e-16 || cmplx.Abs(v) < 1 {
		t.Errorf("erf(i) = %v", v)
	}
}

func TestActivationByName(t *testing.T) {
	for _, a := range Activations() {
		got, err := ActivationByName(a.Name())
		if err != nil || got != a {
			t.Errorf("ActivationByName(%q) = %v, %v", a.Name(), got, err)
		}
	}
	if a, err := ActivationByName("GELU"); err != nil || a != GELU {
		t.Errorf("ActivationByName is not case-insensitive: %v, %v", a, err)
	}
	if _, err := ActivationByName("relu"); err == nil {
		t.Error("ActivationByName(relu): no error")
	}
}

// TestSoftplusLargeInputs checks that softplus and the sigmoid-based
// derivatives neither overflow nor lose the linear tail.
func TestSoftplusLargeInputs(t *testing.T) {
	z := []float64{-800, -40, 40, 800}
	aux := make([]float64, len(z))
	got := make([]float64, len(z))
	Softplus.Aux(aux, z)
	Softplus.Deriv(got, z, aux, 0)
	want := []float64{0, math.Exp(-40), 40, 800}
	for i := range z {
		if math.Abs(got[i]-want[i]) > 1e-15*math.Max(1, want[i]) {
			t.Errorf("softplus(%v) = %v, want %v", z[i], got[i], want[i])
		}
	}
	for k := 1; k <= MaxDeriv; k++ {
		Softplus.Deriv(got, z, aux, k)
		for i, v := range got {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Errorf("softplus order %d at %v = %v", k, z[i], v)
			}
		}
	}
}
