package classical

import (
	"fmt"

	"github.com/neuralpde/neuralpde/operators/sparse"
)

// SolvePoissonLShape solves −Δu = 1 on the L-shaped domain [−1, 1]² minus
// (0, 1]² with u = 0 on the boundary (the poisson-lshape preset) and
// returns u at the n×n uniform grid of [−1, 1]², row j holding y_j (y
// first, x fastest) and zero outside the domain. The 5-point
// finite-difference Laplacian is assembled on the grid refined refine
// times per side (h = 2/((n−1)·refine)) and solved by conjugate gradients
// with a Jacobi preconditioner to a relative residual of 1e-11.
//
// The re-entrant corner makes u ~ r^{2/3} sin(2θ/3) there (Grisvard,
// Elliptic Problems in Nonsmooth Domains, Pitman 1985), so the error falls
// as h^{4/3} rather than h²: refine = 2 on the 129 grid (h = 1/128) is
// about 8e-4 in relative L2.
func SolvePoissonLShape(n, refine int) ([]float64, error) {
	if n < 5 || (n-1)%2 != 0 || refine < 1 {
		return nil, fmt.Errorf("classical: L-shape Poisson solve on an %d grid refined %d times; n must be odd and at least 5 (the re-entrant corner on a grid point), refine at least 1", n, refine)
	}
	N := (n-1)*refine + 1
	h := 2 / float64(N-1)
	mid := (N - 1) / 2
	unknown := func(i, j int) bool {
		return i > 0 && j > 0 && i < N-1 && j < N-1 && !(i >= mid && j >= mid)
	}
	index := make([]int, N*N)
	m := 0
	for j := 0; j < N; j++ {
		for i := 0; i < N; i++ {
			index[j*N+i] = -1
			if unknown(i, j) {
				index[j*N+i] = m
				m++
			}
		}
	}
	coo := sparse.NewCOO(m, m, 5*m)
	b := make([]float64, m)
	for j := 0; j < N; j++ {
		for i := 0; i < N; i++ {
			k := index[j*N+i]
			if k < 0 {
				continue
			}
			coo.Append(k, k, 4)
			for _, nb := range [4][2]int{{i - 1, j}, {i + 1, j}, {i, j - 1}, {i, j + 1}} {
				if l := index[nb[1]*N+nb[0]]; l >= 0 {
					coo.Append(k, l, -1)
				}
			}
			b[k] = h * h
		}
	}
	a := coo.ToCSR()
	jac, err := sparse.NewJacobi(a)
	if err != nil {
		return nil, err
	}
	u := make([]float64, m)
	var cg sparse.CG
	res, err := cg.Solve(u, a, b, &sparse.Settings{Tolerance: 1e-11, MaxIterations: 50 * N, Preconditioner: jac})
	if err != nil {
		return nil, fmt.Errorf("classical: L-shape Poisson solve: %w", err)
	}
	if res.Status != sparse.Converged {
		return nil, fmt.Errorf("classical: L-shape Poisson solve: CG stopped with %v at relative residual %g; lower refine", res.Status, res.Residual)
	}
	out := make([]float64, n*n)
	for j := 0; j < n; j++ {
		for i := 0; i < n; i++ {
			if k := index[j*refine*N+i*refine]; k >= 0 {
				out[j*n+i] = u[k]
			}
		}
	}
	return out, nil
}
