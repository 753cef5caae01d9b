package nsm

import (
	"fmt"
	"math"

	"github.com/neuralpde/neuralpde/nn"
	"github.com/neuralpde/neuralpde/train"
)

// SpectralScaler is a Problem whose linear operator has a diagonal symbol
// in the basis, so that its spectral loss has a diagonal Hessian in the
// output coefficients. Poisson2D implements it.
type SpectralScaler interface {
	// Symbol returns, per output coefficient, the symbol λ of the linear
	// operator (λ_ij = ω_i² + ω_j² for −Δ); zero where the coefficient is
	// fixed by the basis.
	Symbol() []float64
}

// SpectralScale returns, per output coefficient of m (Mx·My of them), the
// inverse squared symbol 1/λ² normalised to 1 at the smallest non-zero
// |λ|, and 0 where λ = 0. For a residual ‖λv − f‖², whose Hessian in v
// is diag(2wλ²), it is the inverse of that Hessian up to a constant: the
// operator preconditioner of a spectral loss (De Ryck, Bonnet, Mishra and
// de Bézenac, "An operator preconditioning perspective on training in
// physics-informed machine learning", ICLR 2024).
func (m *Model) SpectralScale(symbol []float64) ([]float64, error) {
	if len(symbol) != m.mx*m.my {
		return nil, fmt.Errorf("nsm: symbol of %d coefficients for a model of %d×%d", len(symbol), m.mx, m.my)
	}
	lo := math.Inf(1)
	for _, l := range symbol {
		if l != 0 {
			lo = math.Min(lo, math.Abs(l))
		}
	}
	s := make([]float64, len(symbol))
	for k, l := range symbol {
		if l != 0 {
			s[k] = lo * lo / (l * l)
		}
	}
	return s, nil
}

// SpectralPreconditioner is a train.Preconditioner that replaces the
// gradient Jᵀ∂L/∂v of the spectral loss (J = ∂v/∂θ, the model's output
// coefficients v) by JᵀS∂L/∂v, with S the model's SpectralScale of the
// problem's symbol: the gradient of the loss as if its Hessian in v were
// the identity. It costs one more forward and backward pass per step.
type SpectralPreconditioner struct {
	obj   *Objective
	scale []float64
}

var _ train.Preconditioner = (*SpectralPreconditioner)(nil)

// NewSpectralPreconditioner returns the preconditioner of obj, whose
// problem must implement SpectralScaler.
func NewSpectralPreconditioner(obj *Objective) (*SpectralPreconditioner, error) {
	sc, ok := obj.p.(SpectralScaler)
	if !ok {
		return nil, fmt.Errorf("nsm: problem %s has no diagonal symbol; the spectral preconditioner needs a SpectralScaler (periodic Poisson)", obj.p.Name())
	}
	s, err := obj.m.SpectralScale(sc.Symbol())
	if err != nil {
		return nil, err
	}
	return &SpectralPreconditioner{obj: obj, scale: s}, nil
}

// Precondition implements train.Preconditioner: it evaluates the loss on
// batch again with the scaled output gradient.
func (pc *SpectralPreconditioner) Precondition(params []*nn.Param, batch []int) error {
	_, err := pc.obj.eval(batch, pc.scale)
	return err
}
