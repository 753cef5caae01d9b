package sparse

import (
	"fmt"
	"math"
)

// The stencils below act on the m×m interior points of the vertex grid of
// n = m+2 points per side on the unit square, h = 1/(m+1), with zero
// Dirichlet data: unknown (i, j), 1 ≤ i, j ≤ m, is number (j−1)·m + (i−1),
// x fastest. Boundary neighbours drop out of the matrix because their
// values are zero.

// Laplacian5 returns the 5-point −Δ, (4u_{i,j} − u_{i±1,j} − u_{i,j±1})/h²,
// second-order accurate. It panics if m < 1.
func Laplacian5(m int) *CSR {
	checkInterior("Laplacian5", m)
	h2 := 1 / float64((m+1)*(m+1))
	t := NewCOO(m*m, m*m, 5*m*m)
	for j := 0; j < m; j++ {
		for i := 0; i < m; i++ {
			k := j*m + i
			t.Append(k, k, 4/h2)
			appendNeighbours(t, m, i, j, edges, -1/h2)
		}
	}
	return t.ToCSR()
}

// Laplacian9 returns the 9-point compact ("Mehrstellen") −Δ,
// (20u_{i,j} − 4Σ edge neighbours − Σ corner neighbours)/(6h²). It is
// second-order accurate for −Δu = f with the plain right-hand side f, and
// fourth-order accurate with f + (h²/12)Δf (Collatz; Trottenberg et al.
// 2001, §5.2). It panics if m < 1.
func Laplacian9(m int) *CSR {
	checkInterior("Laplacian9", m)
	s := float64((m+1)*(m+1)) / 6 // 1/(6h²)
	t := NewCOO(m*m, m*m, 9*m*m)
	for j := 0; j < m; j++ {
		for i := 0; i < m; i++ {
			k := j*m + i
			t.Append(k, k, 20*s)
			appendNeighbours(t, m, i, j, edges, -4*s)
			appendNeighbours(t, m, i, j, corners, -s)
		}
	}
	return t.ToCSR()
}

var (
	edges   = [][2]int{{-1, 0}, {1, 0}, {0, -1}, {0, 1}}
	corners = [][2]int{{-1, -1}, {1, -1}, {-1, 1}, {1, 1}}
)

// appendNeighbours appends v at the interior neighbours (i+di, j+dj) of the
// 0-based interior point (i, j) for each offset.
func appendNeighbours(t *COO, m, i, j int, offsets [][2]int, v float64) {
	k := j*m + i
	for _, o := range offsets {
		ii, jj := i+o[0], j+o[1]
		if ii >= 0 && ii < m && jj >= 0 && jj < m {
			t.Append(k, jj*m+ii, v)
		}
	}
}

func checkInterior(name string, m int) {
	if m < 1 {
		panic(fmt.Sprintf("sparse: %s needs at least one interior point per side, got m = %d", name, m))
	}
}

// checkCoefficient validates a diffusion coefficient given at the n×n
// vertices (boundary included), row-major with x fastest: a[j·n + i] is a
// at (x_i, y_j).
func checkCoefficient(name string, a []float64, n int) error {
	if n < 3 {
		return fmt.Errorf("sparse: %s needs at least 3 vertices per side (one interior point), got n = %d", name, n)
	}
	if len(a) != n*n {
		return fmt.Errorf("sparse: %s coefficient has %d values; it needs n×n = %d, one per vertex including the boundary", name, len(a), n*n)
	}
	for k, v := range a {
		if !(v > 0) || math.IsInf(v, 1) {
			return fmt.Errorf("sparse: %s coefficient a[%d] = %g at vertex (%d, %d); it must be positive and finite", name, k, v, k%n, k/n)
		}
	}
	return nil
}

// harmonic returns the harmonic mean 2pq/(p+q).
func harmonic(p, q float64) float64 { return 2 * p * q / (p + q) }

// Diffusion5 returns the 5-point −∇·(a∇u) on the vertex grid of n×n points
// with the coefficient a given at every vertex (boundary included,
// a[j·n + i] at (x_i, y_j)). The flux through the face between two
// neighbouring vertices uses the harmonic mean of their coefficients,
// a_{i+½,j} = 2a_{i,j}a_{i+1,j}/(a_{i,j}+a_{i+1,j}), so that
//
//	(−∇·(a∇u))_{i,j} ≈ [a_{i+½,j}(u_{i,j} − u_{i+1,j}) + a_{i−½,j}(u_{i,j} − u_{i−1,j})
//	                   + a_{i,j+½}(u_{i,j} − u_{i,j+1}) + a_{i,j−½}(u_{i,j} − u_{i,j−1})]/h².
//
// The matrix is symmetric positive definite, of size (n−2)²; it is
// second-order accurate for smooth a. It returns an error if a is not
// n×n or not positive and finite.
func Diffusion5(a []float64, n int) (*CSR, error) {
	if err := checkCoefficient("Diffusion5", a, n); err != nil {
		return nil, err
	}
	m := n - 2
	h2 := 1 / float64((n-1)*(n-1))
	t := NewCOO(m*m, m*m, 5*m*m)
	for j := 1; j <= m; j++ {
		for i := 1; i <= m; i++ {
			c := a[j*n+i]
			k := (j-1)*m + (i - 1)
			var diag float64
			for _, o := range edges {
				ii, jj := i+o[0], j+o[1]
				w := harmonic(c, a[jj*n+ii]) / h2
				diag += w
				if ii >= 1 && ii <= m && jj >= 1 && jj <= m {
					t.Append(k, (jj-1)*m+(ii-1), -w)
				}
			}
			t.Append(k, k, diag)
		}
	}
	return t.ToCSR(), nil
}

// Diffusion9 returns the 9-point −∇·(a∇u) of bilinear (Q1) finite elements
// on the n×n vertex grid, with a constant on each cell and equal to the
// harmonic mean of a at the cell's four vertices, and the mass matrix
// lumped so that the equations read like finite differences (divided by
// h²). For a ≡ 1 it is (8u_{i,j} − Σ of the 8 neighbours)/(3h²). The
// matrix is symmetric positive definite, of size (n−2)²; it is
// second-order accurate for smooth a. It returns an error if a is not n×n
// or not positive and finite.
func Diffusion9(a []float64, n int) (*CSR, error) {
	if err := checkCoefficient("Diffusion9", a, n); err != nil {
		return nil, err
	}
	m := n - 2
	h2 := 1 / float64((n-1)*(n-1))
	// Q1 element stiffness on a square for unit coefficient, vertices
	// counter-clockwise from the lower left.
	ke := [4][4]float64{
		{4, -1, -2, -1},
		{-1, 4, -1, -2},
		{-2, -1, 4, -1},
		{-1, -2, -1, 4},
	}
	corner := [4][2]int{{0, 0}, {1, 0}, {1, 1}, {0, 1}}
	t := NewCOO(m*m, m*m, 16*(n-1)*(n-1))
	for cj := 0; cj < n-1; cj++ {
		for ci := 0; ci < n-1; ci++ {
			var inv float64
			for _, c := range corner {
				inv += 1 / a[(cj+c[1])*n+ci+c[0]]
			}
			w := 4 / inv / 6 / h2
			for p, cp := range corner {
				ip, jp := ci+cp[0], cj+cp[1]
				if ip < 1 || ip > m || jp < 1 || jp > m {
					continue
				}
				for q, cq := range corner {
					iq, jq := ci+cq[0], cj+cq[1]
					if iq < 1 || iq > m || jq < 1 || jq > m {
						continue
					}
					t.Append((jp-1)*m+ip-1, (jq-1)*m+iq-1, w*ke[p][q])
				}
			}
		}
	}
	return t.ToCSR(), nil
}
