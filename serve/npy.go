package serve

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/neuralpde/neuralpde/data"
)

// npyMagic opens every NumPy .npy file (format description in numpy's
// numpy/lib/format.py).
const npyMagic = "\x93NUMPY"

var (
	descrRe   = regexp.MustCompile(`'descr'\s*:\s*'([<>|=]?)([fi])(\d)'`)
	fortranRe = regexp.MustCompile(`'fortran_order'\s*:\s*(True|False)`)
	shapeRe   = regexp.MustCompile(`'shape'\s*:\s*\(([^)]*)\)`)
)

// ReadNPY decodes a .npy array of little-endian float64, float32, int64
// or int32 in C order. Other dtypes, Fortran order and a truncated body
// are errors (InputError) naming what was wrong.
func ReadNPY(b []byte) (data.Array, error) {
	if len(b) < 10 || string(b[:6]) != npyMagic {
		return data.Array{}, inputErrorf(".npy body does not start with the NumPy magic \\x93NUMPY; send numpy.save output")
	}
	major := b[6]
	var hlen, off int
	switch major {
	case 1:
		hlen, off = int(binary.LittleEndian.Uint16(b[8:10])), 10
	case 2, 3:
		if len(b) < 12 {
			return data.Array{}, inputErrorf(".npy header is truncated")
		}
		hlen, off = int(binary.LittleEndian.Uint32(b[8:12])), 12
	default:
		return data.Array{}, inputErrorf(".npy format version %d is not known (1, 2 or 3)", major)
	}
	if off+hlen > len(b) {
		return data.Array{}, inputErrorf(".npy header of %d bytes is truncated", hlen)
	}
	h := string(b[off : off+hlen])
	d := descrRe.FindStringSubmatch(h)
	if d == nil || d[1] == ">" || !(d[3] == "8" || d[3] == "4") {
		return data.Array{}, inputErrorf(".npy dtype in %q is not little-endian float64, float32, int64 or int32", strings.TrimSpace(h))
	}
	if f := fortranRe.FindStringSubmatch(h); f == nil || f[1] == "True" {
		return data.Array{}, inputErrorf(".npy array is in Fortran order; send a C-ordered array (numpy.ascontiguousarray)")
	}
	sm := shapeRe.FindStringSubmatch(h)
	if sm == nil {
		return data.Array{}, inputErrorf(".npy header %q has no shape", strings.TrimSpace(h))
	}
	var shape []int
	n := 1
	for _, f := range strings.Split(sm[1], ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		v, err := strconv.Atoi(f)
		if err != nil || v < 0 {
			return data.Array{}, inputErrorf(".npy shape (%s) is not a list of sizes", sm[1])
		}
		shape = append(shape, v)
		n *= v
	}
	size, _ := strconv.Atoi(d[3])
	body := b[off+hlen:]
	if len(body) != n*size {
		return data.Array{}, inputErrorf(".npy body has %d bytes; shape %v of %d-byte values needs %d", len(body), shape, size, n*size)
	}
	a := data.Array{Shape: shape, Data: make([]float64, n)}
	for i := range a.Data {
		p := body[i*size:]
		switch d[2] + d[3] {
		case "f8":
			a.Data[i] = math.Float64frombits(binary.LittleEndian.Uint64(p))
		case "f4":
			a.Data[i] = float64(math.Float32frombits(binary.LittleEndian.Uint32(p)))
		case "i8":
			a.Data[i] = float64(int64(binary.LittleEndian.Uint64(p)))
		case "i4":
			a.Data[i] = float64(int32(binary.LittleEndian.Uint32(p)))
		}
	}
	return a, nil
}

// WriteNPY writes a as a version-1 .npy array of little-endian float64.
func WriteNPY(w io.Writer, a data.Array) error {
	if a.Len() != len(a.Data) {
		return errors.New("serve: array shape and data disagree")
	}
	var shape bytes.Buffer
	for i, s := range a.Shape {
		if i > 0 {
			shape.WriteString(", ")
		}
		fmt.Fprint(&shape, s)
	}
	if len(a.Shape) == 1 {
		shape.WriteString(",")
	}
	h := fmt.Sprintf("{'descr': '<f8', 'fortran_order': False, 'shape': (%s), }", shape.String())
	// Pad with spaces and a newline so the data starts at a multiple of 64.
	pad := 64 - (10+len(h)+1)%64
	h += strings.Repeat(" ", pad%64) + "\n"
	buf := make([]byte, 10, 10+len(h)+8*len(a.Data))
	copy(buf, npyMagic)
	buf[6], buf[7] = 1, 0
	binary.LittleEndian.PutUint16(buf[8:], uint16(len(h)))
	buf = append(buf, h...)
	for _, v := range a.Data {
		buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(v))
	}
	_, err := w.Write(buf)
	return err
}
