package classical

import (
	"math"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/neuralpde/neuralpde/pde"
)

// darcyMMS is a manufactured Darcy problem with a smooth variable
// coefficient a = 1 + 0.5 sin(2πx) cos(3πy) + x·y and u = e^{x−y} sin(πx)
// sin(2πy), which vanishes on the boundary, and f = −∇·(a∇u) = −(aΔu +
// a_x u_x + a_y u_y).
func darcyMMS() (a, u, f func(x, y float64) float64) {
	const pi = math.Pi
	a = func(x, y float64) float64 { return 1 + 0.5*math.Sin(2*pi*x)*math.Cos(3*pi*y) + x*y }
	ax := func(x, y float64) float64 { return pi*math.Cos(2*pi*x)*math.Cos(3*pi*y) + y }
	ay := func(x, y float64) float64 { return -1.5*pi*math.Sin(2*pi*x)*math.Sin(3*pi*y) + x }
	u = func(x, y float64) float64 { return math.Exp(x-y) * math.Sin(pi*x) * math.Sin(2*pi*y) }
	f = func(x, y float64) float64 {
		e := math.Exp(x - y)
		sx, cx := math.Sincos(pi * x)
		sy, cy := math.Sincos(2 * pi * y)
		ux := e * sy * (sx + pi*cx)
		uy := e * sx * (-sy + 2*pi*cy)
		uxx := e * sy * ((1-pi*pi)*sx + 2*pi*cx)
		uyy := e * sx * ((1-4*pi*pi)*sy - 4*pi*cy)
		return -(a(x, y)*(uxx+uyy) + ax(x, y)*ux + ay(x, y)*uy)
	}
	return a, u, f
}

// vertexField2D samples f on the n×n vertex grid of the unit square, row-major
// with x slow.
func vertexField2D(n int, f func(x, y float64) float64) []float64 {
	u := make([]float64, n*n)
	h := 1 / float64(n-1)
	for i := range n {
		for j := range n {
			u[i*n+j] = f(float64(i)*h, float64(j)*h)
		}
	}
	return u
}

func slope2D(h, e []float64) float64 {
	k := len(h) - 1
	return (math.Log(e[k]) - math.Log(e[0])) / (math.Log(h[k]) - math.Log(h[0]))
}

func TestDarcySecondOrder(t *testing.T) {
	a, u, f := darcyMMS()
	p, err := pde.Lookup2D("darcy")
	if err != nil {
		t.Fatal(err)
	}
	p.Source = f
	var hs, errs []float64
	for _, n := range []int{17, 33, 65, 129} {
		d, err := NewDarcy(p, n, nil)
		if err != nil {
			t.Fatal(err)
		}
		out := make([]float64, n*n)
		if err := d.Solve(out, vertexField2D(n, a)); err != nil {
			t.Fatal(err)
		}
		want := vertexField2D(n, u)
		var e float64
		for i := range out {
			e = math.Max(e, math.Abs(out[i]-want[i]))
		}
		hs, errs = append(hs, 1/float64(n-1)), append(errs, e)
		if r := d.LastResult(); r.Residual > 1e-10 || r.Iterations > 15 {
			t.Errorf("n=%d: CG %d iterations to residual %g", n, r.Iterations, r.Residual)
		}
	}
	sl := slope2D(hs, errs)
	t.Logf("max errors %v, slope %.3f", errs, sl)
	if math.Abs(sl-2) > 0.1 {
		t.Errorf("Darcy convergence order %.3f, want 2", sl)
	}
}

// TestDarcyFNOCoefficient solves the darcy preset's problem for a 12/3
// coefficient at a grid size that is not 2^k+1 and checks the discrete
// maximum principle and symmetry: with a and f symmetric under x ↔ y the
// solution is too, and u > 0 inside.
func TestDarcyFNOCoefficient(t *testing.T) {
	const n = 85 // the FNO grid 421 subsampled by 5
	p, _ := pde.Lookup2D("darcy")
	s, err := NewOperatorSolver2D(p, n, nil)
	if err != nil {
		t.Fatal(err)
	}
	g := vertexField2D(n, func(x, y float64) float64 {
		return math.Sin(6*math.Pi*x)*math.Sin(6*math.Pi*y) + 0.3*math.Cos(4*math.Pi*(x+y))
	})
	coef := p.Coefficient.Apply(nil, g)
	out := make([]float64, n*n)
	if err := s.Solve(out, coef); err != nil {
		t.Fatal(err)
	}
	var asym, umax float64
	for i := range n {
		for j := range n {
			asym = math.Max(asym, math.Abs(out[i*n+j]-out[j*n+i]))
			umax = math.Max(umax, out[i*n+j])
			inside := i > 0 && j > 0 && i < n-1 && j < n-1
			if inside && !(out[i*n+j] > 0) || !inside && out[i*n+j] != 0 {
				t.Fatalf("u(%d,%d) = %g", i, j, out[i*n+j])
			}
		}
	}
	// −Δu = 1/a with a ≥ 3 bounds u by the torsion function of the
	// square over 3, max ≈ 0.0737/3.
	if asym > 1e-9*umax || umax > 0.0737/3 || umax < 0.0737/12 {
		t.Errorf("asymmetry %g, max u %g", asym, umax)
	}
	t.Logf("n=%d: %s; max u %.6g, CG iterations %d", n, s.Description(), umax, s.(*Darcy).LastResult().Iterations)
}

func TestDarcyErrors(t *testing.T) {
	darcy, _ := pde.Lookup2D("darcy")
	ns, _ := pde.Lookup2D("navier-stokes")
	rect := *darcy
	rect.Y = pde.Interval{A: 0, B: 2}
	for _, c := range []struct {
		name string
		p    *pde.Preset2D
		n    int
		cfg  *Config2D
		want string
	}{
		{"not darcy", ns, 16, nil, "not Darcy"},
		{"rectangle", &rect, 16, nil, "square"},
		{"small", darcy, 2, nil, "too small"},
		{"tolerance", darcy, 16, &Config2D{Tolerance: 2}, "tolerance"},
	} {
		if _, err := NewDarcy(c.p, c.n, c.cfg); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
	d, err := NewDarcy(darcy, 9, nil)
	if err != nil {
		t.Fatal(err)
	}
	bad := vertexField2D(9, func(x, y float64) float64 { return 1 })
	bad[40] = -1
	if err := d.Solve(make([]float64, 81), bad); err == nil {
		t.Error("Solve accepted a negative coefficient")
	}
	if err := d.Solve(make([]float64, 80), bad); err == nil {
		t.Error("Solve accepted a wrong output length")
	}
}

// BenchmarkDarcyFNO times one darcy sample (assembly, multigrid set-up and
// MG-CG to 1e-10) on the FNO grid n = 421 and at n = 85 (its subsampled
// size), with a 12/3 coefficient, and reports the CG iterations.
func BenchmarkDarcyFNO(b *testing.B) {
	p, _ := pde.Lookup2D("darcy")
	for _, n := range []int{85, 421} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			d, err := NewDarcy(p, n, nil)
			if err != nil {
				b.Fatal(err)
			}
			coef := p.Coefficient.Apply(nil, vertexField2D(n, func(x, y float64) float64 {
				return math.Sin(6*math.Pi*x)*math.Cos(4*math.Pi*y) + 0.3*math.Sin(10*math.Pi*x*y)
			}))
			out := make([]float64, n*n)
			b.ReportAllocs()
			var ru0, ru1 syscall.Rusage
			syscall.Getrusage(syscall.RUSAGE_SELF, &ru0)
			for b.Loop() {
				if err := d.Solve(out, coef); err != nil {
					b.Fatal(err)
				}
			}
			syscall.Getrusage(syscall.RUSAGE_SELF, &ru1)
			cpu := (ru1.Utime.Nano() + ru1.Stime.Nano()) - (ru0.Utime.Nano() + ru0.Stime.Nano())
			b.ReportMetric(float64(cpu)/1e6/float64(b.N), "cpu-ms/op")
			var sum float64
			for _, v := range out {
				sum += v
			}
			b.Logf("n=%d: sum u %.10g", n, sum)
			b.ReportMetric(float64(d.LastResult().Iterations), "cg-iters")
			b.ReportMetric(d.LastResult().Residual*1e12, "relres_e-12")
		})
	}
}

// TestDarcyMatchesScipy pins the n = 85 solution of TestDarcyFNOCoefficient's
// coefficient to scipy's direct solve of the same discretisation, printed
// by
//
//	/usr/bin/python3 scripts/reference/classical_darcy_fno.py --check
func TestDarcyMatchesScipy(t *testing.T) {
	const n = 85
	p, _ := pde.Lookup2D("darcy")
	d, err := NewDarcy(p, n, &Config2D{Tolerance: 1e-12})
	if err != nil {
		t.Fatal(err)
	}
	g := vertexField2D(n, func(x, y float64) float64 {
		return math.Sin(6*math.Pi*x)*math.Sin(6*math.Pi*y) + 0.3*math.Cos(4*math.Pi*(x+y))
	})
	out := make([]float64, n*n)
	if err := d.Solve(out, p.Coefficient.Apply(nil, g)); err != nil {
		t.Fatal(err)
	}
	idx := [][2]int{{1, 1}, {20, 63}, {42, 42}, {70, 11}}
	want := []float64{3.88263406176495e-05, 0.00786315582535047, 0.0131876529601371, 0.00424039279428644}
	for k, ij := range idx {
		if got := out[ij[0]*n+ij[1]]; math.Abs(got-want[k]) > 1e-10*0.0132 {
			t.Errorf("u%v = %.15g, scipy %.15g", ij, got, want[k])
		}
	}
	var sum float64
	for _, v := range out {
		sum += v
	}
	if math.Abs(sum-43.122230015029) > 1e-9*43 {
		t.Errorf("Σu = %.15g, scipy 43.122230015029", sum)
	}
}
