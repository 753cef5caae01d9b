package train

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/neuralpde/neuralpde/data"
	"github.com/neuralpde/neuralpde/nn"
)

// CheckpointFormat is the version of the checkpoint layout this package
// writes and reads.
const CheckpointFormat = 1

// Checkpointing configures the checkpoint files of a run. A checkpoint is
// a .npz file (numpy.load opens it) holding each parameter under
// "param:<name>" with its shape, the optimizer's state under
// "opt:<key>", the schedule's under "sched:<key>", the loop's under
// "loop:<key>", and JSON metadata under "meta": format version, model kind
// and configuration, optimizer and schedule types, step, epoch, and the
// shuffling generator's state. It is written atomically (temporary file,
// then rename), so an interrupted write leaves the previous checkpoint.
type Checkpointing struct {
	// Path is the checkpoint file; empty means no checkpoints.
	Path string
	// Every is the number of steps between checkpoints; zero means only
	// at the end of the run (including an interrupted one).
	Every int
	// Kind names the model family ("mlp", "fno", ...); a resume with a
	// different Kind is refused.
	Kind string
	// Config is the model's configuration, stored as JSON; a resume with
	// a configuration whose JSON differs is refused.
	Config any
}

// Checkpoint is the content of a checkpoint file.
type Checkpoint struct {
	Format      int             `json:"format"`
	Kind        string          `json:"model_kind"`
	ModelConfig json.RawMessage `json:"model_config,omitempty"`
	Optimizer   string          `json:"optimizer"`
	Schedule    string          `json:"schedule"`
	Step        int             `json:"step"`
	Epoch       int             `json:"epoch"`
	BatchPos    int             `json:"batch_pos"`
	RNG         []byte          `json:"rng"`
	ParamShapes []ParamShape    `json:"params"`

	// Params holds the parameter values by name.
	Params map[string]data.Array `json:"-"`
	// OptimizerState and ScheduleState are the Stateful states.
	OptimizerState map[string][]float64 `json:"-"`
	ScheduleState  map[string][]float64 `json:"-"`
	loop           map[string][]float64
}

// ParamShape names one parameter and its shape.
type ParamShape struct {
	Name  string `json:"name"`
	Shape []int  `json:"shape"`
}

// ReadCheckpoint reads a checkpoint file written by Run.
func ReadCheckpoint(path string) (*Checkpoint, error) {
	arrays, meta, err := data.ReadNPZ(path)
	if err != nil {
		return nil, err
	}
	if meta == nil {
		return nil, fmt.Errorf("train: %s has no metadata; it is not a checkpoint written by train.Run", path)
	}
	c := &Checkpoint{}
	if err := json.Unmarshal(meta, c); err != nil {
		return nil, fmt.Errorf("train: %s: metadata: %v", path, err)
	}
	if c.Format != CheckpointFormat {
		return nil, fmt.Errorf("train: %s has checkpoint format %d; this version reads format %d", path, c.Format, CheckpointFormat)
	}
	c.Params = make(map[string]data.Array)
	c.OptimizerState = make(map[string][]float64)
	c.ScheduleState = make(map[string][]float64)
	c.loop = make(map[string][]float64)
	for k, a := range arrays {
		switch {
		case strings.HasPrefix(k, "param:"):
			c.Params[k[len("param:"):]] = a
		case strings.HasPrefix(k, "opt:"):
			c.OptimizerState[k[len("opt:"):]] = a.Data
		case strings.HasPrefix(k, "sched:"):
			c.ScheduleState[k[len("sched:"):]] = a.Data
		case strings.HasPrefix(k, "loop:"):
			c.loop[k[len("loop:"):]] = a.Data
		}
	}
	for _, ps := range c.ParamShapes {
		if _, ok := c.Params[ps.Name]; !ok {
			return nil, fmt.Errorf("train: %s lists parameter %q but holds no array for it; the file is damaged", path, ps.Name)
		}
	}
	return c, nil
}

// Restore writes the checkpoint's parameter values into params. It refuses,
// naming the difference, a checkpoint of another model kind (when kind is
// not empty) or whose parameter names or shapes differ from params.
func (c *Checkpoint) Restore(kind string, params []*nn.Param) error {
	if kind != "" && c.Kind != kind {
		return fmt.Errorf("train: the checkpoint holds a %q model, not %q; load it with a matching model", c.Kind, kind)
	}
	if len(c.ParamShapes) != len(params) {
		return fmt.Errorf("train: the checkpoint has %d parameters, the model %d; it was written for a different model configuration", len(c.ParamShapes), len(params))
	}
	for i, p := range params {
		want := c.ParamShapes[i]
		if want.Name != p.Name || !slices.Equal(want.Shape, p.Shape) {
			return fmt.Errorf("train: checkpoint parameter %d is %q %v, the model's is %q %v; it was written for a different model configuration", i, want.Name, want.Shape, p.Name, p.Shape)
		}
		a := c.Params[p.Name]
		if len(a.Data) != p.Len() {
			return fmt.Errorf("train: checkpoint parameter %q has %d values, want %d", p.Name, len(a.Data), p.Len())
		}
	}
	for _, p := range params {
		copy(p.Value, c.Params[p.Name].Data)
	}
	return nil
}

// checkpoint writes the run's state to cfg.Checkpoint.Path.
func (r *run) checkpoint() error {
	cp := &r.cfg.Checkpoint
	c, arrays, err := r.snapshot()
	if err != nil {
		return err
	}
	if err := data.WriteNPZ(cp.Path, arrays, c); err != nil {
		return fmt.Errorf("train: checkpoint: %w", err)
	}
	r.lastCkpt, r.lastCkptStep = cp.Path, r.step
	return nil
}

// snapshot collects the metadata and arrays of a checkpoint.
func (r *run) snapshot() (*Checkpoint, map[string]data.Array, error) {
	cp := &r.cfg.Checkpoint
	rng, err := r.pcg.MarshalBinary()
	if err != nil {
		return nil, nil, fmt.Errorf("train: checkpoint: generator state: %v", err)
	}
	modelCfg, err := modelConfigJSON(cp.Config)
	if err != nil {
		return nil, nil, err
	}
	c := &Checkpoint{
		Format: CheckpointFormat, Kind: cp.Kind, ModelConfig: modelCfg,
		Optimizer: fmt.Sprintf("%T", r.opt), Schedule: fmt.Sprintf("%T", r.sched),
		Step: r.step, Epoch: r.epoch, BatchPos: r.pos, RNG: rng,
	}
	arrays := make(map[string]data.Array)
	for _, p := range r.allParams() {
		if strings.ContainsAny(p.Name, "/\\") {
			return nil, nil, fmt.Errorf("train: checkpoint: parameter name %q contains a path separator, which .npz member names cannot hold; rename the parameter", p.Name)
		}
		c.ParamShapes = append(c.ParamShapes, ParamShape{Name: p.Name, Shape: p.Shape})
		arrays["param:"+p.Name] = data.NewArray(p.Value, p.Shape...)
	}
	if s, ok := r.opt.(Stateful); ok {
		for k, v := range s.State() {
			arrays["opt:"+k] = data.NewArray(v, len(v))
		}
	}
	if s, ok := r.sched.(Stateful); ok {
		for k, v := range s.State() {
			arrays["sched:"+k] = data.NewArray(v, len(v))
		}
	}
	loop := []float64{r.bestLoss, r.bestMonitor, float64(r.bad), r.evalLoss, r.bestEval}
	arrays["loop:state"] = data.NewArray(loop, len(loop))
	if r.perm != nil {
		perm := make([]float64, len(r.perm))
		for i, v := range r.perm {
			perm[i] = float64(v)
		}
		arrays["loop:perm"] = data.NewArray(perm, len(perm))
	}
	return c, arrays, nil
}

func modelConfigJSON(cfg any) (json.RawMessage, error) {
	if cfg == nil {
		return nil, nil
	}
	b, err := json.Marshal(cfg)
	if err != nil {
		return nil, fmt.Errorf("train: checkpoint: the model configuration cannot be stored as JSON: %v", err)
	}
	return b, nil
}

// resume restores the run's state from the checkpoint at path.
func (r *run) resume(path string) error {
	c, err := ReadCheckpoint(path)
	if err != nil {
		return err
	}
	cp := &r.cfg.Checkpoint
	if err := c.Restore(cp.Kind, r.allParams()); err != nil {
		return fmt.Errorf("%w (resuming from %s)", err, path)
	}
	want, err := modelConfigJSON(cp.Config)
	if err != nil {
		return err
	}
	if want != nil && c.ModelConfig != nil && !jsonEqual(want, c.ModelConfig) {
		return fmt.Errorf("train: %s was written for model configuration %s, this run has %s; resume with the same configuration", path, c.ModelConfig, want)
	}
	if got := fmt.Sprintf("%T", r.opt); c.Optimizer != got {
		return fmt.Errorf("train: %s was written by optimizer %s, this run uses %s; resume with the same optimizer", path, c.Optimizer, got)
	}
	if got := fmt.Sprintf("%T", r.sched); c.Schedule != got {
		return fmt.Errorf("train: %s was written with schedule %s, this run uses %s; resume with the same schedule", path, c.Schedule, got)
	}
	if s, ok := r.opt.(Stateful); ok {
		if err := s.SetState(c.OptimizerState); err != nil {
			return fmt.Errorf("%w (resuming from %s)", err, path)
		}
	}
	if s, ok := r.sched.(Stateful); ok {
		if err := s.SetState(c.ScheduleState); err != nil {
			return fmt.Errorf("%w (resuming from %s)", err, path)
		}
	}
	if err := r.pcg.UnmarshalBinary(c.RNG); err != nil {
		return fmt.Errorf("train: %s: generator state: %v", path, err)
	}
	loop := c.loop["state"]
	if len(loop) != 5 {
		return fmt.Errorf("train: %s has no loop state; the file is damaged", path)
	}
	r.bestLoss, r.bestMonitor, r.bad, r.evalLoss, r.bestEval = loop[0], loop[1], int(loop[2]), loop[3], loop[4]
	if r.perm != nil {
		perm, ok := c.loop["perm"]
		if !ok || len(perm) != len(r.perm) {
			return fmt.Errorf("train: %s was written with a different number of samples or without mini-batches; resume with the same data and BatchSize", path)
		}
		for i, v := range perm {
			if v != math.Trunc(v) || v < 0 || int(v) >= len(r.perm) {
				return fmt.Errorf("train: %s: sample permutation holds %v; the file is damaged", path, v)
			}
			r.perm[i] = int(v)
		}
		if c.BatchPos < 0 || c.BatchPos > len(r.perm) {
			return fmt.Errorf("train: %s: batch position %d out of range", path, c.BatchPos)
		}
	} else if _, ok := c.loop["perm"]; ok {
		return fmt.Errorf("train: %s was written with mini-batches; resume with the same BatchSize", path)
	}
	r.step, r.epoch, r.pos = c.Step, c.Epoch, c.BatchPos
	r.lastCkpt, r.lastCkptStep = path, c.Step
	return nil
}

// jsonEqual reports whether two JSON texts encode the same value.
func jsonEqual(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return bytes.Equal(a, b)
	}
	xa, _ := json.Marshal(x)
	ya, _ := json.Marshal(y)
	return bytes.Equal(xa, ya)
}
