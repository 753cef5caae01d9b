package fno

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"

	"github.com/neuralpde/neuralpde/nn"
)

// Model is a Fourier neural operator (Li et al. 2021, §4): the input
// channels with the grid coordinates appended are lifted pointwise to
// Width channels, zero-padded by Padding points per axis, passed through
// Layers Fourier blocks z ← σ(K z + W z + b) (K a spectral convolution, W
// a pointwise linear map, σ the GELU, omitted after the last block),
// cropped, and projected pointwise through a ProjWidth hidden layer to the
// output channels.
//
// Fields are channel-last (batch × grid × channels). The weights do not
// depend on the grid, so a Model runs on any grid with at least twice
// Modes points per axis after padding.
type Model struct {
	// Dim is the number of spatial axes, 1 or 2.
	Dim int
	// In and Out are the numbers of input and output channels (without
	// the appended coordinates).
	In, Out int
	cfg     *Config

	lift, proj1, proj2 *dense
	skip               []*dense
	spec1              []*nn.SpectralConv1D
	spec2              []*nn.SpectralConv2D
	params             []*nn.Param

	t tape
}

// dense is a pointwise linear map y = xW + b, W of shape in×out.
type dense struct {
	w, b    *nn.Param
	in, out int
	// gw and gb hold each goroutine's share of the weight and bias
	// gradients before they are summed into the Params.
	gw, gb [][]float64
	wt     []float64 // Wᵀ (out × in) for the input gradient
}

func newDense(name string, in, out int, rng *rand.Rand) *dense {
	d := &dense{w: nn.NewParam(name+".w", in, out), b: nn.NewParam(name+".b", out), in: in, out: out}
	// torch.nn.Linear's initialisation, as in Li et al.'s code.
	bound := 1 / math.Sqrt(float64(in))
	for i := range d.w.Value {
		d.w.Value[i] = bound * (2*rng.Float64() - 1)
	}
	for i := range d.b.Value {
		d.b.Value[i] = bound * (2*rng.Float64() - 1)
	}
	return d
}

// denseChunk is the number of rows of one product (nn.Gemm): the rows
// are split across the cores here, in blocks that stay in cache.
const denseChunk = 64

// parallelRows runs f(w, lo, hi) on GOMAXPROCS goroutines over contiguous
// blocks of [0, rows) (one goroutine for few rows) and returns how many it
// used.
func parallelRows(rows int, f func(w, lo, hi int)) int {
	nw := runtime.GOMAXPROCS(0)
	if rows < 4*denseChunk {
		nw = 1
	}
	if nw == 1 {
		f(0, 0, rows)
		return 1
	}
	return nn.ParallelRange(rows, nw, f)
}

// forward sets y (rows×out) = x (rows×in) W + b, or adds xW + b to y when
// add is set.
func (d *dense) forward(y, x []float64, rows int, add bool) {
	in, out := d.in, d.out
	parallelRows(rows, func(_, lo, hi int) {
		for r := lo; r < hi; r++ {
			row := y[r*out : (r+1)*out]
			if add {
				for j, v := range d.b.Value {
					row[j] += v
				}
			} else {
				copy(row, d.b.Value)
			}
		}
		for r := lo; r < hi; r += denseChunk {
			n := min(denseChunk, hi-r)
			nn.Gemm(false, false, n, out, in, 1, x[r*in:], in, d.w.Value, out, 1, y[r*out:], out)
		}
	})
}

// backward adds the gradients for W and b given x and gy, and, when gx is
// not nil, sets gx = gy Wᵀ (or adds it when add is set).
func (d *dense) backward(gx, x, gy []float64, rows int, add bool) {
	in, out := d.in, d.out
	for len(d.gw) < runtime.GOMAXPROCS(0) {
		d.gw = append(d.gw, make([]float64, in*out))
		d.gb = append(d.gb, make([]float64, out))
	}
	beta := 0.0
	if add {
		beta = 1
	}
	if gx != nil {
		// Wᵀ, so that gy Wᵀ is a product without transposes.
		d.wt = grow(d.wt, in*out)
		for i := range in {
			for j := range out {
				d.wt[j*in+i] = d.w.Value[i*out+j]
			}
		}
	}
	used := parallelRows(rows, func(w, lo, hi int) {
		gw, gb := d.gw[w], d.gb[w]
		clear(gw)
		clear(gb)
		for r := lo; r < hi; r++ {
			for j, v := range gy[r*out : (r+1)*out] {
				gb[j] += v
			}
		}
		for r := lo; r < hi; r += denseChunk {
			n := min(denseChunk, hi-r)
			nn.Gemm(true, false, in, out, n, 1, x[r*in:], in, gy[r*out:], out, 1, gw, out)
			if gx != nil {
				nn.Gemm(false, false, n, in, out, 1, gy[r*out:], out, d.wt, in, beta, gx[r*in:], in)
			}
		}
	})
	for w := range used {
		for j, v := range d.gw[w] {
			d.w.Grad[j] += v
		}
		for j, v := range d.gb[w] {
			d.b.Grad[j] += v
		}
	}
}

// NewModel returns an FNO on dim spatial axes from in to out channels with
// the architecture of cfg (nil: DefaultConfig), its weights drawn from rng.
func NewModel(cfg *Config, dim, in, out int, rng *rand.Rand) (*Model, error) {
	c, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if dim != 1 && dim != 2 {
		return nil, fmt.Errorf("fno: %d spatial axes; FNO here is 1-D or 2-D", dim)
	}
	if in < 1 || out < 1 {
		return nil, fmt.Errorf("fno: %d input and %d output channels; both must be positive", in, out)
	}
	if c.Modes == 0 {
		c.Modes = 16
		if dim == 2 {
			c.Modes = 12
		}
	}
	m := &Model{Dim: dim, In: in, Out: out, cfg: c}
	m.lift = newDense("lift", in+dim, c.Width, rng)
	m.params = append(m.params, m.lift.w, m.lift.b)
	for l := range c.Layers {
		name := fmt.Sprintf("block%d", l)
		if dim == 1 {
			s, err := nn.NewSpectralConv1D(name+".spectral", c.Width, c.Width, c.Modes, rng)
			if err != nil {
				return nil, err
			}
			m.spec1 = append(m.spec1, s)
			m.params = append(m.params, s.Params()...)
		} else {
			s, err := nn.NewSpectralConv2D(name+".spectral", c.Width, c.Width, c.Modes, c.Modes, rng)
			if err != nil {
				return nil, err
			}
			m.spec2 = append(m.spec2, s)
			m.params = append(m.params, s.Params()...)
		}
		d := newDense(name+".skip", c.Width, c.Width, rng)
		m.skip = append(m.skip, d)
		m.params = append(m.params, d.w, d.b)
	}
	m.proj1 = newDense("proj1", c.Width, c.ProjWidth, rng)
	m.proj2 = newDense("proj2", c.ProjWidth, out, rng)
	m.params = append(m.params, m.proj1.w, m.proj1.b, m.proj2.w, m.proj2.b)
	return m, nil
}

// Config returns the model's configuration with its defaults filled in.
func (m *Model) Config() *Config { c := *m.cfg; return &c }

// Params returns the trainable parameters.
func (m *Model) Params() []*nn.Param { return m.params }

// CheckGrid returns an error unless the model can run on grid (one size
// per spatial axis).
func (m *Model) CheckGrid(grid []int) error {
	if len(grid) != m.Dim {
		return fmt.Errorf("fno: a grid of %d axes for a %d-D model", len(grid), m.Dim)
	}
	p := m.cfg.Padding
	if m.Dim == 1 {
		return m.spec1[0].CheckGrid(grid[0] + p)
	}
	return m.spec2[0].CheckGrid(grid[0]+p, grid[1]+p)
}

// tape holds one forward pass's intermediate arrays for the backward pass.
// A forward-only pass (grad unset) keeps none of them for later: the
// blocks alternate between z[0] and z[1], GELU′ is not computed, and the
// gradient arrays are not allocated.
type tape struct {
	batch, n, np int // np: points per sample after padding
	grid         []int
	grad         bool        // the last forward pass kept the tape
	in           []float64   // batch × n × (In+Dim)
	lifted       []float64   // batch × n × Width
	z            [][]float64 // Layers+1 arrays, batch × np × Width
	dact         [][]float64 // GELU′ at each block but the last
	g, gs        []float64   // gradient scratch, batch × np × Width
	crop         []float64   // batch × n × Width
	q, dq        []float64   // batch × n × ProjWidth
	out          []float64   // batch × n × Out
	gcrop, gq    []float64
}

func grow(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}

// prepare sizes the tape for a batch on grid: for the backward pass when
// grad is set, else only what a forward pass needs.
func (m *Model) prepare(batch int, grid []int, grad bool) {
	t := &m.t
	n, np := 1, 1
	for _, s := range grid {
		n *= s
		np *= s + m.cfg.Padding
	}
	t.batch, t.n, t.np, t.grid, t.grad = batch, n, np, append(t.grid[:0], grid...), grad
	W, L := m.cfg.Width, m.cfg.Layers
	t.in = grow(t.in, batch*n*(m.In+m.Dim))
	t.lifted = grow(t.lifted, batch*n*W)
	if len(t.z) != L+1 {
		t.z = make([][]float64, L+1)
		t.dact = make([][]float64, L-1)
	}
	t.crop = grow(t.crop, batch*n*W)
	t.q = grow(t.q, batch*n*m.cfg.ProjWidth)
	t.out = grow(t.out, batch*n*m.Out)
	if !grad {
		t.z[0] = grow(t.z[0], batch*np*W)
		t.z[1] = grow(t.z[1], batch*np*W)
		return
	}
	for l := range t.z {
		t.z[l] = grow(t.z[l], batch*np*W)
	}
	for l := range t.dact {
		t.dact[l] = grow(t.dact[l], batch*np*W)
	}
	t.dq = grow(t.dq, batch*n*m.cfg.ProjWidth)
	t.g = grow(t.g, batch*np*W)
	t.gs = grow(t.gs, batch*np*W)
	t.gcrop = grow(t.gcrop, batch*n*W)
	t.gq = grow(t.gq, batch*n*m.cfg.ProjWidth)
}

// block returns the input of Fourier block l (l = Layers: the last
// block's output) in the tape.
func (t *tape) block(l int) []float64 {
	if !t.grad {
		return t.z[l%2]
	}
	return t.z[l]
}

// gelu applies the GELU to x in place and keeps its derivative in d when
// the tape is kept for the backward pass; a forward-only pass computes
// the values alone (d is not used).
func (t *tape) gelu(x, d []float64) {
	if t.grad {
		nn.GELUDeriv(x, d, x)
		return
	}
	nn.GELUValues(x, x)
}

// forward runs the network on the batch of encoded inputs a (batch × grid
// × In), with coordinates coords[d] of axis d, and returns the encoded
// outputs (batch × grid × Out), a slice of the tape valid until the next
// call. With grad set it keeps the tape for backward; without, it is a
// forward pass alone (evaluation), in about a third of the memory.
func (m *Model) forward(a []float64, batch int, grid []int, coords [][]float64, grad bool) []float64 {
	m.prepare(batch, grid, grad)
	t := &m.t
	W, P, ci := m.cfg.Width, m.cfg.Padding, m.In+m.Dim
	for p := range batch * t.n {
		row := t.in[p*ci : (p+1)*ci]
		copy(row, a[p*m.In:(p+1)*m.In])
		j := p % t.n
		if m.Dim == 1 {
			row[m.In] = coords[0][j]
		} else {
			row[m.In] = coords[0][j/grid[1]]
			row[m.In+1] = coords[1][j%grid[1]]
		}
	}
	m.lift.forward(t.lifted, t.in, batch*t.n, false)
	pad(t.block(0), t.lifted, batch, grid, P, W)
	for l := range m.cfg.Layers {
		z, next := t.block(l), t.block(l+1)
		if m.Dim == 1 {
			m.spec1[l].Forward(next, z, batch, grid[0]+P)
		} else {
			m.spec2[l].Forward(next, z, batch, grid[0]+P, grid[1]+P)
		}
		m.skip[l].forward(next, z, batch*t.np, true)
		if l < m.cfg.Layers-1 {
			t.gelu(next, t.dact[l])
		}
	}
	crop(t.crop, t.block(m.cfg.Layers), batch, grid, P, W)
	m.proj1.forward(t.q, t.crop, batch*t.n, false)
	t.gelu(t.q, t.dq)
	m.proj2.forward(t.out, t.q, batch*t.n, false)
	return t.out
}

// backward takes the gradient of the loss with respect to forward's
// output and adds the parameter gradients to each Param's Grad. The last
// forward pass must have kept the tape (grad set).
func (m *Model) backward(gout []float64) {
	t := &m.t
	if !t.grad {
		panic("fno: backward after a forward-only pass")
	}
	W, P, L := m.cfg.Width, m.cfg.Padding, m.cfg.Layers
	batch, grid := t.batch, t.grid
	gq := t.gq
	m.proj2.backward(gq, t.q, gout, batch*t.n, false)
	for i, d := range t.dq {
		gq[i] *= d
	}
	m.proj1.backward(t.gcrop, t.crop, gq, batch*t.n, false)
	pad(t.g, t.gcrop, batch, grid, P, W)
	for l := L - 1; l >= 0; l-- {
		if l < L-1 {
			for i, d := range t.dact[l] {
				t.g[i] *= d
			}
		}
		if m.Dim == 1 {
			m.spec1[l].Backward(t.gs, t.g, batch)
		} else {
			m.spec2[l].Backward(t.gs, t.g, batch)
		}
		m.skip[l].backward(t.gs, t.z[l], t.g, batch*t.np, true)
		t.g, t.gs = t.gs, t.g
	}
	crop(t.gcrop, t.g, batch, grid, P, W)
	m.lift.backward(nil, t.in, t.gcrop, batch*t.n, false)
}

// pad copies x (batch × grid × C) into y (batch × (grid+p) × C), zero in
// the appended points.
func pad(y, x []float64, batch int, grid []int, p, C int) {
	if p == 0 {
		copy(y, x)
		return
	}
	clear(y)
	if len(grid) == 1 {
		n := grid[0]
		for b := range batch {
			copy(y[b*(n+p)*C:], x[b*n*C:(b+1)*n*C])
		}
		return
	}
	n1, n2 := grid[0], grid[1]
	for b := range batch {
		for s := range n1 {
			copy(y[((b*(n1+p)+s)*(n2+p))*C:], x[((b*n1+s)*n2)*C:((b*n1+s)*n2+n2)*C])
		}
	}
}

// crop is the adjoint of pad (and its left inverse).
func crop(x, y []float64, batch int, grid []int, p, C int) {
	if p == 0 {
		copy(x, y)
		return
	}
	if len(grid) == 1 {
		n := grid[0]
		for b := range batch {
			copy(x[b*n*C:(b+1)*n*C], y[b*(n+p)*C:])
		}
		return
	}
	n1, n2 := grid[0], grid[1]
	for b := range batch {
		for s := range n1 {
			copy(x[((b*n1+s)*n2)*C:((b*n1+s)*n2+n2)*C], y[((b*(n1+p)+s)*(n2+p))*C:])
		}
	}
}
