package train

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"

	"github.com/neuralpde/neuralpde/nn"
	"gonum.org/v1/gonum/mat"
)

// SpectrumOptions configures EstimateSpectrum. A nil *SpectrumOptions means
// the defaults.
type SpectrumOptions struct {
	// Iterations is the number of Lanczos steps; zero means 60. It is
	// capped by the operator's size, where the estimate becomes exact.
	Iterations int
	// Seed seeds the Lanczos start vector (a PCG generator).
	Seed uint64
	// RankTol sets which Ritz values count as zero: Min is the smallest
	// Ritz value above RankTol·Max; zero means any positive value counts.
	RankTol float64
}

// Spectrum is an estimate of the extreme eigenvalues of the Gauss–Newton
// matrix JᵀJ of a least-squares objective, or of its preconditioned
// form P^(−1/2) JᵀJ P^(−1/2), from the Ritz values of Lanczos.
type Spectrum struct {
	// Max and Min are the largest and the smallest nonzero eigenvalue
	// estimates, Cond = Max/Min (+Inf when no Ritz value is positive).
	// With fewer Lanczos steps than Dim, Max and Min are bounds from
	// inside and Cond is a lower bound on the condition number.
	Max, Min, Cond float64
	// Ritz holds every Ritz value in increasing order.
	Ritz []float64
	// Dim is the size of the operator Lanczos ran on: the number of
	// residuals when that is at most the number of parameters (the
	// kernel J P⁻¹ Jᵀ, the neural tangent kernel on the training points
	// when P = I), else the number of parameters (P^(−1/2) JᵀJ P^(−1/2)).
	// The two share their nonzero eigenvalues.
	Dim int
	// Residuals and Params are the sizes of J.
	Residuals, Params int
	// Preconditioned says whether a preconditioner was applied.
	Preconditioned bool
}

// EstimateSpectrum estimates the extreme eigenvalues and the condition
// number of the Gauss–Newton matrix JᵀJ of obj on batch (nil means all
// samples) at the current parameters, with the preconditioner pre applied
// when it is not nil: then of P^(−1/2) JᵀJ P^(−1/2), the operator that
// governs gradient descent on the preconditioned gradient P⁻¹g (De Ryck,
// Bonnet, Mishra & de Bézenac (2023), §3), whose eigenvalues are those of
// P⁻¹JᵀJ. obj must be a LeastSquares and P⁻¹ symmetric positive definite.
//
// The estimate runs Lanczos (see Lanczos) on the smaller of the two
// operators with the same nonzero spectrum: w ↦ J P⁻¹ Jᵀ w on the
// residuals when there are no more residuals than parameters, else
// v ↦ JᵀJ P⁻¹ v on the parameters in the P⁻¹ inner product. P⁻¹ is applied
// by ApplyInverse for a LinearPreconditioner (its state is kept); any
// other Preconditioner is applied through the parameters' Grad, which are
// restored afterwards, but an adaptive one's state advances.
func EstimateSpectrum(obj Objective, pre Preconditioner, batch []int, opts *SpectrumOptions) (Spectrum, error) {
	if opts == nil {
		opts = &SpectrumOptions{}
	}
	ls, ok := obj.(LeastSquares)
	if !ok {
		return Spectrum{}, fmt.Errorf("train: EstimateSpectrum needs a LeastSquares objective (residuals and their Jacobian), and %T is not one", obj)
	}
	if opts.Iterations < 0 || opts.RankTol < 0 {
		return Spectrum{}, fmt.Errorf("train: EstimateSpectrum Iterations %d or RankTol %v is negative", opts.Iterations, opts.RankTol)
	}
	params := ls.Params()
	m, n := ls.NumResiduals(batch), nn.NumParams(params)
	J, err := ls.Jacobian(mat.NewDense(m, n, nil), batch)
	if err != nil {
		return Spectrum{}, err
	}
	pinv, err := inverseOf(pre, params, batch)
	if err != nil {
		return Spectrum{}, err
	}
	// A failed P⁻¹ inside a Lanczos product is reported after the run.
	var applyErr error
	u := make([]float64, n)
	pu := make([]float64, n)
	t := make([]float64, m)
	apply := func(dst, v []float64) {
		if pinv == nil {
			copy(dst, v)
			return
		}
		if _, err := pinv(dst, v); err != nil && applyErr == nil {
			applyErr = err
		}
	}
	var a, inner func(dst, v []float64)
	dim := m
	if m <= n {
		a = func(dst, w []float64) {
			mat.NewVecDense(n, u).MulVec(J.T(), mat.NewVecDense(m, w))
			apply(pu, u)
			mat.NewVecDense(m, dst).MulVec(J, mat.NewVecDense(n, pu))
		}
	} else {
		dim = n
		a = func(dst, v []float64) {
			apply(pu, v)
			mat.NewVecDense(m, t).MulVec(J, mat.NewVecDense(n, pu))
			mat.NewVecDense(n, dst).MulVec(J.T(), mat.NewVecDense(m, t))
		}
		if pinv != nil {
			inner = apply
		}
	}
	k := orDefaultInt(opts.Iterations, 60)
	ritz, err := Lanczos(dim, k, a, inner, rand.New(rand.NewPCG(opts.Seed, 0x5851f42d4c957f2d)))
	if applyErr != nil {
		return Spectrum{}, fmt.Errorf("train: EstimateSpectrum: preconditioner: %w", applyErr)
	}
	if err != nil {
		return Spectrum{}, err
	}
	s := Spectrum{Ritz: ritz, Dim: dim, Residuals: m, Params: n, Preconditioned: pinv != nil}
	s.Max = ritz[len(ritz)-1]
	s.Min = math.NaN()
	for _, v := range ritz {
		if v > opts.RankTol*s.Max && v > 0 {
			s.Min = v
			break
		}
	}
	s.Cond = math.Inf(1)
	if !math.IsNaN(s.Min) {
		s.Cond = s.Max / s.Min
	}
	return s, nil
}

// inverseOf returns a function applying pre's P⁻¹ on params, nil when
// pre is nil.
func inverseOf(pre Preconditioner, params []*nn.Param, batch []int) (func(dst, v []float64) ([]float64, error), error) {
	switch p := pre.(type) {
	case nil:
		return nil, nil
	case LinearPreconditioner:
		return func(dst, v []float64) ([]float64, error) { return p.ApplyInverse(dst, v, params, batch) }, nil
	}
	saved := gatherGrads(nil, params)
	return func(dst, v []float64) ([]float64, error) {
		defer func() {
			off := 0
			for _, q := range params {
				off += copy(q.Grad, saved[off:])
			}
		}()
		off := 0
		for _, q := range params {
			off += copy(q.Grad, v[off:])
		}
		if err := pre.Precondition(params, batch); err != nil {
			return nil, err
		}
		return gatherGrads(dst, params), nil
	}, nil
}

// SpectrumRecord is one estimate of a SpectrumRecorder.
type SpectrumRecord struct {
	// Step is the number of steps completed when it was made.
	Step int
	// Plain is the spectrum of JᵀJ; Preconditioned that of
	// P^(−1/2) JᵀJ P^(−1/2), zero without a preconditioner.
	Plain, Preconditioned Spectrum
}

// SpectrumRecorder is a Recorder that estimates the spectrum of the
// Gauss–Newton matrix on all samples every Every steps (see
// EstimateSpectrum), with and without Preconditioner, keeps the estimates
// in History and writes each as a JSON line to W:
//
//	{"step":100,"spectrum":{"max":…,"min":…,"cond":…},"precond_spectrum":{…}}
//
// W may be the metrics file of a JSONLines recorder; the lines are told
// apart by their keys.
type SpectrumRecorder struct {
	// Objective is the objective being trained; it must be a
	// LeastSquares.
	Objective Objective
	// Preconditioner, when not nil, is also applied (as in
	// EstimateSpectrum). Give the one in Config.Preconditioner to log its
	// current operator: the one of the step just taken, so a Jacobian-
	// based preconditioner's J is one step older than the J it is
	// composed with.
	Preconditioner Preconditioner
	// Fresh, when not nil, replaces Preconditioner: at each estimate it
	// returns a new preconditioner, which the recorder builds at the
	// current parameters (one Loss and one Precondition on all samples,
	// the gradients restored afterwards), so the preconditioned spectrum
	// is that of P and JᵀJ at the same point rather than P from the step
	// before.
	Fresh func() (Preconditioner, error)
	// Every is the number of steps between estimates; zero means 100.
	Every int
	// Options configure the estimates; nil means the defaults.
	Options *SpectrumOptions
	// W receives one JSON line per estimate; nil writes none.
	W io.Writer
	// History holds the estimates in order.
	History []SpectrumRecord
}

var _ Recorder = (*SpectrumRecorder)(nil)

type jsonSpectrum struct {
	Max  float64 `json:"max"`
	Min  float64 `json:"min"`
	Cond float64 `json:"cond"`
}

func toJSONSpectrum(s Spectrum) *jsonSpectrum {
	return &jsonSpectrum{Max: finiteOrZero(s.Max), Min: finiteOrZero(s.Min), Cond: finiteOrZero(s.Cond)}
}

// Record implements Recorder.
func (r *SpectrumRecorder) Record(m Metrics) error {
	if m.Step%orDefaultInt(r.Every, 100) != 0 {
		return nil
	}
	rec := SpectrumRecord{Step: m.Step}
	var err error
	if rec.Plain, err = EstimateSpectrum(r.Objective, nil, nil, r.Options); err != nil {
		return err
	}
	pre := r.Preconditioner
	if r.Fresh != nil {
		if pre, err = r.fresh(); err != nil {
			return err
		}
	}
	if pre != nil {
		if rec.Preconditioned, err = EstimateSpectrum(r.Objective, pre, nil, r.Options); err != nil {
			return err
		}
	}
	r.History = append(r.History, rec)
	if r.W == nil {
		return nil
	}
	line := struct {
		Step    int           `json:"step"`
		Plain   *jsonSpectrum `json:"spectrum"`
		Precond *jsonSpectrum `json:"precond_spectrum,omitempty"`
	}{Step: m.Step, Plain: toJSONSpectrum(rec.Plain)}
	if pre != nil {
		line.Precond = toJSONSpectrum(rec.Preconditioned)
	}
	b, err := json.Marshal(line)
	if err != nil {
		return fmt.Errorf("train: spectrum line: %v", err)
	}
	_, err = r.W.Write(append(b, '\n'))
	return err
}

// fresh builds a preconditioner from r.Fresh at the current parameters,
// leaving their gradients as they were.
func (r *SpectrumRecorder) fresh() (Preconditioner, error) {
	pre, err := r.Fresh()
	if err != nil || pre == nil {
		return pre, err
	}
	params := r.Objective.Params()
	saved := gatherGrads(nil, params)
	defer func() {
		off := 0
		for _, p := range params {
			off += copy(p.Grad, saved[off:])
		}
	}()
	if _, err := r.Objective.Loss(nil); err != nil {
		return nil, err
	}
	if err := pre.Precondition(params, nil); err != nil {
		return nil, err
	}
	return pre, nil
}

// Finish implements Recorder.
func (r *SpectrumRecorder) Finish(*Result) error { return nil }
