package train

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
	"gonum.org/v1/gonum/mat"
)

// spdWithCond returns a random n×n SPD matrix Q diag(λ) Qᵀ with
// eigenvalues log-spaced from 1 to cond and Q a random orthogonal matrix.
func spdWithCond(n int, cond float64, rng *rand.Rand) *mat.SymDense {
	a := mat.NewDense(n, n, nil)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			a.Set(i, j, rng.NormFloat64())
		}
	}
	var qr mat.QR
	qr.Factorize(a)
	var q mat.Dense
	qr.QTo(&q)
	s := mat.NewSymDense(n, nil)
	for i := 0; i < n; i++ {
		for j := i; j < n; j++ {
			var v float64
			for k := 0; k < n; k++ {
				lam := math.Pow(cond, float64(k)/float64(n-1))
				v += q.At(i, k) * lam * q.At(j, k)
			}
			s.SetSym(i, j, v)
		}
	}
	return s
}

func symApply(a mat.Symmetric) func(dst, v []float64) {
	n := a.SymmetricDim()
	return func(dst, v []float64) { mat.NewVecDense(n, dst).MulVec(a, mat.NewVecDense(n, v)) }
}

// TestLanczosEigenSym checks Lanczos's extreme Ritz values against gonum's
// EigenSym on random SPD matrices with known condition numbers: exact
// with n steps, and the largest eigenvalue already from a few steps.
func TestLanczosEigenSym(t *testing.T) {
	for _, c := range []struct {
		n, k         int
		cond         float64
		tolMax       float64
		tolMin       float64 // NaN: the smallest is not expected to converge
		wantFullSize bool
	}{
		{n: 40, k: 40, cond: 1e2, tolMax: 1e-10, tolMin: 1e-10, wantFullSize: true},
		{n: 40, k: 40, cond: 1e6, tolMax: 1e-10, tolMin: 1e-7, wantFullSize: true},
		{n: 60, k: 60, cond: 1e10, tolMax: 1e-10, tolMin: 1e-4, wantFullSize: true},
		{n: 200, k: 30, cond: 1e4, tolMax: 1e-6, tolMin: math.NaN()},
	} {
		rng := rand.New(rand.NewPCG(uint64(c.n), uint64(c.cond)))
		a := spdWithCond(c.n, c.cond, rng)
		var eig mat.EigenSym
		if !eig.Factorize(a, false) {
			t.Fatal("EigenSym failed")
		}
		want := eig.Values(nil)
		ritz, err := Lanczos(c.n, c.k, symApply(a), nil, rng)
		if err != nil {
			t.Fatal(err)
		}
		if c.wantFullSize && len(ritz) != c.n {
			t.Errorf("n=%d cond=%g: %d Ritz values, want %d", c.n, c.cond, len(ritz), c.n)
		}
		gotMax, gotMin := ritz[len(ritz)-1], ritz[0]
		if !scalar.EqualWithinRel(gotMax, want[c.n-1], c.tolMax) {
			t.Errorf("n=%d k=%d cond=%g: λmax %.12g, want %.12g", c.n, c.k, c.cond, gotMax, want[c.n-1])
		}
		if !math.IsNaN(c.tolMin) && !scalar.EqualWithinRel(gotMin, want[0], c.tolMin) {
			t.Errorf("n=%d k=%d cond=%g: λmin %.12g, want %.12g", c.n, c.k, c.cond, gotMin, want[0])
		}
		if math.IsNaN(c.tolMin) && gotMin < want[0]*(1-1e-12) {
			t.Errorf("n=%d k=%d: Ritz value %g below the smallest eigenvalue %g", c.n, c.k, gotMin, want[0])
		}
		if cond := gotMax / gotMin; c.wantFullSize && !scalar.EqualWithinRel(cond, c.cond, 10*c.tolMin) {
			t.Errorf("n=%d cond=%g: estimated condition number %g", c.n, c.cond, cond)
		}
	}
}

// TestLanczosInnerProduct checks that a = B P⁻¹ in the P⁻¹ inner product
// gives the eigenvalues of P^(−1/2) B P^(−1/2).
func TestLanczosInnerProduct(t *testing.T) {
	const n = 30
	rng := rand.New(rand.NewPCG(7, 8))
	b := spdWithCond(n, 1e5, rng)
	pinv := spdWithCond(n, 1e3, rng)
	var chol mat.Cholesky
	if !chol.Factorize(pinv) {
		t.Fatal("P⁻¹ not SPD")
	}
	// P^(−1/2) B P^(−1/2) is similar to Lᵀ B L with P⁻¹ = L Lᵀ.
	var l mat.TriDense
	chol.LTo(&l)
	var lb, lbl mat.Dense
	lb.Mul(l.T(), b)
	lbl.Mul(&lb, &l)
	sym := mat.NewSymDense(n, nil)
	for i := 0; i < n; i++ {
		for j := i; j < n; j++ {
			sym.SetSym(i, j, 0.5*(lbl.At(i, j)+lbl.At(j, i)))
		}
	}
	var eig mat.EigenSym
	eig.Factorize(sym, false)
	want := eig.Values(nil)
	tmp := make([]float64, n)
	a := func(dst, v []float64) {
		symApply(pinv)(tmp, v)
		symApply(b)(dst, tmp)
	}
	ritz, err := Lanczos(n, n, a, symApply(pinv), rng)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name      string
		got, want float64
	}{{"max", ritz[len(ritz)-1], want[n-1]}, {"min", ritz[0], want[0]}} {
		if !scalar.EqualWithinRel(c.got, c.want, 1e-7) {
			t.Errorf("λ%s %.12g, want %.12g", c.name, c.got, c.want)
		}
	}
}

func TestLanczosErrors(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	id := func(dst, v []float64) { copy(dst, v) }
	neg := func(dst, v []float64) {
		for i, x := range v {
			dst[i] = -x
		}
	}
	for _, c := range []struct {
		name string
		n, k int
		m    func(dst, v []float64)
		rng  *rand.Rand
	}{
		{"zero size", 0, 3, nil, rng},
		{"zero steps", 3, 0, nil, rng},
		{"no rng", 3, 3, nil, nil},
		{"indefinite inner product", 3, 3, neg, rng},
	} {
		if _, err := Lanczos(c.n, c.k, id, c.m, c.rng); err == nil {
			t.Errorf("%s: no error", c.name)
		}
	}
	// The identity's Krylov space is invariant after one step.
	ritz, err := Lanczos(10, 5, id, nil, rng)
	if err != nil || len(ritz) != 1 || !scalar.EqualWithinAbs(ritz[0], 1, 1e-14) {
		t.Errorf("identity: Ritz values %v, error %v; want [1]", ritz, err)
	}
}
