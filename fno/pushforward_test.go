package fno

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/neuralpde/neuralpde/data"
)

// seriesDataset returns n random smooth-ish time series of T snapshots on
// an s × s grid (inputs: the first snapshot's shape, unused).
func seriesDataset(rng *rand.Rand, n, T, s int) *data.Dataset {
	u := make([]float64, n*T*s*s)
	for i := range n {
		a, b := rng.NormFloat64(), rng.NormFloat64()
		for t := range T {
			for j := range s * s {
				x, y := float64(j/s)/float64(s), float64(j%s)/float64(s)
				u[((i*T+t)*s*s)+j] = math.Sin(2*math.Pi*x+a+0.3*float64(t)) + math.Cos(2*math.Pi*y+b-0.2*float64(t)) + 0.05*rng.NormFloat64()
			}
		}
	}
	return &data.Dataset{Inputs: data.NewArray(make([]float64, n*s*s), n, s, s), Outputs: data.NewArray(u, n, T, s, s), Meta: data.Meta{Format: data.FormatVersion, Samples: n}}
}

// newTestPushforward returns a random recurrent model of history k on
// ds's series and its pushforward objective of u steps.
func newTestPushforward(t *testing.T, ds *data.Dataset, k, u int, seed uint64) (*pushforward, *Trained) {
	t.Helper()
	w, err := Windows(ds.Outputs, k)
	if err != nil {
		t.Fatal(err)
	}
	w.Coords, _ = coordinates(ds, w.Grid)
	c := &Config{Width: 4, Modes: 2, Layers: 2, ProjWidth: 5, History: k, BatchSize: 3, Seed: seed}
	m, err := NewModel(c, 2, k, 1, rand.New(rand.NewPCG(seed, 1)))
	if err != nil {
		t.Fatal(err)
	}
	one := fitNormalizer(w.U, 1)
	in := Normalizer{Mean: make([]float64, k), Std: make([]float64, k)}
	for j := range k {
		in.Mean[j], in.Std[j] = one.Mean[0]+0.3, 1.7*one.Std[0] // unlike the output normaliser, to tell them apart
	}
	obj, err := NewObjective(m, w, in, one, "l2")
	if err != nil {
		t.Fatal(err)
	}
	return newPushforward(obj, ds.Outputs.Data, ds.Outputs.Shape[1], u, seed), &Trained{Model: m, InNorm: in, OutNorm: one, Recurrent: true}
}

// TestPushforwardWindows checks which inputs of the pushforward windows
// are true and which predicted: with every weight zero the model predicts
// its output normaliser's mean everywhere, so a window of target t rolled
// r steps must read the true snapshots t−k … t−r−1 and then r copies of
// the mean, r = min(depth, t − k) (the first windows of a series roll
// from its start); with random weights, every window must equal the last
// k snapshots of the autoregressive rollout (evaluateRollout) from the
// true snapshots t−k−r … t−r−1; and a window rolled 0 steps must get its
// true inputs back.
func TestPushforwardWindows(t *testing.T) {
	const n, T, s, k = 3, 8, 8, 3
	ds := seriesDataset(rand.New(rand.NewPCG(3, 4)), n, T, s)
	p := s * s
	per := T - k
	windowOf := func(pf *pushforward, w int) []float64 { return pf.obj.s.A[w*p*k : (w+1)*p*k] }
	for _, depth := range []int{1, 2, 4} {
		pf, tm := newTestPushforward(t, ds, k, depth, 1)
		all := make([]int, pf.NumSamples())
		d := make([]int, len(all))
		for w := range all {
			all[w], d[w] = w, min(depth, w%per)
		}
		// Random weights: the windows are rollouts.
		pf.roll(all, d)
		for w := range all {
			i, tt, r := w/per, k+w%per, d[w]
			got := windowOf(pf, w)
			if r == 0 {
				for c := range k {
					for j := range p {
						if got[j*k+c] != ds.Outputs.Data[(i*T+tt-k+c)*p+j] {
							t.Fatalf("depth %d, window %d (target %d): the first window of a series changed", depth, w, tt)
						}
					}
				}
				continue
			}
			sub := &data.Dataset{Inputs: data.NewArray(make([]float64, p), 1, s, s),
				Outputs: data.NewArray(append([]float64(nil), ds.Outputs.Data[(i*T+tt-k-r)*p:(i*T+tt)*p]...), 1, k+r, s, s)}
			ev, err := tm.evaluateRollout(sub)
			if err != nil {
				t.Fatal(err)
			}
			for c := range k {
				for j := range p {
					want := ev.Predictions.Data[(r+c)*p+j]
					if math.Abs(got[j*k+c]-want) > 1e-12*math.Max(1, math.Abs(want)) {
						t.Fatalf("depth %d, window %d (target %d), channel %d: %g, the rollout's %g", depth, w, tt, c, got[j*k+c], want)
					}
				}
			}
		}
		// Zero weights: predictions are the output mean.
		for _, q := range pf.Params() {
			clear(q.Value)
		}
		pf.roll(all, d)
		mean := tm.OutNorm.Mean[0]
		for w := range all {
			i, tt, r := w/per, k+w%per, d[w]
			got := windowOf(pf, w)
			for c := range k {
				snap := tt - k + c // the snapshot channel c holds
				for j := range p {
					want := ds.Outputs.Data[(i*T+snap)*p+j]
					if snap >= tt-r {
						want = mean
					}
					if got[j*k+c] != want {
						t.Fatalf("depth %d, window %d (target %d), snapshot %d: %g, want %g (predicted from %d on)", depth, w, tt, snap, got[j*k+c], want, tt-r)
					}
				}
			}
		}
		// Depth 0 restores the teacher-forced windows.
		tf, err := Windows(ds.Outputs, k)
		if err != nil {
			t.Fatal(err)
		}
		pf.stamp = make([]int, len(all))
		for w := range pf.stamp {
			pf.stamp[w] = 1
		}
		pf.prepare(nil) // epoch 0: depth 0 everywhere
		for j, v := range tf.A {
			if pf.obj.s.A[j] != v {
				t.Fatalf("depth %d: prepare at epoch 0 left pushforward inputs at %d", depth, j)
			}
		}
	}
}

// TestPushforwardDraws checks the draws of the unrolled depth: zero in the
// first epoch, then uniform on 0 … min(u, epoch), the same for the same
// seed and step.
func TestPushforwardDraws(t *testing.T) {
	pf := &pushforward{u: 2, seed: 9}
	count := make([]int, 3)
	for epoch := range 4 {
		for step := range 600 {
			pf.step, pf.epoch = step, epoch
			r := pf.unrolls()
			if r > min(2, epoch) || r != pf.unrolls() {
				t.Fatalf("epoch %d, step %d: depth %d", epoch, step, r)
			}
			if epoch == 3 {
				count[r]++
			}
		}
	}
	for r, c := range count {
		if c < 150 || c > 250 {
			t.Errorf("depth %d drawn %d times of 600; want about 200", r, c)
		}
	}
}

// TestPushforwardGradient checks the pushforward objective's gradient
// against central differences: within a step the rolled inputs are held
// fixed (the unrolled steps are a stop-gradient), so the loss is a fixed
// function of the weights whose gradient Loss returns; the next step
// recomputes the inputs with the changed weights.
func TestPushforwardGradient(t *testing.T) {
	const k = 2
	ds := seriesDataset(rand.New(rand.NewPCG(5, 6)), 2, 6, 8)
	pf, _ := newTestPushforward(t, ds, k, 2, 3)
	pf.epoch = 2
	for pf.unrolls() != 2 {
		pf.step++
	}
	batch := []int{3, 0, 7}
	if _, err := pf.Loss(batch); err != nil {
		t.Fatal(err)
	}
	a := append([]float64(nil), pf.obj.s.A...)
	params := pf.Params()
	grads := make([][]float64, len(params))
	for j, q := range params {
		grads[j] = append([]float64(nil), q.Grad...)
	}
	const h = 1e-6
	for j, q := range params {
		for i := 0; i < len(q.Value); i += 1 + len(q.Value)/5 {
			old := q.Value[i]
			q.Value[i] = old + h
			lp, _ := pf.LossOnly(batch)
			q.Value[i] = old - h
			lm, _ := pf.LossOnly(batch)
			q.Value[i] = old
			fd := (lp - lm) / (2 * h)
			if math.Abs(fd-grads[j][i]) > 1e-6*math.Max(1, math.Abs(fd)) {
				t.Errorf("%s[%d]: gradient %g, finite differences %g", q.Name, i, grads[j][i], fd)
			}
		}
	}
	for j, v := range a {
		if pf.obj.s.A[j] != v {
			t.Fatal("the inputs changed within a step")
		}
	}
	// The next step (same depth) rolls with the changed weights.
	params[0].Value[0] += 0.1
	for pf.step++; pf.unrolls() != 2; pf.step++ {
	}
	if _, err := pf.LossOnly(batch); err != nil {
		t.Fatal(err)
	}
	w := 3 // target 5 of series 0: rolled 2 steps
	p := 64
	same := true
	for j := w * p * k; j < (w+1)*p*k; j++ {
		same = same && pf.obj.s.A[j] == a[j]
	}
	if same {
		t.Error("the next step kept the last step's inputs")
	}
}

// TestPushforwardTrain checks training with the pushforward trick: with
// u = 0 the losses are those of plain teacher forcing, bit for bit; with
// u = 2 the first epoch (depth 0) is too, and the second is not; the
// rollout error is reported; a run can start from a checkpoint (Init);
// and bad values fail with errors that name them.
func TestPushforwardTrain(t *testing.T) {
	const n, T, s = 6, 6, 8
	ds := seriesDataset(rand.New(rand.NewPCG(7, 8)), n, T, s)
	base := Config{Width: 4, Modes: 2, Layers: 1, ProjWidth: 4, History: 2, Epochs: 2, BatchSize: 4, Test: 2, Seed: 5, LearningRate: 1e-2}
	run := func(c Config) *Result {
		t.Helper()
		res, err := Train(context.Background(), &c, ds, t.TempDir(), nil)
		if err != nil {
			t.Fatalf("pushforward %d: %v", c.Pushforward, err)
		}
		return res
	}
	tf := run(base)
	zero := base
	zero.Pushforward = 0
	if got := run(zero).Train.Losses; !slices.Equal(got, tf.Train.Losses) {
		t.Errorf("pushforward 0: losses %v, teacher forcing's %v", got, tf.Train.Losses)
	}
	pfc := base
	pfc.Pushforward = 2
	pf := run(pfc)
	perEpoch := (4*(T-2) + 3) / 4
	if len(pf.Train.Losses) != 2*perEpoch || !slices.Equal(pf.Train.Losses[:perEpoch], tf.Train.Losses[:perEpoch]) {
		t.Errorf("pushforward 2, first epoch: losses %v, teacher forcing's %v", pf.Train.Losses, tf.Train.Losses)
	}
	if slices.Equal(pf.Train.Losses[perEpoch:], tf.Train.Losses[perEpoch:]) {
		t.Error("pushforward 2: the second epoch trained on teacher-forced windows only")
	}
	if math.IsNaN(pf.TestRelL2) || !pf.Recurrent {
		t.Errorf("pushforward 2: recurrent %v, rollout error %g", pf.Recurrent, pf.TestRelL2)
	}
	// Fine-tuning a teacher-forced model with the pushforward trick, with
	// another optimizer of the suite.
	dir := t.TempDir()
	if _, err := Train(context.Background(), &base, ds, dir, nil); err != nil {
		t.Fatal(err)
	}
	ft := Config{Init: dir, Pushforward: 3, Epochs: 4, BatchSize: 4, Test: 2, Optimizer: "adamw", LearningRate: 1e-3}
	if res := run(ft); math.IsNaN(res.TestRelL2) || res.Train.Epochs != 4 {
		t.Errorf("fine-tuning with pushforward 3: %d epochs, rollout error %g", res.Train.Epochs, res.TestRelL2)
	}
	for _, tc := range []struct {
		name string
		cfg  Config
		want string
	}{
		{"negative", Config{History: 2, Pushforward: -1}, "negative"},
		{"k+u=T", Config{History: 2, Pushforward: 4}, "at most 3"},
		{"k+u>T", Config{History: 4, Pushforward: 3}, "at most 1"},
		{"full batch", Config{History: 2, Pushforward: 1, Optimizer: "lbfgs"}, "mini-batch"},
	} {
		c := tc.cfg
		c.Width, c.Modes, c.Layers, c.ProjWidth, c.Epochs, c.Test = 4, 2, 1, 4, 1, 2
		if _, err := Train(context.Background(), &c, ds, t.TempDir(), nil); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error containing %q", tc.name, err, tc.want)
		}
	}
}
