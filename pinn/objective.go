package pinn

import (
	"errors"
	"fmt"
	"math"

	"github.com/neuralpde/neuralpde/nn"
	"github.com/neuralpde/neuralpde/pde"
	"github.com/neuralpde/neuralpde/train"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
	G "gorgonia.org/gorgonia"
)

// TermKind is the kind of a loss term.
type TermKind int

const (
	// ResidualTerm is the PDE residual at collocation points.
	ResidualTerm TermKind = iota
	// InitialTerm is u − u₀ at t = t₀.
	InitialTerm
	// DirichletTerm is u − g on the boundary.
	DirichletTerm
	// NeumannTerm is ∂u/∂n − g on the boundary.
	NeumannTerm
	// PeriodicTerm is u(a, t) − u(b, t) at paired end points.
	PeriodicTerm
	// PeriodicSlopeTerm is u_x(a, t) − u_x(b, t) at paired end points.
	PeriodicSlopeTerm
	// DataTerm is u − u_obs at observation points.
	DataTerm
)

var termNames = [...]string{"residual", "initial", "dirichlet", "neumann", "periodic", "periodic-slope", "data"}

func (k TermKind) String() string {
	if k < 0 || int(k) >= len(termNames) {
		return fmt.Sprintf("TermKind(%d)", int(k))
	}
	return termNames[k]
}

// Term is one loss term: a set of points and the residual the kind
// defines there. The loss is ½ Σ_terms Weight · mean_i w_i r_i² with w_i
// the per-point weights (causal weights of the residual term; nil means
// all one).
type Term struct {
	Kind TermKind
	// Points holds rows×d raw coordinates (x[, y][, t]).
	Points []float64
	// Target holds one value per point: u₀, g, u_obs, or the source f at
	// collocation points (nil means zero).
	Target []float64
	// Normals holds the outward normals of a Neumann term, rows×(d−1 for
	// an evolution problem, else d).
	Normals []float64
	// Partner holds the paired points of a periodic term.
	Partner []float64
	// Weight is the term's weight λ; zero means 1.
	Weight float64
	// PointWeights holds per-point weights (causal weighting), nil for
	// all one.
	PointWeights []float64
}

// Rows returns the number of points of t for d inputs.
func (t *Term) Rows(d int) int { return len(t.Points) / d }

// Unknown is a coefficient of the equation to identify from data: the
// equation's parameter Name (as pde.Params reports it) becomes trainable,
// starting from Init. The catalogue equations are affine in their
// parameters, so the residual with trainable coefficients θ is
// r(θ) = r(p₀) + Σᵢ (θᵢ − p₀ᵢ)(r(p₀ + eᵢ) − r(p₀)), every term the
// equation's own Residual.
type Unknown struct {
	Name string  `yaml:"name" json:"name"`
	Init float64 `yaml:"init" json:"init"`
}

// PINN is a physics-informed network for a Problem (Raissi, Perdikaris
// and Karniadakis 2019): a Model and loss terms whose residuals are
// built on graph nodes, the PDE residual being the Problem's equation
// evaluated on the model's derivative jets through nn.Algebra.
//
// Training is full-batch: every loss evaluation uses all points.
type PINN struct {
	Problem *Problem
	Model   *Model
	Terms   []*Term
	// Coefficients are the trainable equation parameters, aligned with
	// the unknowns given to NewPINN.
	Coefficients []*nn.Param

	base     map[string]float64
	eqs      []pde.Equation // eqs[0] at p₀, eqs[i+1] at p₀ + e_i
	need     pde.Deriv
	blocks   []nn.Block
	obj      *nn.ResidualObjective
	net      *nn.ResidualObjective // the network's weights only (Jacobian with coefficients)
	weightIn [][][]float64         // per term, the weight columns of every graph
}

// NewPINN returns the PINN of p with model m and the given loss terms.
// unknowns, when not empty, lists equation parameters to identify.
func NewPINN(p *Problem, m *Model, terms []*Term, unknowns []Unknown) (*PINN, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if m.Dim() != p.Dim() {
		return nil, fmt.Errorf("pinn: model has %d inputs, problem %d", m.Dim(), p.Dim())
	}
	if len(terms) == 0 {
		return nil, errors.New("pinn: no loss terms")
	}
	d := p.Dim()
	for k, t := range terms {
		rows := t.Rows(d)
		if rows == 0 || len(t.Points)%d != 0 {
			return nil, fmt.Errorf("pinn: term %d (%v) has %d coordinates for %d inputs; give a non-empty rows×%d slice", k, t.Kind, len(t.Points), d, d)
		}
		if t.Target != nil && len(t.Target) != rows {
			return nil, fmt.Errorf("pinn: term %d (%v) has %d points and %d targets", k, t.Kind, rows, len(t.Target))
		}
		if t.PointWeights != nil && len(t.PointWeights) != rows {
			return nil, fmt.Errorf("pinn: term %d (%v) has %d points and %d point weights", k, t.Kind, rows, len(t.PointWeights))
		}
		if (t.Kind == PeriodicTerm || t.Kind == PeriodicSlopeTerm) && len(t.Partner) != len(t.Points) {
			return nil, fmt.Errorf("pinn: periodic term %d has %d points and %d partner coordinates", k, rows, len(t.Partner))
		}
		if t.Kind == NeumannTerm && len(t.Normals) != rows*p.Space.Dim() {
			return nil, fmt.Errorf("pinn: Neumann term %d has %d points and %d normal components", k, rows, len(t.Normals))
		}
		if t.Weight < 0 || math.IsNaN(t.Weight) {
			return nil, fmt.Errorf("pinn: term %d (%v) has weight %v; weights must be non-negative", k, t.Kind, t.Weight)
		}
		if t.Weight == 0 {
			t.Weight = 1
		}
	}
	pn := &PINN{Problem: p, Model: m, Terms: terms, base: pde.Params(p.Equation)}
	pn.eqs = []pde.Equation{p.Equation}
	for _, u := range unknowns {
		p0, ok := pn.base[u.Name]
		if !ok {
			return nil, fmt.Errorf("pinn: equation %s has no parameter %q (its parameters: %v)", p.Equation.Name(), u.Name, pn.base)
		}
		shifted := make(map[string]float64, len(pn.base))
		for k, v := range pn.base {
			shifted[k] = v
		}
		shifted[u.Name] = p0 + 1
		eq, err := pde.NewEquation(p.Equation.Name(), shifted)
		if err != nil {
			return nil, fmt.Errorf("pinn: unknown %q: %w", u.Name, err)
		}
		if err := checkAffine(p.Equation, eq, u.Name, pn.base); err != nil {
			return nil, err
		}
		pn.eqs = append(pn.eqs, eq)
		c := nn.NewParam("coef."+u.Name, 1)
		c.Value[0] = u.Init
		pn.Coefficients = append(pn.Coefficients, c)
	}
	pn.need = effectiveNeeds(pn.eqs...)
	if err := pn.compile(); err != nil {
		return nil, err
	}
	return pn, nil
}

// compile sets up the objective on the terms' points, training the
// network's weights and pn.Coefficients.
func (pn *PINN) compile() error {
	d := pn.Problem.Dim()
	pn.blocks = make([]nn.Block, len(pn.Terms))
	for k, t := range pn.Terms {
		b := nn.Block{Name: t.Kind.String(), X: pn.Model.scaled(nil, t.Points), XCols: d}
		if t.Target != nil {
			b.Y, b.YCols = t.Target, 1
		}
		pn.blocks[k] = b
	}
	pn.weightIn = make([][][]float64, len(pn.Terms))
	pn.net = nil
	params := append(append([]*nn.Param(nil), pn.Model.Net.Params()...), pn.Coefficients...)
	obj, err := nn.NewResidualObjective(params, pn.blocks, pn.build)
	if err != nil {
		return err
	}
	pn.obj = obj
	return nil
}

// checkAffine verifies that eq is affine in parameter name by comparing
// residuals at p₀, p₀ + 1 and p₀ + 2 on a fixed jet.
func checkAffine(eq0, eq1 pde.Equation, name string, base map[string]float64) error {
	two := make(map[string]float64, len(base))
	for k, v := range base {
		two[k] = v
	}
	two[name] += 2
	eq2, err := pde.NewEquation(eq0.Name(), two)
	if err != nil {
		return err
	}
	j := pde.Jet{X: 0.3, Y: -0.2, T: 0.7, F: 0.9, U: 0.61, Ut: -0.37, Ux: 1.3, Uxx: -0.8, Uxxx: 0.45, Uxxxx: 1.7, Uy: -0.6, Uyy: 0.25, Uxy: 0.33}
	r0 := eq0.Residual(pde.Float{}, j).(float64)
	r1 := eq1.Residual(pde.Float{}, j).(float64)
	r2 := eq2.Residual(pde.Float{}, j).(float64)
	if math.Abs(r2-2*r1+r0) > 1e-12*(1+math.Abs(r0)+math.Abs(r2)) {
		return fmt.Errorf("pinn: equation %s is not affine in %q; only affine coefficients can be identified", eq0.Name(), name)
	}
	return nil
}

// Params returns the trainable parameters: the network's, then the
// coefficients.
func (pn *PINN) Params() []*nn.Param { return pn.obj.Params() }

// Objective returns the training objective.
func (pn *PINN) Objective() *Objective { return &Objective{pn: pn} }

// Objective is the training objective of a PINN: the loss ½‖r‖² of the
// weighted residual vector r over all terms, as a train.Objective, a
// train.LossEvaluator and a train.LeastSquares. The Jacobian has a column for every network weight
// and every unknown coefficient, so Gauss–Newton and Levenberg–Marquardt
// identify coefficients as they train the network.
type Objective struct {
	pn *PINN
}

var (
	_ train.LeastSquares  = (*Objective)(nil)
	_ train.LossEvaluator = (*Objective)(nil)
)

// Params returns the network's parameters, then the coefficients.
func (o *Objective) Params() []*nn.Param { return o.pn.obj.Params() }

// NumSamples returns the number of points of all terms.
func (o *Objective) NumSamples() int { return o.pn.obj.NumSamples() }

// Loss returns the loss on batch (nil means all points) and writes its
// gradient into the parameters' Grad.
func (o *Objective) Loss(batch []int) (float64, error) { return o.pn.obj.Loss(batch) }

// LossOnly returns the loss on batch (nil means all points) without the
// gradient, every Param.Grad left as it is: ½‖r‖² from Residuals, whose
// graph is forward-only (jets, no reverse pass). nn compiles that graph on
// the first call for each batch shape and keeps it (Residuals, the
// Jacobian's coefficient columns and causal weighting share it). On the
// burgers-shock PINN it costs about 4 ms of CPU and 1 MB once, against
// the loss graph's 170 MB, and each call a third of Loss's CPU time
// (BenchmarkBurgersEval).
func (o *Objective) LossOnly(batch []int) (float64, error) {
	r, err := o.pn.obj.Residuals(nil, batch)
	if err != nil {
		return 0, err
	}
	return 0.5 * floats.Dot(r, r), nil
}

// NumResiduals returns the length of the residual vector on batch.
func (o *Objective) NumResiduals(batch []int) int { return o.pn.obj.NumResiduals(batch) }

// Residuals writes the residual vector on batch into dst (nil allocates).
func (o *Objective) Residuals(dst []float64, batch []int) ([]float64, error) {
	return o.pn.obj.Residuals(dst, batch)
}

// Jacobian writes ∂r/∂θ on batch into dst (nil allocates), one column per
// network weight and then per coefficient. The network's columns come
// from nn's per-sample reverse pass on an objective that reads the
// coefficients without training them. The residual is affine in each
// coefficient θᵢ (NewPINN checks it), so its column is the exact
// difference r(θ + eᵢ) − r(θ).
func (o *Objective) Jacobian(dst *mat.Dense, batch []int) (*mat.Dense, error) {
	pn := o.pn
	if len(pn.Coefficients) == 0 {
		return pn.obj.Jacobian(dst, batch)
	}
	rows := pn.obj.NumResiduals(batch)
	nw := nn.NumParams(pn.Model.Net.Params())
	cols := nw + len(pn.Coefficients)
	if dst == nil {
		dst = mat.NewDense(rows, cols, nil)
	} else if r, c := dst.Dims(); r != rows || c != cols {
		return nil, fmt.Errorf("pinn: Jacobian destination is %d×%d, want %d×%d", r, c, rows, cols)
	}
	if pn.net == nil {
		net, err := nn.NewResidualObjective(pn.Model.Net.Params(), pn.blocks, pn.build)
		if err != nil {
			return nil, err
		}
		pn.net = net
	}
	if _, err := pn.net.Jacobian(dst.Slice(0, rows, 0, nw).(*mat.Dense), batch); err != nil {
		return nil, err
	}
	r0, err := pn.obj.Residuals(nil, batch)
	if err != nil {
		return nil, err
	}
	var r1 []float64
	for i, c := range pn.Coefficients {
		v := c.Value[0]
		c.Value[0] = v + 1
		r1, err = pn.obj.Residuals(r1, batch)
		c.Value[0] = v
		if err != nil {
			return nil, err
		}
		for k := range r1 {
			dst.Set(k, nw+i, r1[k]-r0[k])
		}
	}
	return dst, nil
}

// SetWeights writes the terms' Weight and PointWeights into every compiled
// graph; call it after changing them.
func (pn *PINN) SetWeights() {
	for k, t := range pn.Terms {
		for _, dst := range pn.weightIn[k] {
			t.weightColumn(dst)
		}
	}
}

// weightColumn writes √(λ wᵢ) into dst.
func (t *Term) weightColumn(dst []float64) {
	s := math.Sqrt(t.Weight)
	for i := range dst {
		w := 1.0
		if t.PointWeights != nil {
			w = t.PointWeights[i]
		}
		dst[i] = s * math.Sqrt(w)
	}
}

// build is the nn.ResidualFunc of the PINN.
func (pn *PINN) build(g *nn.Graph, xs, ys []*G.Node) ([]nn.Residual, error) {
	b := &nodes{g: g}
	d := pn.Problem.Dim()
	tIndex := -1
	if pn.Problem.Time != nil {
		tIndex = d - 1
	}
	res := make([]nn.Residual, len(pn.Terms))
	for k, t := range pn.Terms {
		if xs[k] == nil {
			continue
		}
		rows := t.Rows(d)
		if xs[k].Shape()[0] != rows {
			return nil, fmt.Errorf("pinn: a batch of %d of the %d %v points; PINN training is full-batch (set no batch size)", xs[k].Shape()[0], rows, t.Kind)
		}
		r, traces := pn.termResidual(b, t, xs[k], ys[k], tIndex)
		if b.err != nil {
			return nil, b.err
		}
		w := g.Input(fmt.Sprintf("pinn.w%d", k), rows, 1)
		t.weightColumn(w.Data)
		pn.weightIn[k] = append(pn.weightIn[k], w.Data)
		res[k] = nn.Residual{R: b.hadamard(r, w.Node), Traces: traces}
		if b.err != nil {
			return nil, b.err
		}
	}
	return res, nil
}

func (pn *PINN) termResidual(b *nodes, t *Term, xi, y *G.Node, tIndex int) (*G.Node, []*nn.Trace) {
	m := pn.Model
	d := pn.Problem.Dim()
	target := func(u *G.Node) *G.Node {
		if y == nil {
			return u
		}
		return b.sub(u, y)
	}
	switch t.Kind {
	case ResidualTerm:
		j, tr := m.jet(b, xi, t.Points, pn.need, tIndex)
		pn.coordinates(b, &j, t.Points)
		if y != nil {
			j.F = y
		} else {
			j.F = 0.0
		}
		return pn.residual(b, j), []*nn.Trace{tr}
	case InitialTerm, DirichletTerm, DataTerm:
		j, tr := m.jet(b, xi, t.Points, 0, tIndex)
		return target(j.U.(*G.Node)), []*nn.Trace{tr}
	case NeumannTerm:
		ds := pn.Problem.Space.Dim()
		need := pde.DX
		if ds == 2 {
			need |= pde.DY
		}
		j, tr := m.jet(b, xi, t.Points, need, tIndex)
		rows := t.Rows(d)
		nx := make([]float64, rows)
		for i := range nx {
			nx[i] = t.Normals[i*ds]
		}
		flux := b.hadamard(b.column("pinn.nx", nx), j.Ux.(*G.Node))
		if ds == 2 {
			ny := make([]float64, rows)
			for i := range ny {
				ny[i] = t.Normals[i*ds+1]
			}
			flux = b.add(flux, b.hadamard(b.column("pinn.ny", ny), j.Uy.(*G.Node)))
		}
		return target(flux), []*nn.Trace{tr}
	case PeriodicTerm, PeriodicSlopeTerm:
		need := pde.Deriv(0)
		if t.Kind == PeriodicSlopeTerm {
			need = pde.DX
		}
		rows := t.Rows(d)
		partner := b.g.Input("pinn.partner", rows, d)
		m.scaled(partner.Data, t.Partner)
		jl, tl := m.jet(b, xi, t.Points, need, tIndex)
		jr, tr := m.jet(b, partner.Node, t.Partner, need, tIndex)
		if b.err != nil {
			return nil, nil
		}
		if t.Kind == PeriodicTerm {
			return b.sub(jl.U.(*G.Node), jr.U.(*G.Node)), []*nn.Trace{tl, tr}
		}
		return b.sub(jl.Ux.(*G.Node), jr.Ux.(*G.Node)), []*nn.Trace{tl, tr}
	}
	b.fail(fmt.Errorf("unknown term kind %v", t.Kind))
	return nil, nil
}

// coordinates puts the raw coordinates into the jet's X, Y and T fields
// for equations with position- or time-dependent coefficients.
func (pn *PINN) coordinates(b *nodes, j *pde.Jet, pts []float64) {
	d := pn.Problem.Dim()
	rows := len(pts) / d
	colOf := func(i int) *G.Node {
		v := make([]float64, rows)
		for r := range v {
			v[r] = pts[r*d+i]
		}
		return b.column(fmt.Sprintf("pinn.p%d", i), v)
	}
	j.X = colOf(0)
	if pn.Problem.Space.Dim() == 2 {
		j.Y = colOf(1)
	}
	if pn.Problem.Time != nil {
		j.T = colOf(d - 1)
	}
}

// residual evaluates the equation's own residual on the jet, adding the
// unknown coefficients' contributions: the declared derivatives that the
// residual does not read are set to the constant 0.
func (pn *PINN) residual(b *nodes, j pde.Jet) *G.Node {
	if b.err != nil {
		return nil
	}
	declared := pde.Deriv(0)
	for _, eq := range pn.eqs {
		declared |= eq.Needs()
	}
	for _, d := range allDerivs {
		if f := jetField(&j, d); declared&d != 0 && *f == nil {
			*f = 0.0
		}
	}
	var alg nn.Algebra
	r0 := pn.eqs[0].Residual(&alg, j)
	var out = r0
	for i, c := range pn.Coefficients {
		ri := pn.eqs[i+1].Residual(&alg, j)
		diff := alg.Sub(ri, r0)
		if alg.Err() != nil {
			break
		}
		dn, ok := diff.(*G.Node)
		if !ok {
			b.fail(fmt.Errorf("the residual does not depend on coefficient %q at the collocation points", c.Name))
			return nil
		}
		theta, err := G.Sub(b.g.Param(c), G.NewConstant(pn.base[c.Name[len("coef."):]]))
		b.fail(err)
		if b.err != nil {
			return nil
		}
		prod, err := G.Mul(dn, theta)
		b.fail(err)
		out = alg.Add(out, prod)
	}
	if err := alg.Err(); err != nil {
		b.fail(err)
		return nil
	}
	n, ok := out.(*G.Node)
	if !ok {
		b.fail(fmt.Errorf("the residual of %s is the constant %v; the equation reads nothing the network gives", pn.Problem.Equation.Name(), out))
		return nil
	}
	return n
}
