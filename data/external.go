package data

import (
	"fmt"
	"os"
	"slices"

	"codeberg.org/sbinet/npyio/npy"
	"codeberg.org/sbinet/npyio/npz"
)

// LoadExternal reads a dataset made by another tool: a .npz holding exactly
// two arrays, a (inputs, shape (n, s) or (n, s1, s2)) and u (outputs, the
// same spatial shape, possibly with a time axis after n), of any numeric
// dtype or bool, in C order. Values are converted to float64. The dataset
// has no coordinates and no preset (models then use a uniform grid over the
// unit interval or square), and it is validated as Load validates.
func LoadExternal(path string) (*Dataset, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("data: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("data: %w", err)
	}
	r, err := npz.NewReader(f, st.Size())
	if err != nil {
		return nil, fmt.Errorf("data: %s is not a readable .npz file: %v", path, err)
	}
	keys := slices.Clone(r.Keys())
	slices.Sort(keys)
	if !slices.Equal(keys, []string{"a.npy", "u.npy"}) && !slices.Equal(keys, []string{"a", "u"}) {
		return nil, fmt.Errorf("data: %s holds arrays %v; an external dataset holds exactly a (inputs) and u (outputs)", path, keys)
	}
	var arrays [2]Array
	for i, name := range []string{"a", "u"} {
		key := name
		if slices.Contains(keys, name+".npy") {
			key = name + ".npy"
		}
		var a npy.Array
		if err := r.Read(key, &a); err != nil {
			return nil, fmt.Errorf("data: %s: array %s: %v", path, name, err)
		}
		if a.Fortran() && len(a.Shape()) > 1 {
			return nil, fmt.Errorf("data: %s: array %s is in Fortran order; save it with numpy.ascontiguousarray", path, name)
		}
		v, err := toFloat64(a.Data())
		if err != nil {
			return nil, fmt.Errorf("data: %s: array %s: %v", path, name, err)
		}
		arrays[i] = Array{Shape: slices.Clone(a.Shape()), Data: v}
	}
	ds := &Dataset{Inputs: arrays[0], Outputs: arrays[1], Coords: map[string]Array{}, Meta: Meta{Format: FormatVersion}}
	if len(ds.Inputs.Shape) > 0 {
		ds.Meta.Samples = ds.Inputs.Shape[0]
	}
	if len(ds.Inputs.Shape) < 2 || len(ds.Inputs.Shape) > 3 {
		return nil, fmt.Errorf("%w: %s: a has shape %v; want (n, s) or (n, s1, s2)", ErrInvalid, path, ds.Inputs.Shape)
	}
	if err := ds.Validate(); err != nil {
		return nil, fmt.Errorf("data: %s: %w", path, err)
	}
	return ds, nil
}

// toFloat64 converts a numeric or bool slice to float64.
func toFloat64(v any) ([]float64, error) {
	switch s := v.(type) {
	case []float64:
		return s, nil
	case []float32:
		return convert(s), nil
	case []int8:
		return convert(s), nil
	case []int16:
		return convert(s), nil
	case []int32:
		return convert(s), nil
	case []int64:
		return convert(s), nil
	case []uint8:
		return convert(s), nil
	case []uint16:
		return convert(s), nil
	case []uint32:
		return convert(s), nil
	case []uint64:
		return convert(s), nil
	case []bool:
		out := make([]float64, len(s))
		for i, b := range s {
			if b {
				out[i] = 1
			}
		}
		return out, nil
	}
	return nil, fmt.Errorf("dtype %T is not numeric; want bool, integers or floats", v)
}

func convert[T int8 | int16 | int32 | int64 | uint8 | uint16 | uint32 | uint64 | float32](s []T) []float64 {
	out := make([]float64, len(s))
	for i, x := range s {
		out[i] = float64(x)
	}
	return out
}
