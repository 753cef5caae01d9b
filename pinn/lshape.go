package pinn

import (
	"fmt"
	"sync"

	"github.com/neuralpde/neuralpde/operators/sparse"
)

// LShapeReference returns the solution of −Δu = 1 on the L-shaped domain
// [−1, 1]² minus (0, 1]², u = 0 on the boundary, at the n×n uniform grid of
// [−1, 1]² (y first; zero outside the domain), computed by the 5-point
// finite-difference Laplacian on the grid refined refine times per side
// and solved by conjugate gradients with a Jacobi preconditioner (to a
// relative residual of 1e-11). The re-entrant corner makes u ~ r^{2/3}
// sin(2θ/3) there, so the error falls as h^{4/3} rather than h² (the
// tests measure a slope of 1.5 in relative L2); refine = 2 on the 129 grid
// (h = 1/128) gives about 8e-4, well below the 1e-2 a PINN is asked for.
//
// A classical steady solver belongs in package classical; this one lives
// here because that package was not ready when the PINN benchmark needed
// a reference.
func LShapeReference(n, refine int) ([]float64, error) {
	key := [2]int{n, refine}
	lshapeCache.Lock()
	defer lshapeCache.Unlock()
	if u, ok := lshapeCache.m[key]; ok {
		return append([]float64(nil), u...), nil
	}
	u, err := lshapeSolve(n, refine)
	if err != nil {
		return nil, err
	}
	if lshapeCache.m == nil {
		lshapeCache.m = make(map[[2]int][]float64)
	}
	lshapeCache.m[key] = u
	return append([]float64(nil), u...), nil
}

// lshapeCache keeps the solves already done.
var lshapeCache struct {
	sync.Mutex
	m map[[2]int][]float64
}

func lshapeSolve(n, refine int) ([]float64, error) {
	if n < 5 || (n-1)%2 != 0 || refine < 1 {
		return nil, fmt.Errorf("pinn: L-shape reference on an %d grid refined %d times; n must be odd and at least 5, refine at least 1", n, refine)
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
		return nil, fmt.Errorf("pinn: L-shape reference: %w", err)
	}
	if res.Status != sparse.Converged {
		return nil, fmt.Errorf("pinn: L-shape reference: CG stopped with %v at relative residual %g", res.Status, res.Residual)
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
