package train

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// Lanczos runs at most k steps of the Lanczos iteration (Lanczos (1950),
// "An iteration method for the solution of the eigenvalue problem of
// linear differential and integral operators", J. Res. Nat. Bur.
// Standards 45) on an n×n operator A that is self-adjoint in the inner
// product ⟨x, y⟩ = xᵀMy, from a start vector drawn from rng, and returns
// the Ritz values (the eigenvalues of the tridiagonal matrix of the
// recurrence) in increasing order. a writes Av into dst; m writes Mv into
// dst, and nil means M = I. Every new vector is reorthogonalised (twice)
// against all earlier ones, so the Ritz values carry no spurious copies
// and k = n gives A's eigenvalues to rounding (Golub & Van Loan (2013),
// Matrix Computations, §10.1 and §10.3). The extreme Ritz values converge
// first; with k < n the smallest is an upper bound on the smallest
// eigenvalue and the largest a lower bound on the largest. The iteration
// stops early, returning fewer than k values, when the Krylov space
// becomes invariant.
//
// For a symmetric positive definite preconditioner P, B P⁻¹ is
// self-adjoint in the P⁻¹ inner product for any symmetric B, so
// a = v ↦ B(P⁻¹v) with m = P⁻¹ gives the eigenvalues of P^(−1/2) B P^(−1/2)
// from products with P⁻¹ alone.
func Lanczos(n, k int, a, m func(dst, v []float64), rng *rand.Rand) ([]float64, error) {
	if n <= 0 || k <= 0 {
		return nil, fmt.Errorf("train: Lanczos on a %d×%d operator with %d steps; give positive sizes", n, n, k)
	}
	if rng == nil {
		return nil, errors.New("train: Lanczos needs a random generator for its start vector")
	}
	k = min(k, n)
	inner := func(dst, v []float64) {
		if m == nil {
			copy(dst, v)
			return
		}
		m(dst, v)
	}
	// V holds the M-orthonormal Lanczos vectors and MV their images
	// under M, one per row.
	V := make([]float64, 0, k*n)
	MV := make([]float64, 0, k*n)
	alpha := make([]float64, 0, k)
	beta := make([]float64, 0, k)
	v := make([]float64, n)
	mv := make([]float64, n)
	w := make([]float64, n)
	var size float64 // the largest |α| or β so far, a lower bound on ‖A‖
	for i := range v {
		v[i] = rng.NormFloat64()
	}
	inner(mv, v)
	nrm := dot(v, mv)
	if !(nrm > 0) {
		return nil, fmt.Errorf("train: Lanczos: the inner-product operator is not positive definite (⟨v, Mv⟩ = %g)", nrm)
	}
	scale(1/math.Sqrt(nrm), v)
	scale(1/math.Sqrt(nrm), mv)
	for j := 0; j < k; j++ {
		V = append(V, v...)
		MV = append(MV, mv...)
		a(w, v)
		al := dot(w, mv)
		alpha = append(alpha, al)
		size = math.Max(size, math.Abs(al))
		if j == k-1 {
			break
		}
		axpy(-al, v, w)
		if j > 0 {
			axpy(-beta[j-1], V[(j-1)*n:j*n], w)
		}
		// Full reorthogonalisation, twice is enough (Giraud, Langou &
		// Rozložník 2005).
		for pass := 0; pass < 2; pass++ {
			for i := 0; i <= j; i++ {
				c := dot(w, MV[i*n:(i+1)*n])
				axpy(-c, V[i*n:(i+1)*n], w)
			}
		}
		inner(mv, w)
		b2 := dot(w, mv)
		if math.IsNaN(b2) || b2 < 0 && b2 < -1e-12*math.Abs(al) {
			return nil, fmt.Errorf("train: Lanczos: the inner-product operator is not positive definite (⟨w, Mw⟩ = %g)", b2)
		}
		b := math.Sqrt(math.Max(b2, 0))
		if b <= 1e-14*size || b == 0 {
			break
		}
		size = math.Max(size, b)
		beta = append(beta, b)
		copy(v, w)
		scale(1/b, v)
		scale(1/b, mv)
	}
	t := mat.NewSymDense(len(alpha), nil)
	for i, al := range alpha {
		t.SetSym(i, i, al)
		if i+1 < len(alpha) {
			t.SetSym(i, i+1, beta[i])
		}
	}
	var eig mat.EigenSym
	if ok := eig.Factorize(t, false); !ok {
		return nil, errors.New("train: Lanczos: the tridiagonal eigenproblem did not converge")
	}
	return eig.Values(nil), nil
}

func scale(c float64, x []float64) {
	for i := range x {
		x[i] *= c
	}
}
