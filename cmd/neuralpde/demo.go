package main

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/neuralpde/neuralpde/data"
	"github.com/spf13/cobra"
)

// demoConfigs are the training configurations the demo writes beside its
// results, so a user can read and rerun them with neuralpde train --config.
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
	"pinn.yaml": `# MLP 2→20×3→1 (tanh) on 1000 Sobol points: 300 Adam steps, then 60 Levenberg–Marquardt steps.
stages:
  - optimizer: adam
    steps: 300
    learning_rate: 0.001
  - optimizer: lm
    steps: 60
`,
}

type demoFlags struct {
	out   string
	quiet bool
}

func newDemoCmd(e *env) *cobra.Command {
	f := new(demoFlags)
	cmd := &cobra.Command{
		Use:   "demo [--out DIR]",
		Short: "Run the main job on built-in defaults: classical solve, dataset, FNO and PINN training",
		Long: `Run the whole path once on built-in defaults, writing everything into DIR:

  1. solve burgers-shock with the classical solver, compared with its
     Cole–Hopf exact solution;
  2. generate 250 burgers-periodic samples (u(0,·) ↦ u(1,·), ν = 0.1)
     on 1024 points, and the same samples on every 4th point (256);
  3. train an FNO-1D on 200 of them and evaluate it on the 50 held out, at
     256 points and zero-shot at the full 1024 points;
  4. train a PINN on poisson-sine (−Δu = 2π² sin πx sin πy) with Adam then
     Levenberg–Marquardt, and evaluate it against the exact solution.

A second run reuses what the first one made (delete DIR to start over). The
configurations used are written to DIR as YAML, for neuralpde train --config.`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error { return runDemo(cmd, e, f) },
	}
	cmd.Flags().StringVarP(&f.out, "out", "o", "neuralpde-demo", "output directory")
	cmd.Flags().BoolVarP(&f.quiet, "quiet", "q", false, "no progress on stderr")
	return cmd
}

func runDemo(cmd *cobra.Command, e *env, f *demoFlags) error {
	stdout := cmd.OutOrStdout()
	if err := os.MkdirAll(f.out, 0o755); err != nil {
		return err
	}
	for name, text := range demoConfigs {
		if err := os.WriteFile(filepath.Join(f.out, name), []byte(text), 0o644); err != nil {
			return err
		}
	}
	start := time.Now()
	step := func(n int, what string) {
		fmt.Fprintf(stdout, "\n[%d/4] %s (%s elapsed)\n", n, what, time.Since(start).Round(time.Second))
	}
	path := func(name string) string { return filepath.Join(f.out, name) }
	exists := func(name string) bool { _, err := os.Stat(path(name)); return err == nil }

	step(1, "classical solve of burgers-shock")
	if err := runSolve(stdout, cmd.ErrOrStderr(), &solveFlags{preset: "burgers-shock", out: path("burgers-shock.npz"), quiet: f.quiet}); err != nil {
		return err
	}

	step(2, "dataset: burgers-periodic, 250 samples")
	gf := &generateFlags{preset: "burgers-periodic", n: 250, res: 1024, subsample: 1, seed: 1,
		out: path("burgers-periodic-1024.npz"), ckpt: 100, quiet: f.quiet}
	if err := runGenerate(cmd, e, gf); err != nil {
		return err
	}
	if !exists("burgers-periodic-256.npz") {
		// The training set is the same samples on every 4th point, as the
		// FNO data set was made (u[::r]).
		full, err := data.Load(gf.out)
		if err != nil {
			return err
		}
		coarse, err := full.Subsample(4)
		if err != nil {
			return err
		}
		if err := coarse.Save(path("burgers-periodic-256.npz")); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "wrote %s: the same samples on every 4th point (256 points)\n", path("burgers-periodic-256.npz"))
	}

	step(3, "FNO-1D on burgers-periodic")
	if exists("fno/checkpoint.npz") {
		fmt.Fprintf(stdout, "%s exists; evaluating it (delete it to retrain)\n", path("fno"))
	} else if err := runTrain(cmd, &trainFlags{model: "fno", data: path("burgers-periodic-256.npz"), config: path("fno.yaml"), out: path("fno"), quiet: f.quiet}); err != nil {
		return err
	}
	for _, d := range []string{"burgers-periodic-256.npz", "burgers-periodic-1024.npz"} {
		fmt.Fprintf(stdout, "on %s (all 250 samples; the last 50 were held out): ", d)
		if err := runEval(cmd, &evalFlags{checkpoint: path("fno"), data: path(d)}); err != nil {
			return err
		}
	}

	step(4, "PINN on poisson-sine")
	if exists("pinn-poisson-sine/checkpoint.npz") {
		fmt.Fprintf(stdout, "%s exists; evaluating it (delete it to retrain)\n", path("pinn-poisson-sine"))
		if err := runEval(cmd, &evalFlags{checkpoint: path("pinn-poisson-sine")}); err != nil {
			return err
		}
	} else if err := runTrain(cmd, &trainFlags{model: "pinn", preset: "poisson-sine", config: path("pinn.yaml"), out: path("pinn-poisson-sine"), quiet: f.quiet}); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\ndemo finished in %s; everything is in %s\n", time.Since(start).Round(time.Second), f.out)
	return nil
}
