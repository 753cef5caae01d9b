package precond

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"time"

	"github.com/neuralpde/neuralpde/internal/cputime"
	"github.com/neuralpde/neuralpde/nn"
	"github.com/neuralpde/neuralpde/pinn"
	"github.com/neuralpde/neuralpde/train"
)

// stopAt is a train.Recorder that evaluates an error every Every steps,
// keeps the best, notes the steps and time when it first is at most
// Target, and then cancels the run unless keepGoing.
type stopAt struct {
	err    func() float64
	target float64
	every  int
	cancel func()
	start  time.Time
	cpu0   time.Duration

	keepGoing      bool // run on after the target
	reached        int  // steps when the target was reached, −1 before
	wallTo, cpuTo  time.Duration
	best, last     float64
	bestStep, seen int
}

func newStopAt(err func() float64, target float64, every int, cancel func()) *stopAt {
	return &stopAt{err: err, target: target, every: max(every, 1), cancel: cancel, start: time.Now(), cpu0: cputime.Process(), reached: -1, best: math.Inf(1)}
}

func (s *stopAt) Record(m train.Metrics) error {
	if m.Step%s.every != 0 && m.Step != m.TotalSteps {
		return nil
	}
	e := s.err()
	s.last = e
	if e < s.best {
		s.best, s.bestStep = e, m.Step
	}
	if e <= s.target && s.reached < 0 {
		s.reached = m.Step
		s.wallTo, s.cpuTo = time.Since(s.start), cputime.Process()-s.cpu0
		if !s.keepGoing {
			s.cancel()
		}
	}
	return nil
}

func (s *stopAt) Finish(*train.Result) error { return nil }

// FourierRow is one line of the Fourier-feature table.
type FourierRow struct {
	Dim, K, Params, Residuals int
	// Cond and CondSpectral are the condition numbers of JᵀJ and of the
	// spectrally preconditioned P^(−1/2) JᵀJ P^(−1/2) (exact: Lanczos runs
	// to the full size).
	Cond, CondSpectral float64
	// Steps, StepsSpectral and StepsGN are the gradient-descent steps to
	// the target relative L2 error, plain, with the spectral
	// preconditioner and with train.NaturalGradient; −1 when the budget
	// ran out first.
	Steps, StepsSpectral, StepsGN int
	// Err, ErrSpectral and ErrGN are the errors at the end.
	Err, ErrSpectral, ErrGN float64
	// Wall and CPU are the plain and spectral runs' times.
	Wall, WallSpectral, CPU, CPUSpectral time.Duration
}

// RunFourier trains FourierPoisson(dim, k, beta) by gradient descent at
// the learning rate 1/λmax of the operator it sees — plain, with the
// spectral preconditioner (shift 1) and with Gauss–Newton preconditioning
// (rate 1) — each for at most budget steps or until the relative L2
// error is at most target.
func RunFourier(ctx context.Context, dim, k int, beta, target float64, budget int) (FourierRow, error) {
	row := FourierRow{Dim: dim, K: k}
	type variant struct {
		pre   func(p *FourierPoisson) (train.Preconditioner, error)
		steps *int
		err   *float64
		wall  *time.Duration
		cpu   *time.Duration
		cond  *float64
	}
	var wallGN, cpuGN time.Duration
	var condGN float64
	variants := []variant{
		{func(*FourierPoisson) (train.Preconditioner, error) { return nil, nil }, &row.Steps, &row.Err, &row.Wall, &row.CPU, &row.Cond},
		{func(p *FourierPoisson) (train.Preconditioner, error) { return p.SpectralPreconditioner(1) }, &row.StepsSpectral, &row.ErrSpectral, &row.WallSpectral, &row.CPUSpectral, &row.CondSpectral},
		{func(p *FourierPoisson) (train.Preconditioner, error) {
			// The gradient's low modes are K⁴ times smaller than its high
			// ones, so CG must resolve far below the default tolerance.
			return &train.NaturalGradient{Objective: p, Damping: 1e-6, CGTol: 1e-14, CGMaxIter: 2 * p.theta.Len()}, nil
		}, &row.StepsGN, &row.ErrGN, &wallGN, &cpuGN, &condGN},
	}
	for vi, v := range variants {
		p, err := NewFourierPoisson(dim, k, beta)
		if err != nil {
			return row, err
		}
		row.Params, row.Residuals = p.theta.Len(), p.NumSamples()
		pre, err := v.pre(p)
		if err != nil {
			return row, err
		}
		rate := 1.0
		if vi < 2 {
			s, err := train.EstimateSpectrum(p, pre, nil, &train.SpectrumOptions{Iterations: row.Params})
			if err != nil {
				return row, err
			}
			*v.cond = s.Cond
			rate = 1 / s.Max
		}
		runCtx, cancel := context.WithCancel(ctx)
		stop := newStopAt(p.RelL2, target, 1, cancel)
		_, err = train.Run(runCtx, p, &train.Config{Optimizer: &train.SGD{LearningRate: rate}, Preconditioner: pre, Steps: budget, Recorders: []train.Recorder{stop}})
		cancel()
		if err != nil {
			return row, err
		}
		*v.steps, *v.err = stop.reached, p.RelL2()
		*v.wall, *v.cpu = time.Since(stop.start), cputime.Process()-stop.cpu0
		if ctx.Err() != nil {
			return row, ctx.Err()
		}
	}
	return row, nil
}

// WriteFourierTable prints rows as a table.
func WriteFourierTable(w io.Writer, target float64, budget int, rows []FourierRow) {
	fmt.Fprintf(w, "gradient descent (rate 1/λmax) to relative L2 %.0e, at most %d steps (— = budget ran out; error after the budget in brackets)\n", target, budget)
	fmt.Fprintf(w, "%3s %3s %6s %6s %10s %12s %16s %16s %12s %11s %11s\n", "d", "K", "params", "rows", "cond JᵀJ", "cond P⁻¹JᵀJ", "steps plain", "steps spectral", "steps GN", "CPU plain", "CPU spec")
	for _, r := range rows {
		fmt.Fprintf(w, "%3d %3d %6d %6d %10.3g %12.3g %16s %16s %12s %10.3gs %10.3gs\n", r.Dim, r.K, r.Params, r.Residuals, r.Cond, r.CondSpectral,
			stepsCell(r.Steps, r.Err), stepsCell(r.StepsSpectral, r.ErrSpectral), stepsCell(r.StepsGN, r.ErrGN),
			r.CPU.Seconds(), r.CPUSpectral.Seconds())
	}
}

func stepsCell(steps int, err float64) string {
	if steps < 0 {
		return fmt.Sprintf("— (%.1e)", err)
	}
	return fmt.Sprint(steps)
}

// PINNSetup says which PINN to train.
type PINNSetup struct {
	// Preset is a pinn preset with an exact solution (poisson-sine,
	// burgers-shock).
	Preset string
	// Hidden are the MLP's hidden widths (tanh).
	Hidden []int
	// Collocation, Boundary and Initial are the numbers of points (the
	// latter two unused under the automatic hard constraints).
	Collocation, Boundary, Initial int
	// Seed draws the weights and the points.
	Seed uint64
}

// NewPINN returns the PINN of s, its least-squares objective and a
// function giving its relative L2 error on the preset's standard grid.
func NewPINN(s PINNSetup) (*pinn.PINN, func() float64, error) {
	p, err := pinn.LookupProblem(s.Preset)
	if err != nil {
		return nil, nil, err
	}
	c := pinn.AutoConstraint(p)
	lo, hi := p.Domain().Bounds()
	cfg := nn.DefaultMLPConfig()
	cfg.Inputs, cfg.Hidden = p.Dim(), s.Hidden
	m, err := pinn.NewModel(cfg, lo, hi, c, rand.New(rand.NewPCG(s.Seed, 1)))
	if err != nil {
		return nil, nil, err
	}
	sampler, err := pinn.NewSampler("sobol", s.Seed)
	if err != nil {
		return nil, nil, err
	}
	terms, err := pinn.NewTerms(p, c, pinn.TermsConfig{Collocation: s.Collocation, Boundary: s.Boundary, Initial: s.Initial}, sampler)
	if err != nil {
		return nil, nil, err
	}
	pn, err := pinn.NewPINN(p, m, terms, nil)
	if err != nil {
		return nil, nil, err
	}
	grid, err := pinn.StandardGrid(s.Preset, "")
	if err != nil {
		return nil, nil, err
	}
	if grid.Reference == nil {
		return nil, nil, fmt.Errorf("precond: preset %q has no reference solution to measure the error against", s.Preset)
	}
	pts := grid.Points()
	u := make([]float64, len(grid.Reference))
	relL2 := func() float64 { return grid.RelL2(m.Eval(u, pts)) }
	return pn, relL2, nil
}

// PINNRow is one line of the PINN table.
type PINNRow struct {
	Optimizer string
	// Preconditioned says whether train.NaturalGradient was used.
	Preconditioned bool
	// Rate is the learning rate.
	Rate float64
	// Steps is the number of steps run; StepsTo the steps to the target
	// (−1: not reached), with the wall and CPU time to it.
	Steps, StepsTo int
	WallTo, CPUTo  time.Duration
	// Best is the best relative L2 error seen (every Every steps) and
	// BestStep its step; Final the error at the end.
	Best, Final float64
	BestStep    int
	// Wall and CPU are the run's times; Status why it stopped.
	Wall, CPU time.Duration
	Status    train.Status
}

// PINNRun says how to train in RunPINN.
type PINNRun struct {
	// Optimizer is "gd" (plain gradient descent) or "adam".
	Optimizer string
	// Precondition turns on train.NaturalGradient.
	Precondition bool
	// Rate is the learning rate; zero means, for gd, 1/λmax of JᵀJ at the
	// start (1 with preconditioning), and 1e-3 for adam.
	Rate float64
	// Steps is the step budget; Every the number of steps between error
	// evaluations.
	Steps, Every int
	// Target is the relative L2 error whose first crossing is timed;
	// StopAtTarget ends the run there instead of using the whole budget.
	Target       float64
	StopAtTarget bool
}

// RunPINN trains the PINN of s from its seeded start as r says.
func RunPINN(ctx context.Context, s PINNSetup, r PINNRun) (PINNRow, error) {
	optimizer, rate := r.Optimizer, r.Rate
	row := PINNRow{Optimizer: optimizer, Preconditioned: r.Precondition, StepsTo: -1}
	pn, relL2, err := NewPINN(s)
	if err != nil {
		return row, err
	}
	obj := pn.Objective()
	var pre train.Preconditioner
	if r.Precondition {
		pre = &train.NaturalGradient{Objective: obj}
	}
	var opt train.Optimizer
	switch optimizer {
	case "gd":
		if rate == 0 {
			rate = 1
			if !r.Precondition {
				sp, err := train.EstimateSpectrum(obj, nil, nil, &train.SpectrumOptions{Iterations: 30})
				if err != nil {
					return row, err
				}
				rate = 1 / sp.Max
			}
		}
		opt = &train.SGD{LearningRate: rate}
	case "adam":
		rate = orDefault(rate, 1e-3)
		opt = &train.Adam{LearningRate: rate}
	default:
		return row, fmt.Errorf("precond: optimizer %q; use gd or adam", optimizer)
	}
	row.Rate = rate
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	stop := newStopAt(relL2, r.Target, r.Every, cancel)
	stop.keepGoing = !r.StopAtTarget
	res, err := train.Run(runCtx, obj, &train.Config{Optimizer: opt, Preconditioner: pre, Steps: r.Steps, Recorders: []train.Recorder{stop}})
	row.Wall, row.CPU = time.Since(stop.start), cputime.Process()-stop.cpu0
	if res != nil {
		row.Steps, row.Status = res.Steps, res.Status
	}
	row.StepsTo, row.WallTo, row.CPUTo = stop.reached, stop.wallTo, stop.cpuTo
	row.Best, row.BestStep = stop.best, stop.bestStep
	row.Final = relL2()
	if err != nil && res != nil && res.Status == train.NonFinite {
		// Divergence is a result, not a failure of the experiment.
		return row, nil
	}
	return row, err
}

// WriteTable prints PINN rows as a table.
func WriteTable(w io.Writer, title string, target float64, rows []PINNRow) {
	fmt.Fprintf(w, "%s: relative L2 on the standard grid, target %.0e\n", title, target)
	fmt.Fprintf(w, "%-5s %-9s %9s %6s %9s %10s %10s %9s %6s %9s %9s %9s %s\n", "opt", "precond", "rate", "steps", "to target", "wall to", "CPU to", "best", "at", "final", "wall", "CPU", "status")
	for _, r := range rows {
		pc := "none"
		if r.Preconditioned {
			pc = "GN"
		}
		to, wt, ct := "—", "—", "—"
		if r.StepsTo >= 0 {
			to, wt, ct = fmt.Sprint(r.StepsTo), r.WallTo.Round(10*time.Millisecond).String(), r.CPUTo.Round(10*time.Millisecond).String()
		}
		fmt.Fprintf(w, "%-5s %-9s %9.3g %6d %9s %10s %10s %9.2e %6d %9.2e %9s %9s %v\n", r.Optimizer, pc, r.Rate, r.Steps, to, wt, ct, r.Best, r.BestStep, r.Final,
			r.Wall.Round(100*time.Millisecond), r.CPU.Round(100*time.Millisecond), r.Status)
	}
}

func orDefault(v, def float64) float64 {
	if v == 0 {
		return def
	}
	return v
}
