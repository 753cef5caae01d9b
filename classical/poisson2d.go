package classical

import (
	"fmt"

	"github.com/neuralpde/neuralpde/operators"
	"github.com/neuralpde/neuralpde/operators/sparse"
	"github.com/neuralpde/neuralpde/pde"
)

// Solution2D is a field on a two-dimensional preset's grid and how it was
// computed.
type Solution2D struct {
	// X and Y are the grid coordinates; U the field, row-major with x
	// the slow index, U[i*len(Y)+j] = u(X[i], Y[j]).
	X, Y, U []float64
	// Method names the discretisation and solver.
	Method string
	// Iterations and Residual are the iterative solver's count and final
	// relative residual; zero for a direct (FFT) solve.
	Iterations int
	Residual   float64
}

// SolvePoisson2D solves a Poisson preset −Δu = f (p.PDE pde.Poisson, f =
// p.Source) on n×n points:
//
//   - zero Dirichlet data on a square (poisson-dirichlet): the 5-point
//     finite-difference Laplacian on the vertex grid with both ends,
//     second-order accurate, solved by conjugate gradients preconditioned
//     with a multigrid V-cycle to cfg's Tolerance (zero:
//     DefaultSteadyTolerance);
//   - periodic (poisson-periodic): the Fourier solution on the n×n
//     periodic grid, û = f̂/|k|² with the mean of f removed and u of zero
//     mean, exact for a source that the grid resolves (one forward and one
//     inverse transform).
func SolvePoisson2D(p *pde.Preset2D, n int, cfg *Config2D) (*Solution2D, error) {
	if p == nil {
		return nil, fmt.Errorf("classical: nil preset")
	}
	if _, ok := p.PDE.(pde.Poisson); !ok {
		return nil, fmt.Errorf("classical: preset %q is %v, not Poisson", p.Name, pdeName(p.PDE))
	}
	if n <= 0 {
		n = p.NX
	}
	src := p.Source
	if src == nil {
		src = func(float64, float64) float64 { return 0 }
	}
	xs, ys := p.Grids(n)
	sol := &Solution2D{X: xs.Points(nil), Y: ys.Points(nil), U: make([]float64, n*n)}
	switch p.BC {
	case pde.PeriodicBC:
		if n < 2 {
			return nil, fmt.Errorf("classical: resolution %d is too small; use at least 2 points per axis", n)
		}
		f := make([]float64, n*n)
		for i, x := range sol.X {
			for j, y := range sol.Y {
				f[i*n+j] = src(x, y)
			}
		}
		if !finite(f) {
			return nil, fmt.Errorf("classical: preset %q has a source that is not finite on the grid", p.Name)
		}
		operators.NewFourier2D(n, n, p.X.Length(), p.Y.Length()).InverseLaplacian(sol.U, f)
		sol.Method = fmt.Sprintf("fourier %d², exact inverse Laplacian", n)
		return sol, nil
	case pde.Dirichlet:
		d, err := newDirichletSolver(p, n, cfg, src)
		if err != nil {
			return nil, err
		}
		res, err := d.solve(sparse.Laplacian5(d.m))
		if err != nil {
			return nil, err
		}
		m := d.m
		for j := 1; j <= m; j++ {
			for i := 1; i <= m; i++ {
				sol.U[i*n+j] = d.x[(j-1)*m+i-1]
			}
		}
		sol.Method = fmt.Sprintf("5-point finite differences on %d² vertices, multigrid-preconditioned CG to %g", n, d.tol)
		sol.Iterations, sol.Residual = res.Iterations, res.Residual
		return sol, nil
	}
	return nil, fmt.Errorf("classical: Poisson preset %q has boundary condition %v; SolvePoisson2D solves periodic and zero-Dirichlet problems", p.Name, p.BC)
}
