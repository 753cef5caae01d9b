package plots

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Curve is one line of a line plot.
type Curve struct {
	Name string
	X, Y []float64
	// Points draws the values as marks without a connecting line (single
	// measurements beside a curve, as a model's error and time beside a
	// solver's error–time curve).
	Points bool
}

// Axes labels a line plot and chooses logarithmic scales and where the
// legend goes (top right by default).
type Axes struct {
	Title, XLabel, YLabel    string
	LogX, LogY               bool
	LegendLeft, LegendBottom bool
}

// decadeTicks marks a logarithmic axis at the powers of ten (labelled,
// every k-th when there are many decades) and at their 2…9 multiples.
type decadeTicks struct{}

func (decadeTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(lo > 0) || !(hi > lo) {
		return nil
	}
	first, last := int(math.Floor(math.Log10(lo))), int(math.Ceil(math.Log10(hi)))
	every := max(1, (last-first+7)/8)
	var ticks []plot.Tick
	for e := first; e <= last; e++ {
		base, _ := strconv.ParseFloat("1e"+strconv.Itoa(e), 64) // exact, unlike math.Pow
		for m := 1; m < 10; m++ {
			v := float64(m) * base
			if v < lo*(1-1e-9) || v > hi*(1+1e-9) {
				continue
			}
			t := plot.Tick{Value: v}
			if m == 1 && (e-first)%every == 0 {
				t.Label = strconv.FormatFloat(base, 'g', -1, 64)
			}
			ticks = append(ticks, t)
		}
	}
	return ticks
}

// LinePlot returns the plot of the curves. On a logarithmic axis the
// points with a non-positive coordinate are left out (a loss that reached
// zero, a step 0).
func LinePlot(ax Axes, curves ...Curve) (*plot.Plot, error) {
	if len(curves) == 0 {
		return nil, errors.New("plots: no curves to draw")
	}
	p := plot.New()
	p.Title.Text = ax.Title
	p.X.Label.Text = ax.XLabel
	p.Y.Label.Text = ax.YLabel
	if ax.LogX {
		p.X.Scale = plot.LogScale{}
		p.X.Tick.Marker = decadeTicks{}
	}
	if ax.LogY {
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = decadeTicks{}
	}
	p.Add(plotter.NewGrid())
	drawn, marks := 0, false
	for i, c := range curves {
		if len(c.X) != len(c.Y) {
			return nil, fmt.Errorf("plots: curve %q has %d x and %d y values", c.Name, len(c.X), len(c.Y))
		}
		xy := make(plotter.XYs, 0, len(c.X))
		for k := range c.X {
			x, y := c.X[k], c.Y[k]
			if math.IsNaN(x) || math.IsNaN(y) || math.IsInf(x, 0) || math.IsInf(y, 0) ||
				(ax.LogX && x <= 0) || (ax.LogY && y <= 0) {
				continue
			}
			xy = append(xy, plotter.XY{X: x, Y: y})
		}
		if len(xy) == 0 {
			continue
		}
		if c.Points {
			sc, err := plotter.NewScatter(xy)
			if err != nil {
				return nil, fmt.Errorf("plots: curve %q: %v", c.Name, err)
			}
			sc.GlyphStyle = draw.GlyphStyle{Color: plotutil.Color(i), Shape: plotutil.Shape(i), Radius: vg.Points(3.5)}
			p.Add(sc)
			if c.Name != "" {
				p.Legend.Add(c.Name, sc)
			}
			drawn++
			marks = true
			continue
		}
		l, err := plotter.NewLine(xy)
		if err != nil {
			return nil, fmt.Errorf("plots: curve %q: %v", c.Name, err)
		}
		l.Color = plotutil.Color(i)
		l.Width = vg.Points(1.2)
		p.Add(l)
		if c.Name != "" {
			p.Legend.Add(c.Name, l)
		}
		drawn++
	}
	if drawn == 0 {
		return nil, errors.New("plots: no curve has a point that can be drawn on these axes")
	}
	if marks {
		// Marks at the ends of the range would be cut in half.
		widen(&p.X, ax.LogX)
		widen(&p.Y, ax.LogY)
	}
	p.Legend.Top, p.Legend.Left = !ax.LegendBottom, ax.LegendLeft
	p.Legend.TextStyle.Color = color.Black
	return p, nil
}

// SaveCurves draws the curves into path (.png or .svg by extension).
func SaveCurves(path string, ax Axes, curves ...Curve) error {
	p, err := LinePlot(ax, curves...)
	if err != nil {
		return err
	}
	format := strings.TrimPrefix(strings.ToLower(filepath.Ext(path)), ".")
	wt, err := p.WriterTo(6*vg.Inch, 4*vg.Inch, format)
	if err != nil {
		return fmt.Errorf("plots: %s: %v; use .png or .svg", path, err)
	}
	return writeAtomic(path, wt)
}

// widen pads an axis range by a twentieth of its span (of its decades on a
// logarithmic axis) at both ends.
func widen(a *plot.Axis, log bool) {
	if log && a.Min > 0 {
		f := math.Pow(a.Max/a.Min, 0.05)
		a.Min, a.Max = a.Min/f, a.Max*f
		return
	}
	d := 0.05 * (a.Max - a.Min)
	a.Min, a.Max = a.Min-d, a.Max+d
}
