package train

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// TestOptimizerRegistry checks names, aliases, settings and errors of
// NewOptimizer, and that the registry holds every optimizer type the
// harness tests.
func TestOptimizerRegistry(t *testing.T) {
	registered := map[reflect.Type]bool{}
	for _, o := range Optimizers() {
		for _, name := range append([]string{o.Name}, o.Aliases...) {
			opt, err := NewOptimizer(name, OptimizerSettings{})
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			registered[reflect.TypeOf(opt)] = true
		}
		_, isNeeder := o.build(OptimizerSettings{}).(Needer)
		if o.FullBatch && !isNeeder {
			t.Errorf("%s: FullBatch without Needs", o.Name)
		}
		if l, err := LookupOptimizer(o.Name); err != nil || l.FullBatch != o.FullBatch {
			t.Errorf("%s: LookupOptimizer gives FullBatch %v (%v), Optimizers %v", o.Name, l.FullBatch, err, o.FullBatch)
		}
	}
	for _, hc := range harnessCases {
		if typ := reflect.TypeOf(hc.opt()); !registered[typ] {
			t.Errorf("optimizer %v (harness case %s) has no name in the registry", typ, hc.name)
		}
	}
	opt, err := NewOptimizer("adamw", OptimizerSettings{LearningRate: 0.02, WeightDecay: 0.1, Momentum: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	if w, ok := opt.(*AdamW); !ok || w.LearningRate != 0.02 || w.WeightDecay != 0.1 {
		t.Errorf("adamw with settings: %#v", opt)
	}
	opt, _ = NewOptimizer("lm", OptimizerSettings{Damping: 1e-2})
	if lm, ok := opt.(*LevenbergMarquardt); !ok || lm.Damping != 1e-2 {
		t.Errorf("lm with damping 1e-2: %#v", opt)
	}
	opt, _ = NewOptimizer("muon", OptimizerSettings{LearningRate: 0.03, Momentum: 0.9})
	if m, ok := opt.(*Muon); !ok || m.LearningRate != 0.03 || m.Momentum != 0.9 {
		t.Errorf("muon with settings: %#v", opt)
	}
	if _, err := NewOptimizer("adagrad", OptimizerSettings{}); err == nil || !strings.Contains(err.Error(), "levenberg-marquardt") {
		t.Errorf("unknown optimizer: %v, want an error listing the names", err)
	}
	if _, err := NewOptimizer("adam", OptimizerSettings{LearningRate: -1}); err == nil {
		t.Error("negative learning rate: no error")
	}
}

// TestOptimizerRegistryTrains runs every named optimizer with its default
// settings (learning rate 1e-2 where it has one) on the exponential fit
// and checks that it at least halves the loss in 300 steps (Muon's Adam
// part, which moves this problem's vector parameters, keeps its 1e-3).
func TestOptimizerRegistryTrains(t *testing.T) {
	for _, o := range Optimizers() {
		t.Run(o.Name, func(t *testing.T) {
			var s OptimizerSettings
			for _, name := range o.Settings {
				if name == "learning_rate" {
					s.LearningRate = 1e-2
				}
			}
			opt, err := NewOptimizer(o.Name, s)
			if err != nil {
				t.Fatal(err)
			}
			obj := expFit()
			f0, err := obj.Loss(nil)
			if err != nil {
				t.Fatal(err)
			}
			res, err := Run(context.Background(), obj, &Config{Optimizer: opt, Steps: 300, EvalEvery: 301})
			if err != nil {
				t.Fatal(err)
			}
			if rel := res.Loss / f0; !(rel <= 0.5) {
				t.Errorf("relative loss %.3g after %d steps (%v), want ≤ 0.5", rel, res.Steps, res.Status)
			}
		})
	}
}

func ExampleNewOptimizer() {
	opt, err := NewOptimizer("lm", OptimizerSettings{Damping: 1e-2})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%T\n", opt)
	_, err = NewOptimizer("adagrad", OptimizerSettings{})
	fmt.Println(err)
	// Output:
	// *train.LevenbergMarquardt
	// train: unknown optimizer "adagrad"; use one of sgd, adam, adamw, amsgrad, adamax, lbfgs, gauss-newton, levenberg-marquardt, shampoo, muon, polyak, lazy-newton
}

// TestNewOptimizerForBatches checks the batch sizes it hands back: the
// configured one (at most n) for mini-batch optimizers, n for the
// full-batch ones and for a batch of 0.
func TestNewOptimizerForBatches(t *testing.T) {
	for _, tc := range []struct {
		name         string
		batch, n, bs int
	}{{"adam", 16, 100, 16}, {"adam", 200, 100, 100}, {"adam", 0, 100, 100}, {"lbfgs", 16, 100, 100}, {"lm", 16, 100, 100}} {
		opt, bs, err := NewOptimizerForBatches(tc.name, OptimizerSettings{}, tc.batch, tc.n)
		if err != nil || opt == nil || bs != tc.bs {
			t.Errorf("%s, batch %d of %d: %T, batch %d, %v; want batch %d", tc.name, tc.batch, tc.n, opt, bs, err, tc.bs)
		}
	}
	if _, _, err := NewOptimizerForBatches("adagrad", OptimizerSettings{}, 1, 1); err == nil {
		t.Error("unknown optimizer: no error")
	}
}
