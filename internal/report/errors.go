package report

import (
	"fmt"
	"math"
)

// Grid describes the sample shape of fields: Shape is the points per axis
// (slow axis first), Spacing the distance between neighbouring points per
// axis, and Periodic whether each axis wraps around (a periodic grid's last
// point neighbours its first).
type Grid struct {
	Shape    []int
	Spacing  []float64
	Periodic bool
}

// Points returns the number of points of one field.
func (g Grid) Points() int {
	n := 1
	for _, s := range g.Shape {
		n *= s
	}
	return n
}

// Errors are the mean over samples of error measures of predicted fields.
type Errors struct {
	// RelL2 is the mean of ‖p − u‖/‖u‖, MaxAbs the largest |p − u| over
	// all samples and points, RelH1 the mean of the relative H1 error
	// √(‖e‖² + ‖∇e‖²)/√(‖u‖² + ‖∇u‖²) with ∇ by central differences
	// (one-sided at the ends of a non-periodic axis).
	RelL2, MaxAbs, RelH1 float64
	// Samples is the number of samples measured.
	Samples int
}

// Measure returns the errors of the n fields pred against ref on g. pred
// and ref hold n·g.Points() values each, sample-major.
func Measure(pred, ref []float64, g Grid) (Errors, error) {
	p := g.Points()
	if p == 0 || len(pred) != len(ref) || len(ref)%p != 0 || len(g.Spacing) != len(g.Shape) {
		return Errors{}, fmt.Errorf("report: %d predicted and %d reference values for fields of shape %v with %d spacings", len(pred), len(ref), g.Shape, len(g.Spacing))
	}
	n := len(ref) / p
	e := make([]float64, p)
	var out Errors
	out.Samples = n
	for i := range n {
		pi, ui := pred[i*p:(i+1)*p], ref[i*p:(i+1)*p]
		var ee, uu float64
		for j := range p {
			e[j] = pi[j] - ui[j]
			ee += e[j] * e[j]
			uu += ui[j] * ui[j]
			out.MaxAbs = math.Max(out.MaxAbs, math.Abs(e[j]))
		}
		ge, gu := gradSquared(e, g), gradSquared(ui, g)
		out.RelL2 += math.Sqrt(ee / uu)
		out.RelH1 += math.Sqrt((ee + ge) / (uu + gu))
	}
	out.RelL2 /= float64(n)
	out.RelH1 /= float64(n)
	return out, nil
}

// gradSquared returns Σ|∇f|² over the points of f on g (the same
// quadrature weight as Σf², so the two may be added).
func gradSquared(f []float64, g Grid) float64 {
	var sum float64
	stride := 1
	for a := len(g.Shape) - 1; a >= 0; a-- {
		n, h := g.Shape[a], g.Spacing[a]
		outer := len(f) / (n * stride)
		for o := range outer {
			for s := range stride {
				base := o*n*stride + s
				at := func(k int) float64 { return f[base+k*stride] }
				for k := range n {
					var d float64
					switch {
					case g.Periodic:
						d = (at((k+1)%n) - at((k+n-1)%n)) / (2 * h)
					case n < 2:
					case k == 0:
						d = (at(1) - at(0)) / h
					case k == n-1:
						d = (at(n-1) - at(n-2)) / h
					default:
						d = (at(k+1) - at(k-1)) / (2 * h)
					}
					sum += d * d
				}
			}
		}
		stride *= n
	}
	return sum
}
