package train

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/neuralpde/neuralpde/nn"
	"gonum.org/v1/gonum/mat"
)

func randDense(r, c int, rng *rand.Rand) *mat.Dense {
	m := mat.NewDense(r, c, nil)
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			m.Set(i, j, rng.NormFloat64())
		}
	}
	return m
}

// polarFactor returns UVᵀ for m = UΣVᵀ.
func polarFactor(m *mat.Dense) *mat.Dense {
	var svd mat.SVD
	svd.Factorize(m, mat.SVDThin)
	var u, v, p mat.Dense
	svd.UTo(&u)
	svd.VTo(&v)
	p.Mul(&u, v.T())
	return &p
}

// TestNewtonSchulzPolar checks Muon's orthogonalisation against the polar
// factor from an SVD: Polar Express converges to it, Jordan's fixed
// coefficients stop at singular values in about [0.7, 1.2] by design.
func TestNewtonSchulzPolar(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct {
		name         string
		rows, cols   int
		polarExpress bool
		steps        int
		maxErr       float64 // relative Frobenius error to the polar factor
		svLo, svHi   float64 // range of the output's singular values
	}{
		{"jordan-wide", 6, 10, false, 5, 0.5, 0.6, 1.25},
		{"jordan-tall", 10, 6, false, 5, 0.5, 0.6, 1.25},
		{"polar-express-wide", 6, 10, true, 12, 1e-10, 1 - 1e-10, 1 + 1e-10},
		{"polar-express-tall", 10, 6, true, 12, 1e-10, 1 - 1e-10, 1 + 1e-10},
	} {
		g := randDense(tc.rows, tc.cols, rng)
		o := &Muon{PolarExpress: tc.polarExpress, Steps: tc.steps}
		p := nn.NewParam("w", tc.rows, tc.cols)
		if err := o.Init([]*nn.Param{p}, nil); err != nil {
			t.Fatal(err)
		}
		m := &o.mats[0]
		copy(m.u, g.RawMatrix().Data)
		o.orthogonalize(m)
		got := mat.NewDense(tc.rows, tc.cols, m.u)
		want := polarFactor(g)
		var diff mat.Dense
		diff.Sub(got, want)
		if e := mat.Norm(&diff, 2) / mat.Norm(want, 2); e > tc.maxErr {
			t.Errorf("%s: relative error to the polar factor %.3e, want ≤ %.0e", tc.name, e, tc.maxErr)
		}
		var svd mat.SVD
		svd.Factorize(got, mat.SVDNone)
		for _, s := range svd.Values(nil) {
			if s < tc.svLo || s > tc.svHi {
				t.Errorf("%s: singular value %v outside [%v, %v]", tc.name, s, tc.svLo, tc.svHi)
			}
		}
	}
}

// TestShampooInverseRoot checks R = (S + εI)^(−1/4) by R⁴(S + εI) = I.
func TestShampooInverseRoot(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{1, 3, 8} {
		a := randDense(n, n+2, rng)
		s := mat.NewSymDense(n, nil)
		s.SymOuterK(1, a)
		var m shampooMat
		r := mat.NewSymDense(n, nil)
		const eps = 1e-3
		if err := m.inverseRoot(r, s, eps); err != nil {
			t.Fatal(err)
		}
		var eig mat.EigenSym
		eig.Factorize(s, false)
		lmax := 0.0
		for _, v := range eig.Values(nil) {
			lmax = math.Max(lmax, v)
		}
		var r2, r4, prod mat.Dense
		r2.Mul(r, r)
		r4.Mul(&r2, &r2)
		reg := mat.NewSymDense(n, nil)
		reg.CopySym(s)
		for i := 0; i < n; i++ {
			reg.SetSym(i, i, s.At(i, i)+eps*lmax)
		}
		prod.Mul(&r4, reg)
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				want := 0.0
				if i == j {
					want = 1
				}
				if math.Abs(prod.At(i, j)-want) > 1e-9 {
					t.Errorf("n=%d: (R⁴S)[%d][%d] = %v, want %v", n, i, j, prod.At(i, j), want)
				}
			}
		}
	}
}

// TestWolfeLineSearch checks that the accepted step satisfies the strong
// Wolfe conditions on one-dimensional functions with different scales of
// the first trial step.
func TestWolfeLineSearch(t *testing.T) {
	for _, tc := range []struct {
		name   string
		phi    func(a float64) (float64, float64)
		alpha1 float64
	}{
		{"quadratic-short", func(a float64) (float64, float64) { return (a - 3) * (a - 3), 2 * (a - 3) }, 0.01},
		{"quadratic-long", func(a float64) (float64, float64) { return (a - 3) * (a - 3), 2 * (a - 3) }, 100},
		{"quartic", func(a float64) (float64, float64) { return math.Pow(a-1, 4) - a, 4*math.Pow(a-1, 3) - 1 }, 1},
		{"rosenbrock-ray", func(a float64) (float64, float64) {
			x, y := -1.2+a*215.6, 1+a*88.0
			f := (1-x)*(1-x) + 100*(y-x*x)*(y-x*x)
			gx := -2*(1-x) - 400*x*(y-x*x)
			gy := 200 * (y - x*x)
			return f, gx*215.6 + gy*88.0 // along −∇f at (−1.2, 1)
		}, 1},
		{"overflow", func(a float64) (float64, float64) {
			if a > 10 {
				return math.Inf(1), math.NaN()
			}
			return -math.Log1p(a) + 0.05*a*a, -1/(1+a) + 0.1*a
		}, 1e6},
	} {
		const c1, c2 = 1e-4, 0.9
		ls := wolfeSearch{c1: c1, c2: c2, maxEvals: 50, phi: func(a float64) (float64, float64, error) {
			f, d := tc.phi(a)
			return f, d, nil
		}}
		f0, d0 := tc.phi(0)
		a, f, ok, err := ls.search(f0, d0, tc.alpha1)
		if err != nil || !ok {
			t.Errorf("%s: no step found (err %v)", tc.name, err)
			continue
		}
		_, d, _ := ls.phi(a)
		if f > f0+c1*a*d0 {
			t.Errorf("%s: α = %v: f = %v breaks sufficient decrease from %v", tc.name, a, f, f0)
		}
		if math.Abs(d) > -c2*d0 {
			t.Errorf("%s: α = %v: |φ'| = %v breaks the curvature condition (%v)", tc.name, a, math.Abs(d), -c2*d0)
		}
	}
}

// TestDampedSolversAgree checks that the n×n Cholesky solve, the m×m
// push-through solve and conjugate gradients give the same step on the
// MLP problem (32 residuals, 49 parameters), with D = I and a scaled D.
func TestDampedSolversAgree(t *testing.T) {
	obj := regressionMLP(t, 4)
	ps := obj.Params()
	n := nn.NumParams(ps)
	works := map[string]*lsqWork{"primal": {primal: true}, "dual": {}, "cg": {cg: true, cgTol: 1e-14, cgMax: 20 * n}}
	for _, w := range works {
		w.init(obj, ps)
		if _, err := w.linearize(nil); err != nil {
			t.Fatal(err)
		}
	}
	if !works["dual"].dual || works["primal"].dual {
		t.Fatal("the dual path is not taken where expected")
	}
	for _, scaled := range []bool{false, true} {
		d := make([]float64, n)
		for i := range d {
			d[i] = 1
			if scaled {
				d[i] = works["primal"].colSq[i] + 1e-3
			}
		}
		const lambda = 1e-2
		for name, w := range works {
			w.kValid = false
			if !w.solve(lambda, d) {
				t.Fatalf("%s: solve failed", name)
			}
		}
		ref := works["primal"]
		res := make([]float64, n)
		ref.applyDamped(res, ref.p, lambda, d)
		axpy(1, ref.g, res)
		if r := norm(res) / norm(ref.g); r > 1e-10 {
			t.Errorf("scaled=%v: primal solution has relative residual %.3e", scaled, r)
		}
		for _, name := range []string{"dual", "cg"} {
			diff := make([]float64, n)
			copy(diff, works[name].p)
			axpy(-1, ref.p, diff)
			if e := norm(diff) / norm(ref.p); e > 1e-6 {
				t.Errorf("scaled=%v: %s and primal steps differ by %.3e (relative)", scaled, name, e)
			}
		}
	}
}

// quadHV is the quadratic problem with an exact Hessian-vector product.
type quadHV struct{ *lsqFunc }

func (q quadHV) HessVec(dst, v []float64, batch []int) ([]float64, error) {
	J, _ := q.Jacobian(nil, batch)
	m, n := J.Dims()
	jv := mat.NewVecDense(m, nil)
	jv.MulVec(J, mat.NewVecDense(n, v))
	dst = resize(dst, n)
	mat.NewVecDense(n, dst).MulVec(J.T(), jv)
	return dst, nil
}

// TestNewtonHessian checks the lazy Hessian, by differences of gradients
// and by Hessian-vector products, against JᵀJ of a quadratic.
func TestNewtonHessian(t *testing.T) {
	for _, tc := range []struct {
		name string
		obj  Objective
		tol  float64
	}{
		{"differences", quadratic(100, 3), 1e-6},
		{"hessvec", quadHV{quadratic(100, 3)}, 1e-12},
	} {
		o := &Newton{Refresh: 100}
		if _, err := Run(context.Background(), tc.obj, &Config{Optimizer: o, Steps: 1}); err != nil {
			t.Fatal(err)
		}
		var f *lsqFunc
		switch q := tc.obj.(type) {
		case *lsqFunc:
			f = q
		case quadHV:
			f = q.lsqFunc
		}
		J, _ := f.Jacobian(nil, nil)
		var want mat.Dense
		want.Mul(J.T(), J)
		n, _ := want.Dims()
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				if d := math.Abs(o.hess.At(i, j) - want.At(i, j)); d > tc.tol*math.Max(1, math.Abs(want.At(i, j))) {
					t.Fatalf("%s: H[%d][%d] = %v, JᵀJ = %v", tc.name, i, j, o.hess.At(i, j), want.At(i, j))
				}
			}
		}
	}
}
