package sparse

import "fmt"

// Laplacian5 returns the 5-point finite-difference −Δ on the m×m interior
// points of the vertex grid of n = m+2 points per side on the unit square
// (h = 1/(m+1)), with zero Dirichlet data. Unknown (i, j), 1 ≤ i, j ≤ m, is
// number (j−1)·m + (i−1). It panics if m < 1.
func Laplacian5(m int) *CSR {
	if m < 1 {
		panic(fmt.Sprintf("sparse: Laplacian5 needs at least one interior point, got m = %d", m))
	}
	h2 := 1 / float64((m+1)*(m+1))
	t := NewCOO(m*m, m*m, 5*m*m)
	for j := 0; j < m; j++ {
		for i := 0; i < m; i++ {
			k := j*m + i
			t.Append(k, k, 4/h2)
			if i > 0 {
				t.Append(k, k-1, -1/h2)
			}
			if i < m-1 {
				t.Append(k, k+1, -1/h2)
			}
			if j > 0 {
				t.Append(k, k-m, -1/h2)
			}
			if j < m-1 {
				t.Append(k, k+m, -1/h2)
			}
		}
	}
	return t.ToCSR()
}
