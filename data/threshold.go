package data

import "fmt"

// Thresholded maps the samples of Field pointwise to Below where they are
// below Level and to Above elsewhere: the piecewise-constant coefficients
// of the FNO Darcy data (Li et al. 2021: a = 12 where a Neumann GRF with
// α = 2, τ = 3 is non-negative, 3 elsewhere). It is safe for concurrent use
// when Field is.
type Thresholded struct {
	Field        Sampler
	Level        float64
	Below, Above float64
}

var _ Sampler = (*Thresholded)(nil)

// Shape returns Field's shape.
func (t *Thresholded) Shape() []int { return t.Field.Shape() }

// Sample writes the thresholded sample i of the stream seeded by seed.
func (t *Thresholded) Sample(dst []float64, seed uint64, i int) {
	t.Field.Sample(dst, seed, i)
	for j, v := range dst {
		if v < t.Level {
			dst[j] = t.Below
		} else {
			dst[j] = t.Above
		}
	}
}

// Describe returns the law of Field with the thresholding noted in Kind.
func (t *Thresholded) Describe() SamplerLaw {
	law := SamplerLaw{Kind: "unknown"}
	if d, ok := t.Field.(Describer); ok {
		law = d.Describe()
	}
	law.Kind = fmt.Sprintf("thresholded %s (below %g: %g, else %g)", law.Kind, t.Level, t.Below, t.Above)
	return law
}
