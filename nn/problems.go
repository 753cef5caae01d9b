package nn

import (
	"fmt"

	G "gorgonia.org/gorgonia"
)

// NewRegression returns the objective of fitting m to samples (x, y) by
// mean-squared error: the loss is ½·mean‖u(xᵢ) − yᵢ‖². x is n×Inputs and
// y is n×Outputs, row-major. It is a ready test problem for optimizers
// (Objective and, for one output, LeastSquares).
func NewRegression(m *MLP, x, y []float64) (*ResidualObjective, error) {
	cfg := m.Config()
	b := Block{Name: "data", X: x, XCols: cfg.Inputs, Y: y, YCols: cfg.Outputs}
	if len(x)%cfg.Inputs != 0 || len(y) != b.Rows()*cfg.Outputs {
		return nil, fmt.Errorf("nn: regression data: %d inputs and %d targets for a network %d→%d; give n×%d and n×%d row-major slices", len(x), len(y), cfg.Inputs, cfg.Outputs, cfg.Inputs, cfg.Outputs)
	}
	return NewResidualObjective(m.Params(), []Block{b}, func(g *Graph, xs, ys []*G.Node) ([]Residual, error) {
		j, err := m.Jet(g, xs[0], JetSpec{})
		if err != nil {
			return nil, err
		}
		r, err := G.Sub(j.U, ys[0])
		if err != nil {
			return nil, fmt.Errorf("nn: regression residual: %w", err)
		}
		return []Residual{{R: r, Traces: []*Trace{j.Trace}}}, nil
	})
}

// PoissonData is a Poisson problem −Δu = f in a domain, u = g on its
// boundary, sampled at points: the PINN loss of Raissi et al. (2019).
type PoissonData struct {
	// Interior holds the collocation points, n×d row-major, and F the
	// source f at them.
	Interior, F []float64
	// Boundary holds boundary points, nb×d row-major, and G the boundary
	// values there.
	Boundary, G []float64
	// BoundaryWeight weights the boundary term; zero means 1.
	BoundaryWeight float64
}

// NewPoisson returns the PINN objective of the Poisson problem p for the
// network m, which has d = Inputs space dimensions and one output:
//
//	L = ½ mean over interior points of (−Δu − f)² + ½ w · mean over boundary points of (u − g)².
//
// The residual is written with Algebra on a jet carrying the Laplacian, as
// a catalogue equation's residual is.
func NewPoisson(m *MLP, p PoissonData) (*ResidualObjective, error) {
	cfg := m.Config()
	d := cfg.Inputs
	if cfg.Outputs != 1 {
		return nil, fmt.Errorf("nn: Poisson PINN needs a network with one output, not %d", cfg.Outputs)
	}
	if len(p.Interior)%d != 0 || len(p.F) != len(p.Interior)/d {
		return nil, fmt.Errorf("nn: Poisson data: %d interior coordinates and %d source values for %d dimensions", len(p.Interior), len(p.F), d)
	}
	if len(p.Boundary)%d != 0 || len(p.G) != len(p.Boundary)/d {
		return nil, fmt.Errorf("nn: Poisson data: %d boundary coordinates and %d boundary values for %d dimensions", len(p.Boundary), len(p.G), d)
	}
	blocks := []Block{
		{Name: "interior", X: p.Interior, XCols: d, Y: p.F, YCols: 1},
		{Name: "boundary", X: p.Boundary, XCols: d, Y: p.G, YCols: 1, Weight: p.BoundaryWeight},
	}
	space := make([]int, d)
	for i := range space {
		space[i] = i
	}
	return NewResidualObjective(m.Params(), blocks, func(g *Graph, xs, ys []*G.Node) ([]Residual, error) {
		res := make([]Residual, 2)
		if xs[0] != nil {
			j, err := m.Jet(g, xs[0], JetSpec{Second: space})
			if err != nil {
				return nil, err
			}
			lap, err := j.Laplacian(space...)
			if err != nil {
				return nil, err
			}
			var a Algebra
			r := a.Sub(a.Scale(-1, lap), ys[0])
			if err := a.Err(); err != nil {
				return nil, err
			}
			res[0] = Residual{R: r.(*G.Node), Traces: []*Trace{j.Trace}}
		}
		if xs[1] != nil {
			j, err := m.Jet(g, xs[1], JetSpec{})
			if err != nil {
				return nil, err
			}
			var a Algebra
			r := a.Sub(j.U, ys[1])
			if err := a.Err(); err != nil {
				return nil, err
			}
			res[1] = Residual{R: r.(*G.Node), Traces: []*Trace{j.Trace}}
		}
		return res, nil
	})
}
