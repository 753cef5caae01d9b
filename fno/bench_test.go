package fno

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/neuralpde/neuralpde/data"
	"github.com/neuralpde/neuralpde/internal/cputime"
)

// benchShape is a model and grid the benchmarks time: the FNO-1D,
// FNO-2D at 47², Darcy at 43² and 85², and the recurrent Navier–Stokes
// FNO-2D (in: input channels).
type benchShape struct {
	name    string
	grid    []int
	width   int
	modes   int
	padding int
	in      int
}

var benchShapes = []benchShape{
	{"fno1d-256", []int{256}, 64, 16, 0, 1},
	{"fno2d-47", []int{47, 47}, 32, 12, 5, 1},
	{"darcy-43", []int{43, 43}, 32, 12, 5, 1},
	{"darcy-85", []int{85, 85}, 32, 12, 9, 1},
	{"ns-64", []int{64, 64}, 20, 12, 0, 10},
}

// BenchmarkEpoch times one training epoch (1000 samples, batch 20;
// $FNO_EPOCH_SAMPLES overrides) on random data of the FNO-1D
// (width 64, 16 modes, 4 layers, 256 points) and FNO-2D (width 32, 12
// modes, 4 layers, 47² points padded by 5), which
// scripts/reference/fno_epoch.py times in PyTorch, and of the recorded
// configurations: Darcy at 43² padded by 5 (testdata/darcy.yaml), Darcy
// at Li et al.'s 85² padded by 9, and the recurrent Navier–Stokes FNO-2D
// (width 20, 10 snapshots in, 64², testdata/navier-stokes.yaml).
// It reports wall and CPU (user + system, all goroutines) ms per epoch;
// the CPU time is the steadier figure on a shared machine.
func BenchmarkEpoch(b *testing.B) {
	for _, tc := range benchShapes {
		b.Run(tc.name, func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, 1))
			n, bs := envInt("FNO_EPOCH_SAMPLES", 1000), 20
			cfg := &Config{Width: tc.width, Modes: tc.modes, Padding: tc.padding, BatchSize: bs}
			m, err := NewModel(cfg, len(tc.grid), tc.in, 1, rng)
			if err != nil {
				b.Fatal(err)
			}
			p := 1
			for _, g := range tc.grid {
				p *= g
			}
			s := &Samples{N: n, Grid: tc.grid, In: tc.in, Out: 1, A: make([]float64, n*p*tc.in), U: make([]float64, n*p)}
			for i := range s.A {
				s.A[i] = rng.NormFloat64()
			}
			for i := range s.U {
				s.U[i] = rng.NormFloat64()
			}
			s.Coords, _ = coordinates(&data.Dataset{}, tc.grid)
			obj, err := NewObjective(m, s, fitNormalizer(s.A, tc.in), fitNormalizer(s.U, 1), "l2")
			if err != nil {
				b.Fatal(err)
			}
			batch := make([]int, bs)
			for j := range batch {
				batch[j] = j
			}
			// One step first, so that the workspaces are allocated
			// before the clocks start.
			if _, err := obj.Loss(batch); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			start, cpu := time.Now(), cputime.Process()
			for range b.N {
				for e := 0; e+bs <= n; e += bs {
					for j := range batch {
						batch[j] = e + j
					}
					if _, err := obj.Loss(batch); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(time.Since(start).Milliseconds())/float64(b.N), "ms/epoch")
			b.ReportMetric(float64((cputime.Process()-cpu).Milliseconds())/float64(b.N), "cpu-ms/epoch")
		})
	}
}

// BenchmarkTrain trains an FNO on the dataset at $FNO_DATA and reports the
// test relative L2 error and the wall time per epoch. It is the command
// behind the figures in the package documentation, e.g.
//
//	FNO_DATA=/tmp/fno_bp1024.npz FNO_SUBSAMPLE=4 FNO_TEST=200 FNO_EPOCHS=144 \
//	  FNO_DECAY=29 FNO_ZEROSHOT=1 go test ./fno -run '^$' -bench Train -benchtime 1x -timeout 0
//
// FNO_SUBSAMPLE thins the data for training; FNO_ZEROSHOT then evaluates
// the test samples at the data's full resolution too. FNO_CONFIG names a
// recorded configuration (testdata/*.yaml, JSON-style YAML that the CLI's
// --config reads too); FNO_EPOCHS, FNO_DECAY, FNO_TEST, FNO_TRAIN,
// FNO_WIDTH, FNO_MODES, FNO_PADDING, FNO_HISTORY, FNO_CHECKPOINT,
// FNO_PUSHFORWARD, FNO_SEED, FNO_LOSS, FNO_OPTIMIZER, FNO_LR (the learning
// rate) and FNO_INIT (a training directory to start from, Config.Init)
// override its fields, and FNO_OUT names the
// output directory. Fine-tuning at 85² a model trained at 43², e.g.
//
//	FNO_CONFIG=testdata/darcy.yaml FNO_DATA=darcy_85.npz FNO_INIT=/tmp/darcy43 \
//	  FNO_EPOCHS=5 FNO_LR=2.5e-4 FNO_OUT=/tmp/darcy85 go test ./fno -run '^$' -bench Train -benchtime 1x -timeout 0
func BenchmarkTrain(b *testing.B) {
	path := os.Getenv("FNO_DATA")
	if path == "" {
		b.Skip("set FNO_DATA to a dataset file")
	}
	ds, err := data.Load(path)
	if err != nil {
		b.Fatal(err)
	}
	full := ds
	if r := envInt("FNO_SUBSAMPLE", 1); r > 1 {
		if ds, err = ds.Subsample(r); err != nil {
			b.Fatal(err)
		}
	}
	cfg := &Config{}
	if f := os.Getenv("FNO_CONFIG"); f != "" {
		raw, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		if err := json.Unmarshal(raw, cfg); err != nil {
			b.Fatalf("%s: %v", f, err)
		}
	}
	setEnv := func(v *int, name string) { *v = envInt(name, *v) }
	setEnv(&cfg.Epochs, "FNO_EPOCHS")
	setEnv(&cfg.DecayEvery, "FNO_DECAY")
	setEnv(&cfg.Test, "FNO_TEST")
	setEnv(&cfg.Train, "FNO_TRAIN")
	setEnv(&cfg.Width, "FNO_WIDTH")
	setEnv(&cfg.Modes, "FNO_MODES")
	setEnv(&cfg.Padding, "FNO_PADDING")
	setEnv(&cfg.History, "FNO_HISTORY")
	setEnv(&cfg.CheckpointEvery, "FNO_CHECKPOINT")
	setEnv(&cfg.Pushforward, "FNO_PUSHFORWARD")
	if v := os.Getenv("FNO_SEED"); v != "" {
		if cfg.Seed, err = strconv.ParseUint(v, 10, 64); err != nil {
			b.Fatalf("FNO_SEED: %v", err)
		}
	}
	if l := os.Getenv("FNO_LOSS"); l != "" {
		cfg.Loss = l
	}
	if o := os.Getenv("FNO_OPTIMIZER"); o != "" {
		cfg.Optimizer = o
	}
	if v := os.Getenv("FNO_LR"); v != "" {
		if cfg.LearningRate, err = strconv.ParseFloat(v, 64); err != nil {
			b.Fatalf("FNO_LR: %v", err)
		}
	}
	if d := os.Getenv("FNO_INIT"); d != "" {
		cfg.Init = d
	}
	out := os.Getenv("FNO_OUT")
	if out == "" {
		out = b.TempDir()
	}
	for range b.N {
		res, err := Train(context.Background(), cfg, ds, out, os.Stderr)
		if err != nil {
			b.Fatal(err)
		}
		fmt.Printf("fno: %d epochs, %v per epoch, train rel L2 %.3e, test rel L2 %.3e\n", res.Train.Epochs, res.EpochTime, res.TrainRelL2, res.TestRelL2)
		b.ReportMetric(res.TestRelL2, "test-relL2")
		b.ReportMetric(res.EpochTime.Seconds(), "s/epoch")
		if os.Getenv("FNO_ZEROSHOT") != "" && cfg.Test > 0 {
			te, err := full.Slice(full.Len()-cfg.Test, full.Len())
			if err != nil {
				b.Fatal(err)
			}
			ev, err := Evaluate(out, te, 0)
			if err != nil {
				b.Fatal(err)
			}
			fmt.Printf("fno: zero-shot on %v: test rel L2 %.3e (%.2f× the training-grid error)\n", ev.Grid, ev.RelL2, ev.RelL2/res.TestRelL2)
			b.ReportMetric(ev.RelL2, "zeroshot-relL2")
		}
	}
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return v
	}
	return def
}

// BenchmarkEvaluate evaluates the model in $FNO_RUN on the last $FNO_TEST
// samples of $FNO_DATA, thinned by $FNO_SUBSAMPLE (the training grid), and
// at the data's own resolution (zero-shot super-resolution):
//
//	FNO_RUN=/tmp/fno_bp_run FNO_DATA=/tmp/fno_bp1024.npz FNO_SUBSAMPLE=4 FNO_TEST=200 \
//	  go test ./fno -run '^$' -bench Evaluate -benchtime 1x
func BenchmarkEvaluate(b *testing.B) {
	dir, path := os.Getenv("FNO_RUN"), os.Getenv("FNO_DATA")
	if dir == "" || path == "" {
		b.Skip("set FNO_RUN to a training directory and FNO_DATA to a dataset file")
	}
	full, err := data.Load(path)
	if err != nil {
		b.Fatal(err)
	}
	nt := envInt("FNO_TEST", full.Len())
	te, err := full.Slice(full.Len()-nt, full.Len())
	if err != nil {
		b.Fatal(err)
	}
	for range b.N {
		var train *Evaluation
		if r := envInt("FNO_SUBSAMPLE", 1); r > 1 {
			sub, err := te.Subsample(r)
			if err != nil {
				b.Fatal(err)
			}
			if train, err = Evaluate(dir, sub, 0); err != nil {
				b.Fatal(err)
			}
			fmt.Printf("fno: %d test samples on %v: rel L2 %.3e (%v)\n", nt, train.Grid, train.RelL2, train.Elapsed)
			b.ReportMetric(train.RelL2, "relL2")
		}
		ev, err := Evaluate(dir, te, 0)
		if err != nil {
			b.Fatal(err)
		}
		fmt.Printf("fno: %d test samples on %v: rel L2 %.3e (%v)", nt, ev.Grid, ev.RelL2, ev.Elapsed)
		if train != nil {
			fmt.Printf(", %.2f× the training-grid error", ev.RelL2/train.RelL2)
		}
		fmt.Println()
		b.ReportMetric(ev.RelL2, "full-relL2")
	}
}

// BenchmarkEval times the held-out evaluation that training runs every
// epoch (the mean relative L2 error over 100 samples in blocks of the
// batch size, 20) on random data of the FNO-1D (256 points) and of
// the recorded Darcy configuration at 43² (testdata/darcy.yaml). "grad"
// is the training objective's Loss(nil), which also computes the gradient
// (the evaluation before the forward-only path); "forward" is the
// forward-only evaluation train.Run now calls. It reports wall and CPU ms
// per evaluation and the MB of the model's forward/backward workspace.
func BenchmarkEval(b *testing.B) {
	for _, tc := range []benchShape{benchShapes[0], benchShapes[2]} {
		for _, mode := range []string{"grad", "forward"} {
			b.Run(tc.name+"/"+mode, func(b *testing.B) {
				rng := rand.New(rand.NewPCG(1, 1))
				const n = 100
				m, err := NewModel(&Config{Width: tc.width, Modes: tc.modes, Padding: tc.padding, BatchSize: 20}, len(tc.grid), 1, 1, rng)
				if err != nil {
					b.Fatal(err)
				}
				s := smoothSamples(rng, n, tc.grid, 1)
				obj, err := NewObjective(m, s, fitNormalizer(s.A, 1), fitNormalizer(s.U, 1), "l2")
				if err != nil {
					b.Fatal(err)
				}
				eval := obj.Loss
				if mode == "forward" {
					eval = obj.LossOnly
				}
				if _, err := eval(nil); err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				b.ResetTimer()
				start, cpu := time.Now(), cputime.Process()
				for range b.N {
					if _, err := eval(nil); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(time.Since(start).Milliseconds())/float64(b.N), "ms/eval")
				b.ReportMetric(float64((cputime.Process()-cpu).Milliseconds())/float64(b.N), "cpu-ms/eval")
				b.ReportMetric(float64(tapeBytes(&m.t))/1e6, "MB-workspace")
			})
		}
	}
}

// tapeBytes returns the memory a model's tape holds.
func tapeBytes(t *tape) int {
	n := cap(t.in) + cap(t.lifted) + cap(t.g) + cap(t.gs) + cap(t.crop) + cap(t.q) + cap(t.dq) + cap(t.out) + cap(t.gcrop) + cap(t.gq)
	for _, z := range t.z {
		n += cap(z)
	}
	for _, d := range t.dact {
		n += cap(d)
	}
	return 8 * n
}
