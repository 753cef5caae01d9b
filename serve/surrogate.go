package serve

import (
	"errors"
	"fmt"
	"math"

	"github.com/neuralpde/neuralpde/data"
	"github.com/neuralpde/neuralpde/deeponet"
	"github.com/neuralpde/neuralpde/fno"
)

// Surrogate is a trained operator model loaded from a run directory. It
// is not safe for concurrent use; load one per goroutine (NewPool does).
type Surrogate struct {
	card *Card
	fno  *fno.Trained
	don  *deeponet.Model
}

// Load returns the surrogate trained into dir by neuralpde train (an FNO
// or a DeepONet; a PINN solves one instance and maps no input).
func Load(dir string) (*Surrogate, error) {
	card, err := ReadCard(dir)
	if err != nil {
		return nil, err
	}
	s := &Surrogate{card: card}
	switch card.Kind {
	case "fno":
		if s.fno, err = fno.Load(dir); err != nil {
			return nil, err
		}
		if s.fno.Recurrent {
			return nil, fmt.Errorf("serve: %s holds a recurrent FNO (a time-series rollout); serve answers field-to-field models", dir)
		}
		if len(card.Grid) == 0 {
			card.Grid = make([]int, s.fno.Model.Dim)
		}
	case "deeponet":
		if s.don, err = deeponet.Load(dir); err != nil {
			return nil, err
		}
		if s.don.Outputs != 1 {
			return nil, fmt.Errorf("serve: %s holds a DeepONet of %d output components; serve answers one", dir, s.don.Outputs)
		}
		if len(card.Grid) == 0 {
			// Without a card, answer at the sensors on the unit interval.
			card.Grid = []int{s.don.Sensors}
		}
	default:
		return nil, fmt.Errorf("serve: %s holds a %q model; serve answers operator models (fno, deeponet) — a PINN solves one instance and maps no input", dir, card.Kind)
	}
	return s, nil
}

// Card returns a copy of the model's card.
func (s *Surrogate) Card() Card { return *s.card }

// InputError is an input the model cannot take (wrong shape, NaN); its
// message says what was wrong.
type InputError struct{ msg string }

func (e *InputError) Error() string { return e.msg }

func inputErrorf(format string, args ...any) error {
	return &InputError{fmt.Sprintf(format, args...)}
}

// IsInputError reports whether err is the caller's fault.
func IsInputError(err error) bool {
	var ie *InputError
	return errors.As(err, &ie)
}

// Dims returns the number of spatial axes of one input sample.
func (s *Surrogate) Dims() int {
	if s.fno != nil {
		return s.fno.Model.Dim
	}
	return len(s.card.Grid)
}

// Predict maps input fields to output fields. in has shape (n, grid...)
// or, for a single sample, (grid...). An FNO answers on the input's own
// grid, any size the model accepts (zero-shot super-resolution); a DeepONet
// reads its inputs at its sensors and answers on the training grid. The
// output has the input's sample axes ((n, grid...) or (grid...)).
func (s *Surrogate) Predict(in data.Array) (data.Array, error) {
	dims := s.Dims()
	shape := in.Shape
	single := len(shape) == dims
	if single {
		shape = append([]int{1}, shape...)
	}
	if len(shape) != dims+1 {
		return data.Array{}, inputErrorf("input of shape %v; this %s model takes fields of %d axes, shape (n, %s) or one field", in.Shape, s.card.Kind, dims, gridText(s.card.Grid))
	}
	n, points := shape[0], 1
	for _, p := range shape[1:] {
		points *= p
	}
	if n < 1 || points < 1 || len(in.Data) != n*points {
		return data.Array{}, inputErrorf("input of shape %v holds %d values", in.Shape, len(in.Data))
	}
	for i, v := range in.Data {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return data.Array{}, inputErrorf("input value %d is %v; inputs must be finite", i, v)
		}
	}
	var (
		out data.Array
		err error
	)
	if s.fno != nil {
		out, err = s.predictFNO(in.Data, shape)
	} else {
		out, err = s.predictDeepONet(in.Data, shape)
	}
	if err != nil {
		return data.Array{}, err
	}
	if single {
		out.Shape = out.Shape[1:]
	}
	return out, nil
}

func gridText(grid []int) string {
	s := ""
	for i, g := range grid {
		if i > 0 {
			s += ", "
		}
		if g == 0 {
			s += "s"
		} else {
			s += fmt.Sprint(g)
		}
	}
	return s
}

// dataset wraps inputs as a dataset on the card's domain, with zero
// outputs of outShape.
func (s *Surrogate) dataset(in []float64, inShape, outShape []int) *data.Dataset {
	out := 1
	for _, v := range outShape {
		out *= v
	}
	ds := &data.Dataset{
		Inputs:  data.Array{Shape: inShape, Data: in},
		Outputs: data.Array{Shape: outShape, Data: make([]float64, out)},
		Coords:  map[string]data.Array{},
	}
	grid := outShape[1:]
	for k := range grid {
		name := fmt.Sprintf("axis%d", k)
		if k < len(s.card.Axes) {
			name = s.card.Axes[k]
		}
		ds.Meta.Axes = append(ds.Meta.Axes, name)
		ds.Coords[name] = data.NewArray(s.card.Coords(k, grid[k]), grid[k])
	}
	return ds
}

func (s *Surrogate) predictFNO(in []float64, shape []int) (data.Array, error) {
	if err := s.fno.Model.CheckGrid(shape[1:]); err != nil {
		return data.Array{}, &InputError{err.Error()}
	}
	ev, err := s.fno.Evaluate(s.dataset(in, shape, shape))
	if err != nil {
		return data.Array{}, err
	}
	return ev.Predictions, nil
}

func (s *Surrogate) predictDeepONet(in []float64, shape []int) (data.Array, error) {
	n, m := shape[0], len(in)/shape[0]
	if m != s.don.Sensors {
		return data.Array{}, inputErrorf("input fields of shape %v have %d values; this DeepONet reads %d sensors (shape (n, %s))", shape[1:], m, s.don.Sensors, gridText(s.card.Grid))
	}
	outShape := append([]int{n}, s.card.Grid...)
	g, err := deeponet.NewGrid(s.dataset(in, []int{n, m}, outShape), s.don.Config().Coords, 1)
	if err != nil {
		return data.Array{}, err
	}
	pred, err := s.don.Predict(nil, g.U, g.Y)
	if err != nil {
		return data.Array{}, err
	}
	return data.NewArray(pred, outShape...), nil
}
