package implicit

import (
	"math"
	"math/rand/v2"
)

// tanhLayer is f(z, x) = tanh(Wz + Ux + b) for a batch of inputs x, the
// equilibrium layer of Bai et al. (2019) in its simplest form. With
// ‖W‖₂ < 1 it is a contraction (tanh' ≤ 1), so every solver converges.
type tanhLayer struct {
	d, p       int
	w, u, b    []float64 // d×d, d×p, d
	x          []float64 // batch × p
	gw, gu, gb []float64
	gx         []float64
	a, sd      []float64 // work: pre-activation and tanh'
}

// newTanhLayer draws a symmetric Gaussian W scaled to spectral norm contraction
// (by power iteration on WᵀW), U Gaussian with variance 1/p, and b, x
// standard normal.
func newTanhLayer(rng *rand.Rand, d, p, batch int, contraction float64) *tanhLayer {
	t := &tanhLayer{d: d, p: p, w: make([]float64, d*d), u: make([]float64, d*p), b: make([]float64, d), x: make([]float64, batch*p)}
	for i := range t.w {
		t.w[i] = rng.NormFloat64()
	}
	// Symmetric, so the spectral radius equals the norm and a contraction
	// near one is a slow Picard iteration.
	for i := range d {
		for j := range i {
			a := 0.5 * (t.w[i*d+j] + t.w[j*d+i])
			t.w[i*d+j], t.w[j*d+i] = a, a
		}
	}
	v, wv := make([]float64, d), make([]float64, d)
	for i := range v {
		v[i] = 1
	}
	var sigma float64
	for range 200 {
		// v ← WᵀW v / ‖WᵀW v‖, σ² ≈ ‖WᵀW v‖.
		for i := range d {
			wv[i] = 0
			for j := range d {
				wv[i] += t.w[i*d+j] * v[j]
			}
		}
		var n2 float64
		for j := range d {
			v[j] = 0
			for i := range d {
				v[j] += t.w[i*d+j] * wv[i]
			}
			n2 += v[j] * v[j]
		}
		n := math.Sqrt(n2)
		sigma = math.Sqrt(n)
		for j := range v {
			v[j] /= n
		}
	}
	for i := range t.w {
		t.w[i] *= contraction / sigma
	}
	for _, s := range [][]float64{t.u, t.b, t.x} {
		for i := range s {
			s[i] = rng.NormFloat64()
		}
	}
	// Pre-activations of order one: tanh stays out of saturation, so ∂f/∂z
	// is close to W and the contraction is the one asked for.
	for i := range t.u {
		t.u[i] /= math.Sqrt(float64(p))
	}
	t.zeroGrad()
	t.a, t.sd = make([]float64, d), make([]float64, d)
	return t
}

func (t *tanhLayer) zeroGrad() {
	t.gw, t.gu, t.gb = make([]float64, len(t.w)), make([]float64, len(t.u)), make([]float64, len(t.b))
	t.gx = make([]float64, len(t.x))
}

// pre sets t.a = Wz + Ux_s + b and t.sd = 1 − tanh²(a), and writes tanh(a)
// into dst if not nil.
func (t *tanhLayer) pre(dst, z []float64, s int) {
	d, p := t.d, t.p
	x := t.x[s*p : (s+1)*p]
	for i := range d {
		v := t.b[i]
		for j, zj := range z {
			v += t.w[i*d+j] * zj
		}
		for j, xj := range x {
			v += t.u[i*p+j] * xj
		}
		t.a[i] = v
		th := math.Tanh(v)
		t.sd[i] = 1 - th*th
		if dst != nil {
			dst[i] = th
		}
	}
}

func (t *tanhLayer) function() Function {
	d, p := t.d, t.p
	return Function{
		Dim: d,
		F:   func(dst, z []float64, s int) { t.pre(dst, z, s) },
		JVP: func(dst, z, v []float64, s int) {
			t.pre(nil, z, s)
			for i := range d {
				var a float64
				for j, vj := range v {
					a += t.w[i*d+j] * vj
				}
				dst[i] = t.sd[i] * a
			}
		},
		VJP: func(dst, z, u []float64, s int) {
			t.pre(nil, z, s)
			clear(dst)
			for i := range d {
				q := t.sd[i] * u[i]
				for j := range d {
					dst[j] += t.w[i*d+j] * q
				}
			}
		},
		ParamVJP: func(z, u []float64, s int) {
			t.pre(nil, z, s)
			x := t.x[s*p : (s+1)*p]
			gx := t.gx[s*p : (s+1)*p]
			for i := range d {
				q := t.sd[i] * u[i]
				t.gb[i] += q
				for j := range d {
					t.gw[i*d+j] += q * z[j]
				}
				for j := range p {
					t.gu[i*p+j] += q * x[j]
					gx[j] += t.u[i*p+j] * q
				}
			}
		},
	}
}

// clone returns a tanhLayer sharing t's weights and inputs with its own
// workspace and gradient accumulators, for a second worker.
func (t *tanhLayer) clone() *tanhLayer {
	c := *t
	c.zeroGrad()
	c.a, c.sd = make([]float64, t.d), make([]float64, t.d)
	return &c
}
