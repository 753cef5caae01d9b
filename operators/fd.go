package operators

import (
	"fmt"

	"gonum.org/v1/gonum/mat"
)

// stencil is a finite-difference formula for one derivative on a uniform
// grid of unit spacing: a centred interior formula and, for grids with ends,
// one-sided formulas of the same order for the points too close to the left
// end; the right end uses the mirror image, negated for odd derivatives.
// The weights are those of Fornberg's algorithm (Fornberg 1988), checked
// against FornbergWeights in the tests.
type stencil struct {
	deriv    int
	order    int
	interior []float64   // offsets −r, …, r
	left     [][]float64 // left[i] applies to u[0], u[1], … at point i < r
}

// radius returns the half width r of the interior formula.
func (s *stencil) radius() int { return len(s.interior) / 2 }

// minPoints returns the fewest grid points the stencil needs.
func (s *stencil) minPoints(periodic bool) int {
	n := len(s.interior)
	if !periodic {
		for _, row := range s.left {
			n = max(n, len(row))
		}
	}
	return n
}

var stencils = [...]stencil{
	{
		deriv: 1, order: 2,
		interior: []float64{-1.0 / 2, 0, 1.0 / 2},
		left:     [][]float64{{-3.0 / 2, 2, -1.0 / 2}},
	},
	{
		deriv: 1, order: 4,
		interior: []float64{1.0 / 12, -8.0 / 12, 0, 8.0 / 12, -1.0 / 12},
		left: [][]float64{
			{-25.0 / 12, 48.0 / 12, -36.0 / 12, 16.0 / 12, -3.0 / 12},
			{-3.0 / 12, -10.0 / 12, 18.0 / 12, -6.0 / 12, 1.0 / 12},
		},
	},
	{
		deriv: 2, order: 2,
		interior: []float64{1, -2, 1},
		left:     [][]float64{{2, -5, 4, -1}},
	},
	{
		deriv: 2, order: 4,
		interior: []float64{-1.0 / 12, 16.0 / 12, -30.0 / 12, 16.0 / 12, -1.0 / 12},
		left: [][]float64{
			{45.0 / 12, -154.0 / 12, 214.0 / 12, -156.0 / 12, 61.0 / 12, -10.0 / 12},
			{10.0 / 12, -15.0 / 12, -4.0 / 12, 14.0 / 12, -6.0 / 12, 1.0 / 12},
		},
	},
}

// stencilFor returns the stencil for a derivative and order of accuracy, or
// panics if there is none.
func stencilFor(deriv, order int) *stencil {
	for i := range stencils {
		if stencils[i].deriv == deriv && stencils[i].order == order {
			return &stencils[i]
		}
	}
	panic(fmt.Sprintf("operators: no finite-difference stencil of order %d for derivative %d; use order 2 or 4", order, deriv))
}

// D1 writes the first derivative of the samples u, spaced h apart, to dst
// and returns it, using centred differences of the given order of accuracy
// (2 or 4). If periodic, u holds one period (the right end omitted, as on a
// pde.Periodic grid) and the stencil wraps; otherwise u includes both end
// points (a pde.Uniform grid) and the points near the ends use one-sided
// formulas of the same order. A nil dst is allocated; dst must not be u. It
// panics on a wrong length, an order other than 2 or 4, h ≤ 0, or a grid too
// short for the stencil (3 points for order 2, 5 for order 4).
func D1(dst, u []float64, h float64, order int, periodic bool) []float64 {
	return applyStencil(dst, u, h, stencilFor(1, order), periodic)
}

// D2 writes the second derivative of the samples u, spaced h apart, to dst
// and returns it; see D1 for the arguments. A grid with ends needs 4 points
// for order 2 and 6 for order 4; a periodic one needs 3 and 5.
func D2(dst, u []float64, h float64, order int, periodic bool) []float64 {
	return applyStencil(dst, u, h, stencilFor(2, order), periodic)
}

func checkStencilArgs(n int, h float64, s *stencil, periodic bool) {
	if !(h > 0) {
		panic(fmt.Sprintf("operators: grid spacing must be positive, got %g", h))
	}
	if m := s.minPoints(periodic); n < m {
		panic(fmt.Sprintf("operators: order-%d stencil for derivative %d needs at least %d points, got %d",
			s.order, s.deriv, m, n))
	}
}

func applyStencil(dst, u []float64, h float64, s *stencil, periodic bool) []float64 {
	n := len(u)
	checkStencilArgs(n, h, s, periodic)
	if dst == nil {
		dst = make([]float64, n)
	}
	if len(dst) != n {
		panic(fmt.Sprintf("operators: finite-difference destination has length %d, want %d", len(dst), n))
	}
	if &dst[0] == &u[0] {
		panic("operators: finite-difference destination must not be the input slice")
	}
	scale := 1 / h
	if s.deriv == 2 {
		scale /= h
	}
	r := s.radius()
	w := s.interior
	// Interior points, where the centred formula fits without wrapping.
	for i := r; i < n-r; i++ {
		var sum float64
		for k, wk := range w {
			sum += wk * u[i-r+k]
		}
		dst[i] = scale * sum
	}
	if periodic {
		// The r points at each end, where the centred formula wraps.
		for e := 0; e < r; e++ {
			for _, i := range [2]int{e, n - 1 - e} {
				var sum float64
				for k, wk := range w {
					sum += wk * u[(i-r+k+n)%n]
				}
				dst[i] = scale * sum
			}
		}
		return dst
	}
	mirror := 1.0
	if s.deriv%2 == 1 {
		mirror = -1
	}
	for i, row := range s.left {
		var sl, sr float64
		for k, wk := range row {
			sl += wk * u[k]
			sr += wk * u[n-1-k]
		}
		dst[i] = scale * sl
		dst[n-1-i] = mirror * scale * sr
	}
	return dst
}

// D1Matrix returns the n×n matrix of D1: D1Matrix(…)·u = D1(nil, u, …).
// It is dense; for large n apply D1 directly.
func D1Matrix(n int, h float64, order int, periodic bool) *mat.Dense {
	return stencilMatrix(n, h, stencilFor(1, order), periodic)
}

// D2Matrix returns the n×n matrix of D2: D2Matrix(…)·u = D2(nil, u, …).
// It is dense; for large n apply D2 directly.
func D2Matrix(n int, h float64, order int, periodic bool) *mat.Dense {
	return stencilMatrix(n, h, stencilFor(2, order), periodic)
}

func stencilMatrix(n int, h float64, s *stencil, periodic bool) *mat.Dense {
	checkStencilArgs(n, h, s, periodic)
	scale := 1 / h
	if s.deriv == 2 {
		scale /= h
	}
	d := mat.NewDense(n, n, nil)
	r := s.radius()
	for i := 0; i < n; i++ {
		if periodic || (i >= r && i < n-r) {
			for k, wk := range s.interior {
				j := (i - r + k + n) % n
				d.Set(i, j, d.At(i, j)+scale*wk)
			}
		}
	}
	if periodic {
		return d
	}
	mirror := 1.0
	if s.deriv%2 == 1 {
		mirror = -1
	}
	for i, row := range s.left {
		for k, wk := range row {
			d.Set(i, k, scale*wk)
			d.Set(n-1-i, n-1-k, mirror*scale*wk)
		}
	}
	return d
}

// FornbergWeights writes to dst the weights w_k of the finite-difference
// formula u^{(m)}(z) ≈ Σ_k w_k u(x_k) of highest order on the nodes x, by
// Fornberg's recursion (B. Fornberg, "Generation of finite difference
// formulas on arbitrarily spaced grids", Math. Comp. 51, 1988), and returns
// dst. The nodes need not be uniform or sorted but must be distinct. A nil
// dst is allocated; it panics if len(dst) ≠ len(x), m < 0 or len(x) ≤ m.
func FornbergWeights(dst []float64, z float64, x []float64, m int) []float64 {
	if m < 0 || len(x) <= m {
		panic(fmt.Sprintf("operators: derivative %d needs more than %d nodes, got %d", m, m, len(x)))
	}
	if dst == nil {
		dst = make([]float64, len(x))
	}
	if len(dst) != len(x) {
		panic(fmt.Sprintf("operators: FornbergWeights destination has length %d, want %d", len(dst), len(x)))
	}
	n := len(x)
	// c[j*(m+1)+k] is the weight of node j for derivative k.
	c := make([]float64, n*(m+1))
	c[0] = 1
	c1 := 1.0
	c4 := x[0] - z
	for i := 1; i < n; i++ {
		mn := min(i, m)
		c2 := 1.0
		c5 := c4
		c4 = x[i] - z
		for j := 0; j < i; j++ {
			c3 := x[i] - x[j]
			c2 *= c3
			if j == i-1 {
				for k := mn; k >= 1; k-- {
					c[i*(m+1)+k] = c1 * (float64(k)*c[(i-1)*(m+1)+k-1] - c5*c[(i-1)*(m+1)+k]) / c2
				}
				c[i*(m+1)] = -c1 * c5 * c[(i-1)*(m+1)] / c2
			}
			for k := mn; k >= 1; k-- {
				c[j*(m+1)+k] = (c4*c[j*(m+1)+k] - float64(k)*c[j*(m+1)+k-1]) / c3
			}
			c[j*(m+1)] = c4 * c[j*(m+1)] / c3
		}
		c1 = c2
	}
	for j := range dst {
		dst[j] = c[j*(m+1)+m]
	}
	return dst
}
