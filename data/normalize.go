package data

import (
	"fmt"
	"math"
)

// Normalizer maps data to a normalised scale and back, pointwise over the
// values of one sample. Encode and Decode work in place on any number of
// whole samples (len(x) a multiple of the sample length); a length that is
// not panics.
type Normalizer interface {
	Encode(x []float64)
	Decode(x []float64)
	// Arrays returns the fitted state as named arrays for a checkpoint
	// or dataset file, each name prefixed by prefix.
	Arrays(prefix string) map[string]Array
}

// UnitGaussian normalises each grid point to zero mean and unit standard
// deviation over the training samples, x ↦ (x − mean)/(std + Eps), as the
// UnitGaussianNormalizer of the FNO code (Li et al. 2021; std with the
// n − 1 denominator, Eps = 1e-5).
type UnitGaussian struct {
	Mean, Std []float64
	Eps       float64
}

// MinMax maps each grid point's range over the training samples linearly
// onto [Low, High], as the FNO code's RangeNormalizer. A point whose range
// is empty is shifted only.
type MinMax struct {
	Min, Max  []float64
	Low, High float64
}

var (
	_ Normalizer = (*UnitGaussian)(nil)
	_ Normalizer = (*MinMax)(nil)
)

// FitUnitGaussian fits a UnitGaussian to the samples of a (shape (n, ...),
// n ≥ 2) with eps added to the standard deviation.
func FitUnitGaussian(a Array, eps float64) (*UnitGaussian, error) {
	n, m, err := fitDims(a, 2)
	if err != nil {
		return nil, err
	}
	g := &UnitGaussian{Mean: make([]float64, m), Std: make([]float64, m), Eps: eps}
	for s := range n {
		for j, v := range a.Data[s*m : (s+1)*m] {
			g.Mean[j] += v
		}
	}
	for j := range g.Mean {
		g.Mean[j] /= float64(n)
	}
	for s := range n {
		for j, v := range a.Data[s*m : (s+1)*m] {
			d := v - g.Mean[j]
			g.Std[j] += d * d
		}
	}
	for j := range g.Std {
		g.Std[j] = math.Sqrt(g.Std[j] / float64(n-1))
	}
	return g, nil
}

// FitMinMax fits a MinMax onto [low, high] to the samples of a.
func FitMinMax(a Array, low, high float64) (*MinMax, error) {
	if !(low < high) {
		return nil, fmt.Errorf("data: MinMax target range [%g, %g] is empty", low, high)
	}
	n, m, err := fitDims(a, 1)
	if err != nil {
		return nil, err
	}
	r := &MinMax{Min: make([]float64, m), Max: make([]float64, m), Low: low, High: high}
	copy(r.Min, a.Data[:m])
	copy(r.Max, a.Data[:m])
	for s := 1; s < n; s++ {
		for j, v := range a.Data[s*m : (s+1)*m] {
			r.Min[j] = min(r.Min[j], v)
			r.Max[j] = max(r.Max[j], v)
		}
	}
	return r, nil
}

func fitDims(a Array, least int) (n, m int, err error) {
	if len(a.Shape) < 1 || a.Len() != len(a.Data) {
		return 0, 0, fmt.Errorf("data: cannot fit a normaliser to an array of shape %v with %d values", a.Shape, len(a.Data))
	}
	n, m = a.Shape[0], sampleLen(a)
	if n < least || m < 1 {
		return 0, 0, fmt.Errorf("data: cannot fit a normaliser to %d samples of %d values; need at least %d samples", n, m, least)
	}
	return n, m, nil
}

func checkSamples(x []float64, m int) {
	if m == 0 || len(x)%m != 0 {
		panic(fmt.Sprintf("data: normaliser fitted to samples of %d values applied to %d values", m, len(x)))
	}
}

// Encode normalises x in place.
func (g *UnitGaussian) Encode(x []float64) {
	m := len(g.Mean)
	checkSamples(x, m)
	for i := range x {
		j := i % m
		x[i] = (x[i] - g.Mean[j]) / (g.Std[j] + g.Eps)
	}
}

// Decode undoes Encode in place.
func (g *UnitGaussian) Decode(x []float64) {
	m := len(g.Mean)
	checkSamples(x, m)
	for i := range x {
		j := i % m
		x[i] = x[i]*(g.Std[j]+g.Eps) + g.Mean[j]
	}
}

// Arrays returns prefix+"mean", prefix+"std" and prefix+"eps".
func (g *UnitGaussian) Arrays(prefix string) map[string]Array {
	m := len(g.Mean)
	return map[string]Array{
		prefix + "mean": NewArray(g.Mean, m),
		prefix + "std":  NewArray(g.Std, m),
		prefix + "eps":  NewArray([]float64{g.Eps}),
	}
}

// UnitGaussianFromArrays restores a UnitGaussian saved by Arrays(prefix).
func UnitGaussianFromArrays(arrays map[string]Array, prefix string) (*UnitGaussian, error) {
	mean, std, eps, err := normArrays(arrays, prefix, "mean", "std", "eps")
	if err != nil {
		return nil, err
	}
	return &UnitGaussian{Mean: mean, Std: std, Eps: eps}, nil
}

func (r *MinMax) scale(j int) (lo, s float64) {
	w := r.Max[j] - r.Min[j]
	if w == 0 {
		return r.Min[j], 1
	}
	return r.Min[j], (r.High - r.Low) / w
}

// Encode maps x in place onto the target range.
func (r *MinMax) Encode(x []float64) {
	m := len(r.Min)
	checkSamples(x, m)
	for i := range x {
		lo, s := r.scale(i % m)
		x[i] = (x[i]-lo)*s + r.Low
	}
}

// Decode undoes Encode in place.
func (r *MinMax) Decode(x []float64) {
	m := len(r.Min)
	checkSamples(x, m)
	for i := range x {
		lo, s := r.scale(i % m)
		x[i] = (x[i]-r.Low)/s + lo
	}
}

// Arrays returns prefix+"min", prefix+"max" and prefix+"range" (Low, High).
func (r *MinMax) Arrays(prefix string) map[string]Array {
	m := len(r.Min)
	return map[string]Array{
		prefix + "min":   NewArray(r.Min, m),
		prefix + "max":   NewArray(r.Max, m),
		prefix + "range": NewArray([]float64{r.Low, r.High}, 2),
	}
}

// MinMaxFromArrays restores a MinMax saved by Arrays(prefix).
func MinMaxFromArrays(arrays map[string]Array, prefix string) (*MinMax, error) {
	lo, hi, _, err := normArrays(arrays, prefix, "min", "max", "")
	if err != nil {
		return nil, err
	}
	rg, ok := arrays[prefix+"range"]
	if !ok || len(rg.Data) != 2 || !(rg.Data[0] < rg.Data[1]) {
		return nil, fmt.Errorf("data: no valid normaliser array %q", prefix+"range")
	}
	return &MinMax{Min: lo, Max: hi, Low: rg.Data[0], High: rg.Data[1]}, nil
}

// normArrays fetches two per-point arrays of equal length and an optional
// scalar.
func normArrays(arrays map[string]Array, prefix, a, b, scalar string) (x, y []float64, s float64, err error) {
	xa, ok1 := arrays[prefix+a]
	ya, ok2 := arrays[prefix+b]
	if !ok1 || !ok2 || len(xa.Data) == 0 || len(xa.Data) != len(ya.Data) {
		return nil, nil, 0, fmt.Errorf("data: normaliser arrays %q and %q are missing or of different lengths", prefix+a, prefix+b)
	}
	if scalar != "" {
		sa, ok := arrays[prefix+scalar]
		if !ok || len(sa.Data) != 1 {
			return nil, nil, 0, fmt.Errorf("data: normaliser array %q is missing or not a scalar", prefix+scalar)
		}
		s = sa.Data[0]
	}
	return xa.Data, ya.Data, s, nil
}
