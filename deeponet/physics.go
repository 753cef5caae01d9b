package deeponet

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/neuralpde/neuralpde/data"
	"github.com/neuralpde/neuralpde/nn"
	"github.com/neuralpde/neuralpde/pde"
	"github.com/neuralpde/neuralpde/train"
)

// PhysicsConfig configures physics-informed training (Wang, Wang &
// Perdikaris 2021): the loss is the mean square of the PDE residual of
// G(u) at collocation points, with the residual the catalogue's own
// (pde.Equation.Residual) and the derivatives of G in y = (x, t) carried
// forward through the trunk as Taylor-mode jets. No solution data enter
// the loss; initial and boundary data are zero and imposed exactly by the
// config's Constraint.
type PhysicsConfig struct {
	// Preset names the operator preset whose equation is enforced
	// (pde.LookupOperator: diffusion-reaction, antiderivative). The
	// input function is the equation's F (source or integrand).
	Preset string `yaml:"preset" json:"preset"`
	// Points is the number of collocation points per training function,
	// drawn uniformly in the output grid's bounding box once, with seed
	// Seed; zero means 100.
	Points int `yaml:"points" json:"points"`
}

func (p *PhysicsConfig) check() error {
	if _, err := pde.LookupOperator(p.Preset); err != nil {
		return fmt.Errorf("deeponet: physics: %w", err)
	}
	if p.Points == 0 {
		p.Points = 100
	}
	if p.Points < 0 {
		return fmt.Errorf("deeponet: physics points %d must be positive", p.Points)
	}
	return nil
}

// Physics is the physics-informed DeepONet objective: for training
// functions u_i (the equation's data F at the sensors) and collocation
// points y_iq, the loss is the mean over all of them of r(G(u_i))(y_iq)²,
// r the equation's residual. A sample is a function with its points. It
// satisfies train.Objective.
type Physics struct {
	md     *Model
	eq     pde.Equation
	needs  pde.Deriv
	u      []float64 // nf × m
	nf, q  int
	pts    []float64 // nf·q × Dim
	f      []float64 // nf·q: F at each point
	ix, it int       // trunk inputs of x and t (−1 when absent)
	kx, kt int       // jet directions of ∂x and ∂t (−1 when not built)
	sxx    int       // jet direction of ∂xx (−1 when not built)
	pass   *pass
	tp     tape
	all    []int
	ub, yb []float64
	fb     []float64
	fidx   []int
	n      []float64 // N at every point
	nt, ns [][]float64
	gtT    [][]float64
	gtS    [][]float64
	phi    []float64
	dphi   []float64 // nr × Dim
	d2phi  []float64 // nr × Dim
}

var _ train.LossEvaluator = (*Physics)(nil)

// NewPhysics returns the physics-informed objective of md for equation eq
// on nf training functions u (nf × Sensors, values of the equation's F at
// the sensors xs) with the collocation points pts (nf·q × Dim, the q points
// of function i in rows iq … iq+q−1); coords names the trunk's inputs ("x"
// and optionally "t").
func NewPhysics(md *Model, eq pde.Equation, u, xs []float64, pts []float64, q int, coords []string) (*Physics, error) {
	if md.cfg.Activation == "relu" {
		return nil, errors.New("deeponet: relu has no second derivative; use tanh (or another smooth activation) for physics-informed training")
	}
	if md.Outputs != 1 {
		return nil, errors.New("deeponet: physics-informed training supports one output component")
	}
	m, d := md.Sensors, md.Dim
	if len(xs) != m || len(u) == 0 || len(u)%m != 0 || len(coords) != d || q <= 0 {
		return nil, fmt.Errorf("deeponet: physics objective with %d sensor positions, %d input values, %d coordinates, %d points per function; the model has %d sensors and %d trunk inputs", len(xs), len(u), len(coords), q, m, d)
	}
	nf := len(u) / m
	if len(pts) != nf*q*d {
		return nil, fmt.Errorf("deeponet: %d collocation values for %d functions × %d points × %d inputs", len(pts), nf, q, d)
	}
	o := &Physics{md: md, eq: eq, needs: eq.Needs(), u: u, nf: nf, q: q, pts: pts,
		ix: slices.Index(coords, "x"), it: slices.Index(coords, "t"), kx: -1, kt: -1, sxx: -1}
	supported := pde.DU | pde.DT | pde.DX | pde.DXX
	if o.needs&^supported != 0 {
		return nil, fmt.Errorf("deeponet: equation %s needs derivatives beyond u, u_t, u_x and u_xx, which the physics objective does not carry", eq.Name())
	}
	var first, second []int
	if o.needs.Has(pde.DT) {
		if o.it < 0 {
			return nil, fmt.Errorf("deeponet: equation %s needs u_t but the trunk has no t input (coords %v)", eq.Name(), coords)
		}
		o.kt = len(first)
		first = append(first, o.it)
	}
	if o.needs&(pde.DX|pde.DXX) != 0 {
		if o.ix < 0 {
			return nil, fmt.Errorf("deeponet: equation %s needs x derivatives but the trunk has no x input (coords %v)", eq.Name(), coords)
		}
		o.kx = len(first)
		first = append(first, o.ix)
		if o.needs.Has(pde.DXX) {
			o.sxx = 0
			second = []int{o.kx}
		}
	}
	o.pass = md.newPass(first, second)
	// F at each point: the input interpolated linearly between sensors.
	o.f = make([]float64, nf*q)
	for i := range nf {
		for k := range q {
			r := i*q + k
			o.f[r] = interpolate(xs, u[i*m:(i+1)*m], pts[r*d+o.ix])
		}
	}
	return o, nil
}

// interpolate returns the piecewise-linear interpolant of (xs, v) at x,
// constant beyond the ends.
func interpolate(xs, v []float64, x float64) float64 {
	n := len(xs)
	if x <= xs[0] {
		return v[0]
	}
	if x >= xs[n-1] {
		return v[n-1]
	}
	j, _ := slices.BinarySearch(xs, x)
	j = max(j, 1)
	w := (x - xs[j-1]) / (xs[j] - xs[j-1])
	return (1-w)*v[j-1] + w*v[j]
}

// Params returns the model's parameters.
func (o *Physics) Params() []*nn.Param { return o.md.params }

// NumSamples is the number of training functions.
func (o *Physics) NumSamples() int { return o.nf }

// Loss evaluates the mean-square residual on the functions of batch (nil:
// all) and fills every parameter's Grad.
func (o *Physics) Loss(batch []int) (float64, error) { return o.eval(batch, true) }

// LossOnly evaluates the mean-square residual on the functions of batch
// (nil: all) by the forward pass and its jets alone, every parameter's
// Grad left as it is. It makes Physics a train.LossEvaluator.
func (o *Physics) LossOnly(batch []int) (float64, error) { return o.eval(batch, false) }

// eval evaluates the loss on batch and, when grad is set, its gradient.
func (o *Physics) eval(batch []int, grad bool) (float64, error) {
	md := o.md
	if grad {
		for _, p := range md.params {
			clear(p.Grad)
		}
	}
	if batch == nil {
		if len(o.all) != o.nf {
			o.all = make([]int, o.nf)
			for i := range o.all {
				o.all[i] = i
			}
		}
		batch = o.all
	}
	m, d, q := md.Sensors, md.Dim, o.q
	nb := len(batch)
	nr := nb * q
	o.ub, o.yb, o.fb = grow(o.ub, nb*m), grow(o.yb, nr*d), grow(o.fb, nr)
	o.fidx = growInts(o.fidx, nr)
	for k, i := range batch {
		if i < 0 || i >= o.nf {
			return 0, fmt.Errorf("deeponet: function %d outside 0…%d", i, o.nf-1)
		}
		copy(o.ub[k*m:(k+1)*m], o.u[i*m:(i+1)*m])
		copy(o.yb[k*q*d:(k+1)*q*d], o.pts[i*q*d:(i+1)*q*d])
		copy(o.fb[k*q:(k+1)*q], o.f[i*q:(i+1)*q])
		for r := k * q; r < (k+1)*q; r++ {
			o.fidx[r] = k
		}
	}
	p := o.pass
	P := md.Basis
	B, err := p.branchForward(o.ub, nb)
	if err != nil {
		return 0, err
	}
	T := p.trunk.forward(o.yb, nr)
	nFirst, nSecond := len(p.trunk.first), len(p.trunk.second)
	s, mu := md.outScale(0)
	b0 := md.biasOf(0)
	// N and its tangents at every point.
	o.n = grow(o.n, nr)
	o.nt = growAll(o.nt, nFirst, nr)
	o.ns = growAll(o.ns, nSecond, nr)
	for r := range nr {
		br, tr := B[o.fidx[r]*P:(o.fidx[r]+1)*P], T[r*P:(r+1)*P]
		v := b0
		for k, b := range br {
			v += b * tr[k]
		}
		o.n[r] = s*v + mu
		for k := range nFirst {
			tk := p.trunk.outT[k][r*P : (r+1)*P]
			v := 0.0
			for j, b := range br {
				v += b * tk[j]
			}
			o.nt[k][r] = s * v
		}
		for j := range nSecond {
			tj := p.trunk.outS[j][r*P : (r+1)*P]
			v := 0.0
			for i, b := range br {
				v += b * tj[i]
			}
			o.ns[j][r] = s * v
		}
	}
	// G = φN and its derivatives, as tape leaves.
	o.tp.reset(nr)
	tp := &o.tp
	G := tp.leaf(o.n)
	Gt := make([]*tvec, nFirst)
	for k := range nFirst {
		Gt[k] = tp.leaf(o.nt[k])
	}
	Gs := make([]*tvec, nSecond)
	for j := range nSecond {
		Gs[j] = tp.leaf(o.ns[j])
	}
	con := &md.Constraint
	if con.Kind != "" {
		o.phi, o.dphi, o.d2phi = grow(o.phi, nr), grow(o.dphi, nr*d), grow(o.d2phi, nr*d)
		for r := range nr {
			o.phi[r] = con.eval(o.yb[r*d:(r+1)*d], o.dphi[r*d:(r+1)*d], o.d2phi[r*d:(r+1)*d])
		}
		for r := range nr {
			ph, dp, d2p := o.phi[r], o.dphi[r*d:(r+1)*d], o.d2phi[r*d:(r+1)*d]
			n := o.n[r]
			for j, k := range p.trunk.second {
				i := p.trunk.first[k]
				Gs[j].v[r] = d2p[i]*n + 2*dp[i]*o.nt[k][r] + ph*o.ns[j][r]
			}
			for k, i := range p.trunk.first {
				Gt[k].v[r] = dp[i]*n + ph*o.nt[k][r]
			}
			G.v[r] = ph * n
		}
	}
	jet := pde.Jet{U: G, F: tp.leaf(o.fb)}
	if o.ix >= 0 {
		x := tp.leaf(nil)
		for r := range nr {
			x.v[r] = o.yb[r*d+o.ix]
		}
		jet.X = x
	}
	if o.it >= 0 {
		t := tp.leaf(nil)
		for r := range nr {
			t.v[r] = o.yb[r*d+o.it]
		}
		jet.T = t
	}
	if o.kt >= 0 {
		jet.Ut = Gt[o.kt]
	}
	if o.kx >= 0 {
		jet.Ux = Gt[o.kx]
	}
	if o.sxx >= 0 {
		jet.Uxx = Gs[o.sxx]
	}
	res, ok := o.eq.Residual(tp, jet).(*tvec)
	if !ok {
		return 0, fmt.Errorf("deeponet: the residual of %s is not a vector on the batch", o.eq.Name())
	}
	loss := 0.0
	for _, v := range res.v {
		loss += v * v
	}
	loss /= float64(nr)
	if !grad {
		return loss, nil
	}
	for r, v := range res.v {
		res.g[r] = 2 * v / float64(nr)
	}
	tp.backward()
	// Adjoints of N and its tangents from those of G, through φ.
	gN := G.g
	if con.Kind != "" {
		first, second := p.trunk.first, p.trunk.second
		for r := range nr {
			ph, dp, d2p := o.phi[r], o.dphi[r*d:(r+1)*d], o.d2phi[r*d:(r+1)*d]
			g := ph * G.g[r]
			for k, i := range first {
				g += dp[i] * Gt[k].g[r]
			}
			for j, k := range second {
				g += d2p[first[k]] * Gs[j].g[r]
			}
			for k := range first {
				Gt[k].g[r] *= ph
			}
			for j, k := range second {
				Gt[k].g[r] += 2 * dp[first[k]] * Gs[j].g[r]
				Gs[j].g[r] *= ph
			}
			gN[r] = g
		}
	}
	// To the branch outputs, the trunk outputs and their tangents.
	p.gb = grow(p.gb, nb*P)
	clear(p.gb)
	p.gt = grow(p.gt, nr*P)
	o.gtT = growAll(o.gtT, nFirst, nr*P)
	o.gtS = growAll(o.gtS, nSecond, nr*P)
	gbias := 0.0
	for r := range nr {
		f := o.fidx[r]
		br, gbr := B[f*P:(f+1)*P], p.gb[f*P:(f+1)*P]
		tr := T[r*P : (r+1)*P]
		g := s * gN[r]
		gbias += g
		gtr := p.gt[r*P : (r+1)*P]
		for k, b := range br {
			gbr[k] += g * tr[k]
			gtr[k] = g * b
		}
		for k := range nFirst {
			gk := s * Gt[k].g[r]
			tk, gtk := p.trunk.outT[k][r*P:(r+1)*P], o.gtT[k][r*P:(r+1)*P]
			for i, b := range br {
				gbr[i] += gk * tk[i]
				gtk[i] = gk * b
			}
		}
		for j := range nSecond {
			gj := s * Gs[j].g[r]
			tj, gtj := p.trunk.outS[j][r*P:(r+1)*P], o.gtS[j][r*P:(r+1)*P]
			for i, b := range br {
				gbr[i] += gj * tj[i]
				gtj[i] = gj * b
			}
		}
	}
	if md.bias != nil {
		md.bias.Grad[0] += gbias
	}
	p.trunk.backward(p.gt, o.gtT, o.gtS)
	if err := p.branchBackward(p.gb, nb); err != nil {
		return 0, err
	}
	return loss, nil
}

// newPhysicsFromConfig builds the physics objective of Train: collocation
// points drawn uniformly in the bounding box of the training grid.
func newPhysicsFromConfig(md *Model, c *Config, g *Grid, ds *data.Dataset) (train.Objective, error) {
	pr, _ := pde.LookupOperator(c.Physics.Preset)
	d := g.Dim
	lo, hi := bounds(g)
	xs := sensorPositions(ds, g)
	if xs == nil {
		return nil, errors.New("deeponet: physics-informed training needs the sensor positions: a dataset coordinate of the input axis, or an x coordinate")
	}
	rng := rand.New(rand.NewPCG(c.Seed, 2))
	q := c.Physics.Points
	pts := make([]float64, g.N*q*d)
	for r := range g.N * q {
		for k := range d {
			pts[r*d+k] = lo[k] + (hi[k]-lo[k])*rng.Float64()
		}
	}
	return NewPhysics(md, pr.Equation, g.U, xs, pts, q, g.Coords)
}

// bounds returns the bounding box of g's points.
func bounds(g *Grid) (lo, hi []float64) {
	d := g.Dim
	lo, hi = make([]float64, d), make([]float64, d)
	for k := range d {
		lo[k], hi[k] = math.Inf(1), math.Inf(-1)
	}
	for r := range g.NY {
		for k := range d {
			lo[k] = math.Min(lo[k], g.Y[r*d+k])
			hi[k] = math.Max(hi[k], g.Y[r*d+k])
		}
	}
	return lo, hi
}

// sensorPositions returns the sensors' x positions: the dataset's first
// axis coordinate when it has one value per sensor, else nil.
func sensorPositions(ds *data.Dataset, g *Grid) []float64 {
	if len(ds.Meta.Axes) > 0 {
		if a, ok := ds.Coords[ds.Meta.Axes[0]]; ok && len(a.Data) == g.M {
			return a.Data
		}
	}
	return nil
}
