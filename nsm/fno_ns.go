package nsm

import (
	"github.com/neuralpde/neuralpde/nn"
	"github.com/neuralpde/neuralpde/operators"
	"github.com/neuralpde/neuralpde/train"
)

// NSFNOObjective is the train.Objective of a GridFNO on a NavierStokes
// problem on the n×n periodic grid: inputs ω₀, x, y; outputs v at the
// Times snapshots, ω(t_k) = ω₀ + t_k·v_k (the initial condition built in
// by the same lifting as the spectral model). The loss is FNOData (mean
// relative L2 error over all snapshots against the classical solver) or
// FNOResidual: the mean over the grid and the snapshots of the squared
// residual ω_t + u·∇ω − νΔω − f, with u, ∇ω and Δω spectral on the grid
// (FFT, Nyquist modes dropped) and ω_t by second-order differences
// between the snapshots (central, one-sided at T, with ω(0) = ω₀), the
// physics-informed loss of PINO (Li et al. 2021) on this grid.
type NSFNOObjective struct {
	f        *GridFNO
	p        *NavierStokes
	n, count int
	loss     string
	x        []float64 // count × n × n × 3: ω₀, x, y
	ref      []float64 // count × n × n × Times, for FNOData and errors
	ts       []float64

	fft *operators.Fourier2D
	// Multipliers on the n × (n/2+1) half spectrum, Nyquist modes zero:
	// im[f]·i maps ω̂ to field f = u, v, ω_x, ω_y (u = ∂_y ψ, v = −∂_x ψ,
	// −Δψ = ω); visc maps ω̂ to −νΔω.
	im         [4][]float64
	visc       []float64
	bx, v, gv  []float64
	u, gu      []float64
	w, gw      []float64 // one sample's (Times+1) × n × n levels and their gradients
	fields     [5][]float64
	chat, dhat []complex128
	force      []float64
}

var _ train.Objective = (*NSFNOObjective)(nil)

// NewNSFNOObjective returns the objective of f on count inputs of p's
// stream seeded by seed at resolution n. The classical references are
// solved here when the loss is FNOData or withRef is set.
func NewNSFNOObjective(f *GridFNO, p *NavierStokes, loss string, n, count int, seed uint64, withRef bool) (*NSFNOObjective, error) {
	if err := checkFNOObjective(f, loss, n, count, p.Times, "Navier–Stokes", "ω₀, x, y"); err != nil {
		return nil, err
	}
	T, G := p.Times, n*n
	o := &NSFNOObjective{f: f, p: p, n: n, count: count, loss: loss, x: make([]float64, count*G*3), ts: p.SnapshotTimes()}
	xs, ys := p.Grid(n)
	M := p.basis.Len()
	a := make([]float64, 2*M)
	w0 := make([]float64, G)
	var ref []float64
	if loss == FNOData || withRef {
		o.ref = make([]float64, count*G*T)
		ref = make([]float64, T*G)
	}
	for s := range count {
		p.Input(a, seed, s)
		p.basis.Inverse(w0, p.initial(a), n, n)
		for q := range G {
			k := (s*G + q) * 3
			o.x[k], o.x[k+1], o.x[k+2] = w0[q], xs[q/n], ys[q%n]
		}
		if ref != nil {
			if err := p.Reference(ref, a, n); err != nil {
				return nil, err
			}
			for k := range T {
				for q := range G {
					o.ref[(s*G+q)*T+k] = ref[k*G+q]
				}
			}
		}
	}
	o.fft = operators.NewFourier2D(n, n, 1, 1)
	nx, my := o.fft.ModeDims()
	for f := range o.im {
		o.im[f] = make([]float64, nx*my)
	}
	o.visc = make([]float64, nx*my)
	for pi := range nx {
		for q := range my {
			i := pi*my + q
			if pi == n/2 || q == n/2 {
				continue // Nyquist modes dropped: every multiplier is then Hermitian.
			}
			kx, ky := o.fft.WavenumberX(pi), o.fft.WavenumberY(q)
			k2 := kx*kx + ky*ky
			if k2 != 0 {
				o.im[0][i], o.im[1][i] = ky/k2, -kx/k2
			}
			o.im[2][i], o.im[3][i] = kx, ky
			o.visc[i] = p.Nu * k2
		}
	}
	o.force = make([]float64, G)
	for q := range G {
		o.force[q] = p.preset.Source(xs[q/n], ys[q%n])
	}
	return o, nil
}

// Params implements train.Objective.
func (o *NSFNOObjective) Params() []*nn.Param { return o.f.params }

// NumSamples implements train.Objective.
func (o *NSFNOObjective) NumSamples() int { return o.count }

// predict runs the FNO on batch and writes ω = ω₀ + t·v into o.u
// (B × n × n × Times).
func (o *NSFNOObjective) predict(batch []int) {
	G, T := o.n*o.n, o.p.Times
	B := len(batch)
	o.bx = grow(o.bx, B*G*3)
	o.v = grow(o.v, B*G*T)
	o.u = grow(o.u, B*G*T)
	for b, s := range batch {
		copy(o.bx[b*G*3:(b+1)*G*3], o.x[s*G*3:(s+1)*G*3])
	}
	o.f.Forward(o.v, o.bx, B, o.n, o.n)
	for i := range o.u {
		o.u[i] = o.bx[3*(i/T)] + o.ts[i%T]*o.v[i]
	}
}

// Loss implements train.Objective.
func (o *NSFNOObjective) Loss(batch []int) (float64, error) {
	return blockLoss(o.f, batch, o.count, o.lossBlock), nil
}

// lossBlock adds the gradient of the block's share of the mean loss over
// N samples to the parameters' Grad and returns that share.
func (o *NSFNOObjective) lossBlock(batch []int, N float64) float64 {
	o.predict(batch)
	G, T, B := o.n*o.n, o.p.Times, len(batch)
	S := G * T
	o.gu = grow(o.gu, B*S)
	o.gv = grow(o.gv, B*S)
	var loss float64
	for b, s := range batch {
		if o.loss == FNOData {
			loss += relL2Grad(o.gu[b*S:(b+1)*S], o.u[b*S:(b+1)*S], o.ref[s*S:(s+1)*S], 1/N)
		} else {
			loss += o.residual(o.gu[b*S:(b+1)*S], o.u[b*S:(b+1)*S], o.x[s*G*3:(s+1)*G*3], 1/N)
		}
	}
	for i, g := range o.gu {
		o.gv[i] = o.ts[i%T] * g
	}
	o.f.Backward(o.gv)
	return loss / N
}

// residual returns the mean over the grid and snapshots of the squared
// residual of one sample u (n × n × Times) with initial values from x
// (n × n × 3), and writes its gradient times scale into gu.
func (o *NSFNOObjective) residual(gu, u, x []float64, scale float64) float64 {
	p := o.p
	G, T := o.n*o.n, p.Times
	h := o.ts[0] // the snapshots are uniform: t_k = (k+1)h
	o.w = grow(o.w, (T+1)*G)
	o.gw = grow(o.gw, (T+1)*G)
	for i := range o.fields {
		o.fields[i] = grow(o.fields[i], G)
	}
	nx, my := o.fft.ModeDims()
	if len(o.chat) != nx*my {
		o.chat, o.dhat = make([]complex128, nx*my), make([]complex128, nx*my)
	}
	for q := range G {
		o.w[q] = x[3*q]
		for k := range T {
			o.w[(k+1)*G+q] = u[q*T+k]
		}
	}
	clear(o.gw)
	level := func(k int) []float64 { return o.w[k*G : (k+1)*G] }
	glevel := func(k int) []float64 { return o.gw[k*G : (k+1)*G] }
	// Differences of the levels: ω_t at level k as Σ c_j ω_{k+j}.
	stencil := func(k int) (offs []int, c []float64) {
		if k < T {
			return []int{-1, 1}, []float64{-1 / (2 * h), 1 / (2 * h)}
		}
		return []int{-2, -1, 0}, []float64{1 / (2 * h), -4 / (2 * h), 3 / (2 * h)}
	}
	norm := 1 / float64(G*T)
	var sum float64
	uu, vv, wx, wy, r := o.fields[0], o.fields[1], o.fields[2], o.fields[3], o.fields[4] // u, v, ω_x, ω_y, residual
	for k := 1; k <= T; k++ {
		o.fft.Forward(o.chat, level(k))
		for f := range o.im {
			for i, c := range o.chat {
				o.dhat[i] = complex(0, o.im[f][i]) * c
			}
			o.fft.Inverse(o.fields[f], o.dhat)
		}
		for i, c := range o.chat {
			o.dhat[i] = complex(o.visc[i], 0) * c
		}
		o.fft.Inverse(r, o.dhat)
		offs, cs := stencil(k)
		for q := range r {
			var wt float64
			for j, off := range offs {
				wt += cs[j] * o.w[(k+off)*G+q]
			}
			r[q] += wt + uu[q]*wx[q] + vv[q]*wy[q] - o.force[q]
			sum += r[q] * r[q]
		}
		// Gradient: g = 2·norm·scale·r; time stencil; then the spectral
		// terms through their adjoints (conjugate multipliers).
		g := 2 * norm * scale
		for q := range r {
			r[q] *= g
		}
		for j, off := range offs {
			if k+off == 0 {
				continue // ω(0) = ω₀ is fixed.
			}
			gl := glevel(k + off)
			for q, v := range r {
				gl[q] += cs[j] * v
			}
		}
		// ∂/∂u = r ω_x, ∂/∂ω_x = r u (and likewise for v, ω_y): products
		// in place.
		for q, v := range r {
			uu[q], wx[q] = v*wx[q], v*uu[q]
			vv[q], wy[q] = v*wy[q], v*vv[q]
		}
		gl := glevel(k)
		// Adjoints of the multipliers: the conjugates (−νΔ is symmetric,
		// i·m becomes −i·m).
		o.fft.Forward(o.chat, r)
		acc := o.dhat
		for i, c := range o.chat {
			acc[i] = complex(o.visc[i], 0) * c
		}
		for f := range o.im {
			o.fft.Forward(o.chat, o.fields[f])
			for i, c := range o.chat {
				acc[i] += complex(0, -o.im[f][i]) * c
			}
		}
		o.fft.Inverse(r, acc)
		for q, v := range r {
			gl[q] += v
		}
	}
	for q := range G {
		for k := range T {
			gu[q*T+k] = o.gw[(k+1)*G+q]
		}
	}
	return sum * norm
}

// RelL2 returns the mean relative L2 error of the FNO's solutions against
// the references (which NewNSFNOObjective must have solved).
func (o *NSFNOObjective) RelL2() float64 {
	return meanRelL2(o.count, o.n*o.n, o.n*o.n*o.p.Times, func(idx []int) []float64 { o.predict(idx); return o.u }, o.ref)
}
