package nn

import (
	"fmt"

	G "gorgonia.org/gorgonia"
)

// JetSpec says which derivatives of u with respect to its inputs a jet
// carries; only what is asked for (and what it depends on) is built.
// Inputs are numbered from 0 (x is 0, y is 1, t is often the last).
type JetSpec struct {
	// First lists the inputs i whose ∂u/∂xᵢ is wanted.
	First []int
	// Second lists the inputs i whose ∂²u/∂xᵢ² is wanted (a Laplacian is
	// Second over all space inputs).
	Second []int
	// Mixed lists pairs (i, j), i ≠ j, whose ∂²u/∂xᵢ∂xⱼ is wanted.
	Mixed [][2]int
	// Third and Fourth list the inputs whose third and fourth derivatives
	// are wanted (u_xxx for KdV, u_xxxx for Kuramoto–Sivashinsky).
	Third, Fourth []int
}

// Jet is u and the derivatives a JetSpec asked for, as graph nodes of shape
// rows×Outputs. First, Second, Third and Fourth are indexed by input and
// are nil where not built; Mixed is aligned with JetSpec.Mixed. A
// derivative that another one depends on is built and exposed too (a
// Second entry makes the First entry of the same input).
type Jet struct {
	U                            *G.Node
	First, Second, Third, Fourth []*G.Node
	Mixed                        []*G.Node
	// Trace records the layers' inputs and pre-activations, for the
	// per-sample Jacobian of a residual built on this jet.
	Trace *Trace
}

// Laplacian returns Σᵢ ∂²u/∂xᵢ² over the given inputs, which must all be in
// the spec's Second.
func (j *Jet) Laplacian(inputs ...int) (*G.Node, error) {
	if len(inputs) == 0 {
		return nil, fmt.Errorf("nn: Laplacian over no inputs; name the space inputs, e.g. Laplacian(0, 1)")
	}
	var sum *G.Node
	for _, i := range inputs {
		if i < 0 || i >= len(j.Second) || j.Second[i] == nil {
			return nil, fmt.Errorf("nn: Laplacian needs ∂²u/∂x%d², which the jet does not carry; add %d to JetSpec.Second", i, i)
		}
		if sum == nil {
			sum = j.Second[i]
			continue
		}
		var err error
		if sum, err = G.Add(sum, j.Second[i]); err != nil {
			return nil, fmt.Errorf("nn: Laplacian: %w", err)
		}
	}
	return sum, nil
}

// Trace records, for each dense layer a jet went through, the layer's
// input and output pre-activation and those of every jet tangent. Because
// the samples of a batch do not interact in an MLP, the gradient of Σᵢ rᵢ
// with respect to the pre-activations holds every sample's own
// sensitivities, and each weight block of the residual Jacobian is a batch
// of outer products with the layer's inputs.
type Trace struct {
	taps []tap
}

// tap is one affine map out = in·W (+ b when b is not nil) in a jet.
type tap struct {
	w, b    *Param
	in, out *G.Node
}

// jetState is a batch of values and the Taylor coefficients (plain
// derivatives) carried along with them. Nil entries are zero or not built.
type jetState struct {
	v              *G.Node
	d1, d2, d3, d4 []*G.Node // by input
	mx             []*G.Node // by JetSpec.Mixed
}

// empty returns a state with no value and coefficient slots of st's sizes.
func (st jetState) empty() jetState {
	return jetState{
		d1: make([]*G.Node, len(st.d1)), d2: make([]*G.Node, len(st.d2)),
		d3: make([]*G.Node, len(st.d3)), d4: make([]*G.Node, len(st.d4)),
		mx: make([]*G.Node, len(st.mx)),
	}
}

// jetPlan is a JetSpec closed under dependencies.
type jetPlan struct {
	n1, n2, n3, n4 []bool
	mixed          [][2]int
	order          int
}

func (s JetSpec) plan(d int) (jetPlan, error) {
	p := jetPlan{n1: make([]bool, d), n2: make([]bool, d), n3: make([]bool, d), n4: make([]bool, d)}
	check := func(what string, i int) error {
		if i < 0 || i >= d {
			return fmt.Errorf("nn: JetSpec.%s names input %d of a network with %d inputs", what, i, d)
		}
		return nil
	}
	mark := func(what string, list []int, sets ...[]bool) error {
		for _, i := range list {
			if err := check(what, i); err != nil {
				return err
			}
			for _, s := range sets {
				s[i] = true
			}
		}
		return nil
	}
	if err := mark("First", s.First, p.n1); err != nil {
		return p, err
	}
	if err := mark("Second", s.Second, p.n1, p.n2); err != nil {
		return p, err
	}
	if err := mark("Third", s.Third, p.n1, p.n2, p.n3); err != nil {
		return p, err
	}
	if err := mark("Fourth", s.Fourth, p.n1, p.n2, p.n3, p.n4); err != nil {
		return p, err
	}
	for _, ij := range s.Mixed {
		if err := mark("Mixed", ij[:], p.n1); err != nil {
			return p, err
		}
		if ij[0] == ij[1] {
			return p, fmt.Errorf("nn: JetSpec.Mixed pair (%d, %d) is a pure derivative; put %d in Second", ij[0], ij[1], ij[0])
		}
	}
	p.mixed = append([][2]int(nil), s.Mixed...)
	for i := 0; i < d; i++ {
		switch {
		case p.n4[i]:
			p.order = max(p.order, 4)
		case p.n3[i]:
			p.order = max(p.order, 3)
		case p.n2[i]:
			p.order = max(p.order, 2)
		case p.n1[i]:
			p.order = max(p.order, 1)
		}
	}
	if len(p.mixed) > 0 {
		p.order = max(p.order, 2)
	}
	return p, nil
}

// Jet returns u(x) and the derivatives spec asks for, for a batch x
// (rows×Inputs) on g. The derivatives are propagated forward through the
// network in Taylor mode (Griewank and Walther 2008, ch. 13) from
// first-order operations only, so one reverse pass to the weights
// afterwards differentiates them correctly; gorgonia's nested Grad does
// not.
func (m *MLP) Jet(g *Graph, x *G.Node, spec JetSpec) (*Jet, error) {
	d := m.cfg.Inputs
	if s := x.Shape(); len(s) != 2 || s[1] != d {
		return nil, fmt.Errorf("nn: MLP input has shape %v; want rows×%d", s, d)
	}
	p, err := spec.plan(d)
	if err != nil {
		return nil, err
	}
	rows := x.Shape()[0]
	b := &jetBuilder{g: g, plan: p, trace: &Trace{}}
	st := jetState{v: x, d1: make([]*G.Node, d), d2: make([]*G.Node, d), d3: make([]*G.Node, d), d4: make([]*G.Node, d), mx: make([]*G.Node, len(p.mixed))}
	for i := 0; i < d; i++ {
		if p.n1[i] {
			e := make([]float64, rows*d)
			for r := 0; r < rows; r++ {
				e[r*d+i] = 1
			}
			st.d1[i] = g.constMatrix(fmt.Sprintf("e%d", i), rows, d, e)
		}
	}
	if m.fourier != nil {
		f := m.cfg.Fourier.Features
		bnode := g.constMatrix(m.cfg.Name+".fourierB", d, f, m.fourier)
		z := b.linear(st, bnode, nil, nil, nil)
		s := b.activate(z, sinAct{})
		c := b.activate(z, cosAct{})
		st = b.concat(s, c)
	}
	for l, layer := range m.layers {
		st = b.linear(st, g.Param(layer.W), g.Param(layer.B), layer.W, layer.B)
		if l < len(m.layers)-1 {
			st = b.activate(st, m.cfg.Activation)
		}
	}
	if b.err != nil {
		return nil, b.err
	}
	j := &Jet{U: st.v, Trace: b.trace, Mixed: st.mx}
	keep := func(ns []*G.Node, want []bool) []*G.Node {
		for i := range ns {
			if !want[i] {
				ns[i] = nil
			}
		}
		return ns
	}
	j.First = keep(st.d1, p.n1)
	j.Second = keep(st.d2, p.n2)
	j.Third = keep(st.d3, p.n3)
	j.Fourth = keep(st.d4, p.n4)
	return j, nil
}

// jetBuilder builds jet operations, keeping the first error so the
// formulas read as formulas. A nil coefficient is zero (the input's second
// and higher derivatives, for one): matmul passes it through and applyPoly
// drops the terms that use it.
type jetBuilder struct {
	g     *Graph
	plan  jetPlan
	trace *Trace
	err   error
}

func (b *jetBuilder) fail(err error) {
	if b.err == nil && err != nil {
		b.err = fmt.Errorf("nn: building jet: %w", err)
	}
}

func (b *jetBuilder) matmul(x, w, bias *G.Node) *G.Node {
	if x == nil || b.err != nil {
		return nil
	}
	n, err := affine(b.g.pool, x, w, bias)
	b.fail(err)
	return n
}

// linear maps the state through h ↦ hW + b: every Taylor coefficient is
// mapped by W and only the value gets b. wp and bp, when not nil, are the
// parameters behind w and bias, recorded in the trace.
func (b *jetBuilder) linear(st jetState, w, bias *G.Node, wp, bp *Param) jetState {
	out := st.empty()
	record := func(in, o *G.Node, bp *Param) {
		if wp != nil && in != nil && o != nil {
			b.trace.taps = append(b.trace.taps, tap{w: wp, b: bp, in: in, out: o})
		}
	}
	out.v = b.matmul(st.v, w, bias)
	record(st.v, out.v, bp)
	for _, set := range [][2][]*G.Node{{st.d1, out.d1}, {st.d2, out.d2}, {st.d3, out.d3}, {st.d4, out.d4}, {st.mx, out.mx}} {
		for i, t := range set[0] {
			set[1][i] = b.matmul(t, w, nil)
			record(t, set[1][i], nil)
		}
	}
	return out
}

// activate applies σ pointwise. With z₁…z₄ the derivatives of the
// pre-activation along an input direction, Faà di Bruno's formula gives
//
//	a₁ = σ′z₁
//	a₂ = σ″z₁² + σ′z₂
//	a₃ = σ‴z₁³ + 3σ″z₁z₂ + σ′z₃
//	a₄ = σ⁗z₁⁴ + 6σ‴z₁²z₂ + σ″(4z₁z₃ + 3z₂²) + σ′z₄
//
// and for two directions i, j: aᵢⱼ = σ″zᵢzⱼ + σ′zᵢⱼ. Each is one fused
// polyOp, and so is each of its adjoints in the reverse pass.
func (b *jetBuilder) activate(st jetState, act Activation) jetState {
	out := st.empty()
	if b.err != nil {
		return out
	}
	s, err := activationDerivs(b.g.pool, act, st.v, b.plan.order)
	if err != nil {
		b.fail(err)
		return out
	}
	out.v = s[0]
	// Inputs of the polynomials: σ′…σ⁴ at 0…3, then the z coefficients.
	const z1, z2, z3, z4, zj, zij = 4, 5, 6, 7, 8, 9
	poly := func(terms []term, z ...*G.Node) *G.Node {
		if b.err != nil {
			return nil
		}
		in := make([]*G.Node, 10)
		copy(in, s[1:])
		copy(in[4:], z)
		n, err := applyPoly(b.g.pool, in, terms)
		b.fail(err)
		return n
	}
	for i := range st.d1 {
		if st.d1[i] == nil {
			continue
		}
		out.d1[i] = poly([]term{{1, []int{0, z1}}}, st.d1[i])
		if !b.plan.n2[i] {
			continue
		}
		out.d2[i] = poly([]term{{1, []int{1, z1, z1}}, {1, []int{0, z2}}}, st.d1[i], st.d2[i])
		if !b.plan.n3[i] {
			continue
		}
		out.d3[i] = poly([]term{{1, []int{2, z1, z1, z1}}, {3, []int{1, z1, z2}}, {1, []int{0, z3}}}, st.d1[i], st.d2[i], st.d3[i])
		if !b.plan.n4[i] {
			continue
		}
		out.d4[i] = poly([]term{
			{1, []int{3, z1, z1, z1, z1}},
			{6, []int{2, z1, z1, z2}},
			{4, []int{1, z1, z3}},
			{3, []int{1, z2, z2}},
			{1, []int{0, z4}},
		}, st.d1[i], st.d2[i], st.d3[i], st.d4[i])
	}
	for k, ij := range b.plan.mixed {
		out.mx[k] = poly([]term{{1, []int{1, z1, zj}}, {1, []int{0, zij}}}, st.d1[ij[0]], nil, nil, nil, st.d1[ij[1]], st.mx[k])
	}
	return out
}

// concat joins two states column-wise (the sin and cos halves of the
// Fourier embedding).
func (b *jetBuilder) concat(x, y jetState) jetState {
	cat := func(p, q *G.Node) *G.Node {
		if p == nil || q == nil || b.err != nil {
			return nil
		}
		n, err := G.Concat(1, p, q)
		b.fail(err)
		return n
	}
	out := x.empty()
	out.v = cat(x.v, y.v)
	for i := range x.d1 {
		out.d1[i] = cat(x.d1[i], y.d1[i])
		out.d2[i] = cat(x.d2[i], y.d2[i])
		out.d3[i] = cat(x.d3[i], y.d3[i])
		out.d4[i] = cat(x.d4[i], y.d4[i])
	}
	for k := range x.mx {
		out.mx[k] = cat(x.mx[k], y.mx[k])
	}
	return out
}
