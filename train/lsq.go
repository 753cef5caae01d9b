package train

import (
	"fmt"
	"math"

	"github.com/neuralpde/neuralpde/nn"
	"gonum.org/v1/gonum/mat"
)

// lsqWork is the linear algebra shared by Gauss–Newton and
// Levenberg–Marquardt: the residual r and Jacobian J at the current
// point, the gradient g = Jᵀr, and the solution p of the damped normal
// equations (JᵀJ + λD) p = −g, by Cholesky or by matrix-free conjugate
// gradients on v ↦ Jᵀ(Jv) + λDv.
//
// With fewer residuals m than parameters n (usual for PINNs and small
// fits with wide networks) the Cholesky path solves the m×m system of the
// push-through identity instead,
//
//	p = −D^(−1/2) Jsᵀ (Js Jsᵀ + λI)⁻¹ r,  Js = J D^(−1/2),
//
// which equals the n×n solution and costs O(m²n + m³) rather than
// O(mn² + n³).
type lsqWork struct {
	ls     LeastSquares
	params []*nn.Param
	cg     bool
	cgTol  float64
	cgMax  int
	primal bool // always solve the n×n system (tests)

	dual, kValid bool
	js           mat.Dense
	K, KM        *mat.SymDense
	dinv, z      []float64

	r, rTrial, g, p, x0, jp, colSq []float64
	cgR, cgD, cgQ, cgT             []float64
	J                              *mat.Dense
	jt                             mat.Dense
	A, M                           *mat.SymDense
	chol                           mat.Cholesky
}

// leastSquaresOf returns obj as a LeastSquares or an error naming the
// method that needs it.
func leastSquaresOf(method string, obj Objective) (LeastSquares, error) {
	ls, ok := obj.(LeastSquares)
	if !ok {
		return nil, fmt.Errorf("train: %s needs a LeastSquares objective (residuals and their Jacobian), and %T has no NumResiduals/Residuals/Jacobian; use LBFGS or Adam for it", method, obj)
	}
	return ls, nil
}

func (w *lsqWork) init(ls LeastSquares, params []*nn.Param) {
	n := nn.NumParams(params)
	w.ls, w.params = ls, params
	w.g = make([]float64, n)
	w.p = make([]float64, n)
	w.x0 = make([]float64, n)
	w.colSq = make([]float64, n)
	w.J, w.A, w.M = nil, nil, nil
}

// linearize evaluates r and J at the current point and returns ½‖r‖².
func (w *lsqWork) linearize(batch []int) (float64, error) {
	n := len(w.g)
	m := w.ls.NumResiduals(batch)
	var err error
	if w.r, err = w.ls.Residuals(resize(w.r, m), batch); err != nil {
		return 0, err
	}
	if w.J != nil {
		if r, c := w.J.Dims(); r != m || c != n {
			w.J = nil
		}
	}
	if w.J == nil {
		w.J = mat.NewDense(m, n, nil)
	}
	if w.J, err = w.ls.Jacobian(w.J, batch); err != nil {
		return 0, err
	}
	if r, c := w.J.Dims(); r != m || c != n {
		return 0, fmt.Errorf("train: Jacobian is %d×%d, want %d residuals × %d parameters", r, c, m, n)
	}
	gv := mat.NewVecDense(n, w.g)
	gv.MulVec(w.J.T(), mat.NewVecDense(m, w.r))
	for j := range w.colSq {
		w.colSq[j] = 0
	}
	raw := w.J.RawMatrix()
	for i := 0; i < m; i++ {
		row := raw.Data[i*raw.Stride : i*raw.Stride+n]
		for j, v := range row {
			w.colSq[j] += v * v
		}
	}
	w.dual = !w.cg && !w.primal && m < n
	w.kValid = false
	if !w.cg && !w.dual {
		if w.A == nil {
			w.A = mat.NewSymDense(n, nil)
			w.M = mat.NewSymDense(n, nil)
		}
		// Syrk on the explicit transpose runs row dot products, about
		// twice as fast as gonum's transposed Syrk at this size.
		w.jt.CloneFrom(w.J.T())
		w.A.SymOuterK(1, &w.jt)
	}
	w.jp = resize(w.jp, m)
	gatherValues(w.x0, w.params)
	return 0.5 * dot(w.r, w.r), nil
}

// solve writes the solution of (JᵀJ + λ diag(d)) p = −g into w.p. It
// returns false when the damped matrix is not numerically positive
// definite, so the caller can raise λ. d must stay the same between
// calls until the next linearize.
func (w *lsqWork) solve(lambda float64, d []float64) bool {
	if w.cg {
		return w.solveCG(lambda, d)
	}
	if w.dual {
		return w.solveDual(lambda, d)
	}
	n := len(w.g)
	w.M.CopySym(w.A)
	for i := 0; i < n; i++ {
		w.M.SetSym(i, i, w.A.At(i, i)+lambda*d[i])
	}
	if ok := w.chol.Factorize(w.M); !ok {
		return false
	}
	pv := mat.NewVecDense(n, w.p)
	if err := w.chol.SolveVecTo(pv, mat.NewVecDense(n, w.g)); err != nil {
		return false
	}
	for i := range w.p {
		w.p[i] = -w.p[i]
	}
	return finiteSlice(w.p)
}

// solveDual solves by the m×m push-through system.
func (w *lsqWork) solveDual(lambda float64, d []float64) bool {
	m, n := w.J.Dims()
	if !w.kValid {
		w.dinv = resize(w.dinv, n)
		for j, v := range d {
			w.dinv[j] = 1 / math.Sqrt(v)
		}
		w.js.CloneFrom(w.J)
		raw := w.js.RawMatrix()
		for i := 0; i < m; i++ {
			row := raw.Data[i*raw.Stride : i*raw.Stride+n]
			for j := range row {
				row[j] *= w.dinv[j]
			}
		}
		if w.K == nil || w.K.SymmetricDim() != m {
			w.K = mat.NewSymDense(m, nil)
			w.KM = mat.NewSymDense(m, nil)
		}
		w.K.SymOuterK(1, &w.js)
		w.kValid = true
	}
	w.KM.CopySym(w.K)
	for i := 0; i < m; i++ {
		w.KM.SetSym(i, i, w.K.At(i, i)+lambda)
	}
	if ok := w.chol.Factorize(w.KM); !ok {
		return false
	}
	w.z = resize(w.z, m)
	zv := mat.NewVecDense(m, w.z)
	if err := w.chol.SolveVecTo(zv, mat.NewVecDense(m, w.r)); err != nil {
		return false
	}
	pv := mat.NewVecDense(n, w.p)
	pv.MulVec(w.js.T(), zv)
	for j := range w.p {
		w.p[j] *= -w.dinv[j]
	}
	return finiteSlice(w.p)
}

// solveCG runs conjugate gradients (Hestenes & Stiefel 1952) on the
// damped normal equations from p = 0, stopping at relative residual cgTol
// or after cgMax iterations.
func (w *lsqWork) solveCG(lambda float64, d []float64) bool {
	n := len(w.g)
	w.cgR = resize(w.cgR, n)
	w.cgD = resize(w.cgD, n)
	w.cgQ = resize(w.cgQ, n)
	clear(w.p)
	for i, v := range w.g {
		w.cgR[i] = -v
	}
	copy(w.cgD, w.cgR)
	rr := dot(w.cgR, w.cgR)
	stop := w.cgTol * w.cgTol * rr
	for it := 0; it < w.cgMax && rr > stop; it++ {
		w.applyDamped(w.cgQ, w.cgD, lambda, d)
		dq := dot(w.cgD, w.cgQ)
		if !(dq > 0) {
			return it > 0
		}
		a := rr / dq
		axpy(a, w.cgD, w.p)
		axpy(-a, w.cgQ, w.cgR)
		rrNew := dot(w.cgR, w.cgR)
		beta := rrNew / rr
		rr = rrNew
		for i := range w.cgD {
			w.cgD[i] = w.cgR[i] + beta*w.cgD[i]
		}
	}
	return finiteSlice(w.p)
}

// applyDamped writes (JᵀJ + λ diag(d)) v into dst.
func (w *lsqWork) applyDamped(dst, v []float64, lambda float64, d []float64) {
	m, n := w.J.Dims()
	w.cgT = resize(w.cgT, m)
	t := mat.NewVecDense(m, w.cgT)
	t.MulVec(w.J, mat.NewVecDense(n, v))
	out := mat.NewVecDense(n, dst)
	out.MulVec(w.J.T(), t)
	for i := range dst {
		dst[i] += lambda * d[i] * v[i]
	}
}

// predicted returns the decrease of the Gauss–Newton model
// m(p) = ½‖r + Jp‖² from p = 0 to p = alpha·w.p.
func (w *lsqWork) predicted(alpha float64) float64 {
	m, n := w.J.Dims()
	jp := mat.NewVecDense(m, w.jp)
	jp.MulVec(w.J, mat.NewVecDense(n, w.p))
	return -(alpha*dot(w.g, w.p) + 0.5*alpha*alpha*dot(w.jp, w.jp))
}

// trial sets the parameters to x0 + alpha·p and returns ½‖r‖² there,
// evaluating residuals only.
func (w *lsqWork) trial(alpha float64, batch []int) (float64, error) {
	setAxpy(w.params, w.x0, alpha, w.p)
	var err error
	if w.rTrial, err = w.ls.Residuals(resize(w.rTrial, len(w.r)), batch); err != nil {
		return 0, err
	}
	f := 0.5 * dot(w.rTrial, w.rTrial)
	if math.IsNaN(f) {
		f = math.Inf(1)
	}
	return f, nil
}

// restore puts the parameters back to the linearisation point.
func (w *lsqWork) restore() { scatterValues(w.params, w.x0) }

func finiteSlice(a []float64) bool {
	for _, v := range a {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}
