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
// K_l is the spectral layer (truncated modes, weights per mode), W_l is a
// pointwise channel map shared by all modes, 𝒮 evaluates the series on
// the collocation grid, σ is the GELU applied there, and 𝒜 takes the
// grid values back to the first Mx×My coefficients. Biases act on the
// constant mode only (the coefficient of φ₀ψ₀ = 1). With a grid of at
// least 3/2 the number of coefficients per axis, the products of two
// kept modes do not alias back onto kept modes (Orszag's rule).
//
// With Config.Weights = WeightsComplex, K_l acts on waves,
// as the complex weights of the Fourier neural operator do (Li et al.,
// ICLR 2021) but in the real basis: on a Fourier axis the coefficients
// (c, s) of cos ωx and sin ωx are one complex amplitude z = c + is, a
// translation by δ multiplies it by e^{iωδ}, and K_l maps z ↦ z(A + iB),
// (c, s) ↦ (cA − sB, cB + sA), which commutes with that phase. On two
// Fourier axes the four products cos·cos, cos·sin, sin·cos, sin·sin of a
// mode (k₁, k₂) are the two waves e^{i(k₁x + k₂y)} and e^{i(k₁x − k₂y)},
// with amplitudes ((cc − ss) + i(sc + cs))/√2 and ((cc + ss) + i(sc −
// cs))/√2, each with its own complex matrix. The constant Fourier mode and
// every Chebyshev coefficient keep one real matrix. So the spectral layer,
// the pointwise maps and σ on the uniform periodic grid all commute with
// translations along the Fourier axes (σ exactly for shifts by grid
// steps): the model is translation-equivariant there. With WeightsReal
// (the default) every coefficient has its own real matrix, untied across
// a cos/sin pair, and the layer is not equivariant. Both have Mx·My
// matrices per layer.
//
// Inside, arrays are coefficient-major (My × Mx × batch × channels), so a
// transform along an axis is a few large matrix products over the whole
// batch and each mode's rows are contiguous; Forward and Backward take and
// give the channel-last batch-major arrays of the API.
//
// A Model holds its forward pass for Backward and its workspaces: use it
// from one goroutine at a time. It runs on that goroutine alone (with
// -tags openblas, OpenBLAS runs one thread), so its CPU time is its wall
// time on a quiet machine.
type Model struct {
	In, Out int
	cfg     *Config

	basis          *operators.Basis2D
	mx, my, nx, ny int
	sx, sy, ax, ay *mat.Dense

	lift, proj1, proj2 dense
	spec               []*nn.Param // Mx·My × Width × Width each
	plan               spectralPlan
	skip               []dense
	params             []*nn.Param

	t tape
}

// spectralPlan says which coefficients each weight matrix of a spectral
// layer acts on.
type spectralPlan struct {
	single []singleMode // coefficients with their own real matrix
	waves  []wave       // complex waves
}

// singleMode is a coefficient (internal position pos) multiplied by the
// real matrix in slot slot.
type singleMode struct{ pos, slot int }

// wave is a complex amplitude z = Σ re[i]·h[modes[i]] + i Σ im[i]·h[modes[i]]
// over up to four coefficients, multiplied by A + iB with A in slot slot
// and B in slot slot+1; the result goes back to the same coefficients by
// the transposed combination (the combinations are orthonormal).
type wave struct {
	modes  []int
	re, im []float64
	slot   int
}

// newSpectralPlan returns the plan of weights on mx×my coefficients for
// axes whose Fourier structure is given (nil: not a Fourier axis).
func newSpectralPlan(weights string, fx, fy *operators.FourierBasis, mx, my int) spectralPlan {
	var p spectralPlan
	pos := func(i, j int) int { return j*mx + i }
	if weights == WeightsReal {
		for i := range mx {
			for j := range my {
				p.single = append(p.single, singleMode{pos(i, j), i*my + j})
			}
		}
		return p
	}
	// groups lists the coefficient indices of one axis that a translation
	// mixes: {0}, {1, 2}, {3, 4}, … (cos, sin) on a Fourier axis, every
	// index alone otherwise.
	groups := func(f *operators.FourierBasis, n int) [][]int {
		var g [][]int
		if f == nil {
			for i := range n {
				g = append(g, []int{i})
			}
			return g
		}
		g = append(g, []int{0})
		for i := 1; i+1 < n; i += 2 {
			g = append(g, []int{i, i + 1})
		}
		return g
	}
	r := 1 / math.Sqrt2
	slot := 0
	for _, gx := range groups(fx, mx) {
		for _, gy := range groups(fy, my) {
			switch {
			case len(gx) == 1 && len(gy) == 1:
				p.single = append(p.single, singleMode{pos(gx[0], gy[0]), slot})
				slot++
			case len(gx) == 2 && len(gy) == 1:
				p.waves = append(p.waves, wave{modes: []int{pos(gx[0], gy[0]), pos(gx[1], gy[0])}, re: []float64{1, 0}, im: []float64{0, 1}, slot: slot})
				slot += 2
			case len(gx) == 1 && len(gy) == 2:
				p.waves = append(p.waves, wave{modes: []int{pos(gx[0], gy[0]), pos(gx[0], gy[1])}, re: []float64{1, 0}, im: []float64{0, 1}, slot: slot})
				slot += 2
			default:
				// cc, cs, sc, ss: cos·cos, cos·sin, sin·cos, sin·sin.
				modes := []int{pos(gx[0], gy[0]), pos(gx[0], gy[1]), pos(gx[1], gy[0]), pos(gx[1], gy[1])}
				// e^{i(k₁x+k₂y)}: cos(α+β) = cc − ss, sin(α+β) = sc + cs.
				p.waves = append(p.waves, wave{modes: modes, re: []float64{r, 0, 0, -r}, im: []float64{0, r, r, 0}, slot: slot})
				// e^{i(k₁x−k₂y)}: cos(α−β) = cc + ss, sin(α−β) = sc − cs.
				p.waves = append(p.waves, wave{modes: modes, re: []float64{r, 0, 0, r}, im: []float64{0, -r, r, 0}, slot: slot + 2})
				slot += 4
			}
		}
	}
	return p
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

// forward sets (add: adds to) y (M×B×out) = x (M×B×in) W, plus b on
// mode 0 (the first B rows).
func (d dense) forward(y, x []float64, B, M int, add bool) {
	gemm(y, x, d.w.Value, B*M, d.in, d.out, d.in, d.out, add)
	for b := range B {
		row := y[b*d.out : (b+1)*d.out]
		for j, v := range d.b.Value {
			row[j] += v
		}
	}
}

// backward adds the weight gradients and sets (add: adds to) gx.
func (d dense) backward(gx, x, gy []float64, B, M int, add bool) {
	gemmTN(d.w.Grad, x, gy, B*M, d.in, d.out, d.in, d.out)
	for b := range B {
		for j, v := range gy[b*d.out : (b+1)*d.out] {
			d.b.Grad[j] += v
		}
	}
	if gx != nil {
		gemmNT(gx, gy, d.w.Value, B*M, d.in, d.out, d.in, d.out, add)
	}
}

// NewModel returns a neural spectral model on basis from in to out
// channels with the architecture of cfg (nil or zero fields: the generic
// defaults), its weights drawn from rng. NewProblemModel takes the basis,
// the channels and the defaults from a problem.
func NewModel(cfg *Config, basis *operators.Basis2D, in, out int, rng *rand.Rand) (*Model, error) {
	return newModel(cfg, nil, basis, in, out, rng)
}

// NewProblemModel returns a neural spectral model for problem p, on its
// basis and channels, with the architecture of cfg whose zero fields (nil:
// all) take DefaultConfig(p)'s values, as Train does — complex spectral
// weights for Navier–Stokes, for one — its weights drawn from rng.
func NewProblemModel(cfg *Config, p Problem, rng *rand.Rand) (*Model, error) {
	if p == nil {
		return nil, fmt.Errorf("nsm: nil problem; build one with NewProblem")
	}
	in, out := p.Channels()
	return newModel(cfg, p, p.Basis(), in, out, rng)
}

func newModel(cfg *Config, p Problem, basis *operators.Basis2D, in, out int, rng *rand.Rand) (*Model, error) {
	c, err := cfg.withDefaultsFor(p)
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
	fx, _ := basis.X.(*operators.FourierBasis)
	fy, _ := basis.Y.(*operators.FourierBasis)
	m.plan = newSpectralPlan(c.Weights, fx, fy, m.mx, m.my)
	W, M := c.Width, m.mx*m.my
	// A complex product cA − sB sums two matrices' contributions: scale
	// them by 1/√2 so that a layer keeps the scale of a real one.
	scale := make([]float64, M)
	for _, s := range m.plan.single {
		scale[s.slot] = 1
	}
	for _, w := range m.plan.waves {
		scale[w.slot], scale[w.slot+1] = 1/math.Sqrt2, 1/math.Sqrt2
	}
	m.lift = newDense("lift", in, W, rng)
	m.params = append(m.params, m.lift.w, m.lift.b)
	for l := range c.Layers {
		k := nn.NewParam(fmt.Sprintf("layer%d.spectral", l), M, W, W)
		// As Li et al. initialise FNO's spectral weights: uniform in
		// [0, 1/W²)·… here scaled by 1/W so a layer keeps the scale.
		for i := range k.Value {
			k.Value[i] = scale[i/(W*W)] * (2*rng.Float64() - 1) / float64(W)
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

// tape holds one forward pass for the backward pass, coefficient-major.
type tape struct {
	batch       int
	forwardOnly bool        // the last pass was Predict's: no σ′ was kept
	in          []float64   // M×B×In
	out         []float64   // M×B×Out, and the output gradient in Backward
	h           [][]float64 // Layers+1 arrays M×B×Width: block inputs and the last output
	d           [][]float64 // Layers+1 arrays G×B×·: σ′ on the grid (last: projection)
	q           []float64   // M×B×ProjWidth after 𝒜σ𝒮
	g, gg       []float64   // grid scratch G×B×max(Width, ProjWidth)
	z, gz       []float64   // coefficient scratch M×B×max(Width, ProjWidth)
	gh          []float64
	work        []float64
	x2          []float64 // a wave's [[re, −im], [im, re]], 2B×2W
	y2          []float64 // a wave's product or its gradient, 2B×W
}

func (m *Model) prepare(B int) {
	t := &m.t
	c := m.cfg
	M, G := m.mx*m.my, m.nx*m.ny
	wmax := max(c.Width, c.ProjWidth)
	t.batch = B
	t.in = grow(t.in, B*M*m.In)
	t.out = grow(t.out, B*M*m.Out)
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
	t.x2 = grow(t.x2, 4*B*c.Width)
	t.y2 = grow(t.y2, 2*B*c.Width)
}

// geluChunk keeps nn.GELUDeriv on the calling goroutine (it splits larger
// arrays across goroutines).
const geluChunk = 1 << 13

// activate sets dst (M×B×C) = 𝒜 σ(𝒮 z) and keeps σ′ in d (G×B×C), or
// only the values when the pass is forward-only.
func (m *Model) activate(dst, z, d []float64, B, C int) {
	t := &m.t
	G := m.nx * m.ny
	g := t.g[:B*G*C]
	separable(g, z, m.sx, m.sy, false, false, B*C, t.work)
	if t.forwardOnly {
		d = nil
	}
	geluSerial(g, d)
	separable(dst, g, m.ax, m.ay, false, false, B*C, t.work)
}

// activateBack sets gz = 𝒮ᵀ(σ′ ⊙ 𝒜ᵀ gdst), the adjoint of activate.
func (m *Model) activateBack(gz, gdst, d []float64, B, C int) {
	t := &m.t
	G := m.nx * m.ny
	gg := t.gg[:B*G*C]
	separable(gg, gdst, m.ax, m.ay, true, true, B*C, t.work)
	for i := range gg {
		gg[i] *= d[i]
	}
	separable(gz, gg, m.sx, m.sy, true, true, B*C, t.work)
}

// toInternal copies src (B×Mx×My×C, the API's layout) to dst (My×Mx×B×C).
func (m *Model) toInternal(dst, src []float64, B, C int) { m.permute(dst, src, B, C, true) }

// fromInternal is the inverse of toInternal.
func (m *Model) fromInternal(dst, src []float64, B, C int) { m.permute(dst, src, B, C, false) }

// permute copies between the API's layout B×Mx×My×C and the internal
// My×Mx×B×C, in the direction toInternal says.
func (m *Model) permute(dst, src []float64, B, C int, toInternal bool) {
	for b := range B {
		for i := range m.mx {
			for j := range m.my {
				api := ((b*m.mx+i)*m.my + j) * C
				internal := ((j*m.mx+i)*B + b) * C
				if toInternal {
					copy(dst[internal:internal+C], src[api:api+C])
				} else {
					copy(dst[api:api+C], src[internal:internal+C])
				}
			}
		}
	}
}

// Forward writes the output coefficients (B×Mx×My×Out; nil allocates) for
// the input coefficients in (B×Mx×My×In) and returns them, keeping what
// Backward needs.
func (m *Model) Forward(dst, in []float64, B int) []float64 {
	m.t.forwardOnly = false
	return m.forward(dst, in, B)
}

// Predict is Forward without keeping GELU′ for a backward pass (inference
// and held-out losses): Backward may not follow it.
func (m *Model) Predict(dst, in []float64, B int) []float64 {
	m.t.forwardOnly = true
	return m.forward(dst, in, B)
}

func (m *Model) forward(dst, in []float64, B int) []float64 {
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
	m.toInternal(t.in, in, B, m.In)
	m.lift.forward(t.h[0], t.in, B, M, false)
	for l := range c.Layers {
		z := t.z[:B*M*W]
		m.skip[l].forward(z, t.h[l], B, M, false)
		m.spectralMix(z, t.h[l], l, B)
		m.activate(t.h[l+1], z, t.d[l], B, W)
	}
	z := t.z[:B*M*P]
	m.proj1.forward(z, t.h[c.Layers], B, M, false)
	m.activate(t.q, z, t.d[c.Layers], B, P)
	m.proj2.forward(t.out, t.q, B, M, false)
	m.fromInternal(dst, t.out, B, m.Out)
	return dst
}

// gatherWave writes x2 (2B×2W) = [[re, −im], [im, re]] for the wave w of
// h (M×B×W), so that x2·[A; B] = [re A − im B; im A + re B], the real and
// imaginary parts of (re + i·im)(A + iB).
func gatherWave(x2, h []float64, w *wave, B, W int) {
	clear(x2[:4*B*W])
	for i, pos := range w.modes {
		cr, ci := w.re[i], w.im[i]
		src := h[pos*B*W : (pos+1)*B*W]
		for b := range B {
			row := src[b*W : (b+1)*W]
			top := x2[b*2*W : (b+1)*2*W]
			bot := x2[(B+b)*2*W : (B+b+1)*2*W]
			if cr != 0 {
				for c, v := range row {
					top[c] += cr * v
					bot[W+c] += cr * v
				}
			}
			if ci != 0 {
				for c, v := range row {
					top[W+c] -= ci * v
					bot[c] += ci * v
				}
			}
		}
	}
}

// scatterWave adds to z (M×B×W) the wave's real and imaginary parts y2
// (2B×W, real rows first) through the transposed combination.
func scatterWave(z, y2 []float64, w *wave, B, W int) {
	re, im := y2[:B*W], y2[B*W:2*B*W]
	for i, pos := range w.modes {
		cr, ci := w.re[i], w.im[i]
		dst := z[pos*B*W : (pos+1)*B*W]
		if cr != 0 {
			for k, v := range re {
				dst[k] += cr * v
			}
		}
		if ci != 0 {
			for k, v := range im {
				dst[k] += ci * v
			}
		}
	}
}

// spectralMix adds K_l h to z (both M×B×W).
func (m *Model) spectralMix(z, h []float64, l, B int) {
	W := m.cfg.Width
	BW, WW := B*W, W*W
	k := m.spec[l].Value
	for _, s := range m.plan.single {
		gemm(z[s.pos*BW:], h[s.pos*BW:], k[s.slot*WW:(s.slot+1)*WW], B, W, W, W, W, true)
	}
	x2, y2 := m.t.x2[:4*BW], m.t.y2[:2*BW]
	for i := range m.plan.waves {
		w := &m.plan.waves[i]
		gatherWave(x2, h, w, B, W)
		gemm(y2, x2, k[w.slot*WW:(w.slot+2)*WW], 2*B, 2*W, W, 2*W, W, false)
		scatterWave(z, y2, w, B, W)
	}
}

// spectralMixBack adds the gradient of K_l's weights for the input h and
// output gradient gz to their Grad, and adds K_lᵀ gz to gh.
func (m *Model) spectralMixBack(gh, gz, h []float64, l, B int) {
	W := m.cfg.Width
	BW, WW := B*W, W*W
	k, gk := m.spec[l].Value, m.spec[l].Grad
	for _, s := range m.plan.single {
		gemmTN(gk[s.slot*WW:(s.slot+1)*WW], h[s.pos*BW:], gz[s.pos*BW:], B, W, W, W, W)
		gemmNT(gh[s.pos*BW:], gz[s.pos*BW:], k[s.slot*WW:(s.slot+1)*WW], B, W, W, W, W, true)
	}
	x2, y2 := m.t.x2[:4*BW], m.t.y2[:2*BW]
	for i := range m.plan.waves {
		w := &m.plan.waves[i]
		// The gradient of the wave's output parts: the adjoint of
		// scatterWave.
		gre, gim := y2[:BW], y2[BW:]
		clear(y2)
		for j, pos := range w.modes {
			cr, ci := w.re[j], w.im[j]
			src := gz[pos*BW : (pos+1)*BW]
			for q, v := range src {
				gre[q] += cr * v
				gim[q] += ci * v
			}
		}
		gatherWave(x2, h, w, B, W)
		gemmTN(gk[w.slot*WW:(w.slot+2)*WW], x2, y2, 2*B, 2*W, W, 2*W, W)
		// gx2 = gy·[A; B]ᵀ, then the adjoint of gatherWave.
		gemmNT(x2, y2, k[w.slot*WW:(w.slot+2)*WW], 2*B, 2*W, W, 2*W, W, false)
		for j, pos := range w.modes {
			cr, ci := w.re[j], w.im[j]
			dst := gh[pos*BW : (pos+1)*BW]
			for b := range B {
				top := x2[b*2*W : (b+1)*2*W]
				bot := x2[(B+b)*2*W : (B+b+1)*2*W]
				row := dst[b*W : (b+1)*W]
				for c := range row {
					row[c] += cr*(top[c]+bot[W+c]) + ci*(bot[c]-top[W+c])
				}
			}
		}
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
	if t.forwardOnly {
		panic("nsm: Model.Backward after Predict; call Forward to keep the pass for Backward")
	}
	m.toInternal(t.out, gout, B, m.Out)
	gq := t.gh[:B*M*P]
	m.proj2.backward(gq, t.q, t.out, B, M, false)
	gz := t.gz[:B*M*P]
	m.activateBack(gz, gq, t.d[c.Layers], B, P)
	gh := t.gh[:B*M*W]
	m.proj1.backward(gh, t.h[c.Layers], gz, B, M, false)
	for l := c.Layers - 1; l >= 0; l-- {
		gz := t.gz[:B*M*W]
		m.activateBack(gz, gh, t.d[l], B, W)
		// gh ← gradient with respect to h_l.
		m.skip[l].backward(gh, t.h[l], gz, B, M, false)
		m.spectralMixBack(gh, gz, t.h[l], l, B)
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
