package implicit

import (
	"errors"
	"fmt"
	"gonum.org/v1/gonum/floats"
	"math"
	"sync"

	"github.com/neuralpde/neuralpde/nn"
	"github.com/neuralpde/neuralpde/operators/sparse"
)

// Layer is an implicit layer: Forward returns, for every sample of a
// batch, the equilibrium z* with f_θ(z*, x) = z*, and Backward turns
// ∂L/∂z* into the parameters' gradients by the implicit function theorem
// (see the package documentation). A Layer keeps the last batch's
// equilibria for Backward, the warm-start cache and the Report; it is used
// by one goroutine at a time, and runs the samples of a batch on its
// workers in parallel.
type Layer struct {
	set     Settings
	workers []*worker
	// Z0 is Homotopy's shared starting point z₀ (nil for other solvers),
	// of length Dim of the first Function.
	Z0 *nn.Param

	z     []float64 // the last Forward's equilibria, batch × dim
	keys  []int
	batch int
	dim   int
	cache map[int][]float64

	startLoss float64
	report    Report
}

// worker is one goroutine's Function and solver workspaces.
type worker struct {
	f     Function
	evals int
	fnorm float64 // ‖f(z)‖₂ at the last residual call
	// Work vectors of length dim.
	fz, g, d, zt, gt, t, rhs []float64
	// Broyden's and Anderson's history, memory × dim.
	us, vs       []float64
	dz, dg       []float64
	small, coef  []float64 // memory × memory normal equations and their solution
	gmres        sparse.GMRES
	linIterTotal int
}

// New returns a layer solving with fs, one Function per worker (one
// worker runs the batch's samples sequentially; give as many as cores to
// run them in parallel). All Functions must describe the same f with the
// same Dim.
func New(fs []Function, s *Settings) (*Layer, error) {
	set, err := resolve(s)
	if err != nil {
		return nil, err
	}
	if len(fs) == 0 {
		return nil, errors.New("implicit: no Function given; pass one per worker")
	}
	l := &Layer{set: set, cache: make(map[int][]float64)}
	for i := range fs {
		if err := fs[i].check(&set); err != nil {
			return nil, err
		}
		if fs[i].Dim != fs[0].Dim {
			return nil, fmt.Errorf("implicit: Function %d has Dim %d but Function 0 has %d; every worker must solve the same problem", i, fs[i].Dim, fs[0].Dim)
		}
		l.workers = append(l.workers, &worker{f: fs[i]})
	}
	if set.Solver == Homotopy {
		l.Z0 = nn.NewParam("implicit.z0", fs[0].Dim)
	}
	l.report.Solver, l.report.Backward, l.report.Approximate = set.Solver, set.Backward, set.Backward == Phantom
	return l, nil
}

// Settings returns the layer's settings with every default filled in.
func (l *Layer) Settings() Settings { return l.set }

// Params returns the layer's own trainable parameters: Z0 when it is
// learnable (Homotopy with StartWeight > 0), else none.
func (l *Layer) Params() []*nn.Param {
	if l.Z0 != nil && l.set.StartWeight > 0 {
		return []*nn.Param{l.Z0}
	}
	return nil
}

// SetFunction replaces worker w's Function (for a model whose grid, and
// so Dim, changed). Forward then solves with the new Functions.
func (l *Layer) SetFunction(w int, f Function) error {
	if w < 0 || w >= len(l.workers) {
		return fmt.Errorf("implicit: worker %d of %d", w, len(l.workers))
	}
	if err := f.check(&l.set); err != nil {
		return err
	}
	l.workers[w].f = f
	return nil
}

// Workers returns the number of workers.
func (l *Layer) Workers() int { return len(l.workers) }

// Report returns the report of the last Forward and Backward. It is valid
// until the next call of either.
func (l *Layer) Report() *Report { return &l.report }

// StartLoss returns the auxiliary loss (StartWeight/2)·mean‖z₀ − z*‖² of
// the last Forward (zero unless z₀ is learnable); a model adds it to its
// loss when it calls Backward, which adds its gradient to Z0.Grad.
func (l *Layer) StartLoss() float64 { return l.startLoss }

// ClearWarmStarts empties the warm-start cache.
func (l *Layer) ClearWarmStarts() { clear(l.cache) }

// Forward solves for the equilibria of batch samples, writes them to dst
// (batch × Dim; nil allocates) and returns it. keys, if not nil, holds
// each sample's index in the dataset: the key of the warm-start cache and
// of the Report; with nil keys (an evaluation on other data) the cache is
// not used. A sample whose solve misses the tolerance makes Forward
// return an error naming it (Fail), or is used and flagged (Flag).
func (l *Layer) Forward(dst []float64, keys []int, batch int) ([]float64, error) {
	dim := l.workers[0].f.Dim
	for i, w := range l.workers {
		if w.f.Dim != dim {
			return nil, fmt.Errorf("implicit: worker %d has Dim %d but worker 0 has %d; set every worker's Function", i, w.f.Dim, dim)
		}
	}
	if batch <= 0 {
		return nil, fmt.Errorf("implicit: batch of %d samples; it must be positive", batch)
	}
	if keys != nil && len(keys) != batch {
		return nil, fmt.Errorf("implicit: %d keys for a batch of %d; give one per sample or nil", len(keys), batch)
	}
	if l.Z0 != nil && len(l.Z0.Value) != dim {
		return nil, fmt.Errorf("implicit: homotopy start z₀ has length %d but the state has %d; the homotopy's shared start fixes the grid", len(l.Z0.Value), dim)
	}
	if dst == nil {
		dst = make([]float64, batch*dim)
	} else if len(dst) != batch*dim {
		panic(fmt.Sprintf("implicit: Forward destination of length %d, want %d×%d", len(dst), batch, dim))
	}
	l.batch, l.dim = batch, dim
	l.z = grow(l.z, batch*dim)
	l.keys = l.keys[:0]
	for s := range batch {
		k := s
		if keys != nil {
			k = keys[s]
		}
		l.keys = append(l.keys, k)
	}
	r := &l.report
	if cap(r.Forward) < batch {
		r.Forward = make([]Stats, batch)
	}
	r.Forward = r.Forward[:batch]
	r.BackwardSolves = r.BackwardSolves[:0]
	r.BackwardFailures = 0

	// Starting points: cached equilibria are read here, before the
	// workers run, so the cache map is only touched by this goroutine.
	// Without keys the cache is neither read nor written.
	cached := l.set.WarmStart && keys != nil
	for s := range batch {
		z := l.z[s*dim : (s+1)*dim]
		st := &r.Forward[s]
		*st = Stats{Key: l.keys[s]}
		switch c, ok := l.cache[l.keys[s]]; {
		case l.set.Solver == Homotopy:
			copy(z, l.Z0.Value)
		case cached && ok && len(c) == dim:
			copy(z, c)
			st.WarmStarted = true
		default:
			clear(z)
		}
	}
	l.parallel(batch, func(w *worker, s int) {
		w.solve(l.z[s*dim:(s+1)*dim], s, &l.set, l.Z0, &r.Forward[s])
	})
	r.Failures = 0
	var first *Stats
	for s := range r.Forward {
		st := &r.Forward[s]
		r.Solves++
		if !st.Converged {
			r.Failures++
			if first == nil {
				first = st
			}
			continue
		}
		if cached {
			c := l.cache[st.Key]
			if len(c) != dim {
				c = make([]float64, dim)
				l.cache[st.Key] = c
			}
			copy(c, l.z[s*dim:(s+1)*dim])
		}
	}
	r.TotalFailures += r.Failures
	l.startLoss = 0
	if l.Z0 != nil && l.set.StartWeight > 0 {
		var sum float64
		for s := range batch {
			for i, v := range l.z[s*dim : (s+1)*dim] {
				e := l.Z0.Value[i] - v
				sum += e * e
			}
		}
		l.startLoss = 0.5 * l.set.StartWeight * sum / float64(batch)
	}
	copy(dst, l.z)
	if first != nil && l.set.OnFailure == Fail {
		return dst, fmt.Errorf("implicit: %v solve of sample %d did not converge (‖f(z) − z‖ = %.3g after %d iterations, %d of %d samples failed); raise MaxIterations, loosen AbsTol, choose another solver, or set OnFailure to Flag",
			l.set.Solver, first.Key, first.Residual, first.Iterations, r.Failures, batch)
	}
	return dst, nil
}

// Backward takes gz = ∂L/∂z* (batch × Dim) for the last Forward's
// equilibria and accumulates the parameter (and input) gradients through
// each worker's Function.ParamVJP; with a learnable z₀ it adds the start
// loss's gradient to Z0.Grad. With Exact, a GMRES solve that misses
// BackwardTol is an error (Fail) or is flagged (Flag).
func (l *Layer) Backward(gz []float64) error {
	if l.batch == 0 {
		return errors.New("implicit: Backward before Forward; call Forward first")
	}
	dim := l.dim
	if len(gz) != l.batch*dim {
		return fmt.Errorf("implicit: gradient of length %d for a batch of %d×%d; pass ∂L/∂z* of the last Forward", len(gz), l.batch, dim)
	}
	for i, w := range l.workers {
		if w.f.ParamVJP == nil {
			return fmt.Errorf("implicit: worker %d's Function.ParamVJP is nil; Backward needs it", i)
		}
		if w.f.VJP == nil && (l.set.Backward == Exact || l.set.PhantomTerms > 1 || l.set.PhantomDamping < 1) {
			return fmt.Errorf("implicit: worker %d's Function.VJP is nil; the %v backward needs it (only phantom with one term and damping 1 does not)", i, l.set.Backward)
		}
	}
	r := &l.report
	if cap(r.BackwardSolves) < l.batch {
		r.BackwardSolves = make([]BackwardStats, l.batch)
	}
	r.BackwardSolves = r.BackwardSolves[:l.batch]
	l.parallel(l.batch, func(w *worker, s int) {
		st := &r.BackwardSolves[s]
		*st = BackwardStats{Key: l.keys[s]}
		w.backward(l.z[s*dim:(s+1)*dim], gz[s*dim:(s+1)*dim], s, &l.set, st)
	})
	r.BackwardFailures = 0
	var first *BackwardStats
	for s := range r.BackwardSolves {
		if st := &r.BackwardSolves[s]; !st.Converged {
			r.BackwardFailures++
			if first == nil {
				first = st
			}
		}
	}
	r.TotalBackwardFailures += r.BackwardFailures
	if l.Z0 != nil && l.set.StartWeight > 0 {
		c := l.set.StartWeight / float64(l.batch)
		for s := range l.batch {
			for i, v := range l.z[s*dim : (s+1)*dim] {
				l.Z0.Grad[i] += c * (l.Z0.Value[i] - v)
			}
		}
	}
	if first != nil && l.set.OnFailure == Fail {
		return fmt.Errorf("implicit: backward GMRES of sample %d did not converge (relative residual %.3g after %d iterations); raise MaxLinearIterations or Restart, loosen BackwardTol, or set OnFailure to Flag",
			first.Key, first.Residual, first.Iterations)
	}
	return nil
}

// parallel runs do for samples 0…n−1 on the workers, each taking a
// contiguous block.
func (l *Layer) parallel(n int, do func(w *worker, s int)) {
	nw := min(len(l.workers), n)
	if nw == 1 {
		for s := range n {
			do(l.workers[0], s)
		}
		return
	}
	var wg sync.WaitGroup
	for k := range nw {
		lo, hi := k*n/nw, (k+1)*n/nw
		wg.Add(1)
		go func(w *worker) {
			defer wg.Done()
			for s := lo; s < hi; s++ {
				do(w, s)
			}
		}(l.workers[k])
	}
	wg.Wait()
}

// solve finds the equilibrium of sample s from z (overwritten by the
// solution) and fills st.
func (w *worker) solve(z []float64, s int, set *Settings, z0 *nn.Param, st *Stats) {
	dim := len(z)
	w.fz, w.g, w.d = grow(w.fz, dim), grow(w.g, dim), grow(w.d, dim)
	w.zt, w.gt, w.t, w.rhs = grow(w.zt, dim), grow(w.gt, dim), grow(w.t, dim), grow(w.rhs, dim)
	w.evals = 0
	switch set.Solver {
	case NewtonKrylov:
		w.newtonKrylov(z, s, set, st)
	case Broyden:
		w.broyden(z, s, set, st)
	case Anderson:
		w.anderson(z, s, set, st)
	case FixedPoint:
		w.fixedPoint(z, s, set, st)
	case Homotopy:
		w.homotopy(z, z0.Value, s, set, st)
	}
	st.Evals = w.evals
	if math.IsNaN(st.Residual) || math.IsInf(st.Residual, 0) {
		st.Converged = false
	}
}

// residual writes f(z) into w.fz and g = f(z) − z into g, sets w.fnorm
// to ‖f(z)‖₂ and returns ‖g‖₂.
func (w *worker) residual(g, z []float64, s int) float64 {
	w.f.F(w.fz, z, s)
	w.evals++
	var sum, fsum float64
	for i, v := range w.fz {
		g[i] = v - z[i]
		sum += g[i] * g[i]
		fsum += v * v
	}
	w.fnorm = math.Sqrt(fsum)
	return math.Sqrt(sum)
}

// met reports whether the residual r of the last residual call meets the
// stopping test r ≤ AbsTol + RelTol·‖f(z)‖₂.
func (w *worker) met(r float64, set *Settings) bool {
	return r <= set.AbsTol+set.RelTol*w.fnorm
}

func grow(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}

// dot, norm and axpy are gonum's floats.Dot, Norm and AddScaled (assembly
// kernels) under the short names the solvers use.
func dot(a, b []float64) float64 { return floats.Dot(a, b) }

func norm(a []float64) float64 { return floats.Norm(a, 2) }

// axpy sets y += α x.
func axpy(y []float64, alpha float64, x []float64) { floats.AddScaled(y, alpha, x) }
