package main

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/neuralpde/neuralpde/data"
	"github.com/neuralpde/neuralpde/pde"
	"github.com/neuralpde/neuralpde/train"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestInfoGolden compares data info of the numpy-written fixture with
// testdata/cli_info_numpy_golden.txt (go test -update rewrites it).
func TestInfoGolden(t *testing.T) {
	golden := filepath.Join("..", "..", "testdata", "cli_info_numpy_golden.txt")
	code, out, errs := cli(t, nil, "data", "info", filepath.Join("..", "..", "testdata", "numpy_golden.npz"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if *update {
		if err := os.WriteFile(golden, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if out != string(want) {
		t.Errorf("data info printed\n%s\nwant (%s)\n%s", out, golden, want)
	}
}

// cli runs the command tree in-process with the given environment.
func cli(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb, func(k string) string { return env[k] })
	return code, out.String(), errb.String()
}

func TestList(t *testing.T) {
	code, out, errs := cli(t, nil, "list")
	if code != 0 || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	for _, want := range append(append(pde.PresetNames(), train.OptimizerNames()...), "PRESET", "MODEL", "OPTIMIZER", "fno", "nsm", "reaction-diffusion-nu<ν>", "levenberg-marquardt (lm)") {
		if !strings.Contains(out, want) {
			t.Errorf("list output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "planned") {
		t.Errorf("list output calls a model planned:\n%s", out)
	}
}

func TestUsageErrors(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "o.npz")
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"solve", "--preset", "nope", "--out", out}, `unknown preset "nope" (known presets: [`},
		{[]string{"solve", "--out", out}, "--preset is required (known presets"},
		{[]string{"solve", "--preset", "heat"}, "needs --out"},
		{[]string{"solve", "--preset", "heat", "--method", "euler", "--out", out}, `unknown method "euler"`},
		{[]string{"solve", "--preset", "heat", "--nx", "-3", "--out", out}, "must not be negative"},
		{[]string{"solve", "--preset", "burgers-periodic", "--out", out}, "random initial data"},
		{[]string{"solve", "--nx", "many"}, `invalid argument "many"`},
		{[]string{"solve", "--bogus"}, "unknown flag: --bogus"},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"list", "extra"}, "unknown command"},
		{[]string{"generate", "--preset", "heat", "--n", "2", "--out", out}, "fixed initial data"},
		{[]string{"generate", "--preset", "burgers-periodic", "--n", "0", "--out", out}, "--n must be at least 1"},
		{[]string{"generate", "--preset", "burgers-periodic", "--n", "2", "--res", "64", "--subsample", "3", "--out", out}, "does not divide"},
		{[]string{"generate", "--preset", "burgers-periodic", "--n", "2", "--shard", "3/3", "--out", out}, "is not k/n"},
		{[]string{"generate", "--preset", "burgers-periodic", "--n", "2", "--res", "16", "--grf-modes", "9", "--out", out}, "use at most 7 modes"},
		{[]string{"data", "merge", "x.npz"}, "needs --out"},
		{[]string{"data", "info"}, "accepts 1 arg"},
		{[]string{"data"}, "needs a subcommand"},
	}
	for _, c := range cases {
		code, _, errs := cli(t, nil, c.args...)
		if code != 2 || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", c.args, code, errs, c.want)
		}
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a usage error wrote an output file")
	}
}

func TestSolve(t *testing.T) {
	out := filepath.Join(t.TempDir(), "heat.npz")
	code, stdout, errs := cli(t, nil, "solve", "--preset", "heat", "--nx", "16", "--nt", "5", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	line := regexp.MustCompile(`^heat: etdrk4, 64 modes, dt [0-9.e-]+, \d+ steps, [0-9.]+[mµn]?s, relative L2 error vs exact ([0-9.e+-]+); wrote .*heat\.npz \(u: 5×16\)\n$`)
	if !line.MatchString(stdout) {
		t.Errorf("summary line %q does not match %v", stdout, line)
	}
	arrays, meta, err := data.ReadNPZ(out)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(arrays["u"].Shape, []int{5, 16}) || len(arrays["x"].Data) != 16 || len(arrays["t"].Data) != 5 {
		t.Errorf("shapes x %v t %v u %v", arrays["x"].Shape, arrays["t"].Shape, arrays["u"].Shape)
	}
	if !strings.Contains(string(meta), `"method":"etdrk4"`) || !strings.Contains(string(meta), `"rel_l2_vs_exact"`) {
		t.Errorf("metadata %s", meta)
	}
}

func TestSolverFailureExitsOne(t *testing.T) {
	out := filepath.Join(t.TempDir(), "kdv.npz")
	code, _, errs := cli(t, nil, "solve", "--preset", "kdv", "--method", "rk4", "--modes", "512", "--nt", "2", "--dt", "0.01", "--out", out, "-q")
	if code != 1 || !strings.Contains(errs, "NaN") {
		t.Errorf("exit %d, stderr %q; want 1 and a blow-up message", code, errs)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a failed solve wrote its output")
	}
	code, _, errs = cli(t, nil, "data", "info", filepath.Join(t.TempDir(), "missing.npz"))
	if code != 1 || !strings.Contains(errs, "missing.npz") {
		t.Errorf("info of a missing file: exit %d, stderr %q", code, errs)
	}
}

// TestGenerateMergeInfo runs a tiny dataset whole, in shards (one from a
// Slurm environment), merges the shards and checks the result is the same
// file.
func TestGenerateMergeInfo(t *testing.T) {
	dir := t.TempDir()
	common := []string{"generate", "--preset", "burgers-periodic", "--n", "5", "--res", "64", "--subsample", "2",
		"--modes", "64", "--dt", "0.01", "--seed", "7", "-q"}
	whole := filepath.Join(dir, "whole.npz")
	code, stdout, errs := cli(t, nil, append(common, "--out", whole)...)
	if code != 0 {
		t.Fatalf("generate: exit %d: %s", code, errs)
	}
	if !strings.HasPrefix(stdout, "wrote "+whole+": 5 samples of burgers-periodic on 32 points (every 2 of 64; 64 modes, dt 0.01)") {
		t.Errorf("generate summary %q", stdout)
	}
	sh := filepath.Join(dir, "sh.npz")
	if code, _, errs := cli(t, nil, append(common, "--shard", "0/2", "--workers", "1", "--out", sh)...); code != 0 {
		t.Fatalf("shard 0: exit %d: %s", code, errs)
	}
	slurm := map[string]string{"SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_COUNT": "2"}
	if code, _, errs := cli(t, slurm, append(common, "--out", sh)...); code != 0 {
		t.Fatalf("shard 1 from Slurm: exit %d: %s", code, errs)
	}
	code, stdout, _ = cli(t, slurm, append(common, "--out", sh)...)
	if code != 0 || !strings.Contains(stdout, "already complete") {
		t.Errorf("rerun of a complete shard: exit %d, %q", code, stdout)
	}
	merged := filepath.Join(dir, "merged.npz")
	s0, s1 := data.ShardPath(sh, 0, 2), data.ShardPath(sh, 1, 2)
	if code, _, errs := cli(t, nil, "data", "merge", "--out", merged, s1, s0); code != 0 {
		t.Fatalf("merge: exit %d: %s", code, errs)
	}
	a, _ := os.ReadFile(whole)
	b, _ := os.ReadFile(merged)
	if len(a) == 0 || !bytes.Equal(a, b) {
		t.Error("merged shards differ from the unsharded dataset")
	}
	if code, _, errs := cli(t, nil, "data", "merge", "--out", filepath.Join(dir, "m2.npz"), s0); code != 1 || !strings.Contains(errs, "missing") {
		t.Errorf("merge with a missing shard: exit %d, %q", code, errs)
	}

	code, stdout, errs = cli(t, nil, "data", "info", merged)
	if code != 0 {
		t.Fatalf("info: exit %d: %s", code, errs)
	}
	for _, want := range []string{"dataset, 3 arrays", "inputs   (5, 32)", "outputs  (5, 32)", "x        (32,)", `"preset": "burgers-periodic"`, `"subsample": 2`, `"kind": "gaussian-rf"`} {
		if !strings.Contains(stdout, want) {
			t.Errorf("info lacks %q:\n%s", want, stdout)
		}
	}
}

func TestSubsampleStride(t *testing.T) {
	cases := []struct {
		r, res int
		vertex bool
		want   int // 0: a usage error
	}{
		{4, 1024, false, 4}, // stride: 256 points
		{64, 256, false, 4}, // size: FNO's 64 from 256
		{85, 421, true, 5},  // size: FNO's 85 from 421
		{5, 421, true, 5},   // stride: the same 85 points
		{1, 421, true, 1},
		{3, 1024, false, 0}, // no stride, no size
		{7, 421, true, 7},   // stride: 61 points
		{100, 421, true, 0}, // 99 does not divide 420
	}
	for _, c := range cases {
		got, err := stride(c.r, c.res, c.vertex)
		if c.want == 0 {
			if err == nil || !isUsage(err) {
				t.Errorf("stride(%d, %d, %v) = %d, %v; want a usage error", c.r, c.res, c.vertex, got, err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("stride(%d, %d, %v) = %d, %v; want %d", c.r, c.res, c.vertex, got, err, c.want)
		}
	}
}

// TestGenerate2D makes tiny darcy and navier-stokes datasets through the
// CLI and checks their shapes, coordinates and metadata.
func TestGenerate2D(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		args    []string
		in, out []int
		coords  []string
		summary string
	}{
		{[]string{"--preset", "darcy", "--res", "33", "--subsample", "17"}, []int{2, 17, 17}, []int{2, 17, 17}, []string{"x", "y"}, "of darcy on 17² points (every 2 of 33²"},
		{[]string{"--preset", "navier-stokes", "--res", "32", "--subsample", "2", "--steps-saved", "1", "--dt", "0.01"}, []int{2, 16, 16}, []int{2, 1, 16, 16}, []string{"t", "x", "y"}, "of navier-stokes on 16² points (every 2 of 32²"},
	}
	for _, c := range cases {
		out := filepath.Join(dir, c.args[1]+".npz")
		args := append([]string{"generate", "--n", "2", "--seed", "3", "-q", "--out", out}, c.args...)
		code, stdout, errs := cli(t, nil, args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errs)
		}
		if !strings.Contains(stdout, c.summary) {
			t.Errorf("%s summary %q does not contain %q", c.args[1], stdout, c.summary)
		}
		ds, err := data.Load(out)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(ds.Inputs.Shape, c.in) || !slices.Equal(ds.Outputs.Shape, c.out) {
			t.Errorf("%s: shapes %v → %v, want %v → %v", c.args[1], ds.Inputs.Shape, ds.Outputs.Shape, c.in, c.out)
		}
		for _, name := range c.coords {
			if _, ok := ds.Coords[name]; !ok {
				t.Errorf("%s: no coordinate array %q", c.args[1], name)
			}
		}
		if ds.Meta.Preset != c.args[1] || ds.Meta.Resolution == 0 {
			t.Errorf("%s: meta %+v", c.args[1], ds.Meta)
		}
	}
	if code, _, _ := cli(t, nil, "generate", "--preset", "darcy", "--n", "1", "--res", "33", "--subsample", "7", "--out", filepath.Join(dir, "x.npz")); code != 2 {
		t.Errorf("darcy with --subsample 7 on 33 points: exit %d, want 2", code)
	}
}

// TestGenerateOperatorPresets makes tiny antiderivative and
// diffusion-reaction datasets and checks their shapes, and that grid flags
// are refused for these fixed-sensor presets.
func TestGenerateOperatorPresets(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		preset  string
		in, out []int
	}{
		{"antiderivative", []int{2, 100}, []int{2, 100}},
		{"diffusion-reaction", []int{2, 100}, []int{2, 100, 100}},
	}
	for _, c := range cases {
		out := filepath.Join(dir, c.preset+".npz")
		if code, _, errs := cli(t, nil, "generate", "--preset", c.preset, "--n", "2", "--seed", "1", "-q", "--out", out); code != 0 {
			t.Fatalf("%s: exit %d: %s", c.preset, code, errs)
		}
		ds, err := data.Load(out)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(ds.Inputs.Shape, c.in) || !slices.Equal(ds.Outputs.Shape, c.out) {
			t.Errorf("%s: shapes %v → %v, want %v → %v", c.preset, ds.Inputs.Shape, ds.Outputs.Shape, c.in, c.out)
		}
		if code, _, _ := cli(t, nil, "generate", "--preset", c.preset, "--n", "2", "--res", "50", "--out", out+"x"); code != 2 {
			t.Errorf("%s with --res: exit %d, want 2", c.preset, code)
		}
	}
}
