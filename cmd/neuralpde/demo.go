package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/neuralpde/neuralpde/data"
	"github.com/neuralpde/neuralpde/train"
	"github.com/spf13/cobra"
)

// demoConfigs are the training configurations the demo writes beside its
// results (when not there yet, so edits survive a rerun), for a user to
// read and rerun with neuralpde train --config.
var demoConfigs = map[string]string{
	"fno.yaml": `# FNO-1D of Li et al. (2021) at reduced width and epochs, so the demo stays short.
width: 32
modes: 16
layers: 4
epochs: 15
batch_size: 20
learning_rate: 0.002
decay_every: 5
decay_gamma: 0.5
train: 200
test: 50
`,
	"deeponet.yaml": `# DeepONet of Lu et al. (2021), relative-L2 loss, the burgers-periodic set-up at fewer steps.
branch: [64, 64]
trunk: [64, 64]
basis: 64
loss: rel-l2
batch_size: 50
steps: 6000
learning_rate: 0.001
decay_rate: 0.5
decay_steps: 2000
validation: 50
eval_every: 500
`,
	"pinn.yaml": `# Burgers' shock (Raissi et al. 2019) on a short budget: the preset's default
# recipe (MLP 2→20×4→1, tanh, hard constraints, 2500 collocation points) with
# its first two stages shortened: 500 Adam steps, then 40 Levenberg–Marquardt
# steps (seconds each on 2 busy cores; the default recipe runs 200, then 1000
# on 10,000 points).
stages:
  - optimizer: adam
    steps: 500
    learning_rate: 0.001
  - optimizer: lm
    steps: 40
`,
}

// tinyDemoConfigs replace demoConfigs for --tiny (the end-to-end test).
var tinyDemoConfigs = map[string]string{
	"fno.yaml":      "width: 8\nmodes: 4\nlayers: 2\nproj_width: 16\nepochs: 2\nbatch_size: 5\ntest: 4\n",
	"deeponet.yaml": "branch: [16]\ntrunk: [16]\nbasis: 16\nloss: rel-l2\nbatch_size: 5\nsteps: 30\nvalidation: 4\neval_every: 10\n",
	"pinn.yaml":     "network:\n  hidden: [8, 8]\npoints:\n  collocation: 200\nstages:\n  - optimizer: adam\n    steps: 20\n",
}

type demoFlags struct {
	out    string
	budget time.Duration
	quiet  bool
	tiny   bool
}

func newDemoCmd(e *env) *cobra.Command {
	f := new(demoFlags)
	cmd := &cobra.Command{
		Use:   "demo [--out DIR]",
		Short: "Run the main job on built-in defaults: dataset, FNO, DeepONet and PINN training, comparison report",
		Long: `Run the whole path once on built-in defaults, writing everything into DIR:

  1. solve burgers-shock with the classical solver (its reference);
  2. generate 250 burgers-periodic samples (u(0,·) ↦ u(1,·), ν = 0.1) on
     1024 points, and the same samples on every 4th point (256);
  3. train an FNO-1D and
  4. a DeepONet on the first 200 at 256 points (the last 50 held out);
  5. train a PINN on burgers-shock on a short budget;
  6. compare them with the classical solver on the 50 held-out samples,
     at 256 points and zero-shot at 1024 (DIR/compare/report.html).

Each training stops at --budget at the latest. A second run reuses what the
first one made (delete DIR, or a model's directory, to redo it). The
configurations used are written to DIR as YAML, for neuralpde train --config.`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error { return runDemo(cmd, e, f) },
	}
	cmd.Flags().StringVarP(&f.out, "out", "o", "neuralpde-demo", "output directory")
	cmd.Flags().DurationVar(&f.budget, "budget", 3*time.Minute, "longest each model trains")
	cmd.Flags().BoolVarP(&f.quiet, "quiet", "q", false, "no progress on stderr")
	cmd.Flags().BoolVar(&f.tiny, "tiny", false, "tiny data and models (the end-to-end test)")
	cmd.Flags().MarkHidden("tiny")
	return cmd
}

func runDemo(cmd *cobra.Command, e *env, f *demoFlags) error {
	stdout := cmd.OutOrStdout()
	if f.budget <= 0 {
		return usagef("--budget must be positive")
	}
	if err := os.MkdirAll(f.out, 0o755); err != nil {
		return err
	}
	configs := demoConfigs
	if f.tiny {
		configs = tinyDemoConfigs
	}
	path := func(name string) string { return filepath.Join(f.out, name) }
	exists := func(name string) bool { _, err := os.Stat(path(name)); return err == nil }
	for name, text := range configs {
		if !exists(name) {
			if err := os.WriteFile(path(name), []byte(text), 0o644); err != nil {
				return err
			}
		}
	}
	start := time.Now()
	step := func(n int, what string) {
		fmt.Fprintf(stdout, "\n[%d/6] %s (%s elapsed)\n", n, what, time.Since(start).Round(time.Second))
	}

	step(1, "classical solve of burgers-shock")
	if exists("burgers-shock.npz") {
		fmt.Fprintf(stdout, "%s exists; reusing it\n", path("burgers-shock.npz"))
	} else if err := runSolve(stdout, cmd.ErrOrStderr(), &solveFlags{preset: "burgers-shock", out: path("burgers-shock.npz"), quiet: f.quiet}); err != nil {
		return err
	}

	n, res, sub := 250, 1024, 4
	if f.tiny {
		n, res = 24, 256
	}
	full, coarse := fmt.Sprintf("burgers-periodic-%d.npz", res), fmt.Sprintf("burgers-periodic-%d.npz", res/sub)
	step(2, fmt.Sprintf("dataset: burgers-periodic, %d samples on %d points", n, res))
	gf := &generateFlags{preset: "burgers-periodic", n: n, res: res, subsample: 1, seed: 1, out: path(full), ckpt: 100, quiet: f.quiet}
	if err := runGenerate(cmd, e, gf); err != nil {
		return err
	}
	if !exists(coarse) {
		// The training set is the same samples on every 4th point, as the
		// FNO data set was made (u[::r]).
		ds, err := data.Load(gf.out)
		if err != nil {
			return err
		}
		thin, err := ds.Subsample(sub)
		if err != nil {
			return err
		}
		if err := thin.Save(path(coarse)); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "wrote %s: the same samples on every %dth point (%d points)\n", path(coarse), sub, res/sub)
	}

	trainModel := func(tf *trainFlags) error {
		if exists(filepath.Join(filepath.Base(tf.out), train.CheckpointFile)) {
			fmt.Fprintf(stdout, "%s exists; reusing it (delete it to retrain)\n", tf.out)
			return nil
		}
		parent := cmd.Context()
		ctx, cancel := context.WithTimeout(parent, f.budget)
		defer cancel()
		cmd.SetContext(ctx)
		defer cmd.SetContext(parent)
		tf.quiet = f.quiet
		if err := runTrain(cmd, tf); err != nil {
			return err
		}
		return parent.Err()
	}
	step(3, fmt.Sprintf("FNO-1D on burgers-periodic at %d points", res/sub))
	if err := trainModel(&trainFlags{model: "fno", data: path(coarse), config: path("fno.yaml"), out: path("fno")}); err != nil {
		return err
	}
	step(4, fmt.Sprintf("DeepONet on burgers-periodic at %d points", res/sub))
	if err := trainModel(&trainFlags{model: "deeponet", data: path(coarse), config: path("deeponet.yaml"), out: path("deeponet")}); err != nil {
		return err
	}
	step(5, "PINN on burgers-shock")
	if err := trainModel(&trainFlags{model: "pinn", preset: "burgers-shock", config: path("pinn.yaml"), out: path("pinn-burgers-shock")}); err != nil {
		return err
	}

	step(6, "compare with the classical solver")
	test := 50
	if f.tiny {
		test = 4
	}
	cf := &compareFlags{preset: "burgers-periodic", models: []string{"fno", "deeponet", "pinn", "nsm"}, data: path(full),
		checkpoints: []string{path("fno"), path("deeponet"), path("pinn-burgers-shock")},
		budget:      f.budget, trainRes: res / sub, test: test, out: path("compare"), quiet: f.quiet, tiny: f.tiny}
	if err := runCompare(cmd, e, cf); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\ndemo finished in %s; open %s\n", time.Since(start).Round(time.Second), path("compare/report.html"))
	return nil
}
