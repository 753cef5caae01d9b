package train

import (
	"fmt"
	"math"
	"path"

	"github.com/neuralpde/neuralpde/nn"
	"gonum.org/v1/gonum/mat"
)

// Group sets training options for the parameters whose names match one
// of its patterns. A parameter takes the options of the first group that
// matches it; parameters no group matches train with multiplier 1 and
// Config.WeightDecay.
type Group struct {
	// Names are path.Match patterns matched against parameter names, such
	// as "mlp.0.*" or "*.b".
	Names []string
	// LR multiplies the learning rate of the group; zero means 1.
	LR float64
	// WeightDecay is the group's L2 coefficient; zero means
	// Config.WeightDecay.
	WeightDecay float64
	// NoWeightDecay turns weight decay off for the group (biases, say).
	NoWeightDecay bool
	// Frozen excludes the group from training: the optimizer never sees
	// these parameters.
	Frozen bool
}

// problem is the objective an optimizer sees: the trainable parameters
// only, with the L2 weight decay ½·Σ λᵢ‖θᵢ‖² folded into the loss (and,
// for least-squares objectives, into the residuals as √λᵢ·θᵢ, so that
// ½‖r‖² is still the loss).
type problem struct {
	obj    Objective
	all    []*nn.Param
	params []*nn.Param // trainable
	cols   []int       // offset in the full parameter vector of each trainable parameter
	wd     []float64   // per trainable parameter
	rates  []float64   // group learning-rate multipliers
	nAll   int
	frozen bool
	nWD    int // scalars with weight decay

	full   *mat.Dense
	hvFull []float64
	vFull  []float64
}

// newProblem applies the groups and the default weight decay to obj.
func newProblem(obj Objective, groups []Group, weightDecay float64) (Objective, *problem, error) {
	all := obj.Params()
	if err := checkParams(all); err != nil {
		return nil, nil, err
	}
	for gi, g := range groups {
		for _, pat := range g.Names {
			if _, err := path.Match(pat, ""); err != nil {
				return nil, nil, fmt.Errorf("train: group %d: bad name pattern %q: %v", gi, pat, err)
			}
		}
	}
	p := &problem{obj: obj, all: all, nAll: nn.NumParams(all)}
	used := make([]bool, len(groups))
	off := 0
	for _, prm := range all {
		gi := matchGroup(groups, prm.Name)
		rate, wd, frozen := 1.0, weightDecay, false
		if gi >= 0 {
			used[gi] = true
			g := groups[gi]
			rate = orDefault(g.LR, 1)
			if g.WeightDecay != 0 {
				wd = g.WeightDecay
			}
			if g.NoWeightDecay {
				wd = 0
			}
			frozen = g.Frozen
		}
		if wd < 0 {
			return nil, nil, fmt.Errorf("train: parameter %q has negative weight decay %v", prm.Name, wd)
		}
		if frozen {
			p.frozen = true
		} else {
			p.params = append(p.params, prm)
			p.cols = append(p.cols, off)
			p.wd = append(p.wd, wd)
			p.rates = append(p.rates, rate)
			if wd > 0 {
				p.nWD += prm.Len()
			}
		}
		off += prm.Len()
	}
	for gi, u := range used {
		if !u {
			return nil, nil, fmt.Errorf("train: group %d (%v) matches no parameter; check the patterns against the parameter names", gi, groups[gi].Names)
		}
	}
	if len(p.params) == 0 {
		return nil, nil, fmt.Errorf("train: every parameter is frozen; unfreeze a group to train")
	}
	ls, isLS := obj.(LeastSquares)
	hv, isHV := obj.(HessianVector)
	switch {
	case isLS && isHV:
		return &lsqHVProblem{lsqProblem{p, ls}, hv}, p, nil
	case isLS:
		return &lsqProblem{p, ls}, p, nil
	case isHV:
		return &hvProblem{p, hv}, p, nil
	}
	return p, p, nil
}

func matchGroup(groups []Group, name string) int {
	for gi, g := range groups {
		for _, pat := range g.Names {
			if ok, _ := path.Match(pat, name); ok {
				return gi
			}
		}
	}
	return -1
}

func (p *problem) Params() []*nn.Param { return p.params }
func (p *problem) NumSamples() int     { return p.obj.NumSamples() }

func (p *problem) Loss(batch []int) (float64, error) {
	f, err := p.obj.Loss(batch)
	if err != nil {
		return f, err
	}
	for i, prm := range p.params {
		if wd := p.wd[i]; wd > 0 {
			axpy(wd, prm.Value, prm.Grad)
		}
	}
	return f + p.decay(), nil
}

// decay returns the weight-decay term ½Σ λ_i‖θ_i‖².
func (p *problem) decay() float64 {
	var f float64
	for i, prm := range p.params {
		if wd := p.wd[i]; wd > 0 {
			f += 0.5 * wd * dot(prm.Value, prm.Value)
		}
	}
	return f
}

// lossOnly returns Loss(batch), forward-only when the objective is a
// LossEvaluator.
func (p *problem) lossOnly(batch []int) (float64, error) {
	f, err := forwardLoss(p.obj, batch)
	return f + p.decay(), err
}

// lsqProblem is a problem whose objective is a LeastSquares.
type lsqProblem struct {
	*problem
	ls LeastSquares
}

func (p *lsqProblem) NumResiduals(batch []int) int { return p.ls.NumResiduals(batch) + p.nWD }

func (p *lsqProblem) Residuals(dst []float64, batch []int) ([]float64, error) {
	m := p.ls.NumResiduals(batch)
	dst = resize(dst, m+p.nWD)
	if _, err := p.ls.Residuals(dst[:m], batch); err != nil {
		return nil, err
	}
	k := m
	for i, prm := range p.params {
		if wd := p.wd[i]; wd > 0 {
			s := math.Sqrt(wd)
			for _, v := range prm.Value {
				dst[k] = s * v
				k++
			}
		}
	}
	return dst, nil
}

func (p *lsqProblem) Jacobian(dst *mat.Dense, batch []int) (*mat.Dense, error) {
	m := p.ls.NumResiduals(batch)
	n := nn.NumParams(p.params)
	if !p.frozen && p.nWD == 0 {
		return p.ls.Jacobian(dst, batch)
	}
	if dst == nil {
		dst = mat.NewDense(m+p.nWD, n, nil)
	} else if r, c := dst.Dims(); r != m+p.nWD || c != n {
		panic(fmt.Sprintf("train: Jacobian destination is %d×%d, want %d×%d", r, c, m+p.nWD, n))
	}
	dst.Zero()
	if p.frozen {
		if p.full != nil {
			if r, _ := p.full.Dims(); r != m {
				p.full = nil
			}
		}
		if p.full == nil {
			p.full = mat.NewDense(m, p.nAll, nil)
		}
		full, err := p.ls.Jacobian(p.full, batch)
		if err != nil {
			return nil, err
		}
		col := 0
		for i, prm := range p.params {
			dst.Slice(0, m, col, col+prm.Len()).(*mat.Dense).Copy(full.Slice(0, m, p.cols[i], p.cols[i]+prm.Len()))
			col += prm.Len()
		}
	} else {
		view := dst.Slice(0, m, 0, n).(*mat.Dense)
		got, err := p.ls.Jacobian(view, batch)
		if err != nil {
			return nil, err
		}
		if got != view {
			view.Copy(got)
		}
	}
	row, col := m, 0
	for i, prm := range p.params {
		if wd := p.wd[i]; wd > 0 {
			s := math.Sqrt(wd)
			for j := range prm.Value {
				dst.Set(row, col+j, s)
				row++
			}
		}
		col += prm.Len()
	}
	return dst, nil
}

// hvProblem is a problem whose objective is a HessianVector.
type hvProblem struct {
	*problem
	hv HessianVector
}

func (p *hvProblem) HessVec(dst, v []float64, batch []int) ([]float64, error) {
	return p.hessVec(p.hv, dst, v, batch)
}

type lsqHVProblem struct {
	lsqProblem
	hv HessianVector
}

func (p *lsqHVProblem) HessVec(dst, v []float64, batch []int) ([]float64, error) {
	return p.hessVec(p.hv, dst, v, batch)
}

func (p *problem) hessVec(hv HessianVector, dst, v []float64, batch []int) ([]float64, error) {
	n := nn.NumParams(p.params)
	dst = resize(dst, n)
	if !p.frozen {
		if _, err := hv.HessVec(dst, v, batch); err != nil {
			return nil, err
		}
	} else {
		p.vFull = zeros(p.vFull, p.nAll)
		col := 0
		for i, prm := range p.params {
			copy(p.vFull[p.cols[i]:], v[col:col+prm.Len()])
			col += prm.Len()
		}
		var err error
		if p.hvFull, err = hv.HessVec(resize(p.hvFull, p.nAll), p.vFull, batch); err != nil {
			return nil, err
		}
		col = 0
		for i, prm := range p.params {
			copy(dst[col:col+prm.Len()], p.hvFull[p.cols[i]:])
			col += prm.Len()
		}
	}
	col := 0
	for i, prm := range p.params {
		if wd := p.wd[i]; wd > 0 {
			axpy(wd, v[col:col+prm.Len()], dst[col:col+prm.Len()])
		}
		col += prm.Len()
	}
	return dst, nil
}
