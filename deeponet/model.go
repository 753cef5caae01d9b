package deeponet

import (
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/neuralpde/neuralpde/nn"
)

// Model is a DeepONet (Lu, Jin, Pang, Zhang & Karniadakis 2021, "Learning
// nonlinear operators via DeepONet based on the universal approximation
// theorem of operators", Nat. Mach. Intell. 3, 218–229):
//
//	G(u)(y)_c = σ_c · (Σ_{k<p} b_{cp+k}(u) t_{cp+k}(y) + b₀_c) + μ_c
//
// with the branch b evaluated on u at the m sensors (normalised per sensor
// when the config asks) and the trunk t at the query point y. Unstacked,
// b is one network with p·C outputs; stacked, p·C networks of one output.
// μ and σ are the output normalisation (0 and 1 without it).
type Model struct {
	// Sensors is m and Dim the number of trunk inputs.
	Sensors, Dim int
	// Basis is p and Outputs the number of components C.
	Basis, Outputs int
	// Norm is the input and output normalisation.
	Norm Normalization
	// Constraint, when its Kind is set, multiplies the output by φ(y).
	Constraint Constraint

	branch []*nn.MLP
	imp    *implicitBranch // the implicit branch, instead of branch
	trunk  *nn.MLP
	bias   *nn.Param
	params []*nn.Param
	cfg    *Config
}

// Normalization is a Model's fixed input and output scaling: the branch
// sees (u_j − InMean_j)/InStd_j, and component c of the output is
// OutStd_c·G_c + OutMean_c. Empty slices mean the identity.
type Normalization struct {
	InMean  []float64 `json:"in_mean,omitempty"`
	InStd   []float64 `json:"in_std,omitempty"`
	OutMean []float64 `json:"out_mean,omitempty"`
	OutStd  []float64 `json:"out_std,omitempty"`
}

// NewModel returns a model of cfg for m sensors and d trunk inputs, with
// weights drawn from rng (Glorot normal, zero biases).
func NewModel(cfg *Config, m, d int, rng *rand.Rand) (*Model, error) {
	c, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if m <= 0 || d <= 0 {
		return nil, fmt.Errorf("deeponet: %d sensors and %d trunk inputs; both must be positive", m, d)
	}
	if rng == nil {
		return nil, errors.New("deeponet: NewModel needs a random source; pass rand.New(rand.NewPCG(seed, 0))")
	}
	act, _ := activationByName(c.Activation)
	P := c.Basis * c.Outputs
	md := &Model{Sensors: m, Dim: d, Basis: c.Basis, Outputs: c.Outputs, cfg: c}
	mk := func(name string, in, out int, hidden []int) (*nn.MLP, error) {
		return nn.NewMLP(nn.MLPConfig{Name: name, Inputs: in, Outputs: out, Hidden: hidden, Activation: act,
			WeightInit: nn.GlorotNormal, BiasInit: nn.Zeros}, rng)
	}
	switch {
	case c.Implicit != nil:
		if md.imp, err = newImplicitBranch(c.Implicit, m, P, rng); err != nil {
			return nil, err
		}
		md.params = append(md.params, md.imp.parameters...)
	case c.Stacked:
		for q := range P {
			b, err := mk(fmt.Sprintf("branch%d", q), m, 1, c.Branch)
			if err != nil {
				return nil, err
			}
			md.branch = append(md.branch, b)
		}
	default:
		b, err := mk("branch", m, P, c.Branch)
		if err != nil {
			return nil, err
		}
		md.branch = []*nn.MLP{b}
	}
	if md.trunk, err = mk("trunk", d, P, c.Trunk); err != nil {
		return nil, err
	}
	for _, b := range md.branch {
		md.params = append(md.params, b.Params()...)
	}
	md.params = append(md.params, md.trunk.Params()...)
	if !c.NoBias {
		md.bias = nn.NewParam("bias", c.Outputs)
		md.params = append(md.params, md.bias)
	}
	return md, nil
}

// Params returns the trainable parameters: the branch networks', the
// trunk's, then the bias.
func (md *Model) Params() []*nn.Param { return md.params }

// Config returns the configuration the model was built with, defaults
// filled in.
func (md *Model) Config() *Config {
	c := *md.cfg
	return &c
}

// pass is the workspace of a model's forward and reverse passes.
type pass struct {
	md     *Model
	branch []*netPass
	imp    *implicitPass // the implicit branch's solver state, made on first use
	trunk  *netPass
	u      []float64 // normalised branch input
	b      []float64 // nf × P branch outputs
	gb     []float64 // their adjoints
	gbq    []float64 // one stacked net's output adjoint
	gt     []float64 // trunk output adjoint
	gtT    [][]float64
	gtS    [][]float64
	g      []float64 // raw products (before the output scaling)
	phi    []float64 // the constraint's φ at each point, nil without one
}

// setPhi evaluates the constraint at the n points y into p.phi (nil
// without a constraint).
func (p *pass) setPhi(y []float64, n int) {
	c := &p.md.Constraint
	if c.Kind == "" {
		p.phi = nil
		return
	}
	d := p.md.Dim
	p.phi = grow(p.phi, n)
	for r := range n {
		p.phi[r] = c.eval(y[r*d:(r+1)*d], nil, nil)
	}
}

// newPass returns a workspace; first and second are the trunk's jet
// directions (nil for none).
func (md *Model) newPass(first, second []int) *pass {
	p := &pass{md: md, trunk: newNetPass(md.trunk, !md.cfg.LinearTrunk, first, second)}
	for _, b := range md.branch {
		p.branch = append(p.branch, newNetPass(b, false, nil, nil))
	}
	return p
}

// normalizeInput writes the branch input for nf functions.
func (p *pass) normalizeInput(u []float64, nf int) []float64 {
	md := p.md
	m := md.Sensors
	p.u = grow(p.u, nf*m)
	copy(p.u, u[:nf*m])
	if len(md.Norm.InMean) == m {
		for i := range nf {
			row := p.u[i*m : (i+1)*m]
			for j := range row {
				row[j] = (row[j] - md.Norm.InMean[j]) / md.Norm.InStd[j]
			}
		}
	}
	return p.u
}

// branchForward computes the nf × P branch outputs into p.b. Only an
// implicit branch can fail (a solve that misses its tolerance).
func (p *pass) branchForward(u []float64, nf int) ([]float64, error) {
	x := p.normalizeInput(u, nf)
	P := p.md.Basis * p.md.Outputs
	p.b = grow(p.b, nf*P)
	if p.md.imp != nil {
		if p.imp == nil {
			ip, err := p.md.imp.newPass()
			if err != nil {
				return nil, err
			}
			p.imp = ip
		}
		out, err := p.imp.forward(x, nf)
		if err != nil {
			return nil, err
		}
		copy(p.b, out)
		return p.b, nil
	}
	if len(p.branch) == 1 {
		copy(p.b, p.branch[0].forward(x, nf))
		return p.b, nil
	}
	for q, bp := range p.branch {
		out := bp.forward(x, nf)
		for i := range nf {
			p.b[i*P+q] = out[i]
		}
	}
	return p.b, nil
}

// branchBackward back-propagates the adjoint gb (nf × P) of the branch
// outputs.
func (p *pass) branchBackward(gb []float64, nf int) error {
	P := p.md.Basis * p.md.Outputs
	if p.imp != nil {
		return p.imp.backward(gb[:nf*P])
	}
	if len(p.branch) == 1 {
		p.branch[0].backward(gb, nil, nil)
		return nil
	}
	p.gbq = grow(p.gbq, nf)
	for q, bp := range p.branch {
		for i := range nf {
			p.gbq[i] = gb[i*P+q]
		}
		bp.backward(p.gbq, nil, nil)
	}
	return nil
}

// outScale returns component c's output scale and shift.
func (md *Model) outScale(c int) (s, mu float64) {
	if len(md.Norm.OutStd) == md.Outputs {
		return md.Norm.OutStd[c], md.Norm.OutMean[c]
	}
	return 1, 0
}

func (md *Model) biasOf(c int) float64 {
	if md.bias == nil {
		return 0
	}
	return md.bias.Value[c]
}

// alignedForward writes G(u_i)(y_j)_c at dst[(i·ny + j)·C + c] for nf
// functions u (nf × m) and ny points y (ny × Dim).
func (p *pass) alignedForward(dst, u []float64, nf int, y []float64, ny int) error {
	md := p.md
	C, pb := md.Outputs, md.Basis
	P := pb * C
	b, err := p.branchForward(u, nf)
	if err != nil {
		return err
	}
	t := p.trunk.forward(y, ny)
	p.setPhi(y, ny)
	p.g = grow(p.g, nf*ny)
	for c := range C {
		g := p.g
		if C == 1 {
			g = dst[:nf*ny]
		}
		gemm(false, true, nf, ny, pb, 1, b[c*pb:], P, t[c*pb:], P, 0, g, ny)
		s, mu := md.outScale(c)
		b0 := md.biasOf(c)
		for k, v := range g {
			dst[k*C+c] = s*(v+b0) + mu
		}
		if p.phi != nil {
			for k := range g {
				dst[k*C+c] *= p.phi[k%ny]
			}
		}
	}
	return nil
}

// alignedBackward back-propagates dOut, the loss's derivative with respect
// to the last alignedForward's output, into the parameters' Grad.
func (p *pass) alignedBackward(dOut []float64, nf, ny int) error {
	md := p.md
	C, pb := md.Outputs, md.Basis
	P := pb * C
	p.gb = grow(p.gb, nf*P)
	p.gt = grow(p.gt, ny*P)
	t := p.trunk.out
	for c := range C {
		s, _ := md.outScale(c)
		g := p.g
		sum := 0.0
		for k := range nf * ny {
			v := s * dOut[k*C+c]
			if p.phi != nil {
				v *= p.phi[k%ny]
			}
			g[k] = v
			sum += v
		}
		if md.bias != nil {
			md.bias.Grad[c] += sum
		}
		gemm(false, false, nf, pb, ny, 1, g, ny, t[c*pb:], P, 0, p.gb[c*pb:], P)
		gemm(true, false, ny, pb, nf, 1, g, ny, p.b[c*pb:], P, 0, p.gt[c*pb:], P)
	}
	p.trunk.backward(p.gt, nil, nil)
	return p.branchBackward(p.gb, nf)
}

// Predict writes G(u_i)(y_j)_c for nf functions u (nf × Sensors,
// row-major) at ny query points y (ny × Dim) into dst (nf × ny × Outputs;
// nil allocates) and returns it. The points are arbitrary: a trained model
// answers anywhere in (and, less reliably, beyond) the training domain.
// Predict allocates a workspace per call; it is safe for concurrent use
// with other Predict calls but not with training.
func (md *Model) Predict(dst, u []float64, y []float64) ([]float64, error) {
	if len(u) == 0 || len(u)%md.Sensors != 0 {
		return nil, fmt.Errorf("deeponet: %d input values are not a whole number of functions of %d sensors", len(u), md.Sensors)
	}
	if len(y) == 0 || len(y)%md.Dim != 0 {
		return nil, fmt.Errorf("deeponet: %d query values are not a whole number of points of dimension %d", len(y), md.Dim)
	}
	nf, ny := len(u)/md.Sensors, len(y)/md.Dim
	if dst == nil {
		dst = make([]float64, nf*ny*md.Outputs)
	}
	if len(dst) != nf*ny*md.Outputs {
		return nil, fmt.Errorf("deeponet: destination has %d values, want %d", len(dst), nf*ny*md.Outputs)
	}
	if err := md.newPass(nil, nil).alignedForward(dst, u, nf, y, ny); err != nil {
		return nil, err
	}
	return dst, nil
}
