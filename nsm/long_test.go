package nsm

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var (
	longRuns  = flag.String("nsm.long", "", "comma-separated long NSM runs: poisson, poisson-precond, rd<ν> (e.g. rd0.01), table-rd<ν>, table-poisson")
	longSteps = flag.Int("nsm.steps", 0, "optimizer steps of the long runs; 0 means the config's")
	longDir   = flag.String("nsm.dir", os.TempDir(), "directory for the long runs' outputs")
)

// TestLong trains the named long runs; `go test ./nsm -run Long
// -nsm.long=poisson -v` prints their figures.
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
				cfg := DefaultConfig(p)
				cfg.Precondition = name == "poisson-precond"
				if *longSteps > 0 {
					cfg.Steps, cfg.DecayEvery = *longSteps, *longSteps/4
				}
				res, err := Train(context.Background(), cfg, p, filepath.Join(*longDir, "nsm-"+name), os.Stdout)
				if err != nil {
					t.Fatal(err)
				}
				t.Logf("%s: %d steps, loss %.3e, test rel L2 %.3e, step %v, total %v", name, res.Train.Steps, res.Train.Loss, res.TestRelL2, res.StepTime, res.Train.Runtime)
			default:
				t.Fatalf("unknown long run %q", name)
			}
		})
	}
}
