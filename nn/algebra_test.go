package nn

import (
	"math"
	"slices"
	"testing"

	G "gorgonia.org/gorgonia"
)

// algebra mirrors pde.Algebra, which nn may not import: *Algebra must
// satisfy it structurally.
type algebra interface {
	Add(a, b any) any
	Sub(a, b any) any
	Mul(a, b any) any
	Scale(c float64, a any) any
	Shift(c float64, a any) any
}

var _ algebra = (*Algebra)(nil)

// floatAlgebra is pde.Float's arithmetic, for the comparison.
type floatAlgebra struct{}

func (floatAlgebra) Add(a, b any) any           { return a.(float64) + b.(float64) }
func (floatAlgebra) Sub(a, b any) any           { return a.(float64) - b.(float64) }
func (floatAlgebra) Mul(a, b any) any           { return a.(float64) * b.(float64) }
func (floatAlgebra) Scale(c float64, a any) any { return c * a.(float64) }
func (floatAlgebra) Shift(c float64, a any) any { return a.(float64) + c }

// burgersLike is a residual written once against the algebra, as the
// catalogue's are: u_t + u·u_x − ν u_xx + 0.5 (u + 1).
func burgersLike(a algebra, u, ut, ux, uxx any) any {
	r := a.Add(ut, a.Mul(u, ux))
	r = a.Sub(r, a.Scale(0.01/math.Pi, uxx))
	return a.Add(r, a.Scale(0.5, a.Shift(1, u)))
}

// TestAlgebraResidual evaluates one residual on jet nodes with Algebra and
// pointwise with float64 arithmetic on the jet's values, and compares.
func TestAlgebraResidual(t *testing.T) {
	m, _ := poissonFixture(t, SiLU, 4, 1, 1)
	x := []float64{0.1, 0.2, 0.5, 0.9, 0.7, 0.3}
	g := NewGraph()
	in := g.Input("x", 3, 2)
	copy(in.Data, x)
	j, err := m.Jet(g, in.Node, JetSpec{First: []int{0, 1}, Second: []int{0}})
	if err != nil {
		t.Fatal(err)
	}
	var a Algebra
	r := burgersLike(&a, j.U, j.First[1], j.First[0], j.Second[0])
	if err := a.Err(); err != nil {
		t.Fatal(err)
	}
	reads := make([][]float64, 5)
	for i, n := range []*G.Node{r.(*G.Node), j.U, j.First[1], j.First[0], j.Second[0]} {
		if reads[i], err = g.Read(n); err != nil {
			t.Fatal(err)
		}
	}
	p, err := g.Compile(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Run(); err != nil {
		t.Fatal(err)
	}
	for s := 0; s < 3; s++ {
		want := burgersLike(floatAlgebra{}, reads[1][s], reads[2][s], reads[3][s], reads[4][s]).(float64)
		if got := reads[0][s]; math.Abs(got-want) > 1e-14*math.Max(1, math.Abs(want)) {
			t.Errorf("point %d: graph residual %.16g, pointwise %.16g", s, got, want)
		}
	}
	if got := (&Algebra{}).Add(2.0, 3.0); got != 5.0 {
		t.Errorf("Add of two constants = %v, want 5", got)
	}
}

// TestColumnInResidual uses a coordinate column in a residual (a source
// x·y) and checks its values.
func TestColumnInResidual(t *testing.T) {
	g := NewGraph()
	in := g.Input("x", 3, 2)
	copy(in.Data, []float64{1, 2, 3, 4, 5, 6})
	x, err := Column(in.Node, 0)
	if err != nil {
		t.Fatal(err)
	}
	y, err := Column(in.Node, 1)
	if err != nil {
		t.Fatal(err)
	}
	var a Algebra
	r := a.Shift(1, a.Mul(x, y))
	if a.Err() != nil {
		t.Fatal(a.Err())
	}
	v, err := g.Read(r.(*G.Node))
	if err != nil {
		t.Fatal(err)
	}
	p, err := g.Compile(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Run(); err != nil {
		t.Fatal(err)
	}
	if want := []float64{3, 13, 31}; !slices.Equal(v, want) {
		t.Errorf("1 + x·y = %v, want %v", v, want)
	}
	if _, err := Column(in.Node, 2); err == nil {
		t.Error("Column out of range: no error")
	}
}

func TestAlgebraErrors(t *testing.T) {
	var a Algebra
	g := NewGraph()
	x := g.Input("x", 3, 1).Node
	y := g.Input("y", 2, 1).Node
	if r := a.Add(x, nil); r != nil || a.Err() == nil {
		t.Errorf("Add with a nil term: %v, error %v", r, a.Err())
	}
	var b Algebra
	b.Mul(x, y)
	if b.Err() == nil {
		t.Error("Mul of mismatched shapes: no error")
	}
	var c Algebra
	c.Sub(x, "u")
	if c.Err() == nil {
		t.Error("Sub with a string operand: no error")
	}
}
