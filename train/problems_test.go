package train

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/neuralpde/neuralpde/nn"
	"gonum.org/v1/gonum/mat"
)

// lsqFunc is a LeastSquares test problem given by its residual and
// Jacobian as functions of the concatenated parameter vector.
type lsqFunc struct {
	params []*nn.Param
	m      int
	res    func(dst, x []float64)
	jac    func(dst *mat.Dense, x []float64)
	x      []float64
}

func (f *lsqFunc) Params() []*nn.Param          { return f.params }
func (f *lsqFunc) NumSamples() int              { return f.m }
func (f *lsqFunc) NumResiduals(batch []int) int { return f.m }

func (f *lsqFunc) Residuals(dst []float64, _ []int) ([]float64, error) {
	dst = resize(dst, f.m)
	f.x = gatherValues(f.x, f.params)
	f.res(dst, f.x)
	return dst, nil
}

func (f *lsqFunc) Jacobian(dst *mat.Dense, _ []int) (*mat.Dense, error) {
	if dst == nil {
		dst = mat.NewDense(f.m, len(f.x), nil)
	}
	f.x = gatherValues(f.x, f.params)
	f.jac(dst, f.x)
	return dst, nil
}

// Loss is ½‖r‖² with gradient Jᵀr.
func (f *lsqFunc) Loss(batch []int) (float64, error) {
	r, _ := f.Residuals(nil, batch)
	J, _ := f.Jacobian(nil, batch)
	n := len(f.x)
	g := make([]float64, n)
	mat.NewVecDense(n, g).MulVec(J.T(), mat.NewVecDense(f.m, r))
	off := 0
	for _, p := range f.params {
		off += copy(p.Grad, g[off:])
	}
	return 0.5 * dot(r, r), nil
}

// quadratic returns ½‖D Q (θ − θ*)‖² for a 4×5 matrix parameter θ, with D
// logarithmically spaced so that the Hessian QᵀD²Q has condition number
// cond, Q a random orthogonal matrix, θ* random and θ = 0 at the start.
func quadratic(cond float64, seed uint64) *lsqFunc {
	const n = 20
	rng := rand.New(rand.NewPCG(seed, 1))
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
	dq := mat.NewDense(n, n, nil)
	for i := 0; i < n; i++ {
		d := math.Pow(cond, 0.5*float64(i)/float64(n-1))
		for j := 0; j < n; j++ {
			dq.Set(i, j, d*q.At(i, j))
		}
	}
	star := make([]float64, n)
	for i := range star {
		star[i] = rng.NormFloat64()
	}
	p := nn.NewParam("theta", 4, 5)
	diff := make([]float64, n)
	return &lsqFunc{
		params: []*nn.Param{p}, m: n,
		res: func(dst, x []float64) {
			for i := range diff {
				diff[i] = x[i] - star[i]
			}
			mat.NewVecDense(n, dst).MulVec(dq, mat.NewVecDense(n, diff))
		},
		jac: func(dst *mat.Dense, _ []float64) { dst.Copy(dq) },
	}
}

// rosenbrock is Rosenbrock's function (1 − x)² + 100(y − x²)² as
// ½‖r‖² with r = √2·(10(y − x²), 1 − x), from (−1.2, 1).
func rosenbrock() *lsqFunc {
	p := nn.NewParam("xy", 2)
	copy(p.Value, []float64{-1.2, 1})
	s := math.Sqrt2
	return &lsqFunc{
		params: []*nn.Param{p}, m: 2,
		res: func(dst, x []float64) {
			dst[0] = s * 10 * (x[1] - x[0]*x[0])
			dst[1] = s * (1 - x[0])
		},
		jac: func(dst *mat.Dense, x []float64) {
			dst.Set(0, 0, -s*20*x[0])
			dst.Set(0, 1, s*10)
			dst.Set(1, 0, -s)
			dst.Set(1, 1, 0)
		},
	}
}

// expFit fits y = a·exp(−b t) + c to 30 exact samples of a = 2, b = 1.5,
// c = 0.5 on [0, 3], from (a, b, c) = (1, 1, 0): a small nonlinear
// least-squares problem with zero residual at the solution.
func expFit() *lsqFunc {
	const m = 30
	t := make([]float64, m)
	y := make([]float64, m)
	for i := range t {
		t[i] = 3 * float64(i) / (m - 1)
		y[i] = 2*math.Exp(-1.5*t[i]) + 0.5
	}
	p := nn.NewParam("coef", 3)
	copy(p.Value, []float64{1, 1, 0})
	return &lsqFunc{
		params: []*nn.Param{p}, m: m,
		res: func(dst, x []float64) {
			for i := range dst {
				dst[i] = x[0]*math.Exp(-x[1]*t[i]) + x[2] - y[i]
			}
		},
		jac: func(dst *mat.Dense, x []float64) {
			for i := 0; i < m; i++ {
				e := math.Exp(-x[1] * t[i])
				dst.Set(i, 0, e)
				dst.Set(i, 1, -x[0]*t[i]*e)
				dst.Set(i, 2, 1)
			}
		},
	}
}

// regressionMLP is nn's regression objective for an MLP 1→16→1 (tanh)
// fitting sin(πx) at 32 points of [−1, 1].
func regressionMLP(t testing.TB, seed uint64) *nn.ResidualObjective {
	t.Helper()
	cfg := nn.DefaultMLPConfig()
	cfg.Inputs, cfg.Hidden = 1, []int{16}
	m, err := nn.NewMLP(cfg, rand.New(rand.NewPCG(seed, 0)))
	if err != nil {
		t.Fatal(err)
	}
	const n = 32
	x := make([]float64, n)
	y := make([]float64, n)
	for i := range x {
		x[i] = -1 + 2*float64(i)/(n-1)
		y[i] = math.Sin(math.Pi * x[i])
	}
	obj, err := nn.NewRegression(m, x, y)
	if err != nil {
		t.Fatal(err)
	}
	return obj
}

// TestProblemGradients checks each test problem's Jacobian and gradient
// against central differences of its residuals and loss.
func TestProblemGradients(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    *lsqFunc
	}{
		{"quadratic", quadratic(1e3, 1)},
		{"rosenbrock", rosenbrock()},
		{"expfit", expFit()},
	} {
		ps := tc.f.Params()
		x := gatherValues(nil, ps)
		for i := range x {
			x[i] += 0.1 * float64(i%3)
		}
		scatterValues(ps, x)
		if _, err := tc.f.Loss(nil); err != nil {
			t.Fatal(err)
		}
		g := gatherGrads(nil, ps)
		J, _ := tc.f.Jacobian(nil, nil)
		const h = 1e-6
		for i := range x {
			xi := x[i]
			x[i] = xi + h
			scatterValues(ps, x)
			rp, _ := tc.f.Residuals(nil, nil)
			fp := 0.5 * dot(rp, rp)
			x[i] = xi - h
			scatterValues(ps, x)
			rm, _ := tc.f.Residuals(nil, nil)
			fm := 0.5 * dot(rm, rm)
			x[i] = xi
			scatterValues(ps, x)
			if d := (fp - fm) / (2 * h); math.Abs(d-g[i]) > 1e-6*math.Max(1, math.Abs(d)) {
				t.Errorf("%s: ∂f/∂θ%d = %v, differences give %v", tc.name, i, g[i], d)
			}
			for k := range rp {
				if d := (rp[k] - rm[k]) / (2 * h); math.Abs(d-J.At(k, i)) > 1e-6*math.Max(1, math.Abs(d)) {
					t.Errorf("%s: J[%d][%d] = %v, differences give %v", tc.name, k, i, J.At(k, i), d)
				}
			}
		}
	}
}
