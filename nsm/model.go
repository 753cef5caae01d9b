package nsm

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/neuralpde/neuralpde/nn"
	"github.com/neuralpde/neuralpde/operators"
)

// Model is a neural spectral model (Du, Chalapathi & Krishnapriyan 2024,
// §3): a map from the coefficients of the input functions to the
// coefficients of the solution in a tensor-product Basis2D, which never
// sees a grid except to apply its nonlinearity.
//
// The pipeline, on Mx×My coefficient arrays with channels last:
//
//	h₀ = lift(a)                                  pointwise In → Width
//	h_{l+1} = 𝒜 σ 𝒮 (K_l h_l + W_l h_l + b_l)      l = 0, …, Layers−1
//	v = P₂ 𝒜 σ 𝒮 (P₁ h_L + c₁) + c₂               Width → ProjWidth → Out
//
// K_l multiplies each coefficient by its own learned Width×Width matrix
// (the spectral layer: truncated modes, weights per mode), W_l is a
// pointwise channel map shared by all modes, 𝒮 evaluates the series on
// the collocation grid, σ is the GELU applied there, and 𝒜 takes the
// grid values back to the first Mx×My coefficients. Biases act on the
// constant mode only (the coefficient of φ₀ψ₀ = 1). With a grid of at
// least 3/2 the number of coefficients per axis, the products of two
// kept modes do not alias back onto kept modes (Orszag's rule).
//
// Because the basis is real (operators.FourierBasis uses cos/sin pairs),
// the weights are real; they are not tied across a cos/sin pair, so the
// layer is not constrained to be translation-equivariant.
//
// A Model holds its forward pass for Backward and its workspaces: use it
// from one goroutine at a time.
type Model struct {
	In, Out int
	cfg     *Config

	basis          *operators.Basis2D
	mx, my, nx, ny int
	sx, sy, ax, ay *mat.Dense

	lift, proj1, proj2 dense
	spec               []*nn.Param // Mx·My × Width × Width each
	skip               []dense
	params             []*nn.Param

	t tape
}

// dense is a pointwise channel map y = xW, plus b on the constant mode.
type dense struct {
	w, b    *nn.Param
	in, out int
}

func newDense(name string, in, out int, rng *rand.Rand) dense {
	d := dense{w: nn.NewParam(name+".w", in, out), b: nn.NewParam(name+".b", out), in: in, out: out}
	bound := 1 / math.Sqrt(float64(in))
	for i := range d.w.Value {
		d.w.Value[i] = bound * (2*rng.Float64() - 1)
	}
	for i := range d.b.Value {
		d.b.Value[i] = bound * (2*rng.Float64() - 1)
	}
	return d
}

// forward sets (add: adds to) y (B×M×out) = x (B×M×in) W, plus b on mode 0.
func (d dense) forward(y, x []float64, B, M int, add bool) {
	gemm(y, x, d.w.Value, B*M, d.in, d.out, d.in, d.out, add)
	for b := range B {
		row := y[b*M*d.out : b*M*d.out+d.out]
		for j, v := range d.b.Value {
			row[j] += v
		}
	}
}

// backward adds the weight gradients and sets (add: adds to) gx.
func (d dense) backward(gx, x, gy []float64, B, M int, add bool) {
	gemmTN(d.w.Grad, x, gy, B*M, d.in, d.out, d.in, d.out)
	for b := range B {
		for j, v := range gy[b*M*d.out : b*M*d.out+d.out] {
			d.b.Grad[j] += v
		}
	}
	if gx != nil {
		gemmNT(gx, gy, d.w.Value, B*M, d.in, d.out, d.in, d.out, add)
	}
}

// NewModel returns a neural spectral model on basis from in to out
// channels with the architecture of cfg (nil: the defaults), its weights
// drawn from rng.
func NewModel(cfg *Config, basis *operators.Basis2D, in, out int, rng *rand.Rand) (*Model, error) {
	c, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if basis == nil {
		return nil, fmt.Errorf("nsm: nil basis; build one with operators.NewBasis2D")
	}
	if in < 1 || out < 1 {
		return nil, fmt.Errorf("nsm: %d input and %d output channels; both must be positive", in, out)
	}
	m := &Model{In: in, Out: out, cfg: c, basis: basis}
	m.mx, m.my = basis.Dims()
	m.nx = max(basis.X.MinPoints(), int(math.Ceil(c.GridFactor*float64(m.mx))))
	m.ny = max(basis.Y.MinPoints(), int(math.Ceil(c.GridFactor*float64(m.my))))
	m.sx, m.sy = basis.X.Synthesis(m.nx), basis.Y.Synthesis(m.ny)
	m.ax, m.ay = basis.X.Analysis(m.nx), basis.Y.Analysis(m.ny)
	W, M := c.Width, m.mx*m.my
	m.lift = newDense("lift", in, W, rng)
	m.params = append(m.params, m.lift.w, m.lift.b)
	for l := range c.Layers {
		k := nn.NewParam(fmt.Sprintf("layer%d.spectral", l), M, W, W)
		// As Li et al. initialise FNO's spectral weights: uniform in
		// [0, 1/W²)·… here scaled by 1/W so a layer keeps the scale.
		for i := range k.Value {
			k.Value[i] = (2*rng.Float64() - 1) / float64(W)
		}
		m.spec = append(m.spec, k)
		d := newDense(fmt.Sprintf("layer%d.skip", l), W, W, rng)
		m.skip = append(m.skip, d)
		m.params = append(m.params, k, d.w, d.b)
	}
	m.proj1 = newDense("proj1", W, c.ProjWidth, rng)
	m.proj2 = newDense("proj2", c.ProjWidth, out, rng)
	m.params = append(m.params, m.proj1.w, m.proj1.b, m.proj2.w, m.proj2.b)
	return m, nil
}

// Config returns the model's configuration with its defaults filled in.
func (m *Model) Config() *Config { c := *m.cfg; return &c }

// Params returns the trainable parameters.
func (m *Model) Params() []*nn.Param { return m.params }

// Basis returns the model's basis.
func (m *Model) Basis() *operators.Basis2D { return m.basis }

// Grid returns the collocation grid nx×ny on which σ is applied.
func (m *Model) Grid() (nx, ny int) { return m.nx, m.ny }

// tape holds one forward pass for the backward pass.
type tape struct {
	batch int
	in    []float64   // B×M×In
	h     [][]float64 // Layers+1 arrays B×M×Width: block inputs and the last output
	d     [][]float64 // Layers+1 arrays B×G×·: σ′ on the grid (last: projection)
	q     []float64   // B×M×ProjWidth after 𝒜σ𝒮
	g, gg []float64   // grid scratch B×G×max(Width, ProjWidth)
	z, gz []float64   // coefficient scratch B×M×max(Width, ProjWidth)
	gh    []float64
	work  []float64
}

func (m *Model) prepare(B int) {
	t := &m.t
	c := m.cfg
	M, G := m.mx*m.my, m.nx*m.ny
	wmax := max(c.Width, c.ProjWidth)
	t.batch = B
	t.in = grow(t.in, B*M*m.In)
	if len(t.h) != c.Layers+1 {
		t.h = make([][]float64, c.Layers+1)
		t.d = make([][]float64, c.Layers+1)
	}
	for l := range t.h {
		t.h[l] = grow(t.h[l], B*M*c.Width)
		w := c.Width
		if l == c.Layers {
			w = c.ProjWidth
		}
		t.d[l] = grow(t.d[l], B*G*w)
	}
	t.q = grow(t.q, B*M*c.ProjWidth)
	t.g = grow(t.g, B*G*wmax)
	t.gg = grow(t.gg, B*G*wmax)
	t.z = grow(t.z, B*M*wmax)
	t.gz = grow(t.gz, B*M*wmax)
	t.gh = grow(t.gh, B*M*wmax)
	t.work = grow(t.work, B*max(m.mx, m.nx)*max(m.my, m.ny)*wmax)
}

// activate sets dst (B×M×C) = 𝒜 σ(𝒮 z) and keeps σ′ in d (B×G×C).
func (m *Model) activate(dst, z, d []float64, B, C int) {
	t := &m.t
	G := m.nx * m.ny
	g := t.g[:B*G*C]
	separable(g, z, m.sx, m.sy, false, false, B, C, t.work)
	for i, v := range g {
		g[i], d[i] = gelu(v)
	}
	separable(dst, g, m.ax, m.ay, false, false, B, C, t.work)
}

// activateBack sets gz = 𝒮ᵀ(σ′ ⊙ 𝒜ᵀ gdst), the adjoint of activate.
func (m *Model) activateBack(gz, gdst, d []float64, B, C int) {
	t := &m.t
	G := m.nx * m.ny
	gg := t.gg[:B*G*C]
	separable(gg, gdst, m.ax, m.ay, true, true, B, C, t.work)
	for i := range gg {
		gg[i] *= d[i]
	}
	separable(gz, gg, m.sx, m.sy, true, true, B, C, t.work)
}

// Forward writes the output coefficients (B×Mx×My×Out; nil allocates) for
// the input coefficients in (B×Mx×My×In) and returns them.
func (m *Model) Forward(dst, in []float64, B int) []float64 {
	M := m.mx * m.my
	if len(in) != B*M*m.In {
		panic(fmt.Sprintf("nsm: Model.Forward input has length %d, want %d×%d×%d", len(in), B, M, m.In))
	}
	if dst == nil {
		dst = make([]float64, B*M*m.Out)
	}
	if len(dst) != B*M*m.Out {
		panic(fmt.Sprintf("nsm: Model.Forward output has length %d, want %d×%d×%d", len(dst), B, M, m.Out))
	}
	m.prepare(B)
	t := &m.t
	c := m.cfg
	W, P := c.Width, c.ProjWidth
	copy(t.in, in)
	m.lift.forward(t.h[0], in, B, M, false)
	for l := range c.Layers {
		z := t.z[:B*M*W]
		m.skip[l].forward(z, t.h[l], B, M, false)
		m.spectralMix(z, t.h[l], l, B)
		m.activate(t.h[l+1], z, t.d[l], B, W)
	}
	z := t.z[:B*M*P]
	m.proj1.forward(z, t.h[c.Layers], B, M, false)
	m.activate(t.q, z, t.d[c.Layers], B, P)
	m.proj2.forward(dst, t.q, B, M, false)
	return dst
}

// spectralMix adds, for every mode k, h[:,k,:] K_l[k] to z[:,k,:].
func (m *Model) spectralMix(z, h []float64, l, B int) {
	W, M := m.cfg.Width, m.mx*m.my
	k := m.spec[l].Value
	for mode := range M {
		gemm(z[mode*W:], h[mode*W:], k[mode*W*W:(mode+1)*W*W], B, W, W, M*W, M*W, true)
	}
}

// Backward takes the gradient gout (B×Mx×My×Out) of a loss with respect to
// the last Forward's output and adds the gradients with respect to the
// parameters to their Grad.
func (m *Model) Backward(gout []float64) {
	t := &m.t
	B := t.batch
	c := m.cfg
	W, P, M := c.Width, c.ProjWidth, m.mx*m.my
	if len(gout) != B*M*m.Out {
		panic(fmt.Sprintf("nsm: Model.Backward gradient has length %d, want %d×%d×%d", len(gout), B, M, m.Out))
	}
	gq := t.gh[:B*M*P]
	m.proj2.backward(gq, t.q, gout, B, M, false)
	gz := t.gz[:B*M*P]
	m.activateBack(gz, gq, t.d[c.Layers], B, P)
	gh := t.gh[:B*M*W]
	m.proj1.backward(gh, t.h[c.Layers], gz, B, M, false)
	for l := c.Layers - 1; l >= 0; l-- {
		gz := t.gz[:B*M*W]
		m.activateBack(gz, gh, t.d[l], B, W)
		// gh ← gradient with respect to h_l.
		m.skip[l].backward(gh, t.h[l], gz, B, M, false)
		k, gk := m.spec[l].Value, m.spec[l].Grad
		for mode := range M {
			gemmTN(gk[mode*W*W:(mode+1)*W*W], t.h[l][mode*W:], gz[mode*W:], B, W, W, M*W, M*W)
			gemmNT(gh[mode*W:], gz[mode*W:], k[mode*W*W:(mode+1)*W*W], B, W, W, M*W, M*W, true)
		}
	}
	m.lift.backward(nil, t.in, gh, B, M, false)
}

// gelu returns GELU(x) = xΦ(x) (Hendrycks & Gimpel 2016, the exact erf
// form) and its derivative Φ(x) + xφ(x).
func gelu(x float64) (y, dy float64) {
	cdf := 0.5 * (1 + math.Erf(x/math.Sqrt2))
	pdf := math.Exp(-0.5*x*x) / math.Sqrt(2*math.Pi)
	return x * cdf, cdf + x*pdf
}
