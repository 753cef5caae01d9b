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
	// last is the batch of the last Loss (lastAll: it was nil), whose
	// forward pass and output gradient gv a preconditioner may reuse.
	last    []int
	lastAll bool
}

var _ train.Objective = (*Objective)(nil)

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
// all samples) with its gradient in every Param.Grad.
func (o *Objective) Loss(batch []int) (float64, error) {
	for _, p := range o.m.params {
		clear(p.Grad)
	}
	o.lastAll = batch == nil
	if batch == nil {
		batch = make([]int, o.n)
		for i := range batch {
			batch[i] = i
		}
	}
	m := o.m
	M := m.mx * m.my
	B := len(batch)
	o.a = grow(o.a, B*M*m.In)
	o.v = grow(o.v, B*M*m.Out)
	o.gv = grow(o.gv, B*M*m.Out)
	for b, i := range batch {
		if i < 0 || i >= o.n {
			return 0, fmt.Errorf("nsm: sample index %d outside [0, %d)", i, o.n)
		}
		copy(o.a[b*M*m.In:(b+1)*M*m.In], o.inputs[i*M*m.In:(i+1)*M*m.In])
	}
	m.Forward(o.v, o.a, B)
	loss := o.p.Loss(o.gv, o.v, o.a, B)
	m.Backward(o.gv)
	o.last = append(o.last[:0], batch...)
	return loss, nil
}
