package pde

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/lapack/gonum"
)

// GaussHermite returns the nodes z and the logarithms of the weights of the
// n-point Gauss–Hermite rule
//
//	∫ e^{−z²} g(z) dz ≈ Σᵢ wᵢ g(zᵢ),
//
// with the nodes increasing. The weights are returned as log wᵢ because for
// large n the outer weights underflow float64 (w ≈ e^{−z²}) while they still
// matter when g grows fast, as in the Cole–Hopf integrals.
//
// The nodes are the eigenvalues of the Jacobi matrix of the Hermite
// recurrence (Golub & Welsch 1969), found in O(n²) time and O(n) memory by
// LAPACK's Dsterf (no eigenvectors), then polished by Newton's method on the
// orthonormal Hermite recurrence. The weights come from the derivative of
// the orthonormal polynomial, wᵢ = 2/p′ₙ(zᵢ)² (Press et al. 2007, §4.6),
// computed as a logarithm so that they keep their relative accuracy however
// small they are. The recurrence is rescaled on the fly so that it cannot
// overflow for large n. n < 1 panics.
func GaussHermite(n int) (z, logw []float64) {
	if n < 1 {
		panic(fmt.Sprintf("pde: Gauss–Hermite rule needs at least one node, got %d", n))
	}
	// Jacobi matrix of the monic Hermite recurrence for the weight e^{−z²}:
	// zero diagonal, off-diagonal √(k/2).
	z = make([]float64, n)
	off := make([]float64, n)
	for k := 1; k < n; k++ {
		off[k-1] = math.Sqrt(float64(k) / 2)
	}
	if ok := (gonum.Implementation{}).Dsterf(n, z, off[:max(n-1, 0)]); !ok {
		panic("pde: Gauss–Hermite eigenvalue iteration did not converge")
	}
	// Coefficients of the orthonormal recurrence
	// pⱼ = x√(2/j) pⱼ₋₁ − √((j−1)/j) pⱼ₋₂.
	ra, rb := make([]float64, n+1), make([]float64, n+1)
	for j := 1; j <= n; j++ {
		ra[j] = math.Sqrt(2 / float64(j))
		rb[j] = math.Sqrt(float64(j-1) / float64(j))
	}
	logw = make([]float64, n)
	// Polish the non-negative half and mirror it, so the rule is exactly
	// symmetric.
	for i := n / 2; i < n; i++ {
		x := z[i]
		if 2*i+1 == n {
			x = 0
		}
		var lw float64
		for iter := 0; iter < 4; iter++ {
			p, dpp, lpp := hermiteOrthonormal(ra, rb, x)
			lw = math.Ln2 - 2*lpp
			if 2*i+1 == n {
				break // the middle node of an odd rule is exactly 0
			}
			dx := p / dpp
			x -= dx
			if math.Abs(dx) <= 2e-16*math.Abs(x) {
				break
			}
		}
		z[i], z[n-1-i] = x, -x
		logw[i], logw[n-1-i] = lw, lw
	}
	return z, logw
}

// hermiteOrthonormal evaluates the orthonormal Hermite polynomial pₙ and its
// derivative at x by the three-term recurrence with coefficients ra, rb
// (indices 1…n). To stay finite, p and dp are returned divided by a common
// positive scale (their ratio, the Newton step, is exact); lnAbsDeriv is
// ln|p′ₙ(x)| itself.
func hermiteOrthonormal(ra, rb []float64, x float64) (p, dp, lnAbsDeriv float64) {
	const (
		pim4    = 0.7511255444649425 // π^{−1/4}
		rescale = 1e150
		lnScale = 345.38776394910684 // ln 1e150
	)
	p1, p2, p3 := pim4, 0.0, 0.0
	scale := 0.0
	n := len(ra) - 1
	for j := 1; j <= n; j++ {
		p3 = p2
		p2 = p1
		p1 = x*ra[j]*p2 - rb[j]*p3
		if math.Abs(p1) > rescale {
			p1 /= rescale
			p2 /= rescale
			scale += lnScale
		}
	}
	// p′ₙ = √(2n) pₙ₋₁.
	dp = math.Sqrt(float64(2*n)) * p2
	return p1, dp, math.Log(math.Abs(dp)) + scale
}
