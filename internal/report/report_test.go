package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/gonum/floats/scalar"
)

// sines returns sin(2πkx) on n periodic points of [0, 1).
func sines(n int, k, amp float64) []float64 {
	u := make([]float64, n)
	for i := range u {
		u[i] = amp * math.Sin(2*math.Pi*k*float64(i)/float64(n))
	}
	return u
}

func TestMeasure(t *testing.T) {
	const n = 256
	g := Grid{Shape: []int{n}, Spacing: []float64{1.0 / n}, Periodic: true}
	ref := sines(n, 1, 1)
	cases := []struct {
		name                 string
		pred                 []float64
		relL2, maxAbs, relH1 float64
		tol                  float64
	}{
		{"exact", append([]float64(nil), ref...), 0, 0, 0, 1e-15},
		// A 10% scaling: relative L2 and H1 are both 0.1.
		{"scaled", sines(n, 1, 1.1), 0.1, 0.1, 0.1, 1e-12},
		// Adding 0.01 sin(2π·8x): relative L2 0.01; the gradient error is
		// 8 times larger relative to the reference's, so
		// H1² = 0.01²(1 + (16π)²·(sin(8πh)/(8πh))²)/(1 + (2π)²·(…)²) with the
		// central difference's damping of each mode.
		{"high mode", addTo(sines(n, 1, 1), sines(n, 8, 0.01)), 0.01, 0.01, h1(n), 1e-9},
	}
	for _, c := range cases {
		e, err := Measure(c.pred, ref, g)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range []struct {
			what      string
			got, want float64
		}{{"rel L2", e.RelL2, c.relL2}, {"max", e.MaxAbs, c.maxAbs}, {"rel H1", e.RelH1, c.relH1}} {
			if !scalar.EqualWithinAbsOrRel(m.got, m.want, c.tol, c.tol) {
				t.Errorf("%s: %s = %.12g, want %.12g", c.name, m.what, m.got, m.want)
			}
		}
	}
	if _, err := Measure(ref[:10], ref, g); err == nil {
		t.Error("Measure accepted fields of different lengths")
	}
}

func addTo(a, b []float64) []float64 {
	for i := range a {
		a[i] += b[i]
	}
	return a
}

// h1 is the relative H1 error of the "high mode" case with central
// differences: mode k's derivative is damped to sin(2πkh)/h.
func h1(n int) float64 {
	h := 1.0 / float64(n)
	d := func(k float64) float64 { return math.Sin(2*math.Pi*k*h) / h }
	return 0.01 * math.Sqrt((1+d(8)*d(8))/(1+d(1)*d(1)))
}

func TestSpectrum(t *testing.T) {
	const n = 64
	g := Grid{Shape: []int{2, n}, Spacing: []float64{1, 1.0 / n}, Periodic: true}
	fields := append(sines(n, 5, 1), sines(n, 5, 3)...)
	freq, power, err := Spectrum(fields, g)
	if err != nil {
		t.Fatal(err)
	}
	if len(freq) != n/2+1 {
		t.Fatalf("%d frequencies, want %d", len(freq), n/2+1)
	}
	peak := 0
	for i := range power {
		if power[i] > power[peak] {
			peak = i
		}
	}
	if freq[peak] != 5 {
		t.Errorf("peak at frequency %g, want 5", freq[peak])
	}
	// A rectangular window leaks nothing from an exact Fourier mode.
	for i, p := range power {
		if i != peak && p > 1e-20*power[peak] {
			t.Errorf("power %g at frequency %g beside the mode at 5", p, freq[i])
		}
	}
	if _, _, err := Spectrum(fields[:n+1], g); err == nil {
		t.Error("Spectrum accepted a partial line")
	}
}

func sampleTable() *Table {
	return &Table{
		Title: "burgers-periodic", Reference: "the dataset's outputs",
		Neural: []Run{
			{Family: "fno", Setting: "256 points", Applies: true, Errors: Errors{RelL2: 1e-2, MaxAbs: 3e-3, RelH1: 2e-2, Samples: 50}, HasH1: true,
				Single: 2 * time.Millisecond, Batch: 50 * time.Millisecond, Batched: 50, Train: time.Minute, Params: 1000},
			{Family: "pinn", Setting: "burgers-periodic", Note: "a PINN solves one instance"},
		},
		Classical: []Run{
			{Family: "classical", Setting: "32 modes", Applies: true, Errors: Errors{RelL2: 1e-1}, Single: time.Millisecond, Batch: 50 * time.Millisecond, Batched: 50},
			{Family: "classical", Setting: "64 modes", Applies: true, Errors: Errors{RelL2: 2e-2}, Single: 4 * time.Millisecond, Batch: 200 * time.Millisecond, Batched: 50},
			{Family: "classical", Setting: "128 modes", Applies: true, Errors: Errors{RelL2: 1e-4}, Single: 8 * time.Millisecond, Batch: 400 * time.Millisecond, Batched: 50},
		},
	}
}

func TestMatchSpeedUps(t *testing.T) {
	tb := sampleTable()
	tb.MatchSpeedUps()
	r := tb.Neural[0]
	// 1e-2 is closest to 2e-2 on a log scale: 4 ms against 1 ms per sample.
	if r.Matched != "64 modes" || r.SpeedUp != 4 {
		t.Errorf("matched %q with speed-up %g, want 64 modes and 4", r.Matched, r.SpeedUp)
	}
	if tb.Neural[1].SpeedUp != 0 {
		t.Error("a family that does not apply got a speed-up")
	}
	tb.Neural[0].Errors.RelL2 = 0.5
	tb.MatchSpeedUps()
	if want := "32 modes (every classical run is more accurate)"; tb.Neural[0].Matched != want {
		t.Errorf("matched %q, want %q", tb.Neural[0].Matched, want)
	}
}

func TestWriters(t *testing.T) {
	tb := sampleTable()
	tb.MatchSpeedUps()
	var md, cs, js bytes.Buffer
	if err := tb.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(md.String(), "\n| "); got != 1+len(tb.Neural)+len(tb.Classical) {
		t.Errorf("Markdown has %d table lines, want %d:\n%s", got, 1+len(tb.Neural)+len(tb.Classical), md.String())
	}
	if !strings.Contains(md.String(), "| 4× | 64 modes |") {
		t.Errorf("Markdown lacks the speed-up cell:\n%s", md.String())
	}
	if err := tb.WriteCSV(&cs); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&cs).ReadAll()
	if err != nil || len(recs) != 6 || len(recs[0]) != len(header) {
		t.Fatalf("CSV: %d records (%v)", len(recs), err)
	}
	if err := tb.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	var back struct {
		Neural []map[string]any `json:"neural"`
	}
	if err := json.Unmarshal(js.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if back.Neural[0]["speed_up"] != 4.0 || back.Neural[0]["seconds_per_sample_in_batch"] != 0.001 || back.Neural[1]["rel_l2"] != nil {
		t.Errorf("JSON rows %v", back.Neural)
	}
}

func TestWriteHTML(t *testing.T) {
	dir := t.TempDir()
	png := filepath.Join(dir, "a.png")
	if err := os.WriteFile(png, []byte("\x89PNG fake"), 0o644); err != nil {
		t.Fatal(err)
	}
	p := &Page{Title: "report <1>", Sections: []Section{{Heading: "h", Table: sampleTable(), Images: []Image{{Path: png, Caption: "fields"}}}}}
	var b bytes.Buffer
	if err := p.WriteHTML(&b); err != nil {
		t.Fatal(err)
	}
	s := b.String()
	for _, want := range []string{"report &lt;1&gt;", `src="data:image/png;base64,iVBORyBmYWtl"`, "<td>fno</td>", "n/a"} {
		if !strings.Contains(s, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	p.Sections[0].Images[0].Path = filepath.Join(dir, "a.gif")
	if err := p.WriteHTML(&b); err == nil {
		t.Error("WriteHTML embedded a .gif")
	}
}
