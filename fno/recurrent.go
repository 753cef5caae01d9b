package fno

import (
	"context"
	"fmt"
	"io"
	"math"
	"time"

	"github.com/neuralpde/neuralpde/data"
	"github.com/neuralpde/neuralpde/train"
)

// isTimeSeries reports whether ds's outputs have a time axis after the
// sample axis: inputs (n, s1, s2), outputs (n, T, s1, s2).
func isTimeSeries(ds *data.Dataset) bool {
	in, out := ds.Inputs.Shape, ds.Outputs.Shape
	return len(in) == 3 && len(out) == 4 && out[2] == in[1] && out[3] == in[2]
}

// Windows returns the teacher-forced training pairs of a time series:
// for every sample of u (n × T × s1 × s2) and every t in [k, T), the
// snapshots t−k … t−1 as k channels and snapshot t as the target.
func Windows(u data.Array, k int) (*Samples, error) {
	if len(u.Shape) != 4 {
		return nil, fmt.Errorf("fno: time series of shape %v; want (n, T, s1, s2)", u.Shape)
	}
	n, T, s1, s2 := u.Shape[0], u.Shape[1], u.Shape[2], u.Shape[3]
	if k < 1 || k >= T {
		return nil, fmt.Errorf("fno: history of %d snapshots needs between 1 and %d of the series' %d", k, T-1, T)
	}
	p := s1 * s2
	per := T - k
	s := &Samples{N: n * per, Grid: []int{s1, s2}, In: k, Out: 1, A: make([]float64, n*per*p*k), U: make([]float64, n*per*p)}
	for i := range n {
		for t := k; t < T; t++ {
			w := i*per + t - k
			for c := range k {
				snap := u.Data[(i*T+t-k+c)*p : (i*T+t-k+c+1)*p]
				for j, v := range snap {
					s.A[(w*p+j)*k+c] = v
				}
			}
			copy(s.U[w*p:(w+1)*p], u.Data[(i*T+t)*p:(i*T+t+1)*p])
		}
	}
	return s, nil
}

// trainRecurrent trains a recurrent FNO-2D (Li et al. 2021, §5.3, the
// FNO-2D that maps the last k snapshots to the next) on the one-step
// windows of ds's first samples and measures the autoregressive rollout
// error on the held-out ones. A model to start from (init) keeps its
// normalisers.
func trainRecurrent(ctx context.Context, c *Config, init *Trained, ds *data.Dataset, outDir string, progress io.Writer) (*Result, error) {
	n := ds.Len()
	if c.Test >= n {
		return nil, fmt.Errorf("fno: test of %d samples leaves none of the %d to train on", c.Test, n)
	}
	nt := n - c.Test
	if c.Train > 0 {
		nt = min(nt, c.Train)
	}
	trainDS, err := ds.Slice(0, nt)
	if err != nil {
		return nil, err
	}
	tr, err := Windows(trainDS.Outputs, c.History)
	if err != nil {
		return nil, err
	}
	if err := checkPushforward(c, ds.Outputs.Shape[1]); err != nil {
		return nil, err
	}
	coords, uniform := coordinates(ds, tr.Grid)
	tr.Coords = coords
	if progress != nil && uniform {
		fmt.Fprintln(progress, "fno: the data carry no coordinates; using a uniform grid over the unit square")
	}
	tm, err := startFrom(init, c, 2, c.History, 1, tr)
	if err != nil {
		return nil, err
	}
	if init == nil {
		// One normaliser for every snapshot, so a prediction fed back as
		// input is encoded as the data were.
		one := fitNormalizer(tr.U, 1)
		tm.OutNorm = one
		tm.InNorm = Normalizer{Mean: make([]float64, c.History), Std: make([]float64, c.History)}
		for j := range c.History {
			tm.InNorm.Mean[j], tm.InNorm.Std[j] = one.Mean[0], one.Std[0]
		}
		tm.Recurrent = true
	}
	var wrap objectiveWrapper
	if c.Pushforward > 0 {
		series, T := trainDS.Outputs.Data, trainDS.Outputs.Shape[1]
		wrap = func(obj *Objective) recordingObjective {
			return newPushforward(obj, series, T, c.Pushforward, c.Seed)
		}
	}
	res, err := fit(ctx, tm, tr, nil, c, outDir, progress, wrap)
	if err != nil {
		return nil, err
	}
	res.UniformGrid = uniform
	if c.Test > 0 {
		te, err := ds.Slice(n-c.Test, n)
		if err != nil {
			return nil, err
		}
		ev, err := tm.evaluateRollout(te)
		if err != nil {
			return nil, err
		}
		res.TestRelL2 = ev.RelL2
	}
	return res, nil
}

// checkPushforward returns an error unless c's pushforward fits series
// of T snapshots and c's optimizer: u unrolled steps need k + u < T (the
// last window, target T − 1, then rolls u steps from true snapshots), and
// the full-batch optimizers need the same loss at every step
// (train.Needs.FullBatch), which pushforward windows change by design.
func checkPushforward(c *Config, T int) error {
	u, k := c.Pushforward, c.History
	if u == 0 {
		return nil
	}
	if k+u >= T {
		return fmt.Errorf("fno: pushforward of %d steps with a history of %d snapshots needs series of more than %d snapshots, and these have %d; lower pushforward to at most %d", u, k, k+u, T, max(T-k-1, 0))
	}
	info, err := train.LookupOptimizer(c.Optimizer)
	if err != nil {
		return fmt.Errorf("fno: %w", err)
	}
	if info.FullBatch {
		return fmt.Errorf("fno: pushforward changes the training windows' inputs at every step, and %s needs the same loss at every step (line searches and curvature pairs compare steps); use a mini-batch optimizer (adam, adamw, shampoo, muon, …) or pushforward 0", info.Name)
	}
	return nil
}

// evaluateRollout rolls tm out on every sample of ds from its first k
// snapshots to the end of the series and returns the mean relative L2
// error of the predicted snapshots (all T − k of them together).
func (tm *Trained) evaluateRollout(ds *data.Dataset) (*Evaluation, error) {
	if !isTimeSeries(ds) {
		return nil, fmt.Errorf("fno: a recurrent model needs outputs (n, T, s1, s2) with inputs (n, s1, s2); got %v and %v", ds.Inputs.Shape, ds.Outputs.Shape)
	}
	m := tm.Model
	k := m.In
	n, T, s1, s2 := ds.Outputs.Shape[0], ds.Outputs.Shape[1], ds.Outputs.Shape[2], ds.Outputs.Shape[3]
	if T <= k {
		return nil, fmt.Errorf("fno: series of %d snapshots; the model reads %d and needs at least one more to predict", T, k)
	}
	grid := []int{s1, s2}
	if err := m.CheckGrid(grid); err != nil {
		return nil, err
	}
	coords, uniform := coordinates(ds, grid)
	p := s1 * s2
	u := ds.Outputs.Data
	pred := make([]float64, len(u))
	start := time.Now()
	bs := max(m.cfg.BatchSize, 1)
	win := make([]float64, bs*p*k)
	enc := make([]float64, bs*p*k)
	next := make([]float64, bs*p)
	var rel float64
	for i0 := 0; i0 < n; i0 += bs {
		B := min(bs, n-i0)
		for b := range B {
			i := i0 + b
			copy(pred[i*T*p:(i*T+k)*p], u[i*T*p:(i*T+k)*p])
			for c := range k {
				for j, v := range u[(i*T+c)*p : (i*T+c+1)*p] {
					win[(b*p+j)*k+c] = v
				}
			}
		}
		for t := k; t < T; t++ {
			tm.InNorm.encode(enc[:B*p*k], win[:B*p*k])
			out := m.forward(enc[:B*p*k], B, grid, coords, false)
			tm.OutNorm.decode(next[:B*p], out)
			for b := range B {
				i := i0 + b
				copy(pred[(i*T+t)*p:(i*T+t+1)*p], next[b*p:(b+1)*p])
				for j := range p {
					w := win[(b*p+j)*k : (b*p+j+1)*k]
					copy(w, w[1:])
					w[k-1] = next[b*p+j]
				}
			}
		}
		for b := range B {
			i := i0 + b
			var ee, uu float64
			for j := (i*T + k) * p; j < (i+1)*T*p; j++ {
				d := pred[j] - u[j]
				ee += d * d
				uu += u[j] * u[j]
			}
			if uu > 0 {
				rel += math.Sqrt(ee / uu)
			}
		}
	}
	return &Evaluation{RelL2: rel / float64(n), Grid: grid, Predictions: data.NewArray(pred, ds.Outputs.Shape...), Elapsed: time.Since(start), UniformGrid: uniform}, nil
}
