package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	G "gorgonia.org/gorgonia"
)

// runJet builds m's jet for the points x on a fresh graph, runs it once and
// returns the values of u and of the requested derivatives.
func runJet(t *testing.T, m *MLP, x []float64, spec JetSpec) (u []float64, first, second, third, fourth map[int][]float64, mixed [][]float64) {
	t.Helper()
	d := m.cfg.Inputs
	g := NewGraph()
	in := g.Input("x", len(x)/d, d)
	copy(in.Data, x)
	j, err := m.Jet(g, in.Node, spec)
	if err != nil {
		t.Fatal(err)
	}
	read := func(n *G.Node) []float64 {
		v, err := g.Read(n)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	u = read(j.U)
	first, second, third, fourth = map[int][]float64{}, map[int][]float64{}, map[int][]float64{}, map[int][]float64{}
	for _, c := range []struct {
		dst   map[int][]float64
		nodes []*G.Node
	}{{first, j.First}, {second, j.Second}, {third, j.Third}, {fourth, j.Fourth}} {
		for i, n := range c.nodes {
			if n != nil {
				c.dst[i] = read(n)
			}
		}
	}
	for _, n := range j.Mixed {
		mixed = append(mixed, read(n))
	}
	p, err := g.Compile(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if _, err := p.Run(); err != nil {
		t.Fatal(err)
	}
	return u, first, second, third, fourth, mixed
}

// TestJetMatchesCauchy checks every derivative a jet can carry, for every
// activation (and through the Fourier embedding), against the complex
// contour-integral reference of reference_test.go, to 1e-8 relative to
// the largest magnitude of that derivative over the points.
func TestJetMatchesCauchy(t *testing.T) {
	type tc struct {
		act     Activation
		fourier FourierConfig
		r       float64
	}
	var cases []tc
	for _, a := range Activations() {
		cases = append(cases, tc{act: a, r: 0.25})
	}
	cases = append(cases, tc{act: Tanh, fourier: FourierConfig{Features: 3, Scale: 0.3}, r: 0.1})
	spec := JetSpec{First: []int{0, 1, 2}, Second: []int{0, 1, 2}, Mixed: [][2]int{{0, 1}, {2, 0}}, Third: []int{1}, Fourth: []int{0, 2}}
	const tol = 1e-8
	for ci, c := range cases {
		name := c.act.Name()
		if c.fourier.Features > 0 {
			name += "+fourier"
		}
		t.Run(name, func(t *testing.T) {
			cfg := MLPConfig{Inputs: 3, Outputs: 1, Hidden: []int{6, 5}, Activation: c.act, BiasInit: Uniform(-0.3, 0.3), Fourier: c.fourier}
			m, err := NewMLP(cfg, rand.New(rand.NewPCG(uint64(ci), 7)))
			if err != nil {
				t.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(99, uint64(ci)))
			const n = 4
			x := make([]float64, n*3)
			for i := range x {
				x[i] = 2*rng.Float64() - 1
			}
			u, first, second, third, fourth, mixed := runJet(t, m, x, spec)
			check := func(what string, got []float64, ref func(p []float64) float64) {
				t.Helper()
				want := make([]float64, n)
				scale := 0.0
				for s := 0; s < n; s++ {
					want[s] = ref(x[3*s : 3*s+3])
					scale = math.Max(scale, math.Abs(want[s]))
				}
				worst := 0.0
				for s := 0; s < n; s++ {
					e := math.Abs(got[s] - want[s])
					if e > tol*scale {
						t.Errorf("%s at point %d: got %.15g, want %.15g (error %.2g, %.2g relative)", what, s, got[s], want[s], e, e/scale)
					}
					worst = math.Max(worst, e/scale)
				}
				t.Logf("%-14s max |value| %.3g, worst relative error %.2g", what, scale, worst)
			}
			f := func(p []complex128) complex128 { return evalComplex(m, p, 0) }
			check("u", u, func(p []float64) float64 { return m.Eval(nil, p)[0] })
			const nodes = 48
			for i := 0; i < 3; i++ {
				for k, got := range []map[int][]float64{first, second, third, fourth} {
					if v, ok := got[i]; ok {
						check(fmt.Sprintf("d%d u/dx%d", k+1, i), v, func(p []float64) float64 { return cauchyDeriv(f, p, i, k+1, c.r, nodes) })
					}
				}
			}
			for k, ij := range spec.Mixed {
				check(fmt.Sprintf("d2 u/dx%d dx%d", ij[0], ij[1]), mixed[k], func(p []float64) float64 { return cauchyMixed(f, p, ij[0], ij[1], c.r, 24) })
			}
		})
	}
}
