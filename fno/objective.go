package fno

import (
	"errors"
	"fmt"
	"math"

	"github.com/neuralpde/neuralpde/nn"
	"github.com/neuralpde/neuralpde/train"
)

// Objective is the mean relative L2 (or H1) error of a Model's decoded
// predictions against a set of samples: the train.Objective of FNO
// training (Li et al. 2021, §5: the relative L2 loss).
type Objective struct {
	m          *Model
	s          *Samples
	inN, outN  Normalizer
	h1         bool
	a, y, gout []float64
}

var _ train.Objective = (*Objective)(nil)

// NewObjective returns the objective of m on s with normalisers inN and
// outN and the loss "l2" or "h1".
func NewObjective(m *Model, s *Samples, inN, outN Normalizer, loss string) (*Objective, error) {
	if s.In != m.In || s.Out != m.Out || len(s.Grid) != m.Dim {
		return nil, fmt.Errorf("fno: samples with %d→%d channels on a %d-D grid for a %d→%d-channel %d-D model", s.In, s.Out, len(s.Grid), m.In, m.Out, m.Dim)
	}
	if err := m.CheckGrid(s.Grid); err != nil {
		return nil, err
	}
	if loss != "l2" && loss != "h1" {
		return nil, fmt.Errorf("fno: unknown loss %q; use l2 or h1", loss)
	}
	return &Objective{m: m, s: s, inN: inN, outN: outN, h1: loss == "h1"}, nil
}

// Params implements train.Objective.
func (o *Objective) Params() []*nn.Param { return o.m.params }

// NumSamples implements train.Objective.
func (o *Objective) NumSamples() int { return o.s.N }

// Loss implements train.Objective: the mean over batch (nil: all samples,
// in blocks) of the relative error, with its gradient in every Param.Grad.
func (o *Objective) Loss(batch []int) (float64, error) {
	for _, p := range o.m.params {
		clear(p.Grad)
	}
	if batch == nil {
		return o.blocks(true)
	}
	return o.step(batch, true, float64(len(batch)))
}

// LossOnly is Loss without the gradient: forward passes alone (no
// backward pass and no gradient workspace, about a third of the time and
// memory of Loss), every Param.Grad left as it is. It makes an Objective a
// train.LossEvaluator, so held-out losses during training cost no
// gradient.
func (o *Objective) LossOnly(batch []int) (float64, error) {
	if batch == nil {
		return o.blocks(false)
	}
	return o.step(batch, false, float64(len(batch)))
}

var _ train.LossEvaluator = (*Objective)(nil)

// blocks evaluates the loss over all samples in blocks of the training
// batch size.
func (o *Objective) blocks(grad bool) (float64, error) {
	bs := max(o.m.cfg.BatchSize, 1)
	idx := make([]int, 0, bs)
	var total float64
	for i := 0; i < o.s.N; i += bs {
		idx = idx[:0]
		for j := i; j < min(i+bs, o.s.N); j++ {
			idx = append(idx, j)
		}
		l, err := o.step(idx, grad, float64(o.s.N))
		if err != nil {
			return 0, err
		}
		total += l
	}
	return total, nil
}

// step adds the loss of samples idx divided by div, and its gradient when
// grad is set.
func (o *Objective) step(idx []int, grad bool, div float64) (float64, error) {
	s := o.s
	p := s.points()
	B := len(idx)
	o.a = grow(o.a, B*p*s.In)
	for k, i := range idx {
		o.inN.encode(o.a[k*p*s.In:(k+1)*p*s.In], s.A[i*p*s.In:(i+1)*p*s.In])
	}
	out := o.m.forward(o.a, B, s.Grid, s.Coords, grad)
	o.y = grow(o.y, len(out))
	o.outN.decode(o.y, out)
	o.gout = grow(o.gout, len(out))
	var loss float64
	q := p * s.Out
	for k, i := range idx {
		y, u, g := o.y[k*q:(k+1)*q], s.U[i*q:(i+1)*q], o.gout[k*q:(k+1)*q]
		for j := range y {
			g[j] = y[j] - u[j]
		}
		var r float64
		if o.h1 {
			r = relH1(g, u, s.Grid, s.Out)
		} else {
			r = relL2(g, u)
		}
		if math.IsNaN(r) || math.IsInf(r, 0) {
			return 0, errors.New("fno: non-finite loss; lower the learning rate or check the data")
		}
		loss += r / div
	}
	if grad {
		c := len(o.outN.Std)
		for j := range o.gout {
			o.gout[j] *= o.outN.Std[j%c] / div
		}
		o.m.backward(o.gout)
	}
	return loss, nil
}

// relL2 returns ‖e‖/‖u‖ and overwrites e with its gradient with respect
// to e.
func relL2(e, u []float64) float64 {
	var ee, uu float64
	for j, v := range e {
		ee += v * v
		uu += u[j] * u[j]
	}
	ne, nu := math.Sqrt(ee), math.Sqrt(uu)
	if nu == 0 {
		nu = 1
	}
	if ne == 0 {
		clear(e)
		return 0
	}
	for j := range e {
		e[j] /= ne * nu
	}
	return ne / nu
}

// h1Apply returns vᵀAv for the discrete H1 inner product
// vᵀAv = Σ v² + Σ_axes Σ (n_d Δ_d v)² (forward differences, not wrapped, so
// it suits non-periodic data too) and, when av is not nil, writes Av to it.
func h1Apply(av, v []float64, grid []int, C int) float64 {
	var s float64
	for _, x := range v {
		s += x * x
	}
	if av != nil {
		copy(av, v)
	}
	stride := C
	for d := len(grid) - 1; d >= 0; d-- {
		n := grid[d]
		w := float64(n) * float64(n)
		for j := range v {
			if (j/stride)%n == n-1 {
				continue
			}
			diff := v[j+stride] - v[j]
			s += w * diff * diff
			if av != nil {
				av[j+stride] += w * diff
				av[j] -= w * diff
			}
		}
		stride *= n
	}
	return s
}

// relH1 returns the relative H1 error ‖e‖_H1/‖u‖_H1 and overwrites e with
// its gradient A e/(‖e‖_H1 ‖u‖_H1).
func relH1(e, u []float64, grid []int, C int) float64 {
	ae := make([]float64, len(e))
	ee := h1Apply(ae, e, grid, C)
	uu := h1Apply(nil, u, grid, C)
	ne, nu := math.Sqrt(ee), math.Sqrt(uu)
	if nu == 0 {
		nu = 1
	}
	if ne == 0 {
		clear(e)
		return 0
	}
	for j := range e {
		e[j] = ae[j] / (ne * nu)
	}
	return ne / nu
}

// Predict writes the decoded predictions for samples s (targets unused) to
// dst (N × grid × Out; nil allocates) and returns it and the mean relative
// L2 error against s.U when s.U is set.
func (o *Objective) predict(dst []float64) ([]float64, float64) {
	s := o.s
	p := s.points()
	if dst == nil {
		dst = make([]float64, s.N*p*s.Out)
	}
	bs := max(o.m.cfg.BatchSize, 1)
	var rel float64
	for i := 0; i < s.N; i += bs {
		j := min(i+bs, s.N)
		B := j - i
		o.a = grow(o.a, B*p*s.In)
		o.inN.encode(o.a, s.A[i*p*s.In:j*p*s.In])
		out := o.m.forward(o.a, B, s.Grid, s.Coords, false)
		o.outN.decode(dst[i*p*s.Out:j*p*s.Out], out)
	}
	if s.U != nil {
		rel = meanRelL2(dst, s.U, s.N)
	}
	return dst, rel
}

// meanRelL2 returns the mean over the n samples of ‖pred − u‖/‖u‖.
func meanRelL2(pred, u []float64, n int) float64 {
	q := len(pred) / n
	var rel float64
	for i := range n {
		var ee, uu float64
		for j := i * q; j < (i+1)*q; j++ {
			d := pred[j] - u[j]
			ee += d * d
			uu += u[j] * u[j]
		}
		if uu > 0 {
			rel += math.Sqrt(ee / uu)
		}
	}
	return rel / float64(n)
}
