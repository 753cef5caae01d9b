package pinn

import (
	"math"
	"testing"

	"github.com/neuralpde/neuralpde/nn"
	"github.com/neuralpde/neuralpde/pde"
	G "gorgonia.org/gorgonia"
)

// jetValues evaluates the model's graph jet at pts.
func jetValues(t *testing.T, m *Model, pts []float64, need pde.Deriv, tIndex int) map[pde.Deriv][]float64 {
	t.Helper()
	d := m.Dim()
	rows := len(pts) / d
	g := nn.NewGraph()
	xi := g.Input("xi", rows, d)
	m.scaled(xi.Data, pts)
	b := &nodes{g: g}
	j, _ := m.jet(b, xi.Node, pts, need, tIndex)
	if b.err != nil {
		t.Fatal(b.err)
	}
	out := map[pde.Deriv][]float64{}
	reads := map[pde.Deriv]*[]float64{}
	for _, dv := range allDerivs {
		if dv != pde.DU && need&dv == 0 {
			continue
		}
		node := *jetField(&j, dv)
		v, err := g.Read(node.(*G.Node))
		if err != nil {
			t.Fatal(err)
		}
		reads[dv] = &v
	}
	prog, err := g.Compile(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := prog.Run(); err != nil {
		t.Fatal(err)
	}
	for k, v := range reads {
		out[k] = append([]float64(nil), (*v)...)
	}
	return out
}

// fdJet differentiates m.Eval by central differences at one point.
func fdJet(m *Model, p []float64, dv pde.Deriv, tIndex int) float64 {
	f := func(q []float64) float64 { return m.Eval(nil, q)[0] }
	shift := func(i int, h float64) []float64 {
		q := append([]float64(nil), p...)
		q[i] += h
		return q
	}
	first := func(i int) float64 {
		const h = 1e-5
		return (f(shift(i, h)) - f(shift(i, -h))) / (2 * h)
	}
	second := func(i int) float64 {
		const h = 1e-3
		return (-f(shift(i, 2*h)) + 16*f(shift(i, h)) - 30*f(p) + 16*f(shift(i, -h)) - f(shift(i, -2*h))) / (12 * h * h)
	}
	switch dv {
	case pde.DU:
		return f(p)
	case pde.DX:
		return first(0)
	case pde.DY:
		return first(1)
	case pde.DT:
		return first(tIndex)
	case pde.DXX:
		return second(0)
	case pde.DYY:
		return second(1)
	case pde.DXY:
		const h = 1e-4
		pp := func(a, b float64) []float64 { q := shift(0, a); q[1] += b; return q }
		return (f(pp(h, h)) - f(pp(h, -h)) - f(pp(-h, h)) + f(pp(-h, -h))) / (4 * h * h)
	}
	panic("unsupported")
}

func TestModelJetAgainstFiniteDifferences(t *testing.T) {
	burgers, _ := LookupProblem("burgers-shock")
	sine, _ := LookupProblem("poisson-sine")
	ac, _ := LookupProblem("allen-cahn")
	cases := []struct {
		name   string
		p      *Problem
		con    *Constraint
		need   pde.Deriv
		tIndex int
	}{
		{"burgers plain", burgers, nil, pde.DT | pde.DX | pde.DXX, 1},
		{"burgers hard initial+Dirichlet", burgers, AutoConstraint(burgers), pde.DT | pde.DX | pde.DXX, 1},
		{"allen-cahn hard initial", ac, AutoConstraint(ac), pde.DT | pde.DX | pde.DXX, 1},
		{"rectangle hard Dirichlet", sine, AutoConstraint(sine), pde.DX | pde.DY | pde.DXX | pde.DYY | pde.DXY, -1},
		{"rectangle plain", sine, nil, pde.DXX | pde.DYY | pde.DXY, -1},
	}
	for _, c := range cases {
		if c.name != "burgers plain" && c.name != "rectangle plain" && c.con == nil {
			t.Fatalf("%s: AutoConstraint found no transform", c.name)
		}
		lo, hi := c.p.Domain().Bounds()
		cfg := nn.MLPConfig{Inputs: 2, Outputs: 1, Hidden: []int{6, 6}}
		m, err := NewModel(cfg, lo, hi, c.con, newRand(3))
		if err != nil {
			t.Fatal(err)
		}
		pts, _ := SampleInterior(nil, c.p.Domain(), 5, &Halton{})
		got := jetValues(t, m, pts, c.need, c.tIndex)
		for dv, vals := range got {
			for r := 0; r < 5; r++ {
				want := fdJet(m, pts[2*r:2*r+2], dv, c.tIndex)
				if math.Abs(vals[r]-want) > 2e-6*(1+math.Abs(want)) {
					t.Errorf("%s: derivative %b at %v: jet %.10g, finite differences %.10g", c.name, dv, pts[2*r:2*r+2], vals[r], want)
				}
			}
		}
	}
}

func TestAutoConstraintImposesData(t *testing.T) {
	p, _ := LookupProblem("burgers-shock")
	c := AutoConstraint(p)
	if c == nil || !c.Initial || !c.Boundary {
		t.Fatalf("burgers-shock: constraint %+v, want initial and boundary", c)
	}
	lo, hi := p.Domain().Bounds()
	m, _ := NewModel(nn.MLPConfig{Inputs: 2, Outputs: 1, Hidden: []int{5}}, lo, hi, c, newRand(1))
	for _, x := range []float64{-0.9, -0.3, 0.2, 0.77} {
		if u := m.Eval(nil, []float64{x, 0})[0]; math.Abs(u+math.Sin(math.Pi*x)) > 1e-14 {
			t.Errorf("u(0, %g) = %g, want −sin(πx) = %g", x, u, -math.Sin(math.Pi*x))
		}
	}
	for _, tt := range []float64{0.1, 0.5, 1} {
		for _, x := range []float64{-1, 1} {
			if u := m.Eval(nil, []float64{x, tt})[0]; math.Abs(u) > 1e-15 {
				t.Errorf("u(%g, %g) = %g, want 0", tt, x, u)
			}
		}
	}
	kdv, _ := LookupProblem("kdv")
	if AutoConstraint(kdv) != nil {
		t.Error("kdv (third order in x) got a transform built on finite differences")
	}
	lsh, _ := LookupProblem("poisson-lshape")
	if AutoConstraint(lsh) != nil {
		t.Error("the L-shape got a box transform")
	}
}

func TestEffectiveNeeds(t *testing.T) {
	cases := []struct {
		eq   pde.Equation
		want pde.Deriv
	}{
		{pde.Burgers{Nu: 0.1}, pde.DU | pde.DT | pde.DX | pde.DXX},
		{pde.Burgers{Nu: 0}, pde.DU | pde.DT | pde.DX},
		{pde.KuramotoSivashinsky{A: 1, B: -0.1, C: 0}, pde.DU | pde.DT | pde.DX | pde.DXX},
		{pde.Poisson{}, pde.DXX | pde.DYY},
	}
	for _, c := range cases {
		if got := effectiveNeeds(c.eq); got != c.want {
			t.Errorf("%T%+v: effective needs %b, want %b", c.eq, c.eq, got, c.want)
		}
	}
	if got := effectiveNeeds(pde.Burgers{Nu: 0}, pde.Burgers{Nu: 1}); got != pde.DU|pde.DT|pde.DX|pde.DXX {
		t.Errorf("needs of a family with an unknown coefficient: %b", got)
	}
}
