package deeponet

import (
	"fmt"
	"math"

	"github.com/neuralpde/neuralpde/nn"
	"github.com/neuralpde/neuralpde/train"
)

// groupedForward writes, for nr points y (nr × Dim) each belonging to
// function fidx[r] of the nf functions u, G(u_{fidx[r]})(y_r)_c at
// dst[r·C + c]: the unaligned layout, with each function's branch evaluated
// once.
func (p *pass) groupedForward(dst, u []float64, nf int, y []float64, nr int, fidx []int) error {
	md := p.md
	C, pb := md.Outputs, md.Basis
	P := pb * C
	b, err := p.branchForward(u, nf)
	if err != nil {
		return err
	}
	t := p.trunk.forward(y, nr)
	p.setPhi(y, nr)
	for r := range nr {
		br, tr := b[fidx[r]*P:], t[r*P:]
		for c := range C {
			v := md.biasOf(c)
			for k := c * pb; k < (c+1)*pb; k++ {
				v += br[k] * tr[k]
			}
			s, mu := md.outScale(c)
			dst[r*C+c] = s*v + mu
			if p.phi != nil {
				dst[r*C+c] *= p.phi[r]
			}
		}
	}
	return nil
}

// groupedBackward back-propagates dOut (nr × C) of the last
// groupedForward. The trunk's output adjoint is left in p.gt for callers
// that add tangent adjoints.
func (p *pass) groupedBackward(dOut []float64, nf, nr int, fidx []int) error {
	p.groupedAdjoints(dOut, nf, nr, fidx)
	p.trunk.backward(p.gt, nil, nil)
	return p.branchBackward(p.gb, nf)
}

// groupedAdjoints fills p.gb and p.gt from dOut and adds the bias
// gradient.
func (p *pass) groupedAdjoints(dOut []float64, nf, nr int, fidx []int) {
	md := p.md
	C, pb := md.Outputs, md.Basis
	P := pb * C
	p.gb = grow(p.gb, nf*P)
	clear(p.gb)
	p.gt = grow(p.gt, nr*P)
	b, t := p.b, p.trunk.out
	for r := range nr {
		br, tr := b[fidx[r]*P:(fidx[r]+1)*P], t[r*P:(r+1)*P]
		gbr, gtr := p.gb[fidx[r]*P:(fidx[r]+1)*P], p.gt[r*P:(r+1)*P]
		for c := range C {
			s, _ := md.outScale(c)
			g := s * dOut[r*C+c]
			if p.phi != nil {
				g *= p.phi[r]
			}
			if md.bias != nil {
				md.bias.Grad[c] += g
			}
			for k := c * pb; k < (c+1)*pb; k++ {
				gbr[k] += g * tr[k]
				gtr[k] = g * br[k]
			}
		}
	}
}

// lossOf returns the loss of out against target and writes its derivative
// into dOut (nil: not wanted). Relative L2 is the mean over groups of group
// values of ‖out − target‖/‖target‖.
func lossOf(kind string, dOut, out, target []float64, group int) float64 {
	n := len(out)
	if kind == "mse" {
		s := 0.0
		for i, o := range out {
			e := o - target[i]
			s += e * e
			if dOut != nil {
				dOut[i] = 2 * e / float64(n)
			}
		}
		return s / float64(n)
	}
	groups := n / group
	total := 0.0
	for g := range groups {
		o, t := out[g*group:(g+1)*group], target[g*group:(g+1)*group]
		var ee, tt float64
		for i := range o {
			e := o[i] - t[i]
			ee += e * e
			tt += t[i] * t[i]
		}
		ne, nt := math.Sqrt(ee), math.Sqrt(tt)
		if nt == 0 {
			nt = 1
		}
		total += ne / nt
		if dOut == nil {
			continue
		}
		d := dOut[g*group : (g+1)*group]
		for i := range o {
			if ne > 0 {
				d[i] = (o[i] - t[i]) / (ne * nt * float64(groups))
			} else {
				d[i] = 0
			}
		}
	}
	return total / float64(groups)
}

// Data is the data-driven DeepONet objective on functions sampled at the
// sensors and their outputs on a grid of query points. Aligned, a sample is
// a function with its whole output grid and a batch costs one trunk
// evaluation of the grid shared by all its functions (the Cartesian-product
// formulation, Lu et al. 2022, §3.1.2): G = B·Tᵀ is one matrix product.
// Unaligned, a sample is a triple (u, y, G(u)(y)). It satisfies
// train.Objective.
type Data struct {
	md      *Model
	loss    string
	m, d, C int
	u       []float64 // functions × m
	y       []float64 // points × d
	target  []float64 // functions × points × C
	nf, ny  int
	// Unaligned: triple r is (function tf[r], point ty[r]).
	tf, ty []int

	pass              *pass
	ub, yb, tb, out   []float64
	dout              []float64
	fidx, local, seen []int
	all               []int
}

var _ train.LossEvaluator = (*Data)(nil)

// NewData returns the objective of md on nf functions u (nf × Sensors), ny
// points y (ny × Dim) and targets (nf × ny × Outputs). loss is "mse" or
// "rel-l2". triples nil means the aligned layout; otherwise each pair
// (functions[r], points[r]) of triples is a training sample.
func NewData(md *Model, loss string, u, y, target []float64, triples [][2]int) (*Data, error) {
	m, d, C := md.Sensors, md.Dim, md.Outputs
	if len(u) == 0 || len(u)%m != 0 || len(y) == 0 || len(y)%d != 0 {
		return nil, fmt.Errorf("deeponet: %d input and %d point values do not fit %d sensors and %d trunk inputs", len(u), len(y), m, d)
	}
	nf, ny := len(u)/m, len(y)/d
	if len(target) != nf*ny*C {
		return nil, fmt.Errorf("deeponet: %d targets for %d functions × %d points × %d components", len(target), nf, ny, C)
	}
	if loss != "mse" && loss != "rel-l2" {
		return nil, fmt.Errorf("deeponet: loss %q; use mse or rel-l2", loss)
	}
	for _, a := range [][]float64{u, y, target} {
		for _, v := range a {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("deeponet: the training data hold a non-finite value; clean the dataset")
			}
		}
	}
	o := &Data{md: md, loss: loss, m: m, d: d, C: C, u: u, y: y, target: target, nf: nf, ny: ny, pass: md.newPass(nil, nil)}
	for _, t := range triples {
		if t[0] < 0 || t[0] >= nf || t[1] < 0 || t[1] >= ny {
			return nil, fmt.Errorf("deeponet: triple (%d, %d) outside %d functions × %d points", t[0], t[1], nf, ny)
		}
		o.tf, o.ty = append(o.tf, t[0]), append(o.ty, t[1])
	}
	if triples != nil && len(o.tf) == 0 {
		return nil, fmt.Errorf("deeponet: the unaligned layout needs at least one triple")
	}
	return o, nil
}

// Params returns the model's parameters.
func (o *Data) Params() []*nn.Param { return o.md.params }

// NumSamples is the number of functions (aligned) or triples (unaligned).
func (o *Data) NumSamples() int {
	if o.tf != nil {
		return len(o.tf)
	}
	return o.nf
}

// Loss evaluates the loss on batch (nil: all samples) and fills every
// parameter's Grad.
func (o *Data) Loss(batch []int) (float64, error) { return o.eval(batch, true) }

// LossOnly evaluates the loss on batch (nil: all samples) by the forward
// pass alone, every parameter's Grad left as it is. It makes Data a
// train.LossEvaluator.
func (o *Data) LossOnly(batch []int) (float64, error) { return o.eval(batch, false) }

// eval evaluates the loss on batch and, when grad is set, its gradient.
func (o *Data) eval(batch []int, grad bool) (float64, error) {
	if grad {
		for _, p := range o.md.params {
			clear(p.Grad)
		}
	}
	n := o.NumSamples()
	if batch == nil {
		if len(o.all) != n {
			o.all = make([]int, n)
			for i := range n {
				o.all[i] = i
			}
		}
		batch = o.all
	}
	for _, i := range batch {
		if i < 0 || i >= n {
			return 0, fmt.Errorf("deeponet: sample %d outside 0…%d", i, n-1)
		}
	}
	if o.tf != nil {
		return o.unaligned(batch, grad)
	}
	nb, m, row := len(batch), o.m, o.ny*o.C
	o.ub, o.tb = grow(o.ub, nb*m), grow(o.tb, nb*row)
	for k, i := range batch {
		copy(o.ub[k*m:(k+1)*m], o.u[i*m:(i+1)*m])
		copy(o.tb[k*row:(k+1)*row], o.target[i*row:(i+1)*row])
	}
	o.out = grow(o.out, nb*row)
	if err := o.pass.alignedForward(o.out, o.ub, nb, o.y, o.ny); err != nil {
		return 0, err
	}
	if !grad {
		return lossOf(o.loss, nil, o.out, o.tb, row), nil
	}
	o.dout = grow(o.dout, nb*row)
	loss := lossOf(o.loss, o.dout, o.out, o.tb, row)
	if err := o.pass.alignedBackward(o.dout, nb, o.ny); err != nil {
		return 0, err
	}
	return loss, nil
}

// unaligned evaluates a batch of triples, and the gradient when grad is
// set: the batch's distinct functions go through the branch once each.
func (o *Data) unaligned(batch []int, grad bool) (float64, error) {
	nr, m, d, C := len(batch), o.m, o.d, o.C
	if len(o.local) != o.nf {
		o.local = make([]int, o.nf)
		for i := range o.local {
			o.local[i] = -1
		}
	}
	o.seen = o.seen[:0]
	o.fidx = growInts(o.fidx, nr)
	o.yb, o.tb = grow(o.yb, nr*d), grow(o.tb, nr*C)
	o.ub = o.ub[:0]
	for r, i := range batch {
		f := o.tf[i]
		if o.local[f] < 0 {
			o.local[f] = len(o.seen)
			o.seen = append(o.seen, f)
			o.ub = append(o.ub, o.u[f*m:(f+1)*m]...)
		}
		o.fidx[r] = o.local[f]
		p := o.ty[i]
		copy(o.yb[r*d:(r+1)*d], o.y[p*d:(p+1)*d])
		copy(o.tb[r*C:(r+1)*C], o.target[(f*o.ny+p)*C:(f*o.ny+p+1)*C])
	}
	for _, f := range o.seen {
		o.local[f] = -1
	}
	nf := len(o.seen)
	o.out = grow(o.out, nr*C)
	if err := o.pass.groupedForward(o.out, o.ub, nf, o.yb, nr, o.fidx); err != nil {
		return 0, err
	}
	if !grad {
		return lossOf(o.loss, nil, o.out, o.tb, nr*C), nil
	}
	o.dout = grow(o.dout, nr*C)
	loss := lossOf(o.loss, o.dout, o.out, o.tb, nr*C)
	if err := o.pass.groupedBackward(o.dout, nf, nr, o.fidx); err != nil {
		return 0, err
	}
	return loss, nil
}

func growInts(s []int, n int) []int {
	if cap(s) < n {
		return make([]int, n)
	}
	return s[:n]
}
