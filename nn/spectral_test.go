package nn

import (
	"math"
	"math/cmplx"
	"math/rand/v2"
	"testing"
)

// spectralDirect1D is the spectral convolution written from its definition:
// X_ik = Σ_t x_ti e^{−2πikt/n}, Y_ok = Σᵢ X_ik W_iok,
// y_to = (1/n)(Re Y_o0 + 2 Σ_{0<k<m} Re(Y_ok e^{2πikt/n})).
func spectralDirect1D(c *SpectralConv1D, x []float64, batch, n int) []float64 {
	m := c.Modes
	y := make([]float64, batch*n*c.Out)
	for b := range batch {
		for o := range c.Out {
			for k := range m {
				var Y complex128
				for i := range c.In {
					var X complex128
					for t := range n {
						X += complex(x[(b*n+t)*c.In+i], 0) * cmplx.Exp(complex(0, -2*math.Pi*float64(k*t)/float64(n)))
					}
					w := (i*c.Out+o)*m + k
					Y += X * complex(c.Re.Value[w], c.Im.Value[w])
				}
				ck := 2.0
				if k == 0 {
					ck = 1
				}
				for t := range n {
					y[(b*n+t)*c.Out+o] += ck / float64(n) * real(Y*cmplx.Exp(complex(0, 2*math.Pi*float64(k*t)/float64(n))))
				}
			}
		}
	}
	return y
}

// spectralDirect2D is SpectralConv2D from its definition (numpy's irfft2:
// the k2 = 0 column enters by its real part after the sum over k1).
func spectralDirect2D(c *SpectralConv2D, x []float64, batch, n1, n2 int) []float64 {
	m1, m2 := c.Modes1, c.Modes2
	y := make([]float64, batch*n1*n2*c.Out)
	for b := range batch {
		for o := range c.Out {
			for r := range 2 * m1 {
				k1 := r
				if r >= m1 {
					k1 = n1 - 2*m1 + r
				}
				for k2 := range m2 {
					var Y complex128
					for i := range c.In {
						var X complex128
						for s := range n1 {
							for t := range n2 {
								ph := -2 * math.Pi * (float64(k1*s)/float64(n1) + float64(k2*t)/float64(n2))
								X += complex(x[((b*n1+s)*n2+t)*c.In+i], 0) * cmplx.Exp(complex(0, ph))
							}
						}
						w := ((i*c.Out+o)*2*m1+r)*m2 + k2
						Y += X * complex(c.Re.Value[w], c.Im.Value[w])
					}
					ck := 2.0
					if k2 == 0 {
						ck = 1
					}
					for s := range n1 {
						for t := range n2 {
							ph := 2 * math.Pi * (float64(k1*s)/float64(n1) + float64(k2*t)/float64(n2))
							y[((b*n1+s)*n2+t)*c.Out+o] += ck / float64(n1*n2) * real(Y*cmplx.Exp(complex(0, ph)))
						}
					}
				}
			}
		}
	}
	return y
}

func randSlice(rng *rand.Rand, n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = rng.NormFloat64()
	}
	return v
}

func maxAbsDiff(a, b []float64) float64 {
	var d float64
	for i := range a {
		d = math.Max(d, math.Abs(a[i]-b[i]))
	}
	return d
}

// spectralLayer is what the gradient check needs of both layers.
type spectralLayer interface {
	Params() []*Param
	forward(x []float64) []float64
	backward(dy []float64) []float64
}

type layer1D struct {
	*SpectralConv1D
	batch, n int
}

func (l layer1D) forward(x []float64) []float64   { return l.Forward(nil, x, l.batch, l.n) }
func (l layer1D) backward(dy []float64) []float64 { return l.Backward(nil, dy, l.batch) }

type layer2D struct {
	*SpectralConv2D
	batch, n1, n2 int
}

func (l layer2D) forward(x []float64) []float64   { return l.Forward(nil, x, l.batch, l.n1, l.n2) }
func (l layer2D) backward(dy []float64) []float64 { return l.Backward(nil, dy, l.batch) }

func TestSpectralConvForward(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct {
		name       string
		batch, in  int
		out, n     int
		modes, n2  int
		modes2     int
		tol        float64
		twoD       bool
		randomizeW bool
	}{
		{name: "1d n=16 m=5", batch: 3, in: 2, out: 3, n: 16, modes: 5, tol: 1e-12},
		{name: "1d n=15 m=7 (odd, non-power-of-two)", batch: 2, in: 3, out: 2, n: 15, modes: 7, tol: 1e-12},
		{name: "1d n=8 m=4", batch: 1, in: 1, out: 1, n: 8, modes: 4, tol: 1e-12},
		{name: "2d 8x8 m=3x3", batch: 2, in: 2, out: 3, n: 8, modes: 3, n2: 8, modes2: 3, tol: 1e-12, twoD: true},
		{name: "2d 10x6 m=2x3", batch: 3, in: 2, out: 2, n: 10, modes: 2, n2: 6, modes2: 3, tol: 1e-12, twoD: true},
		// Sizes whose products span several of dgemm's 64×128 blocks.
		{name: "1d wide n=70 m=5", batch: 2, in: 33, out: 66, n: 70, modes: 5, tol: 1e-11},
		{name: "2d wide 34x8 m=2x2", batch: 1, in: 33, out: 34, n: 34, modes: 2, n2: 8, modes2: 2, tol: 1e-11, twoD: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !tc.twoD {
				c, err := NewSpectralConv1D("w", tc.in, tc.out, tc.modes, rng)
				if err != nil {
					t.Fatal(err)
				}
				// Weights of unit size, so that every mode matters.
				copy(c.Re.Value, randSlice(rng, c.Re.Len()))
				copy(c.Im.Value, randSlice(rng, c.Im.Len()))
				x := randSlice(rng, tc.batch*tc.n*tc.in)
				got := c.Forward(nil, x, tc.batch, tc.n)
				want := spectralDirect1D(c, x, tc.batch, tc.n)
				if d := maxAbsDiff(got, want); d > tc.tol {
					t.Errorf("max |Forward − direct| = %g, want ≤ %g", d, tc.tol)
				}
				return
			}
			c, err := NewSpectralConv2D("w", tc.in, tc.out, tc.modes, tc.modes2, rng)
			if err != nil {
				t.Fatal(err)
			}
			copy(c.Re.Value, randSlice(rng, c.Re.Len()))
			copy(c.Im.Value, randSlice(rng, c.Im.Len()))
			x := randSlice(rng, tc.batch*tc.n*tc.n2*tc.in)
			got := c.Forward(nil, x, tc.batch, tc.n, tc.n2)
			want := spectralDirect2D(c, x, tc.batch, tc.n, tc.n2)
			if d := maxAbsDiff(got, want); d > tc.tol {
				t.Errorf("max |Forward − direct| = %g, want ≤ %g", d, tc.tol)
			}
		})
	}
}

// TestSpectralConvGradient checks Backward's input and weight gradients of
// L = Σ r·y against central differences of L (step 1e-6; L is linear in x
// and in the weights, so the differences are exact up to rounding).
func TestSpectralConvGradient(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	c1, err := NewSpectralConv1D("a", 3, 2, 6, rng)
	if err != nil {
		t.Fatal(err)
	}
	c2, err := NewSpectralConv2D("b", 2, 3, 2, 3, rng)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		layer spectralLayer
		nx    int
		tol   float64
	}{
		{"1d n=16", layer1D{c1, 4, 16}, 4 * 16 * 3, 1e-7},
		{"1d n=12", layer1D{c1, 3, 12}, 3 * 12 * 3, 1e-7},
		{"2d 8x6", layer2D{c2, 3, 8, 6}, 3 * 8 * 6 * 2, 1e-7},
		{"2d 5x7", layer2D{c2, 2, 5, 7}, 2 * 5 * 7 * 2, 1e-7},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := tc.layer
			for _, p := range l.Params() {
				copy(p.Value, randSlice(rng, p.Len()))
				clear(p.Grad)
			}
			x := randSlice(rng, tc.nx)
			y := l.forward(x)
			r := randSlice(rng, len(y))
			loss := func() float64 {
				yy := l.forward(x)
				var s float64
				for i, v := range yy {
					s += r[i] * v
				}
				return s
			}
			l.forward(x)
			dx := l.backward(r)
			const h = 1e-6
			check := func(what string, v []float64, grad []float64) {
				for i := range v {
					old := v[i]
					v[i] = old + h
					lp := loss()
					v[i] = old - h
					lm := loss()
					v[i] = old
					fd := (lp - lm) / (2 * h)
					if math.Abs(fd-grad[i]) > tc.tol*math.Max(1, math.Abs(fd)) {
						t.Errorf("%s[%d]: Backward %g, finite differences %g", what, i, grad[i], fd)
						return
					}
				}
			}
			check("x", x, dx)
			for _, p := range l.Params() {
				check(p.Name, p.Value, p.Grad)
			}
		})
	}
}

// TestSpectralConvResolution checks that the same weights give the same
// function on any grid: a band-limited input sampled on n and on 4n points
// gives outputs that agree at the shared points.
func TestSpectralConvResolution(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	c1, _ := NewSpectralConv1D("a", 2, 2, 4, rng)
	c2, _ := NewSpectralConv2D("b", 2, 2, 3, 3, rng)
	f := func(ch int, x, y float64) float64 {
		return math.Sin(2*math.Pi*x+float64(ch)) + 0.5*math.Cos(4*math.Pi*x-2*math.Pi*y) + 0.1*float64(ch)
	}
	coarse1 := c1.Forward(nil, sampled1D(f, 8), 1, 8)
	for _, n := range []int{8, 32} {
		y := c1.Forward(nil, sampled1D(f, n), 1, n)
		for u := range 8 {
			for ch := range 2 {
				if d := math.Abs(y[(u*n/8)*2+ch] - coarse1[u*2+ch]); d > 1e-12 {
					t.Fatalf("1-D output at %d differs by %g between grids %d and 8", u, d, n)
				}
			}
		}
	}
	for _, n := range []int{8, 24} {
		y := c2.Forward(nil, sampled2D(f, n), 1, n, n)
		coarse := c2.Forward(nil, sampled2D(f, 8), 1, 8, 8)
		r := n / 8
		for s := range 8 {
			for u := range 8 {
				for ch := range 2 {
					if d := math.Abs(y[((s*r)*n+u*r)*2+ch] - coarse[(s*8+u)*2+ch]); d > 1e-12 {
						t.Fatalf("2-D output at (%d,%d) differs by %g between grids %d and 8", s, u, d, n)
					}
				}
			}
		}
	}
}

func sampled1D(f func(ch int, x, y float64) float64, n int) []float64 {
	v := make([]float64, n*2)
	for t := range n {
		for ch := range 2 {
			v[t*2+ch] = f(ch, float64(t)/float64(n), 0)
		}
	}
	return v
}

func sampled2D(f func(ch int, x, y float64) float64, n int) []float64 {
	v := make([]float64, n*n*2)
	for s := range n {
		for u := range n {
			for ch := range 2 {
				v[(s*n+u)*2+ch] = f(ch, float64(s)/float64(n), float64(u)/float64(n))
			}
		}
	}
	return v
}

// TestSpectralConvAdjointLarge checks Backward on layers wide enough that
// every product spans several of dgemm's blocks, through two identities of
// the bilinear L = Σ r·y(x, W): ⟨∂L/∂x, x⟩ = L and ⟨∂L/∂Re, Re⟩ +
// ⟨∂L/∂Im, Im⟩ = L.
func TestSpectralConvAdjointLarge(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	c1, _ := NewSpectralConv1D("a", 40, 70, 40, rng)
	c2, _ := NewSpectralConv2D("b", 33, 35, 9, 5, rng)
	for _, tc := range []struct {
		name  string
		layer spectralLayer
		nx    int
	}{
		{"1d n=130", layer1D{c1, 3, 130}, 3 * 130 * 40},
		{"2d 70x20", layer2D{c2, 2, 70, 20}, 2 * 70 * 20 * 33},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := tc.layer
			for _, p := range l.Params() {
				copy(p.Value, randSlice(rng, p.Len()))
				clear(p.Grad)
			}
			x := randSlice(rng, tc.nx)
			y := l.forward(x)
			r := randSlice(rng, len(y))
			var loss float64
			for i, v := range y {
				loss += r[i] * v
			}
			dx := l.backward(r)
			var xdx, wdw float64
			for i, v := range x {
				xdx += v * dx[i]
			}
			for _, p := range l.Params() {
				for i, v := range p.Value {
					wdw += v * p.Grad[i]
				}
			}
			tol := 1e-10 * math.Max(1, math.Abs(loss))
			if math.Abs(xdx-loss) > tol || math.Abs(wdw-loss) > tol {
				t.Errorf("L = %.12g, ⟨dx, x⟩ = %.12g, ⟨dW, W⟩ = %.12g", loss, xdx, wdw)
			}
		})
	}
}
