package pinn

import (
	"context"
	"flag"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"testing"
)

// The long training runs behind the figures in the package documentation.
// They run only when named:
//
//	go test ./pinn -run TestLong -long burgers-lm -timeout 0 -v
//
// and write their checkpoint, metrics log and prediction under -long.dir.
var (
	longRuns = flag.String("long", "", "comma-separated long PINN runs to do (see longConfigs)")
	longDir  = flag.String("long.dir", os.TempDir(), "directory for the long runs' outputs")
)

// longConfigs are the named long runs.
func longConfigs() map[string]func() *Config {
	def := func(name string) *Config {
		c, err := DefaultConfig(name)
		if err != nil {
			panic(err)
		}
		return c
	}
	file := func(path string) *Config {
		b, err := os.ReadFile(path)
		if err != nil {
			panic(err)
		}
		c := &Config{}
		if err := decodeConfig(b, c); err != nil {
			panic(err)
		}
		return c
	}
	return map[string]func() *Config{
		// Raissi et al.'s classic set-up: soft initial and boundary data
		// at 100 points, 10,000 collocation points, Adam then L-BFGS.
		"burgers-classic": func() *Config { return file("testdata/burgers-shock-classic.yaml") },
		// The default burgers-shock recipe, stopped at 1e-4.
		"burgers-best": func() *Config {
			c := def("burgers-shock")
			c.TargetError = 1e-4
			return c
		},
		// The same with another seed for the weights.
		"burgers-best-seed1": func() *Config {
			c := longConfigs()["burgers-best"]()
			c.Network.Seed = 1
			return c
		},
		// Inverse Burgers (Raissi et al. 2019, §4.1.1): u_t + λ₁ u u_x −
		// λ₂ u_xx = 0 written as the Kuramoto–Sivashinsky form with c = 0,
		// λ₁ = a and λ₂ = −b, both identified from 2,000 reference points.
		"burgers-inverse": func() *Config {
			c := file("testdata/burgers-shock-classic.yaml")
			c.TargetError = 0
			c.Equation = &EquationConfig{Name: "kuramoto-sivashinsky", Params: map[string]float64{"a": 1, "b": -0.01 / 3.141592653589793, "c": 0}}
			c.Unknowns = []Unknown{{Name: "a", Init: 0}, {Name: "b", Init: 0}}
			c.Points.Collocation = 2000
			c.Stages = []StageConfig{{Optimizer: "adam", Steps: 2000, LearningRate: 1e-3}, {Optimizer: "lbfgs", Steps: 20000}}
			return c
		},
		// The inverse problem trained by Levenberg–Marquardt, whose
		// Jacobian has the two coefficients' columns beside the weights',
		// on the smaller network of the default recipe.
		"burgers-inverse-lm": func() *Config {
			c := longConfigs()["burgers-inverse"]()
			c.Network.Hidden = []int{20, 20, 20, 20}
			c.EvalEvery = 25
			c.Stages = []StageConfig{{Optimizer: "adam", Steps: 500, LearningRate: 1e-3}, {Optimizer: "lm", Steps: 500}}
			return c
		},
		"poisson-sine": func() *Config {
			c := def("poisson-sine")
			c.TargetError = 0
			return c
		},
		"poisson-lshape": func() *Config { return def("poisson-lshape") },
		// Allen–Cahn on a budget: causal Adam, then Levenberg–Marquardt.
		"allen-cahn-causal": func() *Config {
			c := def("allen-cahn")
			c.Reference = filepath.Join(*longDir, "allen_cahn_ref.npz")
			c.Network.Hidden = []int{20, 20, 20, 20}
			c.Points.Collocation = 2000
			c.Weights.CausalEvery = 5
			c.Stages = []StageConfig{{Optimizer: "adam", Steps: 3000, LearningRate: 1e-3}, {Optimizer: "lm", Steps: 5000}}
			return c
		},
		// Continuations with OpenBLAS (-tags openblas) from the runs'
		// last checkpoints, started when the first runs were too slow on
		// the shared machine: Levenberg–Marquardt for Allen–Cahn, and
		// L-BFGS for the classic Burgers set-up.
		"allen-cahn-causal-lm": func() *Config {
			c := longConfigs()["allen-cahn-causal"]()
			c.Weights.Causal = false
			c.WarmStart = filepath.Join(*longDir, "allen-cahn-causal")
			c.Stages = []StageConfig{{Optimizer: "lm", Steps: 5000}}
			return c
		},
		"allen-cahn-plain-lm": func() *Config {
			c := longConfigs()["allen-cahn-plain"]()
			c.WarmStart = filepath.Join(*longDir, "allen-cahn-plain")
			c.Stages = []StageConfig{{Optimizer: "lm", Steps: 5000}}
			return c
		},
		"burgers-classic-lbfgs": func() *Config {
			c := longConfigs()["burgers-classic"]()
			c.WarmStart = filepath.Join(*longDir, "burgers-classic")
			c.Stages = []StageConfig{{Optimizer: "lbfgs", Steps: 50000}}
			return c
		},
		// The classic L-BFGS stage continued once more from its own last
		// checkpoint (the memory restarts; the set-up is unchanged).
		"burgers-classic-lbfgs-2": func() *Config {
			c := longConfigs()["burgers-classic"]()
			c.WarmStart = filepath.Join(*longDir, "burgers-classic-lbfgs")
			c.Stages = []StageConfig{{Optimizer: "lbfgs", Steps: 50000}}
			return c
		},
		// The same without causal weighting.
		"allen-cahn-plain": func() *Config {
			c := longConfigs()["allen-cahn-causal"]()
			c.Weights.Causal = false
			return c
		},
	}
}

func TestLong(t *testing.T) {
	if *longRuns == "" {
		t.Skip("no -long runs named")
	}
	cfgs := longConfigs()
	for _, name := range strings.Split(*longRuns, ",") {
		mk, ok := cfgs[name]
		if !ok {
			t.Fatalf("unknown long run %q", name)
		}
		t.Run(name, func(t *testing.T) {
			// Ctrl-C (SIGINT) stops the run cleanly with a checkpoint.
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
			defer stop()
			cfg := mk()
			cfg.CheckpointEvery = 25
			res, err := Train(ctx, cfg, filepath.Join(*longDir, name), os.Stdout)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range res.Stages {
				t.Logf("%s: %v after %d steps, loss %.4e, %.1f s", s.Optimizer, s.Status, s.Steps, s.Loss, s.Seconds)
			}
			t.Logf("relative L2 %.4e, target reached %v, %.1f s; coefficients %v", res.RelL2, res.TargetReached, res.Seconds, res.Coefficients)
		})
	}
}
