package train

import (
	"fmt"
	"math"

	"github.com/neuralpde/neuralpde/nn"
	"gonum.org/v1/gonum/mat"
)

// NaturalGradient is Gauss–Newton preconditioning of the gradient of a
// least-squares loss ½‖r(θ)‖²: it replaces the gradient g by the solution
// p of
//
//	(JᵀJ + λI) p = g,
//
// with J the residual Jacobian, found matrix-free by conjugate gradients
// (Hestenes & Stiefel 1952) from products with J and Jᵀ (the rows of the
// dense Jacobian). JᵀJ is the Gauss–Newton matrix, the neural tangent
// kernel on the parameters, and for a linear PDE residual the Gram matrix
// of Müller & Zeinhofer (2023), "Achieving high accuracy with PINNs via
// energy natural gradient descent", ICML, whose energy natural gradient
// this is; De Ryck, Bonnet, Mishra & de Bézenac (2023) show that this
// operator's conditioning governs gradient descent on physics-informed
// losses, and that preconditioning it is what fixes training. With plain
// gradient descent at learning rate 1 the step is Levenberg–Marquardt's;
// any optimizer can take p instead of g.
//
// λ = μ·mean(diag JᵀJ) with a relative damping μ that adapts like
// Levenberg–Marquardt's (Nielsen (1999), "Damping parameter in Marquardt's
// method"): at each call the step the optimizer took since the last one,
// Δθ, gives the trust ratio ρ = (f(θ) − f(θ+Δθ)) / (f(θ) − ½‖r + JΔθ‖²)
// of actual to Gauss–Newton-model decrease, and μ ← μ·max(1/3,
// 1 − (2ρ − 1)³), ν ← 2 when ρ > 0; μ ← μ·ν, ν ← 2ν when the loss rose or
// a foreseen decrease did not come; μ stays when the model foresaw no
// decrease and the loss did not rise (an optimizer's step need not follow
// p). The preconditioner cannot reject the step; a poor model only raises
// λ, which moves p towards g/λ. The ratio is skipped when the batch
// changed.
//
// The Jacobian is recomputed every Refresh calls and whenever the batch
// changes; in between, the stale J serves both the solve and the trust
// ratio. Weight decay added by Run's Config is not part of JᵀJ.
type NaturalGradient struct {
	// Objective is the least-squares objective being trained, the one
	// given to Run. It is required.
	Objective LeastSquares
	// Damping is the initial relative damping μ; zero means 1e-3.
	Damping float64
	// FixedDamping keeps μ at Damping; false adapts it by the trust ratio.
	FixedDamping bool
	// MinDamping and MaxDamping bound μ; zero means 1e-10 and 1e8.
	MinDamping, MaxDamping float64
	// CGTol is the relative residual at which CG stops; zero means 1e-8.
	CGTol float64
	// CGMaxIter caps the CG iterations per call; zero means 200 (or the
	// parameter count, if smaller). CG from zero that stops early leaves
	// the directions of the smallest eigenvalues of JᵀJ + λI partly
	// unsolved, which acts as extra damping (Martens (2010), "Deep
	// learning via Hessian-free optimization", ICML); a problem whose
	// gradient is dominated by a few large eigenvalues needs a CGTol far
	// below the default to resolve the rest.
	CGMaxIter int
	// Refresh is the number of calls between Jacobian evaluations; zero
	// means 1 (every call).
	Refresh int

	jac       jacobianState
	mu, nu    float64
	lambda    float64
	cgIters   int
	g, p      []float64
	theta     []float64
	r, rPrev  []float64
	thetaPrev []float64
	fPrev     float64
	havePrev  bool
	prevBatch []int
	jd, t     []float64
	cg        cgWork

	chol       mat.Cholesky // of JᵀJ + λI, for ApplyInverse
	cholJ      int          // the Jacobian version it was made from
	cholN      int
	cholLambda float64
}

var _ LinearPreconditioner = (*NaturalGradient)(nil)

// Lambda returns the absolute damping λ of the last call.
func (o *NaturalGradient) Lambda() float64 { return o.lambda }

// CGIterations returns the number of CG iterations of the last call.
func (o *NaturalGradient) CGIterations() int { return o.cgIters }

// Precondition implements Preconditioner.
func (o *NaturalGradient) Precondition(params []*nn.Param, batch []int) error {
	if o.Objective == nil {
		return fmt.Errorf("train: NaturalGradient needs its Objective, the LeastSquares objective that Run trains")
	}
	if o.mu == 0 {
		o.mu, o.nu = orDefault(o.Damping, 1e-3), 2
		if o.mu < 0 || math.IsNaN(o.mu) {
			return fmt.Errorf("train: NaturalGradient Damping is %v; use a positive relative damping", o.Damping)
		}
	}
	o.jac.ls = o.Objective
	stale, err := o.jac.prepare(params, batch, orDefaultInt(o.Refresh, 1))
	if err != nil {
		return err
	}
	o.theta = gatherValues(o.theta, params)
	var f float64
	if !o.FixedDamping {
		if o.r, err = o.Objective.Residuals(resize(o.r, o.Objective.NumResiduals(batch)), batch); err != nil {
			return err
		}
		f = 0.5 * dot(o.r, o.r)
		if o.havePrev && o.jac.valid && sameBatch(o.prevBatch, batch) && len(o.rPrev) == len(o.r) {
			o.adapt(f)
		}
	}
	if stale {
		if err := o.jac.refresh(batch); err != nil {
			return err
		}
	}
	o.jac.calls++
	o.g = gatherGrads(o.g, params)
	o.lambda = o.mu * meanOf(o.jac.colSq)
	if o.lambda == 0 {
		o.lambda = o.mu
	}
	o.p = resize(o.p, len(o.g))
	o.cgIters = o.solve(o.p, o.g)
	if !finiteSlice(o.p) {
		return fmt.Errorf("train: NaturalGradient solve gave NaN or Inf (λ = %g); raise Damping", o.lambda)
	}
	off := 0
	for _, p := range params {
		off += copy(p.Grad, o.p[off:])
	}
	if !o.FixedDamping {
		// Remember the point and its residual for the next trust ratio.
		o.rPrev = append(o.rPrev[:0], o.r...)
		o.fPrev = f
		o.thetaPrev = append(o.thetaPrev[:0], o.theta...)
		o.prevBatch = append(o.prevBatch[:0], batch...)
		if batch == nil {
			o.prevBatch = nil
		}
		o.havePrev = true
	}
	return nil
}

// adapt updates μ from the trust ratio of the step from thetaPrev to the
// current point, where the loss is f, with the Jacobian at thetaPrev.
func (o *NaturalGradient) adapt(f float64) {
	m, n := o.jac.J.Dims()
	o.t = resize(o.t, n)
	for i := range o.t {
		o.t[i] = o.theta[i] - o.thetaPrev[i]
	}
	o.jd = resize(o.jd, m)
	jd := mat.NewVecDense(m, o.jd)
	jd.MulVec(o.jac.J, mat.NewVecDense(n, o.t))
	var model float64
	for i, v := range o.rPrev {
		e := v + o.jd[i]
		model += e * e
	}
	pred := o.fPrev - 0.5*model
	actual := o.fPrev - f
	if !(pred > 0) && !(actual < 0) && !math.IsNaN(f) {
		// The model foresaw no decrease and the loss did not rise: no
		// evidence either way.
		return
	}
	if pred > 0 && actual/pred > 0 {
		rho := actual / pred
		o.mu *= math.Max(1.0/3, 1-math.Pow(2*rho-1, 3))
		o.nu = 2
	} else {
		o.mu *= o.nu
		o.nu *= 2
	}
	o.mu = math.Min(math.Max(o.mu, orDefault(o.MinDamping, 1e-10)), orDefault(o.MaxDamping, 1e8))
}

// solve writes (JᵀJ + λI)⁻¹b into dst by CG from zero and returns the
// number of iterations.
func (o *NaturalGradient) solve(dst, b []float64) int {
	maxIter := orDefaultInt(o.CGMaxIter, min(200, len(b)))
	return o.cg.solve(dst, b, o.applyDamped, orDefault(o.CGTol, 1e-8), maxIter)
}

// applyDamped writes (JᵀJ + λI)v into dst.
func (o *NaturalGradient) applyDamped(dst, v []float64) {
	m, n := o.jac.J.Dims()
	o.jd = resize(o.jd, m)
	t := mat.NewVecDense(m, o.jd)
	t.MulVec(o.jac.J, mat.NewVecDense(n, v))
	out := mat.NewVecDense(n, dst)
	out.MulVec(o.jac.J.T(), t)
	for i := range dst {
		dst[i] += o.lambda * v[i]
	}
}

// ApplyInverse implements LinearPreconditioner: it applies
// (JᵀJ + λI)⁻¹ with the current J and λ (computing J at the current point
// on the first call) without adapting the damping. Unlike Precondition's
// truncated CG it solves to working accuracy, by a Cholesky factorisation
// of the n×n matrix kept until J or λ changes, so that the map is the
// fixed linear one a spectrum estimate needs.
func (o *NaturalGradient) ApplyInverse(dst, v []float64, params []*nn.Param, batch []int) ([]float64, error) {
	if o.Objective == nil {
		return nil, fmt.Errorf("train: NaturalGradient needs its Objective, the LeastSquares objective that Run trains")
	}
	o.jac.ls = o.Objective
	stale, err := o.jac.prepare(params, batch, 0)
	if err != nil {
		return nil, err
	}
	if stale {
		if err := o.jac.refresh(batch); err != nil {
			return nil, err
		}
	}
	if o.lambda == 0 {
		o.lambda = orDefault(o.Damping, 1e-3) * meanOf(o.jac.colSq)
	}
	_, n := o.jac.J.Dims()
	if len(v) != n {
		panic(fmt.Sprintf("train: NaturalGradient.ApplyInverse vector has length %d, want %d", len(v), n))
	}
	if o.cholJ != o.jac.version || o.cholLambda != o.lambda || o.cholN != n {
		a := mat.NewSymDense(n, nil)
		a.SymOuterK(1, o.jac.J.T())
		for i := 0; i < n; i++ {
			a.SetSym(i, i, a.At(i, i)+o.lambda)
		}
		if !o.chol.Factorize(a) {
			return nil, fmt.Errorf("train: NaturalGradient: JᵀJ + λI with λ = %g is not numerically positive definite; raise MinDamping", o.lambda)
		}
		o.cholJ, o.cholLambda, o.cholN = o.jac.version, o.lambda, n
	}
	dst = resize(dst, n)
	if err := o.chol.SolveVecTo(mat.NewVecDense(n, dst), mat.NewVecDense(n, v)); err != nil {
		return nil, fmt.Errorf("train: NaturalGradient: %v; raise MinDamping", err)
	}
	return dst, nil
}

// cgWork is the workspace of conjugate gradients on an SPD operator.
type cgWork struct {
	r, d, q []float64
}

// solve runs CG for A x = b from x = 0 until ‖b − Ax‖ ≤ tol‖b‖ or maxIter
// iterations, writes x into dst and returns the iterations taken.
func (w *cgWork) solve(dst, b []float64, apply func(dst, v []float64), tol float64, maxIter int) int {
	n := len(b)
	w.r, w.d, w.q = resize(w.r, n), resize(w.d, n), resize(w.q, n)
	clear(dst)
	copy(w.r, b)
	copy(w.d, b)
	rr := dot(w.r, w.r)
	stop := tol * tol * rr
	it := 0
	for ; it < maxIter && rr > stop; it++ {
		apply(w.q, w.d)
		dq := dot(w.d, w.q)
		if !(dq > 0) {
			break
		}
		a := rr / dq
		axpy(a, w.d, dst)
		axpy(-a, w.q, w.r)
		rrNew := dot(w.r, w.r)
		beta := rrNew / rr
		rr = rrNew
		for i := range w.d {
			w.d[i] = w.r[i] + beta*w.d[i]
		}
	}
	return it
}
