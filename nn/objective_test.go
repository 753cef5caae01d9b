package nn

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
	G "gorgonia.org/gorgonia"
)

// poissonFixture returns a small 2-D Poisson PINN on the unit square with
// f = 2π² sin πx sin πy (exact solution sin πx sin πy).
func poissonFixture(t testing.TB, act Activation, seed uint64, nInt, nBd int) (*MLP, *ResidualObjective) {
	t.Helper()
	cfg := MLPConfig{Inputs: 2, Outputs: 1, Hidden: []int{7, 6}, Activation: act, BiasInit: Uniform(-0.2, 0.2)}
	m, err := NewMLP(cfg, rand.New(rand.NewPCG(seed, 1)))
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(seed, 2))
	var p PoissonData
	for i := 0; i < nInt; i++ {
		x, y := rng.Float64(), rng.Float64()
		p.Interior = append(p.Interior, x, y)
		p.F = append(p.F, 2*math.Pi*math.Pi*math.Sin(math.Pi*x)*math.Sin(math.Pi*y))
	}
	for i := 0; i < nBd; i++ {
		s := rng.Float64()
		pts := [][2]float64{{s, 0}, {1, s}, {s, 1}, {0, s}}[i%4]
		p.Boundary = append(p.Boundary, pts[0], pts[1])
		p.G = append(p.G, 0)
	}
	p.BoundaryWeight = 3
	o, err := NewPoisson(m, p)
	if err != nil {
		t.Fatal(err)
	}
	return m, o
}

// ksFixture returns an objective whose residual uses every kind of jet
// derivative, written with Algebra: r = u_y + u·u_x + u_xx + u_xxxx +
// 0.5·u_xy − 0.2·u_yyy − f (Kuramoto–Sivashinsky-like in (x, y = t)).
// Its weight gradient needs σ⁽⁵⁾.
func ksFixture(t testing.TB, act Activation, seed uint64, n int) (*MLP, *ResidualObjective) {
	t.Helper()
	cfg := MLPConfig{Inputs: 2, Outputs: 1, Hidden: []int{6, 5}, Activation: act, BiasInit: Uniform(-0.2, 0.2)}
	m, err := NewMLP(cfg, rand.New(rand.NewPCG(seed, 3)))
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(seed, 4))
	b := Block{Name: "interior", XCols: 2, YCols: 1}
	for i := 0; i < n; i++ {
		b.X = append(b.X, 2*rng.Float64()-1, rng.Float64())
		b.Y = append(b.Y, rng.NormFloat64())
	}
	spec := JetSpec{First: []int{0, 1}, Second: []int{0}, Mixed: [][2]int{{0, 1}}, Third: []int{1}, Fourth: []int{0}}
	o, err := NewResidualObjective(m.Params(), []Block{b}, func(g *Graph, x, y []*G.Node) ([]Residual, error) {
		j, err := m.Jet(g, x[0], spec)
		if err != nil {
			return nil, err
		}
		var a Algebra
		r := a.Add(j.First[1], a.Mul(j.U, j.First[0]))
		r = a.Add(r, a.Add(j.Second[0], j.Fourth[0]))
		r = a.Add(r, a.Scale(0.5, j.Mixed[0]))
		r = a.Sub(r, a.Scale(0.2, j.Third[1]))
		r = a.Sub(r, y[0])
		if err := a.Err(); err != nil {
			return nil, err
		}
		return []Residual{{R: r.(*G.Node), Traces: []*Trace{j.Trace}}}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m, o
}

func regressionFixture(t testing.TB, act Activation, seed uint64, n int) (*MLP, *ResidualObjective) {
	t.Helper()
	cfg := MLPConfig{Inputs: 2, Outputs: 1, Hidden: []int{8}, Activation: act, BiasInit: Uniform(-0.2, 0.2), Fourier: FourierConfig{Features: 3, Scale: 0.5}}
	m, err := NewMLP(cfg, rand.New(rand.NewPCG(seed, 5)))
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(seed, 6))
	var x, y []float64
	for i := 0; i < n; i++ {
		a, b := 2*rng.Float64()-1, 2*rng.Float64()-1
		x = append(x, a, b)
		y = append(y, math.Sin(3*a)*b)
	}
	o, err := NewRegression(m, x, y)
	if err != nil {
		t.Fatal(err)
	}
	return m, o
}

type objectiveCase struct {
	name  string
	make  func(t testing.TB) (*MLP, *ResidualObjective)
	batch []int
}

func objectiveCases() []objectiveCase {
	var cs []objectiveCase
	for i, a := range Activations() {
		seed := uint64(10 + i)
		cs = append(cs,
			objectiveCase{name: "poisson/" + a.Name(), make: func(t testing.TB) (*MLP, *ResidualObjective) { return poissonFixture(t, a, seed, 9, 6) }, batch: []int{0, 3, 11, 4, 14, 9}},
			objectiveCase{name: "ks/" + a.Name(), make: func(t testing.TB) (*MLP, *ResidualObjective) { return ksFixture(t, a, seed, 7) }},
		)
	}
	// 22 interior rows (a graph of 25, padded) and 3 boundary rows.
	padded := []int{41, 45, 50}
	for i := 0; i < 38; i += 2 {
		padded = append(padded, i)
	}
	padded = append(padded, 1, 3, 5)
	cs = append(cs, objectiveCase{name: "poisson-padded/tanh", make: func(t testing.TB) (*MLP, *ResidualObjective) { return poissonFixture(t, Tanh, 21, 40, 20) }, batch: padded})
	cs = append(cs, objectiveCase{name: "regression/fourier-tanh", make: func(t testing.TB) (*MLP, *ResidualObjective) { return regressionFixture(t, Tanh, 3, 10) }, batch: []int{9, 2, 5}})
	return cs
}

// fourPoint returns the derivative of f at 0 by the fourth-order central
// difference with step h.
func fourPoint(f func(float64) float64, h float64) float64 {
	return (f(-2*h) - 8*f(-h) + 8*f(h) - f(2*h)) / (12 * h)
}

// TestWeightGradientMatchesFD perturbs every weight through the API (its
// Param.Value, which is the bound graph tensor's backing array) and
// compares the fourth-order central difference of Loss with the gradient
// from one reverse pass, to 1e-6 relative to the gradient's largest entry.
// The jets' weight gradients exercise every activation derivative up to
// σ⁽⁵⁾ (the ks cases).
func TestWeightGradientMatchesFD(t *testing.T) {
	for _, c := range objectiveCases() {
		t.Run(c.name, func(t *testing.T) {
			_, o := c.make(t)
			if _, err := o.Loss(c.batch); err != nil {
				t.Fatal(err)
			}
			var grad []float64
			for _, p := range o.Params() {
				grad = append(grad, p.Grad...)
			}
			scale := 0.0
			for _, v := range grad {
				scale = math.Max(scale, math.Abs(v))
			}
			at, worst := 0, 0.0
			for _, p := range o.Params() {
				for i := range p.Value {
					v0 := p.Value[i]
					fd := fourPoint(func(h float64) float64 {
						p.Value[i] = v0 + h
						l, err := o.Loss(c.batch)
						if err != nil {
							t.Fatal(err)
						}
						return l
					}, 1e-3)
					p.Value[i] = v0
					e := math.Abs(fd - grad[at])
					worst = math.Max(worst, e/scale)
					if e > 1e-6*scale {
						t.Errorf("%s[%d]: gradient %.12g, finite difference %.12g (%.2g relative)", p.Name, i, grad[at], fd, e/scale)
					}
					at++
				}
			}
			t.Logf("%d weights, max |grad| %.3g, worst relative error %.2g", at, scale, worst)
		})
	}
}

// TestInPlaceUpdateMatchesFreshGraph checks that writing Param.Value in
// place (as optimizers do) is what the next run of a compiled graph uses:
// the loss after the update equals that of a newly built objective with
// the same values.
func TestInPlaceUpdateMatchesFreshGraph(t *testing.T) {
	m, o := poissonFixture(t, Tanh, 1, 8, 4)
	if _, err := o.Loss(nil); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 5))
	for _, p := range o.Params() {
		for i := range p.Value {
			p.Value[i] += 0.1 * rng.NormFloat64()
		}
	}
	got, err := o.Loss(nil)
	if err != nil {
		t.Fatal(err)
	}
	_, fresh := poissonFixture(t, Tanh, 1, 8, 4)
	for k, p := range fresh.Params() {
		copy(p.Value, m.Params()[k].Value)
	}
	want, err := fresh.Loss(nil)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("loss after in-place update %.17g, fresh graph %.17g", got, want)
	}
}

// TestJacobianMatchesFD compares the per-sample Jacobian with central
// differences of the residual vector, checks ½‖r‖² against Loss and Jᵀr
// against the gradient.
func TestJacobianMatchesFD(t *testing.T) {
	for _, c := range objectiveCases() {
		t.Run(c.name, func(t *testing.T) {
			_, o := c.make(t)
			nr := o.NumResiduals(c.batch)
			r, err := o.Residuals(nil, c.batch)
			if err != nil {
				t.Fatal(err)
			}
			if len(r) != nr {
				t.Fatalf("NumResiduals %d, Residuals gave %d", nr, len(r))
			}
			loss, err := o.Loss(c.batch)
			if err != nil {
				t.Fatal(err)
			}
			if half := 0.5 * mat.Dot(mat.NewVecDense(nr, r), mat.NewVecDense(nr, r)); math.Abs(half-loss) > 1e-13*loss {
				t.Errorf("½‖r‖² = %.15g, Loss = %.15g", half, loss)
			}
			J, err := o.Jacobian(nil, c.batch)
			if err != nil {
				t.Fatal(err)
			}
			var grad []float64
			for _, p := range o.Params() {
				grad = append(grad, p.Grad...)
			}
			var jtr mat.VecDense
			jtr.MulVec(J.T(), mat.NewVecDense(nr, r))
			for i, g := range grad {
				if math.Abs(jtr.AtVec(i)-g) > 1e-10*(1+math.Abs(g)) {
					t.Errorf("(Jᵀr)[%d] = %.12g, gradient %.12g", i, jtr.AtVec(i), g)
				}
			}
			scale := mat.Norm(J, math.Inf(1))
			col, worst := 0, 0.0
			rp := make([]float64, nr)
			for _, p := range o.Params() {
				for i := range p.Value {
					v0 := p.Value[i]
					fd := make([]float64, nr)
					for _, s := range []struct{ h, w float64 }{{-2e-3, 1}, {-1e-3, -8}, {1e-3, 8}, {2e-3, -1}} {
						p.Value[i] = v0 + s.h
						if _, err := o.Residuals(rp, c.batch); err != nil {
							t.Fatal(err)
						}
						for q := range fd {
							fd[q] += s.w * rp[q] / 12e-3
						}
					}
					p.Value[i] = v0
					for q := range fd {
						e := math.Abs(fd[q] - J.At(q, col))
						worst = math.Max(worst, e/scale)
						if e > 1e-6*scale {
							t.Errorf("J[%d, %s[%d]] = %.12g, finite difference %.12g", q, p.Name, i, J.At(q, col), fd[q])
						}
					}
					col++
				}
			}
			t.Logf("J is %d×%d, max row sum %.3g, worst relative error %.2g", nr, col, scale, worst)
		})
	}
}

// TestHeapFlatOver10000Steps runs a compiled objective for 10,000 steps
// and checks that the live heap does not grow: graphs are built once per
// batch shape and reused.
func TestHeapFlatOver10000Steps(t *testing.T) {
	_, o := poissonFixture(t, Tanh, 2, 6, 4)
	batches := [][]int{{0, 1, 2, 6}, {3, 4, 5, 7}, nil}
	step := func(i int) {
		if _, err := o.Loss(batches[i%len(batches)]); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 300; i++ {
		step(i)
	}
	var before, after runtimeStats
	before.read()
	for i := 0; i < 10000; i++ {
		step(i)
	}
	after.read()
	if grow := int64(after.heap) - int64(before.heap); grow > 4<<20 {
		t.Errorf("live heap grew by %d bytes over 10,000 steps (from %d to %d)", grow, before.heap, after.heap)
	}
	if n := len(o.progs); n != 2 {
		t.Errorf("%d compiled batch shapes, want 2", n)
	}
	t.Logf("live heap %d → %d bytes", before.heap, after.heap)
}

func TestObjectiveErrors(t *testing.T) {
	m, o := poissonFixture(t, Tanh, 1, 4, 4)
	if _, err := o.Loss([]int{0, 8}); err == nil {
		t.Error("Loss with index out of range: no error")
	}
	if _, err := o.Loss([]int{}); err == nil {
		t.Error("Loss with empty batch: no error")
	}
	if _, err := NewPoisson(m, PoissonData{Interior: []float64{0, 0, 1}, F: []float64{1}}); err == nil {
		t.Error("Poisson with ragged points: no error")
	}
	if _, err := NewRegression(m, []float64{0, 0}, []float64{math.NaN()}); err == nil {
		t.Error("regression with NaN target: no error")
	}
	if _, err := o.Residuals(make([]float64, 3), nil); err == nil {
		t.Error("Residuals with a short destination: no error")
	}
	if _, err := o.Jacobian(mat.NewDense(2, 2, nil), nil); err == nil {
		t.Error("Jacobian with a wrong-size destination: no error")
	}
}

// TestPaddedBatchesMatchExact draws random minibatches that split
// differently between the interior and boundary blocks, and checks that
// the loss and gradient of the padded, bucketed graphs equal those of an
// objective built on exactly the batch's samples, and that the number of
// compiled shapes stays bounded.
func TestPaddedBatchesMatchExact(t *testing.T) {
	m, o := poissonFixture(t, Tanh, 6, 60, 40)
	rng := rand.New(rand.NewPCG(8, 8))
	for trial := 0; trial < 25; trial++ {
		batch := rng.Perm(o.NumSamples())[:30+trial]
		var sub PoissonData
		sub.BoundaryWeight = 3
		for _, i := range batch {
			k, r, _ := o.locate(i)
			b := o.blocks[k]
			if k == 0 {
				sub.Interior = append(sub.Interior, b.X[2*r:2*r+2]...)
				sub.F = append(sub.F, b.Y[r])
			} else {
				sub.Boundary = append(sub.Boundary, b.X[2*r:2*r+2]...)
				sub.G = append(sub.G, b.Y[r])
			}
		}
		exact, err := NewPoisson(m, sub)
		if err != nil {
			t.Fatal(err)
		}
		want, err := exact.Loss(nil)
		if err != nil {
			t.Fatal(err)
		}
		var wantGrad []float64
		for _, p := range exact.Params() {
			wantGrad = append(wantGrad, p.Grad...)
		}
		got, err := o.Loss(batch)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(got-want) > 1e-12*want {
			t.Errorf("batch %d: padded loss %.15g, exact %.15g", trial, got, want)
		}
		at := 0
		for _, p := range o.Params() {
			for _, g := range p.Grad {
				if math.Abs(g-wantGrad[at]) > 1e-11*(1+math.Abs(wantGrad[at])) {
					t.Fatalf("batch %d: padded gradient %.15g, exact %.15g", trial, g, wantGrad[at])
				}
				at++
			}
		}
		if n := len(o.progs); n > MaxGraphs {
			t.Fatalf("%d compiled shapes, more than MaxGraphs", n)
		}
	}
}

func TestBucket(t *testing.T) {
	for _, c := range []struct{ m, rows, want int }{
		{0, 10, 0}, {5, 100, 5}, {16, 100, 16}, {17, 100, 20}, {20, 100, 20}, {21, 100, 25},
		{90, 100, 90}, {91, 100, 100}, {100, 100, 100}, {4096, 4096, 4096}, {4000, 10000, 4931},
	} {
		if got := bucket(c.m, c.rows); got != c.want {
			t.Errorf("bucket(%d, %d) = %d, want %d", c.m, c.rows, got, c.want)
		}
	}
	for m := 1; m < 5000; m++ {
		if b := bucket(m, 1<<20); b < m || float64(b) > 1.25*float64(m)+1 {
			t.Fatalf("bucket(%d) = %d: outside [m, 1.25m]", m, b)
		}
	}
}
