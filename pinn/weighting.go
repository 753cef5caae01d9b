package pinn

import (
	"errors"
	"fmt"
	"math"

	"github.com/neuralpde/neuralpde/nn"
	"github.com/neuralpde/neuralpde/train"
)

// GradNormBalance sets the weight of every term but the residual by the
// learning-rate annealing of Wang, Teng and Perdikaris, "Understanding and
// mitigating gradient flow pathologies in physics-informed neural
// networks", SIAM J. Sci. Comput. 43 (2021), Algorithm 1:
//
//	λ̂ₖ = max|∇θ L_r| / mean|∇θ Lₖ|,  λₖ ← (1 − α) λₖ + α λ̂ₖ,
//
// with L_r the residual loss and Lₖ the term's unweighted loss. It
// evaluates each term's gradient separately (one pass per term) and
// leaves the parameters' Grad holding the last term's gradient.
func (pn *PINN) GradNormBalance(alpha float64) error {
	saved := make([]float64, len(pn.Terms))
	for k, t := range pn.Terms {
		saved[k] = t.Weight
	}
	defer func() {
		pn.SetWeights()
	}()
	params := pn.Model.Net.Params()
	grad := func(k int) ([]float64, error) {
		for i, t := range pn.Terms {
			t.Weight = 0
			if i == k {
				t.Weight = 1
			}
		}
		pn.SetWeights()
		if _, err := pn.obj.Loss(nil); err != nil {
			return nil, err
		}
		var g []float64
		for _, p := range params {
			g = append(g, p.Grad...)
		}
		return g, nil
	}
	ri := -1
	for k, t := range pn.Terms {
		if t.Kind == ResidualTerm {
			ri = k
		}
	}
	if ri < 0 {
		copyWeights(pn.Terms, saved)
		return errors.New("pinn: gradient-norm balancing needs a residual term")
	}
	gr, err := grad(ri)
	if err != nil {
		copyWeights(pn.Terms, saved)
		return err
	}
	maxR := 0.0
	for _, v := range gr {
		maxR = math.Max(maxR, math.Abs(v))
	}
	next := append([]float64(nil), saved...)
	for k := range pn.Terms {
		if k == ri {
			continue
		}
		gk, err := grad(k)
		if err != nil {
			copyWeights(pn.Terms, saved)
			return err
		}
		mean := 0.0
		for _, v := range gk {
			mean += math.Abs(v)
		}
		mean /= float64(len(gk))
		if mean > 0 && maxR > 0 {
			next[k] = (1-alpha)*saved[k] + alpha*maxR/mean
		}
	}
	copyWeights(pn.Terms, next)
	return nil
}

func copyWeights(terms []*Term, w []float64) {
	for k, t := range terms {
		t.Weight = w[k]
	}
}

// causal holds the state of causal weighting (Wang, Sankaran and
// Perdikaris, "Respecting causality is all you need for training
// physics-informed neural networks", CMAME 421, 2024; arXiv:2203.07404,
// 2022): the collocation points, sorted by time, are split into M slices
// of equal size, and slice i gets the weight wᵢ = exp(−ε Σ_{k<i} L_k)
// with L_k the mean squared residual of slice k, held fixed during each
// gradient step. ε steps through a schedule, moving on once every weight
// exceeds 0.99.
type causal struct {
	slices int
	eps    []float64
	at     int
	minW   float64
	r      []float64
}

// update recomputes the residual term's point weights from the current
// residuals; it returns false when the schedule of ε is exhausted (all
// weights are then one).
func (c *causal) update(pn *PINN) error {
	ri := -1
	for k, t := range pn.Terms {
		if t.Kind == ResidualTerm {
			ri = k
		}
	}
	if ri < 0 || pn.Problem.Time == nil {
		return errors.New("pinn: causal weighting needs an evolution problem with a residual term")
	}
	t := pn.Terms[ri]
	d := pn.Problem.Dim()
	rows := t.Rows(d)
	if t.PointWeights == nil {
		t.PointWeights = make([]float64, rows)
		for i := range t.PointWeights {
			t.PointWeights[i] = 1
		}
	}
	if n := pn.obj.NumResiduals(nil); len(c.r) != n {
		c.r = make([]float64, n)
	}
	var err error
	c.r, err = pn.obj.Residuals(c.r, nil)
	if err != nil {
		return err
	}
	// The residual vector holds √(λ wᵢ / m) rᵢ for the term's rows.
	off := 0
	for k := 0; k < ri; k++ {
		off += pn.Terms[k].Rows(d)
	}
	scale := math.Sqrt(t.Weight / float64(rows))
	if c.at >= len(c.eps) {
		for i := range t.PointWeights {
			t.PointWeights[i] = 1
		}
		c.minW = 1
		return nil
	}
	eps := c.eps[c.at]
	cum := 0.0
	c.minW = 1
	for s := 0; s < c.slices; s++ {
		lo, hi := s*rows/c.slices, (s+1)*rows/c.slices
		w := math.Exp(-eps * cum)
		c.minW = math.Min(c.minW, w)
		sum := 0.0
		for i := lo; i < hi; i++ {
			// Weights are kept ≥ 1e-30 so the raw residual is recoverable.
			v := c.r[off+i] / (scale * math.Sqrt(t.PointWeights[i]))
			sum += v * v
			t.PointWeights[i] = math.Max(w, 1e-30)
		}
		if hi > lo {
			cum += sum / float64(hi-lo)
		}
	}
	if c.minW > 0.99 {
		c.at++
	}
	return nil
}

// weighting wraps an optimizer (Adam) and updates the loss weights
// between its steps: gradient-norm balancing every adaptEvery steps and
// causal weights every causalEvery steps. After an update it re-evaluates
// the loss so the wrapped optimizer steps on the gradient of the loss it
// will be judged by. It also carries the wrapped optimizer's state from
// one train.Run to the next (rounds of adaptive refinement).
type weighting struct {
	inner       train.Optimizer
	pn          *PINN
	adaptEvery  int
	alpha       float64
	causal      *causal
	causalEvery int
	offset      int
	state       map[string][]float64
}

var _ train.Optimizer = (*weighting)(nil)

// Init implements train.Optimizer.
func (w *weighting) Init(params []*nn.Param, obj train.Objective) error {
	if err := w.inner.Init(params, obj); err != nil {
		return err
	}
	if w.state != nil {
		st, ok := w.inner.(train.Stateful)
		if !ok {
			return fmt.Errorf("pinn: %T cannot carry its state across refinement rounds", w.inner)
		}
		if err := st.SetState(w.state); err != nil {
			return err
		}
	}
	return nil
}

// Needs implements train.Needer.
func (w *weighting) Needs() train.Needs {
	if n, ok := w.inner.(train.Needer); ok {
		return n.Needs()
	}
	return train.Needs{}
}

// Step implements train.Optimizer.
func (w *weighting) Step(s *train.Step) (train.Status, error) {
	count := s.Count + w.offset
	changed := false
	if w.adaptEvery > 0 && count%w.adaptEvery == 0 {
		if err := w.pn.GradNormBalance(w.alpha); err != nil {
			return train.Failure, err
		}
		changed = true
	}
	if w.causal != nil && count%w.causalEvery == 0 {
		if err := w.causal.update(w.pn); err != nil {
			return train.Failure, err
		}
		w.pn.SetWeights()
		changed = true
	}
	if changed {
		if _, err := s.Evaluate(); err != nil {
			return train.Failure, err
		}
	}
	return w.inner.Step(s)
}

// save keeps the wrapped optimizer's state for the next round.
func (w *weighting) save() {
	if st, ok := w.inner.(train.Stateful); ok {
		w.state = map[string][]float64{}
		for k, v := range st.State() {
			w.state[k] = append([]float64(nil), v...)
		}
	}
}
