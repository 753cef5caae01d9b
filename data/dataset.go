package data

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// FormatVersion is the version of the dataset file layout this package
// writes and reads. Load refuses other versions.
const FormatVersion = 1

// The names of a dataset file's input and output arrays; every other array
// in the file is a grid coordinate.
const (
	InputsKey  = "inputs"
	OutputsKey = "outputs"
)

// Meta describes how a dataset was made. It holds only what determines the
// data (no timestamps or host names), so a rerun writes the same bytes.
type Meta struct {
	// Format is FormatVersion.
	Format int `json:"format"`
	// Preset is the pde preset's name, PDE the equation's name and Params
	// its parameters.
	Preset string             `json:"preset,omitempty"`
	PDE    string             `json:"pde,omitempty"`
	Params map[string]float64 `json:"params,omitempty"`
	// Solver names the classical method that computed the outputs.
	Solver string `json:"solver,omitempty"`
	// Resolution is the number of grid points per axis the solver used;
	// Subsample r means every r-th of them is stored.
	Resolution int `json:"resolution,omitempty"`
	Subsample  int `json:"subsample,omitempty"`
	// Seed is the sampler's seed; sample i was drawn from (Seed, i).
	Seed uint64 `json:"seed"`
	// Axes names the coordinate arrays of the grid axes, in order ("x",
	// or "x", "y"); they are the trailing axes of every input and output
	// sample, the axes that Subsample thins.
	Axes []string `json:"axes,omitempty"`
	// Sampler is the law of the inputs.
	Sampler *SamplerLaw `json:"sampler,omitempty"`
	// Samples is the number of samples of the whole dataset.
	Samples int `json:"samples"`
	// Shard is set in a shard file, which holds samples [Start, End) of
	// the whole dataset; nil in a whole dataset.
	Shard *Shard `json:"shard,omitempty"`
	// Part is set only in the checkpoint files of an unfinished Generate
	// run, each holding samples [Start, End) of its shard or dataset.
	Part *Shard `json:"part,omitempty"`
}

// SamplerLaw describes a sampler's law for a dataset's metadata.
type SamplerLaw struct {
	// Kind is "gaussian-rf" or "fourier-series".
	Kind  string  `json:"kind"`
	Alpha float64 `json:"alpha,omitempty"`
	Tau   float64 `json:"tau,omitempty"`
	Sigma float64 `json:"sigma,omitempty"`
	// BC is the boundary condition of the covariance's Laplacian.
	BC string `json:"bc,omitempty"`
	// Modes is the number of modes kept per axis.
	Modes     int     `json:"modes"`
	Amplitude float64 `json:"amplitude,omitempty"`
	Decay     float64 `json:"decay,omitempty"`
}

// Describer is a Sampler that can describe its law; Generate records it in
// the dataset's metadata.
type Describer interface {
	Describe() SamplerLaw
}

// Describe returns f's law for a dataset's metadata.
func (f *GaussianRF) Describe() SamplerLaw {
	return SamplerLaw{Kind: "gaussian-rf", Alpha: f.Law.Alpha, Tau: f.Law.Tau, Sigma: f.Law.Sigma, BC: f.Law.BC.String(), Modes: f.Modes}
}

// Describe returns s's law for a dataset's metadata.
func (s *RandomFourierSeries) Describe() SamplerLaw {
	return SamplerLaw{Kind: "fourier-series", Modes: s.Modes, Amplitude: s.Amplitude, Decay: s.Decay}
}

// Shard identifies shard Index of Count, holding samples [Start, End).
type Shard struct {
	Index int `json:"index"`
	Count int `json:"count"`
	Start int `json:"start"`
	End   int `json:"end"`
}

// Dataset is a set of input → output pairs on a grid. Inputs has shape
// (n, input shape...) and Outputs (n, output shape...), sample-major;
// Coords holds the grid's coordinate arrays by name ("x", "y", "t").
type Dataset struct {
	Inputs  Array
	Outputs Array
	Coords  map[string]Array
	Meta    Meta
}

// Len returns the number of samples.
func (d *Dataset) Len() int {
	if len(d.Inputs.Shape) == 0 {
		return 0
	}
	return d.Inputs.Shape[0]
}

// InputLen and OutputLen return the number of values of one sample's input
// and output.
func (d *Dataset) InputLen() int  { return sampleLen(d.Inputs) }
func (d *Dataset) OutputLen() int { return sampleLen(d.Outputs) }

func sampleLen(a Array) int {
	if len(a.Shape) == 0 {
		return 0
	}
	return shapeLen(a.Shape[1:])
}

// ErrInvalid is wrapped by every error Validate and Load return for a
// dataset that is malformed.
var ErrInvalid = errors.New("data: invalid dataset")

// Validate checks d: inputs and outputs with a leading sample axis of the
// same length, data lengths matching shapes, no NaN or Inf, one-dimensional
// coordinates, a known format version, and a sample count that agrees with
// the metadata.
func (d *Dataset) Validate() error {
	if d.Meta.Format != FormatVersion {
		return fmt.Errorf("%w: format version %d, this neuralpde reads version %d; regenerate the file or use the neuralpde that wrote it", ErrInvalid, d.Meta.Format, FormatVersion)
	}
	for _, a := range []struct {
		name string
		a    Array
	}{{InputsKey, d.Inputs}, {OutputsKey, d.Outputs}} {
		if len(a.a.Shape) < 2 {
			return fmt.Errorf("%w: %s has shape %v; want (samples, grid...) with at least two axes", ErrInvalid, a.name, a.a.Shape)
		}
		if n := a.a.Len(); n < 0 || n != len(a.a.Data) {
			return fmt.Errorf("%w: %s has shape %v but %d values", ErrInvalid, a.name, a.a.Shape, len(a.a.Data))
		}
		if err := checkFinite(a.name, a.a); err != nil {
			return err
		}
	}
	if d.Inputs.Shape[0] != d.Outputs.Shape[0] {
		return fmt.Errorf("%w: %d inputs but %d outputs", ErrInvalid, d.Inputs.Shape[0], d.Outputs.Shape[0])
	}
	for name, c := range d.Coords {
		if name == InputsKey || name == OutputsKey || checkKey(name) != nil {
			return fmt.Errorf("%w: %q cannot name a coordinate array", ErrInvalid, name)
		}
		if len(c.Shape) != 1 || len(c.Data) != c.Shape[0] {
			return fmt.Errorf("%w: coordinate %q has shape %v and %d values; want one axis", ErrInvalid, name, c.Shape, len(c.Data))
		}
		if err := checkFinite("coordinate "+name, c); err != nil {
			return err
		}
	}
	n := d.Len()
	if p := d.Meta.Part; p != nil {
		if p.Count < 1 || p.Index < 0 || p.Index >= p.Count || p.Start < 0 || p.End < p.Start || p.End > d.Meta.Samples {
			return fmt.Errorf("%w: checkpoint part %+v of %d samples is impossible", ErrInvalid, *p, d.Meta.Samples)
		}
		if n != p.End-p.Start {
			return fmt.Errorf("%w: checkpoint part holds %d samples, its metadata says [%d, %d)", ErrInvalid, n, p.Start, p.End)
		}
	} else if s := d.Meta.Shard; s != nil {
		if s.Count < 1 || s.Index < 0 || s.Index >= s.Count || s.Start < 0 || s.End < s.Start || s.End > d.Meta.Samples {
			return fmt.Errorf("%w: shard %+v of %d samples is impossible", ErrInvalid, *s, d.Meta.Samples)
		}
		if n != s.End-s.Start {
			return fmt.Errorf("%w: shard holds %d samples, its metadata says [%d, %d)", ErrInvalid, n, s.Start, s.End)
		}
	} else if n != d.Meta.Samples {
		return fmt.Errorf("%w: %d samples, the metadata says %d", ErrInvalid, n, d.Meta.Samples)
	}
	return nil
}

func checkFinite(name string, a Array) error {
	for i, v := range a.Data {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("%w: %s holds %v at flat index %d; drop or recompute that sample", ErrInvalid, name, v, i)
		}
	}
	return nil
}

// Save validates d and writes it to path as a .npz file with arrays
// "inputs", "outputs", one per coordinate, and the metadata as JSON under
// "meta". The write is atomic and its bytes depend only on d.
func (d *Dataset) Save(path string) error {
	if err := d.Validate(); err != nil {
		return fmt.Errorf("data: not saving %s: %w", path, err)
	}
	arrays := make(map[string]Array, len(d.Coords)+2)
	for k, c := range d.Coords {
		arrays[k] = c
	}
	arrays[InputsKey] = d.Inputs
	arrays[OutputsKey] = d.Outputs
	return WriteNPZ(path, arrays, d.Meta)
}

// Load reads and validates a dataset file written by Save.
func Load(path string) (*Dataset, error) {
	arrays, raw, err := ReadNPZ(path)
	if err != nil {
		return nil, err
	}
	if raw == nil {
		return nil, fmt.Errorf("data: %s: %w: no metadata; it is not a neuralpde dataset file", path, ErrInvalid)
	}
	d := &Dataset{Coords: make(map[string]Array)}
	if err := json.Unmarshal(raw, &d.Meta); err != nil {
		return nil, fmt.Errorf("data: %s: %w: metadata: %v", path, ErrInvalid, err)
	}
	var ok bool
	if d.Inputs, ok = arrays[InputsKey]; !ok {
		return nil, fmt.Errorf("data: %s: %w: no %q array", path, ErrInvalid, InputsKey)
	}
	if d.Outputs, ok = arrays[OutputsKey]; !ok {
		return nil, fmt.Errorf("data: %s: %w: no %q array", path, ErrInvalid, OutputsKey)
	}
	for k, a := range arrays {
		if k != InputsKey && k != OutputsKey {
			d.Coords[k] = a
		}
	}
	if err := d.Validate(); err != nil {
		return nil, fmt.Errorf("data: %s: %w", path, err)
	}
	return d, nil
}

// Slice returns samples [i, j) of d as a new dataset sharing d's memory.
// Its metadata is d's with Samples set to j − i and no shard.
func (d *Dataset) Slice(i, j int) (*Dataset, error) {
	if i < 0 || j < i || j > d.Len() {
		return nil, fmt.Errorf("data: sample range [%d, %d) is outside the %d samples", i, j, d.Len())
	}
	s := &Dataset{Coords: d.Coords, Meta: d.Meta}
	s.Meta.Samples, s.Meta.Shard = j-i, nil
	s.Inputs = sliceSamples(d.Inputs, i, j)
	s.Outputs = sliceSamples(d.Outputs, i, j)
	return s, nil
}

func sliceSamples(a Array, i, j int) Array {
	m := sampleLen(a)
	shape := slices.Clone(a.Shape)
	shape[0] = j - i
	return Array{Shape: shape, Data: a.Data[i*m : j*m : j*m]}
}

// Split returns the first nTrain samples as train and the rest as test, as
// the FNO data loaders do; both share d's memory.
func (d *Dataset) Split(nTrain int) (train, test *Dataset, err error) {
	if nTrain < 0 || nTrain > d.Len() {
		return nil, nil, fmt.Errorf("data: cannot split %d samples into %d for training and the rest for testing", d.Len(), nTrain)
	}
	train, _ = d.Slice(0, nTrain)
	test, _ = d.Slice(nTrain, d.Len())
	return train, test, nil
}

// SplitFraction splits d with round(frac·n) samples for training.
func (d *Dataset) SplitFraction(frac float64) (train, test *Dataset, err error) {
	if !(frac >= 0 && frac <= 1) {
		return nil, nil, fmt.Errorf("data: train fraction %g is not in [0, 1]", frac)
	}
	return d.Split(int(math.Round(frac * float64(d.Len()))))
}

// Subsample returns a copy of d keeping every r-th grid point along each
// grid axis, as u[::r] and u[:, ::r, ::r] in numpy (an axis of N points
// keeps ⌈N/r⌉). The grid axes are the trailing len(Meta.Axes) axes of
// every input and output sample and the coordinates named in Meta.Axes;
// other axes (time, channels) and coordinates are kept whole. Without
// Meta.Axes every axis of an input sample is a grid axis, and every
// coordinate is subsampled. The metadata's Subsample is multiplied by r.
func (d *Dataset) Subsample(r int) (*Dataset, error) {
	if r < 1 {
		return nil, fmt.Errorf("data: subsample factor %d must be at least 1", r)
	}
	g := len(d.Meta.Axes)
	if g == 0 {
		g = len(d.Inputs.Shape) - 1
	}
	if g > len(d.Inputs.Shape)-1 || g > len(d.Outputs.Shape)-1 {
		return nil, fmt.Errorf("data: cannot subsample %d grid axes %v of inputs %v and outputs %v", g, d.Meta.Axes, d.Inputs.Shape, d.Outputs.Shape)
	}
	s := &Dataset{Meta: d.Meta, Coords: make(map[string]Array, len(d.Coords))}
	s.Meta.Subsample = max(1, d.Meta.Subsample) * r
	s.Inputs = subsampleArray(d.Inputs, r, 1, g)
	s.Outputs = subsampleArray(d.Outputs, r, 1, g)
	for k, c := range d.Coords {
		if len(d.Meta.Axes) == 0 || slices.Contains(d.Meta.Axes, k) {
			c = subsampleArray(c, r, 0, 1)
		}
		s.Coords[k] = c
	}
	return s, nil
}

// subsampleArray keeps every r-th index along the last grid axes of each of
// the samples indexed by the first lead axes of a.
func subsampleArray(a Array, r, lead, grid int) Array {
	inner := a.Shape[lead:]
	idx, sub := subsampleIndex(inner, r, len(inner)-grid)
	shape := append(slices.Clone(a.Shape[:lead]), sub...)
	out := Array{Shape: shape, Data: make([]float64, shapeLen(shape))}
	m, k := shapeLen(inner), len(idx)
	for s := range shapeLen(a.Shape[:lead]) {
		gatherInto(out.Data[s*k:(s+1)*k], a.Data[s*m:(s+1)*m], idx)
	}
	return out
}

// subsampleIndex returns the flat indices, in row-major order, of the
// points of an array of the given shape that u[:, …, ::r, ::r] keeps, with
// the step r on the axes from on, and the shape they form.
func subsampleIndex(shape []int, r, from int) (idx, sub []int) {
	sub = slices.Clone(shape)
	for i := from; i < len(shape); i++ {
		sub[i] = (shape[i] + r - 1) / r
	}
	idx = make([]int, 0, shapeLen(sub))
	var walk func(axis, off int)
	walk = func(axis, off int) {
		if axis == len(shape) {
			idx = append(idx, off)
			return
		}
		step := 1
		if axis >= from {
			step = r
		}
		stride := shapeLen(shape[axis+1:])
		for i := 0; i < shape[axis]; i += step {
			walk(axis+1, off+i*stride)
		}
	}
	if shapeLen(sub) > 0 {
		walk(0, 0)
	}
	return idx, sub
}

// Batches returns the sample indices 0, …, n−1 in batches of size (the
// last batch may be shorter), in order when rng is nil and shuffled by rng
// otherwise.
func Batches(n, size int, rng *rand.Rand) ([][]int, error) {
	if n < 0 || size < 1 {
		return nil, fmt.Errorf("data: cannot batch %d samples in batches of %d; the batch size must be at least 1", n, size)
	}
	perm := make([]int, n)
	for i := range perm {
		perm[i] = i
	}
	if rng != nil {
		rng.Shuffle(n, func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
	}
	var out [][]int
	for i := 0; i < n; i += size {
		out = append(out, perm[i:min(i+size, n):min(i+size, n)])
	}
	return out, nil
}

// Gather copies the inputs and outputs of the samples idx, in that order,
// into dstIn and dstOut and returns them; nil destinations are allocated,
// and destinations of the wrong length panic.
func (d *Dataset) Gather(dstIn, dstOut []float64, idx []int) (in, out []float64) {
	return gather(dstIn, d.Inputs, idx), gather(dstOut, d.Outputs, idx)
}

func gather(dst []float64, a Array, idx []int) []float64 {
	m := sampleLen(a)
	if dst == nil {
		dst = make([]float64, m*len(idx))
	}
	if len(dst) != m*len(idx) {
		panic(fmt.Sprintf("data: Gather destination has length %d, want %d", len(dst), m*len(idx)))
	}
	for k, i := range idx {
		copy(dst[k*m:(k+1)*m], a.Data[i*m:(i+1)*m])
	}
	return dst
}
