package operators

import (
	"math"
	"testing"
)

// TestHotPathsAllocateNothing guards the promise that, with destinations
// given, transforms and derivatives reuse the plans' workspaces.
func TestHotPathsAllocateNothing(t *testing.T) {
	const n = 64
	f := NewFourier(n, 2*math.Pi)
	u := randomSamples(n, 1)
	du := make([]float64, n)
	c := make([]complex128, f.NumModes())
	xs := make([]float64, 33)
	vs := make([]float64, len(xs))
	fine := make([]float64, 3*n)
	f.Resample(fine, u, 3*n) // makes the target plan once

	f2 := NewFourier2D(16, 12, 1, 1)
	u2 := randomSamples(16*12, 2)
	d2 := make([]float64, len(u2))
	c2 := make([]complex128, f2.NumModes())
	r2 := make([]float64, 8*20)
	f2.Resample(r2, u2, 8, 20)

	p2 := NewFourier2D(32, 64, 1, 1) // the radix-4 path
	v2 := randomSamples(32*64, 4)
	e2 := make([]float64, len(v2))
	k2 := make([]complex128, p2.NumModes())
	fc := make([]complex128, 3*n/2+1)

	ch := NewChebyshev(33, -1, 1)
	uc := randomSamples(33, 3)
	dc := make([]float64, 33)

	for _, test := range []struct {
		name string
		fn   func()
	}{
		{"Fourier.Forward", func() { f.Forward(c, u) }},
		{"Fourier.Inverse", func() { f.Inverse(du, c) }},
		{"Fourier.Deriv", func() { f.Deriv(du, u, 2) }},
		{"Fourier.Interpolate", func() { f.Interpolate(vs, c, 0, xs) }},
		{"Fourier.Resample", func() { f.Resample(fine, u, 3*n) }},
		{"Fourier2D.Forward", func() { f2.Forward(c2, u2) }},
		{"Fourier2D.Inverse", func() { f2.Inverse(d2, c2) }},
		{"Fourier2D.Deriv", func() { f2.Deriv(d2, u2, 1, 1) }},
		{"Fourier2D.InverseLaplacian", func() { f2.InverseLaplacian(d2, u2) }},
		{"Fourier2D.Resample", func() { f2.Resample(r2, u2, 8, 20) }},
		{"Fourier.ResampleCoeffs", func() { f.ResampleCoeffs(fc, c, 3*n) }},
		{"Fourier2D.Forward/radix-4", func() { p2.Forward(k2, v2) }},
		{"Fourier2D.Inverse/radix-4", func() { p2.Inverse(e2, k2) }},
		{"Fourier2D.ForwardColumns/radix-4", func() { p2.ForwardColumns(k2, v2, 12) }},
		{"Fourier2D.InverseColumns/radix-4", func() { p2.InverseColumns(e2, k2, 33) }},
		{"Fourier2D.InverseColumns", func() { f2.InverseColumns(d2, c2, 7) }},
		{"Chebyshev.Deriv", func() { ch.Deriv(dc, uc, 2) }},
		{"Chebyshev.Coefficients", func() { ch.Coefficients(dc, uc) }},
		{"Chebyshev.Interpolate", func() { ch.Interpolate(dc, uc, uc) }},
		{"D1", func() { D1(du, u, 0.1, 4, false) }},
		{"D2", func() { D2(du, u, 0.1, 4, true) }},
	} {
		if a := testing.AllocsPerRun(10, test.fn); a != 0 {
			t.Errorf("%s: %v allocations per call, want 0", test.name, a)
		}
	}
}
