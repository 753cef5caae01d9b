package main

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/neuralpde/neuralpde/classical"
	"github.com/neuralpde/neuralpde/data"
	"github.com/neuralpde/neuralpde/pde"
	"github.com/spf13/cobra"
)

type generateFlags struct {
	preset     string
	n, res     int
	subsample  int
	seed       uint64
	shard      string
	shards     int
	workers    int
	out        string
	modes      int
	dt         float64
	grfModes   int
	ckpt       int
	stepsSaved int
	nu         float64
	force      bool
	quiet      bool
	config     string
}

func newGenerateCmd(e *env) *cobra.Command {
	f := new(generateFlags)
	cmd := &cobra.Command{
		Use:   "generate --preset P --n N --res R --seed S --out F.npz",
		Short: "Generate a dataset of input → output pairs for an operator-learning preset (burgers-periodic, darcy, navier-stokes, antiderivative, diffusion-reaction)",
		Long: `Draw N initial conditions from the preset's random-field law on R grid points,
solve each with the classical operator solver, and write the pairs (stored
subsampled u[::r] with --subsample r) to a .npz dataset. Sample i depends only
on (seed, i), so the dataset does not depend on the worker count or sharding.

Sharding: --shard k/n computes samples [k·N/n, (k+1)·N/n) into
F.shard-k-of-n.npz; without --shard the index is read from a Slurm job array
(SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_COUNT) or a Kubernetes indexed Job
(JOB_COMPLETION_INDEX, with --shards giving the Job's completions). Join the
shards with neuralpde data merge. A complete output file from an earlier run
with the same settings is kept (so rerunning a job array redoes only missing
shards); --force recomputes it. Within a run, every completed block of
--checkpoint samples is saved beside the output, so an interrupted run loses
at most one block when rerun.`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := applyConfigFile(cmd, f.config); err != nil {
				return err
			}
			return runGenerate(cmd, e, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.preset, "preset", "", "operator-learning preset (burgers-periodic)")
	fl.IntVar(&f.n, "n", 0, "number of samples in the whole dataset")
	fl.IntVar(&f.res, "res", 0, "grid points the inputs are drawn and solved on (0: the preset's NX)")
	fl.IntVar(&f.subsample, "subsample", 1, "store every r-th grid point (u[::r]); a value that would keep fewer than 16 points per axis is read as the number of points to keep (421 → 85, 256 → 64)")
	fl.Uint64Var(&f.seed, "seed", 0, "sampler seed")
	fl.StringVar(&f.shard, "shard", "", "compute shard k of n, as k/n (default: from Slurm/Kubernetes, else the whole dataset)")
	fl.IntVar(&f.shards, "shards", 0, "number of shards for a Kubernetes indexed Job (its completions); overrides SLURM_ARRAY_TASK_COUNT")
	fl.IntVar(&f.workers, "workers", 0, "parallel solvers (0: one per core, GOMAXPROCS)")
	fl.StringVarP(&f.out, "out", "o", "", "output .npz file")
	fl.IntVar(&f.modes, "modes", 0, "solver's internal Fourier resolution (0: max(res, tuned default))")
	fl.Float64Var(&f.dt, "dt", 0, "solver's time step (0: tuned default)")
	fl.IntVar(&f.grfModes, "grf-modes", 0, fmt.Sprintf("random-field modes kept (0: %d, or fewer if the grid cannot hold them)", data.DefaultGRFModes))
	fl.IntVar(&f.ckpt, "checkpoint", 100, "save every completed block of this many samples, so an interrupted run resumes (0: off)")
	fl.IntVar(&f.stepsSaved, "steps-saved", 0, "navier-stokes: snapshots saved at t = 1, …, T (0: the preset's)")
	fl.Float64Var(&f.nu, "nu", 0, "navier-stokes: viscosity (0: the preset's 1e-3; below 1e-3 use --dt 1e-4 as the FNO generator did)")
	fl.BoolVar(&f.force, "force", false, "recompute an output file that is already complete")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "no progress on stderr")
	fl.StringVar(&f.config, "config", "", "YAML file of these settings (neuralpde config print --command generate); flags override it")
	return cmd
}

// minStored is the fewest points per axis a --subsample stride may keep;
// a value that would keep fewer is read as the number of points to keep.
const minStored = 16

// stride reads --subsample r for a grid of res points per axis: the stride
// of u[::r], or, when that would keep fewer than minStored points, the
// number of points to keep — so both FNO spellings work: stride 5 and
// size 85 on the 421-point Darcy grid. A vertex grid (both end points)
// keeps its ends, so the stride must divide res − 1; a periodic grid's
// stride must divide res.
func stride(r, res int, vertex bool) (int, error) {
	span := res
	if vertex {
		span = res - 1
	}
	if r < 1 {
		return 0, usagef("--subsample must be at least 1")
	}
	if span/r < minStored && r > 1 {
		keep := r
		if vertex {
			keep--
		}
		if keep < 1 || span%keep != 0 {
			return 0, usagef("--subsample %d: neither a stride (it would keep fewer than %d points) nor a size the %d-point grid can be thinned to", r, minStored, res)
		}
		return span / keep, nil
	}
	if span%r != 0 {
		return 0, usagef("--subsample %d does not divide %d (the %d-point grid)", r, span, res)
	}
	return r, nil
}

// generation is what a preset contributes to a generate run: its sampler,
// its solvers and the description of the dataset.
type generation struct {
	name    string
	res     int
	vertex  bool // grids with both end points
	dims    int  // spatial axes
	sampler data.Sampler
	solvers data.SolverFactory
	coords  map[string]data.Array
	axes    []string
	meta    data.Meta
	summary string // the solver's settings, for the closing line
}

func plan1D(p *pde.Preset, f *generateFlags) (*generation, error) {
	switch {
	case p.InitialLaw == nil:
		return nil, usagef("preset %q has fixed initial data; generate needs an operator-learning preset with a random initial law (use neuralpde solve for %s)", p.Name, p.Name)
	case p.BC.Kind != pde.PeriodicBC:
		return nil, usagef("preset %q is not periodic; generate supports periodic operator-learning presets", p.Name)
	case f.stepsSaved != 0 || f.nu != 0:
		return nil, usagef("--steps-saved and --nu are for navier-stokes")
	}
	res := f.res
	if res == 0 {
		res = p.NX
	}
	if res < 4 {
		return nil, usagef("--res %d is too small; use at least 4 points", res)
	}
	grid := p.SpaceGrid(res)
	sampler, err := data.NewGaussianRF(*p.InitialLaw, f.grfModes, grid)
	if err != nil {
		return nil, usageError{err}
	}
	cfg := &classical.Config{Modes: f.modes, Dt: f.dt}
	probe, err := classical.NewOperatorSolver(p, res, cfg)
	if err != nil {
		return nil, usageError{err}
	}
	return &generation{
		name: p.Name, res: res, dims: 1,
		sampler: sampler,
		solvers: func() (data.Solver, error) { return classical.NewOperatorSolver(p, res, cfg) },
		coords:  map[string]data.Array{"x": data.NewArray(grid.Points(nil), res)},
		axes:    []string{"x"},
		meta: data.Meta{
			Preset: p.Name, PDE: p.Equation.Name(), Params: pde.Params(p.Equation),
			Solver:     fmt.Sprintf("etdrk4 fourier pseudo-spectral, %d modes, dt %g, t %g→%g", probe.Modes(), probe.Dt(), p.T.A, p.T.B),
			Resolution: res,
		},
		summary: fmt.Sprintf("%d modes, dt %g", probe.Modes(), probe.Dt()),
	}, nil
}

func plan2D(p *pde.Preset2D, f *generateFlags) (*generation, error) {
	if p.InputLaw == nil {
		return nil, usagef("preset %q has fixed data; generate needs an operator-learning preset (darcy, navier-stokes)", p.Name)
	}
	if f.modes != 0 {
		return nil, usagef("--modes is for the 1-D presets; %s solves on its --res grid", p.Name)
	}
	if f.nu != 0 {
		if _, ok := p.PDE.(pde.NavierStokes); !ok || !(f.nu > 0) {
			return nil, usagef("--nu %g: only navier-stokes takes a viscosity, and it must be positive", f.nu)
		}
		p.PDE = pde.NavierStokes{Nu: f.nu}
	}
	if f.stepsSaved != 0 && p.Steady() {
		return nil, usagef("--steps-saved is for evolution presets; %s is steady", p.Name)
	}
	res := f.res
	if res == 0 {
		res = p.NX
	}
	if res < 4 {
		return nil, usagef("--res %d is too small; use at least 4 points per axis", res)
	}
	xg, yg := p.Grids(res)
	grf, err := data.NewGaussianRF(*p.InputLaw, f.grfModes, xg, yg)
	if err != nil {
		return nil, usageError{err}
	}
	var sampler data.Sampler = grf
	if p.Input == pde.CoefficientInput {
		c := p.Coefficient
		sampler = &data.Thresholded{Field: grf, Level: c.Level, Below: c.Below, Above: c.Above}
	}
	cfg := &classical.Config2D{Dt: f.dt, StepsSaved: f.stepsSaved}
	probe, err := classical.NewOperatorSolver2D(p, res, cfg)
	if err != nil {
		return nil, usageError{err}
	}
	coords := map[string]data.Array{
		"x": data.NewArray(xg.Points(nil), res),
		"y": data.NewArray(yg.Points(nil), res),
	}
	if ns, ok := probe.(*classical.NavierStokes2D); ok {
		ts := ns.SaveTimes()
		coords["t"] = data.NewArray(ts, len(ts))
	}
	return &generation{
		name: p.Name, res: res, vertex: p.BC != pde.PeriodicBC, dims: 2,
		sampler: sampler,
		solvers: func() (data.Solver, error) { return classical.NewOperatorSolver2D(p, res, cfg) },
		coords:  coords,
		axes:    []string{"x", "y"},
		meta: data.Meta{
			Preset: p.Name, PDE: p.PDE.Name(), Params: p.PDE.Params(),
			Solver:     probe.Description(),
			Resolution: res,
		},
		summary: probe.Description(),
	}, nil
}

func planOperator(p *pde.OperatorPreset, f *generateFlags) (*generation, error) {
	if f.res != 0 || f.subsample > 1 || f.modes != 0 || f.dt != 0 || f.stepsSaved != 0 || f.nu != 0 || f.grfModes != 0 {
		return nil, usagef("preset %s has fixed sensors and output grid (%d points); --res, --subsample, --modes, --dt, --steps-saved, --nu and --grf-modes do not apply", p.Name, p.Sensors)
	}
	grid := p.SensorGrid()
	sampler, err := data.NewRBF(p.InputLaw.LengthScale, p.InputLaw.Sigma, grid, 0)
	if err != nil {
		return nil, usageError{err}
	}
	var solvers data.SolverFactory
	coords := map[string]data.Array{"x": data.NewArray(grid.Points(nil), grid.N)}
	switch p.Equation.(type) {
	case pde.Antiderivative:
		solvers = func() (data.Solver, error) { return classical.NewAntiderivativePresetSolver(p) }
	case pde.DiffusionReaction:
		solvers = func() (data.Solver, error) { return classical.NewDiffReactSolver(p, nil) }
		_, ts := p.OutputGrid()
		coords["t"] = data.NewArray(ts, len(ts))
	default:
		return nil, fmt.Errorf("operator preset %s has no classical solver wired into generate", p.Name)
	}
	if _, err := solvers(); err != nil {
		return nil, usageError{err}
	}
	params := pde.Params(p.Equation)
	params["length_scale"] = p.InputLaw.LengthScale
	return &generation{
		name: p.Name, res: grid.N, vertex: true, dims: 1,
		sampler: sampler, solvers: solvers,
		coords: coords,
		axes:   []string{"x"},
		meta: data.Meta{
			Preset: p.Name, PDE: p.Equation.Name(), Params: params,
			Solver:     "classical " + p.Equation.Name() + " reference solver",
			Resolution: grid.N,
		},
		summary: fmt.Sprintf("%s from an RBF field, length scale %g", p.Input, p.InputLaw.LengthScale),
	}, nil
}

func runGenerate(cmd *cobra.Command, e *env, f *generateFlags) error {
	stdout, stderr := cmd.OutOrStdout(), cmd.ErrOrStderr()
	switch {
	case f.n < 1:
		return usagef("--n must be at least 1")
	case f.out == "":
		return usagef("generate needs --out FILE.npz")
	case f.res < 0 || f.workers < 0 || f.modes < 0 || f.grfModes < 0 || f.shards < 0 || f.ckpt < 0 || f.stepsSaved < 0 || f.dt < 0 || math.IsNaN(f.dt) || f.nu < 0 || math.IsNaN(f.nu):
		return usagef("--res, --workers, --modes, --grf-modes, --shards, --checkpoint, --steps-saved, --dt and --nu must not be negative")
	}
	var g *generation
	if p2, err := pde.Lookup2D(f.preset); err == nil {
		if g, err = plan2D(p2, f); err != nil {
			return err
		}
	} else if po, err := pde.LookupOperator(f.preset); err == nil {
		if g, err = planOperator(po, f); err != nil {
			return err
		}
	} else {
		p, err := lookupPreset(f.preset)
		if err != nil {
			return err
		}
		if g, err = plan1D(p, f); err != nil {
			return err
		}
	}
	r, err := stride(f.subsample, g.res, g.vertex)
	if err != nil {
		return err
	}
	shard, shards := 0, 1
	if f.shard != "" {
		if shard, shards, err = data.ParseShard(f.shard); err != nil {
			return usageError{err}
		}
	} else if k, n, ok, err := data.ShardFromEnv(e.getenv, f.shards); err != nil {
		return usageError{err}
	} else if ok {
		shard, shards = k, n
	}
	cfg := &data.GenerateConfig{
		N: f.n, Seed: f.seed, Sampler: g.sampler, Solvers: g.solvers,
		Subsample: r,
		Shard:     shard, Shards: shards,
		Workers: f.workers,
		Out:     f.out,
		Coords:  g.coords,
		Axes:    g.axes,
		Meta:    g.meta,

		Checkpoint: f.ckpt,
		Force:      f.force,
	}
	if !f.quiet {
		cfg.Progress = stderr
	}
	res, err := data.Generate(cmd.Context(), cfg)
	if errors.Is(err, context.Canceled) {
		return fmt.Errorf("generate interrupted; rerun the same command to resume (completed blocks of --checkpoint samples are kept)")
	}
	if err != nil {
		return err
	}
	if res.Resumed {
		fmt.Fprintf(stdout, "%s is already complete (%d samples); nothing to do (--force recomputes it)\n", res.Path, res.Samples)
		return nil
	}
	per := time.Duration(0)
	if res.Computed > 0 {
		per = res.Elapsed / time.Duration(res.Computed)
	}
	resumed := ""
	if res.Computed < res.Samples {
		resumed = fmt.Sprintf(" (%d from checkpoints)", res.Samples-res.Computed)
	}
	stored := g.res / r
	if g.vertex {
		stored = (g.res-1)/r + 1
	}
	points, solved := fmt.Sprint(stored), fmt.Sprint(g.res)
	if g.dims == 2 {
		points, solved = points+"²", solved+"²"
	}
	fmt.Fprintf(stdout, "wrote %s: %d samples%s of %s on %s points (every %d of %s; %s), %s with %d workers, %s per solved sample\n",
		res.Path, res.Samples, resumed, g.name, points, r, solved, g.summary, res.Elapsed.Round(time.Millisecond), res.Workers, per.Round(10*time.Microsecond))
	return nil
}
