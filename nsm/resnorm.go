package nsm

import (
	"fmt"

	"github.com/neuralpde/neuralpde/operators"
)

// Residual norms of the space–time problems (Config.ResidualNorm).
const (
	// NormL2 is ∫∫ r² dx dt, the spectral loss of Du et al.
	NormL2 = "l2"
	// NormIntegrated is ∫∫ (∫_0^t r)² dx dt: the residual's accumulated
	// effect. For u_t = F(u) + r the error of a slow mode grows like ∫r,
	// so this norm weighs a residual by the error it causes rather than
	// by its size; it has the same minimiser (∫_0^t r = 0 for all t
	// exactly when r = 0), and is exact in the Chebyshev basis
	// (operators.ChebyshevBasis.Antiderivative).
	NormIntegrated = "integrated"
)

// residualNorm evaluates Σ_i w_i ‖r_i‖² over the rows of a residual's
// coefficients r (rows × Mt Chebyshev coefficients in t), w_i the spatial
// Gram weights, in the L² norm in t (Gram matrix G) or the integrated one
// (R = r Aᵀ with the antiderivative A, then its Gram matrix).
type residualNorm struct {
	mt    int
	g     []float64 // Gram matrix of R's basis, k×k
	a     []float64 // (Mt+1)×Mt antiderivative; nil for NormL2
	k     int       // columns of R: Mt or Mt+1
	r, rg []float64
}

// newResidualNorm returns the norm named norm on the time basis ct.
func newResidualNorm(ct *operators.ChebyshevBasis, norm string) (*residualNorm, error) {
	n := &residualNorm{mt: ct.Len()}
	switch norm {
	case NormL2, "":
		n.k = n.mt
		n.g = ct.Gram().RawMatrix().Data
	case NormIntegrated:
		a, b := ct.Interval()
		n.k = n.mt + 1
		n.a = ct.Antiderivative().RawMatrix().Data
		n.g = operators.NewChebyshevBasis(n.k, a, b).Gram().RawMatrix().Data
	default:
		return nil, fmt.Errorf("nsm: residual norm %q; use %q or %q", norm, NormL2, NormIntegrated)
	}
	return n, nil
}

// eval returns Σ_i w_i ‖r_i‖² and writes its gradient with respect to r,
// times scale, into gr (rows × Mt, not r).
func (n *residualNorm) eval(gr, r, w []float64, rows int, scale float64) float64 {
	mt, k := n.mt, n.k
	R := r
	if n.a != nil {
		n.r = grow(n.r, rows*k)
		gemmNT(n.r, r, n.a, rows, k, mt, k, mt, false)
		R = n.r
	}
	n.rg = grow(n.rg, rows*k)
	gemm(n.rg, R, n.g, rows, k, k, k, k, false)
	var loss float64
	for i := range rows {
		a, b := R[i*k:(i+1)*k], n.rg[i*k:(i+1)*k]
		for l := range a {
			loss += w[i] * a[l] * b[l]
			b[l] *= 2 * scale * w[i]
		}
	}
	if n.a != nil {
		gemm(gr, n.rg, n.a, rows, k, mt, k, mt, false)
	} else {
		copy(gr, n.rg)
	}
	return loss
}
