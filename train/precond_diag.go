package train

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/neuralpde/neuralpde/nn"
)

// Jacobi is the diagonal of Gauss–Newton preconditioning: it divides each
// gradient entry by the matching diagonal entry of JᵀJ (the squared norm
// of the Jacobian's column) plus a damping,
//
//	gⱼ ← gⱼ / (‖J₍:,ⱼ₎‖² + μ·mean(diag JᵀJ)),
//
// the cheap option beside NaturalGradient: no solve, one Jacobian every
// Refresh calls. The Jacobian is recomputed whenever the batch changes.
type Jacobi struct {
	// Objective is the least-squares objective being trained, the one
	// given to Run. It is required.
	Objective LeastSquares
	// Damping is the relative damping μ; zero means 1e-6.
	Damping float64
	// Refresh is the number of calls between Jacobian evaluations; zero
	// means 1 (every call).
	Refresh int

	jac  jacobianState
	diag []float64
}

var _ LinearPreconditioner = (*Jacobi)(nil)

// Precondition implements Preconditioner.
func (o *Jacobi) Precondition(params []*nn.Param, batch []int) error {
	if err := o.update(params, batch, orDefaultInt(o.Refresh, 1)); err != nil {
		return err
	}
	o.jac.calls++
	divideGrads(params, o.diag)
	return nil
}

// ApplyInverse implements LinearPreconditioner with the current diagonal
// (computed at the current point on the first call).
func (o *Jacobi) ApplyInverse(dst, v []float64, params []*nn.Param, batch []int) ([]float64, error) {
	if err := o.update(params, batch, 0); err != nil {
		return nil, err
	}
	return divideBy(dst, v, o.diag, "Jacobi"), nil
}

func (o *Jacobi) update(params []*nn.Param, batch []int, every int) error {
	if o.Objective == nil {
		return fmt.Errorf("train: Jacobi needs its Objective, the LeastSquares objective that Run trains")
	}
	mu := orDefault(o.Damping, 1e-6)
	if !(mu > 0) {
		return fmt.Errorf("train: Jacobi Damping is %v; use a positive relative damping", o.Damping)
	}
	o.jac.ls = o.Objective
	stale, err := o.jac.prepare(params, batch, every)
	if err != nil || !stale {
		return err
	}
	if err := o.jac.refresh(batch); err != nil {
		return err
	}
	o.diag = positiveDiagonal(o.diag, o.jac.colSq, mu)
	return nil
}

// positiveDiagonal writes |d| + μ·mean|d| into dst (nil allocates), or
// d + μ where d vanishes everywhere.
func positiveDiagonal(dst, d []float64, mu float64) []float64 {
	dst = resize(dst, len(d))
	var mean float64
	for _, v := range d {
		mean += math.Abs(v)
	}
	mean /= float64(len(d))
	shift := mu * mean
	if shift == 0 {
		shift = mu
	}
	for i, v := range d {
		dst[i] = math.Abs(v) + shift
	}
	return dst
}

// Hutchinson divides each gradient entry by an estimate of the matching
// diagonal entry of the loss's Hessian H, in absolute value and damped:
//
//	gⱼ ← gⱼ / (|dⱼ| + μ·mean|d|),  d = (1/N) Σₛ zₛ ⊙ (H zₛ),
//
// with N Rademacher probes zₛ (Hutchinson (1990), "A stochastic estimator
// of the trace of the influence matrix for Laplacian smoothing splines";
// Bekas, Kokiopoulou & Saad (2007), "An estimator for the diagonal of a
// matrix"), as in AdaHessian (Yao et al. (2021), AAAI). The Hessian-vector
// products come from the objective's HessVec when it implements
// HessianVector, and otherwise from central differences of gradients,
//
//	H z ≈ (∇L(θ + εz) − ∇L(θ − εz)) / (2ε),
//
// two gradient evaluations per probe, exact for a quadratic loss up to
// rounding. The estimate is refreshed every Refresh calls and whenever the
// batch changes; between refreshes the last estimate is used.
type Hutchinson struct {
	// Objective is the objective being trained, the one given to Run. It
	// is required.
	Objective Objective
	// Probes is the number of probe vectors per estimate; zero means 8.
	Probes int
	// Refresh is the number of calls between estimates; zero means 10.
	Refresh int
	// Damping is the relative damping μ; zero means 1e-4.
	Damping float64
	// Epsilon is the finite-difference step relative to max(1, ‖θ‖∞);
	// zero means 1e-4. Unused with HessVec.
	Epsilon float64
	// Seed seeds the probes (a PCG generator).
	Seed uint64

	rng       *rand.Rand
	ix        paramIndex
	batch     []int
	calls     int
	valid     bool
	diag, est []float64
	z, hz     []float64
	zAll, hv  []float64
	g, x0, gp []float64
}

var _ LinearPreconditioner = (*Hutchinson)(nil)

// Precondition implements Preconditioner.
func (o *Hutchinson) Precondition(params []*nn.Param, batch []int) error {
	if err := o.update(params, batch, orDefaultInt(o.Refresh, 10)); err != nil {
		return err
	}
	o.calls++
	divideGrads(params, o.diag)
	return nil
}

// ApplyInverse implements LinearPreconditioner with the current estimate
// (made at the current point on the first call).
func (o *Hutchinson) ApplyInverse(dst, v []float64, params []*nn.Param, batch []int) ([]float64, error) {
	if err := o.update(params, batch, 0); err != nil {
		return nil, err
	}
	return divideBy(dst, v, o.diag, "Hutchinson"), nil
}

func (o *Hutchinson) update(params []*nn.Param, batch []int, every int) error {
	if o.Objective == nil {
		return fmt.Errorf("train: Hutchinson needs its Objective, the objective that Run trains")
	}
	mu := orDefault(o.Damping, 1e-4)
	if !(mu > 0) || o.Probes < 0 || o.Epsilon < 0 {
		return fmt.Errorf("train: Hutchinson Damping %v, Probes %d or Epsilon %v is invalid; use a positive damping and non-negative Probes and Epsilon", o.Damping, o.Probes, o.Epsilon)
	}
	if !o.ix.same(params) {
		ix, err := indexParams(params, o.Objective.Params())
		if err != nil {
			return err
		}
		o.ix, o.valid = ix, false
	}
	if o.valid && sameBatch(o.batch, batch) && (every == 0 || o.calls%every != 0) {
		return nil
	}
	if o.rng == nil {
		o.rng = rand.New(rand.NewPCG(o.Seed, 0x94d049bb133111eb))
	}
	if err := o.estimate(params, batch); err != nil {
		return err
	}
	o.diag = positiveDiagonal(o.diag, o.est, mu)
	o.batch = append(o.batch[:0], batch...)
	if batch == nil {
		o.batch = nil
	}
	o.valid = true
	return nil
}

// estimate writes the probe average of z ⊙ Hz into o.est, leaving the
// values and gradients of params as it found them.
func (o *Hutchinson) estimate(params []*nn.Param, batch []int) error {
	n := nn.NumParams(params)
	o.est = zeros(o.est, n)
	o.z = resize(o.z, n)
	o.hz = resize(o.hz, n)
	probes := orDefaultInt(o.Probes, 8)
	hv, isHV := o.Objective.(HessianVector)
	if !isHV {
		o.g = gatherGrads(o.g, params)
		o.x0 = gatherValues(o.x0, params)
		defer func() {
			scatterValues(params, o.x0)
			off := 0
			for _, p := range params {
				off += copy(p.Grad, o.g[off:])
			}
		}()
	}
	for s := 0; s < probes; s++ {
		for i := range o.z {
			o.z[i] = 1
			if o.rng.Uint64()&1 == 0 {
				o.z[i] = -1
			}
		}
		var err error
		if isHV {
			err = o.hessVec(hv, batch)
		} else {
			err = o.diffGrads(params, batch)
		}
		if err != nil {
			return err
		}
		for i, z := range o.z {
			o.est[i] += z * o.hz[i] / float64(probes)
		}
	}
	return nil
}

// hessVec writes H z into o.hz through the objective's HessVec, whose
// vectors run over all its Params.
func (o *Hutchinson) hessVec(hv HessianVector, batch []int) error {
	o.zAll = zeros(o.zAll, o.ix.nAll)
	col := 0
	for i, p := range o.ix.params {
		copy(o.zAll[o.ix.cols[i]:], o.z[col:col+p.Len()])
		col += p.Len()
	}
	var err error
	if o.hv, err = hv.HessVec(resize(o.hv, o.ix.nAll), o.zAll, batch); err != nil {
		return err
	}
	col = 0
	for i, p := range o.ix.params {
		copy(o.hz[col:col+p.Len()], o.hv[o.ix.cols[i]:])
		col += p.Len()
	}
	return nil
}

// diffGrads writes the central difference of gradients along z into o.hz.
func (o *Hutchinson) diffGrads(params []*nn.Param, batch []int) error {
	var big float64
	for _, v := range o.x0 {
		big = math.Max(big, math.Abs(v))
	}
	eps := orDefault(o.Epsilon, 1e-4) * math.Max(1, big)
	setAxpy(params, o.x0, eps, o.z)
	if _, err := o.Objective.Loss(batch); err != nil {
		return err
	}
	o.gp = gatherGrads(o.gp, params)
	setAxpy(params, o.x0, -eps, o.z)
	if _, err := o.Objective.Loss(batch); err != nil {
		return err
	}
	off := 0
	for _, p := range params {
		for j, g := range p.Grad {
			o.hz[off+j] = (o.gp[off+j] - g) / (2 * eps)
		}
		off += p.Len()
	}
	return nil
}

// divideGrads divides the gradients of params, in order, by diag.
func divideGrads(params []*nn.Param, diag []float64) {
	off := 0
	for _, p := range params {
		for j := range p.Grad {
			p.Grad[j] /= diag[off+j]
		}
		off += p.Len()
	}
}

// divideBy writes v / diag elementwise into dst (nil allocates) for the
// ApplyInverse of the diagonal preconditioner called name.
func divideBy(dst, v, diag []float64, name string) []float64 {
	if len(v) != len(diag) {
		panic(fmt.Sprintf("train: %s.ApplyInverse vector has length %d, want %d", name, len(v), len(diag)))
	}
	dst = resize(dst, len(v))
	for i, x := range v {
		dst[i] = x / diag[i]
	}
	return dst
}
