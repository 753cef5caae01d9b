package train

import (
	"fmt"
	"math"

	"github.com/neuralpde/neuralpde/nn"
	"gonum.org/v1/gonum/mat"
)

// Newton is Newton's method with lazy Hessians, Doikov, Chayti & Jaggi
// (2023), "Second-order optimization with lazy Hessians", ICML: the
// Hessian is evaluated (and eigendecomposed) only every Refresh steps and
// reused with the fresh gradient in between. Each step minimises, over h,
// the cubic model of Nesterov & Polyak (2006), "Cubic regularization of
// Newton method and its global performance", Math. Program. 108,
//
//	gᵀh + ½hᵀHh + (M/6)‖h‖³,
//
// or, with Regularized, takes the gradient-regularised step
// h = −(H + λI)⁻¹g with λ = √(M‖g‖) (plus −λ_min(H) when H is indefinite)
// of Mishchenko (2023), "Regularized Newton method with global O(1/k²)
// convergence", SIAM J. Optim. — the two methods of the lazy-Hessian
// paper. Both steps are solved exactly in the eigenbasis of H. M adapts:
// it halves after a step that decreases the loss by at least a tenth of
// the model's prediction and doubles (and the step is retried) otherwise.
//
// The Hessian comes from the objective's HessVec when it implements
// HessianVector, else from central differences of gradients (2P gradient
// evaluations). The dense P×P Hessian limits Newton to small parameter
// counts (MaxParams). It needs full-batch training and the exact gradient,
// and ignores Step.Rates.
type Newton struct {
	// Refresh is the number of steps between Hessian evaluations; zero
	// means 10.
	Refresh int
	// Regularized selects the gradient-regularised step; false means the
	// cubic-regularised step.
	Regularized bool
	// M is the initial regularisation constant; zero means 1.
	M float64
	// FDStep is the relative step of the gradient differences; zero means
	// 1e-5.
	FDStep float64
	// MaxParams refuses objectives with more parameters; zero means 4000.
	MaxParams int
	// MaxTries bounds the trial steps per Step; zero means 30.
	MaxTries int

	params           []*nn.Param
	hv               HessianVector
	n, count         int
	m                float64
	hess             *mat.SymDense
	cols             *mat.Dense
	eig              mat.EigenSym
	vals             []float64
	vecs             mat.Dense
	x0, g, gt, ht, h []float64
	gp, e            []float64
}

var _ Optimizer = (*Newton)(nil)

// Needs implements Needer.
func (o *Newton) Needs() Needs { return Needs{FullBatch: true, ExactGradient: true} }

// Init implements Optimizer.
func (o *Newton) Init(params []*nn.Param, obj Objective) error {
	if err := checkParams(params); err != nil {
		return err
	}
	n := nn.NumParams(params)
	if max := orDefaultInt(o.MaxParams, 4000); n > max {
		return fmt.Errorf("train: Newton forms a dense %d×%d Hessian, more than MaxParams = %d allows; raise Newton.MaxParams or use LBFGS or LevenbergMarquardt", n, n, max)
	}
	o.params = params
	o.hv, _ = obj.(HessianVector)
	o.n = n
	o.count = 0
	o.m = orDefault(o.M, 1)
	o.hess = mat.NewSymDense(n, nil)
	o.cols = mat.NewDense(n, n, nil)
	for _, p := range []*[]float64{&o.x0, &o.g, &o.gt, &o.ht, &o.h, &o.gp, &o.e} {
		*p = make([]float64, n)
	}
	return nil
}

// Step implements Optimizer.
func (o *Newton) Step(s *Step) (Status, error) {
	gatherValues(o.x0, o.params)
	gatherGrads(o.g, o.params)
	if o.count%orDefaultInt(o.Refresh, 10) == 0 {
		if err := o.hessian(s); err != nil {
			return Failure, err
		}
		if err := o.decompose(); err != nil {
			return Failure, err
		}
	}
	o.count++
	gn := norm(o.g)
	if gn == 0 {
		return Converged, nil
	}
	gtv := mat.NewVecDense(o.n, o.gt)
	gtv.MulVec(o.vecs.T(), mat.NewVecDense(o.n, o.g))
	for try := 0; try < orDefaultInt(o.MaxTries, 30); try++ {
		pred := o.solve(gn)
		if pred > 0 && finiteSlice(o.h) {
			setAxpy(o.params, o.x0, 1, o.h)
			f, err := s.Evaluate()
			if err != nil {
				return Failure, err
			}
			if s.Loss-f >= 0.1*pred {
				o.m = math.Max(o.m/2, 1e-12)
				s.Fresh(f)
				return NotTerminated, nil
			}
		}
		o.m *= 2
	}
	scatterValues(o.params, o.x0)
	return Converged, nil
}

// solve writes the step for the current M into h and returns the
// decrease its model predicts.
func (o *Newton) solve(gn float64) float64 {
	lmin := math.Inf(1)
	for _, v := range o.vals {
		lmin = math.Min(lmin, v)
	}
	var shift, cubic float64
	if o.Regularized {
		shift = math.Sqrt(o.m*gn) + math.Max(0, -lmin)
	} else {
		// ‖h(r)‖ = r with h(r) = −(Λ + (M r/2) I)⁻¹ g̃; the left side
		// decreases in r on M r/2 > −λ_min, so bisect.
		lo := math.Max(0, -2*lmin/o.m)
		hi := lo + 1
		for o.stepNorm(o.m*hi/2) > hi {
			hi = lo + 2*(hi-lo)
		}
		for it := 0; it < 200 && hi-lo > 1e-15*hi; it++ {
			mid := lo + (hi-lo)/2
			if o.stepNorm(o.m*mid/2) > mid {
				lo = mid
			} else {
				hi = mid
			}
		}
		shift = o.m * hi / 2
		cubic = o.m / 6 * hi * hi * hi
	}
	var model float64
	for i, v := range o.vals {
		o.ht[i] = -o.gt[i] / (v + shift)
		model += o.gt[i]*o.ht[i] + 0.5*v*o.ht[i]*o.ht[i]
	}
	hv := mat.NewVecDense(o.n, o.h)
	hv.MulVec(&o.vecs, mat.NewVecDense(o.n, o.ht))
	if !o.Regularized {
		model += cubic
	}
	return -model
}

// stepNorm returns ‖(Λ + shift·I)⁻¹ g̃‖, +Inf where the shifted spectrum is
// not positive.
func (o *Newton) stepNorm(shift float64) float64 {
	var s float64
	for i, v := range o.vals {
		d := v + shift
		if d <= 0 {
			return math.Inf(1)
		}
		s += (o.gt[i] / d) * (o.gt[i] / d)
	}
	return math.Sqrt(s)
}

// hessian evaluates the Hessian at x0 into o.hess, symmetrising
// (H + Hᵀ)/2, and leaves the parameters and their gradients as they were.
func (o *Newton) hessian(s *Step) error {
	step := orDefault(o.FDStep, 1e-5)
	for i := 0; i < o.n; i++ {
		col := o.cols.RawRowView(i) // row i of cols holds column i of H
		if o.hv != nil {
			clear(o.e)
			o.e[i] = 1
			if _, err := o.hv.HessVec(col, o.e, s.Batch); err != nil {
				return err
			}
			continue
		}
		h := step * math.Max(1, math.Abs(o.x0[i]))
		xi := o.x0[i]
		o.x0[i] = xi + h
		scatterValues(o.params, o.x0)
		if _, err := s.Evaluate(); err != nil {
			return err
		}
		gatherGrads(o.gp, o.params)
		o.x0[i] = xi - h
		scatterValues(o.params, o.x0)
		if _, err := s.Evaluate(); err != nil {
			return err
		}
		o.x0[i] = xi
		gatherGrads(o.e, o.params)
		for j := range col {
			col[j] = (o.gp[j] - o.e[j]) / (2 * h)
		}
	}
	for i := 0; i < o.n; i++ {
		for j := i; j < o.n; j++ {
			o.hess.SetSym(i, j, 0.5*(o.cols.At(i, j)+o.cols.At(j, i)))
		}
	}
	scatterValues(o.params, o.x0)
	off := 0
	for _, p := range o.params {
		off += copy(p.Grad, o.g[off:])
	}
	return nil
}

func (o *Newton) decompose() error {
	if ok := o.eig.Factorize(o.hess, true); !ok {
		return fmt.Errorf("train: Newton: the Hessian's eigendecomposition did not converge (is the loss finite?)")
	}
	o.vals = o.eig.Values(o.vals)
	o.eig.VectorsTo(&o.vecs)
	return nil
}

// State implements Stateful.
func (o *Newton) State() map[string][]float64 {
	st := make(stateSet)
	st.scalar("count", float64(o.count))
	st.scalar("M", o.m)
	st["hessian"] = o.hess.RawSymmetric().Data
	return st
}

// SetState implements Stateful.
func (o *Newton) SetState(state map[string][]float64) error {
	c, err := stateScalar(state, "count")
	if err != nil {
		return err
	}
	if o.m, err = stateScalar(state, "M"); err != nil {
		return err
	}
	o.count = int(c)
	if err := stateInto(o.hess.RawSymmetric().Data, state, "hessian"); err != nil {
		return err
	}
	if o.count > 0 {
		return o.decompose()
	}
	return nil
}
