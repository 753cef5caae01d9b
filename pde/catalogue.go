package pde

import (
	"fmt"
	"slices"
	"strings"
)

// equationParams lists, for each catalogue equation, its parameter names as
// Params reports them and a constructor from their values in that order.
var equationParams = map[string]struct {
	names []string
	build func(v []float64) Equation
}{
	"burgers":   {[]string{"nu"}, func(v []float64) Equation { return Burgers{Nu: v[0]} }},
	"heat":      {[]string{"kappa"}, func(v []float64) Equation { return Heat{Kappa: v[0]} }},
	"advection": {[]string{"c"}, func(v []float64) Equation { return Advection{C: v[0]} }},
	"allen-cahn": {[]string{"eps", "a"}, func(v []float64) Equation {
		return AllenCahn{Eps: v[0], A: v[1]}
	}},
	"kdv": {[]string{"a", "delta"}, func(v []float64) Equation { return KdV{A: v[0], Delta: v[1]} }},
	"kuramoto-sivashinsky": {[]string{"a", "b", "c"}, func(v []float64) Equation {
		return KuramotoSivashinsky{A: v[0], B: v[1], C: v[2]}
	}},
	"poisson": {nil, func([]float64) Equation { return Poisson{} }},
}

// EquationNames returns the names of the catalogue equations, sorted.
func EquationNames() []string {
	names := make([]string, 0, len(equationParams))
	for n := range equationParams {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// NewEquation returns the catalogue equation with the given name and
// parameters, the inverse of Name and Params: NewEquation(e.Name(),
// Params(e)) is e. It is how an equation written in a config file or in a
// dataset's metadata is rebuilt. Every parameter of the equation must be
// given, and no other.
func NewEquation(name string, params map[string]float64) (Equation, error) {
	spec, ok := equationParams[name]
	if !ok {
		return nil, fmt.Errorf("pde: unknown equation %q (known equations: %v)", name, EquationNames())
	}
	v := make([]float64, len(spec.names))
	for i, p := range spec.names {
		x, ok := params[p]
		if !ok {
			return nil, fmt.Errorf("pde: equation %q needs parameter %q (its parameters: %s)",
				name, p, strings.Join(spec.names, ", "))
		}
		v[i] = x
	}
	if len(params) != len(spec.names) {
		for p := range params {
			if !slices.Contains(spec.names, p) {
				return nil, fmt.Errorf("pde: equation %q has no parameter %q (its parameters: %s)",
					name, p, strings.Join(spec.names, ", "))
			}
		}
	}
	return spec.build(v), nil
}
