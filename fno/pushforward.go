package fno

import (
	"github.com/neuralpde/neuralpde/nn"
	"github.com/neuralpde/neuralpde/train"
)

// pushforward is the training objective of a recurrent FNO-2D with the
// pushforward trick (Brandstetter, Worrall & Welling, "Message Passing
// Neural PDE Solvers", ICLR 2022, §2.3): before a step trains on the
// window with target snapshot t, the model rolls itself forward r steps,
// forward only, from the true snapshots t−k−r … t−r−1, so that the
// window's last min(r, k) inputs are its own predictions, and the step's
// gradient flows through the last application only (the unrolled steps
// are constants: a stop-gradient).
//
// As in the paper's code, every optimizer step draws one r uniformly from
// 0 … min(u, e), e the number of completed epochs, so the first epoch is
// plain teacher forcing and the depth grows by one per epoch up to u. A
// window with fewer than r snapshots before its first input (t − k < r)
// rolls t − k steps, from the start of the series: the windows are those
// of Windows, every one of them is trained on, and the first of a series
// always reads true snapshots, as the rollout's first step does.
//
// The inputs are recomputed with the current weights at the first
// evaluation of a window in each step and kept for the rest of the step,
// so that the optimizer's loss is a fixed function of the weights within
// a step (line searches compare like with like) and the gradient is its
// exact gradient. The draw of r hangs on the seed and the step count only,
// so a run is reproducible. It learns the step and epoch as a
// train.Recorder.
type pushforward struct {
	obj *Objective
	// series is the training series, n × T × points, in data units.
	series  []float64
	T, k, u int
	seed    uint64
	// step and epoch are the run's completed steps and epochs.
	step, epoch int
	// stamp[w] is 1 + the step whose pushforward inputs obj.s.A holds for
	// window w, or 0 when it holds the true ones.
	stamp []int
	// Workspaces of roll.
	win, enc, next []float64
	todo, depth    []int
}

var (
	_ train.LossEvaluator = (*pushforward)(nil)
	_ train.Recorder      = (*pushforward)(nil)
)

// newPushforward returns the pushforward objective of u unrolled steps
// over obj, whose samples must be the Windows of series (n × T × points)
// for obj's model's history k.
func newPushforward(obj *Objective, series []float64, T, u int, seed uint64) *pushforward {
	return &pushforward{obj: obj, series: series, T: T, k: obj.m.In, u: u, seed: seed, stamp: make([]int, obj.s.N)}
}

// Params implements train.Objective.
func (p *pushforward) Params() []*nn.Param { return p.obj.Params() }

// NumSamples implements train.Objective: the number of windows.
func (p *pushforward) NumSamples() int { return p.obj.NumSamples() }

// Loss implements train.Objective: the one-step loss on the step's
// pushforward windows, with its gradient.
func (p *pushforward) Loss(batch []int) (float64, error) {
	p.prepare(batch)
	return p.obj.Loss(batch)
}

// LossOnly implements train.LossEvaluator: Loss without the gradient.
func (p *pushforward) LossOnly(batch []int) (float64, error) {
	p.prepare(batch)
	return p.obj.LossOnly(batch)
}

// Record implements train.Recorder: it notes the completed steps and
// epochs, which select the next step's unrolled depth.
func (p *pushforward) Record(m train.Metrics) error {
	p.step, p.epoch = m.Step, m.Epoch
	return nil
}

// Finish implements train.Recorder.
func (p *pushforward) Finish(*train.Result) error { return nil }

// unrolls returns the current step's r, uniform on 0 … min(u, epoch).
func (p *pushforward) unrolls() int {
	hi := min(p.u, p.epoch)
	if hi == 0 {
		return 0
	}
	return int(splitmix64(p.seed^splitmix64(uint64(p.step)+0x7075736866)) % uint64(hi+1))
}

// splitmix64 is the output function of Steele, Lea and Flood's SplitMix64
// generator: a bijective mixing of x.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// prepare writes the current step's inputs of the windows in batch (nil:
// all) into the objective's samples, unless this step already did.
func (p *pushforward) prepare(batch []int) {
	r := p.unrolls()
	per := p.T - p.k
	p.todo, p.depth = p.todo[:0], p.depth[:0]
	visit := func(w int) {
		d := min(r, w%per)
		switch {
		case d == 0 && p.stamp[w] != 0:
			p.restore(w)
		case d > 0 && p.stamp[w] != p.step+1:
			p.todo = append(p.todo, w)
			p.depth = append(p.depth, d)
		}
	}
	if batch == nil {
		for w := range p.stamp {
			visit(w)
		}
	} else {
		for _, w := range batch {
			visit(w)
		}
	}
	p.roll(p.todo, p.depth)
	for _, w := range p.todo {
		p.stamp[w] = p.step + 1
	}
}

// restore writes the true inputs of window w back (Windows' layout).
func (p *pushforward) restore(w int) {
	s := p.obj.s
	per, np, k := p.T-p.k, s.points(), p.k
	i, t := w/per, p.k+w%per
	a := s.A[w*np*k : (w+1)*np*k]
	for c := range k {
		for j, v := range p.series[(i*p.T+t-k+c)*np : (i*p.T+t-k+c+1)*np] {
			a[j*k+c] = v
		}
	}
	p.stamp[w] = 0
}

// roll writes into the objective's samples, for every window w = ws[b],
// the window after depth[b] forward-only steps of the model from the
// true snapshots t−k−depth[b] … t−depth[b]−1 (t its target): the true
// snapshots t−k … t−depth[b]−1 followed by the model's predictions of
// the rest. Predictions are decoded to data units and encoded again as
// inputs, as in the rollout. Windows go through the model in batches of
// the training batch size; those with fewer steps to take join at the
// later stages, so every window costs depth[b] forward passes.
func (p *pushforward) roll(ws, depth []int) {
	if len(ws) == 0 {
		return
	}
	s, m := p.obj.s, p.obj.m
	per, np, k := p.T-p.k, s.points(), p.k
	bs := max(m.cfg.BatchSize, 1)
	p.win = grow(p.win, bs*np*k)
	p.enc = grow(p.enc, bs*np*k)
	p.next = grow(p.next, bs*np)
	for b0 := 0; b0 < len(ws); b0 += bs {
		B := min(bs, len(ws)-b0)
		R := 0
		for b := range B {
			w, d := ws[b0+b], depth[b0+b]
			R = max(R, d)
			i, t := w/per, p.k+w%per
			for c := range k {
				for j, v := range p.series[(i*p.T+t-d-k+c)*np : (i*p.T+t-d-k+c+1)*np] {
					p.win[(b*np+j)*k+c] = v
				}
			}
		}
		for stage := range R {
			// The windows that still have steps to take, packed.
			n := 0
			for b := range B {
				if depth[b0+b] >= R-stage {
					p.obj.inN.encode(p.enc[n*np*k:(n+1)*np*k], p.win[b*np*k:(b+1)*np*k])
					n++
				}
			}
			out := m.forward(p.enc[:n*np*k], n, s.Grid, s.Coords, false)
			p.obj.outN.decode(p.next[:n*np], out)
			n = 0
			for b := range B {
				if depth[b0+b] < R-stage {
					continue
				}
				for j := range np {
					v := p.win[(b*np+j)*k : (b*np+j+1)*k]
					copy(v, v[1:])
					v[k-1] = p.next[n*np+j]
				}
				n++
			}
		}
		for b := range B {
			w := ws[b0+b]
			copy(s.A[w*np*k:(w+1)*np*k], p.win[b*np*k:(b+1)*np*k])
		}
	}
}
