package data

import (
	"errors"
	"math"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats"
)

// smallDataset returns n samples of 1-D input and output on 8 points.
func smallDataset(n int) *Dataset {
	const m = 8
	d := &Dataset{
		Inputs:  NewArray(make([]float64, n*m), n, m),
		Outputs: NewArray(make([]float64, n*m), n, m),
		Coords:  map[string]Array{"x": NewArray(make([]float64, m), m)},
		Meta:    Meta{Format: FormatVersion, Preset: "test", Seed: 3, Samples: n, Resolution: m, Subsample: 1},
	}
	for i := range d.Inputs.Data {
		d.Inputs.Data[i] = float64(i)
		d.Outputs.Data[i] = -float64(i) / 2
	}
	for j := range m {
		d.Coords["x"].Data[j] = float64(j) / m
	}
	return d
}

func TestDatasetSaveLoad(t *testing.T) {
	path := filepath.Join(t.TempDir(), "d.npz")
	d := smallDataset(5)
	d.Meta.Params = map[string]float64{"nu": 0.1}
	d.Meta.Sampler = &SamplerLaw{Kind: "gaussian-rf", Alpha: 2, Tau: 5, Sigma: 25, BC: "periodic", Modes: 3}
	if err := d.Save(path); err != nil {
		t.Fatal(err)
	}
	got, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, d) {
		t.Errorf("loaded %+v\nsaved %+v", got, d)
	}
}

func TestDatasetValidate(t *testing.T) {
	cases := []struct {
		name   string
		change func(d *Dataset)
		want   string
	}{
		{"format", func(d *Dataset) { d.Meta.Format = 99 }, "format version 99"},
		{"nan", func(d *Dataset) { d.Outputs.Data[7] = math.NaN() }, "outputs holds NaN at flat index 7"},
		{"inf", func(d *Dataset) { d.Inputs.Data[3] = math.Inf(-1) }, "inputs holds -Inf"},
		{"count", func(d *Dataset) { d.Meta.Samples = 4 }, "3 samples, the metadata says 4"},
		{"mismatch", func(d *Dataset) { d.Outputs = NewArray(make([]float64, 16), 2, 8) }, "3 inputs but 2 outputs"},
		{"flat", func(d *Dataset) { d.Inputs = NewArray(make([]float64, 3), 3) }, "at least two axes"},
		{"short", func(d *Dataset) { d.Inputs.Data = d.Inputs.Data[:20] }, "but 20 values"},
		{"coord 2D", func(d *Dataset) { d.Coords["y"] = NewArray(make([]float64, 4), 2, 2) }, "want one axis"},
		{"coord name", func(d *Dataset) { d.Coords["inputs"] = NewArray(make([]float64, 2), 2) }, "cannot name a coordinate"},
		{"shard", func(d *Dataset) { d.Meta.Shard = &Shard{Index: 0, Count: 2, Start: 0, End: 2} }, "shard holds 3 samples"},
	}
	for _, c := range cases {
		d := smallDataset(3)
		c.change(d)
		err := d.Validate()
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want ErrInvalid containing %q", c.name, err, c.want)
		}
		path := filepath.Join(t.TempDir(), "bad.npz")
		if d.Save(path) == nil {
			t.Errorf("%s: Save wrote an invalid dataset", c.name)
		}
	}
}

func TestLoadRefuses(t *testing.T) {
	dir := t.TempDir()
	good := smallDataset(2)
	write := func(name string, arrays map[string]Array, meta any) string {
		p := filepath.Join(dir, name)
		if err := WriteNPZ(p, arrays, meta); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cases := []struct {
		name, path, want string
	}{
		{"no meta", write("nometa.npz", map[string]Array{"inputs": good.Inputs, "outputs": good.Outputs}, nil), "no metadata"},
		{"no outputs", write("noout.npz", map[string]Array{"inputs": good.Inputs}, good.Meta), `no "outputs" array`},
		{"no inputs", write("noin.npz", map[string]Array{"outputs": good.Outputs}, good.Meta), `no "inputs" array`},
		{"bad meta", write("badmeta.npz", map[string]Array{"inputs": good.Inputs, "outputs": good.Outputs}, []int{1}), "metadata"},
		{"newer format", write("v2.npz", map[string]Array{"inputs": good.Inputs, "outputs": good.Outputs}, Meta{Format: 2, Samples: 2}), "format version 2"},
	}
	for _, c := range cases {
		_, err := Load(c.path)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), c.path) {
			t.Errorf("%s: error %v, want one naming the file and containing %q", c.name, err, c.want)
		}
	}
}

func TestSplit(t *testing.T) {
	d := smallDataset(10)
	cases := []struct {
		frac         float64
		nTrain, nTst int
	}{{0.8, 8, 2}, {0, 0, 10}, {1, 10, 0}, {0.25, 3, 7}}
	for _, c := range cases {
		tr, te, err := d.SplitFraction(c.frac)
		if err != nil {
			t.Fatal(err)
		}
		if tr.Len() != c.nTrain || te.Len() != c.nTst || tr.Meta.Samples != c.nTrain || tr.Validate() != nil || te.Validate() != nil {
			t.Errorf("fraction %g: %d train, %d test; want %d, %d", c.frac, tr.Len(), te.Len(), c.nTrain, c.nTst)
		}
		if c.nTst > 0 && te.Inputs.Data[0] != float64(8*c.nTrain) {
			t.Errorf("fraction %g: test starts with %g, want sample %d", c.frac, te.Inputs.Data[0], c.nTrain)
		}
	}
	for _, bad := range []float64{-0.1, 1.5, math.NaN()} {
		if _, _, err := d.SplitFraction(bad); err == nil {
			t.Errorf("fraction %g: no error", bad)
		}
	}
	if _, _, err := d.Split(11); err == nil {
		t.Error("Split(11) of 10 samples: no error")
	}
}

func TestSubsample(t *testing.T) {
	// One sample of shape (5, 4): values 10i + j.
	a := NewArray(make([]float64, 20), 1, 5, 4)
	for i := range 5 {
		for j := range 4 {
			a.Data[i*4+j] = float64(10*i + j)
		}
	}
	d := &Dataset{Inputs: a, Outputs: a, Meta: Meta{Format: FormatVersion, Samples: 1, Subsample: 2},
		Coords: map[string]Array{"x": NewArray([]float64{0, 1, 2, 3, 4}, 5)}}
	// Without Meta.Axes every axis is a grid axis.
	s, err := d.Subsample(2)
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{0, 2, 20, 22, 40, 42}
	if !reflect.DeepEqual(s.Inputs.Shape, []int{1, 3, 2}) || !floats.Equal(s.Inputs.Data, want) {
		t.Errorf("u[::2, ::2] = %v %v, want [1 3 2] %v", s.Inputs.Shape, s.Inputs.Data, want)
	}
	if !floats.Equal(s.Coords["x"].Data, []float64{0, 2, 4}) || s.Meta.Subsample != 4 {
		t.Errorf("x = %v, subsample %d", s.Coords["x"].Data, s.Meta.Subsample)
	}
	// With one grid axis, the leading axis (say time) is kept whole.
	d.Meta.Axes = []string{"y"}
	d.Coords["y"] = NewArray([]float64{0, 1, 2, 3}, 4)
	s, err = d.Subsample(2)
	if err != nil {
		t.Fatal(err)
	}
	want = []float64{0, 2, 10, 12, 20, 22, 30, 32, 40, 42}
	if !reflect.DeepEqual(s.Outputs.Shape, []int{1, 5, 2}) || !floats.Equal(s.Outputs.Data, want) ||
		len(s.Coords["x"].Data) != 5 || len(s.Coords["y"].Data) != 2 {
		t.Errorf("u[:, ::2] = %v %v, want [1 5 2] %v; coords %v", s.Outputs.Shape, s.Outputs.Data, want, s.Coords)
	}
	if _, err := d.Subsample(0); err == nil {
		t.Error("Subsample(0): no error")
	}
}

func TestBatchesAndGather(t *testing.T) {
	b, err := Batches(7, 3, nil)
	if err != nil || !reflect.DeepEqual(b, [][]int{{0, 1, 2}, {3, 4, 5}, {6}}) {
		t.Errorf("Batches(7, 3) = %v, %v", b, err)
	}
	sh, _ := Batches(100, 10, rand.New(rand.NewPCG(1, 2)))
	seen := make([]bool, 100)
	for _, batch := range sh {
		for _, i := range batch {
			seen[i] = true
		}
	}
	for i, s := range seen {
		if !s {
			t.Fatalf("shuffled batches miss sample %d", i)
		}
	}
	if reflect.DeepEqual(sh[0], []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}) {
		t.Error("shuffled batches are in order")
	}
	if _, err := Batches(5, 0, nil); err == nil {
		t.Error("batch size 0: no error")
	}
	d := smallDataset(4)
	in, out := d.Gather(nil, nil, []int{2, 0})
	if in[0] != 16 || in[8] != 0 || out[1] != -8.5 || len(in) != 16 {
		t.Errorf("Gather = %v, %v", in, out)
	}
}

func TestNormalizers(t *testing.T) {
	a := NewArray([]float64{1, 10, 3, 10, 5, 10}, 3, 2)
	g, err := FitUnitGaussian(a, 1e-5)
	if err != nil {
		t.Fatal(err)
	}
	if !floats.EqualApprox(g.Mean, []float64{3, 10}, 1e-15) || !floats.EqualApprox(g.Std, []float64{2, 0}, 1e-15) {
		t.Errorf("mean %v std %v, want [3 10] [2 0] (n−1 denominator)", g.Mean, g.Std)
	}
	r, err := FitMinMax(a, -1, 1)
	if err != nil {
		t.Fatal(err)
	}
	for name, n := range map[string]Normalizer{"unit-gaussian": g, "min-max": r} {
		x := []float64{1, 10, 5, 10, 2, 11, 4, 9}
		orig := append([]float64(nil), x...)
		n.Encode(x)
		if name == "min-max" && (x[0] != -1 || x[2] != 1 || x[1] != -1) {
			t.Errorf("min-max encoded %v", x)
		}
		n.Decode(x)
		if !floats.EqualApprox(x, orig, 1e-12) {
			t.Errorf("%s: decode(encode(x)) = %v, want %v", name, x, orig)
		}
		arrays := n.Arrays("in_")
		var back Normalizer
		if name == "min-max" {
			back, err = MinMaxFromArrays(arrays, "in_")
		} else {
			back, err = UnitGaussianFromArrays(arrays, "in_")
		}
		if err != nil || !reflect.DeepEqual(back, n) {
			t.Errorf("%s: restored %v (%v), want %v", name, back, err, n)
		}
	}
	if _, err := FitUnitGaussian(NewArray([]float64{1, 2}, 1, 2), 0); err == nil {
		t.Error("FitUnitGaussian of one sample: no error")
	}
	if _, err := FitMinMax(a, 1, 1); err == nil {
		t.Error("FitMinMax onto [1, 1]: no error")
	}
	if _, err := UnitGaussianFromArrays(map[string]Array{}, "p"); err == nil {
		t.Error("UnitGaussianFromArrays without arrays: no error")
	}
}
