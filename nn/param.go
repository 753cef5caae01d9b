package nn

import "fmt"

// Param is one named, trainable array of a model. Value is the row-major
// backing array of the parameter's tensor in the model's graph, so writing
// to Value changes what the next forward pass uses, with no copy. Grad has
// the same length and is filled by the objective's gradient evaluation.
type Param struct {
	Name  string
	Shape []int
	Value []float64
	Grad  []float64
}

// NewParam returns a zero parameter of the given name and shape.
func NewParam(name string, shape ...int) *Param {
	n := 1
	for _, s := range shape {
		if s <= 0 {
			panic(fmt.Sprintf("nn: parameter %q has non-positive dimension in shape %v", name, shape))
		}
		n *= s
	}
	return &Param{Name: name, Shape: append([]int(nil), shape...), Value: make([]float64, n), Grad: make([]float64, n)}
}

// Len returns the number of scalars in p.
func (p *Param) Len() int { return len(p.Value) }

// NumParams returns the total number of scalars in ps.
func NumParams(ps []*Param) int {
	n := 0
	for _, p := range ps {
		n += p.Len()
	}
	return n
}
