package classical

import (
	"fmt"
	"math"

	"github.com/neuralpde/neuralpde/operators/sparse"
	"github.com/neuralpde/neuralpde/pde"
)

// DefaultSteadyTolerance is the relative residual ‖b − Au‖₂/‖b‖₂ at which
// the steady solvers (Darcy, SolvePoisson2D) stop by default.
const DefaultSteadyTolerance = 1e-10

// Darcy maps a coefficient field to the solution of the Darcy problem
// −∇·(a∇u) = f on a square with u = 0 on the boundary, for the darcy
// preset (f = 1 on the unit square, the FNO benchmark): Solve reads a on
// the n×n vertex grid (boundary included, row-major with x the slow index,
// as the data sets store it) and writes u on the same grid, zero on the
// boundary.
//
// The discretisation is the 5-point finite-volume stencil of
// sparse.Diffusion5, with the harmonic mean of a at each cell face
// (second order for smooth a; the standard choice for the discontinuous
// 12/3 coefficient); the system is solved by conjugate gradients
// preconditioned with one V-cycle of Galerkin multigrid with
// operator-dependent interpolation (sparse.Multigrid), which works on any
// n, including the FNO grid n = 421.
//
// It satisfies data.Solver. It holds workspaces, so use one per goroutine;
// each Solve assembles the matrix and the multigrid hierarchy afresh.
type Darcy struct {
	n, m int
	tol  float64
	rhs  []float64 // f at the interior points, sparse numbering
	coef []float64 // a in the sparse numbering (x fastest)
	x    []float64
	cg   sparse.CG
	last sparse.Result
}

// NewDarcy returns the Darcy solver of the preset p (its PDE must be
// pde.Darcy, its BC Dirichlet, its domain a square) on n×n vertices. The
// right-hand side is p.Source if set, else the equation's constant
// Source. cfg's Tolerance is used (zero: DefaultSteadyTolerance).
func NewDarcy(p *pde.Preset2D, n int, cfg *Config2D) (*Darcy, error) {
	if p == nil {
		return nil, fmt.Errorf("classical: nil preset")
	}
	eq, ok := p.PDE.(pde.Darcy)
	if !ok {
		return nil, fmt.Errorf("classical: preset %q is %v, not Darcy", p.Name, pdeName(p.PDE))
	}
	src := p.Source
	if src == nil {
		src = func(float64, float64) float64 { return eq.Source }
	}
	return newDirichletSolver(p, n, cfg, src)
}

func newDirichletSolver(p *pde.Preset2D, n int, cfg *Config2D, src func(x, y float64) float64) (*Darcy, error) {
	if p.BC != pde.Dirichlet {
		return nil, fmt.Errorf("classical: preset %q is not a Dirichlet problem", p.Name)
	}
	l := p.X.Length()
	if !(l > 0) || math.Abs(p.Y.Length()-l) > 1e-12*l {
		return nil, fmt.Errorf("classical: preset %q has the domain %v × %v; the finite-volume solver needs a square", p.Name, p.X, p.Y)
	}
	if n < 3 {
		return nil, fmt.Errorf("classical: resolution %d is too small; use at least 3 points per side (one interior point)", n)
	}
	tol := DefaultSteadyTolerance
	if cfg != nil && cfg.Tolerance != 0 {
		tol = cfg.Tolerance
	}
	if !(tol > 0 && tol < 1) {
		return nil, fmt.Errorf("classical: tolerance %g must be in (0, 1) (or 0 for the default %g)", tol, DefaultSteadyTolerance)
	}
	m := n - 2
	d := &Darcy{
		n: n, m: m, tol: tol,
		rhs:  make([]float64, m*m),
		coef: make([]float64, n*n),
		x:    make([]float64, m*m),
	}
	xs, ys := p.Grids(n)
	for j := 1; j <= m; j++ {
		for i := 1; i <= m; i++ {
			// The stencil is that of the unit square; −∇·(a∇u) on a side
			// of length L is 1/L² times it, moved to the right-hand side.
			d.rhs[(j-1)*m+i-1] = src(xs.At(i), ys.At(j)) * l * l
		}
	}
	if !finite(d.rhs) {
		return nil, fmt.Errorf("classical: preset %q has a source that is not finite on the grid", p.Name)
	}
	return d, nil
}

// InputShape returns [n, n].
func (d *Darcy) InputShape() []int { return []int{d.n, d.n} }

// OutputShape returns [n, n].
func (d *Darcy) OutputShape() []int { return []int{d.n, d.n} }

// Description describes the discretisation, for dataset metadata.
func (d *Darcy) Description() string {
	return fmt.Sprintf("5-point finite volume with harmonic face averages on %d² vertices, multigrid-preconditioned CG to relative residual %g", d.n, d.tol)
}

// LastResult returns the CG result of the last Solve (iterations and the
// relative residual reached).
func (d *Darcy) LastResult() sparse.Result { return d.last }

// Solve writes into out the solution u for the coefficient in; both are
// n×n, row-major with x the slow index. A coefficient that is not positive
// and finite, or a solve that does not reach the tolerance, is an error.
func (d *Darcy) Solve(out, in []float64) error {
	n := d.n
	if len(in) != n*n || len(out) != n*n {
		return fmt.Errorf("classical: Darcy.Solve got input length %d and output length %d, want %d", len(in), len(out), n*n)
	}
	// sparse numbers vertices with x fastest: transpose.
	for i := range n {
		for j := range n {
			d.coef[j*n+i] = in[i*n+j]
		}
	}
	a, err := sparse.Diffusion5(d.coef, n)
	if err != nil {
		return fmt.Errorf("classical: Darcy coefficient: %w", err)
	}
	clear(d.x)
	res, err := d.solve(a)
	if err != nil {
		return err
	}
	d.last = res
	clear(out)
	m := d.m
	for j := 1; j <= m; j++ {
		for i := 1; i <= m; i++ {
			out[i*n+j] = d.x[(j-1)*m+i-1]
		}
	}
	return nil
}

// solve solves a·x = rhs by MG-preconditioned CG into d.x.
func (d *Darcy) solve(a *sparse.CSR) (sparse.Result, error) {
	mg, err := sparse.NewMultigrid(a, d.m, nil)
	if err != nil {
		return sparse.Result{}, fmt.Errorf("classical: multigrid: %w", err)
	}
	res, err := d.cg.Solve(d.x, a, d.rhs, &sparse.Settings{Tolerance: d.tol, Preconditioner: mg})
	if err != nil {
		return res, fmt.Errorf("classical: CG: %w", err)
	}
	if res.Status != sparse.Converged {
		return res, fmt.Errorf("classical: the %d² Darcy system did not converge (%v after %d iterations, relative residual %g); check the coefficient's contrast or loosen Tolerance",
			d.n, res.Status, res.Iterations, res.Residual)
	}
	return res, nil
}

var _ FieldSolver = (*Darcy)(nil)
