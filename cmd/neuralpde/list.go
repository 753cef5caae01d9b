package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/neuralpde/neuralpde/pde"
	"github.com/neuralpde/neuralpde/train"
	"github.com/spf13/cobra"
)

// optimizers are the optimizer names of the CLI with the train type each
// names; referencing the types here makes the list fail to build, not
// drift, when one is renamed.
var optimizers = []struct {
	name string
	opt  train.Optimizer
	desc string
}{
	{"sgd", (*train.SGD)(nil), "SGD with heavy-ball or Nesterov momentum"},
	{"adam", (*train.Adam)(nil), "Adam (Kingma & Ba 2015)"},
	{"adamw", (*train.AdamW)(nil), "Adam with decoupled weight decay (Loshchilov & Hutter 2019)"},
	{"amsgrad", (*train.AMSGrad)(nil), "AMSGrad (Reddi, Kale & Kumar 2018)"},
	{"adamax", (*train.AdaMax)(nil), "AdaMax, Adam in the infinity norm"},
	{"lbfgs", (*train.LBFGS)(nil), "L-BFGS with a strong-Wolfe line search"},
	{"gauss-newton", (*train.GaussNewton)(nil), "Gauss–Newton for least-squares objectives"},
	{"levenberg-marquardt", (*train.LevenbergMarquardt)(nil), "Levenberg–Marquardt, damped Gauss–Newton"},
	{"shampoo", (*train.Shampoo)(nil), "Shampoo (Gupta, Koren & Singer 2018)"},
	{"muon", (*train.Muon)(nil), "Muon (Jordan et al. 2024)"},
	{"polyak", (*train.Polyak)(nil), "Polyak step size (Polyak 1969)"},
	{"lazy-newton", (*train.Newton)(nil), "Newton with lazy Hessians (Doikov, Chayti & Jaggi 2023)"},
}

// models are the model families the project is building; none is wired
// into the CLI yet.
var models = []struct{ name, desc string }{
	{"pinn", "physics-informed neural network (Raissi, Perdikaris & Karniadakis 2019)"},
	{"deeponet", "deep operator network (Lu et al. 2021)"},
	{"fno", "Fourier neural operator (Li et al. 2021)"},
	{"nsm", "neural spectral method (Du et al. 2024)"},
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
			fmt.Fprintln(w, "\nMODEL\tSTATUS\tDESCRIPTION")
			for _, m := range models {
				fmt.Fprintf(w, "%s\tplanned\t%s\n", m.name, m.desc)
			}
			fmt.Fprintln(w, "\nOPTIMIZER\tSTATUS\tDESCRIPTION")
			for _, o := range optimizers {
				fmt.Fprintf(w, "%s\tlibrary\t%s\n", o.name, o.desc)
			}
			return w.Flush()
		},
	}
}
