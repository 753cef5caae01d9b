package train

import (
	"fmt"
	"math"

	"github.com/neuralpde/neuralpde/nn"
	"gonum.org/v1/gonum/mat"
)

// Muon is MomentUm Orthogonalized by Newton–Schulz, Jordan, Jin,
// Boza, You, Cesista, Newhouse & Bernstein (2024), "Muon: An optimizer for
// hidden layers in neural networks" (kellerjordan.github.io/posts/muon):
// for a matrix parameter W with gradient G,
//
//	B ← μB + G,  U = G + μB (Nesterov) or B,  W ← W − η·√max(1, rows/cols)·polar(U),
//
// where polar(U) = UVᵀ for U = UΣVᵀ is approximated by Steps odd
// quintic iterations X ← aX + b(XXᵀ)X + c(XXᵀ)²X from X = U/‖U‖_F. The
// default coefficients are Jordan's (a, b, c) = (3.4445, −4.7750,
// 2.0315), which reach singular values in about [0.7, 1.2] quickly but do
// not converge; PolarExpress uses instead the per-iteration minimax
// coefficients of Amsel, Persson, Musco & Gower (2025), "The Polar Express:
// Optimal matrix sign methods and their application to the Muon
// algorithm", Algorithm 1 (with its safety factor 1.01), which converge to
// the polar factor.
//
// Only parameters with a Shape of length 2 are orthogonalised; the others
// (biases, 1-D parameters) take Adam steps with AdamLearningRate, as in
// the reference implementation.
type Muon struct {
	// LearningRate is η; zero means 0.02.
	LearningRate float64
	// Momentum is μ; zero means 0.95.
	Momentum float64
	// PlainMomentum uses U = B; false means Nesterov momentum.
	PlainMomentum bool
	// Steps is the number of Newton–Schulz iterations; zero means 5.
	Steps int
	// PolarExpress selects the Polar Express coefficient schedule.
	PolarExpress bool
	// WeightDecay is a decoupled decay W ← (1 − ηλ)W for the matrix
	// parameters; zero means none.
	WeightDecay float64
	// AdamLearningRate is the Adam learning rate of the parameters that are
	// not matrices; zero means 1e-3.
	AdamLearningRate float64

	params []*nn.Param
	mats   []muonMat
	adam   adaptive
	vecIdx []int
	rates  []float64
}

type muonMat struct {
	idx        int
	rows, cols int
	buf, u     []float64
	x, a, b, t *mat.Dense
}

var _ Optimizer = (*Muon)(nil)

// jordanCoeffs are Jordan's quintic coefficients, used at every iteration.
var jordanCoeffs = [3]float64{3.4445, -4.7750, 2.0315}

// polarExpressCoeffs are Amsel et al. (2025), Algorithm 1 (degree 5); the
// last triple repeats for further iterations.
var polarExpressCoeffs = [...][3]float64{
	{8.28721201814563, -23.595886519098837, 17.300387312530933},
	{4.107059111542203, -2.9478499167379106, 0.5448431082926601},
	{3.9486908534822946, -2.908902115962949, 0.5518191394370137},
	{3.3184196573706015, -2.488488024314874, 0.51004894012372},
	{2.300652019954817, -1.6689039845747493, 0.4188073119525673},
	{1.891301407787398, -1.2679958271945868, 0.37680408948524835},
	{1.8750014808534479, -1.2500016453999487, 0.3750001645474248},
	{1.875, -1.25, 0.375},
}

// Init implements Optimizer.
func (o *Muon) Init(params []*nn.Param, _ Objective) error {
	if err := checkParams(params); err != nil {
		return err
	}
	if o.Steps < 0 {
		return fmt.Errorf("train: Muon.Steps is %d; it must be positive (or zero for 5)", o.Steps)
	}
	o.params = params
	o.mats = nil
	o.vecIdx = nil
	var vecs []*nn.Param
	for i, p := range params {
		if len(p.Shape) != 2 {
			o.vecIdx = append(o.vecIdx, i)
			vecs = append(vecs, p)
			continue
		}
		r, c := p.Shape[0], p.Shape[1]
		if r > c { // orthogonalise the wide orientation: XXᵀ is the smaller Gram matrix
			r, c = c, r
		}
		o.mats = append(o.mats, muonMat{
			idx: i, rows: p.Shape[0], cols: p.Shape[1],
			buf: make([]float64, p.Len()), u: make([]float64, p.Len()),
			x: mat.NewDense(r, c, nil), a: mat.NewDense(r, r, nil),
			b: mat.NewDense(r, r, nil), t: mat.NewDense(r, c, nil),
		})
	}
	o.adam = adaptive{lr: orDefault(o.AdamLearningRate, 1e-3), b1: 0.9, b2: 0.999, eps: 1e-8}
	o.rates = make([]float64, len(vecs))
	if len(vecs) > 0 {
		return o.adam.init(kindAdam, vecs)
	}
	return nil
}

// Step implements Optimizer.
func (o *Muon) Step(s *Step) (Status, error) {
	lr := orDefault(o.LearningRate, 0.02)
	mu := orDefault(o.Momentum, 0.95)
	for k := range o.mats {
		m := &o.mats[k]
		p := o.params[m.idx]
		for j, g := range p.Grad {
			m.buf[j] = mu*m.buf[j] + g
			if o.PlainMomentum {
				m.u[j] = m.buf[j]
			} else {
				m.u[j] = g + mu*m.buf[j]
			}
		}
		o.orthogonalize(m)
		eta := lr * s.Rates[m.idx] * math.Sqrt(math.Max(1, float64(m.rows)/float64(m.cols)))
		if o.WeightDecay != 0 {
			decay := 1 - lr*s.Rates[m.idx]*o.WeightDecay
			for j := range p.Value {
				p.Value[j] *= decay
			}
		}
		for j := range p.Value {
			p.Value[j] -= eta * m.u[j]
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

// orthogonalize replaces m.u by its approximate polar factor.
func (o *Muon) orthogonalize(m *muonMat) {
	transposed := m.rows > m.cols
	raw := m.x.RawMatrix()
	for i := 0; i < m.rows; i++ {
		for j := 0; j < m.cols; j++ {
			if transposed {
				raw.Data[j*raw.Stride+i] = m.u[i*m.cols+j]
			} else {
				raw.Data[i*raw.Stride+j] = m.u[i*m.cols+j]
			}
		}
	}
	fn := mat.Norm(m.x, 2)
	if o.PolarExpress {
		fn *= 1.01
	}
	m.x.Scale(1/(fn+1e-7), m.x)
	steps := orDefaultInt(o.Steps, 5)
	for it := 0; it < steps; it++ {
		a, b, cc := jordanCoeffs[0], jordanCoeffs[1], jordanCoeffs[2]
		if o.PolarExpress {
			last := len(polarExpressCoeffs) - 1
			k := min(it, last)
			a, b, cc = polarExpressCoeffs[k][0], polarExpressCoeffs[k][1], polarExpressCoeffs[k][2]
			if k < last {
				a, b, cc = a/1.01, b/math.Pow(1.01, 3), cc/math.Pow(1.01, 5)
			}
		}
		m.a.Mul(m.x, m.x.T()) // A = XXᵀ
		m.b.Mul(m.a, m.a)     // A²
		m.b.Scale(cc, m.b)    // cA²
		m.a.Scale(b, m.a)     // bA
		m.b.Add(m.b, m.a)     // B = bA + cA²
		m.t.Mul(m.b, m.x)     // BX
		m.x.Scale(a, m.x)     // aX
		m.x.Add(m.x, m.t)     // X ← aX + BX
	}
	for i := 0; i < m.rows; i++ {
		for j := 0; j < m.cols; j++ {
			if transposed {
				m.u[i*m.cols+j] = raw.Data[j*raw.Stride+i]
			} else {
				m.u[i*m.cols+j] = raw.Data[i*raw.Stride+j]
			}
		}
	}
}

// State implements Stateful.
func (o *Muon) State() map[string][]float64 {
	st := make(stateSet)
	for _, m := range o.mats {
		st["momentum:"+o.params[m.idx].Name] = m.buf
	}
	if len(o.vecIdx) > 0 {
		o.adam.state(st, "adam:")
	}
	return st
}

// SetState implements Stateful.
func (o *Muon) SetState(state map[string][]float64) error {
	for _, m := range o.mats {
		if err := stateInto(m.buf, state, "momentum:"+o.params[m.idx].Name); err != nil {
			return err
		}
	}
	if len(o.vecIdx) > 0 {
		return o.adam.setState(state, "adam:")
	}
	return nil
}
