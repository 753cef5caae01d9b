package data

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// The .npy format (NumPy Enhancement Proposal 1,
// numpy/lib/format.py): a magic string, a version, a little-endian header
// length, an ASCII Python dict literal padded with spaces to a multiple of
// 64 bytes and ending in '\n', then the raw data in C order.

var npyMagic = []byte("\x93NUMPY")

// npyAlign is the alignment numpy itself uses for the data that follows the
// header (numpy.lib.format.ARRAY_ALIGN).
const npyAlign = 64

// npyHeader returns the complete .npy preamble (magic to the header's
// trailing newline) for an array of the given dtype and shape.
func npyHeader(dtype string, shape []int) []byte {
	var dict strings.Builder
	fmt.Fprintf(&dict, "{'descr': '%s', 'fortran_order': False, 'shape': (", dtype)
	for i, s := range shape {
		if i > 0 {
			dict.WriteString(", ")
		}
		dict.WriteString(strconv.Itoa(s))
	}
	if len(shape) == 1 {
		dict.WriteByte(',')
	}
	dict.WriteString("), }")

	// Version 1.0 has a 2-byte header length, version 2.0 a 4-byte one.
	major, lenBytes := byte(1), 2
	pre := len(npyMagic) + 2 + lenBytes
	if pre+dict.Len()+1 > math.MaxUint16 {
		major, lenBytes = 2, 4
		pre = len(npyMagic) + 2 + lenBytes
	}
	pad := (npyAlign - (pre+dict.Len()+1)%npyAlign) % npyAlign
	hlen := dict.Len() + pad + 1

	var b bytes.Buffer
	b.Write(npyMagic)
	b.WriteByte(major)
	b.WriteByte(0)
	if lenBytes == 2 {
		binary.Write(&b, binary.LittleEndian, uint16(hlen))
	} else {
		binary.Write(&b, binary.LittleEndian, uint32(hlen))
	}
	b.WriteString(dict.String())
	b.Write(bytes.Repeat([]byte{' '}, pad))
	b.WriteByte('\n')
	return b.Bytes()
}

// npyInfo is what a .npy header says about the array that follows.
type npyInfo struct {
	dtype   string
	fortran bool
	shape   []int
	// dataOffset is the number of bytes before the data.
	dataOffset int
}

// parseNPYHeader parses the preamble at the start of b. It never panics on
// malformed input.
func parseNPYHeader(b []byte) (npyInfo, error) {
	var info npyInfo
	if len(b) < len(npyMagic)+4 || !bytes.Equal(b[:len(npyMagic)], npyMagic) {
		return info, fmt.Errorf("not a .npy array (no \\x93NUMPY magic string)")
	}
	major := b[len(npyMagic)]
	var hlen, pre int
	switch major {
	case 1:
		hlen = int(binary.LittleEndian.Uint16(b[len(npyMagic)+2:]))
		pre = len(npyMagic) + 4
	case 2, 3:
		if len(b) < len(npyMagic)+6 {
			return info, fmt.Errorf("truncated .npy header")
		}
		hlen = int(binary.LittleEndian.Uint32(b[len(npyMagic)+2:]))
		pre = len(npyMagic) + 6
	default:
		return info, fmt.Errorf(".npy format version %d is not supported (want 1, 2 or 3)", major)
	}
	if hlen > len(b)-pre {
		return info, fmt.Errorf("truncated .npy header (%d bytes announced, %d present)", hlen, len(b)-pre)
	}
	dict := strings.TrimSpace(string(b[pre : pre+hlen]))
	info.dataOffset = pre + hlen
	fields, err := parseDictLiteral(dict)
	if err != nil {
		return info, fmt.Errorf("bad .npy header %q: %v", dict, err)
	}
	descr, ok := fields["descr"]
	if !ok || descr.kind != litString {
		return info, fmt.Errorf("bad .npy header %q: no string 'descr'", dict)
	}
	info.dtype = descr.str
	fo, ok := fields["fortran_order"]
	if !ok || fo.kind != litBool {
		return info, fmt.Errorf("bad .npy header %q: no boolean 'fortran_order'", dict)
	}
	info.fortran = fo.b
	sh, ok := fields["shape"]
	if !ok || sh.kind != litTuple {
		return info, fmt.Errorf("bad .npy header %q: no tuple 'shape'", dict)
	}
	info.shape = sh.ints
	return info, nil
}

type litKind int

const (
	litString litKind = iota
	litBool
	litTuple
)

// literal is one value of a .npy header dict: a string, a bool or a tuple of
// non-negative ints.
type literal struct {
	kind litKind
	str  string
	b    bool
	ints []int
}

// parseDictLiteral parses the restricted Python dict literal of a .npy
// header: string keys mapping to strings, True/False or int tuples.
func parseDictLiteral(s string) (map[string]literal, error) {
	p := &litParser{s: s}
	if !p.eat('{') {
		return nil, fmt.Errorf("dict does not start with '{'")
	}
	out := make(map[string]literal)
	for {
		p.space()
		if p.eat('}') {
			break
		}
		key, err := p.str()
		if err != nil {
			return nil, err
		}
		p.space()
		if !p.eat(':') {
			return nil, fmt.Errorf("missing ':' after key %q", key)
		}
		p.space()
		v, err := p.value()
		if err != nil {
			return nil, fmt.Errorf("key %q: %v", key, err)
		}
		out[key] = v
		p.space()
		if p.eat('}') {
			break
		}
		if !p.eat(',') {
			return nil, fmt.Errorf("missing ',' after key %q", key)
		}
	}
	p.space()
	if p.i != len(p.s) {
		return nil, fmt.Errorf("trailing text after dict")
	}
	return out, nil
}

type litParser struct {
	s string
	i int
}

func (p *litParser) space() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t' || p.s[p.i] == '\n') {
		p.i++
	}
}

func (p *litParser) eat(c byte) bool {
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

func (p *litParser) str() (string, error) {
	if p.i >= len(p.s) || (p.s[p.i] != '\'' && p.s[p.i] != '"') {
		return "", fmt.Errorf("expected a quoted string at offset %d", p.i)
	}
	q := p.s[p.i]
	end := strings.IndexByte(p.s[p.i+1:], q)
	if end < 0 {
		return "", fmt.Errorf("unterminated string at offset %d", p.i)
	}
	v := p.s[p.i+1 : p.i+1+end]
	p.i += end + 2
	return v, nil
}

func (p *litParser) value() (literal, error) {
	switch {
	case p.i >= len(p.s):
		return literal{}, fmt.Errorf("missing value")
	case p.s[p.i] == '\'' || p.s[p.i] == '"':
		v, err := p.str()
		return literal{kind: litString, str: v}, err
	case strings.HasPrefix(p.s[p.i:], "True"):
		p.i += 4
		return literal{kind: litBool, b: true}, nil
	case strings.HasPrefix(p.s[p.i:], "False"):
		p.i += 5
		return literal{kind: litBool, b: false}, nil
	case p.s[p.i] == '(':
		p.i++
		v := literal{kind: litTuple, ints: []int{}}
		for {
			p.space()
			if p.eat(')') {
				return v, nil
			}
			j := p.i
			for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
				p.i++
			}
			// A trailing L is how Python 2 wrote long ints.
			n, err := strconv.Atoi(p.s[j:p.i])
			if err != nil {
				return literal{}, fmt.Errorf("bad dimension at offset %d", j)
			}
			p.eat('L')
			v.ints = append(v.ints, n)
			p.space()
			if p.eat(')') {
				return v, nil
			}
			if !p.eat(',') {
				return literal{}, fmt.Errorf("missing ',' in shape at offset %d", p.i)
			}
		}
	}
	return literal{}, fmt.Errorf("unsupported value at offset %d", p.i)
}
