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
	preset    string
	n, res    int
	subsample int
	seed      uint64
	shard     string
	shards    int
	workers   int
	out       string
	modes     int
	dt        float64
	grfModes  int
	ckpt      int
	force     bool
	quiet     bool
}

func newGenerateCmd(e *env) *cobra.Command {
	f := new(generateFlags)
	cmd := &cobra.Command{
		Use:   "generate --preset P --n N --res R --seed S --out F.npz",
		Short: "Generate a dataset of input → output pairs for an operator-learning preset",
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
			return runGenerate(cmd, e, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.preset, "preset", "", "operator-learning preset (burgers-periodic)")
	fl.IntVar(&f.n, "n", 0, "number of samples in the whole dataset")
	fl.IntVar(&f.res, "res", 0, "grid points the inputs are drawn and solved on (0: the preset's NX)")
	fl.IntVar(&f.subsample, "subsample", 1, "store every r-th grid point (u[::r])")
	fl.Uint64Var(&f.seed, "seed", 0, "sampler seed")
	fl.StringVar(&f.shard, "shard", "", "compute shard k of n, as k/n (default: from Slurm/Kubernetes, else the whole dataset)")
	fl.IntVar(&f.shards, "shards", 0, "number of shards for a Kubernetes indexed Job (its completions); overrides SLURM_ARRAY_TASK_COUNT")
	fl.IntVar(&f.workers, "workers", 0, "parallel solvers (0: one per core, GOMAXPROCS)")
	fl.StringVarP(&f.out, "out", "o", "", "output .npz file")
	fl.IntVar(&f.modes, "modes", 0, "solver's internal Fourier resolution (0: max(res, tuned default))")
	fl.Float64Var(&f.dt, "dt", 0, "solver's time step (0: tuned default)")
	fl.IntVar(&f.grfModes, "grf-modes", 0, fmt.Sprintf("random-field modes kept (0: %d, or fewer if the grid cannot hold them)", data.DefaultGRFModes))
	fl.IntVar(&f.ckpt, "checkpoint", 100, "save every completed block of this many samples, so an interrupted run resumes (0: off)")
	fl.BoolVar(&f.force, "force", false, "recompute an output file that is already complete")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "no progress on stderr")
	return cmd
}

func runGenerate(cmd *cobra.Command, e *env, f *generateFlags) error {
	stdout, stderr := cmd.OutOrStdout(), cmd.ErrOrStderr()
	p, err := lookupPreset(f.preset)
	if err != nil {
		return err
	}
	switch {
	case p.InitialLaw == nil:
		return usagef("preset %q has fixed initial data; generate needs an operator-learning preset with a random initial law (use neuralpde solve for %s)", p.Name, p.Name)
	case p.BC.Kind != pde.PeriodicBC:
		return usagef("preset %q is not periodic; generate supports periodic operator-learning presets", p.Name)
	case f.n < 1:
		return usagef("--n must be at least 1")
	case f.out == "":
		return usagef("generate needs --out FILE.npz")
	case f.res < 0 || f.subsample < 1 || f.workers < 0 || f.modes < 0 || f.grfModes < 0 || f.shards < 0 || f.ckpt < 0 || f.dt < 0 || math.IsNaN(f.dt):
		return usagef("--res, --workers, --modes, --grf-modes, --shards, --checkpoint and --dt must not be negative, and --subsample must be at least 1")
	}
	res := f.res
	if res == 0 {
		res = p.NX
	}
	if res < 4 {
		return usagef("--res %d is too small; use at least 4 points", res)
	}
	if res%f.subsample != 0 {
		return usagef("--subsample %d does not divide --res %d", f.subsample, res)
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

	grid := p.SpaceGrid(res)
	sampler, err := data.NewGaussianRF(*p.InitialLaw, f.grfModes, grid)
	if err != nil {
		return usageError{err}
	}
	solverCfg := &classical.Config{Modes: f.modes, Dt: f.dt}
	probe, err := classical.NewOperatorSolver(p, res, solverCfg)
	if err != nil {
		return usageError{err}
	}
	cfg := &data.GenerateConfig{
		N: f.n, Seed: f.seed, Sampler: sampler,
		Solvers: func() (data.Solver, error) {
			return classical.NewOperatorSolver(p, res, solverCfg)
		},
		Subsample: f.subsample,
		Shard:     shard, Shards: shards,
		Workers: f.workers,
		Out:     f.out,
		Coords:  map[string]data.Array{"x": data.NewArray(grid.Points(nil), res)},
		Axes:    []string{"x"},
		Meta: data.Meta{
			Preset: p.Name, PDE: p.Equation.Name(), Params: pde.Params(p.Equation),
			Solver:     fmt.Sprintf("etdrk4 fourier pseudo-spectral, %d modes, dt %g, t %g→%g", probe.Modes(), probe.Dt(), p.T.A, p.T.B),
			Resolution: res,
		},
		Checkpoint: f.ckpt,
		Force:      f.force,
	}
	if !f.quiet {
		cfg.Progress = stderr
	}
	r, err := data.Generate(cmd.Context(), cfg)
	if errors.Is(err, context.Canceled) {
		return fmt.Errorf("generate interrupted; rerun the same command to resume (completed blocks of --checkpoint samples are kept)")
	}
	if err != nil {
		return err
	}
	if r.Resumed {
		fmt.Fprintf(stdout, "%s is already complete (%d samples); nothing to do (--force recomputes it)\n", r.Path, r.Samples)
		return nil
	}
	per := time.Duration(0)
	if r.Computed > 0 {
		per = r.Elapsed / time.Duration(r.Computed)
	}
	resumed := ""
	if r.Computed < r.Samples {
		resumed = fmt.Sprintf(" (%d from checkpoints)", r.Samples-r.Computed)
	}
	stored := res / f.subsample
	fmt.Fprintf(stdout, "wrote %s: %d samples%s of %s on %d points (solved on %d, %d modes, dt %g), %s with %d workers, %s per solved sample\n",
		r.Path, r.Samples, resumed, p.Name, stored, res, probe.Modes(), probe.Dt(), r.Elapsed.Round(time.Millisecond), r.Workers, per.Round(10*time.Microsecond))
	return nil
}
