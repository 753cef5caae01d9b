package fno

import (
	"context"
	"math"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/neuralpde/neuralpde/data"
)

// smoothSamples returns n samples on grid of band-limited random inputs
// and outputs (a smooth nonlinear map of the input), with coordinates.
func smoothSamples(rng *rand.Rand, n int, grid []int, in int) *Samples {
	p := 1
	for _, g := range grid {
		p *= g
	}
	s := &Samples{N: n, Grid: grid, In: in, Out: 1, A: make([]float64, n*p*in), U: make([]float64, n*p)}
	s.Coords, _ = coordinates(&data.Dataset{}, grid)
	for i := range n {
		c := [4]float64{rng.NormFloat64(), rng.NormFloat64(), rng.NormFloat64(), rng.NormFloat64()}
		for j := range p {
			x := float64(j%grid[len(grid)-1]) / float64(grid[len(grid)-1])
			y := 0.0
			if len(grid) == 2 {
				y = float64(j/grid[1]) / float64(grid[0])
			}
			v := c[0]*math.Sin(2*math.Pi*x) + c[1]*math.Cos(2*math.Pi*(x+y)) + c[2]*math.Sin(4*math.Pi*y)
			for ch := range in {
				s.A[(i*p+j)*in+ch] = v + 0.1*float64(ch)
			}
			s.U[i*p+j] = math.Tanh(v) + c[3]
		}
	}
	return s
}

// TestObjectiveGradient checks the FNO's loss gradient (every parameter
// block: lifting, spectral, skip, projection) against central differences,
// in 1-D and 2-D, with and without padding, for both losses.
func TestObjectiveGradient(t *testing.T) {
	for _, tc := range []struct {
		name string
		grid []int
		cfg  Config
		in   int
		tol  float64
	}{
		{"1d l2", []int{16}, Config{Width: 4, Modes: 3, Layers: 2, ProjWidth: 5}, 1, 1e-6},
		{"1d h1 padded", []int{12}, Config{Width: 3, Modes: 4, Layers: 2, ProjWidth: 4, Padding: 3, Loss: "h1"}, 2, 1e-6},
		{"2d l2 padded", []int{8, 6}, Config{Width: 3, Modes: 2, Layers: 2, ProjWidth: 4, Padding: 2}, 1, 1e-6},
		{"2d h1", []int{6, 8}, Config{Width: 3, Modes: 3, Layers: 2, ProjWidth: 3, Loss: "h1"}, 3, 1e-6},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(7, 8))
			m, err := NewModel(&tc.cfg, len(tc.grid), tc.in, 1, rng)
			if err != nil {
				t.Fatal(err)
			}
			// Spectral weights of unit size, so the blocks are not near-linear.
			for _, p := range m.Params() {
				for i := range p.Value {
					p.Value[i] = 0.5 * rng.NormFloat64()
				}
			}
			s := smoothSamples(rng, 3, tc.grid, tc.in)
			obj, err := NewObjective(m, s, fitNormalizer(s.A, tc.in), fitNormalizer(s.U, 1), m.cfg.Loss)
			if err != nil {
				t.Fatal(err)
			}
			batch := []int{2, 0}
			if _, err := obj.Loss(batch); err != nil {
				t.Fatal(err)
			}
			grads := make([][]float64, len(m.Params()))
			for k, p := range m.Params() {
				grads[k] = append([]float64(nil), p.Grad...)
			}
			const h = 1e-6
			for k, p := range m.Params() {
				for i := 0; i < len(p.Value); i += 1 + len(p.Value)/7 {
					old := p.Value[i]
					p.Value[i] = old + h
					lp, _ := obj.Loss(batch)
					p.Value[i] = old - h
					lm, _ := obj.Loss(batch)
					p.Value[i] = old
					fd := (lp - lm) / (2 * h)
					if math.Abs(fd-grads[k][i]) > tc.tol*math.Max(1, math.Abs(fd)) {
						t.Errorf("%s[%d]: gradient %g, finite differences %g", p.Name, i, grads[k][i], fd)
					}
				}
			}
		})
	}
}

// TestAnyGrid checks that the same weights run on any grid: on a smooth
// input the outputs on 32, 64 and 128 points agree at the shared points
// (up to the aliasing of the pointwise nonlinearities, which shrinks as
// the grid is refined), and that a grid too small for the modes is refused.
func TestAnyGrid(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for _, dim := range []int{1, 2} {
		m, err := NewModel(&Config{Width: 8, Modes: 4, Layers: 2, ProjWidth: 8}, dim, 1, 1, rng)
		if err != nil {
			t.Fatal(err)
		}
		norm := Normalizer{Mean: []float64{0}, Std: []float64{1}}
		predict := func(n int) []float64 {
			grid := []int{n}
			if dim == 2 {
				grid = []int{n, n}
			}
			s := smoothSamples(rand.New(rand.NewPCG(1, 1)), 1, grid, 1)
			s.U = nil
			obj, err := NewObjective(m, s, norm, norm, "l2")
			if err != nil {
				t.Fatal(err)
			}
			p, _ := obj.predict(nil)
			return p
		}
		var prev float64 = math.Inf(1)
		ref := predict(128)
		for _, n := range []int{16, 32, 64} {
			y := predict(n)
			r := 128 / n
			var d float64
			for j := range y {
				jj := j * r
				if dim == 2 {
					jj = (j/n)*r*128 + (j%n)*r
				}
				d = math.Max(d, math.Abs(y[j]-ref[jj]))
			}
			if d > 0.05 || d > prev {
				t.Errorf("%d-D: max difference %g between %d and 128 points (previous grid: %g)", dim, d, n, prev)
			}
			prev = d
		}
		grid := []int{7}
		if dim == 2 {
			grid = []int{7, 7}
		}
		if err := m.CheckGrid(grid); err == nil {
			t.Errorf("%d-D: CheckGrid accepted a 7-point axis for 4 modes", dim)
		}
	}
}

// TestTrainLoadEvaluate trains a small FNO-1D on a synthetic dataset for a
// few epochs, checks that the loss fell, and that Load + Evaluate give the
// test error Train reported, at the training resolution and thinned.
func TestTrainLoadEvaluate(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	const n, pts = 40, 33
	s := smoothSamples(rng, n, []int{pts}, 1)
	ds := &data.Dataset{Inputs: data.NewArray(s.A, n, pts), Outputs: data.NewArray(s.U, n, pts), Meta: data.Meta{Format: data.FormatVersion, Samples: n}}
	dir := filepath.Join(t.TempDir(), "run")
	cfg := &Config{Width: 8, Modes: 4, Layers: 2, ProjWidth: 8, Epochs: 15, BatchSize: 5, Test: 10, LearningRate: 1e-2}
	res, err := Train(context.Background(), cfg, ds, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !res.UniformGrid {
		t.Error("data without coordinates did not report a uniform grid")
	}
	if first, last := res.Train.Losses[0], res.Train.Loss; !(last < 0.7*first) {
		t.Errorf("training loss went from %g to %g; want a fall by 30%%", first, last)
	}
	te, err := ds.Slice(n-10, n)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := Evaluate(dir, te, 0)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(ev.RelL2-res.TestRelL2) > 1e-12 {
		t.Errorf("Evaluate gives %g, Train reported %g", ev.RelL2, res.TestRelL2)
	}
	if len(ev.Predictions.Data) != 10*pts {
		t.Errorf("%d predictions, want %d", len(ev.Predictions.Data), 10*pts)
	}
	ev, err = Evaluate(dir, te, 17)
	if err != nil {
		t.Fatal(err)
	}
	if ev.Grid[0] != 17 || math.IsNaN(ev.RelL2) || ev.RelL2 > 1 {
		t.Errorf("thinned to 17 points: grid %v, rel L2 %g", ev.Grid, ev.RelL2)
	}
	if _, err := Evaluate(dir, te, 5); err == nil {
		t.Error("Evaluate at 5 points (fewer than twice the modes) did not fail")
	}
}

// TestRecurrent trains a small recurrent FNO-2D on a short time series and
// checks the rollout's shape, that the given snapshots are kept, and that
// Windows pairs snapshots as documented.
func TestRecurrent(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	const n, T, s = 6, 5, 8
	u := make([]float64, n*T*s*s)
	for i := range u {
		u[i] = math.Sin(float64(i%(s*s))) + 0.1*rng.NormFloat64()
	}
	ds := &data.Dataset{Inputs: data.NewArray(make([]float64, n*s*s), n, s, s), Outputs: data.NewArray(u, n, T, s, s), Meta: data.Meta{Format: data.FormatVersion, Samples: n}}
	w, err := Windows(ds.Outputs, 3)
	if err != nil {
		t.Fatal(err)
	}
	if w.N != n*(T-3) || w.In != 3 {
		t.Fatalf("Windows: %d samples of %d channels, want %d of 3", w.N, w.In, n*(T-3))
	}
	// Window 1 of sample 0 reads snapshots 1, 2, 3 and targets snapshot 4.
	if w.A[(1*s*s+5)*3+2] != u[3*s*s+5] || w.U[1*s*s+5] != u[4*s*s+5] {
		t.Error("Windows pairs the wrong snapshots")
	}
	dir := t.TempDir()
	res, err := Train(context.Background(), &Config{Width: 4, Modes: 2, Layers: 1, ProjWidth: 4, History: 3, Epochs: 2, BatchSize: 4, Test: 2}, ds, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Recurrent || math.IsNaN(res.TestRelL2) {
		t.Fatalf("recurrent %v, rollout error %g", res.Recurrent, res.TestRelL2)
	}
	te, _ := ds.Slice(n-2, n)
	ev, err := Evaluate(dir, te, 0)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(ev.RelL2-res.TestRelL2) > 1e-12 {
		t.Errorf("Evaluate's rollout error %g, Train's %g", ev.RelL2, res.TestRelL2)
	}
	for j := range 3 * s * s {
		if ev.Predictions.Data[j] != te.Outputs.Data[j] {
			t.Fatal("the rollout changed the given snapshots")
		}
	}
}

// TestHeldOut checks the forward-only evaluation that train.Run's held-out
// objective uses: the same loss as the training objective's Loss on all
// samples and on a batch, with every Param.Grad left as it was, and a
// smaller workspace.
func TestHeldOut(t *testing.T) {
	for _, tc := range []struct {
		name string
		grid []int
		cfg  Config
	}{
		{"1d", []int{24}, Config{Width: 6, Modes: 4, Layers: 3, ProjWidth: 5, BatchSize: 3}},
		{"2d padded", []int{10, 8}, Config{Width: 4, Modes: 3, Layers: 2, ProjWidth: 6, Padding: 2, BatchSize: 4}},
		{"one layer", []int{12}, Config{Width: 4, Modes: 3, Layers: 1, ProjWidth: 4, BatchSize: 5}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(21, 22))
			m, err := NewModel(&tc.cfg, len(tc.grid), 1, 1, rng)
			if err != nil {
				t.Fatal(err)
			}
			s := smoothSamples(rng, 7, tc.grid, 1)
			obj, err := NewObjective(m, s, fitNormalizer(s.A, 1), fitNormalizer(s.U, 1), "l2")
			if err != nil {
				t.Fatal(err)
			}
			for _, batch := range [][]int{nil, {4, 1}} {
				want, err := obj.Loss(batch)
				if err != nil {
					t.Fatal(err)
				}
				withGrad := tapeBytes(&m.t)
				for _, p := range m.Params() {
					for i := range p.Grad {
						p.Grad[i] = 42
					}
				}
				m.t = tape{} // a fresh workspace, to measure the forward pass's own
				got, err := obj.LossOnly(batch)
				if err != nil {
					t.Fatal(err)
				}
				if math.Abs(got-want) > 1e-14*want {
					t.Errorf("batch %v: forward-only loss %.17g, Loss %.17g", batch, got, want)
				}
				for _, p := range m.Params() {
					for _, g := range p.Grad {
						if g != 42 {
							t.Fatalf("batch %v: the forward-only loss changed %s.Grad", batch, p.Name)
						}
					}
				}
				if forward := tapeBytes(&m.t); forward >= withGrad {
					t.Errorf("batch %v: forward-only workspace %d bytes, with the gradient %d", batch, forward, withGrad)
				}
			}
			// The training step after a forward-only pass still has its
			// gradient (the workspace regrows).
			if _, err := obj.Loss([]int{0, 2}); err != nil {
				t.Fatal(err)
			}
		})
	}
}
