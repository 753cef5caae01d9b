package nsm

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	"github.com/neuralpde/neuralpde/nn"
	"github.com/neuralpde/neuralpde/train"
)

// The two grid-space baselines of Du et al. (2024, §4) on reaction–diffusion:
// an FNO trained on classical solutions (FNO+data), and an FNO trained by
// the collocation residual on its grid (FNO+residual, a PINN-style loss),
// both with the initial condition built in by the same lifting
// u = u₀ + t·v as the spectral model, so that the losses are what differ.

// FNO losses.
const (
	// FNOData is the mean relative L2 error against classical solutions.
	FNOData = "data"
	// FNOResidual is the mean over the grid of the squared residual
	// u_t − νu_xx − ρu(1−u) with second-order finite differences (central
	// inside, one-sided at t = 0 and 1, periodic in x), ≈ ∫∫ r².
	FNOResidual = "residual"
)

// FNOObjective is the train.Objective of a GridFNO on a ReactionDiffusion
// problem on the n×n grid (n periodic points in x, n uniform times in
// [0, 1]), with the loss FNOData or FNOResidual.
type FNOObjective struct {
	f        *GridFNO
	p        *ReactionDiffusion
	n, count int
	loss     string
	x        []float64 // count × n × n × 3: u₀(x), x, t
	ref      []float64 // count × n × n, for FNOData and errors
	ts       []float64

	bx, v, gv, u, r, gu []float64
}

var _ train.Objective = (*FNOObjective)(nil)

// NewFNOObjective returns the objective of f on count inputs of p's stream
// seeded by seed at resolution n. The classical references are solved
// here when the loss is FNOData or withRef is set.
func NewFNOObjective(f *GridFNO, p *ReactionDiffusion, loss string, n, count int, seed uint64, withRef bool) (*FNOObjective, error) {
	if err := checkFNOObjective(f, loss, n, count, 1, "reaction–diffusion", "u₀, x, t"); err != nil {
		return nil, err
	}
	o := &FNOObjective{f: f, p: p, n: n, count: count, loss: loss, x: make([]float64, count*n*n*3)}
	xs, ts := p.Grid(n)
	o.ts = ts
	M := p.mx * p.mt
	a := make([]float64, M*2)
	c := make([]float64, p.mx)
	u0 := make([]float64, n)
	if loss == FNOData || withRef {
		o.ref = make([]float64, count*n*n)
	}
	for s := range count {
		p.Input(a, seed, s)
		for i := range c {
			c[i] = a[(i*p.mt)*2]
		}
		p.fx.Inverse(u0, c)
		for pi := range n {
			for q := range n {
				k := ((s*n+pi)*n + q) * 3
				o.x[k], o.x[k+1], o.x[k+2] = u0[pi], xs[pi], ts[q]
			}
		}
		if o.ref != nil {
			if err := p.Reference(o.ref[s*n*n:(s+1)*n*n], a, n); err != nil {
				return nil, err
			}
		}
	}
	return o, nil
}

// Params implements train.Objective.
func (o *FNOObjective) Params() []*nn.Param { return o.f.params }

// NumSamples implements train.Objective.
func (o *FNOObjective) NumSamples() int { return o.count }

// predict runs the FNO on batch and writes u = u₀ + t·v into o.u.
func (o *FNOObjective) predict(batch []int) {
	n, G := o.n, o.n*o.n
	B := len(batch)
	o.bx = grow(o.bx, B*G*3)
	o.v = grow(o.v, B*G)
	o.u = grow(o.u, B*G)
	for b, s := range batch {
		copy(o.bx[b*G*3:(b+1)*G*3], o.x[s*G*3:(s+1)*G*3])
	}
	o.f.Forward(o.v, o.bx, B, n, n)
	for i := range o.u {
		o.u[i] = o.bx[3*i] + o.ts[i%n]*o.v[i]
	}
}

// Loss implements train.Objective.
func (o *FNOObjective) Loss(batch []int) (float64, error) {
	return blockLoss(o.f, batch, o.count, o.lossBlock), nil
}

// checkFNOObjective checks the arguments of an FNO baseline's objective:
// the loss's name, f's channels (3 inputs named inputs, out outputs), the
// grid and the sample count.
func checkFNOObjective(f *GridFNO, loss string, n, count, out int, problem, inputs string) error {
	switch {
	case loss != FNOData && loss != FNOResidual:
		return fmt.Errorf("nsm: unknown FNO loss %q; use %s or %s", loss, FNOData, FNOResidual)
	case f.In != 3 || f.Out != out:
		return fmt.Errorf("nsm: %s FNO needs 3 input channels (%s) and %d outputs, got %d and %d", problem, inputs, out, f.In, f.Out)
	case count < 1:
		return fmt.Errorf("nsm: %d samples; need at least one", count)
	}
	return f.CheckGrid(n, n)
}

// blockLoss clears f's gradients and returns the mean loss over batch
// (nil: all count samples) as the sum of lossBlock's shares over blocks of
// 16 samples, which keep the FNO's activations bounded when the whole set
// is evaluated.
func blockLoss(f *GridFNO, batch []int, count int, lossBlock func(block []int, N float64) float64) float64 {
	for _, p := range f.params {
		clear(p.Grad)
	}
	if batch == nil {
		batch = make([]int, count)
		for i := range batch {
			batch[i] = i
		}
	}
	N := float64(len(batch))
	var loss float64
	for lo := 0; lo < len(batch); lo += 16 {
		loss += lossBlock(batch[lo:min(lo+16, len(batch))], N)
	}
	return loss
}

// lossBlock adds the gradient of the block's share of the mean loss over
// N samples to the parameters' Grad and returns that share.
func (o *FNOObjective) lossBlock(batch []int, N float64) float64 {
	o.predict(batch)
	n, G, B := o.n, o.n*o.n, len(batch)
	o.gu = grow(o.gu, B*G)
	o.gv = grow(o.gv, B*G)
	var loss float64
	if o.loss == FNOData {
		for b, s := range batch {
			loss += relL2Grad(o.gu[b*G:(b+1)*G], o.u[b*G:(b+1)*G], o.ref[s*G:(s+1)*G], 1/N)
		}
	} else {
		o.r = grow(o.r, G)
		for b := range B {
			loss += o.residual(o.gu[b*G:(b+1)*G], o.u[b*G:(b+1)*G], 1/N)
		}
	}
	for i, g := range o.gu {
		o.gv[i] = o.ts[i%n] * g
	}
	o.f.Backward(o.gv)
	return loss / N
}

// residual returns (1/n²)Σ r² of one sample u (n×n, x slow) and writes its
// gradient times scale into gu.
func (o *FNOObjective) residual(gu, u []float64, scale float64) float64 {
	n := o.n
	p := o.p
	hx, ht := 1/float64(n), 1/float64(n-1)
	r := o.r
	at := func(pi, q int) float64 { return u[((pi+n)%n)*n+q] }
	var sum float64
	for pi := range n {
		for q := range n {
			var ut float64
			switch q {
			case 0:
				ut = (-3*at(pi, 0) + 4*at(pi, 1) - at(pi, 2)) / (2 * ht)
			case n - 1:
				ut = (3*at(pi, n-1) - 4*at(pi, n-2) + at(pi, n-3)) / (2 * ht)
			default:
				ut = (at(pi, q+1) - at(pi, q-1)) / (2 * ht)
			}
			uxx := (at(pi+1, q) - 2*at(pi, q) + at(pi-1, q)) / (hx * hx)
			w := at(pi, q)
			v := ut - p.Nu*uxx - p.Rho*w*(1-w)
			r[pi*n+q] = v
			sum += v * v
		}
	}
	g := 2 * scale / float64(n*n)
	clear(gu)
	add := func(pi, q int, v float64) { gu[((pi+n)%n)*n+q] += v }
	for pi := range n {
		for q := range n {
			gr := g * r[pi*n+q]
			switch q {
			case 0:
				add(pi, 0, -3*gr/(2*ht))
				add(pi, 1, 4*gr/(2*ht))
				add(pi, 2, -gr/(2*ht))
			case n - 1:
				add(pi, n-1, 3*gr/(2*ht))
				add(pi, n-2, -4*gr/(2*ht))
				add(pi, n-3, gr/(2*ht))
			default:
				add(pi, q+1, gr/(2*ht))
				add(pi, q-1, -gr/(2*ht))
			}
			c := -p.Nu * gr / (hx * hx)
			add(pi+1, q, c)
			add(pi-1, q, c)
			add(pi, q, -2*c)
			add(pi, q, -p.Rho*(1-2*u[pi*n+q])*gr)
		}
	}
	return sum / float64(n*n)
}

// RelL2 returns the mean relative L2 error of the FNO's solutions against
// the references (which NewFNOObjective must have solved).
func (o *FNOObjective) RelL2() float64 {
	return meanRelL2(o.count, o.n*o.n, o.n*o.n, func(idx []int) []float64 { o.predict(idx); return o.u }, o.ref)
}

// meanRelL2 returns the mean over count samples of the relative L2 error
// of predictions (S values each, from predict on a block of sample
// indices) against ref (count × S), in blocks of 16 samples at 64² grid
// points G, fewer on finer grids to bound memory.
func meanRelL2(count, G, S int, predict func(idx []int) []float64, ref []float64) float64 {
	var sum float64
	block := max(1, 16*64*64/G)
	idx := make([]int, 0, block)
	for s0 := 0; s0 < count; s0 += block {
		idx = idx[:0]
		for s := s0; s < min(s0+block, count); s++ {
			idx = append(idx, s)
		}
		u := predict(idx)
		for b, s := range idx {
			sum += relL2(u[b*S:(b+1)*S], ref[s*S:(s+1)*S])
		}
	}
	return sum / float64(count)
}

// newBaselineFNO returns the FNO baseline of p with c's architecture and
// the spectral model's modes: reaction–diffusion (u₀, x, t) → v with p's
// frequencies in x and its Chebyshev count in t; Navier–Stokes (ω₀, x, y)
// → v at the snapshots with p's frequencies on both axes; Poisson (f, x,
// y) → u with p's frequencies on both axes.
func newBaselineFNO(c *Config, p Problem, rng *rand.Rand) (*GridFNO, error) {
	switch p := p.(type) {
	case *ReactionDiffusion:
		return NewGridFNO(c, 3, 1, p.fx.Frequencies(), p.mt, rng)
	case *NavierStokes:
		return NewGridFNO(c, 3, p.Times, p.k, p.k, rng)
	case *Poisson2D:
		return NewGridFNO(c, 3, 1, p.K, p.K, rng)
	}
	return nil, fmt.Errorf("nsm: no FNO baseline for %s", p.Name())
}

// fnoObjective is an FNO baseline's objective with its held-out error.
type fnoObjective interface {
	train.Objective
	RelL2() float64
}

// fnoError is RelL2 as a train.Objective for the metrics' eval_loss.
type fnoError struct{ fnoObjective }

func (e fnoError) Loss([]int) (float64, error) { return e.RelL2(), nil }

// FNOResult is the outcome of TrainFNO.
type FNOResult struct {
	Train *train.Result
	FNO   *GridFNO
	// TestRelL2 is the mean relative L2 error on the held-out inputs at
	// the training resolution.
	TestRelL2 float64
	StepTime  time.Duration
}

// TrainFNO trains the FNO baseline with loss FNOData or FNOResidual on
// problem p (ReactionDiffusion, NavierStokes or Poisson2D) at resolution n, with
// cfg's width, layers, steps, batch, optimizer settings and sample counts
// (the spectral model's budget; zero fields take p's defaults, as Train's do), and modes matching the spectral model's
// basis (reaction–diffusion: p's frequencies in x, its Chebyshev count in
// t; Navier–Stokes: p's frequencies on both axes, the snapshots as
// output channels). It writes outDir/metrics.jsonl (eval_loss: the
// held-out error every 10 steps).
func TrainFNO(ctx context.Context, cfg *Config, p Problem, loss string, n int, outDir string, progress io.Writer) (*FNOResult, error) {
	c, err := cfg.withDefaultsFor(p)
	if err != nil {
		return nil, err
	}
	f, err := newBaselineFNO(c, p, rand.New(rand.NewPCG(c.Seed, 0x666e6f)))
	if err != nil {
		return nil, err
	}
	var obj, test fnoObjective
	switch p := p.(type) {
	case *ReactionDiffusion:
		if obj, err = NewFNOObjective(f, p, loss, n, c.Train, c.Seed, false); err != nil {
			return nil, err
		}
		test, err = NewFNOObjective(f, p, FNOData, n, max(c.Test, 1), testSeed(c.Seed), true)
	case *NavierStokes:
		if obj, err = NewNSFNOObjective(f, p, loss, n, c.Train, c.Seed, false); err != nil {
			return nil, err
		}
		test, err = NewNSFNOObjective(f, p, FNOData, n, max(c.Test, 1), testSeed(c.Seed), true)
	case *Poisson2D:
		if obj, err = NewPoissonFNOObjective(f, p, loss, n, c.Train, c.Seed, false); err != nil {
			return nil, err
		}
		test, err = NewPoissonFNOObjective(f, p, FNOData, n, max(c.Test, 1), testSeed(c.Seed), true)
	}
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return nil, fmt.Errorf("nsm: %w", err)
	}
	metrics, err := os.Create(filepath.Join(outDir, train.MetricsFile))
	if err != nil {
		return nil, fmt.Errorf("nsm: %w", err)
	}
	defer metrics.Close()
	opt, batch, err := c.optimizer()
	if err != nil {
		return nil, err
	}
	tc := &train.Config{
		Optimizer: opt,
		Schedule:  c.schedule(),
		Steps:     c.Steps,
		BatchSize: batch,
		Seed:      c.Seed,
		Eval:      fnoError{test},
		EvalEvery: 10,
		Recorders: []train.Recorder{&train.JSONLines{W: metrics, Every: 10}},
	}
	if progress != nil {
		tc.Recorders = append(tc.Recorders, &train.ProgressLine{W: progress, Every: 100})
	}
	res, err := train.Run(ctx, obj, tc)
	if err != nil {
		return nil, err
	}
	r := &FNOResult{Train: res, FNO: f, TestRelL2: test.RelL2()}
	if res.Steps > 0 {
		r.StepTime = res.Runtime / time.Duration(res.Steps)
	}
	if math.IsNaN(r.TestRelL2) {
		return r, fmt.Errorf("nsm: FNO error is NaN after training")
	}
	return r, nil
}
