package plots

import (
	"errors"
	"fmt"
	"image/color"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Field is a scalar field on a tensor grid: Z[j·len(X) + i] is the value
// at (X[i], Y[j]). For a space–time field X is x and Y is t, matching the
// time-first arrays of neuralpde's .npz files. NaN marks points to leave
// blank.
type Field struct {
	X, Y []float64
	Z    []float64
	// Title, XLabel and YLabel label the panel.
	Title, XLabel, YLabel string
	// Min and Max fix the colour range; Min == Max (the zero value) means
	// the range of the finite values of Z.
	Min, Max float64
	// Diverging selects a blue–red map centred on zero (signed errors);
	// the default is the extended black-body map.
	Diverging bool
}

// validate reports the first inconsistency of f.
func (f *Field) validate() error {
	if len(f.X) < 2 || len(f.Y) < 2 {
		return fmt.Errorf("plots: field %q has a %d×%d grid; it needs at least 2 points per axis", f.Title, len(f.X), len(f.Y))
	}
	if len(f.Z) != len(f.X)*len(f.Y) {
		return fmt.Errorf("plots: field %q has %d values for a %d×%d grid (y/t slow, x fast)", f.Title, len(f.Z), len(f.Y), len(f.X))
	}
	return nil
}

// span returns the colour range of f.
func (f *Field) span() (lo, hi float64) {
	if f.Min != f.Max {
		return f.Min, f.Max
	}
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, v := range f.Z {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	if math.IsInf(lo, 1) {
		return 0, 1
	}
	if f.Diverging {
		m := math.Max(math.Abs(lo), math.Abs(hi))
		lo, hi = -m, m
	}
	if lo == hi {
		lo, hi = lo-0.5, hi+0.5
	}
	return lo, hi
}

// grid adapts a Field to plotter.GridXYZ.
type grid struct{ f *Field }

func (g grid) Dims() (c, r int)   { return len(g.f.X), len(g.f.Y) }
func (g grid) Z(c, r int) float64 { return g.f.Z[r*len(g.f.X)+c] }
func (g grid) X(c int) float64    { return g.f.X[c] }
func (g grid) Y(r int) float64    { return g.f.Y[r] }

func colorMap(f *Field) palette.ColorMap {
	if f.Diverging {
		return moreland.SmoothBlueRed()
	}
	return moreland.ExtendedBlackBody()
}

// HeatMap returns the heat map of f and its horizontal colour bar as two
// plots, for callers who lay out their own figures.
func HeatMap(f Field) (heat, bar *plot.Plot, err error) {
	if err := f.validate(); err != nil {
		return nil, nil, err
	}
	lo, hi := f.span()
	cm := colorMap(&f)
	cm.SetMin(lo)
	cm.SetMax(hi)
	h := plotter.NewHeatMap(grid{&f}, cm.Palette(255))
	h.Min, h.Max = lo, hi
	h.NaN = color.Transparent
	h.Rasterized = true
	heat = plot.New()
	heat.Title.Text = f.Title
	heat.X.Label.Text = f.XLabel
	heat.Y.Label.Text = f.YLabel
	heat.Add(h)
	heat.X.Min, heat.X.Max = f.X[0], f.X[len(f.X)-1]
	heat.Y.Min, heat.Y.Max = f.Y[0], f.Y[len(f.Y)-1]

	cb := colorMap(&f)
	cb.SetMin(lo)
	cb.SetMax(hi)
	bar = plot.New()
	bar.HideY()
	bar.X.Padding = 0
	bar.Add(&plotter.ColorBar{ColorMap: cb})
	return heat, bar, nil
}

// PanelSize is the size of one panel of SaveFields.
var PanelSize = struct{ W, H vg.Length }{W: 4 * vg.Inch, H: 3.6 * vg.Inch}

// SaveFields draws the fields side by side, each a heat map over its own
// colour bar, into path; the extension (.png or .svg, also .pdf) picks the
// format. The file is written to a temporary name and renamed.
func SaveFields(path string, fields ...Field) error {
	if len(fields) == 0 {
		return errors.New("plots: no fields to draw")
	}
	format := strings.TrimPrefix(strings.ToLower(filepath.Ext(path)), ".")
	if format == "" {
		return fmt.Errorf("plots: %s has no extension; use .png or .svg", path)
	}
	w, h := PanelSize.W*vg.Length(len(fields)), PanelSize.H
	c, err := draw.NewFormattedCanvas(w, h, format)
	if err != nil {
		return fmt.Errorf("plots: %s: %v; use .png or .svg", path, err)
	}
	dc := draw.New(c)
	barH := 0.14 * h
	for i := range fields {
		heat, bar, err := HeatMap(fields[i])
		if err != nil {
			return err
		}
		left := PanelSize.W * vg.Length(i)
		right := left + PanelSize.W - w
		panel := draw.Crop(dc, left, right, 0, 0)
		heat.Draw(draw.Crop(panel, 0, 0, barH, 0))
		pad := 0.05 * PanelSize.W
		bar.Draw(draw.Crop(panel, pad, -pad, 0, barH-h))
	}
	return writeAtomic(path, c)
}

// Comparison returns the panels reference | prediction | |error| of a
// prediction against a reference on one grid, the first two on a shared
// colour range. xlabel and ylabel name the axes (x and t, or x and y).
func Comparison(x, y, reference, prediction []float64, xlabel, ylabel string) ([]Field, error) {
	if len(reference) != len(prediction) {
		return nil, fmt.Errorf("plots: reference has %d values, prediction %d", len(reference), len(prediction))
	}
	ref := Field{X: x, Y: y, Z: reference, Title: "reference", XLabel: xlabel, YLabel: ylabel}
	if err := ref.validate(); err != nil {
		return nil, err
	}
	ref.Min, ref.Max = ref.span()
	lo, hi := (&Field{Z: prediction}).span()
	ref.Min, ref.Max = math.Min(ref.Min, lo), math.Max(ref.Max, hi)
	pred := ref
	pred.Z, pred.Title = prediction, "prediction"
	errs := make([]float64, len(reference))
	for i := range errs {
		errs[i] = math.Abs(prediction[i] - reference[i])
	}
	e := Field{X: x, Y: y, Z: errs, Title: "|prediction − reference|", XLabel: xlabel, YLabel: ylabel}
	return []Field{ref, pred, e}, nil
}

// writeAtomic writes c to a temporary file beside path and renames it,
// so path never holds a partly written picture.
func writeAtomic(path string, c io.WriterTo) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("plots: %v", err)
	}
	_, err = c.WriteTo(tmp)
	if err == nil {
		// CreateTemp makes the file private; a picture is for anyone
		// who may read the directory.
		err = tmp.Chmod(0o644)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("plots: writing %s: %v", path, err)
	}
	return nil
}
