package implicit

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/neuralpde/neuralpde/train"
)

// ReportRecorder is a train.Recorder that writes, every Every steps, one
// JSON line with the solver report of Layer's last Forward and Backward:
// step, solver, backward (with "approximate": true for Phantom), mean and
// maximum forward iterations, mean function evaluations, the largest
// forward residual, the failures of the step and in total, and the mean
// backward GMRES iterations.
type ReportRecorder struct {
	W     io.Writer
	Layer *Layer
	// Every is the number of steps between lines; zero means 1.
	Every int
}

var _ train.Recorder = (*ReportRecorder)(nil)

type reportLine struct {
	Step             int     `json:"step"`
	Solver           string  `json:"solver"`
	Backward         string  `json:"backward"`
	Approximate      bool    `json:"approximate,omitempty"`
	MeanIterations   float64 `json:"mean_iterations"`
	MaxIterations    int     `json:"max_iterations"`
	MeanEvals        float64 `json:"mean_evals"`
	MaxResidual      float64 `json:"max_residual"`
	WarmStarted      int     `json:"warm_started"`
	Failures         int     `json:"failures"`
	TotalFailures    int     `json:"total_failures"`
	BackwardFailures int     `json:"backward_failures"`
	MeanBackward     float64 `json:"mean_backward_iterations"`
}

// line returns the report as the JSON object ReportRecorder writes.
func (r *Report) line(step int) reportLine {
	out := reportLine{Step: step, Solver: r.Solver.String(), Backward: r.Backward.String(), Approximate: r.Approximate,
		MeanIterations: r.MeanIterations(), MaxResidual: r.MaxResidual(), Failures: r.Failures,
		TotalFailures: r.TotalFailures, BackwardFailures: r.BackwardFailures}
	for _, s := range r.Forward {
		out.MaxIterations = max(out.MaxIterations, s.Iterations)
		out.MeanEvals += float64(s.Evals)
		if s.WarmStarted {
			out.WarmStarted++
		}
	}
	if n := len(r.Forward); n > 0 {
		out.MeanEvals /= float64(n)
	}
	for _, s := range r.BackwardSolves {
		out.MeanBackward += float64(s.Iterations)
	}
	if n := len(r.BackwardSolves); n > 0 {
		out.MeanBackward /= float64(n)
	}
	return out
}

// Record implements train.Recorder.
func (rr *ReportRecorder) Record(m train.Metrics) error {
	every := rr.Every
	if every <= 0 {
		every = 1
	}
	if m.Step%every != 0 {
		return nil
	}
	b, err := json.Marshal(rr.Layer.Report().line(m.Step))
	if err != nil {
		return fmt.Errorf("implicit: report line: %v", err)
	}
	_, err = rr.W.Write(append(b, '\n'))
	return err
}

// Finish implements train.Recorder: a last line with the run's totals.
func (rr *ReportRecorder) Finish(*train.Result) error {
	r := rr.Layer.Report()
	b, err := json.Marshal(struct {
		Solves                int `json:"solves"`
		TotalFailures         int `json:"total_failures"`
		TotalBackwardFailures int `json:"total_backward_failures"`
	}{r.Solves, r.TotalFailures, r.TotalBackwardFailures})
	if err != nil {
		return err
	}
	_, err = rr.W.Write(append(b, '\n'))
	return err
}
