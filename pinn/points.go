package pinn

import (
	"fmt"
	"math/rand/v2"
	"sort"

	"github.com/neuralpde/neuralpde/pde"
)

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x2545f4914f6cdd1d)) }

// TermsConfig says how many points each loss term of a forward problem
// gets and how they are weighted.
type TermsConfig struct {
	Collocation, Initial, Boundary int
	// ResidualWeight, InitialWeight and BoundaryWeight are the terms'
	// weights; zero means 1.
	ResidualWeight, InitialWeight, BoundaryWeight float64
}

// NewTerms samples the loss terms of p with s: collocation points in the
// domain (sorted by time for an evolution problem, so that causal weights
// see contiguous time slices), and initial and boundary points for the
// conditions the constraint c (nil means none) does not impose.
func NewTerms(p *Problem, c *Constraint, tc TermsConfig, s Sampler) ([]*Term, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if tc.Collocation <= 0 {
		return nil, fmt.Errorf("pinn: %d collocation points; give a positive number", tc.Collocation)
	}
	d := p.Dim()
	col, err := SampleInterior(nil, p.Domain(), tc.Collocation, s)
	if err != nil {
		return nil, err
	}
	if p.Time != nil {
		sortByTime(col, d)
	}
	res := &Term{Kind: ResidualTerm, Points: col, Weight: tc.ResidualWeight}
	if p.Source != nil {
		res.Target = evalAt(p.Source, col, d)
	}
	terms := []*Term{res}
	if p.Time != nil && (c == nil || !c.Initial) {
		if tc.Initial <= 0 {
			return nil, fmt.Errorf("pinn: %d initial points and no hard initial constraint; give a positive number", tc.Initial)
		}
		ds := p.Space.Dim()
		sp, err := SampleInterior(nil, p.Space, tc.Initial, s)
		if err != nil {
			return nil, err
		}
		pts := make([]float64, tc.Initial*d)
		tgt := make([]float64, tc.Initial)
		for i := 0; i < tc.Initial; i++ {
			copy(pts[i*d:], sp[i*ds:(i+1)*ds])
			pts[i*d+ds] = p.Time.A
			tgt[i] = p.Initial(sp[i*ds : (i+1)*ds])
		}
		terms = append(terms, &Term{Kind: InitialTerm, Points: pts, Target: tgt, Weight: tc.InitialWeight})
	}
	if c != nil && c.Boundary {
		return terms, nil
	}
	if tc.Boundary <= 0 {
		return nil, fmt.Errorf("pinn: %d boundary points and no hard boundary constraint; give a positive number", tc.Boundary)
	}
	if p.BC == pde.PeriodicBC {
		iv := p.Space.(Interval)
		ts := s.Sample(nil, tc.Boundary, 1)
		left := make([]float64, 2*tc.Boundary)
		right := make([]float64, 2*tc.Boundary)
		for i, u := range ts {
			t := p.Time.A + u*p.Time.Length()
			left[2*i], left[2*i+1] = iv.A, t
			right[2*i], right[2*i+1] = iv.B, t
		}
		terms = append(terms, &Term{Kind: PeriodicTerm, Points: left, Partner: right, Weight: tc.BoundaryWeight})
		need := effectiveNeeds(p.Equation)
		if need&(pde.DXX|pde.DXXX|pde.DXXXX) != 0 {
			terms = append(terms, &Term{Kind: PeriodicSlopeTerm, Points: append([]float64(nil), left...), Partner: append([]float64(nil), right...), Weight: tc.BoundaryWeight})
		}
		return terms, nil
	}
	pts, normals := SampleBoundary(nil, nil, p.Domain(), tc.Boundary, s)
	t := &Term{Kind: DirichletTerm, Points: pts, Weight: tc.BoundaryWeight}
	if p.BC == pde.Neumann {
		t.Kind = NeumannTerm
		ds := p.Space.Dim()
		t.Normals = make([]float64, tc.Boundary*ds)
		for i := 0; i < tc.Boundary; i++ {
			copy(t.Normals[i*ds:(i+1)*ds], normals[i*d:i*d+ds])
		}
	}
	if p.Boundary != nil {
		t.Target = evalAt(p.Boundary, pts, d)
	}
	terms = append(terms, t)
	return terms, nil
}

func evalAt(f func([]float64) float64, pts []float64, d int) []float64 {
	out := make([]float64, len(pts)/d)
	for i := range out {
		out[i] = f(pts[i*d : (i+1)*d])
	}
	return out
}

// sortByTime orders the rows of pts (rows×d) by their last coordinate.
func sortByTime(pts []float64, d int) {
	rows := len(pts) / d
	idx := make([]int, rows)
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return pts[idx[a]*d+d-1] < pts[idx[b]*d+d-1] })
	tmp := make([]float64, len(pts))
	for i, j := range idx {
		copy(tmp[i*d:(i+1)*d], pts[j*d:(j+1)*d])
	}
	copy(pts, tmp)
}
