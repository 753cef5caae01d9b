package plots

import (
	"bytes"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sample returns a field u(t, x) = sin(πx)·e^{−t} on a grid, time first.
func sample(nx, nt int) (x, t, u []float64) {
	for i := 0; i < nx; i++ {
		x = append(x, -1+2*float64(i)/float64(nx-1))
	}
	for j := 0; j < nt; j++ {
		t = append(t, float64(j)/float64(nt-1))
	}
	for _, tt := range t {
		for _, xx := range x {
			u = append(u, math.Sin(math.Pi*xx)*math.Exp(-tt))
		}
	}
	return x, t, u
}

func TestSaveFieldsFormats(t *testing.T) {
	x, tt, u := sample(40, 30)
	pred := append([]float64(nil), u...)
	for i := range pred {
		pred[i] += 0.01 * math.Cos(float64(i))
	}
	pred[5] = math.NaN() // a masked point
	panels, err := Comparison(x, tt, u, pred, "x", "t")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, name := range []string{"cmp.png", "cmp.svg"} {
		path := filepath.Join(dir, name)
		if err := SaveFields(path, panels...); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		switch filepath.Ext(name) {
		case ".png":
			img, err := png.Decode(bytes.NewReader(b))
			if err != nil {
				t.Fatalf("png: %v", err)
			}
			r := img.Bounds()
			if r.Dx() <= 2*r.Dy() {
				t.Errorf("three panels drawn %d×%d; want a wide row", r.Dx(), r.Dy())
			}
			// The middle of the first panel's heat map is coloured, not
			// white background.
			c := img.At(r.Dx()/6, r.Dy()/3)
			if rr, gg, bb, _ := c.RGBA(); rr == 0xffff && gg == 0xffff && bb == 0xffff {
				t.Errorf("heat map centre is white")
			}
		case ".svg":
			if !strings.Contains(string(b), "<svg") {
				t.Errorf("svg output has no <svg element")
			}
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("directory holds %d files, want the 2 pictures and no temporaries", len(entries))
	}
}

func TestComparisonPanels(t *testing.T) {
	x, tt, u := sample(8, 5)
	pred := make([]float64, len(u))
	for i := range pred {
		pred[i] = 2 * u[i]
	}
	p, err := Comparison(x, tt, u, pred, "x", "t")
	if err != nil {
		t.Fatal(err)
	}
	if p[0].Min != p[1].Min || p[0].Max != p[1].Max {
		t.Errorf("reference and prediction colour ranges differ: [%g,%g] vs [%g,%g]", p[0].Min, p[0].Max, p[1].Min, p[1].Max)
	}
	lo, hi := (&Field{Z: pred}).span()
	if p[0].Min > lo || p[0].Max < hi {
		t.Errorf("shared range [%g,%g] does not cover the prediction's [%g,%g]", p[0].Min, p[0].Max, lo, hi)
	}
	for i, e := range p[2].Z {
		if math.Abs(e-math.Abs(u[i])) > 1e-15 {
			t.Fatalf("error panel value %d = %g, want %g", i, e, math.Abs(u[i]))
		}
	}
}

func TestBadInput(t *testing.T) {
	x, tt, u := sample(8, 5)
	dir := t.TempDir()
	cases := []struct {
		name string
		err  func() error
	}{
		{"short field", func() error { return SaveFields(filepath.Join(dir, "a.png"), Field{X: x, Y: tt, Z: u[:10]}) }},
		{"no fields", func() error { return SaveFields(filepath.Join(dir, "b.png")) }},
		{"unknown format", func() error { return SaveFields(filepath.Join(dir, "c.xyz"), Field{X: x, Y: tt, Z: u}) }},
		{"no extension", func() error { return SaveFields(filepath.Join(dir, "d"), Field{X: x, Y: tt, Z: u}) }},
		{"curve lengths", func() error {
			return SaveCurves(filepath.Join(dir, "e.png"), Axes{}, Curve{X: []float64{1, 2}, Y: []float64{1}})
		}},
		{"nothing on log axes", func() error {
			return SaveCurves(filepath.Join(dir, "f.png"), Axes{LogY: true}, Curve{X: []float64{1, 2}, Y: []float64{0, -1}})
		}},
		{"mismatched comparison", func() error { _, err := Comparison(x, tt, u, u[:3], "x", "t"); return err }},
	}
	for _, c := range cases {
		err := c.err()
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		if !strings.HasPrefix(err.Error(), "plots: ") {
			t.Errorf("%s: error %q does not start with \"plots: \"", c.name, err)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("failed writes left %d files", len(entries))
	}
}

func TestSaveCurvesLog(t *testing.T) {
	steps := []float64{0, 1, 10, 100, 1000}
	loss := []float64{1, 0.5, 0.1, 1e-3, 0}
	path := filepath.Join(t.TempDir(), "loss.png")
	if err := SaveCurves(path, Axes{Title: "loss", XLabel: "step", YLabel: "loss", LogX: true, LogY: true},
		Curve{Name: "adam", X: steps, Y: loss}, Curve{Name: "lbfgs", X: steps[1:], Y: []float64{0.3, 0.03, 3e-4, 1e-5}}); err != nil {
		t.Fatal(err)
	}
	p, err := LinePlot(Axes{LogY: true}, Curve{X: steps, Y: loss})
	if err != nil {
		t.Fatal(err)
	}
	if p.Y.Min <= 0 {
		t.Errorf("log axis minimum %g; non-positive values must be dropped", p.Y.Min)
	}
}

// TestPointsCurve checks that Points curves are drawn as marks: a
// single measurement, which a line cannot show, sets the axes and is drawn.
func TestPointsCurve(t *testing.T) {
	p, err := LinePlot(Axes{LogX: true, LogY: true},
		Curve{Name: "solver", X: []float64{1e-3, 1e-2}, Y: []float64{1e-2, 1e-5}},
		Curve{Name: "model", X: []float64{1e-4}, Y: []float64{3e-3}, Points: true})
	if err != nil {
		t.Fatal(err)
	}
	if !(p.X.Min < 1e-4) || !(p.X.Max > 1e-2) || !(p.Y.Min < 1e-5) || !(p.Y.Max > 1e-2) {
		t.Errorf("axes [%g, %g] × [%g, %g] leave no room around the marks at x = 1e-4 and y = 1e-2", p.X.Min, p.X.Max, p.Y.Min, p.Y.Max)
	}
	one, err := LinePlot(Axes{}, Curve{X: []float64{2}, Y: []float64{5}, Points: true})
	if err != nil {
		t.Fatal(err)
	}
	if one.Y.Min > 5 || one.Y.Max < 5 {
		t.Errorf("y axis [%g, %g] does not hold the point", one.Y.Min, one.Y.Max)
	}
	if err := SaveCurves(filepath.Join(t.TempDir(), "p.svg"), Axes{}, Curve{X: []float64{2}, Y: []float64{5}, Points: true}); err != nil {
		t.Fatal(err)
	}
}

func TestDecadeTicks(t *testing.T) {
	cases := []struct {
		lo, hi float64
		labels []string
	}{
		{3e-5, 2e-2, []string{"0.0001", "0.001", "0.01"}},
		{1e-39, 1e-3, []string{"1e-39", "1e-34", "1e-29", "1e-24", "1e-19", "1e-14", "1e-09", "0.0001"}},
	}
	for _, c := range cases {
		var got []string
		for _, tk := range (decadeTicks{}).Ticks(c.lo, c.hi) {
			if tk.Value < c.lo*(1-1e-9) || tk.Value > c.hi*(1+1e-9) {
				t.Errorf("[%g, %g]: tick %g outside", c.lo, c.hi, tk.Value)
			}
			if tk.Label != "" {
				got = append(got, tk.Label)
			}
		}
		if strings.Join(got, " ") != strings.Join(c.labels, " ") {
			t.Errorf("[%g, %g]: labels %v, want %v", c.lo, c.hi, got, c.labels)
		}
	}
}
