package implicit

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/neuralpde/neuralpde/train"
)

// ReportRecorder writes the last solve's report as one JSON line per
// recorded step, with failures counted, and the totals at the end.
func TestReportRecorder(t *testing.T) {
	const d, p, batch = 5, 2, 3
	tl := newTanhLayer(rand.New(rand.NewPCG(41, 42)), d, p, batch, 0.9)
	l, err := New([]Function{tl.function()}, &Settings{Solver: FixedPoint, MaxIterations: 4, OnFailure: Flag, Backward: Phantom})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	rr := &ReportRecorder{W: &buf, Layer: l, Every: 2}
	for step := 1; step <= 4; step++ {
		if _, err := l.Forward(nil, []int{0, 1, 2}, batch); err != nil {
			t.Fatal(err)
		}
		if err := l.Backward(make([]float64, batch*d)); err != nil {
			t.Fatal(err)
		}
		if err := rr.Record(train.Metrics{Step: step}); err != nil {
			t.Fatal(err)
		}
	}
	if err := rr.Finish(&train.Result{}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d lines, want 2 steps and the totals:\n%s", len(lines), buf.String())
	}
	var step struct {
		Step          int     `json:"step"`
		Solver        string  `json:"solver"`
		Approximate   bool    `json:"approximate"`
		MaxIterations int     `json:"max_iterations"`
		MaxResidual   float64 `json:"max_residual"`
		Failures      int     `json:"failures"`
		TotalFailures int     `json:"total_failures"`
	}
	if err := json.Unmarshal([]byte(lines[1]), &step); err != nil {
		t.Fatal(err)
	}
	if step.Step != 4 || step.Solver != "fixed-point" || !step.Approximate || step.MaxIterations != 4 || step.Failures != batch || step.TotalFailures != 4*batch || !(step.MaxResidual > 0) {
		t.Errorf("step line %s", lines[1])
	}
	var total struct {
		Solves        int `json:"solves"`
		TotalFailures int `json:"total_failures"`
	}
	if err := json.Unmarshal([]byte(lines[2]), &total); err != nil || total.Solves != 4*batch || total.TotalFailures != 4*batch {
		t.Errorf("totals line %s (%v)", lines[2], err)
	}
}
