package train

import (
	"fmt"
	"math"

	"github.com/neuralpde/neuralpde/nn"
	"gonum.org/v1/gonum/mat"
)

// Shampoo is the preconditioner of Gupta, Koren & Singer (2018),
// "Shampoo: Preconditioned stochastic tensor optimization", ICML,
// Algorithm 1, for matrix parameters W (m×n) with gradient G:
//
//	L ← β₂L + GGᵀ,  R ← β₂R + GᵀG,  W ← W − η L^(−1/4) M R^(−1/4),
//
// with β₂ = 1 (sums, as in the paper) unless Beta2 is set. M is the
// bias-corrected momentum of the gradient. The inverse fourth roots come
// from symmetric eigendecompositions, regularised by Epsilon·λ_max, and are
// refreshed every UpdateEvery steps and held in between, as in the
// distributed implementation of Anil et al. (2020), "Scalable second order
// optimization for deep learning". Unless NoGraft is set, each matrix's
// step is rescaled to the Frobenius norm of the Adam step on the same
// parameter (layer-wise grafting, Agarwal, Anil, Hazan, Koren & Zhang
// (2020), "Disentangling adaptive gradient methods from learning
// rates"), so LearningRate has Adam's scale.
//
// Parameters whose Shape is not of length 2 take Adam steps.
type Shampoo struct {
	// LearningRate is η; zero means 1e-3.
	LearningRate float64
	// Momentum is β₁ of the gradient momentum (and of Adam); zero means
	// 0.9.
	Momentum float64
	// Beta2 decays the statistics L and R; zero means 1 (plain sums).
	Beta2 float64
	// Epsilon regularises L and R relative to their largest eigenvalue;
	// zero means 1e-6.
	Epsilon float64
	// UpdateEvery is the number of steps between refreshes of the inverse
	// roots; zero means 1 (every step).
	UpdateEvery int
	// NoGraft takes the raw Shampoo step; false grafts Adam's step norm.
	NoGraft bool

	params []*nn.Param
	mats   []shampooMat
	adam   adaptive
	vecIdx []int
	rates  []float64
	t      int
}

type shampooMat struct {
	idx                int
	l, r, lInv, rInv   *mat.SymDense
	mom, graftV        []float64
	g, pre, tmp        *mat.Dense
	eig                mat.EigenSym
	vecs, scaled, prod mat.Dense
}

var _ Optimizer = (*Shampoo)(nil)

// Init implements Optimizer.
func (o *Shampoo) Init(params []*nn.Param, _ Objective) error {
	if err := checkParams(params); err != nil {
		return err
	}
	if o.UpdateEvery < 0 {
		return fmt.Errorf("train: Shampoo.UpdateEvery is %d; it must be positive (or zero for 1)", o.UpdateEvery)
	}
	o.params = params
	o.mats = nil
	o.vecIdx = nil
	o.t = 0
	var vecs []*nn.Param
	for i, p := range params {
		if len(p.Shape) != 2 {
			o.vecIdx = append(o.vecIdx, i)
			vecs = append(vecs, p)
			continue
		}
		m, n := p.Shape[0], p.Shape[1]
		o.mats = append(o.mats, shampooMat{
			idx: i,
			l:   mat.NewSymDense(m, nil), r: mat.NewSymDense(n, nil),
			lInv: mat.NewSymDense(m, nil), rInv: mat.NewSymDense(n, nil),
			mom: make([]float64, p.Len()), graftV: make([]float64, p.Len()),
			g: mat.NewDense(m, n, nil), pre: mat.NewDense(m, n, nil), tmp: mat.NewDense(m, n, nil),
		})
	}
	o.adam = adaptive{lr: orDefault(o.LearningRate, 1e-3), b1: orDefault(o.Momentum, 0.9), b2: 0.999, eps: 1e-8}
	o.rates = make([]float64, len(vecs))
	if len(vecs) > 0 {
		return o.adam.init(kindAdam, vecs)
	}
	return nil
}

// Step implements Optimizer.
func (o *Shampoo) Step(s *Step) (Status, error) {
	o.t++
	lr := orDefault(o.LearningRate, 1e-3)
	b1 := orDefault(o.Momentum, 0.9)
	b2 := orDefault(o.Beta2, 1)
	every := orDefaultInt(o.UpdateEvery, 1)
	c1 := 1 - math.Pow(b1, float64(o.t))
	c2 := 1 - math.Pow(0.999, float64(o.t))
	for k := range o.mats {
		m := &o.mats[k]
		p := o.params[m.idx]
		copy(m.g.RawMatrix().Data, p.Grad)
		if b2 != 1 {
			m.l.ScaleSym(b2, m.l)
			m.r.ScaleSym(b2, m.r)
		}
		m.l.SymRankK(m.l, 1, m.g)
		m.r.SymRankK(m.r, 1, m.g.T())
		if (o.t-1)%every == 0 {
			if err := m.inverseRoot(m.lInv, m.l, orDefault(o.Epsilon, 1e-6)); err != nil {
				return Failure, fmt.Errorf("train: Shampoo: parameter %q: %v", p.Name, err)
			}
			if err := m.inverseRoot(m.rInv, m.r, orDefault(o.Epsilon, 1e-6)); err != nil {
				return Failure, fmt.Errorf("train: Shampoo: parameter %q: %v", p.Name, err)
			}
		}
		var graft float64
		gd := m.g.RawMatrix().Data
		for j, g := range p.Grad {
			m.mom[j] = b1*m.mom[j] + (1-b1)*g
			m.graftV[j] = 0.999*m.graftV[j] + 0.001*g*g
			a := (m.mom[j] / c1) / (math.Sqrt(m.graftV[j]/c2) + 1e-8)
			graft += a * a
			gd[j] = m.mom[j] / c1
		}
		m.tmp.Mul(m.lInv, m.g)
		m.pre.Mul(m.tmp, m.rInv)
		pd := m.pre.RawMatrix().Data
		scale := 1.0
		if !o.NoGraft {
			if pn := norm(pd); pn > 0 {
				scale = math.Sqrt(graft) / pn
			}
		}
		eta := lr * s.Rates[m.idx] * scale
		for j := range p.Value {
			p.Value[j] -= eta * pd[j]
		}
	}
	if len(o.vecIdx) > 0 {
		for k, i := range o.vecIdx {
			o.rates[k] = s.Rates[i]
		}
		o.adam.step(o.rates)
	}
	return NotTerminated, nil
}

// inverseRoot writes (S + ε λ_max I)^(−1/4) into dst by eigendecomposition.
func (m *shampooMat) inverseRoot(dst, s *mat.SymDense, eps float64) error {
	if ok := m.eig.Factorize(s, true); !ok {
		return fmt.Errorf("eigendecomposition did not converge")
	}
	vals := m.eig.Values(nil)
	m.vecs.Reset()
	m.eig.VectorsTo(&m.vecs)
	lmax := 0.0
	for _, v := range vals {
		lmax = math.Max(lmax, v)
	}
	floor := math.Max(eps*lmax, 1e-300)
	n := len(vals)
	// dst = V diag((λ + floor)^(−1/4)) Vᵀ.
	m.scaled.CloneFrom(&m.vecs)
	for k, v := range vals {
		d := 1 / math.Sqrt(math.Sqrt(math.Max(v, 0)+floor))
		for i := 0; i < n; i++ {
			m.scaled.Set(i, k, m.scaled.At(i, k)*d)
		}
	}
	m.prod.Reset()
	m.prod.Mul(&m.scaled, m.vecs.T())
	for i := 0; i < n; i++ {
		for j := i; j < n; j++ {
			dst.SetSym(i, j, m.prod.At(i, j))
		}
	}
	return nil
}

// State implements Stateful.
func (o *Shampoo) State() map[string][]float64 {
	st := make(stateSet)
	st.scalar("t", float64(o.t))
	for _, m := range o.mats {
		name := o.params[m.idx].Name
		st["L:"+name] = symData(m.l)
		st["R:"+name] = symData(m.r)
		st["Linv:"+name] = symData(m.lInv)
		st["Rinv:"+name] = symData(m.rInv)
		st["momentum:"+name] = m.mom
		st["graft:"+name] = m.graftV
	}
	if len(o.vecIdx) > 0 {
		o.adam.state(st, "adam:")
	}
	return st
}

// SetState implements Stateful.
func (o *Shampoo) SetState(state map[string][]float64) error {
	t, err := stateScalar(state, "t")
	if err != nil {
		return err
	}
	o.t = int(t)
	for _, m := range o.mats {
		name := o.params[m.idx].Name
		for _, e := range []struct {
			key string
			dst *mat.SymDense
		}{{"L:", m.l}, {"R:", m.r}, {"Linv:", m.lInv}, {"Rinv:", m.rInv}} {
			if err := stateInto(symData(e.dst), state, e.key+name); err != nil {
				return err
			}
		}
		if err := stateInto(m.mom, state, "momentum:"+name); err != nil {
			return err
		}
		if err := stateInto(m.graftV, state, "graft:"+name); err != nil {
			return err
		}
	}
	if len(o.vecIdx) > 0 {
		return o.adam.setState(state, "adam:")
	}
	return nil
}

// symData returns the backing array of s (upper triangle significant).
func symData(s *mat.SymDense) []float64 { return s.RawSymmetric().Data }
