package nsm

import (
	"github.com/neuralpde/neuralpde/nn"
	"github.com/neuralpde/neuralpde/operators"
	"github.com/neuralpde/neuralpde/train"
)

// PoissonFNOObjective is the train.Objective of a GridFNO on periodic
// Poisson on the n×n grid: inputs f, x, y; output u with its mean removed
// (the zero-mean condition built in, as the spectral model discards its
// constant coefficient). The loss is FNOData (relative L2 error against
// the FFT solve) or FNOResidual: the mean over the grid of (−Δu − f)², −Δ
// by FFT on the grid (Nyquist modes dropped), the physics-informed loss
// of PINO (Li et al. 2021) on this grid.
type PoissonFNOObjective struct {
	f        *GridFNO
	p        *Poisson2D
	n, count int
	loss     string
	x        []float64 // count × n × n × 3: f, x, y
	ref      []float64 // count × n × n

	fft        *operators.Fourier2D
	lap        []float64 // |k|² on the half spectrum, 0 at Nyquist
	bx, u, gu  []float64
	r          []float64
	chat, dhat []complex128
}

var _ train.Objective = (*PoissonFNOObjective)(nil)

// NewPoissonFNOObjective returns the objective of f on count inputs of
// p's stream seeded by seed at resolution n. The references are solved
// here when the loss is FNOData or withRef is set.
func NewPoissonFNOObjective(f *GridFNO, p *Poisson2D, loss string, n, count int, seed uint64, withRef bool) (*PoissonFNOObjective, error) {
	if err := checkFNOObjective(f, loss, n, count, 1, "Poisson", "f, x, y"); err != nil {
		return nil, err
	}
	G := n * n
	o := &PoissonFNOObjective{f: f, p: p, n: n, count: count, loss: loss, x: make([]float64, count*G*3)}
	xs, ys := p.Grid(n)
	a := make([]float64, p.basis.Len())
	fg := make([]float64, G)
	if loss == FNOData || withRef {
		o.ref = make([]float64, count*G)
	}
	for s := range count {
		p.Input(a, seed, s)
		p.basis.Inverse(fg, a, n, n)
		for q := range G {
			k := (s*G + q) * 3
			o.x[k], o.x[k+1], o.x[k+2] = fg[q], xs[q/n], ys[q%n]
		}
		if o.ref != nil {
			if err := p.Reference(o.ref[s*G:(s+1)*G], a, n); err != nil {
				return nil, err
			}
		}
	}
	o.fft = operators.NewFourier2D(n, n, 1, 1)
	nx, my := o.fft.ModeDims()
	o.lap = make([]float64, nx*my)
	for pi := range nx {
		for q := range my {
			if pi == n/2 || q == n/2 {
				continue
			}
			kx, ky := o.fft.WavenumberX(pi), o.fft.WavenumberY(q)
			o.lap[pi*my+q] = kx*kx + ky*ky
		}
	}
	o.chat, o.dhat = make([]complex128, nx*my), make([]complex128, nx*my)
	return o, nil
}

// Params implements train.Objective.
func (o *PoissonFNOObjective) Params() []*nn.Param { return o.f.params }

// NumSamples implements train.Objective.
func (o *PoissonFNOObjective) NumSamples() int { return o.count }

// predict runs the FNO on batch and writes u = v − mean(v) into o.u.
func (o *PoissonFNOObjective) predict(batch []int) {
	G := o.n * o.n
	B := len(batch)
	o.bx = grow(o.bx, B*G*3)
	o.u = grow(o.u, B*G)
	for b, s := range batch {
		copy(o.bx[b*G*3:(b+1)*G*3], o.x[s*G*3:(s+1)*G*3])
	}
	o.f.Forward(o.u, o.bx, B, o.n, o.n)
	for b := range B {
		removeMean(o.u[b*G : (b+1)*G])
	}
}

// removeMean subtracts the mean of v from v (it is also its own adjoint).
func removeMean(v []float64) {
	var m float64
	for _, x := range v {
		m += x
	}
	m /= float64(len(v))
	for i := range v {
		v[i] -= m
	}
}

// Loss implements train.Objective.
func (o *PoissonFNOObjective) Loss(batch []int) (float64, error) {
	return blockLoss(o.f, batch, o.count, o.lossBlock), nil
}

// lossBlock adds the gradient of the block's share of the mean loss over
// N samples to the parameters' Grad and returns that share.
func (o *PoissonFNOObjective) lossBlock(batch []int, N float64) float64 {
	o.predict(batch)
	G, B := o.n*o.n, len(batch)
	o.gu = grow(o.gu, B*G)
	var loss float64
	for b, s := range batch {
		gu, u := o.gu[b*G:(b+1)*G], o.u[b*G:(b+1)*G]
		if o.loss == FNOData {
			loss += relL2Grad(gu, u, o.ref[s*G:(s+1)*G], 1/N)
		} else {
			loss += o.residual(gu, u, o.x[s*G*3:(s+1)*G*3], 1/N)
		}
		removeMean(gu)
	}
	o.f.Backward(o.gu)
	return loss / N
}

// residual returns the grid mean of (−Δu − f)² for one sample and writes
// its gradient times scale into gu: 2/G·(−Δ)r, −Δ being symmetric.
func (o *PoissonFNOObjective) residual(gu, u, x []float64, scale float64) float64 {
	G := o.n * o.n
	o.r = grow(o.r, G)
	apply := func(dst, src []float64) {
		o.fft.Forward(o.chat, src)
		for i, c := range o.chat {
			o.dhat[i] = complex(o.lap[i], 0) * c
		}
		o.fft.Inverse(dst, o.dhat)
	}
	apply(o.r, u)
	var sum float64
	for q := range o.r {
		o.r[q] -= x[3*q]
		sum += o.r[q] * o.r[q]
		o.r[q] *= 2 * scale / float64(G)
	}
	apply(gu, o.r)
	return sum / float64(G)
}

// RelL2 returns the mean relative L2 error of the FNO's solutions against
// the references (which NewPoissonFNOObjective must have solved).
func (o *PoissonFNOObjective) RelL2() float64 {
	return meanRelL2(o.count, o.n*o.n, o.n*o.n, func(idx []int) []float64 { o.predict(idx); return o.u }, o.ref)
}
