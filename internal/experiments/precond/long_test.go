package precond

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/neuralpde/neuralpde/internal/cputime"
	"github.com/neuralpde/neuralpde/train"
	"gonum.org/v1/gonum/mat"
)

var long = flag.String("long", "", "run the named long experiment: fourier1d, fourier2d, pinn-poisson, pinn-burgers or pinn-spectra")

// The PINNs of the long experiments.
var (
	pinnPoisson = PINNSetup{Preset: "poisson-sine", Hidden: []int{20, 20, 20}, Collocation: 1000, Boundary: 100, Seed: 1}
	pinnBurgers = PINNSetup{Preset: "burgers-shock", Hidden: []int{20, 20, 20, 20}, Collocation: 2000, Boundary: 100, Initial: 100, Seed: 1}
)

// TestLong prints the tables of issue 9. Run one at a time, e.g.
//
//	nice -n 5 go test ./internal/experiments/precond -run TestLong -long fourier1d -v -timeout 0
func TestLong(t *testing.T) {
	ctx := context.Background()
	out := os.Stdout
	start, cpu0 := time.Now(), cputime.Process()
	defer func() {
		fmt.Fprintf(out, "%s: wall %s, CPU %s\n", *long, time.Since(start).Round(time.Second), (cputime.Process() - cpu0).Round(time.Second))
	}()
	switch *long {
	case "":
		t.Skip("long experiments run with -long NAME (fourier1d, fourier2d, pinn-poisson, pinn-burgers, pinn-spectra)")
	case "fourier1d", "fourier2d":
		dim, ks, budget := 1, []int{4, 8, 16, 32}, 30000000
		if *long == "fourier2d" {
			dim, ks, budget = 2, []int{2, 4, 8, 16}, 100000
		}
		var rows []FourierRow
		for _, k := range ks {
			row, err := RunFourier(ctx, dim, k, 1, 1e-3, budget)
			if err != nil {
				t.Fatal(err)
			}
			rows = append(rows, row)
			WriteFourierTable(out, 1e-3, budget, rows[len(rows)-1:])
		}
		fmt.Fprintln(out)
		WriteFourierTable(out, 1e-3, budget, rows)
	case "pinn-poisson", "pinn-burgers":
		s := pinnPoisson
		budgets := map[string]int{"gd": 5000, "adam": 5000, "gd+GN": 300, "adam+GN": 1000}
		if *long == "pinn-burgers" {
			s = pinnBurgers
			budgets = map[string]int{"gd": 3000, "adam": 3000, "gd+GN": 200, "adam+GN": 500}
		}
		if err := spectraAtStart(out, s); err != nil {
			t.Fatal(err)
		}
		var rows []PINNRow
		for _, c := range []string{"gd", "gd+GN", "adam", "adam+GN"} {
			opt, gn := strings.CutSuffix(c, "+GN")
			every := 10
			if gn {
				every = 1 // Gauss–Newton steps are few and costly
			}
			row, err := RunPINN(ctx, s, PINNRun{Optimizer: opt, Precondition: gn, Steps: budgets[c], Every: every, Target: 1e-3})
			if err != nil {
				t.Fatal(err)
			}
			rows = append(rows, row)
			WriteTable(out, s.Preset, 1e-3, rows[len(rows)-1:])
		}
		fmt.Fprintln(out)
		WriteTable(out, fmt.Sprintf("%s, MLP 2→%v→1 tanh, %d collocation points, step budgets %v", s.Preset, s.Hidden, s.Collocation, budgets), 1e-3, rows)
	case "pinn-spectra":
		for _, s := range []PINNSetup{pinnPoisson, pinnBurgers} {
			if err := spectraAtStart(out, s); err != nil {
				t.Fatal(err)
			}
			if err := kernelCounts(out, s); err != nil {
				t.Fatal(err)
			}
		}
	default:
		t.Fatalf("unknown experiment %q; use fourier1d, fourier2d, pinn-poisson, pinn-burgers or pinn-spectra", *long)
	}
}

// spectraAtStart prints the spectrum of the Gauss–Newton matrix at the
// PINN's initial weights, plain and Gauss–Newton-preconditioned with the
// default damping.
func spectraAtStart(out *os.File, s PINNSetup) error {
	pn, _, err := NewPINN(s)
	if err != nil {
		return err
	}
	obj := pn.Objective()
	opts := &train.SpectrumOptions{Iterations: 200}
	plain, err := train.EstimateSpectrum(obj, nil, nil, opts)
	if err != nil {
		return err
	}
	gn, err := train.EstimateSpectrum(obj, &train.NaturalGradient{Objective: obj}, nil, opts)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s at the start (%d residuals, %d parameters, %d Lanczos steps): JᵀJ λmax %.3g λmin %.3g cond %.3g; (JᵀJ + λI)⁻¹JᵀJ (λ = 1e-3·mean diag) λmax %.3g λmin %.3g cond %.3g\n",
		s.Preset, plain.Residuals, plain.Params, len(plain.Ritz), plain.Max, plain.Min, plain.Cond, gn.Max, gn.Min, gn.Cond)
	return nil
}

// kernelCounts prints how the whole spectrum of the neural tangent kernel
// JJᵀ at the start (gonum's EigenSym, not Lanczos) spreads: the number of
// eigenvalues within 10^−j of the largest, which gradient descent at rate
// 1/λmax resolves in about 10^j steps, and the number at least λ (the
// default damping 1e-3·mean diag JᵀJ), which Gauss–Newton preconditioning
// maps into [1/2, 1).
func kernelCounts(out *os.File, s PINNSetup) error {
	pn, _, err := NewPINN(s)
	if err != nil {
		return err
	}
	obj := pn.Objective()
	J, err := obj.Jacobian(nil, nil)
	if err != nil {
		return err
	}
	m, n := J.Dims()
	var k mat.SymDense
	k.SymOuterK(1, J)
	var eig mat.EigenSym
	if !eig.Factorize(&k, false) {
		return fmt.Errorf("precond: EigenSym of the %d×%d kernel failed", m, m)
	}
	ev := eig.Values(nil)
	top := ev[m-1]
	lambda := 1e-3 * mat.Trace(&k) / float64(n)
	count := func(min float64) int {
		c := 0
		for _, v := range ev {
			if v >= min {
				c++
			}
		}
		return c
	}
	fmt.Fprintf(out, "%s kernel JJᵀ (%d×%d, EigenSym): λmax %.3g; eigenvalues ≥ 1e-2·λmax: %d, ≥ 1e-4·λmax: %d, ≥ 1e-6·λmax: %d, ≥ 1e-10·λmax: %d; ≥ λ = %.3g (preconditioned into [1/2, 1)): %d\n",
		s.Preset, m, m, top, count(1e-2*top), count(1e-4*top), count(1e-6*top), count(1e-10*top), lambda, count(lambda))
	return nil
}
