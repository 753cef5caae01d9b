package pinn

import (
	"math"
	"testing"

	"github.com/neuralpde/neuralpde/nn"
	"github.com/neuralpde/neuralpde/pde"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/floats/scalar"
)

// tinyPINN returns a small PINN of the named preset with soft or hard
// conditions, for derivative checks.
func tinyPINN(t *testing.T, preset, constraint string, unknowns []Unknown, eq *EquationConfig) *PINN {
	t.Helper()
	cfg, err := DefaultConfig(preset)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Network.Hidden = []int{5, 5}
	cfg.Constraint = constraint
	cfg.Points = PointsConfig{Collocation: 12, Initial: 4, Boundary: 4, Sampler: "halton"}
	cfg.Unknowns = unknowns
	cfg.Observations = 6
	cfg.Equation = eq
	p, err := cfg.problem()
	if err != nil {
		t.Fatal(err)
	}
	m, err := cfg.model(p)
	if err != nil {
		t.Fatal(err)
	}
	var g *Grid
	if unknowns != nil {
		if g, err = StandardGrid(preset, ""); err != nil {
			t.Fatal(err)
		}
	}
	pn, err := cfg.newPINN(p, m, g)
	if err != nil {
		t.Fatal(err)
	}
	for k, term := range pn.Terms {
		term.Weight = 1 + 0.5*float64(k)
		if term.Kind == ResidualTerm {
			term.PointWeights = make([]float64, term.Rows(p.Dim()))
			for i := range term.PointWeights {
				term.PointWeights[i] = 0.2 + 0.1*float64(i%5)
			}
		}
	}
	pn.SetWeights()
	return pn
}

// objectiveCase is a named tiny PINN.
type objectiveCase struct {
	name string
	pn   *PINN
}

// objectiveCases are tiny PINNs through weights, hard constraints,
// periodic pairs and unknown coefficients.
func objectiveCases(t *testing.T) []objectiveCase {
	t.Helper()
	burgersKS := &EquationConfig{Name: "kuramoto-sivashinsky", Params: map[string]float64{"a": 1, "b": -0.01 / math.Pi, "c": 0}}
	return []objectiveCase{
		{"burgers soft", tinyPINN(t, "burgers-shock", "none", nil, nil)},
		{"allen-cahn periodic, hard initial", tinyPINN(t, "allen-cahn", "auto", nil, nil)},
		{"poisson-lshape", tinyPINN(t, "poisson-lshape", "auto", nil, nil)},
		{"inverse burgers", tinyPINN(t, "burgers-shock", "auto", []Unknown{{Name: "a", Init: 0.3}, {Name: "b", Init: -0.2}}, burgersKS)},
	}
}

// TestGradientAgainstFiniteDifferences checks the loss gradient with
// respect to every parameter, network and coefficients, by central
// differences of the loss with values written through Param.Value.
func TestGradientAgainstFiniteDifferences(t *testing.T) {
	cases := objectiveCases(t)
	for _, c := range cases {
		obj := c.pn.Objective()
		if _, err := obj.Loss(nil); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		var grad []float64
		for _, p := range obj.Params() {
			grad = append(grad, p.Grad...)
		}
		k := 0
		for _, p := range obj.Params() {
			for i := 0; i < p.Len(); i += 1 + p.Len()/4 {
				v := p.Value[i]
				const h = 1e-6
				p.Value[i] = v + h
				lp, _ := obj.Loss(nil)
				p.Value[i] = v - h
				lm, _ := obj.Loss(nil)
				p.Value[i] = v
				fd := (lp - lm) / (2 * h)
				at := k + i
				if math.Abs(fd-grad[at]) > 1e-6*(1+math.Abs(fd)) {
					t.Errorf("%s: ∂L/∂%s[%d] = %.9g, finite differences %.9g", c.name, p.Name, i, grad[at], fd)
				}
			}
			k += p.Len()
		}
	}
}

// TestLossOnly checks that LossOnly equals Loss to 1e-12 relative on
// every objective case and leaves every Param.Grad as it was.
func TestLossOnly(t *testing.T) {
	cases := objectiveCases(t)
	const sentinel = 42.0
	for _, c := range cases {
		obj := c.pn.Objective()
		all := make([]int, obj.NumSamples())
		for i := range all {
			all[i] = i
		}
		for _, batch := range [][]int{nil, all} {
			want, err := obj.Loss(batch)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			for _, p := range obj.Params() {
				for i := range p.Grad {
					p.Grad[i] = sentinel
				}
			}
			got, err := obj.LossOnly(batch)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if !scalar.EqualWithinRel(got, want, 1e-12) {
				t.Errorf("%s, batch of %d: LossOnly %.17g, Loss %.17g", c.name, len(batch), got, want)
			}
			for _, p := range obj.Params() {
				for i, g := range p.Grad {
					if g != sentinel {
						t.Fatalf("%s: LossOnly changed %s.Grad[%d] to %g", c.name, p.Name, i, g)
					}
				}
			}
		}
	}
}

// TestJacobianAgainstFiniteDifferences checks the residual Jacobian that
// Levenberg–Marquardt uses, through weights, hard constraints and
// periodic pairs, against differences of the residual vector.
func TestJacobianAgainstFiniteDifferences(t *testing.T) {
	burgersKS := &EquationConfig{Name: "kuramoto-sivashinsky", Params: map[string]float64{"a": 1, "b": -0.01 / math.Pi, "c": 0}}
	cases := []struct {
		name string
		pn   *PINN
	}{
		{"burgers soft", tinyPINN(t, "burgers-shock", "none", nil, nil)},
		{"allen-cahn periodic", tinyPINN(t, "allen-cahn", "auto", nil, nil)},
		{"poisson-sine hard", tinyPINN(t, "poisson-sine", "auto", nil, nil)},
		{"inverse burgers", tinyPINN(t, "burgers-shock", "auto", []Unknown{{Name: "a", Init: 0.3}, {Name: "b", Init: -0.2}}, burgersKS)},
		{"inverse heat", tinyPINN(t, "heat", "auto", []Unknown{{Name: "kappa", Init: 0.4}}, nil)},
	}
	for _, c := range cases {
		obj := c.pn.Objective()
		r0, err := obj.Residuals(nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		loss, _ := obj.Loss(nil)
		if math.Abs(loss-0.5*floats.Dot(r0, r0)) > 1e-12*loss {
			t.Errorf("%s: loss %g is not ½‖r‖² = %g", c.name, loss, 0.5*floats.Dot(r0, r0))
		}
		J, err := obj.Jacobian(nil, nil)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		col := 0
		for _, p := range obj.Params() {
			for i := 0; i < p.Len(); i++ {
				v := p.Value[i]
				const h = 1e-6
				p.Value[i] = v + h
				rp, _ := obj.Residuals(nil, nil)
				p.Value[i] = v - h
				rm, _ := obj.Residuals(nil, nil)
				p.Value[i] = v
				for r := range rp {
					fd := (rp[r] - rm[r]) / (2 * h)
					if got := J.At(r, col+i); math.Abs(got-fd) > 1e-6*(1+math.Abs(fd)) {
						t.Fatalf("%s: J[%d, %s[%d]] = %.9g, finite differences %.9g", c.name, r, p.Name, i, got, fd)
					}
				}
			}
			col += p.Len()
		}
	}
}

// TestResidualIsTheCatalogueResidual compares the PINN's residual term
// with the equation's residual evaluated by pde.Float on finite
// differences of the model.
func TestResidualIsTheCatalogueResidual(t *testing.T) {
	pn := tinyPINN(t, "burgers-shock", "auto", nil, nil)
	var term *Term
	for _, tm := range pn.Terms {
		if tm.Kind == ResidualTerm {
			term = tm
		}
	}
	r, err := pn.ResidualAt(term.Points)
	if err != nil {
		t.Fatal(err)
	}
	eq := pn.Problem.Equation
	for i := 0; i < term.Rows(2); i++ {
		p := term.Points[2*i : 2*i+2]
		j := pde.Jet{U: fdJet(pn.Model, p, pde.DU, 1), Ut: fdJet(pn.Model, p, pde.DT, 1), Ux: fdJet(pn.Model, p, pde.DX, 1), Uxx: fdJet(pn.Model, p, pde.DXX, 1)}
		want := eq.Residual(pde.Float{}, j).(float64)
		if math.Abs(r[i]-want) > 1e-5*(1+math.Abs(want)) {
			t.Errorf("residual at %v: PINN %.8g, catalogue on finite differences %.8g", p, r[i], want)
		}
	}
}

func TestCausalWeights(t *testing.T) {
	pn := tinyPINN(t, "allen-cahn", "auto", nil, nil)
	for _, tm := range pn.Terms {
		tm.PointWeights = nil
	}
	pn.SetWeights()
	c := &causal{slices: 4, eps: []float64{1}}
	if err := c.update(pn); err != nil {
		t.Fatal(err)
	}
	res := pn.Terms[0]
	w := res.PointWeights
	rows := len(w)
	if w[0] != 1 {
		t.Errorf("first slice weight %g, want 1", w[0])
	}
	// Recompute the weights from the raw residuals by the definition.
	r, _ := pn.ResidualAt(res.Points)
	cum := 0.0
	for s := 0; s < 4; s++ {
		lo, hi := s*rows/4, (s+1)*rows/4
		want := math.Exp(-cum)
		for i := lo; i < hi; i++ {
			if math.Abs(w[i]-want) > 1e-12 {
				t.Fatalf("slice %d weight %g, want exp(−ε Σ L) = %g", s, w[i], want)
			}
			cum += r[i] * r[i] / float64(hi-lo)
		}
		if s > 0 && w[lo] > w[lo-1] {
			t.Errorf("weights increase in time at slice %d", s)
		}
	}
	for i := 1; i < rows; i++ {
		if res.Points[2*i+1] < res.Points[2*i-1] {
			t.Fatalf("collocation points are not sorted by time")
		}
	}
}

func TestGradNormBalance(t *testing.T) {
	pn := tinyPINN(t, "burgers-shock", "none", nil, nil)
	for _, tm := range pn.Terms {
		tm.PointWeights = nil
		tm.Weight = 1
	}
	pn.SetWeights()
	// Each term's gradient alone, from a PINN holding only that term.
	gradOf := func(k int) []float64 {
		q, err := NewPINN(pn.Problem, pn.Model, []*Term{{Kind: pn.Terms[k].Kind, Points: pn.Terms[k].Points, Target: pn.Terms[k].Target}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := q.Objective().Loss(nil); err != nil {
			t.Fatal(err)
		}
		var g []float64
		for _, p := range pn.Model.Net.Params() {
			g = append(g, p.Grad...)
		}
		return g
	}
	gr := gradOf(0)
	maxR := 0.0
	for _, v := range gr {
		maxR = math.Max(maxR, math.Abs(v))
	}
	want := []float64{1}
	for k := 1; k < len(pn.Terms); k++ {
		g := gradOf(k)
		mean := 0.0
		for _, v := range g {
			mean += math.Abs(v)
		}
		mean /= float64(len(g))
		want = append(want, 0.5+0.5*maxR/mean)
	}
	if err := pn.GradNormBalance(0.5); err != nil {
		t.Fatal(err)
	}
	for k, tm := range pn.Terms {
		if math.Abs(tm.Weight-want[k]) > 1e-9*want[k] {
			t.Errorf("term %v weight %g, want %g", tm.Kind, tm.Weight, want[k])
		}
	}
}

func TestNewPINNErrors(t *testing.T) {
	p, _ := LookupProblem("burgers-shock")
	lo, hi := p.Domain().Bounds()
	m, _ := NewModel(nn.MLPConfig{Inputs: 2, Outputs: 1, Hidden: []int{3}}, lo, hi, nil, newRand(0))
	good := []float64{0.1, 0.2, 0.3, 0.4}
	cases := []struct {
		name     string
		terms    []*Term
		unknowns []Unknown
	}{
		{"no terms", nil, nil},
		{"ragged points", []*Term{{Kind: ResidualTerm, Points: good[:3]}}, nil},
		{"target length", []*Term{{Kind: DataTerm, Points: good, Target: []float64{1}}}, nil},
		{"periodic partner", []*Term{{Kind: PeriodicTerm, Points: good}}, nil},
		{"negative weight", []*Term{{Kind: ResidualTerm, Points: good, Weight: -1}}, nil},
		{"unknown parameter", []*Term{{Kind: ResidualTerm, Points: good}}, []Unknown{{Name: "kappa"}}},
	}
	for _, c := range cases {
		if _, err := NewPINN(p, m, c.terms, c.unknowns); err == nil {
			t.Errorf("%s: no error", c.name)
		}
	}
}

// TestNeumannTerm compares the Neumann residual with the outward normal
// derivative of the model by finite differences, in one and two space
// dimensions.
func TestNeumannTerm(t *testing.T) {
	heat, _ := LookupProblem("heat")
	heat.BC = pde.Neumann
	heat.Boundary = func(p []float64) float64 { return 0.3 * p[1] }
	sq, _ := LookupProblem("poisson-sine")
	sq.BC = pde.Neumann
	sq.Boundary = func(p []float64) float64 { return p[0] - p[1] }
	for _, p := range []*Problem{heat, sq} {
		lo, hi := p.Domain().Bounds()
		m, err := NewModel(nn.MLPConfig{Inputs: 2, Outputs: 1, Hidden: []int{5, 5}}, lo, hi, nil, newRand(5))
		if err != nil {
			t.Fatal(err)
		}
		terms, err := NewTerms(p, nil, TermsConfig{Collocation: 4, Initial: 4, Boundary: 6}, &Halton{})
		if err != nil {
			t.Fatal(err)
		}
		nt := terms[len(terms)-1]
		if nt.Kind != NeumannTerm {
			t.Fatalf("%s: last term is %v, want neumann", p.Name, nt.Kind)
		}
		pn, err := NewPINN(p, m, []*Term{nt}, nil)
		if err != nil {
			t.Fatal(err)
		}
		r, err := pn.Objective().Residuals(nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		rows := nt.Rows(2)
		ds := p.Space.Dim()
		for i := 0; i < rows; i++ {
			q := nt.Points[2*i : 2*i+2]
			flux := nt.Normals[i*ds] * fdJet(m, q, pde.DX, 1)
			if ds == 2 {
				flux += nt.Normals[i*ds+1] * fdJet(m, q, pde.DY, 1)
			}
			want := (flux - p.Boundary(q)) / math.Sqrt(float64(rows))
			if math.Abs(r[i]-want) > 1e-7 {
				t.Errorf("%s: Neumann residual at %v = %.9g, want %.9g", p.Name, q, r[i], want)
			}
		}
	}
}
