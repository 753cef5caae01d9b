package implicit

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// lossAndGrad solves the layer's equilibria for the whole batch and
// returns L = ½ Σ ‖z*_s − target_s‖² with dL/dz* written into the layer's
// gradient by Backward when grad is set.
func lossAndGrad(t *testing.T, l *Layer, target []float64, batch int, grad bool) float64 {
	t.Helper()
	z, err := l.Forward(nil, nil, batch)
	if err != nil {
		t.Fatal(err)
	}
	gz := make([]float64, len(z))
	var loss float64
	for i, v := range z {
		e := v - target[i]
		loss += 0.5 * e * e
		gz[i] = e
	}
	if grad {
		if err := l.Backward(gz); err != nil {
			t.Fatal(err)
		}
	}
	return loss
}

// TestGradientFiniteDifference checks ∂L/∂θ and ∂L/∂x through the layer
// against central differences for every forward solver, with the exact
// backward pass: relative error 1e-6 on every checked entry.
func TestGradientFiniteDifference(t *testing.T) {
	const d, p, batch = 6, 3, 3
	for _, tc := range []struct {
		solver Solver
		tol    float64
	}{
		{NewtonKrylov, 1e-6},
		{Broyden, 1e-6},
		{Anderson, 1e-6},
		{FixedPoint, 1e-6},
		{Homotopy, 1e-6},
	} {
		t.Run(tc.solver.String(), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, 2))
			tl := newTanhLayer(rng, d, p, batch, 0.8)
			target := make([]float64, batch*d)
			for i := range target {
				target[i] = rng.NormFloat64()
			}
			l, err := New([]Function{tl.function()}, &Settings{Solver: tc.solver, AbsTol: 1e-13, MaxIterations: 2000, BackwardTol: 1e-13})
			if err != nil {
				t.Fatal(err)
			}
			lossAndGrad(t, l, target, batch, true)
			for _, st := range l.Report().Forward {
				if !st.Converged || st.Residual > 1e-13 {
					t.Fatalf("sample %d: converged %v, residual %g", st.Key, st.Converged, st.Residual)
				}
			}
			for name, pair := range map[string][2][]float64{"W": {tl.w, tl.gw}, "U": {tl.u, tl.gu}, "b": {tl.b, tl.gb}, "x": {tl.x, tl.gx}} {
				v, g := pair[0], pair[1]
				gmax := 0.0
				for _, gi := range g {
					gmax = math.Max(gmax, math.Abs(gi))
				}
				for i := range v {
					const h = 1e-5
					old := v[i]
					v[i] = old + h
					lp := lossAndGrad(t, l, target, batch, false)
					v[i] = old - h
					lm := lossAndGrad(t, l, target, batch, false)
					v[i] = old
					fd := (lp - lm) / (2 * h)
					if diff := math.Abs(fd - g[i]); diff > tc.tol*math.Max(math.Abs(g[i]), 1e-2*gmax) {
						t.Errorf("∂L/∂%s[%d] = %.12g, finite difference %.12g (relative %.2g)", name, i, g[i], fd, diff/math.Abs(g[i]))
					}
				}
			}
		})
	}
}

// TestNewtonKrylovResidual checks the default solver's forward residual
// ‖f(z) − z‖₂ ≤ 1e-8 on a layer of 200 unknowns, recomputed here.
func TestNewtonKrylovResidual(t *testing.T) {
	const d, p, batch = 200, 10, 4
	tl := newTanhLayer(rand.New(rand.NewPCG(3, 4)), d, p, batch, 0.9)
	l, err := New([]Function{tl.function()}, nil)
	if err != nil {
		t.Fatal(err)
	}
	z, err := l.Forward(nil, nil, batch)
	if err != nil {
		t.Fatal(err)
	}
	fz := make([]float64, d)
	for s := range batch {
		zs := z[s*d : (s+1)*d]
		tl.pre(fz, zs, s)
		var r float64
		for i := range fz {
			r += (fz[i] - zs[i]) * (fz[i] - zs[i])
		}
		r = math.Sqrt(r)
		if r > 1e-8 || math.Abs(r-l.Report().Forward[s].Residual) > 1e-12 {
			t.Errorf("sample %d: ‖f(z) − z‖ = %g, reported %g; want ≤ 1e-8", s, r, l.Report().Forward[s].Residual)
		}
	}
}

// TestPhantom checks that the phantom gradient is labelled approximate,
// differs from the exact gradient with one term, and tends to it as the
// number of Neumann terms grows.
func TestPhantom(t *testing.T) {
	const d, p, batch = 6, 3, 2
	grads := func(set *Settings) ([]float64, *Report) {
		tl := newTanhLayer(rand.New(rand.NewPCG(5, 6)), d, p, batch, 0.5)
		l, err := New([]Function{tl.function()}, set)
		if err != nil {
			t.Fatal(err)
		}
		target := make([]float64, batch*d)
		for i := range target {
			target[i] = 0.3 * float64(i%5)
		}
		lossAndGrad(t, l, target, batch, true)
		return append(append([]float64(nil), tl.gw...), tl.gb...), l.Report()
	}
	exact, rep := grads(&Settings{AbsTol: 1e-13, BackwardTol: 1e-13})
	if rep.Approximate {
		t.Error("exact backward reported approximate")
	}
	for _, tc := range []struct {
		terms   int
		damping float64
		min     float64 // bounds on the relative difference from exact
		max     float64
	}{
		{1, 1, 1e-3, 1},
		{4, 0.8, 1e-4, 0.5},
		{200, 1, 0, 1e-10},
	} {
		g, rep := grads(&Settings{AbsTol: 1e-13, Backward: Phantom, PhantomTerms: tc.terms, PhantomDamping: tc.damping})
		if !rep.Approximate || !strings.Contains(rep.Backward.String(), "approximate") {
			t.Errorf("phantom K=%d not labelled approximate: %v", tc.terms, rep.Backward)
		}
		var num, den float64
		for i := range g {
			num += (g[i] - exact[i]) * (g[i] - exact[i])
			den += exact[i] * exact[i]
		}
		if rel := math.Sqrt(num / den); rel < tc.min || rel > tc.max {
			t.Errorf("phantom K=%d τ=%g: relative difference from exact %.3g, want in [%g, %g]", tc.terms, tc.damping, rel, tc.min, tc.max)
		}
	}
}

// TestFailurePolicy checks that a solve that misses its tolerance is an
// error under Fail and is counted and flagged under Flag.
func TestFailurePolicy(t *testing.T) {
	const d, p, batch = 5, 2, 3
	tl := newTanhLayer(rand.New(rand.NewPCG(7, 8)), d, p, batch, 0.9)
	set := &Settings{Solver: FixedPoint, MaxIterations: 3}
	l, err := New([]Function{tl.function()}, set)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Forward(nil, []int{10, 11, 12}, batch); err == nil || !strings.Contains(err.Error(), "sample 10 did not converge") {
		t.Errorf("Fail policy: error %v, want one naming sample 10", err)
	}
	set.OnFailure = Flag
	l, err = New([]Function{tl.function()}, set)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := l.Forward(nil, []int{10, 11, 12}, batch); err != nil {
			t.Fatalf("Flag policy: %v", err)
		}
	}
	r := l.Report()
	if r.Failures != batch || r.TotalFailures != 2*batch || r.Solves != 2*batch {
		t.Errorf("failures %d, total %d, solves %d; want %d, %d, %d", r.Failures, r.TotalFailures, r.Solves, batch, 2*batch, 2*batch)
	}
	for _, st := range r.Forward {
		if st.Converged || st.Iterations != 3 {
			t.Errorf("sample %d flagged converged=%v after %d iterations", st.Key, st.Converged, st.Iterations)
		}
	}
}

// TestWarmStart checks that a second solve of the same samples starts from
// the cached equilibria, by key, and needs no iteration.
func TestWarmStart(t *testing.T) {
	const d, p, batch = 8, 2, 3
	tl := newTanhLayer(rand.New(rand.NewPCG(9, 10)), d, p, batch, 0.7)
	for _, solver := range []Solver{NewtonKrylov, Broyden, Anderson, FixedPoint} {
		l, err := New([]Function{tl.function()}, &Settings{Solver: solver, WarmStart: true})
		if err != nil {
			t.Fatal(err)
		}
		keys := []int{4, 5, 6}
		if _, err := l.Forward(nil, keys, batch); err != nil {
			t.Fatal(err)
		}
		if _, err := l.Forward(nil, keys, batch); err != nil {
			t.Fatal(err)
		}
		for _, st := range l.Report().Forward {
			if !st.WarmStarted || st.Iterations != 0 {
				t.Errorf("%v: sample %d warm started %v with %d iterations; want a warm start with 0", solver, st.Key, st.WarmStarted, st.Iterations)
			}
		}
		// Other keys start cold.
		if _, err := l.Forward(nil, []int{7, 8, 9}, batch); err != nil {
			t.Fatal(err)
		}
		if l.Report().Forward[0].WarmStarted {
			t.Errorf("%v: unseen key warm started", solver)
		}
	}
}

// TestWorkers checks that a batch split over two workers gives the same
// equilibria and gradients as one worker.
func TestWorkers(t *testing.T) {
	const d, p, batch = 7, 3, 5
	tl := newTanhLayer(rand.New(rand.NewPCG(11, 12)), d, p, batch, 0.8)
	target := make([]float64, batch*d)
	one, err := New([]Function{tl.function()}, nil)
	if err != nil {
		t.Fatal(err)
	}
	lossAndGrad(t, one, target, batch, true)
	gw1 := append([]float64(nil), tl.gw...)
	tl.zeroGrad()
	other := tl.clone()
	two, err := New([]Function{tl.function(), other.function()}, nil)
	if err != nil {
		t.Fatal(err)
	}
	lossAndGrad(t, two, target, batch, true)
	for i := range gw1 {
		if g := tl.gw[i] + other.gw[i]; math.Abs(g-gw1[i]) > 1e-10*(1+math.Abs(gw1[i])) {
			t.Fatalf("∂L/∂W[%d]: one worker %g, two workers %g", i, gw1[i], g)
		}
	}
}

// TestLearnableStart checks the homotopy start's auxiliary loss gradient
// against finite differences.
func TestLearnableStart(t *testing.T) {
	const d, p, batch = 4, 2, 3
	tl := newTanhLayer(rand.New(rand.NewPCG(13, 14)), d, p, batch, 0.6)
	l, err := New([]Function{tl.function()}, &Settings{Solver: Homotopy, StartWeight: 0.5, AbsTol: 1e-13})
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Params()) != 1 {
		t.Fatalf("learnable start: %d params, want z₀", len(l.Params()))
	}
	for i := range l.Z0.Value {
		l.Z0.Value[i] = 0.1 * float64(i)
	}
	lossAt := func() float64 {
		if _, err := l.Forward(nil, nil, batch); err != nil {
			t.Fatal(err)
		}
		return l.StartLoss()
	}
	lossAt()
	if err := l.Backward(make([]float64, batch*d)); err != nil {
		t.Fatal(err)
	}
	for i := range l.Z0.Value {
		const h = 1e-6
		old := l.Z0.Value[i]
		l.Z0.Value[i] = old + h
		lp := lossAt()
		l.Z0.Value[i] = old - h
		lm := lossAt()
		l.Z0.Value[i] = old
		if fd := (lp - lm) / (2 * h); math.Abs(fd-l.Z0.Grad[i]) > 1e-6*math.Abs(fd) {
			t.Errorf("∂L/∂z₀[%d] = %g, finite difference %g", i, l.Z0.Grad[i], fd)
		}
	}
}

// TestBadInput checks the errors of invalid settings and calls.
func TestBadInput(t *testing.T) {
	tl := newTanhLayer(rand.New(rand.NewPCG(1, 1)), 3, 1, 2, 0.5)
	f := tl.function()
	noJVP := f
	noJVP.JVP = nil
	for _, tc := range []struct {
		fs   []Function
		set  *Settings
		want string
	}{
		{nil, nil, "no Function"},
		{[]Function{{Dim: 0}}, nil, "Dim"},
		{[]Function{noJVP}, nil, "needs Function.JVP"},
		{[]Function{f}, &Settings{Damping: 2}, "Damping"},
		{[]Function{f}, &Settings{AbsTol: -1}, "tolerances"},
		{[]Function{f}, &Settings{Solver: 9}, "unknown solver"},
	} {
		if _, err := New(tc.fs, tc.set); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("New(%v): error %v, want one mentioning %q", tc.set, err, tc.want)
		}
	}
	l, err := New([]Function{f}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Backward(make([]float64, 6)); err == nil {
		t.Error("Backward before Forward: no error")
	}
	if _, err := l.Forward(nil, []int{1}, 2); err == nil {
		t.Error("wrong number of keys: no error")
	}
	if _, err := l.Forward(nil, nil, 2); err != nil {
		t.Fatal(err)
	}
	if err := l.Backward(make([]float64, 5)); err == nil {
		t.Error("Backward with a wrong-length gradient: no error")
	}
	if _, err := ParseSolver("newton"); err == nil {
		t.Error("ParseSolver(newton): no error")
	}
}

// TestRelativeTolerance checks that RelTol is relative to ‖f(z)‖₂, so a
// warm-started solve that already meets it takes no iteration, for every
// solver.
func TestRelativeTolerance(t *testing.T) {
	const d, p, batch = 30, 4, 2
	tl := newTanhLayer(rand.New(rand.NewPCG(51, 52)), d, p, batch, 0.9)
	fz := make([]float64, d)
	for _, solver := range []Solver{NewtonKrylov, Broyden, Anderson, FixedPoint, Homotopy} {
		l, err := New([]Function{tl.function()}, &Settings{Solver: solver, AbsTol: 1e-300, RelTol: 1e-4, WarmStart: true})
		if err != nil {
			t.Fatal(err)
		}
		z, err := l.Forward(nil, []int{0, 1}, batch)
		if err != nil {
			t.Fatalf("%v: %v", solver, err)
		}
		for s := range batch {
			zs := z[s*d : (s+1)*d]
			tl.pre(fz, zs, s)
			var r, f float64
			for i := range fz {
				r += (fz[i] - zs[i]) * (fz[i] - zs[i])
				f += fz[i] * fz[i]
			}
			// Newton–Krylov and Homotopy use ‖f‖ at their Newton start:
			// allow a factor of two.
			if math.Sqrt(r) > 2e-4*math.Sqrt(f) {
				t.Errorf("%v sample %d: ‖f(z) − z‖ = %g, ‖f(z)‖ = %g", solver, s, math.Sqrt(r), math.Sqrt(f))
			}
		}
		if solver == Homotopy {
			continue // always starts from z₀
		}
		if _, err := l.Forward(nil, []int{0, 1}, batch); err != nil {
			t.Fatal(err)
		}
		for _, st := range l.Report().Forward {
			if st.Iterations != 0 {
				t.Errorf("%v: warm-started sample %d took %d iterations", solver, st.Key, st.Iterations)
			}
		}
	}
}
