package nsm

import (
	"flag"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/neuralpde/neuralpde/classical"
	"github.com/neuralpde/neuralpde/operators"
)

var paperModels = flag.String("nsm.paper", "", "comma-separated directories of trained reaction–diffusion NSMs (e.g. /tmp/nsm_runs/nsm-table-rd0.01/nsm): time each against ETDRK4, Strang splitting and the paper's Lie-splitting solver at matched accuracy")

// rdSolver is a classical reaction–diffusion solver of the timing
// comparisons: initial values on nx points → the solution at the times
// ts, with steps of at most dt.
type rdSolver struct {
	name  string
	solve func(u0 []float64, nu, rho float64, ts []float64, dt float64) ([]float64, error)
	// grids and steps are the configurations matchClassical tries: grid
	// points, and steps per output interval at resolution 64.
	grids, steps []int
}

var (
	etdrk4Solver = rdSolver{name: "ETDRK4", grids: []int{8, 16, 32, 64}, steps: []int{1, 2, 4, 8, 16},
		solve: func(u0 []float64, nu, rho float64, ts []float64, dt float64) ([]float64, error) {
			return classical.SolveReactDiff(nil, u0, nu, rho, 1, ts, dt)
		}}
	strangSolver = splitSolver(classical.StrangSplitting)
	lieSolver    = splitSolver(classical.LieSplitting)
)

func splitSolver(s classical.Splitting) rdSolver {
	return rdSolver{name: s.String() + " splitting", grids: []int{8, 16, 32, 64, 128}, steps: []int{1, 2, 4, 8, 16, 32, 64, 128},
		solve: func(u0 []float64, nu, rho float64, ts []float64, dt float64) ([]float64, error) {
			return classical.SolveReactDiffSplit(nil, u0, nu, rho, 1, ts, dt, s)
		}}
}

// matchClassical returns the cheapest configuration of the solver (grid
// points in x, steps per output interval at resolution 64) whose mean
// relative error on the held-out inputs is at most target, and that error.
func matchClassical(t *testing.T, p *ReactionDiffusion, cfg *Config, solver rdSolver, target float64) (nx, steps int, e float64) {
	return cheapest(t, solver.grids, solver.steps, target,
		func(n, s int) float64 { e, _ := classicalError(t, p, cfg, solver, n, s, 64); return e },
		func(n, s int) time.Duration { _, d := timeClassical(t, p, cfg, solver, n, s, 64); return d })
}

// classicalError returns the solver's mean error on the held-out inputs at
// resolution res with nx points and steps per output interval, and its
// mean wall time per sample.
func classicalError(t *testing.T, p *ReactionDiffusion, cfg *Config, solver rdSolver, nx, steps, res int) (float64, time.Duration) {
	M := p.mx * p.mt
	a := make([]float64, M*2)
	ref := make([]float64, res*res)
	u := make([]float64, res*res)
	var sum float64
	var total time.Duration
	for s := range cfg.Test {
		p.Input(a, testSeed(cfg.Seed), s)
		if err := p.Reference(ref, a, res); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		coarseSolve(t, u, p, a, solver, nx, steps, res)
		total += time.Since(start)
		sum += relL2(u, ref)
	}
	return sum / float64(cfg.Test), total / time.Duration(cfg.Test)
}

// timeClassical returns the error and the best-of-three wall time per
// sample of the solver's configuration at resolution res.
func timeClassical(t *testing.T, p *ReactionDiffusion, cfg *Config, solver rdSolver, nx, steps, res int) (float64, time.Duration) {
	return bestOfThree(func() (float64, time.Duration) { return classicalError(t, p, cfg, solver, nx, steps, res) })
}

// coarseSolve solves on nx points with steps steps per interval between
// the res uniform output times, and writes u on the res×res output grid
// (Fourier resampling in x when nx ≠ res).
func coarseSolve(t *testing.T, dst []float64, p *ReactionDiffusion, a []float64, solver rdSolver, nx, steps, res int) {
	c := make([]float64, p.mx)
	for i := range c {
		c[i] = a[(i*p.mt)*2]
	}
	u0 := make([]float64, nx)
	if nx >= p.fx.MinPoints() {
		p.fx.Inverse(u0, c)
	} else {
		p.fx.Eval(u0, c, operators.NewFourierBasis(1, 0, 1).Points(nx))
	}
	_, ts := p.Grid(res)
	sol, err := solver.solve(u0, p.Nu, p.Rho, ts, ts[1]/float64(steps)*(1+1e-12))
	if err != nil {
		t.Fatal(err)
	}
	plan := operators.NewFourier(nx, 1)
	row := make([]float64, res)
	for q := range res {
		if nx == res {
			copy(row, sol[q*nx:(q+1)*nx])
		} else {
			plan.Resample(row, sol[q*nx:(q+1)*nx], res)
		}
		for pi, v := range row {
			dst[pi*res+q] = v
		}
	}
}

// TestLongPaperSolver (-nsm.paper) times trained reaction–diffusion NSMs
// against three classical solvers at matched accuracy: ETDRK4 and Strang
// splitting with free grid and step, and Du et al.'s own reference solver,
// Lie splitting on n points with n steps (plot/reaction.solver.py in
// their code runs it on an n × (n+1) grid), whose cost their inference
// headline is measured against.
func TestLongPaperSolver(t *testing.T) {
	if *paperModels == "" {
		t.Skip("long run; set -nsm.paper=<model dirs>")
	}
	for _, dir := range strings.Split(*paperModels, ",") {
		paperTiming(t, dir)
	}
}

func paperTiming(t *testing.T, dir string) {
	m, prob, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	p, ok := prob.(*ReactionDiffusion)
	if !ok {
		t.Fatalf("%s: a %s model; -nsm.paper times reaction–diffusion models", dir, prob.Name())
	}
	cfg := m.Config()
	res := []int{64, 128, 256}
	type row struct {
		name string
		err  [3]float64
		inf  [3]time.Duration
	}
	var nsm row
	nsm.name = "NSM"
	for i, n := range res {
		nsm.err[i], nsm.inf[i] = inferenceNSM(t, m, p, testSeed(cfg.Seed), cfg.Test, n)
	}
	rows := []row{nsm}
	timeRow := func(name string, solver rdSolver, nx, steps int) row {
		r := row{name: name}
		for i, n := range res {
			// The same number of steps at every resolution: steps per
			// interval scale with the 63 intervals of resolution 64.
			per := max(1, (steps*63+n-2)/(n-1))
			r.err[i], r.inf[i] = timeClassical(t, p, cfg, solver, nx, per, n)
		}
		return r
	}
	for _, s := range []rdSolver{etdrk4Solver, strangSolver, lieSolver} {
		nx, steps, _ := matchClassical(t, p, cfg, s, nsm.err[0])
		rows = append(rows, timeRow(fmt.Sprintf("%s, %d points, %d steps", s.name, nx, 63*steps), s, nx, steps))
	}
	// The paper's configuration: Lie splitting on n points with about n
	// steps, the smallest power of two n that reaches the NSM's error.
	for n := 16; n <= 4096; n *= 2 {
		per := max(1, (n+31)/63)
		e, _ := classicalError(t, p, cfg, lieSolver, n, per, 64)
		t.Logf("Lie splitting, %d points, %d steps: rel L2 %.2e", n, 63*per, e)
		if e <= nsm.err[0] || n == 4096 {
			rows = append(rows, timeRow(fmt.Sprintf("Lie splitting, n = %d points, %d steps (the paper's n × n grid, at least one step per output interval)", n, 63*per), lieSolver, n, per))
			break
		}
	}
	fmt.Printf("\nreaction–diffusion ν = %g (%s): inference per sample (wall, best of 3) and held-out rel L2 at 64 / 128 / 256 output points\n", p.Nu, dir)
	fmt.Println("| method | 64 | 128 | 256 | rel L2 64 | 128 | 256 | NSM speed-up 64 | 128 | 256 |")
	fmt.Println("|---|---|---|---|---|---|---|---|---|---|")
	for _, r := range rows {
		fmt.Printf("| %s | %v | %v | %v | %.2e | %.2e | %.2e | %.2f× | %.2f× | %.2f× |\n", r.name,
			r.inf[0].Round(time.Microsecond), r.inf[1].Round(time.Microsecond), r.inf[2].Round(time.Microsecond), r.err[0], r.err[1], r.err[2],
			float64(r.inf[0])/float64(nsm.inf[0]), float64(r.inf[1])/float64(nsm.inf[1]), float64(r.inf[2])/float64(nsm.inf[2]))
	}
}
