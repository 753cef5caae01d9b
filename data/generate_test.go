package data

import (
	"bytes"
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/neuralpde/neuralpde/pde"
	"gonum.org/v1/gonum/floats"
)

// toySolver maps u to the pair (u², shift(u)) with output shape (2, n); it
// fails on sample values chosen by the test.
type toySolver struct {
	n       int
	failIf  func(in []float64) error
	nanIf   func(in []float64) bool
	counter *atomic.Int64
}

func (s *toySolver) InputShape() []int  { return []int{s.n} }
func (s *toySolver) OutputShape() []int { return []int{2, s.n} }
func (s *toySolver) Solve(out, in []float64) error {
	if s.counter != nil {
		s.counter.Add(1)
	}
	if s.failIf != nil {
		if err := s.failIf(in); err != nil {
			return err
		}
	}
	for j, v := range in {
		out[j] = v * v
		out[s.n+j] = in[(j+1)%s.n]
	}
	if s.nanIf != nil && s.nanIf(in) {
		out[3] = math.NaN()
	}
	return nil
}

func toyConfig(t testing.TB, out string, n int) *GenerateConfig {
	g := pde.NewPeriodicGrid(0, 1, 32)
	f, err := NewGaussianRF(burgersLaw, 8, g)
	if err != nil {
		t.Fatal(err)
	}
	return &GenerateConfig{
		N: n, Seed: 42, Sampler: f, Out: out, Workers: 2,
		Solvers: func() (Solver, error) { return &toySolver{n: 32}, nil },
		Coords:  map[string]Array{"x": NewArray(g.Points(nil), 32), "t": NewArray([]float64{0, 1}, 2)},
		Axes:    []string{"x"},
		Meta:    Meta{Preset: "toy", PDE: "toy", Solver: "square-shift", Resolution: 32},
	}
}

func readBytes(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestGenerateWorkersAndShardsAgree(t *testing.T) {
	dir := t.TempDir()
	ref := filepath.Join(dir, "ref.npz")
	cfg := toyConfig(t, ref, 10)
	cfg.Workers = 1
	res, err := Generate(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if res.Path != ref || res.Samples != 10 || res.Resumed {
		t.Errorf("result %+v", res)
	}
	want := readBytes(t, ref)

	cfg = toyConfig(t, filepath.Join(dir, "par.npz"), 10)
	cfg.Workers = 3
	if _, err := Generate(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(readBytes(t, cfg.Out), want) {
		t.Error("3 workers wrote different bytes from 1 worker")
	}

	var shards []string
	for k := 3; k >= 0; k-- { // any order
		cfg := toyConfig(t, filepath.Join(dir, "sh.npz"), 10)
		cfg.Shard, cfg.Shards = k, 4
		res, err := Generate(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		lo, hi := ShardRange(10, k, 4)
		if res.Samples != hi-lo || res.Path != ShardPath(cfg.Out, k, 4) {
			t.Errorf("shard %d: result %+v", k, res)
		}
		shards = append(shards, res.Path)
	}
	merged := filepath.Join(dir, "merged.npz")
	if err := Merge(merged, shards...); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(readBytes(t, merged), want) {
		t.Error("merged shards differ from the unsharded file")
	}
	d, err := Load(merged)
	if err != nil {
		t.Fatal(err)
	}
	// Sample 7's input is the sampler's sample (42, 7).
	u := sample(cfg.Sampler, 42, 7)
	if !floats.Equal(d.Inputs.Data[7*32:8*32], u) {
		t.Error("stored sample 7 is not the sampler's sample (seed, 7)")
	}
}

func TestGenerateSubsample(t *testing.T) {
	dir := t.TempDir()
	cfg := toyConfig(t, filepath.Join(dir, "fine.npz"), 3)
	cfg.Sampler = mustGRF(t, burgersLaw, 3, pde.NewPeriodicGrid(0, 1, 32))
	cfg.Subsample = 4
	if _, err := Generate(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	d, err := Load(cfg.Out)
	if err != nil {
		t.Fatal(err)
	}
	coarse := mustGRF(t, burgersLaw, 3, pde.NewPeriodicGrid(0, 1, 8))
	if d.Meta.Subsample != 4 || d.InputLen() != 8 || d.OutputLen() != 2*8 || len(d.Coords["x"].Data) != 8 || len(d.Coords["t"].Data) != 2 {
		t.Fatalf("subsampled shapes %v %v, meta %+v", d.Inputs.Shape, d.Outputs.Shape, d.Meta)
	}
	for i := range 3 {
		if got, want := d.Inputs.Data[8*i:8*i+8], sample(coarse, 42, i); maxDiff(got, want) > 1e-12 {
			t.Errorf("sample %d subsampled from 32 points differs from the 8-point draw by %g", i, maxDiff(got, want))
		}
	}
}

func TestGenerateResume(t *testing.T) {
	dir := t.TempDir()
	var calls atomic.Int64
	cfg := toyConfig(t, filepath.Join(dir, "d.npz"), 6)
	cfg.Shard, cfg.Shards = 1, 2
	cfg.Solvers = func() (Solver, error) { return &toySolver{n: 32, counter: &calls}, nil }
	if _, err := Generate(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	if calls.Load() != 3 {
		t.Fatalf("first run solved %d samples, want 3", calls.Load())
	}
	res, err := Generate(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Resumed || calls.Load() != 3 {
		t.Errorf("rerun: resumed %v after %d solves; want the complete shard kept", res.Resumed, calls.Load())
	}
	cfg.Seed = 43
	if _, err := Generate(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), "different dataset") {
		t.Errorf("rerun with another seed: error %v, want a refusal to overwrite", err)
	}
	cfg.Force = true
	if res, err := Generate(context.Background(), cfg); err != nil || res.Resumed || calls.Load() != 6 {
		t.Errorf("forced rerun: %+v, %v, %d solves", res, err, calls.Load())
	}
}

// TestGenerateCheckpointResume interrupts a run after 7 of 10 samples and
// checks that the rerun computes only the samples of incomplete blocks and
// writes the same bytes as an uninterrupted run.
func TestGenerateCheckpointResume(t *testing.T) {
	dir := t.TempDir()
	ref := toyConfig(t, filepath.Join(dir, "ref.npz"), 10)
	if _, err := Generate(context.Background(), ref); err != nil {
		t.Fatal(err)
	}

	var calls atomic.Int64
	ctx, cancel := context.WithCancel(context.Background())
	cfg := toyConfig(t, filepath.Join(dir, "d.npz"), 10)
	cfg.Workers, cfg.Checkpoint = 1, 3
	cfg.Solvers = func() (Solver, error) {
		return &toySolver{n: 32, counter: &calls, failIf: func([]float64) error {
			if calls.Load() == 7 {
				cancel()
			}
			return nil
		}}, nil
	}
	if _, err := Generate(ctx, cfg); !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted run: error %v, want context.Canceled", err)
	}
	if _, err := os.Stat(cfg.Out); err == nil {
		t.Fatal("an interrupted run wrote its output")
	}
	parts, _ := filepath.Glob(filepath.Join(dir, ".d.npz.part-*.npz"))
	if len(parts) != 2 {
		t.Fatalf("interrupted run left checkpoint parts %v, want blocks [0,3) and [3,6)", parts)
	}

	calls.Store(100) // no more cancelling
	if _, err := Generate(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	if got := calls.Load() - 100; got != 4 {
		t.Errorf("resumed run solved %d samples, want 4", got)
	}
	if !bytes.Equal(readBytes(t, cfg.Out), readBytes(t, ref.Out)) {
		t.Error("resumed run wrote different bytes from an uninterrupted one")
	}
	if parts, _ := filepath.Glob(filepath.Join(dir, ".d.npz.part-*")); len(parts) != 0 {
		t.Errorf("checkpoint parts %v left after the output was written", parts)
	}
}

func TestGenerateErrors(t *testing.T) {
	dir := t.TempDir()
	bad := func(in []float64) bool { return in[0] == sample(toyConfig(t, "", 1).Sampler, 42, 4)[0] }
	cases := []struct {
		name   string
		change func(c *GenerateConfig)
		want   string
	}{
		{"solver error", func(c *GenerateConfig) {
			c.Solvers = func() (Solver, error) {
				return &toySolver{n: 32, failIf: func(in []float64) error {
					if bad(in) {
						return errors.New("step size underflow")
					}
					return nil
				}}, nil
			}
		}, "sample 4: step size underflow"},
		{"nan", func(c *GenerateConfig) {
			c.Solvers = func() (Solver, error) { return &toySolver{n: 32, nanIf: bad}, nil }
		}, "sample 4: the solver's output holds NaN"},
		{"factory", func(c *GenerateConfig) {
			c.Solvers = func() (Solver, error) { return nil, errors.New("no such method") }
		}, "cannot make a solver: no such method"},
		{"shape", func(c *GenerateConfig) {
			c.Solvers = func() (Solver, error) { return &toySolver{n: 16}, nil }
		}, "inputs of shape [16] but the sampler draws [32]"},
		{"zero samples", func(c *GenerateConfig) { c.N = 0 }, "need at least 1"},
		{"shard range", func(c *GenerateConfig) { c.Shard, c.Shards = 4, 4 }, "shard 4 of 4 is out of range"},
		{"no sampler", func(c *GenerateConfig) { c.Sampler = nil }, "needs a Sampler"},
	}
	for _, c := range cases {
		cfg := toyConfig(t, filepath.Join(dir, "d.npz"), 8)
		c.change(cfg)
		_, err := Generate(context.Background(), cfg)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("failed runs left %d files behind", len(ents))
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	cfg := toyConfig(t, filepath.Join(dir, "d.npz"), 8)
	if _, err := Generate(ctx, cfg); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled run: error %v, want context.Canceled", err)
	}
	if _, err := os.Stat(cfg.Out); err == nil {
		t.Error("a cancelled run wrote its output")
	}
}

func TestMergeRefuses(t *testing.T) {
	dir := t.TempDir()
	gen := func(name string, k, n int, seed uint64) string {
		cfg := toyConfig(t, filepath.Join(dir, name), 9)
		cfg.Shard, cfg.Shards, cfg.Seed = k, n, seed
		res, err := Generate(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		return res.Path
	}
	s0, s1, s2 := gen("a.npz", 0, 3, 1), gen("a.npz", 1, 3, 1), gen("a.npz", 2, 3, 1)
	other := gen("b.npz", 2, 3, 2)
	half := gen("c.npz", 1, 2, 1)
	whole := gen("w.npz", 0, 1, 1)
	out := filepath.Join(dir, "m.npz")
	cases := []struct {
		name   string
		shards []string
		want   string
	}{
		{"missing", []string{s0, s2}, "1 of 3 shards are missing"},
		{"duplicate", []string{s0, s1, s1, s2}, "given twice"},
		{"other seed", []string{s0, s1, other}, `different datasets (their "seed" differs)`},
		{"other count", []string{s0, s1, half}, "is a shard of 3"},
		{"whole", []string{s0, whole}, "is a whole dataset"},
		{"none", nil, "needs shard files"},
	}
	for _, c := range cases {
		err := Merge(out, c.shards...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
		if _, err := os.Stat(out); err == nil {
			t.Fatalf("%s: a refused merge wrote %s", c.name, out)
		}
	}
}

func TestShardFromEnv(t *testing.T) {
	cases := []struct {
		env           map[string]string
		count         int
		shard, shards int
		ok            bool
		err           string
	}{
		{env: nil, ok: false},
		{env: map[string]string{"SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_COUNT": "8"}, shard: 3, shards: 8, ok: true},
		{env: map[string]string{"SLURM_ARRAY_TASK_ID": "4", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_COUNT": "8"}, shard: 3, shards: 8, ok: true},
		{env: map[string]string{"SLURM_ARRAY_TASK_ID": "2"}, count: 5, shard: 2, shards: 5, ok: true},
		{env: map[string]string{"SLURM_ARRAY_TASK_ID": "2"}, err: "SLURM_ARRAY_TASK_COUNT is not"},
		{env: map[string]string{"SLURM_ARRAY_TASK_ID": "x", "SLURM_ARRAY_TASK_COUNT": "2"}, err: "not an integer"},
		{env: map[string]string{"SLURM_ARRAY_TASK_ID": "9", "SLURM_ARRAY_TASK_COUNT": "8"}, err: "out of range"},
		{env: map[string]string{"JOB_COMPLETION_INDEX": "6"}, count: 10, shard: 6, shards: 10, ok: true},
		{env: map[string]string{"JOB_COMPLETION_INDEX": "6"}, err: "give the number of shards"},
	}
	for _, c := range cases {
		k, n, ok, err := ShardFromEnv(func(s string) string { return c.env[s] }, c.count)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%v: error %v, want %q", c.env, err, c.err)
			}
			continue
		}
		if err != nil || ok != c.ok || k != c.shard || n != c.shards {
			t.Errorf("%v count %d: got %d/%d %v %v, want %d/%d %v", c.env, c.count, k, n, ok, err, c.shard, c.shards, c.ok)
		}
	}
}

func TestParseShardAndPath(t *testing.T) {
	for _, s := range []string{"0/4", "3/4"} {
		if _, _, err := ParseShard(s); err != nil {
			t.Errorf("ParseShard(%q): %v", s, err)
		}
	}
	for _, s := range []string{"4/4", "-1/4", "1", "a/b", "1/0"} {
		if _, _, err := ParseShard(s); err == nil {
			t.Errorf("ParseShard(%q): no error", s)
		}
	}
	if got := ShardPath("out/burgers.npz", 3, 10); got != "out/burgers.shard-3-of-10.npz" {
		t.Errorf("ShardPath = %q", got)
	}
	if got := ShardPath("b.npz", 7, 101); got != "b.shard-007-of-101.npz" {
		t.Errorf("ShardPath = %q", got)
	}
	// Shards cover every sample once.
	for _, c := range [][2]int{{10, 3}, {7, 7}, {3, 5}, {100, 8}} {
		next := 0
		for k := range c[1] {
			lo, hi := ShardRange(c[0], k, c[1])
			if lo != next || hi < lo {
				t.Errorf("ShardRange(%d, %d, %d) = [%d, %d), want start %d", c[0], k, c[1], lo, hi, next)
			}
			next = hi
		}
		if next != c[0] {
			t.Errorf("%d shards of %d samples end at %d", c[1], c[0], next)
		}
	}
}

func TestGenerateProgressLines(t *testing.T) {
	var buf bytes.Buffer
	cfg := toyConfig(t, filepath.Join(t.TempDir(), "d.npz"), 20)
	cfg.Progress = &buf
	if _, err := Generate(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) < 2 || len(lines) > 11 || !strings.HasPrefix(lines[len(lines)-1], "generate: 20/20 (100%)") {
		t.Errorf("progress lines:\n%s", buf.String())
	}
}

func BenchmarkGenerateOverhead(b *testing.B) {
	cfg := toyConfig(b, filepath.Join(b.TempDir(), "d.npz"), 1000)
	cfg.Force = true
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Generate(context.Background(), cfg); err != nil {
			b.Fatal(err)
		}
	}
}
