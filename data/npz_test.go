package data

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"codeberg.org/sbinet/npyio/npz"
)

func testArrays() map[string]Array {
	return map[string]Array{
		"scalar": NewArray([]float64{3.25}),
		"vec":    NewArray([]float64{0, 1, -2.5, 1e-300, math.Inf(1)}, 5),
		"mat":    NewArray([]float64{1, 2, 3, 4, 5, 6}, 2, 3),
		"cube":   NewArray(make([]float64, 24), 2, 3, 4),
		"empty":  NewArray([]float64{}, 0, 5),
		"fno/w":  NewArray([]float64{7}, 1),
	}
}

func TestNPZRoundTrip(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.npz")
	meta := map[string]any{"format": 1, "name": "burgers"}
	in := testArrays()
	if err := WriteNPZ(path, in, meta); err != nil {
		t.Fatal(err)
	}
	out, m, err := ReadNPZ(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != len(in) {
		t.Fatalf("read %d arrays, wrote %d", len(out), len(in))
	}
	for k, a := range in {
		b := out[k]
		if !reflect.DeepEqual(append([]int{}, a.Shape...), append([]int{}, b.Shape...)) || !reflect.DeepEqual(a.Data, b.Data) {
			t.Errorf("array %q: wrote %v, read %v", k, a, b)
		}
	}
	var got map[string]any
	if err := json.Unmarshal(m, &got); err != nil || got["name"] != "burgers" {
		t.Errorf("metadata read back as %s (%v)", m, err)
	}
	// No temporary file is left beside the output.
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Errorf("directory holds %d entries after one write, want 1", len(ents))
	}
}

func TestNPZDeterministic(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.npz"), filepath.Join(dir, "b.npz")
	if err := WriteNPZ(a, testArrays(), map[string]int{"x": 1}); err != nil {
		t.Fatal(err)
	}
	if err := WriteNPZ(b, testArrays(), map[string]int{"x": 1}); err != nil {
		t.Fatal(err)
	}
	ba, _ := os.ReadFile(a)
	bb, _ := os.ReadFile(b)
	if !bytes.Equal(ba, bb) {
		t.Error("two writes of the same arrays differ byte for byte")
	}
}

func TestNPZReadNumpyGolden(t *testing.T) {
	arrays, meta, err := ReadNPZ(filepath.Join("..", "testdata", "numpy_golden.npz"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]Array{
		"scalar": {Shape: []int{}, Data: []float64{3.25}},
		"vec":    {Shape: []int{4}, Data: []float64{0, 1, -2.5, 1e-300}},
		"mat":    {Shape: []int{2, 3}, Data: []float64{0, 1.0 / 7, 2.0 / 7, 3.0 / 7, 4.0 / 7, 5.0 / 7}},
		"cube":   {Shape: []int{2, 3, 4}, Data: make([]float64, 24)},
		"empty":  {Shape: []int{0, 5}, Data: []float64{}},
	}
	for i := range want["cube"].Data {
		want["cube"].Data[i] = float64(i)
	}
	if !reflect.DeepEqual(arrays, want) {
		t.Errorf("read %v\nwant %v", arrays, want)
	}
	var m struct {
		Format int
		Note   string
	}
	if err := json.Unmarshal(meta, &m); err != nil || m.Format != 1 || m.Note != "written by numpy" {
		t.Errorf("metadata %s (%v)", meta, err)
	}

	c, _, err := ReadNPZ(filepath.Join("..", "testdata", "numpy_golden_compressed.npz"))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c["vec"], want["vec"]) {
		t.Errorf("compressed vec = %v, want %v", c["vec"], want["vec"])
	}
}

// TestNPZReadByNpyio checks the files with an independent reader.
func TestNPZReadByNpyio(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.npz")
	if err := WriteNPZ(path, testArrays(), nil); err != nil {
		t.Fatal(err)
	}
	r, err := npz.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var mat []float64
	if err := r.Read("mat.npy", &mat); err != nil {
		t.Fatal(err)
	}
	if h := r.Header("mat.npy"); !reflect.DeepEqual(h.Descr.Shape, []int{2, 3}) || h.Descr.Type != "'<f8'" {
		t.Errorf("npyio header %v", h)
	}
	if !reflect.DeepEqual(mat, []float64{1, 2, 3, 4, 5, 6}) {
		t.Errorf("npyio read mat = %v", mat)
	}
}

func TestNPZNumpyLoads(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not found")
	}
	if exec.Command(py, "-c", "import numpy").Run() != nil {
		t.Skip("numpy not installed")
	}
	path := filepath.Join(t.TempDir(), "a.npz")
	if err := WriteNPZ(path, testArrays(), map[string]any{"preset": "burgers-periodic", "n": 3}); err != nil {
		t.Fatal(err)
	}
	script := `
import json, sys
import numpy as np
f = np.load(sys.argv[1])
print(sorted(f.files))
print(f["mat"].dtype, f["mat"].shape, f["mat"].tolist())
print(f["cube"].shape, f["scalar"].shape, float(f["scalar"]), f["empty"].shape)
print(f["vec"].tolist())
print(json.loads(bytes(f["meta"])))
`
	out, err := exec.Command(py, "-c", script, path).CombinedOutput()
	if err != nil {
		t.Fatalf("numpy could not read the file: %v\n%s", err, out)
	}
	want := `['cube', 'empty', 'fno/w', 'mat', 'meta', 'scalar', 'vec']
float64 (2, 3) [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
(2, 3, 4) () 3.25 (0, 5)
[0.0, 1.0, -2.5, 1e-300, inf]
{'preset': 'burgers-periodic', 'n': 3}
`
	if string(out) != want {
		t.Errorf("numpy printed\n%s\nwant\n%s", out, want)
	}
}

func TestNPZWriteErrors(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name   string
		arrays map[string]Array
		meta   any
		want   string
	}{
		{"short data", map[string]Array{"u": NewArray([]float64{1, 2}, 3)}, nil, "shape [3] (3 elements) but 2 values"},
		{"negative dim", map[string]Array{"u": NewArray(nil, -1)}, nil, "shape [-1]"},
		{"reserved key", map[string]Array{"meta": NewArray([]float64{1})}, nil, "reserved"},
		{"separator", map[string]Array{"/ab": NewArray([]float64{1})}, nil, "starts with /"},
		{"bad meta", nil, map[string]any{"f": func() {}}, "not JSON-marshalable"},
	}
	for _, c := range cases {
		path := filepath.Join(dir, c.name+".npz")
		err := WriteNPZ(path, c.arrays, c.meta)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
		if _, serr := os.Stat(path); serr == nil {
			t.Errorf("%s: a failed write left %s behind", c.name, path)
		}
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("failed writes left %d files behind", len(ents))
	}
}

func TestNPZReadErrors(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.npz")
	if err := WriteNPZ(good, testArrays(), map[string]int{"a": 1}); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(good)
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, b, 0o644)
		return p
	}
	flip := append([]byte(nil), raw...)
	// Corrupt one data byte of the first member (cube, all zeros): the
	// CRC-32 check must catch it.
	i := bytes.Index(flip, []byte("'shape': (2, 3, 4), }"))
	flip[i+200] ^= 0xff

	cases := []struct {
		name string
		path string
		want string
	}{
		{"missing", filepath.Join(dir, "nope.npz"), "cannot read"},
		{"not zip", write("text.npz", []byte("hello, world")), "not a valid .npz"},
		{"truncated", write("trunc.npz", raw[:len(raw)/2]), "not a valid .npz"},
		{"corrupt", write("flip.npz", flip), "corrupt or truncated"},
		{"int dtype", filepath.Join("..", "testdata", "numpy_int.npz"), "dtype <i8 is not float64"},
	}
	for _, c := range cases {
		_, _, err := ReadNPZ(c.path)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), c.path) {
			t.Errorf("%s: error %v, want one naming the file and containing %q", c.name, err, c.want)
		}
	}
}

func TestParseNPYHeader(t *testing.T) {
	cases := []struct {
		shape []int
	}{{[]int{}}, {[]int{7}}, {[]int{2, 3}}, {[]int{1, 2, 3, 4}}}
	for _, c := range cases {
		h := npyHeader("<f8", c.shape)
		if len(h)%npyAlign != 0 {
			t.Errorf("shape %v: header length %d is not a multiple of %d", c.shape, len(h), npyAlign)
		}
		info, err := parseNPYHeader(h)
		if err != nil {
			t.Fatalf("shape %v: %v", c.shape, err)
		}
		if info.dtype != "<f8" || info.fortran || !reflect.DeepEqual(info.shape, c.shape) || info.dataOffset != len(h) {
			t.Errorf("shape %v: parsed %+v", c.shape, info)
		}
	}
	bad := []string{
		"",
		"\x93NUMPY",
		"\x93NUMPY\x01\x00\xff\x00{'descr': '<f8'",
		"\x93NUMPY\x01\x00\x10\x00{'descr': '<f8'}\n",
		"\x93NUMPY\x01\x00\x30\x00{'descr': '<f8', 'fortran_order': 1, 'shape': ()}\n",
		"\x93NUMPY\x01\x00\x30\x00{'descr': '<f8', 'fortran_order': False, 'shape': (a,)}",
		"\x93NUMPY\x09\x00\x30\x00{}",
	}
	for _, b := range bad {
		if _, err := parseNPYHeader([]byte(b)); err == nil {
			t.Errorf("header %q parsed without error", b)
		}
	}
}

func BenchmarkNPZ(b *testing.B) {
	for _, n := range []int{100, 1000} {
		a := NewArray(make([]float64, n*1024), n, 1024)
		for i := range a.Data {
			a.Data[i] = float64(i)
		}
		path := filepath.Join(b.TempDir(), "b.npz")
		arrays := map[string]Array{"inputs": a}
		b.Run("write/"+strconv.Itoa(n)+"x1024", func(b *testing.B) {
			b.SetBytes(int64(8 * len(a.Data)))
			for b.Loop() {
				if err := WriteNPZ(path, arrays, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("read/"+strconv.Itoa(n)+"x1024", func(b *testing.B) {
			b.SetBytes(int64(8 * len(a.Data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := ReadNPZ(path); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
