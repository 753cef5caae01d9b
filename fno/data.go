package fno

import (
	"errors"
	"fmt"
	"math"

	"github.com/neuralpde/neuralpde/data"
)

// Samples is a dataset as FNO training pairs: A holds N input fields and U
// the N target fields, channel-last on one grid.
type Samples struct {
	N int
	// Grid is the number of points per spatial axis.
	Grid []int
	// In and Out are the channel counts of A and U.
	In, Out int
	// A is N × grid × In and U is N × grid × Out, row-major.
	A, U []float64
	// Coords holds each axis's coordinates (Grid[d] values).
	Coords [][]float64
}

// points returns the number of grid points of one sample.
func (s *Samples) points() int {
	n := 1
	for _, g := range s.Grid {
		n *= g
	}
	return n
}

// Static returns the samples of ds, a dataset whose inputs and outputs
// share their spatial shape (n, s) or (n, s1, s2): one input and one output
// channel. The coordinates are ds's own (Meta.Axes) when it has them, else
// a uniform grid over the unit interval or square, which it reports with
// uniform set.
func Static(ds *data.Dataset) (s *Samples, uniform bool, err error) {
	if ds == nil || ds.Len() == 0 {
		return nil, false, errors.New("fno: empty dataset; generate one with `neuralpde generate`")
	}
	in, out := ds.Inputs.Shape, ds.Outputs.Shape
	if len(in) < 2 || len(in) > 3 {
		return nil, false, fmt.Errorf("fno: inputs of shape %v; want (n, s) or (n, s1, s2)", in)
	}
	if !equalInts(in, out) {
		return nil, false, fmt.Errorf("fno: inputs of shape %v and outputs of shape %v; FNO maps a field to a field on the same grid (data with a time axis trains the recurrent FNO-2D)", in, out)
	}
	s = &Samples{N: in[0], Grid: append([]int(nil), in[1:]...), In: 1, Out: 1, A: ds.Inputs.Data, U: ds.Outputs.Data}
	s.Coords, uniform = coordinates(ds, s.Grid)
	return s, uniform, nil
}

// coordinates returns the grid's coordinate arrays from ds when they fit,
// else linspace(0, 1, n) per axis (and uniform = true).
func coordinates(ds *data.Dataset, grid []int) (c [][]float64, uniform bool) {
	c = make([][]float64, len(grid))
	for d, n := range grid {
		if d < len(ds.Meta.Axes) {
			if a, ok := ds.Coords[ds.Meta.Axes[d]]; ok && len(a.Data) == n {
				c[d] = a.Data
				continue
			}
		}
		uniform = true
		c[d] = make([]float64, n)
		for j := range n {
			if n > 1 {
				c[d][j] = float64(j) / float64(n-1)
			}
		}
	}
	return c, uniform
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// slice returns samples [i, j) of s.
func (s *Samples) slice(i, j int) *Samples {
	p := s.points()
	t := *s
	t.N = j - i
	t.A = s.A[i*p*s.In : j*p*s.In]
	t.U = s.U[i*p*s.Out : j*p*s.Out]
	return &t
}

// Normalizer is a unit-Gaussian normaliser with one mean and standard
// deviation per channel, over all samples and grid points, so that it
// applies on any grid (a pointwise normaliser, as in Li et al.'s Darcy
// code, would tie the model to the training grid).
type Normalizer struct {
	Mean []float64 `json:"mean"`
	Std  []float64 `json:"std"`
}

// fitNormalizer fits a Normalizer to x, whose last axis has c channels.
func fitNormalizer(x []float64, c int) Normalizer {
	z := Normalizer{Mean: make([]float64, c), Std: make([]float64, c)}
	n := len(x) / c
	for i, v := range x {
		z.Mean[i%c] += v
	}
	for j := range z.Mean {
		z.Mean[j] /= float64(n)
	}
	for i, v := range x {
		d := v - z.Mean[i%c]
		z.Std[i%c] += d * d
	}
	for j := range z.Std {
		z.Std[j] = math.Sqrt(z.Std[j]/float64(max(n-1, 1))) + 1e-8
	}
	return z
}

// encode writes (x − mean)/std to dst.
func (z Normalizer) encode(dst, x []float64) {
	c := len(z.Mean)
	for i, v := range x {
		dst[i] = (v - z.Mean[i%c]) / z.Std[i%c]
	}
}

// decode writes x·std + mean to dst.
func (z Normalizer) decode(dst, x []float64) {
	c := len(z.Mean)
	for i, v := range x {
		dst[i] = v*z.Std[i%c] + z.Mean[i%c]
	}
}
