package sparse

import "math"

// darcyCoefficient is the deterministic two-valued coefficient of the
// Darcy comparison with scipy (scripts/reference/sparse_darcy_spsolve.py):
// a = 12 where sin(6πx)·cos(4πy) + 0.3·sin(10πxy) ≥ 0, else 3, at the n×n
// vertices x_i = i/(n−1), y_j = j/(n−1).
func darcyCoefficient(n int) []float64 {
	a := make([]float64, n*n)
	h := 1 / float64(n-1)
	for j := 0; j < n; j++ {
		for i := 0; i < n; i++ {
			x, y := float64(i)*h, float64(j)*h
			if math.Sin(6*math.Pi*x)*math.Cos(4*math.Pi*y)+0.3*math.Sin(10*math.Pi*x*y) >= 0 {
				a[j*n+i] = 12
			} else {
				a[j*n+i] = 3
			}
		}
	}
	return a
}

// vertexField evaluates f at the n×n vertices.
func vertexField(n int, f func(x, y float64) float64) []float64 {
	a := make([]float64, n*n)
	h := 1 / float64(n-1)
	for j := 0; j < n; j++ {
		for i := 0; i < n; i++ {
			a[j*n+i] = f(float64(i)*h, float64(j)*h)
		}
	}
	return a
}

// interiorField evaluates f at the m×m interior points of the vertex grid.
func interiorField(m int, f func(x, y float64) float64) []float64 {
	u := make([]float64, m*m)
	h := 1 / float64(m+1)
	for j := 0; j < m; j++ {
		for i := 0; i < m; i++ {
			u[j*m+i] = f(float64(i+1)*h, float64(j+1)*h)
		}
	}
	return u
}
