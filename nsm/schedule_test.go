package nsm

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/neuralpde/neuralpde/train"
)

// recordedRates returns the step → learning-rate factor lines of a
// metrics file written by Train or TrainFNO.
func recordedRates(t *testing.T, dir string) map[int]float64 {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, train.MetricsFile))
	if err != nil {
		t.Fatal(err)
	}
	rates := map[int]float64{}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var m struct {
			Step int     `json:"step"`
			Rate float64 `json:"rate"`
		}
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatal(err)
		}
		rates[m.Step] = m.Rate
	}
	return rates
}

// TestSchedule checks that Config.Schedule reaches the training loop of
// the NSM and of the FNO baseline: the rate factors their metrics record
// are the step decay's or the cosine's (reaction–diffusion's default).
func TestSchedule(t *testing.T) {
	p, err := NewReactionDiffusion(0.1, rdRho, 3, 4)
	if err != nil {
		t.Fatal(err)
	}
	const steps = 20
	want := map[string]func(step int) float64{
		ScheduleStep:   func(s int) float64 { return math.Pow(0.5, float64(s/5)) },
		ScheduleCosine: func(s int) float64 { return 0.5 * (1 + math.Cos(math.Pi*float64(s)/steps)) },
	}
	for _, sched := range []string{"", ScheduleStep, ScheduleCosine} {
		cfg := &Config{Width: 4, Layers: 1, ProjWidth: 4, Steps: steps, BatchSize: 2, Train: 4, Test: 1, Seed: 1, Schedule: sched}
		rate := want[sched]
		if sched == "" {
			// Reaction–diffusion's default, for the baseline too.
			rate = want[ScheduleCosine]
		}
		for _, model := range []string{"nsm", "fno"} {
			dir := t.TempDir()
			if model == "nsm" {
				_, err = Train(context.Background(), cfg, p, dir, nil)
			} else {
				_, err = TrainFNO(context.Background(), cfg, p, FNOResidual, 16, dir, nil)
			}
			if err != nil {
				t.Fatalf("%s, schedule %q: %v", model, sched, err)
			}
			got := recordedRates(t, dir)
			if len(got) < 2 {
				t.Fatalf("%s, schedule %q: %d metrics lines", model, sched, len(got))
			}
			// A line of step s ≥ 1 records the factor the step s−1 used
			// (step 0 is the evaluation before training).
			delete(got, 0)
			for s, r := range got {
				if w := rate(s - 1); math.Abs(r-w) > 1e-12 {
					t.Errorf("%s, schedule %q: step %d at rate factor %g, want %g", model, sched, s, r, w)
				}
			}
		}
	}
}

// TestScheduleConfig checks the schedule's defaults, its JSON field and
// the error for an unknown one.
func TestScheduleConfig(t *testing.T) {
	var c Config
	if err := json.Unmarshal([]byte(`{"schedule": "cosine", "steps": 8}`), &c); err != nil {
		t.Fatal(err)
	}
	d, err := c.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	if s, ok := d.schedule().(train.Cosine); !ok || s.Steps != 8 || s.Min != 0 {
		t.Errorf("schedule %q gives %#v, want train.Cosine{Steps: 8}", c.Schedule, d.schedule())
	}
	g, err := (&Config{}).withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	if g.Schedule != ScheduleStep {
		t.Errorf("empty schedule: %q, want %q", g.Schedule, ScheduleStep)
	}
	_, err = (&Config{Schedule: "linear"}).withDefaults()
	if err == nil || !strings.Contains(err.Error(), `"linear"`) || !strings.Contains(err.Error(), ScheduleCosine) {
		t.Errorf("unknown schedule: error %v, want one naming it and the choices", err)
	}
}
