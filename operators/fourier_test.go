package operators

import (
	"fmt"
	"math"
	"math/cmplx"
	"math/rand/v2"
	"testing"
)

// naiveRDFT is the O(n²) definition c_j = Σ_m u_m e^{−2πi jm/n}, j ≤ n/2.
func naiveRDFT(u []float64) []complex128 {
	n := len(u)
	c := make([]complex128, n/2+1)
	for j := range c {
		var s complex128
		for m, um := range u {
			s += complex(um, 0) * cmplx.Exp(complex(0, -2*math.Pi*float64(j*m)/float64(n)))
		}
		c[j] = s
	}
	return c
}

// panicCase is a call that must panic with a message starting "operators: ".
type panicCase struct {
	name string
	fn   func()
}

func testPanics(t *testing.T, cases []panicCase) {
	t.Helper()
	for _, test := range cases {
		t.Run(test.name, func(t *testing.T) {
			defer func() {
				r := recover()
				if r == nil {
					t.Fatal("no panic")
				}
				if s := fmt.Sprint(r); len(s) < 11 || s[:11] != "operators: " {
					t.Errorf("panic message %q does not start with \"operators: \"", s)
				}
			}()
			test.fn()
		})
	}
}

func maxAbsDiffC(a, b []complex128) float64 {
	var d float64
	for i := range a {
		d = math.Max(d, cmplx.Abs(a[i]-b[i]))
	}
	return d
}

func maxAbsDiff(a, b []float64) float64 {
	var d float64
	for i := range a {
		d = math.Max(d, math.Abs(a[i]-b[i]))
	}
	return d
}

func periodicPoints(n int, a, length float64) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = a + float64(i)*length/float64(n)
	}
	return x
}

func TestFourierForwardInverse(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	for _, test := range []struct {
		n        int
		tolDFT   float64 // relative to n
		tolRound float64
	}{
		{1, 1e-15, 1e-15},
		{2, 1e-15, 1e-15},
		{3, 1e-14, 1e-14},
		{8, 1e-14, 1e-14},
		{15, 1e-14, 1e-14},
		{64, 1e-13, 1e-14},
		{100, 1e-13, 1e-14},
		{256, 1e-13, 1e-13},
		{257, 1e-13, 1e-12}, // prime: fftpack falls back to its O(n²) generic pass
	} {
		u := make([]float64, test.n)
		for i := range u {
			u[i] = rnd.NormFloat64()
		}
		f := NewFourier(test.n, 2*math.Pi)
		c := f.Forward(nil, u)
		if len(c) != f.NumModes() {
			t.Fatalf("n=%d: got %d modes, want %d", test.n, len(c), f.NumModes())
		}
		if d := maxAbsDiffC(c, naiveRDFT(u)); d > test.tolDFT*float64(test.n) {
			t.Errorf("n=%d: Forward differs from the naive DFT by %g", test.n, d)
		}
		back := f.Inverse(nil, c)
		if d := maxAbsDiff(back, u); d > test.tolRound {
			t.Errorf("n=%d: Inverse(Forward(u)) differs from u by %g", test.n, d)
		}
	}
}

func TestFourierInverseIgnoresImaginaryEnds(t *testing.T) {
	f := NewFourier(8, 1)
	u := []float64{1, -2, 3, 0.5, 0, 7, -1, 2}
	c := f.Forward(nil, u)
	c[0] += complex(0, 5)
	c[4] += complex(0, -3)
	if d := maxAbsDiff(f.Inverse(nil, c), u); d > 1e-14 {
		t.Errorf("imaginary parts of c_0 and c_{n/2} changed the result by %g", d)
	}
}

func TestFourierWavenumber(t *testing.T) {
	f := NewFourier(16, 4)
	for j := 0; j < f.NumModes(); j++ {
		if got, want := f.Wavenumber(j), 2*math.Pi*float64(j)/4; got != want {
			t.Errorf("Wavenumber(%d) = %g, want %g", j, got, want)
		}
	}
}

// TestFourierDerivSpectral checks that derivatives of a smooth periodic,
// non-band-limited function converge spectrally: the error at the largest n
// is near round-off.
func TestFourierDerivSpectral(t *testing.T) {
	const a, length = -1.0, 2.0
	w := 2 * math.Pi / length
	// u = exp(sin(w x)), an entire periodic function with all modes present.
	u := func(x float64) float64 { return math.Exp(math.Sin(w * x)) }
	du := func(x float64) float64 { return w * math.Cos(w*x) * u(x) }
	d2u := func(x float64) float64 {
		s, c := math.Sin(w*x), math.Cos(w*x)
		return w * w * (c*c - s) * u(x)
	}
	for _, test := range []struct {
		order int
		exact func(float64) float64
		tol   float64 // at n = 64
	}{
		{1, du, 1e-12},
		{2, d2u, 1e-10},
	} {
		var errs []float64
		for _, n := range []int{8, 16, 32, 64} {
			f := NewFourier(n, length)
			x := periodicPoints(n, a, length)
			v := make([]float64, n)
			want := make([]float64, n)
			for i, xi := range x {
				v[i] = u(xi)
				want[i] = test.exact(xi)
			}
			got := f.Deriv(nil, v, test.order)
			errs = append(errs, maxAbsDiff(got, want))
		}
		t.Logf("order %d: max errors at n = 8, 16, 32, 64: %.3g", test.order, errs)
		if errs[len(errs)-1] > test.tol {
			t.Errorf("order %d: error at n=64 is %g, want ≤ %g (errors %v)", test.order, errs[len(errs)-1], test.tol, errs)
		}
		if !(errs[1] < 1e-3*errs[0]) {
			t.Errorf("order %d: error did not drop spectrally from n=8 to n=16: %v", test.order, errs)
		}
	}
}

func TestFourierDerivBandLimited(t *testing.T) {
	for _, n := range []int{7, 8, 31, 32} {
		const length = 3.0
		f := NewFourier(n, length)
		x := periodicPoints(n, 0, length)
		w := 2 * math.Pi / length
		v := make([]float64, n)
		for order := 0; order <= 4; order++ {
			want := make([]float64, n)
			for i, xi := range x {
				// Modes 1 and 3: both resolved for n ≥ 7.
				v[i] = math.Sin(w*xi) + 0.5*math.Cos(3*w*xi)
				want[i] = math.Pow(w, float64(order))*math.Sin(w*xi+float64(order)*math.Pi/2) +
					0.5*math.Pow(3*w, float64(order))*math.Cos(3*w*xi+float64(order)*math.Pi/2)
			}
			got := f.Deriv(nil, v, order)
			tol := 1e-12 * math.Pow(3*w, float64(order))
			if d := maxAbsDiff(got, want); d > tol {
				t.Errorf("n=%d order=%d: error %g > %g", n, order, d, tol)
			}
			// In place.
			f.Deriv(v, v, order)
			if d := maxAbsDiff(v, want); d > tol {
				t.Errorf("n=%d order=%d in place: error %g > %g", n, order, d, tol)
			}
		}
	}
}

func TestFourierDerivCoeffsNyquist(t *testing.T) {
	f := NewFourier(8, 2*math.Pi)
	c := make([]complex128, 5)
	for j := range c {
		c[j] = complex(1, 0)
	}
	d := f.DerivCoeffs(nil, c, 1)
	if d[4] != 0 {
		t.Errorf("odd order: Nyquist mode %v, want 0", d[4])
	}
	if d[2] != complex(0, 2) {
		t.Errorf("first derivative of mode 2: %v, want 2i", d[2])
	}
	d = f.DerivCoeffs(d, c, 2)
	if d[4] != -16 {
		t.Errorf("even order: Nyquist mode %v, want −16", d[4])
	}
	// dst may equal c.
	f.DerivCoeffs(c, c, 3)
	if c[1] != complex(0, -1) || c[4] != 0 {
		t.Errorf("in-place third derivative: c[1]=%v c[4]=%v", c[1], c[4])
	}
}

func TestFourierDealias(t *testing.T) {
	for _, test := range []struct {
		n, keep int // modes 0..keep-1 survive
	}{
		{8, 3},   // 3·2 < 8, 3·3 ≥ 8
		{9, 3},   // 3·3 = 9 aliases onto mode 3 itself
		{64, 22}, // 3·21 = 63 < 64
		{256, 86},
	} {
		f := NewFourier(test.n, 1)
		c := make([]complex128, f.NumModes())
		for j := range c {
			c[j] = complex(float64(j+1), 1)
		}
		f.Dealias(c)
		for j, cj := range c {
			if (j < test.keep) != (cj != 0) {
				t.Errorf("n=%d: mode %d is %v after Dealias; want kept iff j < %d", test.n, j, cj, test.keep)
			}
		}
	}
}

// TestFourierDealiasProduct checks the point of the 2/3 rule: the product of
// two dealiased fields, itself dealiased, equals the exactly computed product
// truncated to the kept modes.
func TestFourierDealiasProduct(t *testing.T) {
	const n = 24
	f := NewFourier(n, 2*math.Pi)
	rnd := rand.New(rand.NewPCG(3, 4))
	cu := make([]complex128, f.NumModes())
	cv := make([]complex128, f.NumModes())
	for j := 1; j < len(cu); j++ {
		cu[j] = complex(rnd.NormFloat64(), rnd.NormFloat64())
		cv[j] = complex(rnd.NormFloat64(), rnd.NormFloat64())
	}
	f.Dealias(cu)
	f.Dealias(cv)
	u, v := f.Inverse(nil, cu), f.Inverse(nil, cv)
	uv := make([]float64, n)
	for i := range uv {
		uv[i] = u[i] * v[i]
	}
	got := f.Forward(nil, uv)
	f.Dealias(got)
	// Exact product on a fine grid, which resolves every product mode.
	const m = 4 * n
	fm := NewFourier(m, 2*math.Pi)
	um, vm := f.Resample(nil, u, m), f.Resample(nil, v, m)
	for i := range um {
		um[i] *= vm[i]
	}
	want := fm.Forward(nil, um)
	for j := range got {
		exact := want[j] * complex(float64(n)/m, 0)
		if j >= dealiasCut(n) {
			exact = 0
		}
		if d := cmplx.Abs(got[j] - exact); d > 1e-12 {
			t.Errorf("mode %d: dealiased product %v, exact %v", j, got[j], exact)
		}
	}
}

func TestFourierInterpolate(t *testing.T) {
	const a, length = 0.5, 3.0
	w := 2 * math.Pi / length
	rnd := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{1, 2, 5, 8, 33, 64, 1024} {
		f := NewFourier(n, length)
		x := periodicPoints(n, a, length)
		// A random band-limited function with every mode up to n/2 (the
		// Nyquist mode as a cosine); its interpolant is itself.
		kmax := n / 2
		ac := make([]float64, kmax+1)
		bc := make([]float64, kmax+1)
		for j := range ac {
			ac[j] = rnd.NormFloat64()
			if !(n%2 == 0 && j == kmax) {
				bc[j] = rnd.NormFloat64()
			}
		}
		bc[0] = 0
		g := func(x float64) float64 {
			var s float64
			for j := range ac {
				s += ac[j]*math.Cos(float64(j)*w*(x-a)) + bc[j]*math.Sin(float64(j)*w*(x-a))
			}
			return s
		}
		u := make([]float64, n)
		for i, xi := range x {
			u[i] = g(xi)
		}
		c := f.Forward(nil, u)
		// 257 uniform points with both ends, and a few outside the domain.
		xs := make([]float64, 257+3)
		for i := 0; i < 257; i++ {
			xs[i] = a + float64(i)*length/256
		}
		xs[257], xs[258], xs[259] = a-1.3, a+2*length+0.1, a+0.123
		got := f.Interpolate(nil, c, a, xs)
		want := make([]float64, len(xs))
		for i, xi := range xs {
			want[i] = g(xi)
		}
		// The values grow like √n and the direct sum g itself loses about jε
		// per term to argument rounding.
		tol := 1e-13 * float64(n+1)
		if d := maxAbsDiff(got, want); d > tol {
			t.Errorf("n=%d: Interpolate error %g > %g", n, d, tol)
		}
		// At the grid points the interpolant returns the samples.
		if d := maxAbsDiff(f.Interpolate(nil, c, a, x), u); d > tol {
			t.Errorf("n=%d: Interpolate at the nodes differs from the samples by %g", n, d)
		}
	}
}

func TestFourierResample(t *testing.T) {
	const length = 2.0
	w := 2 * math.Pi / length
	for _, test := range []struct {
		n, m int
		tol  float64
	}{
		{16, 16, 0},
		{16, 64, 1e-14},
		{16, 33, 1e-14},
		{17, 40, 1e-14},
		{64, 16, 1e-14},
		{64, 15, 1e-14},
		{63, 18, 1e-14},
	} {
		// Band-limited with modes up to 4 < min(n, m)/2 except at m=16, where
		// mode 7 < 8 is still below Nyquist.
		g := func(x float64) float64 {
			return 1 + math.Sin(w*x) - 0.3*math.Cos(4*w*x) + 0.2*math.Sin(7*w*x+0.4)
		}
		f := NewFourier(test.n, length)
		u := make([]float64, test.n)
		for i, xi := range periodicPoints(test.n, 0, length) {
			u[i] = g(xi)
		}
		got := f.Resample(nil, u, test.m)
		want := make([]float64, test.m)
		for i, xi := range periodicPoints(test.m, 0, length) {
			want[i] = g(xi)
		}
		if d := maxAbsDiff(got, want); d > test.tol {
			t.Errorf("n=%d m=%d: Resample error %g > %g", test.n, test.m, d, test.tol)
		}
	}
}

// TestFourierResampleNyquist checks the split and join of Nyquist modes
// against Interpolate (upsampling) and against sampling the interpolant's
// band-limited projection (downsampling), with every mode excited.
func TestFourierResampleNyquist(t *testing.T) {
	rnd := rand.New(rand.NewPCG(7, 8))
	const length = 1.0
	for _, test := range []struct{ n, m int }{{8, 20}, {8, 9}, {10, 31}} {
		f := NewFourier(test.n, length)
		u := make([]float64, test.n)
		for i := range u {
			u[i] = rnd.NormFloat64()
		}
		got := f.Resample(nil, u, test.m)
		want := f.Interpolate(nil, f.Forward(nil, u), 0, periodicPoints(test.m, 0, length))
		if d := maxAbsDiff(got, want); d > 1e-13 {
			t.Errorf("upsample n=%d m=%d: differs from Interpolate by %g", test.n, test.m, d)
		}
	}
	// Downsampling 16 → 8 of a field with a sin(4·wx) component (invisible on
	// 8 points) and a cos(4·wx) component (the coarse Nyquist mode).
	w := 2 * math.Pi / length
	g := func(x float64) float64 { return math.Cos(4*w*x) + math.Sin(4*w*x) + math.Cos(2*w*x) }
	f := NewFourier(16, length)
	u := make([]float64, 16)
	for i, xi := range periodicPoints(16, 0, length) {
		u[i] = g(xi)
	}
	got := f.Resample(nil, u, 8)
	for i, xi := range periodicPoints(8, 0, length) {
		if want := g(xi); math.Abs(got[i]-want) > 1e-14 {
			t.Errorf("downsample 16→8 at x=%g: %g, want %g", xi, got[i], want)
		}
	}
}

func TestFourierPanics(t *testing.T) {
	f := NewFourier(8, 1)
	testPanics(t, []panicCase{
		{"Forward dst", func() { f.Forward(make([]complex128, 4), make([]float64, 8)) }},
		{"Forward u", func() { f.Forward(nil, make([]float64, 7)) }},
		{"Inverse dst", func() { f.Inverse(make([]float64, 9), make([]complex128, 5)) }},
		{"Inverse c", func() { f.Inverse(nil, make([]complex128, 4)) }},
		{"Deriv u", func() { f.Deriv(nil, make([]float64, 4), 1) }},
		{"Deriv order", func() { f.Deriv(nil, make([]float64, 8), -1) }},
		{"Interpolate dst", func() { f.Interpolate(make([]float64, 2), make([]complex128, 5), 0, make([]float64, 3)) }},
		{"Resample m", func() { f.Resample(nil, make([]float64, 8), 0) }},
		{"Dealias", func() { f.Dealias(make([]complex128, 3)) }},
		{"NewFourier n", func() { NewFourier(0, 1) }},
		{"NewFourier L", func() { NewFourier(4, 0) }},
	})
}
