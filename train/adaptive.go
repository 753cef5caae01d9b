package train

import (
	"math"

	"github.com/neuralpde/neuralpde/nn"
)

// adaptiveKind selects the second-moment rule of the Adam family.
type adaptiveKind int

const (
	kindAdam    adaptiveKind = iota // v ← β₂v + (1−β₂)g²
	kindAMSGrad                     // as Adam, dividing by the running maximum of v
	kindAdaMax                      // u ← max(β₂u, |g| + ε)
)

// adaptive is the engine shared by Adam, AdamW, AMSGrad and AdaMax: one
// first-moment and one second-moment buffer per parameter, a step count
// for bias correction, and optional decoupled weight decay.
type adaptive struct {
	kind                adaptiveKind
	lr, b1, b2, eps, wd float64
	params              []*nn.Param
	m, v, vmax          [][]float64
	t                   int
}

func (a *adaptive) init(kind adaptiveKind, params []*nn.Param) error {
	if err := checkParams(params); err != nil {
		return err
	}
	a.kind = kind
	a.params = params
	a.t = 0
	a.m = make([][]float64, len(params))
	a.v = make([][]float64, len(params))
	a.vmax = nil
	if kind == kindAMSGrad {
		a.vmax = make([][]float64, len(params))
	}
	for i, p := range params {
		a.m[i] = make([]float64, p.Len())
		a.v[i] = make([]float64, p.Len())
		if a.vmax != nil {
			a.vmax[i] = make([]float64, p.Len())
		}
	}
	return nil
}

func (a *adaptive) step(rates []float64) {
	a.t++
	c1 := 1 - math.Pow(a.b1, float64(a.t))
	c2 := 1 - math.Pow(a.b2, float64(a.t))
	for i, p := range a.params {
		eta := a.lr * rates[i]
		m, v := a.m[i], a.v[i]
		if a.wd != 0 {
			// Loshchilov & Hutter (2019), Alg. 2 line 12: the decay is
			// applied to θ directly, scaled by the schedule but not by
			// the adaptive denominator.
			decay := 1 - eta*a.wd
			for j := range p.Value {
				p.Value[j] *= decay
			}
		}
		for j, g := range p.Grad {
			m[j] = a.b1*m[j] + (1-a.b1)*g
			switch a.kind {
			case kindAdam:
				v[j] = a.b2*v[j] + (1-a.b2)*g*g
				p.Value[j] -= eta * (m[j] / c1) / (math.Sqrt(v[j]/c2) + a.eps)
			case kindAMSGrad:
				v[j] = a.b2*v[j] + (1-a.b2)*g*g
				vm := a.vmax[i]
				vm[j] = math.Max(vm[j], v[j])
				p.Value[j] -= eta * (m[j] / c1) / (math.Sqrt(vm[j]/c2) + a.eps)
			case kindAdaMax:
				v[j] = math.Max(a.b2*v[j], math.Abs(g)+a.eps)
				p.Value[j] -= eta * (m[j] / c1) / v[j]
			}
		}
	}
}

func (a *adaptive) state(s stateSet, prefix string) {
	s.scalar(prefix+"t", float64(a.t))
	for i, p := range a.params {
		s[prefix+"m:"+p.Name] = a.m[i]
		s[prefix+"v:"+p.Name] = a.v[i]
		if a.vmax != nil {
			s[prefix+"vmax:"+p.Name] = a.vmax[i]
		}
	}
}

func (a *adaptive) setState(state map[string][]float64, prefix string) error {
	t, err := stateScalar(state, prefix+"t")
	if err != nil {
		return err
	}
	a.t = int(t)
	for i, p := range a.params {
		if err := stateInto(a.m[i], state, prefix+"m:"+p.Name); err != nil {
			return err
		}
		if err := stateInto(a.v[i], state, prefix+"v:"+p.Name); err != nil {
			return err
		}
		if a.vmax != nil {
			if err := stateInto(a.vmax[i], state, prefix+"vmax:"+p.Name); err != nil {
				return err
			}
		}
	}
	return nil
}
