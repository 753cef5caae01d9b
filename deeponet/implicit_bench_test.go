package deeponet

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/neuralpde/neuralpde/data"
	"github.com/neuralpde/neuralpde/nn"
)

// BenchmarkImplicitBranch trains the DeepONet of DefaultConfig (tanh,
// Adam 1e-3) with an explicit branch [m, 40, 40] and with an implicit
// branch of width 40 (Anderson, tolerance 1e-8) on the dataset in
// IMPLICIT_DEEPONET (e.g. an antiderivative set from `neuralpde generate`),
// IMPLICIT_STEPS Adam steps each (2000) with the last 20% of the functions
// held out, and prints parameters, validation MSE and relative L2, and
// the training time.
//
//	IMPLICIT_DEEPONET=/tmp/anti.npz go test -run '^$' -bench ImplicitBranch -benchtime 1x ./deeponet/
func BenchmarkImplicitBranch(b *testing.B) {
	path := os.Getenv("IMPLICIT_DEEPONET")
	if path == "" {
		b.Skip("set IMPLICIT_DEEPONET to an operator dataset")
	}
	ds, err := data.Load(path)
	if err != nil {
		b.Fatal(err)
	}
	steps := 2000
	if v, err := strconv.Atoi(os.Getenv("IMPLICIT_STEPS")); err == nil && v > 0 {
		steps = v
	}
	for b.Loop() {
		fmt.Printf("%-22s %7s %12s %12s %10s\n", "branch", "params", "val MSE", "val rel L2", "train wall")
		for _, implicit := range []bool{false, true} {
			cfg := DefaultConfig()
			cfg.Steps, cfg.Validation, cfg.EvalEvery, cfg.Seed = steps, ds.Len()/5, steps, 1
			name := "explicit [m, 40, 40]"
			if implicit {
				cfg.Implicit = &ImplicitConfig{Width: 40, Solver: "anderson", Tol: 1e-8}
				name = "implicit, width 40"
			}
			start := time.Now()
			res, err := Train(context.Background(), cfg, ds, b.TempDir(), nil)
			if err != nil {
				b.Fatal(err)
			}
			fmt.Printf("%-22s %7d %12.3e %12.3e %10s\n", name, nn.NumParams(res.Model.Params()), res.ValMSE, res.ValRelL2, time.Since(start).Round(time.Millisecond))
		}
	}
}
