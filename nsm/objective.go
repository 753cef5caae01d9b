package nsm

import (
	"fmt"

	"github.com/neuralpde/neuralpde/nn"
	"github.com/neuralpde/neuralpde/train"
)

// Objective is the spectral loss of a Model on a set of input samples:
// the mean over a batch of the problem's residual norm ∫ r², computed from
// the output coefficients (Du et al. 2024, §3.2). It needs no solutions.
// It is the train.Objective of NSM training.
type Objective struct {
	m      *Model
	p      Problem
	inputs []float64 // N × M × In
	n      int

	a, v, gv []float64
}

var (
	_ train.Objective     = (*Objective)(nil)
	_ train.LossEvaluator = (*Objective)(nil)
)

// NewObjective returns the spectral loss of m for problem p on the n
// input samples 0, …, n−1 of the stream seeded by seed.
func NewObjective(m *Model, p Problem, n int, seed uint64) (*Objective, error) {
	in, out := p.Channels()
	if in != m.In || out != m.Out {
		return nil, fmt.Errorf("nsm: problem %s has %d→%d channels, the model %d→%d", p.Name(), in, out, m.In, m.Out)
	}
	if mx, my := p.Basis().Dims(); mx != m.mx || my != m.my {
		return nil, fmt.Errorf("nsm: problem %s has %d×%d coefficients, the model %d×%d", p.Name(), mx, my, m.mx, m.my)
	}
	if n < 1 {
		return nil, fmt.Errorf("nsm: %d training inputs; need at least one", n)
	}
	if err := p.setResidualNorm(m.cfg.ResidualNorm); err != nil {
		return nil, err
	}
	M := m.mx * m.my
	o := &Objective{m: m, p: p, inputs: make([]float64, n*M*in), n: n}
	for i := range n {
		p.Input(o.inputs[i*M*in:(i+1)*M*in], seed, i)
	}
	return o, nil
}

// Params implements train.Objective.
func (o *Objective) Params() []*nn.Param { return o.m.params }

// NumSamples implements train.Objective.
func (o *Objective) NumSamples() int { return o.n }

// Loss implements train.Objective: the mean spectral loss over batch (nil:
// all samples, in blocks of 64 so that memory stays bounded) with its
// gradient in every Param.Grad.
func (o *Objective) Loss(batch []int) (float64, error) {
	return o.eval(batch, nil)
}

// LossOnly implements train.LossEvaluator: the mean spectral loss over
// batch through the model's forward-only pass (Model.Predict), with no
// gradient computed or written.
func (o *Objective) LossOnly(batch []int) (float64, error) {
	return o.forEachBlock(batch, func(B int, w float64) float64 {
		o.m.Predict(o.v, o.a, B)
		return w * o.p.Loss(o.gv, o.v, o.a, B)
	})
}

// evalBlock is the largest number of samples one forward pass takes.
const evalBlock = 64

// eval is Loss with the output gradient multiplied by scale (per output
// coefficient; nil means none) before the backward pass.
func (o *Objective) eval(batch []int, scale []float64) (float64, error) {
	for _, p := range o.m.params {
		clear(p.Grad)
	}
	m := o.m
	M := m.mx * m.my
	return o.forEachBlock(batch, func(B int, w float64) float64 {
		m.Forward(o.v, o.a, B)
		loss := w * o.p.Loss(o.gv, o.v, o.a, B)
		for i := range o.gv {
			o.gv[i] *= w
			if scale != nil {
				o.gv[i] *= scale[(i/m.Out)%M]
			}
		}
		m.Backward(o.gv)
		return loss
	})
}

// forEachBlock loads the inputs of batch (nil: all samples) into o.a in
// blocks of at most evalBlock and returns the sum of do(B, B/len(batch))
// over the blocks: do's share of the mean.
func (o *Objective) forEachBlock(batch []int, do func(B int, w float64) float64) (float64, error) {
	if batch == nil {
		batch = make([]int, o.n)
		for i := range batch {
			batch[i] = i
		}
	}
	for _, i := range batch {
		if i < 0 || i >= o.n {
			return 0, fmt.Errorf("nsm: sample index %d outside [0, %d)", i, o.n)
		}
	}
	m := o.m
	M := m.mx * m.my
	N := float64(len(batch))
	var loss float64
	for lo := 0; lo < len(batch); lo += evalBlock {
		blk := batch[lo:min(lo+evalBlock, len(batch))]
		B := len(blk)
		o.a = grow(o.a, B*M*m.In)
		o.v = grow(o.v, B*M*m.Out)
		o.gv = grow(o.gv, B*M*m.Out)
		for b, i := range blk {
			copy(o.a[b*M*m.In:(b+1)*M*m.In], o.inputs[i*M*m.In:(i+1)*M*m.In])
		}
		loss += do(B, float64(B)/N)
	}
	return loss, nil
}

// ErrorObjective is the mean relative L2 error of a Model's solutions
// against the problem's classical reference on held-out inputs at a fixed
// output resolution. Training evaluates it as train.Config.Eval, so the
// metrics file records the error curve (eval_loss) beside the loss. Its
// Loss leaves the gradients untouched.
type ErrorObjective struct {
	m        *Model
	p        Problem
	n, res   int
	a, ref   []float64
	v, u, gu []float64
}

var _ train.Objective = (*ErrorObjective)(nil)

// NewErrorObjective returns the error of m on the samples held-out inputs
// of the stream seeded by seed at resolution res, solving the references
// once, here.
func NewErrorObjective(m *Model, p Problem, seed uint64, samples, res int) (*ErrorObjective, error) {
	if samples < 1 || res < 4 {
		return nil, fmt.Errorf("nsm: error on %d samples at resolution %d; need at least 1 sample and 4 points", samples, res)
	}
	in, _ := p.Channels()
	M := m.mx * m.my
	_, nv := p.Sizes(res)
	e := &ErrorObjective{m: m, p: p, n: samples, res: res, a: make([]float64, samples*M*in), ref: make([]float64, samples*nv)}
	for i := range samples {
		p.Input(e.a[i*M*in:(i+1)*M*in], seed, i)
		if err := p.Reference(e.ref[i*nv:(i+1)*nv], e.a[i*M*in:(i+1)*M*in], res); err != nil {
			return nil, err
		}
	}
	return e, nil
}

// Params implements train.Objective.
func (e *ErrorObjective) Params() []*nn.Param { return e.m.params }

// NumSamples implements train.Objective.
func (e *ErrorObjective) NumSamples() int { return e.n }

// Loss returns the mean relative L2 error over all held-out samples
// (batch is ignored).
func (e *ErrorObjective) Loss([]int) (float64, error) {
	m, p := e.m, e.p
	in, _ := p.Channels()
	M := m.mx * m.my
	nc, r2 := p.Sizes(e.res)
	e.v = grow(e.v, e.n*M*m.Out)
	e.u = grow(e.u, nc)
	e.gu = grow(e.gu, r2)
	m.Predict(e.v, e.a, e.n)
	var sum float64
	for i := range e.n {
		p.Solution(e.u, e.v[i*M*m.Out:(i+1)*M*m.Out], e.a[i*M*in:(i+1)*M*in])
		p.Values(e.gu, e.u, e.res)
		sum += relL2(e.gu, e.ref[i*r2:(i+1)*r2])
	}
	return sum / float64(e.n), nil
}
