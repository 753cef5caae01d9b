package train

import (
	"fmt"
	"math"

	"github.com/neuralpde/neuralpde/nn"
)

// gatherValues copies the values of params, concatenated, into dst (nil
// allocates) and returns it.
func gatherValues(dst []float64, params []*nn.Param) []float64 {
	dst = resize(dst, nn.NumParams(params))
	off := 0
	for _, p := range params {
		off += copy(dst[off:], p.Value)
	}
	return dst
}

// gatherGrads copies the gradients of params, concatenated, into dst (nil
// allocates) and returns it.
func gatherGrads(dst []float64, params []*nn.Param) []float64 {
	dst = resize(dst, nn.NumParams(params))
	off := 0
	for _, p := range params {
		off += copy(dst[off:], p.Grad)
	}
	return dst
}

// scatterValues writes the concatenated values x into params.
func scatterValues(params []*nn.Param, x []float64) {
	off := 0
	for _, p := range params {
		off += copy(p.Value, x[off:])
	}
}

// setAxpy writes x0 + alpha·d into the values of params, concatenated.
func setAxpy(params []*nn.Param, x0 []float64, alpha float64, d []float64) {
	off := 0
	for _, p := range params {
		for j := range p.Value {
			p.Value[j] = x0[off+j] + alpha*d[off+j]
		}
		off += len(p.Value)
	}
}

// resize returns s with length n, reusing its storage when it can.
func resize(s []float64, n int) []float64 {
	if cap(s) >= n {
		return s[:n]
	}
	return make([]float64, n)
}

// zeros returns s with length n and every element zero.
func zeros(s []float64, n int) []float64 {
	s = resize(s, n)
	clear(s)
	return s
}

func dot(a, b []float64) float64 {
	var s float64
	for i, v := range a {
		s += v * b[i]
	}
	return s
}

func norm(a []float64) float64 { return math.Sqrt(dot(a, a)) }

// gradNorm returns the Euclidean norm of the gradients of params.
func gradNorm(params []*nn.Param) float64 {
	var s float64
	for _, p := range params {
		s += dot(p.Grad, p.Grad)
	}
	return math.Sqrt(s)
}

func finiteGrads(params []*nn.Param) bool {
	for _, p := range params {
		for _, g := range p.Grad {
			if math.IsNaN(g) || math.IsInf(g, 0) {
				return false
			}
		}
	}
	return true
}

// orDefault returns v, or def when v is zero.
func orDefault(v, def float64) float64 {
	if v == 0 {
		return def
	}
	return v
}

func orDefaultInt(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

// stateSet collects an optimizer's state arrays under prefixed names.
type stateSet map[string][]float64

func (s stateSet) scalar(name string, v float64) { s[name] = []float64{v} }

// stateScalar reads a scalar saved by stateSet.scalar.
func stateScalar(state map[string][]float64, name string) (float64, error) {
	a, ok := state[name]
	if !ok || len(a) != 1 {
		return 0, fmt.Errorf("train: optimizer state has no scalar %q; the checkpoint was written by a different optimizer", name)
	}
	return a[0], nil
}

// stateInto copies the state array name into dst, which must have its
// length.
func stateInto(dst []float64, state map[string][]float64, name string) error {
	a, ok := state[name]
	if !ok {
		return fmt.Errorf("train: optimizer state has no array %q; the checkpoint was written by a different optimizer or model", name)
	}
	if len(a) != len(dst) {
		return fmt.Errorf("train: optimizer state array %q has length %d, want %d; the checkpoint was written for a different model", name, len(a), len(dst))
	}
	copy(dst, a)
	return nil
}

// subState returns the entries of state whose names start with prefix,
// with the prefix removed.
func subState(state map[string][]float64, prefix string) map[string][]float64 {
	out := make(map[string][]float64)
	for k, v := range state {
		if len(k) > len(prefix) && k[:len(prefix)] == prefix {
			out[k[len(prefix):]] = v
		}
	}
	return out
}

// checkParams returns an error if params is empty or has duplicate names.
func checkParams(params []*nn.Param) error {
	if len(params) == 0 {
		return fmt.Errorf("train: no trainable parameters; check the objective's Params and the frozen groups")
	}
	seen := make(map[string]bool, len(params))
	for _, p := range params {
		if seen[p.Name] {
			return fmt.Errorf("train: two parameters are named %q; parameter names must be unique for optimizer state and checkpoints", p.Name)
		}
		seen[p.Name] = true
		if len(p.Grad) != len(p.Value) {
			return fmt.Errorf("train: parameter %q has %d values but %d gradient entries", p.Name, len(p.Value), len(p.Grad))
		}
	}
	return nil
}
