package sparse

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// Manufactured solution u = sin(πx)·sin(2πy)·exp(x) with smooth
// coefficient a = 1 + x² + y/2 (or a ≡ 1 for −Δ): f = −∇·(a∇u).
func manufactured(x, y float64) (u, f, lapF float64) {
	s, c := math.Sin(math.Pi*x), math.Cos(math.Pi*x)
	s2, c2 := math.Sin(2*math.Pi*y), math.Cos(2*math.Pi*y)
	e := math.Exp(x)
	u = s * s2 * e
	ux := (math.Pi*c + s) * s2 * e
	uy := 2 * math.Pi * s * c2 * e
	uxx := (2*math.Pi*c + (1-math.Pi*math.Pi)*s) * s2 * e
	uyy := -4 * math.Pi * math.Pi * u
	a, ax, ay := 1+x*x+y/2, 2*x, 0.5
	f = -(a*(uxx+uyy) + ax*ux + ay*uy)
	return u, f, 0
}

func poissonManufactured(x, y float64) (u, f, lapF float64) {
	// u = sin(πx) sin(2πy): −Δu = 5π² u, Δf = −5π² f.
	u = math.Sin(math.Pi*x) * math.Sin(2*math.Pi*y)
	f = 5 * math.Pi * math.Pi * u
	return u, f, -5 * math.Pi * math.Pi * f
}

func TestStencilConvergenceOrder(t *testing.T) {
	coef := func(x, y float64) float64 { return 1 + x*x + y/2 }
	for _, tc := range []struct {
		name     string
		assemble func(n int) *CSR
		exact    func(x, y float64) (u, f, lapF float64)
		mehr     bool // fourth-order right-hand side f + h²/12 Δf
		order    float64
		tol      float64
	}{
		{"laplacian5", func(n int) *CSR { return Laplacian5(n - 2) }, poissonManufactured, false, 2, 0.05},
		{"laplacian9", func(n int) *CSR { return Laplacian9(n - 2) }, poissonManufactured, false, 2, 0.05},
		{"laplacian9-mehrstellen", func(n int) *CSR { return Laplacian9(n - 2) }, poissonManufactured, true, 4, 0.1},
		{"diffusion5", func(n int) *CSR {
			a, err := Diffusion5(vertexField(n, coef), n)
			if err != nil {
				t.Fatal(err)
			}
			return a
		}, manufactured, false, 2, 0.05},
		{"diffusion9", func(n int) *CSR {
			a, err := Diffusion9(vertexField(n, coef), n)
			if err != nil {
				t.Fatal(err)
			}
			return a
		}, manufactured, false, 2, 0.05},
	} {
		var logH, logErr []float64
		for _, n := range []int{17, 33, 65, 129} {
			m := n - 2
			a := tc.assemble(n)
			h := 1 / float64(n-1)
			f := interiorField(m, func(x, y float64) float64 {
				_, f, lf := tc.exact(x, y)
				if tc.mehr {
					return f + h*h/12*lf
				}
				return f
			})
			want := interiorField(m, func(x, y float64) float64 { u, _, _ := tc.exact(x, y); return u })
			u := make([]float64, m*m)
			res, err := (&CG{}).Solve(u, a, f, &Settings{Tolerance: 1e-13})
			if err != nil || res.Status != Converged {
				t.Fatalf("%s n=%d: %v %v", tc.name, n, res.Status, err)
			}
			logH = append(logH, math.Log(h))
			logErr = append(logErr, math.Log(floats.Distance(u, want, math.Inf(1))))
		}
		_, slope := stat.LinearRegression(logH, logErr, nil, false)
		if math.Abs(slope-tc.order) > tc.tol*tc.order {
			t.Errorf("%s: observed order %.3f, want %g", tc.name, slope, tc.order)
		}
		t.Logf("%s: order %.3f", tc.name, slope)
	}
}

func TestStencilMatrices(t *testing.T) {
	// Diffusion with a ≡ 1 is the Laplacian; Diffusion9 with a ≡ 1 has the
	// Q1 stencil (8, −1, …)/3h².
	n := 6
	ones := vertexField(n, func(x, y float64) float64 { return 1 })
	d5, err := Diffusion5(ones, n)
	if err != nil {
		t.Fatal(err)
	}
	if !mat.EqualApprox(d5, Laplacian5(n-2), 1e-12) {
		t.Error("Diffusion5 with a ≡ 1 differs from Laplacian5")
	}
	d9, err := Diffusion9(ones, n)
	if err != nil {
		t.Fatal(err)
	}
	h2 := 1 / float64((n-1)*(n-1))
	m := n - 2
	k := 1*m + 1 // an interior point with all 8 neighbours inside
	for _, tc := range []struct {
		j    int
		want float64
	}{{k, 8 / (3 * h2)}, {k + 1, -1 / (3 * h2)}, {k + m + 1, -1 / (3 * h2)}, {k - m - 1, -1 / (3 * h2)}} {
		if got := d9.At(k, tc.j); math.Abs(got-tc.want) > 1e-9*math.Abs(tc.want) {
			t.Errorf("Diffusion9 (%d, %d) = %g, want %g", k, tc.j, got, tc.want)
		}
	}
	// Harmonic face averaging: a jump between two vertices gives 2pq/(p+q).
	a := vertexField(n, func(x, y float64) float64 {
		if x < 0.5 {
			return 3
		}
		return 12
	})
	d, err := Diffusion5(a, n)
	if err != nil {
		t.Fatal(err)
	}
	// Vertices i = 2 (x = 0.4, a = 3) and i = 3 (x = 0.6, a = 12), row j = 1.
	if got, want := d.At(0*m+1, 0*m+2), -harmonic(3, 12)/h2; math.Abs(got-want) > 1e-9*math.Abs(want) {
		t.Errorf("face coefficient across the jump %g, want %g", got, want)
	}
	for _, m := range []*CSR{d, d5, d9, Laplacian9(4)} {
		if !mat.EqualApprox(m, m.T(), 1e-12) {
			t.Error("assembled matrix is not symmetric")
		}
	}
	for _, bad := range []struct {
		a []float64
		n int
	}{{ones[:5], n}, {make([]float64, 4), 2}, {append([]float64{-1}, ones[1:]...), n}, {append([]float64{math.NaN()}, ones[1:]...), n}} {
		if _, err := Diffusion5(bad.a, bad.n); err == nil {
			t.Errorf("Diffusion5 accepted a bad coefficient (n = %d, len = %d)", bad.n, len(bad.a))
		}
		if _, err := Diffusion9(bad.a, bad.n); err == nil {
			t.Errorf("Diffusion9 accepted a bad coefficient (n = %d, len = %d)", bad.n, len(bad.a))
		}
	}
}
