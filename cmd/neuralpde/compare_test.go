package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/neuralpde/neuralpde/data"
	"github.com/neuralpde/neuralpde/fno"
	"gopkg.in/yaml.v3"
)

// tinyDemo runs the demo on tiny data once per test binary and returns its
// output directory, which TestMain removes.
var tinyDemo = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "neuralpde-demo-")
	if err != nil {
		return "", err
	}
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"demo", "--tiny", "-q", "--out", dir}, &out, &errb, func(string) string { return "" }); code != 0 {
		return "", &demoError{out.String() + errb.String()}
	}
	return dir, nil
})

type demoError struct{ s string }

func (e *demoError) Error() string { return "tiny demo failed: " + e.s }

func demoDir(t *testing.T) string {
	t.Helper()
	dir, err := tinyDemo()
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if dir, err := tinyDemo(); err == nil && strings.Contains(dir, "neuralpde-demo-") {
		os.RemoveAll(dir)
	}
	os.Exit(code)
}

// TestDemoTiny runs the whole demo on tiny data: dataset, FNO, DeepONet,
// PINN, compare, report; then a second run that reuses everything.
func TestDemoTiny(t *testing.T) {
	dir := demoDir(t)
	html, err := os.ReadFile(filepath.Join(dir, "compare", "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"data:image/png;base64,", "<td>fno</td>", "<td>deeponet</td>", "zero-shot", "Single instance"} {
		if !bytes.Contains(html, []byte(want)) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	if bytes.Contains(html, []byte(`src="`+dir)) || bytes.Contains(html, []byte(`src="/`)) {
		t.Error("report.html links a file instead of embedding it")
	}
	var table struct {
		Neural, Classical []struct {
			Family  string   `json:"family"`
			Applies bool     `json:"applies"`
			RelL2   *float64 `json:"rel_l2"`
			SpeedUp *float64 `json:"speed_up"`
			Note    string   `json:"note"`
		}
	}
	b, err := os.ReadFile(filepath.Join(dir, "compare", "compare.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &table); err != nil {
		t.Fatal(err)
	}
	families := map[string]int{}
	for _, r := range table.Neural {
		families[r.Family]++
		switch {
		case r.Family == "pinn" && (r.Applies || !strings.Contains(r.Note, "one instance")):
			t.Errorf("pinn row %+v; want n/a with the reason", r)
		case (r.Family == "fno" || r.Family == "deeponet") && (r.RelL2 == nil || r.SpeedUp == nil):
			t.Errorf("%s row without error or speed-up", r.Family)
		}
	}
	if families["fno"] != 2 || families["deeponet"] != 2 || families["pinn"] != 1 || len(table.Classical) < 2 {
		t.Errorf("rows per family %v and %d classical runs; want fno and deeponet at two resolutions", families, len(table.Classical))
	}
	for _, name := range []string{"compare.md", "compare.csv", "instance.md", "pareto.svg", "spectra.png", "training.png", "fields.png", "errors.svg"} {
		if _, err := os.Stat(filepath.Join(dir, "compare", name)); err != nil {
			t.Error(err)
		}
	}
	code, out, errs := cli(t, nil, "demo", "--tiny", "-q", "--out", dir)
	if code != 0 {
		t.Fatalf("second run: exit %d: %s", code, errs)
	}
	if n := strings.Count(out, "reusing it"); n != 4 {
		t.Errorf("second run reused %d results, want 4 (solve, fno, deeponet, pinn):\n%s", n, out)
	}
	if !strings.Contains(out, "already complete") {
		t.Errorf("second run regenerated the dataset:\n%s", out)
	}
}

// TestCompareUsage checks compare's refusals on the tiny demo's results.
func TestCompareUsage(t *testing.T) {
	dir := demoDir(t)
	data256 := filepath.Join(dir, "burgers-periodic-256.npz")
	out := filepath.Join(t.TempDir(), "cmp")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--preset", "heat"}, "burgers-periodic or darcy"},
		{[]string{"--preset", "burgers-periodic", "--models", "fno,gan"}, `unknown model "gan"`},
		{[]string{"--preset", "darcy", "--data", data256}, "holds burgers-periodic samples"},
		{[]string{"--preset", "burgers-periodic", "--data", data256, "--train-res", "100"}, "does not divide"},
		{[]string{"--preset", "burgers-periodic", "--data", data256, "--test", "24"}, "leaves no training samples"},
		{[]string{"--preset", "burgers-periodic", "--data", data256, "--models", "fno", "--checkpoints", filepath.Join(dir, "fno"), "--train-res", "128", "--tiny"}, "pass --train-res 64"},
	} {
		code, _, errs := cli(t, nil, append([]string{"compare", "-q", "--out", out}, c.args...)...)
		if code != 2 || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d %q; want 2 with %q", c.args, code, errs, c.want)
		}
	}
}

func TestPredict(t *testing.T) {
	dir := demoDir(t)
	data256 := filepath.Join(dir, "burgers-periodic-256.npz")
	out := filepath.Join(t.TempDir(), "pred.npz")
	code, stdout, errs := cli(t, nil, "predict", "--checkpoint", filepath.Join(dir, "fno"), "--input", data256, "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	arrays, _, err := data.ReadNPZ(out)
	if err != nil {
		t.Fatal(err)
	}
	if u, x := arrays["u"], arrays["x"]; !reflect.DeepEqual(u.Shape, []int{24, 256}) || len(x.Data) != 256 || x.Data[1] != 1.0/256 {
		t.Errorf("wrote u %v and x %v (%s)", u.Shape, x.Shape, stdout)
	}
	// The predictions are fno.Evaluate's at the data's own grid.
	ds, _ := data.Load(data256)
	ev, err := fno.Evaluate(filepath.Join(dir, "fno"), ds, 0)
	if err != nil {
		t.Fatal(err)
	}
	if d := ev.Predictions.Data[300] - arrays["u"].Data[300]; d > 1e-12 || d < -1e-12 {
		t.Errorf("predict and eval differ by %g", d)
	}
	bad := filepath.Join(t.TempDir(), "bad.npz")
	if err := data.WriteNPZ(bad, map[string]data.Array{"a": data.NewArray(make([]float64, 12), 2, 2, 3)}, nil); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"predict", "--checkpoint", filepath.Join(dir, "pinn-burgers-shock"), "--input", data256, "--out", out}, 2, "takes no input"},
		{[]string{"predict", "--checkpoint", filepath.Join(dir, "fno"), "--input", bad, "--out", out}, 2, "takes fields of 1 axes"},
		{[]string{"predict", "--checkpoint", filepath.Join(dir, "deeponet"), "--input", data256, "--out", out}, 2, "reads 64 sensors"},
		{[]string{"predict", "--checkpoint", filepath.Join(dir, "fno"), "--out", out}, 2, "needs --input"},
	} {
		code, _, errs := cli(t, nil, c.args...)
		if code != c.code || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d %q; want %d with %q", c.args, code, errs, c.code, c.want)
		}
	}
}

func TestConfigPrint(t *testing.T) {
	code, out, errs := cli(t, nil, "config", "print", "--model", "fno")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var got fno.Config
	if err := yaml.Unmarshal([]byte(out), &got); err != nil || !reflect.DeepEqual(&got, fno.DefaultConfig()) {
		t.Errorf("printed %q, which reads back as %+v (%v)", out, got, err)
	}
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"config", "print", "--model", "deeponet"}, 0, "branch:"},
		{[]string{"config", "print", "--model", "fno-implicit"}, 0, "solver:"},
		{[]string{"config", "print", "--model", "nsm", "--preset", "reaction-diffusion-nu0.1"}, 0, "schedule: cosine"},
		{[]string{"config", "print", "--model", "pinn", "--preset", "burgers-shock"}, 0, "preset: burgers-shock"},
		{[]string{"config", "print", "--command", "generate"}, 0, "grf_modes: 0"},
		{[]string{"config", "print", "--command", "compare"}, 0, "models: fno,deeponet,pinn,nsm"},
		{[]string{"config", "print", "--model", "gan"}, 2, `unknown model "gan"`},
		{[]string{"config", "print", "--model", "fno", "--preset", "darcy"}, 2, "--preset is for --model pinn and nsm"},
		{[]string{"config", "print"}, 2, "needs --model"},
	} {
		code, out, errs := cli(t, nil, c.args...)
		if code != c.code || !strings.Contains(out+errs, c.want) {
			t.Errorf("%v: exit %d %q; want %d with %q", c.args, code, out+errs, c.code, c.want)
		}
	}
}

// TestConfigFile checks generate's and compare's --config: file values
// apply, flags override them, unknown keys are errors naming the key.
func TestConfigFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("gen.yaml", "preset: burgers-periodic\nn: 3\nres: 32\nmodes: 32\ndt: 0.01\nseed: 4\n")
	out := filepath.Join(dir, "g.npz")
	if code, _, errs := cli(t, nil, "generate", "--config", good, "--n", "2", "-q", "--out", out); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	ds, err := data.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	if ds.Len() != 2 || ds.Meta.Seed != 4 || ds.Inputs.Shape[1] != 32 {
		t.Errorf("dataset of %d samples, seed %d, shape %v; want the flag's 2, the file's seed 4 and 32 points", ds.Len(), ds.Meta.Seed, ds.Inputs.Shape)
	}
	for _, c := range []struct {
		cmd, text, want string
	}{
		{"generate", "preset: burgers-periodic\nsamples: 3\n", `unknown key "samples" (line 2)`},
		{"generate", "n: [1, 2]\n", `key "n"`},
		{"compare", "preset: darcy\nepochs: 3\n", `unknown key "epochs"`},
		{"compare", "- 1\n", "want a mapping"},
	} {
		p := write(c.cmd+".yaml", c.text)
		code, _, errs := cli(t, nil, c.cmd, "--config", p, "--out", filepath.Join(dir, "x"))
		if code != 2 || !strings.Contains(errs, c.want) {
			t.Errorf("%s with %q: exit %d %q; want 2 with %q", c.cmd, c.text, code, errs, c.want)
		}
	}
}

// syncBuffer is a bytes.Buffer safe to write from the server's goroutine
// while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestServeCommand starts neuralpde serve on a free loopback port, asks it
// for its card and a prediction, and stops it by cancelling its context.
func TestServeCommand(t *testing.T) {
	dir := demoDir(t)
	ctx, cancel := context.WithCancel(context.Background())
	var out, errb syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--checkpoint", filepath.Join(dir, "fno"), "--addr", "127.0.0.1:0", "--workers", "2"}, &out, &errb, func(string) string { return "" })
	}()
	addr := regexp.MustCompile(`http://(127\.0\.0\.1:\d+)`)
	var base string
	for deadline := time.Now().Add(20 * time.Second); base == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := addr.FindStringSubmatch(out.String()); m != nil {
			base = "http://" + m[1]
		}
	}
	if base == "" {
		cancel()
		t.Fatalf("serve did not start: %s %s", out.String(), errb.String())
	}
	resp, err := http.Get(base + "/model")
	if err != nil {
		t.Fatal(err)
	}
	card, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(card), `"kind":"fno"`) || !strings.Contains(string(card), `"preset":"burgers-periodic"`) || !strings.Contains(string(card), `"grid":[64]`) {
		t.Errorf("card %s", card)
	}
	resp, err = http.Post(base+"/predict", "application/json", strings.NewReader(`{"inputs": [`+strings.Repeat("0.5,", 63)+`0.5]}`))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"shape":[64]`) {
		t.Errorf("predict: %d %s", resp.StatusCode, body)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 || !strings.Contains(out.String(), "stopped") {
			t.Errorf("exit %d: %s %s", code, out.String(), errb.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop")
	}
}

// TestNSM trains a tiny neural spectral model through the CLI, evaluates
// it, and compares it beside the tiny demo's models in the instance table.
func TestNSM(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "nsm.yaml")
	if err := os.WriteFile(cfg, []byte("width: 8\nlayers: 2\nproj_width: 16\nsteps: 4\nbatch_size: 4\ntrain: 8\ntest: 2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	run := filepath.Join(dir, "nsm")
	code, out, errs := cli(t, nil, "train", "--model", "nsm", "--preset", "poisson-periodic-grf", "--config", cfg, "--out", run, "-q")
	if code != 0 || !strings.Contains(out, "nsm poisson-periodic-grf: test relative L2") {
		t.Fatalf("train: exit %d %q %s", code, out, errs)
	}
	if code, out, errs = cli(t, nil, "eval", "--checkpoint", run, "--res", "16"); code != 0 || !strings.Contains(out, "16×16 grid") {
		t.Errorf("eval: exit %d %q %s", code, out, errs)
	}
	// Navier–Stokes: the solution has snapshots, which eval --out keeps.
	ns := filepath.Join(dir, "nsm-ns")
	if code, out, errs = cli(t, nil, "train", "--model", "nsm", "--preset", "navier-stokes-nu0.01", "--config", cfg, "--out", ns, "-q"); code != 0 || !strings.Contains(out, "nsm navier-stokes-nu0.01: test relative L2") {
		t.Fatalf("train navier-stokes: exit %d %q %s", code, out, errs)
	}
	npz := filepath.Join(dir, "ns.npz")
	if code, out, errs = cli(t, nil, "eval", "--checkpoint", ns, "--res", "16", "--out", npz); code != 0 || !strings.Contains(out, "u: [16 10 16 16]") {
		t.Errorf("eval navier-stokes: exit %d %q %s", code, out, errs)
	}
	if code, _, errs = cli(t, nil, "train", "--model", "nsm", "--preset", "heat", "--out", run); code != 2 {
		t.Errorf("train on an unknown nsm problem: exit %d %s", code, errs)
	}
	demo := demoDir(t)
	cmp := filepath.Join(dir, "cmp")
	code, out, errs = cli(t, nil, "compare", "--preset", "burgers-periodic", "--tiny", "-q", "--data", filepath.Join(demo, "burgers-periodic-256.npz"),
		"--train-res", "64", "--test", "4", "--models", "nsm", "--checkpoints", run, "--out", cmp)
	if code != 0 {
		t.Fatalf("compare: exit %d %s", code, errs)
	}
	if !strings.Contains(out, "| nsm | poisson-periodic-grf, 64×64 |") || !strings.Contains(out, "poisson-periodic-grf (reference)") {
		t.Errorf("compare printed no nsm rows:\n%s", out)
	}
}

// TestCompareImplicit trains a tiny implicit FNO inside compare on the
// tiny demo's data and finds its rows in the table, at the training grid
// and zero-shot.
func TestCompareImplicit(t *testing.T) {
	demo := demoDir(t)
	cmp := filepath.Join(t.TempDir(), "cmp")
	code, out, errs := cli(t, nil, "compare", "--preset", "burgers-periodic", "--tiny", "-q", "--data", filepath.Join(demo, "burgers-periodic-256.npz"),
		"--train-res", "64", "--test", "4", "--models", "fno-implicit", "--budget", "1m", "--out", cmp)
	if code != 0 {
		t.Fatalf("compare: exit %d %s", code, errs)
	}
	for _, want := range []string{"| fno-implicit | 64 points (training grid) |", "| fno-implicit | 256 points (zero-shot from 64) |"} {
		if !strings.Contains(out, want) {
			t.Errorf("compare printed no %q row:\n%s", want, out)
		}
	}
	if _, err := os.Stat(filepath.Join(cmp, "fno-implicit.yaml")); err != nil {
		t.Errorf("compare wrote no editable config: %v", err)
	}
}
