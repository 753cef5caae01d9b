package pinn

import (
	"math"

	"github.com/neuralpde/neuralpde/pde"
)

// maxInputs is the largest number of network inputs (x, y, t).
const maxInputs = 3

// Partials holds a smooth function's value and partial derivatives at one
// point: D[k][i] is ∂^(k+1)/∂p_i^(k+1), Mixed[i][j] is ∂²/∂p_i∂p_j.
type Partials struct {
	V     float64
	D     [4][maxInputs]float64
	Mixed [maxInputs][maxInputs]float64
}

// Smooth evaluates a known function and its derivatives at p.
type Smooth func(p []float64, dst *Partials)

// Constraint is a hard constraint through an output transform (Lagaris,
// Likas and Fotiadis, IEEE Trans. Neural Netw. 9, 1998; Sukumar and
// Srivastava, CMAME 389, 2022): the PINN's solution is
//
//	u(p) = G(p) + D(p)·N(p)
//
// with N the network, G any function with the prescribed values where D
// vanishes, and D zero exactly on the constrained set (t = t₀ for initial
// data, ∂Ω for Dirichlet data). The conditions the constraint satisfies
// are exact for every network, so their loss terms are dropped.
type Constraint struct {
	G, D Smooth
	// Initial and Boundary say which conditions the transform imposes.
	Initial, Boundary bool
}

// factor is a function of one input with its derivatives 0…4 at a point.
type factor [5]float64

// product is a product of one factor per input, times a coefficient.
type product struct {
	c float64
	f [maxInputs]factor
}

// sumOfProducts sets dst to the partials of Σ products at a point with d
// inputs.
func sumOfProducts(dst *Partials, d int, ps []product) {
	*dst = Partials{}
	for _, p := range ps {
		v := p.c
		for i := 0; i < d; i++ {
			v *= p.f[i][0]
		}
		dst.V += v
		for i := 0; i < d; i++ {
			rest := p.c
			for j := 0; j < d; j++ {
				if j != i {
					rest *= p.f[j][0]
				}
			}
			for k := 0; k < 4; k++ {
				dst.D[k][i] += rest * p.f[i][k+1]
			}
			for j := 0; j < d; j++ {
				if j == i {
					continue
				}
				r := p.c
				for l := 0; l < d; l++ {
					if l != i && l != j {
						r *= p.f[l][0]
					}
				}
				dst.Mixed[i][j] += r * p.f[i][1] * p.f[j][1]
			}
		}
	}
}

func constant(c float64) factor { return factor{c} }

// quadraticBump is (x − a)(b − x)/((b − a)/2)², zero at a and b and one at
// the midpoint.
func quadraticBump(x, a, b float64) factor {
	s := 4 / ((b - a) * (b - a))
	return factor{s * (x - a) * (b - x), s * (a + b - 2*x), -2 * s}
}

// linearRamp is (x − a)/(b − a), zero at a.
func linearRamp(x, a, b float64) factor { return factor{(x - a) / (b - a), 1 / (b - a)} }

// fdFactor returns f and its first four derivatives at x by central
// differences with step h: fourth-order stencils for the first two
// derivatives, second-order ones for the third and fourth. Hard
// constraints use it for the initial data, given only as a function.
func fdFactor(f func(float64) float64, x, h float64) factor {
	f0 := f(x)
	fp1, fm1 := f(x+h), f(x-h)
	fp2, fm2 := f(x+2*h), f(x-2*h)
	return factor{
		f0,
		(-fp2 + 8*fp1 - 8*fm1 + fm2) / (12 * h),
		(-fp2 + 16*fp1 - 30*f0 + 16*fm1 - fm2) / (12 * h * h),
		(fp2 - 2*fp1 + 2*fm1 - fm2) / (2 * h * h * h),
		(fp2 - 4*fp1 + 6*f0 - 4*fm1 + fm2) / (h * h * h * h),
	}
}

// AutoConstraint returns the output transform that imposes p's initial and
// Dirichlet data exactly when p's domain is a simple box, or nil when it
// has none:
//
//   - an evolution problem on an interval [a, b] × [t₀, t₁] with Dirichlet
//     data gα(t), gβ(t) compatible with u₀ gets
//     u = u₀(x) + (gα(t) − gα(t₀))(b − x)/(b − a) + (gβ(t) − gβ(t₀))(x − a)/(b − a)
//   - (x − a)(b − x)(t − t₀)·N, scaled to order one;
//   - with periodic or Neumann data it gets the initial transform
//     u = u₀(x) + (t − t₀)·N only;
//   - a steady problem on a rectangle with zero Dirichlet data gets
//     u = (x − x₀)(x₁ − x)(y − y₀)(y₁ − y)·N.
//
// Initial and boundary data are differentiated by central differences, so
// equations of order three or more in x (KdV, Kuramoto–Sivashinsky) get no
// transform.
func AutoConstraint(p *Problem) *Constraint {
	need := effectiveNeeds(p.Equation)
	if need&(pde.DXXX|pde.DXXXX) != 0 {
		return nil
	}
	switch {
	case p.Time != nil:
		iv, ok := p.Space.(Interval)
		if !ok {
			return nil
		}
		return intervalConstraint(p, iv)
	default:
		poly, ok := p.Space.(*Polygon)
		if !ok || !poly.IsBox() || p.BC != pde.Dirichlet || p.Boundary != nil {
			return nil
		}
		x0, x1, y0, y1 := poly.Region.Bounds()
		return &Constraint{
			Boundary: true,
			G:        func(_ []float64, dst *Partials) { *dst = Partials{} },
			D: func(q []float64, dst *Partials) {
				sumOfProducts(dst, 2, []product{{c: 1, f: [maxInputs]factor{quadraticBump(q[0], x0, x1), quadraticBump(q[1], y0, y1)}}})
			},
		}
	}
}

func intervalConstraint(p *Problem, iv Interval) *Constraint {
	t0, t1 := p.Time.A, p.Time.B
	a, b := iv.A, iv.B
	h := 1e-3 * (b - a)
	ht := 1e-3 * (t1 - t0)
	u0 := func(x float64) float64 { return p.Initial([]float64{x}) }
	c := &Constraint{Initial: true}
	if p.BC == pde.Dirichlet {
		ga := func(t float64) float64 { return boundaryValue(p, a, t) }
		gb := func(t float64) float64 { return boundaryValue(p, b, t) }
		tol := 1e-9 * (1 + math.Abs(u0(a)) + math.Abs(u0(b)))
		if math.Abs(u0(a)-ga(t0)) <= tol && math.Abs(u0(b)-gb(t0)) <= tol {
			c.Boundary = true
			c.G = func(q []float64, dst *Partials) {
				x, t := q[0], q[1]
				left := fdFactor(ga, t, ht)
				right := fdFactor(gb, t, ht)
				left[0] -= ga(t0)
				right[0] -= gb(t0)
				sumOfProducts(dst, 2, []product{
					{c: 1, f: [maxInputs]factor{fdFactor(u0, x, h), constant(1)}},
					{c: 1, f: [maxInputs]factor{linearRamp(x, b, a), left}},
					{c: 1, f: [maxInputs]factor{linearRamp(x, a, b), right}},
				})
			}
			c.D = func(q []float64, dst *Partials) {
				sumOfProducts(dst, 2, []product{{c: 1, f: [maxInputs]factor{quadraticBump(q[0], a, b), linearRamp(q[1], t0, t1)}}})
			}
			return c
		}
	}
	c.G = func(q []float64, dst *Partials) {
		sumOfProducts(dst, 2, []product{{c: 1, f: [maxInputs]factor{fdFactor(u0, q[0], h), constant(1)}}})
	}
	c.D = func(q []float64, dst *Partials) {
		sumOfProducts(dst, 2, []product{{c: 1, f: [maxInputs]factor{constant(1), linearRamp(q[1], t0, t1)}}})
	}
	return c
}

func boundaryValue(p *Problem, x, t float64) float64 {
	if p.Boundary == nil {
		return 0
	}
	return p.Boundary([]float64{x, t})
}
