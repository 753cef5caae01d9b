package main

import (
	"fmt"
	"io"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/neuralpde/neuralpde/classical"
	"github.com/neuralpde/neuralpde/data"
	"github.com/neuralpde/neuralpde/pde"
	"github.com/spf13/cobra"
)

// solveMethods are the time steppers classical.SolvePreset accepts.
var solveMethods = []string{"etdrk4", "rk4", "dopri5", "sdirk2", "sdirk3", "cn"}

type solveFlags struct {
	preset string
	nx, nt int
	modes  int
	dt     float64
	method string
	out    string
	quiet  bool
}

func newSolveCmd() *cobra.Command {
	f := new(solveFlags)
	cmd := &cobra.Command{
		Use:   "solve --preset P --out F.npz",
		Short: "Solve a preset with a classical method and write x, t, u to a .npz file",
		Long: `Solve a preset with fixed initial data on its space–time grid and write the
arrays x (NX), t (NT) and u (NT, NX) to a .npz file, with the preset, method,
modes, time step and step count as JSON metadata. Zero flags take the preset's
tuned defaults. For presets with an exact solution the summary line reports the
relative L2 error against it over the whole grid.`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error { return runSolve(cmd.OutOrStdout(), cmd.ErrOrStderr(), f) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.preset, "preset", "", "preset name (see neuralpde list)")
	fl.IntVar(&f.nx, "nx", 0, "number of output grid points (0: the preset's)")
	fl.IntVar(&f.nt, "nt", 0, "number of output times (0: the preset's)")
	fl.IntVar(&f.modes, "modes", 0, "internal resolution: Fourier modes/points (0: tuned default)")
	fl.Float64Var(&f.dt, "dt", 0, "time step (0: tuned default)")
	fl.StringVar(&f.method, "method", "", "time stepper: etdrk4, rk4 or dopri5 (Fourier pseudo-spectral), sdirk2, sdirk3 or cn (Chebyshev collocation, Dirichlet presets) (empty: etdrk4)")
	fl.StringVarP(&f.out, "out", "o", "", "output .npz file")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "no progress on stderr")
	return cmd
}

// solveMeta is the metadata of a solve output file.
type solveMeta struct {
	Preset string             `json:"preset"`
	PDE    string             `json:"pde"`
	Params map[string]float64 `json:"params,omitempty"`
	Method string             `json:"method"`
	Modes  int                `json:"modes"`
	Dt     float64            `json:"dt"`
	Steps  int                `json:"steps"`
	RelL2  *float64           `json:"rel_l2_vs_exact,omitempty"`
}

func runSolve(stdout, stderr io.Writer, f *solveFlags) error {
	p, err := lookupPreset(f.preset)
	if err != nil {
		return err
	}
	switch {
	case f.out == "":
		return usagef("solve needs --out FILE.npz")
	case f.nx < 0 || f.nt < 0 || f.modes < 0 || f.dt < 0 || math.IsNaN(f.dt):
		return usagef("--nx, --nt, --modes and --dt must not be negative (0 means the default)")
	case f.method != "" && !slices.Contains(solveMethods, f.method):
		return usagef("unknown method %q (known methods: %v)", f.method, solveMethods)
	case p.Initial == nil:
		return usagef("preset %q has random initial data; use neuralpde generate --preset %s", p.Name, p.Name)
	}
	cfg := &classical.Config{NX: f.nx, NT: f.nt, Modes: f.modes, Dt: f.dt, Method: f.method}
	if !f.quiet {
		cfg.Progress = throttledProgress(stderr, "solve "+p.Name, p.T.B)
	}
	start := time.Now()
	sol, err := classical.SolvePreset(p, cfg)
	if err != nil {
		return err
	}
	wall := time.Since(start)
	meta := solveMeta{
		Preset: p.Name, PDE: p.Equation.Name(), Params: pde.Params(p.Equation),
		Method: sol.Method, Modes: sol.Modes, Dt: sol.Dt, Steps: sol.Steps,
	}
	errText := ""
	if p.Exact != nil {
		e := relL2Exact(p, sol)
		meta.RelL2 = &e
		errText = fmt.Sprintf(", relative L2 error vs exact %.3g", e)
	}
	nx, nt := len(sol.X), len(sol.T)
	arrays := map[string]data.Array{
		"x": data.NewArray(sol.X, nx),
		"t": data.NewArray(sol.T, nt),
		"u": data.NewArray(sol.U, nt, nx),
	}
	if err := data.WriteNPZ(f.out, arrays, meta); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %s, %d modes, dt %g, %d steps, %s%s; wrote %s (u: %d×%d)\n",
		p.Name, sol.Method, sol.Modes, sol.Dt, sol.Steps, wall.Round(time.Millisecond), errText, f.out, nt, nx)
	return nil
}

// relL2Exact returns ‖u − u_exact‖₂ / ‖u_exact‖₂ over the whole grid.
func relL2Exact(p *pde.Preset, sol *classical.Solution) float64 {
	var num, den float64
	for k, e := range p.ExactOnGrid(nil, sol.T, sol.X) {
		d := sol.U[k] - e
		num += d * d
		den += e * e
	}
	if den == 0 {
		return math.Sqrt(num)
	}
	return math.Sqrt(num / den)
}

// lookupPreset returns the named one-dimensional evolution preset. An
// unknown name is a usage error listing every preset; a preset of another
// kind is a usage error saying which kind it is.
func lookupPreset(name string) (*pde.Preset, error) {
	if name == "" {
		return nil, usagef("--preset is required (known presets: %v)", pde.AllPresetNames())
	}
	kind, err := pde.Kind(name)
	if err != nil {
		return nil, usageError{err}
	}
	if kind != pde.KindEvolution1D {
		return nil, usagef("preset %q is a %s preset; this command takes the %s presets (%v)", name, kind, pde.KindEvolution1D, pde.PresetNames())
	}
	return pde.Lookup(name)
}

// throttledProgress returns a classical progress callback that prints the
// simulated time to w at most every two seconds.
func throttledProgress(w io.Writer, label string, tEnd float64) func(t float64) {
	var mu sync.Mutex
	start := time.Now()
	last := start
	return func(t float64) {
		mu.Lock()
		defer mu.Unlock()
		n := time.Now()
		if n.Sub(last) < 2*time.Second {
			return
		}
		last = n
		fmt.Fprintf(w, "%s: t = %.4g of %g, %s elapsed\n", label, t, tEnd, n.Sub(start).Round(100*time.Millisecond))
	}
}
