package data

import (
	"archive/zip"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeRawNPZ writes members name → (dtype, shape, raw little-endian body).
func writeRawNPZ(t *testing.T, path string, members map[string]rawArray) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for name, m := range members {
		w, err := zw.Create(name + ".npy")
		if err != nil {
			t.Fatal(err)
		}
		w.Write(npyHeader(m.dtype, m.shape))
		w.Write(m.body)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
}

type rawArray struct {
	dtype string
	shape []int
	body  []byte
}

func TestLoadExternal(t *testing.T) {
	dir := t.TempDir()
	const n, s = 2, 4
	bools := make([]byte, n*s*s)
	for i := range bools {
		bools[i] = byte(i % 3 / 2) // 0, 0, 1, ...
	}
	ints := make([]byte, 4*n*s*s)
	for i := range n * s * s {
		binary.LittleEndian.PutUint32(ints[4*i:], uint32(int32(i-5)))
	}
	good := filepath.Join(dir, "good.npz")
	writeRawNPZ(t, good, map[string]rawArray{"a": {"|b1", []int{n, s, s}, bools}, "u": {"<i4", []int{n, s, s}, ints}})
	ds, err := LoadExternal(good)
	if err != nil {
		t.Fatal(err)
	}
	if ds.Len() != n || len(ds.Inputs.Data) != n*s*s || ds.Inputs.Data[2] != 1 || ds.Inputs.Data[1] != 0 || ds.Outputs.Data[0] != -5 || ds.Outputs.Data[7] != 2 {
		t.Errorf("loaded %v inputs starting %v and outputs starting %v", ds.Inputs.Shape, ds.Inputs.Data[:3], ds.Outputs.Data[:8])
	}
	for _, tc := range []struct {
		name    string
		members map[string]rawArray
		want    string
	}{
		{"extra array", map[string]rawArray{"a": {"|b1", []int{n, s, s}, bools}, "u": {"<i4", []int{n, s, s}, ints}, "x": {"<i4", []int{n, s, s}, ints}}, "exactly a (inputs) and u"},
		{"one axis", map[string]rawArray{"a": {"|b1", []int{n * s * s}, bools}, "u": {"<i4", []int{n * s * s}, ints}}, "want (n, s)"},
		{"sample counts differ", map[string]rawArray{"a": {"|b1", []int{n, s, s}, bools}, "u": {"<i4", []int{1, 2 * s, s}, ints}}, "invalid dataset"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "_")+".npz")
			writeRawNPZ(t, p, tc.members)
			if _, err := LoadExternal(p); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}
