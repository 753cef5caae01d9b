package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/neuralpde/neuralpde/nsm"
	"github.com/neuralpde/neuralpde/pde"
	"github.com/neuralpde/neuralpde/train"
	"github.com/spf13/cobra"
)

// models are the model families of neuralpde train, with what each trains
// on.
var models = []struct{ name, input, desc string }{
	{"pinn", "--preset P (a PDE preset above)", "physics-informed neural network (Raissi, Perdikaris & Karniadakis 2019)"},
	{"deeponet", "--data F.npz (neuralpde generate)", "deep operator network (Lu et al. 2021), data or physics-informed"},
	{"fno", "--data F.npz", "Fourier neural operator (Li et al. 2021); recurrent FNO-2D on data with a time axis"},
	{"fno-implicit", "--data F.npz", "implicit FNO: one weight-tied Fourier block solved to equilibrium"},
	{"nsm", "--preset " + strings.Join(nsmProblems(), " | "), "neural spectral method (Du, Chalapathi & Krishnapriyan 2024), physics-informed in coefficient space"},
}

// nsmProblems are the nsm problem names, ν written as <ν>.
func nsmProblems() []string {
	return []string{nsm.PoissonName, nsm.ReactionDiffusionPrefix + "<ν>", nsm.NavierStokesPrefix + "<ν>"}
}

func newListCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the named presets, models and optimizers",
		Args:  usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "PRESET\tKIND\tDESCRIPTION")
			for _, p := range pde.Presets() {
				fmt.Fprintf(w, "%s\t%s\t%s\n", p.Name, p.Kind, p.Description)
			}
			fmt.Fprintln(w, "\nMODEL\tTRAINS ON\tDESCRIPTION")
			for _, m := range models {
				fmt.Fprintf(w, "%s\t%s\t%s\n", m.name, m.input, m.desc)
			}
			fmt.Fprintln(w, "\nOPTIMIZER\tNEEDS\tSETTINGS\tDESCRIPTION")
			for _, o := range train.Optimizers() {
				name := o.Name
				if len(o.Aliases) > 0 {
					name += " (" + strings.Join(o.Aliases, ", ") + ")"
				}
				var needs []string
				if o.Requires != "" {
					needs = append(needs, o.Requires)
				}
				if o.FullBatch {
					needs = append(needs, "full batch")
				}
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", name, orDash(strings.Join(needs, ", ")), orDash(strings.Join(o.Settings, ", ")), o.Description)
			}
			fmt.Fprintln(w, "\nA model's optimizer is its config's optimizer key (pinn: each stage's), with the")
			fmt.Fprintln(w, "config's learning_rate (pinn stages: and damping); the other settings keep the")
			fmt.Fprintln(w, "optimizer's defaults from the CLI and are set through train.NewOptimizer in Go.")
			return w.Flush()
		},
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
