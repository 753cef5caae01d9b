package pinn

import (
	"fmt"
	"math/rand/v2"

	"github.com/neuralpde/neuralpde/nn"
	"github.com/neuralpde/neuralpde/pde"
	G "gorgonia.org/gorgonia"
)

// Model is a PINN's approximation u(p): a network N of the scaled inputs
// ξ = (p − center)/halfWidth, which map the domain's bounding box to
// [−1, 1]^d, composed with an optional hard constraint u = G + D·N.
// Derivatives with respect to p are the network's derivatives with
// respect to ξ times 1/halfWidth per order.
type Model struct {
	Net        *nn.MLP
	Constraint *Constraint
	center     []float64
	half       []float64
}

// NewModel returns a model on the box [lo, hi] with network cfg (whose
// Inputs must be len(lo)) drawn from rng.
func NewModel(cfg nn.MLPConfig, lo, hi []float64, c *Constraint, rng *rand.Rand) (*Model, error) {
	if len(lo) != len(hi) || len(lo) == 0 || len(lo) > maxInputs {
		return nil, fmt.Errorf("pinn: model box has %d and %d corners; give 1 to %d coordinates", len(lo), len(hi), maxInputs)
	}
	if cfg.Inputs != len(lo) || cfg.Outputs != 1 {
		return nil, fmt.Errorf("pinn: network %d→%d for a %d-input problem; a PINN network maps %d inputs to 1 output", cfg.Inputs, cfg.Outputs, len(lo), len(lo))
	}
	net, err := nn.NewMLP(cfg, rng)
	if err != nil {
		return nil, err
	}
	m := &Model{Net: net, Constraint: c, center: make([]float64, len(lo)), half: make([]float64, len(lo))}
	for i := range lo {
		if !(hi[i] > lo[i]) {
			return nil, fmt.Errorf("pinn: model box [%g, %g] in input %d is empty", lo[i], hi[i], i)
		}
		m.center[i] = (lo[i] + hi[i]) / 2
		m.half[i] = (hi[i] - lo[i]) / 2
	}
	return m, nil
}

// Dim returns the number of inputs.
func (m *Model) Dim() int { return len(m.center) }

// scaled writes ξ(p) for the n×d points pts into dst (nil allocates).
func (m *Model) scaled(dst, pts []float64) []float64 {
	d := m.Dim()
	if dst == nil {
		dst = make([]float64, len(pts))
	}
	for i, v := range pts {
		j := i % d
		dst[i] = (v - m.center[j]) / m.half[j]
	}
	return dst
}

// Eval writes u at the n×d points pts into dst (length n, nil allocates)
// and returns it. It runs in plain Go, without a graph.
func (m *Model) Eval(dst, pts []float64) []float64 {
	d := m.Dim()
	if len(pts)%d != 0 {
		panic(fmt.Sprintf("pinn: Model.Eval points length %d is not a multiple of %d inputs", len(pts), d))
	}
	n := len(pts) / d
	if dst == nil {
		dst = make([]float64, n)
	}
	if len(dst) != n {
		panic(fmt.Sprintf("pinn: Model.Eval destination length %d, want %d", len(dst), n))
	}
	m.Net.Eval(dst, m.scaled(nil, pts))
	if c := m.Constraint; c != nil {
		var g, dd Partials
		for i := 0; i < n; i++ {
			p := pts[i*d : (i+1)*d]
			c.G(p, &g)
			c.D(p, &dd)
			dst[i] = g.V + dd.V*dst[i]
		}
	}
	return dst
}

// nodes builds graph operations, keeping the first error so formulas read
// as formulas.
type nodes struct {
	g   *nn.Graph
	err error
}

func (b *nodes) fail(err error) {
	if b.err == nil && err != nil {
		b.err = fmt.Errorf("pinn: building residual: %w", err)
	}
}

func (b *nodes) add(x, y *G.Node) *G.Node {
	if b.err != nil {
		return nil
	}
	switch {
	case x == nil:
		return y
	case y == nil:
		return x
	}
	n, err := G.Add(x, y)
	b.fail(err)
	return n
}

func (b *nodes) sub(x, y *G.Node) *G.Node {
	if b.err != nil {
		return nil
	}
	n, err := G.Sub(x, y)
	b.fail(err)
	return n
}

// hadamard returns x ⊙ y for nodes of equal shape.
func (b *nodes) hadamard(x, y *G.Node) *G.Node {
	if b.err != nil || x == nil || y == nil {
		return nil
	}
	n, err := G.HadamardProd(x, y)
	b.fail(err)
	return n
}

// scale returns c·x.
func (b *nodes) scale(c float64, x *G.Node) *G.Node {
	if b.err != nil || x == nil {
		return nil
	}
	if c == 1 {
		return x
	}
	n, err := G.Mul(x, G.NewConstant(c))
	b.fail(err)
	return n
}

// column returns a constant rows×1 input holding v.
func (b *nodes) column(name string, v []float64) *G.Node {
	in := b.g.Input(name, len(v), 1)
	copy(in.Data, v)
	return in.Node
}

// jet builds u and the derivatives in need at the points pts (raw
// coordinates, rows×d), whose scaled coordinates are the graph node xi. It
// returns the jet with nodes (rows×1) in every field of need and the
// network's trace.
func (m *Model) jet(b *nodes, xi *G.Node, pts []float64, need pde.Deriv, tIndex int) (pde.Jet, *nn.Trace) {
	var out pde.Jet
	if b.err != nil {
		return out, nil
	}
	sl := slots(need, tIndex)
	var spec nn.JetSpec
	for _, s := range sl {
		switch {
		case s.order == 0:
			spec.Mixed = append(spec.Mixed, [2]int{0, 1})
		case s.order == 1:
			spec.First = append(spec.First, s.input)
		case s.order == 2:
			spec.Second = append(spec.Second, s.input)
		case s.order == 3:
			spec.Third = append(spec.Third, s.input)
		case s.order == 4:
			spec.Fourth = append(spec.Fourth, s.input)
		}
	}
	nj, err := m.Net.Jet(b.g, xi, spec)
	if err != nil {
		b.fail(err)
		return out, nil
	}
	// Derivatives of N with respect to p: chain rule through the scaling.
	pow := func(i, k int) float64 {
		f := 1.0
		for ; k > 0; k-- {
			f /= m.half[i]
		}
		return f
	}
	d := m.Dim()
	var dn [5][maxInputs]*G.Node // dn[k][i]: k-th derivative in input i
	dn[0][0] = nj.U
	for i := 0; i < d; i++ {
		for k, list := range [][]*G.Node{nj.First, nj.Second, nj.Third, nj.Fourth} {
			if i < len(list) && list[i] != nil {
				dn[k+1][i] = b.scale(pow(i, k+1), list[i])
			}
		}
	}
	var mixed *G.Node
	if len(nj.Mixed) > 0 {
		mixed = b.scale(1/(m.half[0]*m.half[1]), nj.Mixed[0])
	}
	value := func(k, i int) *G.Node {
		if k == 0 {
			return nj.U
		}
		return dn[k][i]
	}
	c := m.Constraint
	if c == nil {
		out.U = nj.U
		for _, s := range sl {
			f := jetField(&out, s.d)
			if s.order == 0 {
				*f = mixed
			} else {
				*f = value(s.order, s.input)
			}
		}
		return out, nj.Trace
	}
	// u = G + D·N: Leibniz's rule with G's and D's partials as constant
	// columns.
	rows := len(pts) / d
	gp := make([]Partials, rows)
	dp := make([]Partials, rows)
	for r := 0; r < rows; r++ {
		c.G(pts[r*d:(r+1)*d], &gp[r])
		c.D(pts[r*d:(r+1)*d], &dp[r])
	}
	col := func(ps []Partials, name string, f func(*Partials) float64) *G.Node {
		v := make([]float64, rows)
		for r := range ps {
			v[r] = f(&ps[r])
		}
		return b.column(name, v)
	}
	pure := func(ps []Partials, name string, k, i int) *G.Node {
		if k == 0 {
			return col(ps, name, func(p *Partials) float64 { return p.V })
		}
		return col(ps, fmt.Sprintf("%s.d%d.%d", name, k, i), func(p *Partials) float64 { return p.D[k-1][i] })
	}
	binom := [5][5]float64{{1}, {1, 1}, {1, 2, 1}, {1, 3, 3, 1}, {1, 4, 6, 4, 1}}
	dCols := map[[2]int]*G.Node{}
	dcol := func(k, i int) *G.Node {
		key := [2]int{k, i}
		if k == 0 {
			key[1] = 0
		}
		if n, ok := dCols[key]; ok {
			return n
		}
		n := pure(dp, "pinn.D", k, i)
		dCols[key] = n
		return n
	}
	out.U = b.add(pure(gp, "pinn.G", 0, 0), b.hadamard(dcol(0, 0), nj.U))
	for _, s := range sl {
		f := jetField(&out, s.d)
		if s.order == 0 {
			// u_xy = G_xy + D_xy N + D_x N_y + D_y N_x + D N_xy.
			gxy := col(gp, "pinn.G.xy", func(p *Partials) float64 { return p.Mixed[0][1] })
			dxy := col(dp, "pinn.D.xy", func(p *Partials) float64 { return p.Mixed[0][1] })
			u := b.add(gxy, b.hadamard(dxy, nj.U))
			u = b.add(u, b.hadamard(dcol(1, 0), dn[1][1]))
			u = b.add(u, b.hadamard(dcol(1, 1), dn[1][0]))
			*f = b.add(u, b.hadamard(dcol(0, 0), mixed))
			continue
		}
		k, i := s.order, s.input
		u := pure(gp, "pinn.G", k, i)
		for j := 0; j <= k; j++ {
			term := b.hadamard(dcol(j, i), value(k-j, i))
			u = b.add(u, b.scale(binom[k][j], term))
		}
		*f = u
	}
	return out, nj.Trace
}
