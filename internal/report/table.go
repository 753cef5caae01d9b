package report

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// Run is one row of a comparison table: a neural model at one resolution,
// a classical solver at one setting, or a model family that does not apply
// (Applies false, Note saying why).
type Run struct {
	// Family is the method: fno, deeponet, pinn, nsm or classical.
	Family string
	// Setting says how it ran ("256 points (training grid)", "64 modes,
	// dt 1e-3").
	Setting string
	// Applies is false for a family that cannot solve this problem; Note
	// then says why. Otherwise Note carries remarks.
	Applies bool
	Note    string
	// Errors are measured against the reference on the held-out inputs;
	// HasH1 reports that Errors.RelH1 is defined.
	Errors Errors
	HasH1  bool
	// Single is the wall time of one sample alone; Batch is the wall
	// time of Batched samples together (a classical solver does them one
	// after another).
	Single, Batch time.Duration
	Batched       int
	// Train is the training time (zero for a classical solver) and
	// Params the number of trained parameters.
	Train  time.Duration
	Params int
	// SpeedUp is the classical run's time per sample over this run's
	// (both in a batch), against Matched, the classical run whose
	// relative L2 error is closest to this run's on a log scale; zero
	// when no classical run was measured.
	SpeedUp float64
	Matched string
}

// PerSample returns the wall time per sample within a batch.
func (r *Run) PerSample() time.Duration {
	if r.Batched == 0 {
		return 0
	}
	return r.Batch / time.Duration(r.Batched)
}

// Table is a comparison of neural models with a classical solver on the
// same held-out inputs.
type Table struct {
	// Title names the problem; Reference says what the errors are
	// measured against.
	Title, Reference string
	Neural           []Run
	Classical        []Run
}

// MatchSpeedUps sets every applicable neural run's SpeedUp and Matched
// from the classical run with the closest relative L2 error. Matched says
// so when the model is less accurate than every classical run (its
// speed-up then buys accuracy the solver's coarsest setting beats).
func (t *Table) MatchSpeedUps() {
	for i := range t.Neural {
		r := &t.Neural[i]
		r.SpeedUp, r.Matched = 0, ""
		if !r.Applies || r.PerSample() <= 0 {
			continue
		}
		best, worst := math.Inf(1), 0.0
		for j := range t.Classical {
			if c := &t.Classical[j]; c.Applies {
				worst = math.Max(worst, c.Errors.RelL2)
			}
		}
		for j := range t.Classical {
			c := &t.Classical[j]
			if !c.Applies || c.PerSample() <= 0 || !(c.Errors.RelL2 > 0) {
				continue
			}
			if d := math.Abs(math.Log(c.Errors.RelL2 / r.Errors.RelL2)); d < best {
				best = d
				r.SpeedUp = float64(c.PerSample()) / float64(r.PerSample())
				r.Matched = c.Setting
			}
		}
		if r.Matched != "" && r.Errors.RelL2 > worst {
			r.Matched += " (every classical run is more accurate)"
		}
	}
}

var header = []string{"family", "setting", "rel L2", "max error", "rel H1", "time/sample alone", "time/sample in batch", "batch", "batch time", "training time", "parameters", "speed-up", "matched classical run", "note"}

// cells returns the table's rows as text, neural runs first.
func (t *Table) cells() [][]string {
	var rows [][]string
	for _, group := range [][]Run{t.Neural, t.Classical} {
		for i := range group {
			r := &group[i]
			if !r.Applies {
				rows = append(rows, []string{r.Family, r.Setting, "n/a", "", "", "", "", "", "", "", "", "", "", r.Note})
				continue
			}
			h1 := "—"
			if r.HasH1 {
				h1 = g3(r.Errors.RelH1)
			}
			train, params, speed := "—", "—", "—"
			if r.Train > 0 {
				train = dur(r.Train)
			}
			if r.Params > 0 {
				params = strconv.Itoa(r.Params)
			}
			if r.SpeedUp > 0 {
				speed = fmt.Sprintf("%.3g×", r.SpeedUp)
			}
			rows = append(rows, []string{r.Family, r.Setting, g3(r.Errors.RelL2), g3(r.Errors.MaxAbs), h1,
				dur(r.Single), dur(r.PerSample()), strconv.Itoa(r.Batched), dur(r.Batch), train, params, speed, r.Matched, r.Note})
		}
	}
	return rows
}

// g3 prints v with three significant digits, or a dash when v is NaN
// (not measured).
func g3(v float64) string {
	if math.IsNaN(v) {
		return "—"
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}

// dur prints a duration with three significant digits.
func dur(d time.Duration) string {
	switch {
	case d <= 0:
		return "—"
	case d < time.Millisecond:
		return fmt.Sprintf("%.3gµs", float64(d)/float64(time.Microsecond))
	case d < time.Second:
		return fmt.Sprintf("%.3gms", float64(d)/float64(time.Millisecond))
	}
	return fmt.Sprintf("%.3gs", d.Seconds())
}

// WriteMarkdown writes the table as a GitHub-flavoured Markdown table
// under a heading.
func (t *Table) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "## %s\n\nErrors against %s. Speed-up: the matched classical run's time per sample over the model's, both in a batch.\n\n", t.Title, t.Reference)
	b.WriteString("| " + strings.Join(header, " | ") + " |\n|")
	for range header {
		b.WriteString("---|")
	}
	b.WriteString("\n")
	for _, row := range t.cells() {
		for i := range row {
			row[i] = strings.ReplaceAll(row[i], "|", "\\|")
		}
		b.WriteString("| " + strings.Join(row, " | ") + " |\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteCSV writes the table as CSV with a header line.
func (t *Table) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write(header)
	cw.WriteAll(t.cells())
	return cw.Error()
}

// jsonRun is a Run as JSON: times in seconds, undefined numbers null.
type jsonRun struct {
	Family        string   `json:"family"`
	Setting       string   `json:"setting"`
	Applies       bool     `json:"applies"`
	Note          string   `json:"note,omitempty"`
	RelL2         *float64 `json:"rel_l2"`
	MaxError      *float64 `json:"max_error"`
	RelH1         *float64 `json:"rel_h1"`
	Samples       int      `json:"samples,omitempty"`
	SingleSeconds *float64 `json:"seconds_per_sample_alone"`
	PerSample     *float64 `json:"seconds_per_sample_in_batch"`
	Batch         int      `json:"batch,omitempty"`
	BatchSeconds  *float64 `json:"seconds_per_batch"`
	TrainSeconds  *float64 `json:"training_seconds"`
	Params        int      `json:"parameters,omitempty"`
	SpeedUp       *float64 `json:"speed_up"`
	Matched       string   `json:"matched_classical,omitempty"`
}

func num(v float64, ok bool) *float64 {
	if !ok || math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

func secs(d time.Duration) *float64 { return num(d.Seconds(), d > 0) }

func toJSON(runs []Run) []jsonRun {
	out := make([]jsonRun, len(runs))
	for i := range runs {
		r := &runs[i]
		j := jsonRun{Family: r.Family, Setting: r.Setting, Applies: r.Applies, Note: r.Note}
		if r.Applies {
			j.RelL2, j.MaxError, j.RelH1 = num(r.Errors.RelL2, true), num(r.Errors.MaxAbs, true), num(r.Errors.RelH1, r.HasH1)
			j.Samples = r.Errors.Samples
			j.SingleSeconds, j.PerSample, j.Batch, j.BatchSeconds = secs(r.Single), secs(r.PerSample()), r.Batched, secs(r.Batch)
			j.TrainSeconds, j.Params = secs(r.Train), r.Params
			j.SpeedUp, j.Matched = num(r.SpeedUp, r.SpeedUp > 0), r.Matched
		}
		out[i] = j
	}
	return out
}

// WriteJSON writes the table as one indented JSON object.
func (t *Table) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		Title     string    `json:"title"`
		Reference string    `json:"reference"`
		Neural    []jsonRun `json:"neural"`
		Classical []jsonRun `json:"classical"`
	}{t.Title, t.Reference, toJSON(t.Neural), toJSON(t.Classical)})
}
