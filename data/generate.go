package data

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"time"
)

// GenerateConfig configures Generate.
type GenerateConfig struct {
	// N is the number of samples of the whole dataset (all shards).
	N int
	// Seed seeds the sampler: sample i is drawn from (Seed, i).
	Seed uint64
	// Sampler draws the inputs; Solvers makes one Solver per worker.
	Sampler Sampler
	Solvers SolverFactory
	// Subsample r stores every r-th point along every axis of the inputs,
	// outputs and coordinates (u[::r]); 0 means 1.
	Subsample int
	// Shard k of Shards computes only samples ShardRange(N, k, Shards)
	// and writes them to ShardPath(Out, k, Shards). Shards 0 or 1 means
	// the whole dataset, written to Out.
	Shard, Shards int
	// Workers is the number of goroutines, each with its own Solver; 0
	// means runtime.GOMAXPROCS(0).
	Workers int
	// Out is the dataset's path.
	Out string
	// Coords are the grid coordinates at the solver's resolution, by
	// name. Axes names those of the sampler's grid axes, in order; they
	// are subsampled like the data, other coordinates (such as output
	// times) are stored whole. The sampler's axes are the trailing axes
	// of the solver's output.
	Coords map[string]Array
	Axes   []string
	// Meta holds the descriptive fields (Preset, PDE, Params, Solver,
	// Resolution). Generate sets Format, Seed, Samples, Subsample, Shard,
	// Axes, and Sampler when the sampler is a Describer.
	Meta Meta
	// Checkpoint B > 0 saves each completed block of B consecutive
	// samples to a hidden part file beside the output
	// (.NAME.part-START-END.npz); a rerun after an interruption loads the
	// parts that are complete and computes only the rest. The parts are
	// removed once the output is written. 0 means no checkpoints.
	Checkpoint int
	// Force recomputes an output file that already exists and is
	// complete; otherwise such a file is kept (a resumed run).
	Force bool
	// Progress receives progress reports: a bar when it is a terminal,
	// plain lines otherwise; nil means none.
	Progress io.Writer
}

// GenerateResult says what Generate did.
type GenerateResult struct {
	// Path is the file written (or found complete).
	Path string
	// Samples is the number of samples in it; Computed the number this
	// run solved (the others came from checkpoints or a complete file).
	Samples, Computed int
	// Resumed is true when Path was already complete and nothing was
	// computed.
	Resumed bool
	// Workers is the number of workers used; Elapsed the wall time.
	Workers int
	Elapsed time.Duration
}

// Generate draws the inputs of a dataset (or of one shard of it), solves
// each with a pool of workers, and writes the result atomically. Sample i
// depends only on (Seed, i), so the file does not depend on the number of
// workers or on sharding: Merge of all shards equals the unsharded file.
// A shard or dataset file that already exists with the same metadata is
// kept unless Force is set, so a rerun of an interrupted job array
// recomputes only the shards that are missing. Cancelling ctx stops the
// workers and writes nothing.
func Generate(ctx context.Context, cfg *GenerateConfig) (*GenerateResult, error) {
	start := time.Now()
	c, err := checkGenerate(cfg)
	if err != nil {
		return nil, err
	}
	res := &GenerateResult{Path: c.path, Samples: c.end - c.start, Workers: c.workers}

	// A complete file from an earlier run with the same metadata is kept.
	if !cfg.Force {
		done, err := complete(c.path, c.meta)
		if err != nil {
			return nil, err
		}
		if done {
			res.Resumed, res.Elapsed = true, time.Since(start)
			return res, nil
		}
	}

	solvers := make([]Solver, c.workers)
	for w := range solvers {
		s, err := cfg.Solvers()
		if err != nil {
			return nil, fmt.Errorf("data: cannot make a solver: %w", err)
		}
		if !slices.Equal(s.InputShape(), c.inShape) {
			return nil, fmt.Errorf("data: the solver takes inputs of shape %v but the sampler draws %v; use the same grid for both", s.InputShape(), c.inShape)
		}
		if w > 0 && !slices.Equal(s.OutputShape(), solvers[0].OutputShape()) {
			return nil, fmt.Errorf("data: two solvers from one factory have output shapes %v and %v", solvers[0].OutputShape(), s.OutputShape())
		}
		solvers[w] = s
	}
	outShape := solvers[0].OutputShape()
	if shapeLen(outShape) < 1 {
		return nil, fmt.Errorf("data: the solver's output shape %v holds no values", outShape)
	}
	g := len(c.inShape)
	if len(outShape) < g || !slices.Equal(outShape[len(outShape)-g:], c.inShape) {
		if c.r > 1 {
			return nil, fmt.Errorf("data: cannot subsample: the solver's output shape %v does not end in the input grid's shape %v", outShape, c.inShape)
		}
		g = len(outShape)
	}
	inIdx, inSub := subsampleIndex(c.inShape, c.r, 0)
	outIdx, outSub := subsampleIndex(outShape, c.r, len(outShape)-g)
	n := c.end - c.start
	d := &Dataset{
		Inputs:  Array{Shape: append([]int{n}, inSub...), Data: make([]float64, n*len(inIdx))},
		Outputs: Array{Shape: append([]int{n}, outSub...), Data: make([]float64, n*len(outIdx))},
		Coords:  make(map[string]Array, len(cfg.Coords)),
		Meta:    c.meta,
	}
	for k, a := range cfg.Coords {
		if len(a.Shape) != 1 || len(a.Data) != a.Shape[0] {
			return nil, fmt.Errorf("data: coordinate %q has shape %v; want one axis", k, a.Shape)
		}
		if slices.Contains(cfg.Axes, k) {
			a = subsampleArray(a, c.r, 0, 1)
		}
		d.Coords[k] = a
	}

	parts := newPartSet(c, cfg.Checkpoint, d)
	if !cfg.Force {
		parts.load()
	}

	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	prog := newProgress(cfg.Progress, progressLabel(c), n-parts.loaded)
	next := make(chan int)
	var wg sync.WaitGroup
	for _, s := range solvers {
		wg.Go(func() {
			in := make([]float64, shapeLen(c.inShape))
			out := make([]float64, shapeLen(outShape))
			for i := range next {
				cfg.Sampler.Sample(in, cfg.Seed, i)
				if err := s.Solve(out, in); err != nil {
					cancel(fmt.Errorf("data: sample %d: %w", i, err))
					return
				}
				if j := firstNonFinite(out); j >= 0 {
					cancel(fmt.Errorf("data: sample %d: the solver's output holds %v at index %d (the time integration blew up); try a smaller time step or a finer grid", i, out[j], j))
					return
				}
				k := i - c.start
				gatherInto(d.Inputs.Data[k*len(inIdx):(k+1)*len(inIdx)], in, inIdx)
				gatherInto(d.Outputs.Data[k*len(outIdx):(k+1)*len(outIdx)], out, outIdx)
				if err := parts.done(i); err != nil {
					cancel(err)
					return
				}
				prog.add(1)
			}
		})
	}
feed:
	for i := c.start; i < c.end; i++ {
		if parts.complete(i) {
			continue
		}
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return nil, err
	}
	if err := d.Save(c.path); err != nil {
		return nil, err
	}
	parts.remove()
	res.Computed = n - parts.loaded
	res.Elapsed = time.Since(start)
	return res, nil
}

func progressLabel(c *generateCheck) string {
	if c.meta.Shard != nil {
		return fmt.Sprintf("generate shard %d/%d", c.meta.Shard.Index, c.meta.Shard.Count)
	}
	return "generate"
}

func gatherInto(dst, src []float64, idx []int) {
	for j, p := range idx {
		dst[j] = src[p]
	}
}

func firstNonFinite(x []float64) int {
	for i, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return i
		}
	}
	return -1
}

// generateCheck is a validated GenerateConfig.
type generateCheck struct {
	path             string
	start, end       int
	r, workers       int
	inShape          []int
	meta             Meta
	shard, numShards int
}

func checkGenerate(cfg *GenerateConfig) (*generateCheck, error) {
	switch {
	case cfg == nil:
		return nil, errors.New("data: Generate needs a config")
	case cfg.N < 1:
		return nil, fmt.Errorf("data: %d samples requested; need at least 1", cfg.N)
	case cfg.Sampler == nil || cfg.Solvers == nil:
		return nil, errors.New("data: Generate needs a Sampler and a SolverFactory")
	case cfg.Out == "":
		return nil, errors.New("data: Generate needs an output path")
	case cfg.Subsample < 0:
		return nil, fmt.Errorf("data: subsample factor %d must be at least 1", cfg.Subsample)
	case cfg.Workers < 0:
		return nil, fmt.Errorf("data: %d workers; need at least 1 (or 0 for one per core)", cfg.Workers)
	case cfg.Shards < 0 || cfg.Shard < 0 || (cfg.Shards <= 1 && cfg.Shard > 0) || (cfg.Shards > 1 && cfg.Shard >= cfg.Shards):
		return nil, fmt.Errorf("data: shard %d of %d is out of range; shards are numbered 0 to count−1", cfg.Shard, cfg.Shards)
	}
	c := &generateCheck{path: cfg.Out, end: cfg.N, r: max(1, cfg.Subsample), inShape: cfg.Sampler.Shape()}
	c.workers = cfg.Workers
	if c.workers == 0 {
		c.workers = runtime.GOMAXPROCS(0)
	}
	c.meta = cfg.Meta
	c.meta.Format = FormatVersion
	c.meta.Seed = cfg.Seed
	c.meta.Samples = cfg.N
	c.meta.Subsample = c.r
	c.meta.Shard = nil
	c.meta.Axes = cfg.Axes
	if len(cfg.Axes) != 0 && len(cfg.Axes) != len(c.inShape) {
		return nil, fmt.Errorf("data: %d axis names %v for a sampler grid of shape %v", len(cfg.Axes), cfg.Axes, c.inShape)
	}
	for _, a := range cfg.Axes {
		if _, ok := cfg.Coords[a]; !ok {
			return nil, fmt.Errorf("data: grid axis %q has no coordinate array", a)
		}
	}
	if desc, ok := cfg.Sampler.(Describer); ok {
		law := desc.Describe()
		c.meta.Sampler = &law
	}
	if cfg.Shards > 1 {
		c.start, c.end = ShardRange(cfg.N, cfg.Shard, cfg.Shards)
		c.meta.Shard = &Shard{Index: cfg.Shard, Count: cfg.Shards, Start: c.start, End: c.end}
		c.path = ShardPath(cfg.Out, cfg.Shard, cfg.Shards)
	}
	c.workers = max(1, min(c.workers, c.end-c.start))
	if shapeLen(c.inShape) < 1 {
		return nil, fmt.Errorf("data: the sampler's shape %v holds no values", c.inShape)
	}
	return c, nil
}

// complete reports whether path already holds a valid dataset with exactly
// the metadata meta. A missing file is not complete; a file with other
// metadata is an error, so that a different dataset is never overwritten
// by accident.
func complete(path string, meta Meta) (bool, error) {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	d, err := Load(path)
	if err != nil {
		return false, fmt.Errorf("data: %s exists but is not a complete dataset (%v); remove it or pass Force to recompute it", path, err)
	}
	if !sameMeta(d.Meta, meta) {
		a, _ := json.Marshal(d.Meta)
		b, _ := json.Marshal(meta)
		return false, fmt.Errorf("data: %s exists and holds a different dataset\n  file:      %s\n  requested: %s\nremove it, choose another output, or pass Force to overwrite it", path, a, b)
	}
	return true, nil
}

// sameMeta compares metadata as it is stored, in JSON.
func sameMeta(a, b Meta) bool {
	ja, err1 := json.Marshal(a)
	jb, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && bytes.Equal(ja, jb)
}

// partSet tracks the checkpoint blocks of one Generate run: block j holds
// samples [start+jB, start+(j+1)B) of the dataset d being filled.
type partSet struct {
	c      *generateCheck
	d      *Dataset
	size   int
	mu     sync.Mutex
	left   []int  // samples still to compute, per block
	skip   []bool // block was loaded from an earlier run; set before the workers start
	loaded int    // samples loaded from earlier runs
}

func newPartSet(c *generateCheck, size int, d *Dataset) *partSet {
	n := c.end - c.start
	if size <= 0 || size >= n {
		return &partSet{c: c, d: d}
	}
	p := &partSet{c: c, d: d, size: size}
	for lo := 0; lo < n; lo += size {
		p.left = append(p.left, min(size, n-lo))
		p.skip = append(p.skip, false)
	}
	return p
}

// block returns the range [lo, hi) of block j, as dataset sample indices.
func (p *partSet) block(j int) (lo, hi int) {
	lo = p.c.start + j*p.size
	return lo, min(lo+p.size, p.c.end)
}

func (p *partSet) path(j int) string {
	lo, hi := p.block(j)
	dir, base := filepath.Split(p.c.path)
	return filepath.Join(dir, fmt.Sprintf(".%s.part-%d-%d.npz", base, lo, hi))
}

func (p *partSet) meta(j int) Meta {
	m := p.c.meta
	lo, hi := p.block(j)
	m.Part = &Shard{Index: j, Count: len(p.left), Start: lo, End: hi}
	return m
}

// load fills d with the blocks an earlier run saved with the same
// metadata; others are recomputed (and their stale files overwritten).
func (p *partSet) load() {
	for j := range p.left {
		part, err := Load(p.path(j))
		if err != nil || !sameMeta(part.Meta, p.meta(j)) ||
			part.InputLen() != p.d.InputLen() || part.OutputLen() != p.d.OutputLen() {
			continue
		}
		lo, _ := p.block(j)
		k := lo - p.c.start
		copy(p.d.Inputs.Data[k*p.d.InputLen():], part.Inputs.Data)
		copy(p.d.Outputs.Data[k*p.d.OutputLen():], part.Outputs.Data)
		p.loaded += p.left[j]
		p.left[j], p.skip[j] = 0, true
	}
}

// complete reports whether sample i was loaded from a checkpoint.
func (p *partSet) complete(i int) bool {
	if p.size == 0 {
		return false
	}
	return p.skip[(i-p.c.start)/p.size]
}

// done records sample i as computed and saves its block when that was
// the block's last sample.
func (p *partSet) done(i int) error {
	if p.size == 0 {
		return nil
	}
	j := (i - p.c.start) / p.size
	p.mu.Lock()
	p.left[j]--
	last := p.left[j] == 0
	p.mu.Unlock()
	if !last {
		return nil
	}
	lo, hi := p.block(j)
	part, _ := p.d.Slice(lo-p.c.start, hi-p.c.start)
	part.Meta = p.meta(j)
	if err := part.Save(p.path(j)); err != nil {
		return fmt.Errorf("data: cannot save checkpoint: %w", err)
	}
	return nil
}

// remove deletes the part files once the output is complete.
func (p *partSet) remove() {
	for j := range p.left {
		os.Remove(p.path(j))
	}
}
