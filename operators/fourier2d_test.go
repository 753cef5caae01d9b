package operators

import (
	"math"
	"math/cmplx"
	"math/rand/v2"
	"testing"
)

// naiveRDFT2 is numpy.fft.rfft2 of the (nx, ny) row-major array u by the
// O(n²) definition.
func naiveRDFT2(u []float64, nx, ny int) []complex128 {
	my := ny/2 + 1
	c := make([]complex128, nx*my)
	for p := 0; p < nx; p++ {
		for q := 0; q < my; q++ {
			var s complex128
			for i := 0; i < nx; i++ {
				for j := 0; j < ny; j++ {
					ph := -2 * math.Pi * (float64(p*i)/float64(nx) + float64(q*j)/float64(ny))
					s += complex(u[i*ny+j], 0) * cmplx.Exp(complex(0, ph))
				}
			}
			c[p*my+q] = s
		}
	}
	return c
}

func TestFourier2DForwardInverse(t *testing.T) {
	rnd := rand.New(rand.NewPCG(11, 12))
	for _, test := range []struct {
		nx, ny int
		tol    float64
	}{
		{1, 1, 1e-14},
		{1, 8, 1e-13},
		{8, 1, 1e-13},
		{4, 6, 1e-13},
		{5, 7, 1e-13},
		{8, 8, 1e-13},
		{12, 9, 1e-12},
		{16, 32, 1e-12},
	} {
		u := make([]float64, test.nx*test.ny)
		for i := range u {
			u[i] = rnd.NormFloat64()
		}
		f := NewFourier2D(test.nx, test.ny, 1, 2)
		c := f.Forward(nil, u)
		if d := maxAbsDiffC(c, naiveRDFT2(u, test.nx, test.ny)); d > test.tol {
			t.Errorf("%d×%d: Forward differs from the naive 2-D DFT by %g", test.nx, test.ny, d)
		}
		saved := append([]complex128(nil), c...)
		back := f.Inverse(nil, c)
		if d := maxAbsDiff(back, u); d > 1e-14 {
			t.Errorf("%d×%d: Inverse(Forward(u)) differs from u by %g", test.nx, test.ny, d)
		}
		if d := maxAbsDiffC(c, saved); d != 0 {
			t.Errorf("%d×%d: Inverse modified its input by %g", test.nx, test.ny, d)
		}
	}
}

func TestFourier2DWavenumbers(t *testing.T) {
	f := NewFourier2D(6, 5, 2*math.Pi, math.Pi)
	wantX := []float64{0, 1, 2, -3, -2, -1}
	for p, w := range wantX {
		if got := f.WavenumberX(p); math.Abs(got-w) > 1e-15 {
			t.Errorf("WavenumberX(%d) = %g, want %g", p, got, w)
		}
	}
	wantY := []float64{0, 2, 4}
	for q, w := range wantY {
		if got := f.WavenumberY(q); math.Abs(got-w) > 1e-15 {
			t.Errorf("WavenumberY(%d) = %g, want %g", q, got, w)
		}
	}
	if nx, my := f.ModeDims(); nx != 6 || my != 3 {
		t.Errorf("ModeDims = %d×%d, want 6×3", nx, my)
	}
}

func TestFourier2DDeriv(t *testing.T) {
	const lx, ly = 2.0, 3.0
	wx, wy := 2*math.Pi/lx, 2*math.Pi/ly
	// u = exp(sin(wx x) + cos(wy y)) is smooth and periodic, not band-limited.
	u := func(x, y float64) float64 { return math.Exp(math.Sin(wx*x) + math.Cos(wy*y)) }
	for _, test := range []struct {
		ox, oy int
		exact  func(x, y float64) float64
		tol    float64 // at 48×48
	}{
		{1, 0, func(x, y float64) float64 { return wx * math.Cos(wx*x) * u(x, y) }, 1e-11},
		{0, 1, func(x, y float64) float64 { return -wy * math.Sin(wy*y) * u(x, y) }, 1e-11},
		{1, 1, func(x, y float64) float64 {
			return -wx * wy * math.Cos(wx*x) * math.Sin(wy*y) * u(x, y)
		}, 1e-10},
		{2, 0, func(x, y float64) float64 {
			c, s := math.Cos(wx*x), math.Sin(wx*x)
			return wx * wx * (c*c - s) * u(x, y)
		}, 1e-10},
		{0, 2, func(x, y float64) float64 {
			c, s := math.Cos(wy*y), math.Sin(wy*y)
			return wy * wy * (s*s - c) * u(x, y)
		}, 1e-10},
	} {
		var errs []float64
		for _, n := range []int{12, 24, 48} {
			f := NewFourier2D(n, n+1, lx, ly) // one even, one odd axis
			nx, ny := f.Dims()
			v := make([]float64, nx*ny)
			want := make([]float64, nx*ny)
			for i := 0; i < nx; i++ {
				x := float64(i) * lx / float64(nx)
				for j := 0; j < ny; j++ {
					y := float64(j) * ly / float64(ny)
					v[i*ny+j] = u(x, y)
					want[i*ny+j] = test.exact(x, y)
				}
			}
			f.Deriv(v, v, test.ox, test.oy) // in place
			errs = append(errs, maxAbsDiff(v, want))
		}
		if e := errs[len(errs)-1]; e > test.tol {
			t.Errorf("∂x^%d∂y^%d: error %g at 48×49, want ≤ %g (errors %v)", test.ox, test.oy, e, test.tol, errs)
		}
		if !(errs[1] < 1e-3*errs[0]) {
			t.Errorf("∂x^%d∂y^%d: error did not drop spectrally: %v", test.ox, test.oy, errs)
		}
	}
}

// TestFourier2DInverseLaplacian solves −Δu = g for a manufactured smooth u
// with zero mean and a g shifted by a constant (which the solver removes).
func TestFourier2DInverseLaplacian(t *testing.T) {
	const lx, ly = 2 * math.Pi, 4.0
	wx, wy := 2*math.Pi/lx, 2*math.Pi/ly
	for _, test := range []struct {
		nx, ny int
		tol    float64
	}{
		{32, 32, 1e-12},
		{48, 33, 1e-12},
		{64, 64, 1e-12},
	} {
		f := NewFourier2D(test.nx, test.ny, lx, ly)
		want := make([]float64, test.nx*test.ny)
		g := make([]float64, test.nx*test.ny)
		for i := 0; i < test.nx; i++ {
			x := float64(i) * lx / float64(test.nx)
			for j := 0; j < test.ny; j++ {
				y := float64(j) * ly / float64(test.ny)
				// u = sin(wx x)cos(2wy y) + 0.5cos(3wx x + wy y): zero mean.
				a := math.Sin(wx*x) * math.Cos(2*wy*y)
				b := 0.5 * math.Cos(3*wx*x+wy*y)
				want[i*test.ny+j] = a + b
				g[i*test.ny+j] = (wx*wx+4*wy*wy)*a + (9*wx*wx+wy*wy)*b + 7.5
			}
		}
		got := f.InverseLaplacian(nil, g)
		if d := maxAbsDiff(got, want); d > test.tol {
			t.Errorf("%d×%d: InverseLaplacian error %g > %g", test.nx, test.ny, d, test.tol)
		}
		// Residual: −Δ(got) = g − mean(g) through Deriv.
		uxx := f.Deriv(nil, got, 2, 0)
		uyy := f.Deriv(nil, got, 0, 2)
		for i := range g {
			if r := -uxx[i] - uyy[i] - (g[i] - 7.5); math.Abs(r) > 1e-10 {
				t.Fatalf("%d×%d: residual %g at %d", test.nx, test.ny, r, i)
			}
		}
	}
}

func TestFourier2DDealias(t *testing.T) {
	f := NewFourier2D(9, 8, 1, 1)
	nx, my := f.ModeDims()
	c := make([]complex128, nx*my)
	for i := range c {
		c[i] = 1
	}
	f.Dealias(c)
	// Kept: signed x-index in {−2, …, 2} (3·3 ≥ 9), y-index q < 3 (3·3 ≥ 8).
	for p := 0; p < nx; p++ {
		sp := signedIndex(p, nx)
		for q := 0; q < my; q++ {
			keep := 3*abs(sp) < 9 && 3*q < 8
			if (c[p*my+q] != 0) != keep {
				t.Errorf("mode (%d, %d): %v, want kept=%v", sp, q, c[p*my+q], keep)
			}
		}
	}
}

func TestFourier2DResample(t *testing.T) {
	const lx, ly = 2.0, 1.0
	wx, wy := 2*math.Pi/lx, 2*math.Pi/ly
	// Band-limited: x-modes up to 2, y-modes up to 3.
	g := func(x, y float64) float64 {
		return 1 + math.Sin(wx*x)*math.Cos(3*wy*y) + 0.5*math.Cos(2*wx*x+wy*y)
	}
	sample := func(nx, ny int) []float64 {
		u := make([]float64, nx*ny)
		for i := 0; i < nx; i++ {
			for j := 0; j < ny; j++ {
				u[i*ny+j] = g(float64(i)*lx/float64(nx), float64(j)*ly/float64(ny))
			}
		}
		return u
	}
	for _, test := range []struct{ nx, ny, mx, my int }{
		{8, 8, 16, 32}, {8, 9, 7, 12}, {32, 16, 8, 8}, {6, 10, 6, 10},
	} {
		f := NewFourier2D(test.nx, test.ny, lx, ly)
		got := f.Resample(nil, sample(test.nx, test.ny), test.mx, test.my)
		if d := maxAbsDiff(got, sample(test.mx, test.my)); d > 1e-14 {
			t.Errorf("%d×%d→%d×%d: Resample error %g", test.nx, test.ny, test.mx, test.my, d)
		}
	}
}

// TestFourier2DCoeffsVelocity recovers the velocity of a 2-D flow from its
// vorticity in coefficient space, as a vorticity-form Navier–Stokes solver
// does: −Δψ = ω, u = ∂ψ/∂y, v = −∂ψ/∂x.
func TestFourier2DCoeffsVelocity(t *testing.T) {
	const n = 32
	f := NewFourier2D(n, n, 2*math.Pi, 2*math.Pi)
	omega := make([]float64, n*n)
	wantU := make([]float64, n*n)
	wantV := make([]float64, n*n)
	for i := 0; i < n; i++ {
		x := 2 * math.Pi * float64(i) / n
		for j := 0; j < n; j++ {
			y := 2 * math.Pi * float64(j) / n
			// ψ = sin(x)cos(2y) + 0.3cos(3x − y).
			omega[i*n+j] = 5*math.Sin(x)*math.Cos(2*y) + 3*math.Cos(3*x-y)
			wantU[i*n+j] = -2*math.Sin(x)*math.Sin(2*y) + 0.3*math.Sin(3*x-y)
			wantV[i*n+j] = -math.Cos(x)*math.Cos(2*y) + 0.9*math.Sin(3*x-y)
		}
	}
	psi := f.InverseLaplacianCoeffs(nil, f.Forward(nil, omega))
	uc := f.DerivCoeffs(nil, psi, 0, 1)
	vc := f.DerivCoeffs(nil, psi, 1, 0)
	for k := range vc {
		vc[k] = -vc[k]
	}
	if d := maxAbsDiff(f.Inverse(nil, uc), wantU); d > 1e-13 {
		t.Errorf("u error %g", d)
	}
	if d := maxAbsDiff(f.Inverse(nil, vc), wantV); d > 1e-13 {
		t.Errorf("v error %g", d)
	}
	// In place gives the same.
	f.DerivCoeffs(psi, psi, 0, 1)
	if d := maxAbsDiffC(psi, uc); d != 0 {
		t.Errorf("in-place DerivCoeffs differs by %g", d)
	}
}
