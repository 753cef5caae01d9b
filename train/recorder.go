package train

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"time"

	"github.com/schollz/progressbar/v3"
)

// Metrics describe one completed step.
type Metrics struct {
	// Step is the number of steps completed, counting those before a
	// resume; TotalSteps is the run's step limit.
	Step, TotalSteps int
	// Epoch is the number of completed passes over the training samples.
	Epoch int
	// Loss is the training loss on the step's batch before the step.
	Loss float64
	// EvalLoss is the held-out loss after the step, NaN when the step did
	// not evaluate.
	EvalLoss float64
	// Rate is the schedule's learning-rate factor of the step.
	Rate float64
	// GradNorm is the Euclidean norm of the gradient before clipping.
	GradNorm float64
	// Elapsed is the wall time since Run started.
	Elapsed time.Duration
}

// Recorder observes a run: Record after every step, Finish once at the
// end. An error from either stops the run with Status Failure.
type Recorder interface {
	Record(m Metrics) error
	Finish(r *Result) error
}

// JSONLines writes one JSON object per recorded step to W (a metrics
// file), with the fields step, epoch, loss, eval_loss (when evaluated),
// rate, grad_norm and seconds.
type JSONLines struct {
	W io.Writer
	// Every is the number of steps between lines; zero means 1. Steps
	// with an evaluation are always written.
	Every int
}

type jsonMetrics struct {
	Step     int      `json:"step"`
	Epoch    int      `json:"epoch"`
	Loss     float64  `json:"loss"`
	EvalLoss *float64 `json:"eval_loss,omitempty"`
	Rate     float64  `json:"rate"`
	GradNorm float64  `json:"grad_norm"`
	Seconds  float64  `json:"seconds"`
}

// Record implements Recorder.
func (j *JSONLines) Record(m Metrics) error {
	if m.Step%orDefaultInt(j.Every, 1) != 0 && math.IsNaN(m.EvalLoss) {
		return nil
	}
	out := jsonMetrics{Step: m.Step, Epoch: m.Epoch, Loss: m.Loss, Rate: m.Rate, GradNorm: m.GradNorm, Seconds: m.Elapsed.Seconds()}
	if !math.IsNaN(m.EvalLoss) {
		out.EvalLoss = &m.EvalLoss
	}
	b, err := json.Marshal(out)
	if err != nil {
		return fmt.Errorf("train: metrics line: %v", err)
	}
	_, err = j.W.Write(append(b, '\n'))
	return err
}

// Finish implements Recorder; it writes a final line with the status.
func (j *JSONLines) Finish(r *Result) error {
	b, err := json.Marshal(struct {
		Status string  `json:"status"`
		Steps  int     `json:"steps"`
		Loss   float64 `json:"final_loss"`
	}{r.Status.String(), r.Steps, finiteOrZero(r.Loss)})
	if err != nil {
		return err
	}
	_, err = j.W.Write(append(b, '\n'))
	return err
}

func finiteOrZero(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	return v
}

// ProgressLine prints a line with the step, loss and evaluation loss to W
// every Every steps, for logs and terminals without cursor control.
type ProgressLine struct {
	W io.Writer
	// Every is the number of steps between lines; zero means 100.
	Every int
}

// Record implements Recorder.
func (p *ProgressLine) Record(m Metrics) error {
	if m.Step%orDefaultInt(p.Every, 100) != 0 && m.Step != m.TotalSteps {
		return nil
	}
	line := fmt.Sprintf("step %d/%d  epoch %d  loss %.6e", m.Step, m.TotalSteps, m.Epoch, m.Loss)
	if !math.IsNaN(m.EvalLoss) {
		line += fmt.Sprintf("  eval %.6e", m.EvalLoss)
	}
	_, err := fmt.Fprintf(p.W, "%s  rate %.3g  %s\n", line, m.Rate, m.Elapsed.Round(time.Millisecond))
	return err
}

// Finish implements Recorder.
func (p *ProgressLine) Finish(r *Result) error {
	_, err := fmt.Fprintf(p.W, "%v after %d steps: loss %.6e (best %.6e) in %s\n", r.Status, r.Steps, r.Loss, r.BestLoss, r.Runtime.Round(time.Millisecond))
	return err
}

// ProgressBar draws a terminal progress bar of the steps on W, with the
// latest loss in its description.
type ProgressBar struct {
	W   io.Writer
	bar *progressbar.ProgressBar
}

// Record implements Recorder.
func (p *ProgressBar) Record(m Metrics) error {
	if p.bar == nil {
		p.bar = progressbar.NewOptions(m.TotalSteps,
			progressbar.OptionSetWriter(p.W),
			progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(100*time.Millisecond),
		)
		if err := p.bar.Set(m.Step - 1); err != nil {
			return err
		}
	}
	p.bar.Describe(fmt.Sprintf("loss %.3e", m.Loss))
	return p.bar.Set(m.Step)
}

// Finish implements Recorder.
func (p *ProgressBar) Finish(r *Result) error {
	if p.bar == nil {
		return nil
	}
	if err := p.bar.Finish(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(p.W, "\n%v after %d steps: loss %.6e\n", r.Status, r.Steps, r.Loss)
	return err
}
