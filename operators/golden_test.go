package operators

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

// golden holds the values written by
// scripts/reference/operators_numpy_golden.py from numpy 1.24 / scipy 1.10.
type golden map[string]map[string]json.RawMessage

type goldenComplex struct {
	Re, Im []float64
}

func (g goldenComplex) values() []complex128 {
	c := make([]complex128, len(g.Re))
	for i := range c {
		c[i] = complex(g.Re[i], g.Im[i])
	}
	return c
}

func readGolden(t *testing.T) golden {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "numpy_golden.json"))
	if err != nil {
		t.Fatalf("reading golden values: %v (regenerate with scripts/reference/operators_numpy_golden.py)", err)
	}
	var g golden
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatalf("decoding golden values: %v", err)
	}
	return g
}

func (g golden) floats(t *testing.T, group, key string) []float64 {
	t.Helper()
	var v []float64
	if err := json.Unmarshal(g[group][key], &v); err != nil {
		t.Fatalf("golden %s.%s: %v", group, key, err)
	}
	return v
}

func (g golden) float(t *testing.T, group, key string) float64 {
	t.Helper()
	var v float64
	if err := json.Unmarshal(g[group][key], &v); err != nil {
		t.Fatalf("golden %s.%s: %v", group, key, err)
	}
	return v
}

func (g golden) complexes(t *testing.T, group, key string) []complex128 {
	t.Helper()
	var v goldenComplex
	if err := json.Unmarshal(g[group][key], &v); err != nil {
		t.Fatalf("golden %s.%s: %v", group, key, err)
	}
	return v.values()
}

func TestGoldenNumpyFFT(t *testing.T) {
	g := readGolden(t)
	// 12 and 9 go through gonum's FFT, 16 and 32 through the radix-4 one.
	for _, n := range []int{12, 9, 16, 32} {
		group := "rfft" + strconv.Itoa(n)
		u := g.floats(t, group, "u")
		want := g.complexes(t, group, "c")
		if d := maxAbsDiffC(NewFourier(n, 1).Forward(nil, u), want); d > 1e-13 {
			t.Errorf("%s: Forward differs from numpy.fft.rfft by %g", group, d)
		}
	}
	for _, n := range []int{12, 16, 32} {
		group := "irfft" + strconv.Itoa(n)
		c := g.complexes(t, group, "c")
		if d := maxAbsDiff(NewFourier(n, 1).Inverse(nil, c), g.floats(t, group, "u")); d > 1e-14 {
			t.Errorf("%s: Inverse differs from numpy.fft.irfft by %g", group, d)
		}
	}
	for _, sz := range [][2]int{{6, 5}, {8, 16}} {
		nx, ny := sz[0], sz[1]
		name := strconv.Itoa(nx) + "x" + strconv.Itoa(ny)
		f2 := NewFourier2D(nx, ny, 1, 1)
		if d := maxAbsDiffC(f2.Forward(nil, g.floats(t, "rfft2_"+name, "u")), g.complexes(t, "rfft2_"+name, "c")); d > 1e-13 {
			t.Errorf("%s: Fourier2D.Forward differs from numpy.fft.rfft2 by %g", name, d)
		}
		c2 := g.complexes(t, "irfft2_"+name, "c")
		if d := maxAbsDiff(f2.Inverse(nil, c2), g.floats(t, "irfft2_"+name, "u")); d > 1e-14 {
			t.Errorf("%s: Fourier2D.Inverse differs from numpy.fft.irfft2 by %g", name, d)
		}
	}
}

func TestGoldenScipyResample(t *testing.T) {
	g := readGolden(t)
	for _, test := range []struct {
		n  int
		ms []int
	}{
		{12, []int{20, 13, 8, 7}},
		{16, []int{32, 8, 12}},
	} {
		group := "resample" + strconv.Itoa(test.n)
		u := g.floats(t, group, "u")
		f := NewFourier(test.n, 1)
		for _, m := range test.ms {
			want := g.floats(t, group, strconv.Itoa(m))
			if d := maxAbsDiff(f.Resample(nil, u, m), want); d > 1e-14 {
				t.Errorf("Resample %d→%d differs from scipy.signal.resample by %g", test.n, m, d)
			}
		}
	}
}

func TestGoldenNumpyChebyshev(t *testing.T) {
	g := readGolden(t)
	const group = "chebyshev9"
	a, b := g.float(t, group, "a"), g.float(t, group, "b")
	u := g.floats(t, group, "u")
	c := NewChebyshev(len(u), a, b)
	coef := c.Coefficients(nil, u)
	if !floats.EqualApprox(coef, g.floats(t, group, "coef"), 1e-13) {
		t.Errorf("Coefficients %v differ from numpy chebfit %v", coef, g.floats(t, group, "coef"))
	}
	for order, key := range map[int]string{1: "dcoef", 2: "d2coef"} {
		if got, want := c.DerivCoeffs(nil, coef, order), g.floats(t, group, key); !floats.EqualApprox(got, want, 1e-12) {
			t.Errorf("DerivCoeffs order %d: %v, numpy chebder %v", order, got, want)
		}
	}
	want := mat.NewDense(len(u), len(u), g.floats(t, group, "D"))
	if d := c.DiffMatrix(1); !mat.EqualApprox(d, want, 1e-13) {
		t.Errorf("DiffMatrix(1) differs from Trefethen's cheb.m:\n%v\nwant\n%v", mat.Formatted(d), mat.Formatted(want))
	}
}

func TestGoldenScipyResample2D(t *testing.T) {
	g := readGolden(t)
	u := g.floats(t, "resample2_6x5", "u")
	f := NewFourier2D(6, 5, 1, 2)
	for _, test := range []struct {
		key    string
		mx, my int
	}{{"8x3", 8, 3}, {"4x9", 4, 9}} {
		want := g.floats(t, "resample2_6x5", test.key)
		if d := maxAbsDiff(f.Resample(nil, u, test.mx, test.my), want); d > 1e-14 {
			t.Errorf("Fourier2D.Resample 6×5→%s differs from scipy.signal.resample per axis by %g", test.key, d)
		}
	}
}

func TestGoldenClenshawCurtis(t *testing.T) {
	g := readGolden(t)
	a, b := g.float(t, "chebyshev9", "a"), g.float(t, "chebyshev9", "b")
	want := g.floats(t, "chebyshev9", "quadrature")
	if got := NewChebyshev(len(want), a, b).QuadratureWeights(nil); !floats.EqualApprox(got, want, 1e-14) {
		t.Errorf("QuadratureWeights %v, numpy (integrated cardinal polynomials) %v", got, want)
	}
}
