package nsm

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/neuralpde/neuralpde/nn"
)

// GridFNO is the grid-space baseline of the comparison: a Fourier neural
// operator (Li et al., "Fourier Neural Operator for Parametric Partial
// Differential Equations", ICLR 2021) on an n×n grid, built from
// nn.SpectralConv2D with the same width, number of layers and modes as
// the neural spectral model it is compared with:
//
//	h₀ = lift(a)   h_{l+1} = σ(K_l h_l + W_l h_l + b_l)   v = P₂σ(P₁h_L + c₁) + c₂
//
// all pointwise maps acting on every grid point (channel-last B×n×n×C).
// Its weights act on Fourier modes, so it runs on any grid with at least
// twice the modes per axis (zero-shot resolution, at a cost that grows
// with the grid, unlike the spectral model's).
type GridFNO struct {
	In, Out, Width, ProjWidth, Layers, Modes1, Modes2 int

	lift, proj1, proj2 pointwise
	spec               []*nn.SpectralConv2D
	skip               []pointwise
	params             []*nn.Param

	batch, n1, n2 int
	in            []float64
	h, d          [][]float64
	q, dq, z, gz  []float64
	gh, gq        []float64
}

// pointwise is y = xW + b at every grid point.
type pointwise struct{ dense }

func (p pointwise) forward(y, x []float64, rows int) {
	gemm(y, x, p.w.Value, rows, p.in, p.out, p.in, p.out, false)
	for r := range rows {
		row := y[r*p.out : (r+1)*p.out]
		for j, v := range p.b.Value {
			row[j] += v
		}
	}
}

func (p pointwise) backward(gx, x, gy []float64, rows int) {
	gemmTN(p.w.Grad, x, gy, rows, p.in, p.out, p.in, p.out)
	for r := range rows {
		for j, v := range gy[r*p.out : (r+1)*p.out] {
			p.b.Grad[j] += v
		}
	}
	if gx != nil {
		gemmNT(gx, gy, p.w.Value, rows, p.in, p.out, p.in, p.out, false)
	}
}

// NewGridFNO returns an FNO from in to out channels with cfg's width,
// layers and projection width and modes1×modes2 Fourier modes, its
// weights drawn from rng.
func NewGridFNO(cfg *Config, in, out, modes1, modes2 int, rng *rand.Rand) (*GridFNO, error) {
	c, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if in < 1 || out < 1 || modes1 < 1 || modes2 < 1 {
		return nil, fmt.Errorf("nsm: FNO with %d→%d channels and %d×%d modes; all must be positive", in, out, modes1, modes2)
	}
	f := &GridFNO{In: in, Out: out, Width: c.Width, ProjWidth: c.ProjWidth, Layers: c.Layers, Modes1: modes1, Modes2: modes2}
	f.lift = pointwise{newDense("fno.lift", in, c.Width, rng)}
	f.params = append(f.params, f.lift.w, f.lift.b)
	for l := range c.Layers {
		s, err := nn.NewSpectralConv2D(fmt.Sprintf("fno.block%d.spectral", l), c.Width, c.Width, modes1, modes2, rng)
		if err != nil {
			return nil, err
		}
		f.spec = append(f.spec, s)
		d := pointwise{newDense(fmt.Sprintf("fno.block%d.skip", l), c.Width, c.Width, rng)}
		f.skip = append(f.skip, d)
		f.params = append(f.params, s.Re, s.Im, d.w, d.b)
	}
	f.proj1 = pointwise{newDense("fno.proj1", c.Width, c.ProjWidth, rng)}
	f.proj2 = pointwise{newDense("fno.proj2", c.ProjWidth, out, rng)}
	f.params = append(f.params, f.proj1.w, f.proj1.b, f.proj2.w, f.proj2.b)
	return f, nil
}

// Params returns the trainable parameters.
func (f *GridFNO) Params() []*nn.Param { return f.params }

// CheckGrid returns an error unless the FNO runs on an n1×n2 grid.
func (f *GridFNO) CheckGrid(n1, n2 int) error { return f.spec[0].CheckGrid(n1, n2) }

func (f *GridFNO) prepare(B, n1, n2 int) {
	f.batch, f.n1, f.n2 = B, n1, n2
	G := B * n1 * n2
	f.in = grow(f.in, G*f.In)
	if len(f.h) != f.Layers+1 {
		f.h = make([][]float64, f.Layers+1)
		f.d = make([][]float64, f.Layers)
	}
	for l := range f.h {
		f.h[l] = grow(f.h[l], G*f.Width)
	}
	for l := range f.d {
		f.d[l] = grow(f.d[l], G*f.Width)
	}
	f.q = grow(f.q, G*f.ProjWidth)
	f.dq = grow(f.dq, G*f.ProjWidth)
	f.z = grow(f.z, G*f.Width)
	f.gz = grow(f.gz, G*max(f.Width, f.ProjWidth))
	f.gh = grow(f.gh, G*f.Width)
	f.gq = grow(f.gq, G*f.ProjWidth)
}

// Forward writes the output (B×n1×n2×Out; nil allocates) for the input x
// (B×n1×n2×In) and returns it. It panics on a wrong length or a grid
// CheckGrid refuses.
func (f *GridFNO) Forward(dst, x []float64, B, n1, n2 int) []float64 {
	G := B * n1 * n2
	if len(x) != G*f.In {
		panic(fmt.Sprintf("nsm: GridFNO input of length %d, want %d×%d×%d×%d", len(x), B, n1, n2, f.In))
	}
	if dst == nil {
		dst = make([]float64, G*f.Out)
	}
	f.prepare(B, n1, n2)
	copy(f.in, x)
	f.lift.forward(f.h[0], x, G)
	for l := range f.Layers {
		f.spec[l].Forward(f.z, f.h[l], B, n1, n2)
		zs := f.h[l+1]
		f.skip[l].forward(zs, f.h[l], G)
		for i := range zs {
			zs[i] += f.z[i]
		}
		geluSerial(zs, f.d[l])
	}
	f.proj1.forward(f.q, f.h[f.Layers], G)
	geluSerial(f.q, f.dq)
	f.proj2.forward(dst, f.q, G)
	return dst
}

// Backward takes the gradient of a loss with respect to the last
// Forward's output and adds the parameter gradients to their Grad.
func (f *GridFNO) Backward(gout []float64) {
	G := f.batch * f.n1 * f.n2
	if len(gout) != G*f.Out {
		panic(fmt.Sprintf("nsm: GridFNO.Backward gradient of length %d, want %d", len(gout), G*f.Out))
	}
	f.proj2.backward(f.gq, f.q, gout, G)
	for i := range f.gq {
		f.gq[i] *= f.dq[i]
	}
	f.proj1.backward(f.gh, f.h[f.Layers], f.gq, G)
	gz := f.gz[:G*f.Width]
	for l := f.Layers - 1; l >= 0; l-- {
		for i := range gz {
			gz[i] = f.gh[i] * f.d[l][i]
		}
		f.skip[l].backward(f.gh, f.h[l], gz, G)
		// The spectral layer's input gradient is added to the skip's.
		gs := f.spec[l].Backward(f.z, gz, f.batch)
		for i, v := range gs {
			f.gh[i] += v
		}
	}
	f.lift.backward(nil, f.in, f.gh, G)
}

// geluSerial sets x to GELU(x) and d to GELU′(x) (d nil: the values
// only, nn.GELUValues) in chunks that keep nn's kernels on the calling
// goroutine, so that the spectral model and its grid FNO baseline each run
// on one core and their wall times compare.
func geluSerial(x, d []float64) {
	for lo := 0; lo < len(x); lo += geluChunk {
		hi := min(lo+geluChunk, len(x))
		if d == nil {
			nn.GELUValues(x[lo:hi], x[lo:hi])
		} else {
			nn.GELUDeriv(x[lo:hi], d[lo:hi], x[lo:hi])
		}
	}
}

// relL2Grad returns ‖u − ref‖/‖ref‖ and writes its gradient with respect
// to u, times scale, into g.
func relL2Grad(g, u, ref []float64, scale float64) float64 {
	var num, den float64
	for i, r := range ref {
		d := u[i] - r
		num += d * d
		den += r * r
	}
	e := math.Sqrt(num / den)
	if e == 0 {
		clear(g)
		return 0
	}
	for i, r := range ref {
		g[i] = scale * (u[i] - r) / (e * den)
	}
	return e
}
