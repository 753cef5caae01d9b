package pde

import (
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"gonum.org/v1/gonum/integrate/quad"
)

// shockGrid returns the burgers-shock preset's standard 256×100 grid.
func shockGrid() (ts, xs []float64) {
	p, err := Lookup("burgers-shock")
	if err != nil {
		panic(err)
	}
	return p.TimeGrid(0), p.SpaceGrid(0).Points(nil)
}

// adaptiveColeHopf evaluates the Cole–Hopf integrals independently of the
// Gauss–Hermite rule: in the variable z = η/√(4νt) on [−13, 13] (outside it
// the integrand is below e^{−169+2k}·e^{59} of its peak), by adaptive
// bisection with 16-point Gauss–Legendre panels until the two halves of a
// panel agree with the whole to tol of the integral.
type adaptiveColeHopf struct {
	nu     float64
	gx, gw []float64 // Gauss–Legendre on [−1, 1]
}

func newAdaptiveColeHopf(nu float64) *adaptiveColeHopf {
	const m = 16
	a := &adaptiveColeHopf{nu: nu, gx: make([]float64, m), gw: make([]float64, m)}
	quad.Legendre{}.FixedLocations(a.gx, a.gw, -1, 1)
	return a
}

func (a *adaptiveColeHopf) eval(t, x float64) float64 {
	if t == 0 {
		return -math.Sin(math.Pi * x)
	}
	s := math.Sqrt(4 * a.nu * t)
	k := 1 / (2 * math.Pi * a.nu)
	// The integrand e^{−z²} f(x − sz), divided by e^{k}, its largest
	// possible factor: it is at most 1 and never overflows.
	panel := func(lo, hi float64) (num, den float64) {
		mid, half := 0.5*(lo+hi), 0.5*(hi-lo)
		for i, g := range a.gx {
			z := mid + half*g
			sn, cs := math.Sincos(math.Pi * (x - s*z))
			w := a.gw[i] * half * math.Exp(-z*z-k*(cs+1))
			num += w * sn
			den += w
		}
		return num, den
	}
	const L = 13
	// A first pass on fixed panels gives the scale of the integrals.
	var num0, den0 float64
	for i := range 64 {
		lo := -L + 2*L*float64(i)/64
		n, d := panel(lo, lo+2*L/64.0)
		num0 += n
		den0 += d
	}
	tol := 1e-15 * den0
	var rec func(lo, hi, num, den float64, depth int) (float64, float64)
	rec = func(lo, hi, num, den float64, depth int) (float64, float64) {
		mid := 0.5 * (lo + hi)
		n1, d1 := panel(lo, mid)
		n2, d2 := panel(mid, hi)
		if depth > 40 || (math.Abs(n1+n2-num) <= tol && math.Abs(d1+d2-den) <= tol) {
			return n1 + n2, d1 + d2
		}
		n1, d1 = rec(lo, mid, n1, d1, depth+1)
		n2, d2 = rec(mid, hi, n2, d2, depth+1)
		return n1 + n2, d1 + d2
	}
	var num, den float64
	for i := range 64 {
		lo := -L + 2*L*float64(i)/64
		hi := lo + 2*L/64.0
		n, d := panel(lo, hi)
		n, d = rec(lo, hi, n, d, 0)
		num += n
		den += d
	}
	return -num / den
}

func maxAbsDiff(a, b []float64) float64 {
	var m float64
	for i := range a {
		m = math.Max(m, math.Abs(a[i]-b[i]))
	}
	return m
}

// TestColeHopfConvergence prints, for a range of node counts, the largest
// difference on burgers-shock's 256×100 grid from a 1000-node rule and from
// an independent adaptive Gauss–Legendre quadrature, and asserts that the default rule is within 1e-12 of both. Run it with
//
//	go test ./pde -run ColeHopfConvergence -v
//
// to see the table.
func TestColeHopfConvergence(t *testing.T) {
	const nu = 0.01 / math.Pi
	ts, xs := shockGrid()
	ref := NewBurgersColeHopf(nu, 1000).Grid(nil, ts, xs)

	ad := newAdaptiveColeHopf(nu)
	adRef := make([]float64, len(ts)*len(xs))
	for i, tt := range ts {
		for j, x := range xs {
			adRef[i*len(xs)+j] = ad.eval(tt, x)
		}
	}
	d := maxAbsDiff(ref, adRef)
	t.Logf("the 1000-node rule and the adaptive quadrature differ by at most %.3e", d)
	if d > 1e-13 {
		t.Errorf("the 1000-node rule and the adaptive quadrature differ by %g", d)
	}

	t.Logf("%6s  %14s  %14s  %10s", "nodes", "max|Δ| n=1000", "max|Δ| adapt.", "grid time")
	var prev float64
	for _, n := range []int{20, 40, 60, 80, 100, 120, 160, DefaultColeHopfNodes} {
		b := NewBurgersColeHopf(nu, n)
		start := time.Now()
		g := b.Grid(nil, ts, xs)
		el := time.Since(start)
		dRef, dAd := maxAbsDiff(g, ref), maxAbsDiff(g, adRef)
		t.Logf("%6d  %14.3e  %14.3e  %10v", n, dRef, dAd, el.Round(time.Millisecond))
		if n == DefaultColeHopfNodes && (dRef > 1e-12 || dAd > 1e-12) {
			t.Errorf("default rule (%d nodes): max difference %g from n=1000 and %g from adaptive quadrature, want ≤ 1e-12",
				n, dRef, dAd)
		}
		if n == 20 {
			prev = dRef
		}
		if n == 60 && !(dRef < 1e-3*prev) {
			t.Errorf("no geometric convergence: max difference %g at 20 nodes, %g at 60", prev, dRef)
		}
	}
}

// TestColeHopfEvalGrid checks that Eval and Grid agree.
func TestColeHopfEvalGrid(t *testing.T) {
	b := NewBurgersColeHopf(0.01/math.Pi, 0)
	ts, xs := shockGrid()
	g := b.Grid(nil, ts, xs)
	for i := 0; i < len(ts); i += 7 {
		for j, x := range xs {
			if d := math.Abs(b.Eval(ts[i], x) - g[i*len(xs)+j]); d > 1e-14 {
				t.Errorf("t=%v x=%v: Eval and Grid differ by %g", ts[i], x, d)
			}
		}
	}
}

// TestColeHopfShockSlope checks the steepest slope of the burgers-shock
// solution, |∂u/∂x| at x = 0, t = 1.6037/π, against the value 152.00516
// reported by Basdevant et al. (1986, Table 1).
func TestColeHopfShockSlope(t *testing.T) {
	b := NewBurgersColeHopf(0.01/math.Pi, 0)
	const h = 1e-5
	tt := 1.6037 / math.Pi
	u := func(x float64) float64 { return b.Eval(tt, x) }
	slope := -(u(-2*h) - 8*u(-h) + 8*u(h) - u(2*h)) / (12 * h)
	t.Logf("max |u_x| at t = 1.6037/π: %.8f", slope)
	if math.Abs(slope-152.00516) > 1e-5 {
		t.Errorf("max |u_x| = %.8f, want 152.00516", slope)
	}
}

// TestColeHopfResidual checks that the Cole–Hopf solution satisfies the
// Burgers equation, with derivatives by fourth-order central differences,
// away from the shock where differences of step 1e-3 resolve it.
func TestColeHopfResidual(t *testing.T) {
	eq := Burgers{Nu: 0.01 / math.Pi}
	b := NewBurgersColeHopf(eq.Nu, 0)
	const h = 1e-3
	d1 := func(f func(float64) float64, x float64) float64 {
		return (f(x-2*h) - 8*f(x-h) + 8*f(x+h) - f(x+2*h)) / (12 * h)
	}
	d2 := func(f func(float64) float64, x float64) float64 {
		return (-f(x-2*h) + 16*f(x-h) - 30*f(x) + 16*f(x+h) - f(x+2*h)) / (12 * h * h)
	}
	for _, tt := range []float64{0.05, 0.3, 0.7, 0.95} {
		for _, x := range []float64{-0.9, -0.6, -0.3, 0.35, 0.8} {
			ux := func(x float64) float64 { return b.Eval(tt, x) }
			ut := func(s float64) float64 { return b.Eval(s, x) }
			j := Jet{U: b.Eval(tt, x), Ut: d1(ut, tt), Ux: d1(ux, x), Uxx: d2(ux, x)}
			if r := eq.Residual(Float{}, j).(float64); math.Abs(r) > 1e-6 {
				t.Errorf("t=%v x=%v: Burgers residual of the Cole–Hopf solution is %g", tt, x, r)
			}
		}
	}
	// Odd symmetry u(t, −x) = −u(t, x) holds through the shock.
	for _, x := range []float64{1e-4, 0.003, 0.01, 0.5} {
		if s := b.Eval(0.99, x) + b.Eval(0.99, -x); math.Abs(s) > 1e-14 {
			t.Errorf("u(0.99, %v) + u(0.99, −%v) = %g, want 0", x, x, s)
		}
	}
}

func TestColeHopfPanics(t *testing.T) {
	for _, nu := range []float64{0, -1, math.NaN(), math.Inf(1)} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("NewBurgersColeHopf(%v, 0) did not panic", nu)
				}
			}()
			NewBurgersColeHopf(nu, 0)
		}()
	}
}

func BenchmarkColeHopfGrid(b *testing.B) {
	ts, xs := shockGrid()
	for _, n := range []int{100, DefaultColeHopfNodes, 400} {
		ch := NewBurgersColeHopf(0.01/math.Pi, n)
		dst := make([]float64, len(ts)*len(xs))
		b.Run(fmt.Sprintf("nodes=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				ch.Grid(dst, ts, xs)
			}
		})
	}
}

// BenchmarkColeHopfEval evaluates burgers-shock's 256×100 grid point by
// point, for comparison with BenchmarkColeHopfGrid.
func BenchmarkColeHopfEval(b *testing.B) {
	ts, xs := shockGrid()
	ch := NewBurgersColeHopf(0.01/math.Pi, 0)
	b.ReportAllocs()
	for b.Loop() {
		for _, t := range ts {
			for _, x := range xs {
				ch.Eval(t, x)
			}
		}
	}
}

// TestColeHopfMpmath compares Eval with the Cole–Hopf integrals evaluated by
// mpmath at 30 digits (scripts/reference/pde_colehopf.py), near the shock
// and away from it.
func TestColeHopfMpmath(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "colehopf_mpmath.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comment = '#'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) < 20 {
		t.Fatalf("%d reference values, want at least 20", len(recs))
	}
	b := NewBurgersColeHopf(0.01/math.Pi, 0)
	var worst float64
	for _, rec := range recs {
		var v [3]float64
		for i := range v {
			if v[i], err = strconv.ParseFloat(rec[i], 64); err != nil {
				t.Fatal(err)
			}
		}
		got := b.Eval(v[0], v[1])
		worst = math.Max(worst, math.Abs(got-v[2]))
		if math.Abs(got-v[2]) > 1e-13 {
			t.Errorf("u(%v, %v) = %.17g, mpmath %.17g (difference %g)", v[0], v[1], got, v[2], got-v[2])
		}
	}
	t.Logf("largest difference from mpmath over %d points: %.3e", len(recs), worst)
}

// TestColeHopfDefaultNodes checks the default node count at other
// viscosities against a rule with twice as many nodes, on t ≤ 1 around the
// shock, where the quadrature is hardest, and Eval against Grid there.
func TestColeHopfDefaultNodes(t *testing.T) {
	ts := []float64{0.05, 0.3, 1}
	xs := NewUniformGrid(-0.05, 0.05, 101).Points(nil)
	for _, nu := range []float64{0.1, 0.001 / math.Pi} {
		b := NewBurgersColeHopf(nu, 0)
		ref := NewBurgersColeHopf(nu, 2*b.Nodes()).Grid(nil, ts, xs)
		g := b.Grid(nil, ts, xs)
		if d := maxAbsDiff(g, ref); d > 1e-12 {
			t.Errorf("ν=%g: default rule (%d nodes) differs by %g from one with twice the nodes", nu, b.Nodes(), d)
		}
		// Eval takes another path for small ν (a running maximum exponent).
		for i, tt := range ts {
			for j, x := range xs {
				if d := math.Abs(b.Eval(tt, x) - g[i*len(xs)+j]); d > 1e-14 {
					t.Errorf("ν=%g t=%v x=%v: Eval and Grid differ by %g", nu, tt, x, d)
				}
			}
		}
	}
}
