package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/neuralpde/neuralpde/data"
	"github.com/neuralpde/neuralpde/deeponet"
	"github.com/neuralpde/neuralpde/fno"
	"github.com/neuralpde/neuralpde/pde"
)

// periodicSet returns n smooth periodic fields on s points of
// burgers-periodic's grid, mapped to their shifted and scaled copies.
func periodicSet(n, s int, seed uint64) *data.Dataset {
	rng := rand.New(rand.NewPCG(seed, 1))
	p, _ := pde.Lookup("burgers-periodic")
	x := p.SpaceGrid(s).Points(nil)
	in, out := make([]float64, n*s), make([]float64, n*s)
	for i := range n {
		a, b := rng.NormFloat64(), rng.NormFloat64()
		for j := range s {
			in[i*s+j] = a*math.Sin(2*math.Pi*x[j]) + b*math.Cos(4*math.Pi*x[j])
			out[i*s+j] = 0.5*a*math.Sin(2*math.Pi*x[j]-0.3) + 0.2*b
		}
	}
	return &data.Dataset{
		Inputs: data.NewArray(in, n, s), Outputs: data.NewArray(out, n, s),
		Coords: map[string]data.Array{"x": data.NewArray(x, s)},
		Meta:   data.Meta{Preset: "burgers-periodic", PDE: "burgers", Axes: []string{"x"}, Samples: n},
	}
}

// trained returns run directories of a tiny FNO and a tiny DeepONet
// trained for a few steps on periodicSet, with their cards, made once.
var trained = sync.OnceValues(func() (map[string]string, error) {
	root, err := tempRoot()
	if err != nil {
		return nil, err
	}
	ds := periodicSet(8, 32, 1)
	dirs := map[string]string{"fno": root + "/fno", "deeponet": root + "/deeponet"}
	fc := fno.DefaultConfig()
	fc.Width, fc.Modes, fc.Layers, fc.ProjWidth, fc.Epochs, fc.BatchSize = 4, 4, 1, 8, 1, 4
	if _, err := fno.Train(context.Background(), fc, ds, dirs["fno"], nil); err != nil {
		return nil, err
	}
	dc := deeponet.DefaultConfig()
	dc.Branch, dc.Trunk, dc.Basis, dc.Steps, dc.EvalEvery = []int{8}, []int{8}, 8, 5, 5
	if _, err := deeponet.Train(context.Background(), dc, ds, dirs["deeponet"], nil); err != nil {
		return nil, err
	}
	for kind, dir := range dirs {
		c := NewCard(kind, "periodicSet", ds)
		c.TestRelL2 = Float(0.5)
		if err := WriteCard(dir, c); err != nil {
			return nil, err
		}
	}
	return dirs, nil
})

func runDirs(t testing.TB) map[string]string {
	t.Helper()
	dirs, err := trained()
	if err != nil {
		t.Fatal(err)
	}
	return dirs
}

// TestPredictMatchesEvaluate checks that a Surrogate answers what the
// model's own Evaluate does on the dataset (so the card's grid rebuilds
// the training coordinates), for a batch and for one field.
func TestPredictMatchesEvaluate(t *testing.T) {
	dirs := runDirs(t)
	ds := periodicSet(3, 32, 7)
	fe, err := fno.Evaluate(dirs["fno"], ds, 0)
	if err != nil {
		t.Fatal(err)
	}
	de, err := deeponet.Evaluate(dirs["deeponet"], ds)
	if err != nil {
		t.Fatal(err)
	}
	for kind, want := range map[string]data.Array{"fno": fe.Predictions, "deeponet": de.Predictions} {
		s, err := Load(dirs[kind])
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Predict(ds.Inputs)
		if err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		if fmt.Sprint(got.Shape) != fmt.Sprint(want.Shape) {
			t.Fatalf("%s: shape %v, want %v", kind, got.Shape, want.Shape)
		}
		for i := range want.Data {
			if math.Abs(got.Data[i]-want.Data[i]) > 1e-12 {
				t.Fatalf("%s: value %d is %g, Evaluate gave %g", kind, i, got.Data[i], want.Data[i])
			}
		}
		one, err := s.Predict(data.NewArray(ds.Inputs.Data[32:64], 32))
		if err != nil || len(one.Shape) != 1 || math.Abs(one.Data[5]-want.Data[32+5]) > 1e-12 {
			t.Errorf("%s: one field gave shape %v (%v)", kind, one.Shape, err)
		}
	}
}

func TestLoadRefusesPINN(t *testing.T) {
	if _, err := Load(t.TempDir()); err == nil || !strings.Contains(err.Error(), "no checkpoint") {
		t.Errorf("Load of an empty directory: %v", err)
	}
}

func TestNPYRoundTrip(t *testing.T) {
	for _, a := range []data.Array{data.NewArray([]float64{1, -2.5, 3}, 3), data.NewArray([]float64{1, 2, 3, 4, 5, 6}, 2, 3)} {
		var b bytes.Buffer
		if err := WriteNPY(&b, a); err != nil {
			t.Fatal(err)
		}
		if (b.Len()-8*len(a.Data))%64 != 0 {
			t.Errorf("data starts at %d, not a multiple of 64", b.Len()-8*len(a.Data))
		}
		got, err := ReadNPY(b.Bytes())
		if err != nil || fmt.Sprint(got) != fmt.Sprint(a) {
			t.Errorf("round trip of %v gave %v (%v)", a, got, err)
		}
	}
	// A float32 array laid out as numpy.save writes np.array([1.5, -2], 'f4').
	h := "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }"
	h += strings.Repeat(" ", 64-(10+len(h)+1)%64) + "\n"
	f32 := append([]byte("\x93NUMPY\x01\x00"), byte(len(h)), 0)
	f32 = append(append(f32, h...), "\x00\x00\xc0?\x00\x00\x00\xc0"...)
	if got, err := ReadNPY(f32); err != nil || fmt.Sprint(got.Data) != "[1.5 -2]" {
		t.Errorf("float32: %v (%v)", got, err)
	}
	bad := map[string][]byte{
		"not npy":      []byte("hello world"),
		"big-endian":   bytes.Replace(f32, []byte("<f4"), []byte(">f4"), 1),
		"fortran":      bytes.Replace(f32, []byte("False"), []byte("True "), 1),
		"complex":      bytes.Replace(f32, []byte("<f4"), []byte("<c8"), 1),
		"truncated":    f32[:len(f32)-2],
		"wrong shape":  bytes.Replace(f32, []byte("(2,)"), []byte("(3,)"), 1),
		"short header": f32[:20],
	}
	for name, b := range bad {
		if _, err := ReadNPY(b); !IsInputError(err) {
			t.Errorf("%s: error %v, want an input error", name, err)
		}
	}
}

func npyBody(t testing.TB, a data.Array) string {
	var b bytes.Buffer
	if err := WriteNPY(&b, a); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestHandler(t *testing.T) {
	dirs := runDirs(t)
	pool, err := NewPool(dirs["fno"], 2)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(NewHandler(pool, &Options{MaxBodyBytes: 64 << 10, MaxSamples: 8}))
	defer srv.Close()
	ds := periodicSet(2, 32, 3)
	field := ds.Inputs.Data[:32]
	jsonOf := func(v any) string { b, _ := json.Marshal(v); return string(b) }
	nan := append([]float64(nil), ds.Inputs.Data...)
	nan[7] = math.NaN()
	cases := []struct {
		name, method, path, ctype, accept, body string
		code                                    int
		want                                    string
	}{
		{"health", "GET", "/healthz", "", "", "", 200, `"ok"`},
		{"card", "GET", "/model", "", "", "", 200, `"kind":"fno"`},
		{"card test error", "GET", "/model", "", "", "", 200, `"test_rel_l2":0.5`},
		{"json batch", "POST", "/predict", "application/json", "", jsonOf(map[string]any{"inputs": [][]float64{field, field}}), 200, `"shape":[2,32]`},
		{"json one field", "POST", "/predict", "application/json; charset=utf-8", "", jsonOf(map[string]any{"inputs": field}), 200, `"shape":[32]`},
		{"zero-shot grid", "POST", "/predict", "application/json", "", jsonOf(map[string]any{"inputs": [][]float64{make([]float64, 64)}}), 200, `"shape":[1,64]`},
		{"npy", "POST", "/predict", "application/x-npy", "", npyBody(t, ds.Inputs), 200, `"shape":[2,32]`},
		{"npy answer", "POST", "/predict", "application/octet-stream", "application/x-npy", npyBody(t, ds.Inputs), 200, "\x93NUMPY"},
		{"wrong content type", "POST", "/predict", "text/plain", "", "1 2 3", 415, "Content-Type"},
		{"no content type", "POST", "/predict", "", "", "{}", 415, "Content-Type"},
		{"oversized body", "POST", "/predict", "application/json", "", `{"inputs": [` + strings.Repeat("0,", 40000) + `0]}`, 413, "larger than the limit of 65536 bytes"},
		{"too many samples", "POST", "/predict", "application/x-npy", "", npyBody(t, data.NewArray(make([]float64, 9*8), 9, 8)), 413, "limit is 8"},
		{"wrong rank", "POST", "/predict", "application/json", "", `{"inputs": [[[1,2],[3,4]]]}`, 422, "takes fields of 1 axes"},
		{"grid too small", "POST", "/predict", "application/json", "", `{"inputs": [[1,2,3]]}`, 422, "needs at least 8 grid points"},
		{"NaN", "POST", "/predict", "application/x-npy", "", npyBody(t, data.NewArray(nan, 2, 32)), 422, "must be finite"},
		{"ragged", "POST", "/predict", "application/json", "", `{"inputs": [[1,2],[3]]}`, 400, "not rectangular"},
		{"strings", "POST", "/predict", "application/json", "", `{"inputs": [["NaN"]]}`, 400, "where a number belongs"},
		{"unknown key", "POST", "/predict", "application/json", "", `{"input": [1]}`, 400, `unknown field \"input\"`},
		{"not npy", "POST", "/predict", "application/x-npy", "", "hello", 400, "NumPy magic"},
		{"wrong method", "GET", "/predict", "", "", "", 405, "use POST"},
	}
	for _, c := range cases {
		req, _ := http.NewRequest(c.method, srv.URL+c.path, strings.NewReader(c.body))
		if c.ctype != "" {
			req.Header.Set("Content-Type", c.ctype)
		}
		if c.accept != "" {
			req.Header.Set("Accept", c.accept)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != c.code || !strings.Contains(string(body), c.want) {
			t.Errorf("%s: %d %.200s; want %d with %q", c.name, resp.StatusCode, body, c.code, c.want)
		}
	}
}

// TestConcurrent sends many requests at once through a pool of two and
// checks every answer against the serial one.
func TestConcurrent(t *testing.T) {
	dirs := runDirs(t)
	for _, kind := range []string{"fno", "deeponet"} {
		pool, err := NewPool(dirs[kind], 2)
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(NewHandler(pool, nil))
		ds := periodicSet(16, 32, 11)
		s, _ := Load(dirs[kind])
		want := make([]data.Array, 16)
		for i := range want {
			want[i], _ = s.Predict(data.NewArray(ds.Inputs.Data[i*32:(i+1)*32], 1, 32))
		}
		var wg sync.WaitGroup
		errs := make(chan error, 16)
		for i := range 16 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				in := data.NewArray(ds.Inputs.Data[i*32:(i+1)*32], 1, 32)
				for range 3 {
					resp, err := http.Post(srv.URL+"/predict", NPYType, strings.NewReader(npyBody(t, in)))
					if err != nil {
						errs <- err
						return
					}
					var got struct{ Outputs [][]float64 }
					err = json.NewDecoder(resp.Body).Decode(&got)
					resp.Body.Close()
					if err != nil || len(got.Outputs) != 1 || got.Outputs[0][9] != want[i].Data[9] {
						errs <- fmt.Errorf("%s request %d: %v, %v", kind, i, err, got.Outputs)
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		srv.Close()
	}
}

func TestTimeout(t *testing.T) {
	pool, err := NewPool(runDirs(t)["fno"], 1)
	if err != nil {
		t.Fatal(err)
	}
	// Hold the only model so the request waits for it past its deadline.
	held := <-pool.free
	defer func() { pool.free <- held }()
	srv := httptest.NewServer(NewHandler(pool, &Options{Timeout: 20 * time.Millisecond}))
	defer srv.Close()
	resp, err := http.Post(srv.URL+"/predict", JSONType, strings.NewReader(`{"inputs": [`+strings.Repeat("0,", 31)+`0]}`))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(body), "deadline") {
		t.Errorf("%d %s; want 503 naming the deadline", resp.StatusCode, body)
	}
}
