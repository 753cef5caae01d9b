package train

import (
	"fmt"
	"math"

	"github.com/neuralpde/neuralpde/nn"
)

// LBFGS is the limited-memory BFGS method of Liu & Nocedal (1989), "On the
// limited memory BFGS method for large scale optimization", Math. Program.
// 45, with the two-loop recursion and initial scaling γ = sᵀy/yᵀy of
// Nocedal & Wright (2006), Numerical Optimization, Algorithm 7.4 and eq.
// (7.20), and the strong-Wolfe line search of their Algorithms 3.5 and 3.6
// with cubic interpolation.
//
// It needs full-batch training and the exact gradient (see Needs). It
// chooses its own step length and ignores Step.Rates. When the line search
// finds no decrease it discards its memory and retries along the steepest
// descent direction; when that fails too it reports Converged.
type LBFGS struct {
	// Memory is the number of curvature pairs kept; zero means 10.
	Memory int
	// C1 is the sufficient-decrease constant; zero means 1e-4.
	C1 float64
	// C2 is the curvature constant; zero means 0.9.
	C2 float64
	// MaxEvals bounds the loss evaluations per line search; zero means 25.
	MaxEvals int
	// GradTol reports Converged when the gradient's Euclidean norm is at
	// most GradTol; zero means 0 (exact zero only).
	GradTol float64

	params         []*nn.Param
	s, y           [][]float64
	rho, alpha     []float64
	head, count    int
	x0, g, d, gNew []float64
	lastAlpha      float64
}

var _ Optimizer = (*LBFGS)(nil)

// Needs implements Needer.
func (o *LBFGS) Needs() Needs { return Needs{FullBatch: true, ExactGradient: true} }

// Init implements Optimizer.
func (o *LBFGS) Init(params []*nn.Param, _ Objective) error {
	if err := checkParams(params); err != nil {
		return err
	}
	m := orDefaultInt(o.Memory, 10)
	if m < 1 {
		return fmt.Errorf("train: LBFGS.Memory is %d; it must be positive", o.Memory)
	}
	n := nn.NumParams(params)
	o.params = params
	o.s = make([][]float64, m)
	o.y = make([][]float64, m)
	for i := range o.s {
		o.s[i] = make([]float64, n)
		o.y[i] = make([]float64, n)
	}
	o.rho = make([]float64, m)
	o.alpha = make([]float64, m)
	o.head, o.count = 0, 0
	o.x0 = make([]float64, n)
	o.g = make([]float64, n)
	o.d = make([]float64, n)
	o.gNew = make([]float64, n)
	return nil
}

// Step implements Optimizer.
func (o *LBFGS) Step(s *Step) (Status, error) {
	gatherValues(o.x0, o.params)
	gatherGrads(o.g, o.params)
	gn := norm(o.g)
	if gn <= o.GradTol {
		return Converged, nil
	}
	o.direction()
	d0 := dot(o.d, o.g)
	if !(d0 < 0) {
		o.count = 0
		o.direction()
		d0 = dot(o.d, o.g)
	}
	alpha1 := 1.0
	if o.count == 0 {
		alpha1 = math.Min(1, 1/gn)
	}
	o.lastAlpha = math.NaN()
	ls := wolfeSearch{
		c1:       orDefault(o.C1, 1e-4),
		c2:       orDefault(o.C2, 0.9),
		maxEvals: orDefaultInt(o.MaxEvals, 25),
		phi: func(a float64) (float64, float64, error) {
			setAxpy(o.params, o.x0, a, o.d)
			o.lastAlpha = a
			f, err := s.Evaluate()
			if err != nil {
				return f, 0, err
			}
			gatherGrads(o.gNew, o.params)
			return f, dot(o.gNew, o.d), nil
		},
	}
	alpha, f, ok, err := ls.search(s.Loss, d0, alpha1)
	if err != nil {
		return Failure, err
	}
	if !ok {
		scatterValues(o.params, o.x0)
		if o.count == 0 {
			return Converged, nil
		}
		o.count = 0
		return NotTerminated, nil
	}
	if alpha != o.lastAlpha {
		setAxpy(o.params, o.x0, alpha, o.d)
		if f, err = s.Evaluate(); err != nil {
			return Failure, err
		}
		gatherGrads(o.gNew, o.params)
	}
	s.Fresh(f)
	o.update(alpha)
	return NotTerminated, nil
}

// direction writes −H·g into d by the two-loop recursion (Nocedal &
// Wright Algorithm 7.4).
func (o *LBFGS) direction() {
	m := len(o.s)
	copy(o.d, o.g)
	for k := 0; k < o.count; k++ {
		i := (o.head - 1 - k + 2*m) % m
		o.alpha[i] = o.rho[i] * dot(o.s[i], o.d)
		axpy(-o.alpha[i], o.y[i], o.d)
	}
	if o.count > 0 {
		i := (o.head - 1 + m) % m
		gamma := dot(o.s[i], o.y[i]) / dot(o.y[i], o.y[i])
		for j := range o.d {
			o.d[j] *= gamma
		}
	}
	for k := o.count - 1; k >= 0; k-- {
		i := (o.head - 1 - k + 2*m) % m
		beta := o.rho[i] * dot(o.y[i], o.d)
		axpy(o.alpha[i]-beta, o.s[i], o.d)
	}
	for j := range o.d {
		o.d[j] = -o.d[j]
	}
}

// update stores the pair s = α d, y = g⁺ − g when sᵀy > 0, which keeps
// the inverse Hessian approximation positive definite.
func (o *LBFGS) update(alpha float64) {
	i := o.head
	si, yi := o.s[i], o.y[i]
	for j := range si {
		si[j] = alpha * o.d[j]
		yi[j] = o.gNew[j] - o.g[j]
	}
	sy := dot(si, yi)
	if !(sy > 1e-12*norm(si)*norm(yi)) {
		return
	}
	o.rho[i] = 1 / sy
	o.head = (o.head + 1) % len(o.s)
	o.count = min(o.count+1, len(o.s))
}

// State implements Stateful.
func (o *LBFGS) State() map[string][]float64 {
	st := make(stateSet)
	st.scalar("head", float64(o.head))
	st.scalar("count", float64(o.count))
	st["rho"] = o.rho
	for i := range o.s {
		st[fmt.Sprintf("s:%d", i)] = o.s[i]
		st[fmt.Sprintf("y:%d", i)] = o.y[i]
	}
	return st
}

// SetState implements Stateful.
func (o *LBFGS) SetState(state map[string][]float64) error {
	head, err := stateScalar(state, "head")
	if err != nil {
		return err
	}
	count, err := stateScalar(state, "count")
	if err != nil {
		return err
	}
	if int(head) >= len(o.s) || int(count) > len(o.s) {
		return fmt.Errorf("train: LBFGS state has memory %d, this optimizer keeps %d pairs; use the same Memory to resume", int(count), len(o.s))
	}
	o.head, o.count = int(head), int(count)
	if err := stateInto(o.rho, state, "rho"); err != nil {
		return err
	}
	for i := range o.s {
		if err := stateInto(o.s[i], state, fmt.Sprintf("s:%d", i)); err != nil {
			return err
		}
		if err := stateInto(o.y[i], state, fmt.Sprintf("y:%d", i)); err != nil {
			return err
		}
	}
	return nil
}

// axpy sets y ← y + a·x.
func axpy(a float64, x, y []float64) {
	for i, v := range x {
		y[i] += a * v
	}
}
