package serve

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/neuralpde/neuralpde/data"
	"github.com/neuralpde/neuralpde/pde"
	"github.com/neuralpde/neuralpde/train"
)

// CardFile is the model card's file name in a run directory.
const CardFile = "card.json"

// Card describes a trained model: what it maps, on which grid it was
// trained and how well. The CLI's train writes it beside the checkpoint.
type Card struct {
	// Kind is the model family (the checkpoint's kind: fno, deeponet,
	// pinn).
	Kind string `json:"kind"`
	// Preset and PDE name the problem; empty for data from another tool.
	Preset string `json:"preset,omitempty"`
	PDE    string `json:"pde,omitempty"`
	// Data is the training dataset's path.
	Data string `json:"data,omitempty"`
	// Grid is the training grid's points per axis; Axes names the axes,
	// Lo and Hi bound them, and Periodic grids leave out Hi (the torus
	// [Lo, Hi)), others hold both ends.
	Grid     []int     `json:"grid,omitempty"`
	Axes     []string  `json:"axes,omitempty"`
	Lo       []float64 `json:"lo,omitempty"`
	Hi       []float64 `json:"hi,omitempty"`
	Periodic bool      `json:"periodic"`
	// TrainRelL2 and TestRelL2 are the mean relative L2 errors on the
	// training and held-out samples; nil when not measured.
	TrainRelL2 *float64 `json:"train_rel_l2,omitempty"`
	TestRelL2  *float64 `json:"test_rel_l2,omitempty"`
	// TrainSeconds is the wall time of training.
	TrainSeconds float64 `json:"train_seconds,omitempty"`
	// Params is the number of trained parameters.
	Params int `json:"params"`
}

// Coords returns the coordinates of an axis of the card's domain with n
// points.
func (c *Card) Coords(axis, n int) []float64 {
	lo, hi := 0.0, 1.0
	if axis < len(c.Lo) && axis < len(c.Hi) {
		lo, hi = c.Lo[axis], c.Hi[axis]
	}
	if c.Periodic {
		return pde.NewPeriodicGrid(lo, hi, n).Points(nil)
	}
	return pde.NewUniformGrid(lo, hi, n).Points(nil)
}

// Float returns a pointer to v, for the card's optional errors.
func Float(v float64) *float64 { return &v }

// NewCard returns the card of a model of kind trained on ds: the problem
// and grid are read from ds's metadata and coordinates and, for a preset,
// its domain.
func NewCard(kind, dataPath string, ds *data.Dataset) *Card {
	c := &Card{Kind: kind, Data: dataPath, Preset: ds.Meta.Preset, PDE: ds.Meta.PDE}
	shape := ds.Outputs.Shape[1:]
	if len(ds.Inputs.Shape) > len(shape) {
		shape = ds.Inputs.Shape[1:]
	}
	c.Grid = append([]int(nil), shape...)
	c.Axes = append([]string(nil), ds.Meta.Axes...)
	if len(c.Axes) != len(c.Grid) {
		c.Axes = []string{"x", "y", "z"}[:min(len(c.Grid), 3)]
	}
	if p, err := pde.Lookup(c.Preset); err == nil {
		c.Periodic = p.BC.Kind == pde.PeriodicBC
		c.Lo, c.Hi = []float64{p.X.A}, []float64{p.X.B}
		return c
	}
	if p, err := pde.Lookup2D(c.Preset); err == nil {
		c.Periodic = p.BC == pde.PeriodicBC
		c.Lo, c.Hi = []float64{p.X.A, p.Y.A}, []float64{p.X.B, p.Y.B}
		return c
	}
	// Another tool's data: its coordinates' ends, or the unit interval or
	// square that the models assume without coordinates.
	for k, name := range c.Axes {
		lo, hi := 0.0, 1.0
		if a, ok := ds.Coords[name]; ok && len(a.Data) > 1 && k < len(c.Grid) && len(a.Data) == c.Grid[k] {
			lo, hi = a.Data[0], a.Data[len(a.Data)-1]
		}
		c.Lo, c.Hi = append(c.Lo, lo), append(c.Hi, hi)
	}
	return c
}

// WriteCard writes c to dir/card.json.
func WriteCard(dir string, c *Card) error {
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return fmt.Errorf("serve: %v", err)
	}
	return data.WriteFileAtomic(filepath.Join(dir, CardFile), func(w io.Writer) error {
		_, err := w.Write(append(b, '\n'))
		return err
	})
}

// ReadCard returns the card of the run directory dir: its card.json, or
// for a directory trained without one, what the checkpoint tells (kind
// and parameter count).
func ReadCard(dir string) (*Card, error) {
	ck, err := readCheckpoint(dir)
	if err != nil {
		return nil, err
	}
	params := 0
	for _, p := range ck.ParamShapes {
		n := 1
		for _, s := range p.Shape {
			n *= s
		}
		params += n
	}
	c := &Card{}
	b, err := os.ReadFile(filepath.Join(dir, CardFile))
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, fmt.Errorf("serve: %v", err)
	default:
		if err := json.Unmarshal(b, c); err != nil {
			return nil, fmt.Errorf("serve: %s: %v; delete it or rewrite it with neuralpde train", filepath.Join(dir, CardFile), err)
		}
	}
	c.Kind, c.Params = ck.Kind, params
	return c, nil
}

// readCheckpoint reads dir's checkpoint with a message naming what to do
// when there is none.
func readCheckpoint(dir string) (*train.Checkpoint, error) {
	path := dir
	if !strings.HasSuffix(dir, ".npz") {
		path = filepath.Join(dir, train.CheckpointFile)
	}
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("serve: no checkpoint at %s (%v); pass a directory written by neuralpde train", path, err)
	}
	return train.ReadCheckpoint(path)
}
