package sparse

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

func TestTransferOperators(t *testing.T) {
	// The matrix-free transfers used in the cycle must be exactly the P
	// and R = Pᵀ/4 used for the Galerkin coarse operators.
	rnd := rand.New(rand.NewPCG(5, 6))
	m := 15
	mc := (m - 1) / 2
	p := prolongation(m)
	ec := make([]float64, mc*mc)
	r := make([]float64, m*m)
	for i := range ec {
		ec[i] = rnd.NormFloat64()
	}
	for i := range r {
		r[i] = rnd.NormFloat64()
	}
	want := make([]float64, m*m)
	p.MulVec(want, ec)
	got := make([]float64, m*m)
	prolongAdd(got, ec, m)
	if !floats.EqualApprox(got, want, 1e-14) {
		t.Error("prolongAdd differs from the prolongation matrix")
	}
	wantR := make([]float64, mc*mc)
	p.MulVecTrans(wantR, r)
	floats.Scale(0.25, wantR)
	gotR := make([]float64, mc*mc)
	restrict(gotR, r, m)
	if !floats.EqualApprox(gotR, wantR, 1e-14) {
		t.Error("restrict differs from Pᵀ/4")
	}
	// Operator-dependent interpolation of the 5-point Laplacian is
	// bilinear.
	if pd := operatorDependentProlongation(Laplacian5(m), m); !mat.EqualApprox(pd, p, 1e-14) {
		t.Error("operator-dependent prolongation of the Laplacian is not bilinear")
	}
	// Galerkin coarsening of the 5-point Laplacian reproduces a consistent
	// coarse −Δ: it annihilates constants away from the boundary and has
	// row sums of a 9-point stencil scaled by 1/(2h)².
	mg, err := NewMultigrid(Laplacian5(m), m, &MultigridSettings{CoarsestSize: 3})
	if err != nil {
		t.Fatal(err)
	}
	ac := mg.levels[1].a
	k := 3*mc + 3 // an interior coarse point
	cols, vals := ac.Row(k)
	if len(cols) != 9 || math.Abs(floats.Sum(vals)) > 1e-9*vals[4] {
		t.Errorf("coarse row %d: %d entries with sum %g, want 9 summing to 0", k, len(cols), floats.Sum(vals))
	}
	if mg.Levels() != 3 {
		t.Errorf("%d levels for m = 15 down to 3, want 3", mg.Levels())
	}
}

// mgProblem is a test matrix on the n×n vertex grid with its multigrid.
type mgProblem struct {
	name  string
	build func(n int, s *MultigridSettings) (*CSR, *Multigrid, error)
}

func matrixProblem(name string, assemble func(n int) (*CSR, error)) mgProblem {
	return mgProblem{name, func(n int, s *MultigridSettings) (*CSR, *Multigrid, error) {
		a, err := assemble(n)
		if err != nil {
			return nil, nil, err
		}
		mg, err := NewMultigrid(a, n-2, s)
		return a, mg, err
	}}
}

func diffusionProblem(name string, coef func(n int) []float64, c Coarsening) mgProblem {
	return mgProblem{name, func(n int, s *MultigridSettings) (*CSR, *Multigrid, error) {
		var set MultigridSettings
		if s != nil {
			set = *s
		}
		set.Coarsening = c
		mg, err := NewDiffusionMultigrid(coef(n), n, &set)
		if err != nil {
			return nil, nil, err
		}
		return mg.Matrix(), mg, nil
	}}
}

func unitCoefficient(n int) []float64 { return vertexField(n, func(x, y float64) float64 { return 1 }) }

var mgProblems = []mgProblem{
	matrixProblem("poisson", func(n int) (*CSR, error) { return Laplacian5(n - 2), nil }),
	matrixProblem("darcy-12/3", func(n int) (*CSR, error) { return Diffusion5(darcyCoefficient(n), n) }),
	matrixProblem("darcy-12/3-9pt", func(n int) (*CSR, error) { return Diffusion9(darcyCoefficient(n), n) }),
	diffusionProblem("poisson-rediscretized", unitCoefficient, Rediscretize),
	matrixProblem("contrast-1000/1", func(n int) (*CSR, error) {
		a := darcyCoefficient(n)
		for i, v := range a {
			if v == 3 {
				a[i] = 1e-3 * 12
			}
		}
		return Diffusion5(a, n)
	}),
	bilinear("darcy-12/3-bilinear", func(n int) (*CSR, error) { return Diffusion5(darcyCoefficient(n), n) }),
	bilinear("darcy-12/3-9pt-bilinear", func(n int) (*CSR, error) { return Diffusion9(darcyCoefficient(n), n) }),
}

func bilinear(name string, assemble func(n int) (*CSR, error)) mgProblem {
	p := matrixProblem(name, assemble)
	build := p.build
	p.build = func(n int, s *MultigridSettings) (*CSR, *Multigrid, error) {
		var set MultigridSettings
		if s != nil {
			set = *s
		}
		set.Interpolation = Bilinear
		return build(n, &set)
	}
	return p
}

// mgIterations solves A u = 1 with multigrid alone and as CG's
// preconditioner to relative residual 1e-10 and returns the iterations.
func mgIterations(t testing.TB, p mgProblem, n int, s *MultigridSettings) (alone, pcg int) {
	m := n - 2
	a, mg, err := p.build(n, s)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]float64, m*m)
	for i := range b {
		b[i] = 1
	}
	x := make([]float64, m*m)
	res, err := mg.Solve(x, b, &Settings{Tolerance: 1e-10})
	if err != nil || res.Status != Converged {
		t.Fatalf("%s n=%d: multigrid %v after %d cycles (%v)", p.name, n, res.Status, res.Iterations, err)
	}
	if r := residual(a, x, b); r > 1e-10 {
		t.Errorf("%s n=%d: multigrid true residual %g", p.name, n, r)
	}
	alone = res.Iterations
	for i := range x {
		x[i] = 0
	}
	res, err = (&CG{}).Solve(x, a, b, &Settings{Tolerance: 1e-10, Preconditioner: mg})
	if err != nil || res.Status != Converged {
		t.Fatalf("%s n=%d: MG-CG %v after %d iterations (%v)", p.name, n, res.Status, res.Iterations, err)
	}
	if r := residual(a, x, b); r > 1e-9 {
		t.Errorf("%s n=%d: MG-CG true residual %g", p.name, n, r)
	}
	return alone, res.Iterations
}

func TestMultigridGridIndependence(t *testing.T) {
	for _, s := range []struct {
		name string
		s    *MultigridSettings
	}{
		{"rbgs", nil},
		{"jacobi", &MultigridSettings{Smoother: WeightedJacobi}},
	} {
		for _, p := range mgProblems {
			var alone, pcg []int
			for _, n := range []int{33, 65, 129} {
				a, c := mgIterations(t, p, n, s.s)
				alone, pcg = append(alone, a), append(pcg, c)
			}
			t.Logf("%s %s: multigrid cycles %v, MG-CG iterations %v for n = 33, 65, 129", s.name, p.name, alone, pcg)
			// Nearly constant: at most 2 more iterations per halving of h
			// (the jumping coefficient is resolved ever worse on the
			// coarse levels), and few in all.
			for _, it := range [][]int{alone, pcg} {
				if it[1] > it[0]+2 || it[2] > it[1]+2 || it[2] > 30 {
					t.Errorf("%s %s: iterations %v grow with the grid", s.name, p.name, it)
				}
				// Operator-dependent interpolation keeps the 12/3 jumps at
				// the Laplacian's iteration count, and a 1000/1 contrast
				// close to it (bilinear interpolation contracts by only
				// 0.99 per cycle there).
				limit := 13
				if strings.HasPrefix(p.name, "contrast") {
					limit = 20
				}
				if !strings.HasSuffix(p.name, "bilinear") && it[2] > limit {
					t.Errorf("%s %s: %d iterations on the finest grid; operator-dependent interpolation should need at most %d", s.name, p.name, it[2], limit)
				}
			}
		}
	}
}

func TestMultigridAgainstDense(t *testing.T) {
	n := 17
	a, err := Diffusion5(darcyCoefficient(n), n)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]float64, a.r)
	for i := range b {
		b[i] = math.Sin(float64(i))
	}
	want := denseSolve(t, a, b)
	mg, err := NewMultigrid(a, n-2, nil)
	if err != nil {
		t.Fatal(err)
	}
	x := make([]float64, a.r)
	if res, err := mg.Solve(x, b, &Settings{Tolerance: 1e-12}); err != nil || res.Status != Converged {
		t.Fatalf("multigrid: %v, %v", res.Status, err)
	}
	if d := floats.Distance(x, want, math.Inf(1)) / floats.Norm(want, math.Inf(1)); d > 1e-10 {
		t.Errorf("multigrid solution differs from dense by %g", d)
	}
	// One V-cycle as a preconditioner is a symmetric operator.
	pm := mat.NewDense(a.r, a.r, nil)
	e := make([]float64, a.r)
	col := make([]float64, a.r)
	for j := 0; j < a.r; j++ {
		e[j] = 1
		mg.Precondition(col, e)
		e[j] = 0
		pm.SetCol(j, col)
	}
	if !mat.EqualApprox(pm, pm.T(), 1e-12*mat.Norm(pm, math.Inf(1))) {
		t.Error("the V-cycle preconditioner is not symmetric")
	}
}

func TestMultigridBadInput(t *testing.T) {
	for _, tc := range []struct {
		name string
		a    *CSR
		m    int
		s    *MultigridSettings
	}{
		{"size-zero", Laplacian5(1), 0, nil},
		{"size-mismatch", Laplacian5(7), 15, nil},
		{"negative-sweeps", Laplacian5(7), 7, &MultigridSettings{PreSmooth: -1}},
		{"jacobi-weight", Laplacian5(7), 7, &MultigridSettings{JacobiWeight: 2}},
		{"smoother", Laplacian5(7), 7, &MultigridSettings{Smoother: 9}},
		{"rediscretize-without-coefficient", Laplacian5(7), 7, &MultigridSettings{Coarsening: Rediscretize}},
		{"interpolation", Laplacian5(7), 7, &MultigridSettings{Interpolation: 7}},
	} {
		if _, err := NewMultigrid(tc.a, tc.m, tc.s); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
	if _, err := NewDiffusionMultigrid(ones(100), 10, &MultigridSettings{Coarsening: Rediscretize}); err == nil {
		t.Error("rediscretized NewDiffusionMultigrid with 10 vertices per side: no error")
	}
	if _, err := NewDiffusionMultigrid(ones(80), 9, nil); err == nil {
		t.Error("NewDiffusionMultigrid with a short coefficient: no error")
	}
	mg, err := NewMultigrid(Laplacian5(15), 15, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mg.Solve(make([]float64, 9), make([]float64, 9), nil); err == nil {
		t.Error("Solve with a wrong length: no error")
	}
	res, err := mg.Solve(make([]float64, 225), ones(225), &Settings{MaxIterations: 1})
	if err != nil || res.Status != MaxIterationsReached || res.Iterations != 1 {
		t.Errorf("capped multigrid: %v after %d cycles (%v), want maximum iterations reached after 1", res.Status, res.Iterations, err)
	}
}

func ones(n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = 1
	}
	return v
}

// TestMultigridAnySize checks Galerkin multigrid on grids that are not
// 2^k+1 points per side, where some levels have an even number of points
// (the coarse grid's last line then lies next to the boundary): the
// solution matches a dense solve and the iteration counts stay those of
// the 2^k+1 grids (TestMultigridGridIndependence). (On such a line the
// operator-dependent prolongation of the Laplacian is not bilinear: the
// boundary beside it is lumped as a zero value, giving weights 1/3.)
func TestMultigridAnySize(t *testing.T) {
	for _, n := range []int{14, 23} {
		a, err := Diffusion5(darcyCoefficient(n), n)
		if err != nil {
			t.Fatal(err)
		}
		b := make([]float64, a.r)
		for i := range b {
			b[i] = math.Cos(float64(i))
		}
		want := denseSolve(t, a, b)
		for _, interp := range []Interpolation{OperatorDependent, Bilinear} {
			mg, err := NewMultigrid(a, n-2, &MultigridSettings{CoarsestSize: 2, Interpolation: interp})
			if err != nil {
				t.Fatal(err)
			}
			x := make([]float64, a.r)
			if res, err := mg.Solve(x, b, &Settings{Tolerance: 1e-12}); err != nil || res.Status != Converged {
				t.Fatalf("n=%d %v: multigrid %v, %v", n, interp, res.Status, err)
			}
			if d := floats.Distance(x, want, math.Inf(1)) / floats.Norm(want, math.Inf(1)); d > 1e-10 {
				t.Errorf("n=%d %v: multigrid solution differs from dense by %g", n, interp, d)
			}
		}
	}
	for _, p := range mgProblems {
		if strings.HasSuffix(p.name, "rediscretized") {
			continue
		}
		var alone, pcg []int
		// m = 32 (even on the first level), 65 (odd, then 32), 104 (the
		// FNO Darcy grid's third level: 421 → 209 → 104).
		for _, n := range []int{34, 67, 106} {
			a, c := mgIterations(t, p, n, nil)
			alone, pcg = append(alone, a), append(pcg, c)
		}
		t.Logf("%s: multigrid cycles %v, MG-CG iterations %v for n = 34, 67, 106", p.name, alone, pcg)
		limit := 13
		switch {
		case strings.HasPrefix(p.name, "contrast"):
			limit = 20
		case strings.HasSuffix(p.name, "bilinear"):
			limit = 30
		}
		for _, it := range [][]int{alone, pcg} {
			for _, k := range it {
				if k > limit+5 || it[2] > limit {
					t.Errorf("%s: iterations %v on grids of other sizes than 2^k+1, want at most %d", p.name, it, limit)
					break
				}
			}
		}
	}
}
