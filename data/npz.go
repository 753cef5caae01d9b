package data

import (
	"archive/zip"
	"bufio"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// Array is a float64 array in row-major (C) order: element (i, j, k) of an
// array of shape (n0, n1, n2) is Data[(i*n1+j)*n2+k]. An empty Shape is a
// scalar with one element.
type Array struct {
	Shape []int
	Data  []float64
}

// NewArray returns an Array holding data with the given shape. It does not
// copy data; a length that does not match the shape is an error at write
// time.
func NewArray(data []float64, shape ...int) Array {
	return Array{Shape: append([]int(nil), shape...), Data: data}
}

// Len returns the number of elements the shape holds, or −1 when a
// dimension is negative or the product overflows.
func (a Array) Len() int { return shapeLen(a.Shape) }

func shapeLen(shape []int) int {
	n := 1
	for _, s := range shape {
		if s < 0 || (s > 0 && n > math.MaxInt/s) {
			return -1
		}
		n *= s
	}
	return n
}

// MetaKey is the name under which WriteNPZ stores the metadata; no array may
// use it.
const MetaKey = "meta"

// zipTime is the fixed modification time of every archive member, so that
// the bytes of a file depend only on its contents.
var zipTime = time.Date(1980, time.January, 1, 0, 0, 0, 0, time.UTC)

// WriteNPZ writes the float64 arrays and the metadata meta to the .npz file
// at path. Each array is stored uncompressed (as numpy.savez does) under its
// key; meta, any JSON-marshalable value, is stored as its JSON text in a
// uint8 array under MetaKey, so that in Python
//
//	json.loads(bytes(numpy.load(path)["meta"]))
//
// reads it back. A nil meta writes no metadata. The file is written
// atomically: to a temporary name in the same directory, synced, then
// renamed, so that path never holds a partly written file. The bytes are
// deterministic: members in sorted key order, fixed timestamps.
func WriteNPZ(path string, arrays map[string]Array, meta any) error {
	var metaJSON []byte
	if meta != nil {
		var err error
		metaJSON, err = json.Marshal(meta)
		if err != nil {
			return fmt.Errorf("data: cannot write %s: metadata is not JSON-marshalable: %v", path, err)
		}
	}
	for k, a := range arrays {
		if err := checkKey(k); err != nil {
			return fmt.Errorf("data: cannot write %s: %v", path, err)
		}
		if n := a.Len(); n < 0 || n != len(a.Data) {
			return fmt.Errorf("data: cannot write %s: array %q has shape %v (%d elements) but %d values", path, k, a.Shape, n, len(a.Data))
		}
	}
	return WriteFileAtomic(path, func(w io.Writer) error {
		return encodeNPZ(w, arrays, metaJSON)
	})
}

func checkKey(k string) error {
	switch {
	case k == "":
		return errors.New("an array has an empty name")
	case k == MetaKey:
		return fmt.Errorf("the array name %q is reserved for the metadata", MetaKey)
	case strings.HasPrefix(k, "/") || strings.Contains(k, "\\"):
		// numpy keeps "/" inside a name ("layer/w"), but a leading one or
		// a backslash makes a zip member name that unzip tools misread.
		return fmt.Errorf("array name %q starts with / or contains a backslash", k)
	}
	return nil
}

// encodeNPZ writes the archive to w.
func encodeNPZ(w io.Writer, arrays map[string]Array, metaJSON []byte) error {
	keys := make([]string, 0, len(arrays)+1)
	for k := range arrays {
		keys = append(keys, k)
	}
	if metaJSON != nil {
		keys = append(keys, MetaKey)
	}
	sort.Strings(keys)

	zw := zip.NewWriter(w)
	buf := make([]byte, 1<<16)
	for _, k := range keys {
		m, err := zw.CreateHeader(&zip.FileHeader{Name: k + ".npy", Method: zip.Store, Modified: zipTime})
		if err != nil {
			return err
		}
		if k == MetaKey {
			if _, err := m.Write(npyHeader("|u1", []int{len(metaJSON)})); err != nil {
				return err
			}
			if _, err := m.Write(metaJSON); err != nil {
				return err
			}
			continue
		}
		a := arrays[k]
		if _, err := m.Write(npyHeader("<f8", a.Shape)); err != nil {
			return err
		}
		for data := a.Data; len(data) > 0; {
			n := min(len(data), len(buf)/8)
			for i, v := range data[:n] {
				binary.LittleEndian.PutUint64(buf[8*i:], math.Float64bits(v))
			}
			if _, err := m.Write(buf[:8*n]); err != nil {
				return err
			}
			data = data[n:]
		}
	}
	return zw.Close()
}

// WriteFileAtomic writes path through write: into a temporary file in the
// same directory, synced to disk, then renamed over path. On any error the
// temporary file is removed and path is untouched, so a reader never sees a
// partly written file.
func WriteFileAtomic(path string, write func(io.Writer) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("data: cannot write %s: %v", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	bw := bufio.NewWriterSize(f, 1<<20)
	if err = write(bw); err != nil {
		return fmt.Errorf("data: cannot write %s: %v", path, err)
	}
	if err = bw.Flush(); err != nil {
		return fmt.Errorf("data: cannot write %s: %v", path, err)
	}
	if err = f.Chmod(0o644); err != nil {
		return fmt.Errorf("data: cannot write %s: %v", path, err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("data: cannot write %s: %v", path, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("data: cannot write %s: %v", path, err)
	}
	if err = os.Rename(tmp, path); err != nil {
		return fmt.Errorf("data: cannot write %s: %v", path, err)
	}
	// Make the rename itself durable; not every file system can sync a
	// directory, and the file is complete either way.
	if d, derr := os.Open(dir); derr == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// ReadNPZ reads a .npz file of float64 arrays and optional JSON metadata, as
// written by WriteNPZ or by numpy.savez / numpy.savez_compressed with
// float64 arrays. It refuses, with an error naming the file and the
// problem, a file that is not a zip archive, is truncated or fails its
// checksums, holds an array whose dtype is not float64 or whose data length
// does not match its shape, or holds metadata that is not valid JSON. meta
// is nil when the file has none.
func ReadNPZ(path string) (arrays map[string]Array, meta json.RawMessage, err error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		if errors.Is(err, zip.ErrFormat) {
			return nil, nil, fmt.Errorf("data: %s is not a valid .npz file (not a zip archive, or truncated): %v", path, err)
		}
		return nil, nil, fmt.Errorf("data: cannot read %s: %v", path, err)
	}
	defer zr.Close()
	arrays = make(map[string]Array, len(zr.File))
	for _, f := range zr.File {
		key, ok := strings.CutSuffix(f.Name, ".npy")
		if !ok {
			return nil, nil, fmt.Errorf("data: %s: member %q is not a .npy array", path, f.Name)
		}
		if _, dup := arrays[key]; dup || (key == MetaKey && meta != nil) {
			return nil, nil, fmt.Errorf("data: %s: array %q appears twice", path, key)
		}
		raw, err := readMember(f)
		if err != nil {
			return nil, nil, fmt.Errorf("data: %s: array %q is corrupt or truncated: %v", path, key, err)
		}
		info, err := parseNPYHeader(raw)
		if err != nil {
			return nil, nil, fmt.Errorf("data: %s: array %q: %v", path, key, err)
		}
		body := raw[info.dataOffset:]
		if key == MetaKey {
			meta, err = decodeMeta(info, body)
			if err != nil {
				return nil, nil, fmt.Errorf("data: %s: metadata: %v", path, err)
			}
			continue
		}
		a, err := decodeFloat64(info, body)
		if err != nil {
			return nil, nil, fmt.Errorf("data: %s: array %q: %v", path, key, err)
		}
		arrays[key] = a
	}
	return arrays, meta, nil
}

func readMember(f *zip.File) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	// Reading to the end makes archive/zip verify the CRC-32.
	// The directory's size only sizes the first buffer (capped, so that a
	// corrupt directory cannot demand a huge allocation).
	b := make([]byte, 0, min(f.UncompressedSize64, 1<<26))
	b, err = readAllInto(b, rc)
	if err != nil {
		return nil, err
	}
	if uint64(len(b)) != f.UncompressedSize64 {
		return nil, fmt.Errorf("member holds %d bytes, the directory says %d", len(b), f.UncompressedSize64)
	}
	return b, nil
}

func readAllInto(b []byte, r io.Reader) ([]byte, error) {
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
}

func checkLayout(info npyInfo, body []byte, itemSize int) (int, error) {
	if info.fortran {
		return 0, errors.New("stored in Fortran order; save it with numpy.ascontiguousarray")
	}
	n := shapeLen(info.shape)
	if n < 0 {
		return 0, fmt.Errorf("impossible shape %v", info.shape)
	}
	if n > len(body)/itemSize || n*itemSize != len(body) {
		return 0, fmt.Errorf("shape %v needs %d bytes of data but %d are present", info.shape, n*itemSize, len(body))
	}
	return n, nil
}

func decodeFloat64(info npyInfo, body []byte) (Array, error) {
	var bo binary.ByteOrder
	switch info.dtype {
	case "<f8":
		bo = binary.LittleEndian
	case ">f8":
		bo = binary.BigEndian
	default:
		return Array{}, fmt.Errorf("dtype %s is not float64; convert it with a.astype(numpy.float64)", info.dtype)
	}
	n, err := checkLayout(info, body, 8)
	if err != nil {
		return Array{}, err
	}
	data := make([]float64, n)
	for i := range data {
		data[i] = math.Float64frombits(bo.Uint64(body[8*i:]))
	}
	return Array{Shape: info.shape, Data: data}, nil
}

func decodeMeta(info npyInfo, body []byte) (json.RawMessage, error) {
	if info.dtype != "|u1" && info.dtype != "<u1" {
		return nil, fmt.Errorf("dtype %s is not uint8 (JSON text)", info.dtype)
	}
	if len(info.shape) != 1 {
		return nil, fmt.Errorf("shape %v is not one-dimensional", info.shape)
	}
	if _, err := checkLayout(info, body, 1); err != nil {
		return nil, err
	}
	if !json.Valid(body) {
		return nil, errors.New("not valid JSON")
	}
	return json.RawMessage(append([]byte(nil), body...)), nil
}
