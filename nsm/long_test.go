package nsm

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/neuralpde/neuralpde/internal/cputime"
	"github.com/neuralpde/neuralpde/train"
)

var (
	longRuns    = flag.String("nsm.long", "", "comma-separated long NSM runs: poisson, poisson-precond, rd<ν> (e.g. rd0.01), ns<ν> (e.g. ns0.001), fno-residual-rd<ν>, fno-data-rd<ν>, table-poisson, table-rd<ν> (e.g. table-rd0.01), table-ns<ν> (e.g. table-ns0.01), timing-rd<ν>, floor (reaction–diffusion's best approximation in the basis, seconds)")
	longSteps   = flag.Int("nsm.steps", 0, "optimizer steps of the long runs; 0 means the config's")
	fnoSteps    = flag.Int("nsm.fnosteps", 0, "optimizer steps of the FNO baselines in table runs; 0 means -nsm.steps, negative (table-ns) none")
	longDir     = flag.String("nsm.dir", os.TempDir(), "directory for the long runs' outputs")
	longSeed    = flag.Uint64("nsm.seed", 0, "seed of the long runs (inputs, initial weights, shuffling)")
	longWeights = flag.String("nsm.weights", "", "spectral weights of the long runs' NSM: complex or real; empty means the config's default")
	longNorm    = flag.String("nsm.norm", "", "residual norm of the long runs' NSM: l2 or integrated; empty means l2")
	longRate    = flag.Float64("nsm.lr", 0, "initial learning rate of the long runs' NSM (table runs keep the FNO baselines' default); 0 means the config's")
	longOpt     = flag.String("nsm.opt", "", "optimizer of the long runs' NSM and FNO baselines (a name of train.Optimizers: adam, muon, shampoo, …); empty means the config's")
	longSched   = flag.String("nsm.schedule", "", "learning-rate schedule of the long runs' NSM and FNO baselines (fno-*-rd<ν> and table runs alike): step or cosine; empty means the config's")
)

// TestLong runs the named long runs and prints their figures:
//
//	go test ./nsm -run Long -nsm.long=table-rd0.01 -nsm.steps=1000 -v -timeout 0
func TestLong(t *testing.T) {
	if *longRuns == "" {
		t.Skip("no -nsm.long runs requested")
	}
	for _, name := range strings.Split(*longRuns, ",") {
		t.Run(name, func(t *testing.T) {
			switch {
			case name == "poisson" || name == "poisson-precond":
				p, err := NewProblem(PoissonName)
				if err != nil {
					t.Fatal(err)
				}
				cfg := longConfig(p)
				cfg.Precondition = name == "poisson-precond"
				c0, w0 := cputime.Process(), time.Now()
				res, err := Train(context.Background(), cfg, p, filepath.Join(*longDir, "nsm-"+name), os.Stdout)
				if err != nil {
					t.Fatal(err)
				}
				t.Logf("%s: %d steps, loss %.3e, test rel L2 %.3e, wall %v, CPU %v", name, res.Train.Steps, res.Train.Loss, res.TestRelL2, time.Since(w0).Round(time.Second), (cputime.Process() - c0).Round(time.Second))
			case strings.HasPrefix(name, "rd") || strings.HasPrefix(name, "ns"):
				prefix := map[string]string{"rd": ReactionDiffusionPrefix, "ns": NavierStokesPrefix}[name[:2]]
				p, err := NewProblem(prefix + name[2:])
				if err != nil {
					t.Fatal(err)
				}
				cfg := longConfig(p)
				c0, w0 := cputime.Process(), time.Now()
				res, err := Train(context.Background(), cfg, p, filepath.Join(*longDir, "nsm-"+name), os.Stdout)
				if err != nil {
					t.Fatal(err)
				}
				t.Logf("%s: %d steps, loss %.3e, test rel L2 %.3e, wall %v, CPU %v", name, res.Train.Steps, res.Train.Loss, res.TestRelL2, time.Since(w0).Round(time.Second), (cputime.Process() - c0).Round(time.Second))
			case strings.HasPrefix(name, "fno-residual-rd") || strings.HasPrefix(name, "fno-data-rd"):
				// One FNO baseline alone, at -nsm.lr and -nsm.fnosteps: the
				// check that a learning rate tuned for the NSM does not
				// also help the baseline.
				loss, nuText, _ := strings.Cut(strings.TrimPrefix(name, "fno-"), "-rd")
				nu, err := strconv.ParseFloat(nuText, 64)
				if err != nil {
					t.Fatal(err)
				}
				p, err := NewReactionDiffusion(nu, rdRho, rdFrequencies, rdChebyshev)
				if err != nil {
					t.Fatal(err)
				}
				cfg := longConfig(p)
				if *fnoSteps > 0 {
					cfg.Steps, cfg.DecayEvery = *fnoSteps, max(*fnoSteps/4, 1)
				}
				c0, w0 := cputime.Process(), time.Now()
				res, err := TrainFNO(context.Background(), cfg, p, loss, 64, filepath.Join(*longDir, name), os.Stdout)
				if err != nil {
					t.Fatal(err)
				}
				t.Logf("%s: %d steps at rate %g, test rel L2 %.3e, wall %v, CPU %v", name, cfg.Steps, cfg.LearningRate, res.TestRelL2, time.Since(w0).Round(time.Second), (cputime.Process() - c0).Round(time.Second))
			case strings.HasPrefix(name, "table-ns"):
				tableNS(t, name)
			case strings.HasPrefix(name, "timing-rd"):
				timingRD(t, name)
			case name == "floor":
				floorRD(t)
			case name == "table-poisson":
				tablePoisson(t)
			case strings.HasPrefix(name, "table-rd"):
				nu, err := strconv.ParseFloat(strings.TrimPrefix(name, "table-rd"), 64)
				if err != nil {
					t.Fatal(err)
				}
				tableRD(t, nu)
			default:
				t.Fatalf("unknown long run %q", name)
			}
		})
	}
}

func longConfig(p Problem) *Config {
	cfg := DefaultConfig(p)
	if *longSteps > 0 {
		cfg.Steps, cfg.DecayEvery = *longSteps, *longSteps/4
	}
	cfg.Seed = *longSeed
	if *longWeights != "" {
		cfg.Weights = *longWeights
	}
	if *longRate > 0 {
		cfg.LearningRate = *longRate
	}
	if *longOpt != "" {
		cfg.Optimizer = *longOpt
	}
	if *longSched != "" {
		cfg.Schedule = *longSched
	}
	cfg.ResidualNorm = *longNorm
	return cfg
}

// inferenceNSM returns the NSM's error and wall time per sample at
// resolution n on the held-out inputs (forward pass at batch samples and
// the series on the n×n grid).
func inferenceNSM(t *testing.T, m *Model, p Problem, seed uint64, samples, n int) (float64, time.Duration) {
	ev, err := evaluate(m, p, seed, samples, n)
	if err != nil {
		t.Fatal(err)
	}
	return ev.RelL2, inferenceTime(m, p, seed, samples, n)
}

// inferenceTime returns the NSM's best-of-three wall time per sample at
// resolution n (forward pass at batch samples and the series on the
// output grid), with no references solved.
func inferenceTime(m *Model, p Problem, seed uint64, samples, n int) time.Duration {
	in, _ := p.Channels()
	a := heldOutInputs(p, m.mx*m.my*in, seed, samples)
	_, nv := p.Sizes(n)
	pred := make([]float64, samples*nv)
	best := time.Duration(math.MaxInt64)
	for range 3 {
		best = min(best, infer(pred, m, p, a, samples, n))
	}
	return best
}

// tableRD trains NSM, FNO+residual and FNO+data on reaction–diffusion with
// ν and the same budget, and prints the table.
func tableRD(t *testing.T, nu float64) {
	p, err := NewReactionDiffusion(nu, rdRho, rdFrequencies, rdChebyshev)
	if err != nil {
		t.Fatal(err)
	}
	cfg := longConfig(p)
	dir := filepath.Join(*longDir, fmt.Sprintf("nsm-table-rd%g", nu))
	res := []int{64, 128, 256}
	var rows []tableRow

	c0, w0 := cputime.Process(), time.Now()
	nr, err := Train(context.Background(), cfg, p, filepath.Join(dir, "nsm"), os.Stdout)
	if err != nil {
		t.Fatal(err)
	}
	r := tableRow{name: "NSM (spectral loss)", err: nr.TestRelL2, wall: time.Since(w0), cpu: cputime.Process() - c0, metricsDir: filepath.Join(dir, "nsm")}
	for i, n := range res {
		r.infErr[i], r.inf[i] = inferenceNSM(t, nr.Model, p, testSeed(cfg.Seed), cfg.Test, n)
	}
	rows = append(rows, r)
	nsmErr := nr.TestRelL2
	rows = append(rows, trainFNORows(t, cfg, p, dir, res)...)

	// The classical solver at matched accuracy: the cheapest grid and step
	// whose error at resolution 64 is at most the NSM's.
	nx, steps, cerr := matchClassical(t, p, cfg, etdrk4Solver, nsmErr)
	cr := tableRow{name: fmt.Sprintf("ETDRK4 %d points, %d steps/output interval", nx, steps), err: cerr}
	for i, n := range res {
		cr.infErr[i], cr.inf[i] = timeClassical(t, p, cfg, etdrk4Solver, nx, steps, n)
	}
	rows = append(rows, cr)

	fmt.Printf("\nreaction–diffusion ν = %g, ρ = %g: %d steps, batch %d, width %d, %d layers, %d×%d modes; %d held-out inputs\n",
		nu, rdRho, cfg.Steps, cfg.BatchSize, cfg.Width, cfg.Layers, p.mx, p.mt, cfg.Test)
	printTable(rows)
	fmt.Printf("metrics: %s/{nsm,fno-residual,fno-data}/metrics.jsonl\n", dir)
	// Equal training time: each FNO's held-out error at the last
	// evaluation within the NSM's training time (its own clock).
	nsmSeconds := nr.Train.Runtime.Seconds()
	for _, loss := range []string{FNOResidual, FNOData} {
		e, at := errorAt(t, filepath.Join(dir, "fno-"+loss, train.MetricsFile), nsmSeconds)
		fmt.Printf("at the NSM's training time %.0f s: NSM %.2e, FNO+%s %.2e (evaluated at %.0f s): ratio %.1f\n", nsmSeconds, nsmErr, loss, e, at, e/nsmErr)
	}
}

// timingRD loads the NSM trained by table-rd<ν> (-nsm.dir) and prints
// its error and inference time per sample at 64, 128 and 256 beside the
// baseline FNO's inference time and the classical solver at matched
// accuracy, without training anything.
func timingRD(t *testing.T, name string) {
	nu := strings.TrimPrefix(name, "timing-rd")
	m, prob, err := Load(filepath.Join(*longDir, "nsm-table-rd"+nu, "nsm"))
	if err != nil {
		t.Fatal(err)
	}
	p := prob.(*ReactionDiffusion)
	cfg := m.Config()
	res := []int{64, 128, 256}
	var nsmErr [3]float64
	var nsmInf, fnoInf, clInf [3]time.Duration
	for i, n := range res {
		nsmErr[i], nsmInf[i] = inferenceNSM(t, m, p, testSeed(cfg.Seed), cfg.Test, n)
		fnoInf[i] = timeFNO(t, cfg, p, n)
	}
	nx, steps, cerr := matchClassical(t, p, cfg, etdrk4Solver, nsmErr[0])
	var clErr [3]float64
	for i, n := range res {
		clErr[i], clInf[i] = timeClassical(t, p, cfg, etdrk4Solver, nx, steps, n)
	}
	fmt.Printf("\nreaction–diffusion ν = %s: inference per sample (wall, best of 3) and held-out rel L2\n", nu)
	fmt.Println("| method | 64 | 128 | 256 | rel L2 64 | 128 | 256 |")
	fmt.Println("|---|---|---|---|---|---|---|")
	fmt.Printf("| NSM | %v | %v | %v | %.2e | %.2e | %.2e |\n", nsmInf[0], nsmInf[1], nsmInf[2], nsmErr[0], nsmErr[1], nsmErr[2])
	fmt.Printf("| FNO (same width, modes; forward of one sample) | %v | %v | %v | | | |\n", fnoInf[0], fnoInf[1], fnoInf[2])
	fmt.Printf("| ETDRK4 %d points, %d steps per output interval (matched at 64: %.2e) | %v | %v | %v | %.2e | %.2e | %.2e |\n", nx, steps, cerr, clInf[0], clInf[1], clInf[2], clErr[0], clErr[1], clErr[2])
	for i, n := range res {
		fmt.Printf("speed-up of NSM over the matched classical solver at %d: %.1f×\n", n, float64(clInf[i])/float64(nsmInf[i]))
	}
}

// timeFNO returns the best-of-three wall time of one sample's forward
// pass of p's baseline FNO on an n×n grid, with the lifting u = u₀ + t·v.
func timeFNO(t *testing.T, cfg *Config, p Problem, n int) time.Duration {
	f, err := newBaselineFNO(cfg, p, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	x := make([]float64, n*n*3)
	for i := range x {
		x[i] = 0.5
	}
	v := make([]float64, n*n*f.Out)
	best := time.Duration(math.MaxInt64)
	for range 3 {
		s := time.Now()
		f.Forward(v, x, 1, n, n)
		for i := range v {
			v[i] = x[3*(i/f.Out)] + x[3*(i/f.Out)+2]*v[i]
		}
		best = min(best, time.Since(s))
	}
	return best
}

// errorAt returns the last eval_loss of a metrics file recorded within
// seconds of training, and when it was recorded (the first one if none
// was).
func errorAt(t *testing.T, path string, seconds float64) (float64, float64) {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	e, at := math.NaN(), math.NaN()
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var m struct {
			EvalLoss *float64 `json:"eval_loss"`
			Seconds  float64  `json:"seconds"`
		}
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatal(err)
		}
		if m.EvalLoss == nil {
			continue
		}
		if m.Seconds > seconds && !math.IsNaN(e) {
			break
		}
		e, at = *m.EvalLoss, m.Seconds
	}
	return e, at
}

// cheapest returns the fastest (timeOf) configuration of grids × steps
// whose error (errOf) is at most target, trying for each grid the fewest
// steps first (more steps only cost more), and its error; the finest one
// if none reaches target.
func cheapest(t *testing.T, grids, steps []int, target float64, errOf func(n, s int) float64, timeOf func(n, s int) time.Duration) (n, s int, e float64) {
	best := time.Duration(math.MaxInt64)
	for _, gn := range grids {
		for _, gs := range steps {
			err := errOf(gn, gs)
			t.Logf("classical %d points per axis, %d steps per output interval: rel L2 %.2e", gn, gs, err)
			if !(err <= target) {
				continue
			}
			if d := timeOf(gn, gs); d < best {
				best, n, s, e = d, gn, gs, err
			}
			break
		}
	}
	if n == 0 {
		n, s = grids[len(grids)-1], steps[len(steps)-1]
		t.Logf("no classical configuration up to %d points and %d steps per interval reaches %.2e; using those", n, s, target)
		e = errOf(n, s)
	}
	return n, s, e
}

// bestOfThree runs run three times and returns its first error and its
// shortest time.
func bestOfThree(run func() (float64, time.Duration)) (float64, time.Duration) {
	e, d := run()
	for range 2 {
		_, d2 := run()
		d = min(d, d2)
	}
	return e, d
}

// tablePoisson trains the NSM on periodic Poisson with and without the
// spectral preconditioner (same seed, steps and schedule) and compares
// them with the FFT solver; it prints the steps each needs to reach fixed
// held-out errors.
func tablePoisson(t *testing.T) {
	p, err := NewPoisson2D(poissonFrequencies)
	if err != nil {
		t.Fatal(err)
	}
	cfg := longConfig(p)
	fmt.Printf("\nperiodic Poisson, %d frequencies per axis: %d steps, batch %d, width %d, %d layers\n", p.K, cfg.Steps, cfg.BatchSize, cfg.Width, cfg.Layers)
	fmt.Println("| method | rel L2 64 | 128 | 256 | train wall | train CPU | infer/sample 64 | 128 | 256 |")
	fmt.Println("|---|---|---|---|---|---|---|---|---|")
	var ref [3]time.Duration
	var dirs []string
	var nsmSeconds float64
	for _, pre := range []bool{false, true} {
		c := *cfg
		c.Precondition = pre
		name := "NSM (spectral loss)"
		dir := filepath.Join(*longDir, "nsm-table-poisson", "plain")
		if pre {
			name = "NSM + spectral preconditioner"
			dir = filepath.Join(*longDir, "nsm-table-poisson", "precond")
		}
		dirs = append(dirs, dir)
		c0, w0 := cputime.Process(), time.Now()
		nr, err := Train(context.Background(), &c, p, dir, os.Stdout)
		if err != nil {
			t.Fatal(err)
		}
		wall, cpu := time.Since(w0), cputime.Process()-c0
		if !pre {
			nsmSeconds = nr.Train.Runtime.Seconds()
		}
		var errs [3]float64
		var inf [3]time.Duration
		for i, n := range []int{64, 128, 256} {
			errs[i], inf[i] = inferenceNSM(t, nr.Model, p, testSeed(cfg.Seed), cfg.Test, n)
			ev, err := evaluate(nr.Model, p, testSeed(cfg.Seed), cfg.Test, n)
			if err != nil {
				t.Fatal(err)
			}
			ref[i] = ev.Reference
		}
		fmt.Printf("| %s | %.2e | %.2e | %.2e | %v | %v | %v | %v | %v |\n", name, errs[0], errs[1], errs[2], wall.Round(time.Second), cpu.Round(time.Second), inf[0], inf[1], inf[2])
	}
	// The grid FNOs with the NSM's budget (-nsm.fnosteps, if set, in
	// place of its steps) on a 64² grid with its modes; negative: none.
	if *fnoSteps >= 0 {
		fcfg := *cfg
		if *fnoSteps > 0 {
			fcfg.Steps, fcfg.DecayEvery = *fnoSteps, max(*fnoSteps/4, 1)
		}
		for _, loss := range []string{FNOResidual, FNOData} {
			dir := filepath.Join(*longDir, "nsm-table-poisson", "fno-"+loss)
			c0, w0 := cputime.Process(), time.Now()
			fr, err := TrainFNO(context.Background(), &fcfg, p, loss, 64, dir, os.Stdout)
			if err != nil {
				t.Fatal(err)
			}
			wall, cpu := time.Since(w0), cputime.Process()-c0
			var inf [3]time.Duration
			for i, n := range []int{64, 128, 256} {
				inf[i] = timeFNO(t, cfg, p, n)
			}
			fmt.Printf("| FNO+%s, %d steps (error at 64 only) | %.2e | | | %v | %v | %v | %v | %v |\n", loss, fcfg.Steps, fr.TestRelL2, wall.Round(time.Second), cpu.Round(time.Second), inf[0], inf[1], inf[2])
			e, at := errorAt(t, filepath.Join(dir, train.MetricsFile), nsmSeconds)
			defer fmt.Printf("at the plain NSM's training time %.0f s: FNO+%s %.2e (evaluated at %.0f s)\n", nsmSeconds, loss, e, at)
		}
	}
	// The FFT solve against the exact series u_k = f_k/λ_k.
	var fftErr [3]float64
	M := p.basis.Len()
	a, u := make([]float64, M), make([]float64, M)
	for i, n := range []int{64, 128, 256} {
		got, want := make([]float64, n*n), make([]float64, n*n)
		for s := range cfg.Test {
			p.Input(a, testSeed(cfg.Seed), s)
			for k := 1; k < M; k++ {
				u[k] = a[k] / p.lambda[k]
			}
			if err := p.Reference(got, a, n); err != nil {
				t.Fatal(err)
			}
			p.Values(want, u, n)
			fftErr[i] += relL2(got, want) / float64(cfg.Test)
		}
	}
	fmt.Printf("| FFT solve | %.1e | %.1e | %.1e | – | – | %v | %v | %v |\n", fftErr[0], fftErr[1], fftErr[2], ref[0], ref[1], ref[2])
	for _, target := range []float64{5e-2, 2e-2, 1e-2, 5e-3} {
		fmt.Printf("steps to held-out rel L2 ≤ %.0e: plain %s, preconditioned %s\n", target, stepsTo(t, dirs[0], target), stepsTo(t, dirs[1], target))
	}
	fmt.Printf("metrics: %s/{plain,precond}/metrics.jsonl\n", filepath.Join(*longDir, "nsm-table-poisson"))
}

// stepsTo returns the first step whose eval_loss in dir's metrics is at
// most target, or "not reached".
func stepsTo(t *testing.T, dir string, target float64) string {
	b, err := os.ReadFile(filepath.Join(dir, train.MetricsFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var m struct {
			Step     int      `json:"step"`
			EvalLoss *float64 `json:"eval_loss"`
		}
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatal(err)
		}
		if m.EvalLoss != nil && *m.EvalLoss <= target {
			return strconv.Itoa(m.Step)
		}
	}
	return "not reached"
}
