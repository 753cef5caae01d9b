package sparse

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

// randomSparse returns an n×n matrix with about nnzPerRow random
// off-diagonal entries per row plus diag on the diagonal; if spd it returns
// BᵀB + diag·I for such a B instead.
func randomSparse(rnd *rand.Rand, n, nnzPerRow int, diag float64, spd bool) *CSR {
	t := NewCOO(n, n, n*(nnzPerRow+1))
	for i := 0; i < n; i++ {
		t.Append(i, i, diag)
		for k := 0; k < nnzPerRow; k++ {
			t.Append(i, rnd.IntN(n), rnd.NormFloat64())
		}
	}
	a := t.ToCSR()
	if !spd {
		return a
	}
	ata, err := Mul(a.Transpose(), a)
	if err != nil {
		panic(err)
	}
	return ata
}

func denseSolve(t *testing.T, a *CSR, b []float64) []float64 {
	t.Helper()
	var x mat.VecDense
	if err := x.SolveVec(mat.DenseCopyOf(a), mat.NewVecDense(len(b), b)); err != nil {
		t.Fatalf("dense solve: %v", err)
	}
	return x.RawVector().Data
}

func residual(a Operator, x, b []float64) float64 {
	r := make([]float64, len(b))
	a.MulVec(r, x)
	floats.Sub(r, b)
	return floats.Norm(r, 2) / floats.Norm(b, 2)
}

func TestKrylovAgainstDense(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	spd := randomSparse(rnd, 120, 3, 1, true)
	nonsym := randomSparse(rnd, 150, 4, 6, false)
	jacSPD, err := NewJacobi(spd)
	if err != nil {
		t.Fatal(err)
	}
	jacNonsym, err := NewJacobi(nonsym)
	if err != nil {
		t.Fatal(err)
	}
	type solver interface {
		Solve(x []float64, a Operator, b []float64, s *Settings) (Result, error)
	}
	for _, tc := range []struct {
		name   string
		a      *CSR
		solver solver
		s      *Settings
		tol    float64 // on the relative error against the dense solve
	}{
		{"cg", spd, &CG{}, nil, 1e-7},
		{"cg-jacobi", spd, &CG{}, &Settings{Preconditioner: jacSPD}, 1e-7},
		{"gmres-spd", spd, &GMRES{}, &Settings{Restart: 200}, 1e-7},
		{"gmres(20)", nonsym, &GMRES{}, &Settings{Restart: 20}, 1e-8},
		{"gmres(20)-right-jacobi", nonsym, &GMRES{}, &Settings{Restart: 20, Preconditioner: jacNonsym}, 1e-8},
		{"gmres(20)-left-jacobi", nonsym, &GMRES{}, &Settings{Restart: 20, Preconditioner: jacNonsym, Side: Left}, 1e-8},
		{"gmres(5)", nonsym, &GMRES{}, &Settings{Restart: 5}, 1e-8},
	} {
		n, _ := tc.a.Dims()
		b := make([]float64, n)
		for i := range b {
			b[i] = rnd.NormFloat64()
		}
		want := denseSolve(t, tc.a, b)
		x := make([]float64, n)
		res, err := tc.solver.Solve(x, tc.a, b, tc.s)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if res.Status != Converged {
			t.Errorf("%s: status %v after %d iterations, residual %g", tc.name, res.Status, res.Iterations, res.Residual)
		}
		if r := residual(tc.a, x, b); r > 1e-9 {
			t.Errorf("%s: true relative residual %g > 1e-9", tc.name, r)
		}
		diff := make([]float64, n)
		floats.SubTo(diff, x, want)
		if e := floats.Norm(diff, 2) / floats.Norm(want, 2); e > tc.tol {
			t.Errorf("%s: relative error against dense solve %g > %g", tc.name, e, tc.tol)
		}
	}
}

func TestKrylovStatus(t *testing.T) {
	rnd := rand.New(rand.NewPCG(3, 4))
	spd := randomSparse(rnd, 200, 3, 1e-3, true)
	nonsym := randomSparse(rnd, 200, 4, 1, false)
	// A symmetric indefinite matrix: CG meets negative curvature.
	indef := NewCOO(3, 3, 3)
	indef.Append(0, 0, 1)
	indef.Append(1, 1, -1)
	indef.Append(2, 2, 2)
	// A singular system whose right-hand side is outside the range: GMRES
	// cannot decrease the residual below ‖b₂‖.
	sing := NewCOO(2, 2, 1)
	sing.Append(0, 0, 1)
	for _, tc := range []struct {
		name   string
		solve  func(x, b []float64) (Result, error)
		n      int
		status Status
		iters  int // expected iterations, −1 to skip
	}{
		{"cg-capped", func(x, b []float64) (Result, error) {
			return (&CG{}).Solve(x, spd, b, &Settings{MaxIterations: 5})
		}, 200, MaxIterationsReached, 5},
		{"gmres-capped", func(x, b []float64) (Result, error) {
			return (&GMRES{}).Solve(x, nonsym, b, &Settings{MaxIterations: 7, Restart: 3})
		}, 200, MaxIterationsReached, 7},
		{"cg-indefinite", func(x, b []float64) (Result, error) {
			return (&CG{}).Solve(x, indef.ToCSR(), b, nil)
		}, 3, Stalled, -1},
		{"gmres-inconsistent", func(x, b []float64) (Result, error) {
			return (&GMRES{}).Solve(x, sing.ToCSR(), b, nil)
		}, 2, Stalled, -1},
	} {
		b := make([]float64, tc.n)
		for i := range b {
			b[i] = 1
		}
		x := make([]float64, tc.n)
		res, err := tc.solve(x, b)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if res.Status != tc.status {
			t.Errorf("%s: status %v, want %v", tc.name, res.Status, tc.status)
		}
		if tc.iters >= 0 && res.Iterations != tc.iters {
			t.Errorf("%s: %d iterations, want %d", tc.name, res.Iterations, tc.iters)
		}
	}
}

func TestKrylovBadInput(t *testing.T) {
	a := Laplacian5(3)
	for _, tc := range []struct {
		name string
		x, b []float64
		s    *Settings
	}{
		{"length", make([]float64, 9), make([]float64, 8), nil},
		{"empty", nil, nil, nil},
		{"tolerance", make([]float64, 9), make([]float64, 9), &Settings{Tolerance: -1}},
		{"restart", make([]float64, 9), make([]float64, 9), &Settings{Restart: -2}},
	} {
		if _, err := (&CG{}).Solve(tc.x, a, tc.b, tc.s); err == nil {
			t.Errorf("CG %s: no error", tc.name)
		}
		if _, err := (&GMRES{}).Solve(tc.x, a, tc.b, tc.s); err == nil {
			t.Errorf("GMRES %s: no error", tc.name)
		}
	}
}

func TestKrylovZeroRHS(t *testing.T) {
	a := Laplacian5(4)
	x := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}
	for _, s := range []interface {
		Solve(x []float64, a Operator, b []float64, s *Settings) (Result, error)
	}{&CG{}, &GMRES{}} {
		res, err := s.Solve(x, a, make([]float64, 16), nil)
		if err != nil || res.Status != Converged || floats.Norm(x, math.Inf(1)) != 0 {
			t.Errorf("%T with b = 0: status %v, err %v, x = %v", s, res.Status, err, x)
		}
	}
}
