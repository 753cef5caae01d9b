package train

import (
	"fmt"
	"math"
	"sort"

	"github.com/neuralpde/neuralpde/nn"
	"gonum.org/v1/gonum/mat"
)

// LinearPreconditioner is a Preconditioner that can apply its current
// linear map P⁻¹ to any vector without changing its state. EstimateSpectrum
// uses it to form the preconditioned operator; for a Preconditioner
// without it, EstimateSpectrum applies Precondition through the
// parameters' Grad, which advances the state of an adaptive one.
type LinearPreconditioner interface {
	Preconditioner
	// ApplyInverse writes P⁻¹v into dst (nil allocates) and returns it.
	// v and dst are laid out like a Jacobian row over params (the
	// trainable parameters, each row-major); batch is as in Precondition.
	ApplyInverse(dst, v []float64, params []*nn.Param, batch []int) ([]float64, error)
}

// Diagonal is a fixed diagonal preconditioner: it multiplies each entry of
// a parameter's gradient by its own scale, g ← s ⊙ g, so P⁻¹ = diag(s).
//
// For a model linear in the coefficients of a basis in which the PDE's
// operator is diagonal (a Fourier-feature model, the neural spectral
// model), scales from the operator's symbol make it the spectral
// preconditioner of De Ryck, Bonnet, Mishra & de Bézenac (2023), "An
// operator preconditioning perspective on training in physics-informed
// machine learning", §4: see LaplacianScales.
type Diagonal struct {
	// Scales holds, for each parameter name, one positive scale per entry
	// of that parameter (row-major). A trainable parameter without an
	// entry keeps its gradient; an entry that names no trainable
	// parameter is an error.
	Scales map[string][]float64
}

var _ LinearPreconditioner = (*Diagonal)(nil)

// Precondition implements Preconditioner.
func (d *Diagonal) Precondition(params []*nn.Param, _ []int) error {
	found := 0
	for _, p := range params {
		s, ok := d.Scales[p.Name]
		if !ok {
			continue
		}
		if len(s) != p.Len() {
			return fmt.Errorf("train: Diagonal has %d scales for parameter %q of %d entries; give one scale per entry", len(s), p.Name, p.Len())
		}
		for j := range p.Grad {
			p.Grad[j] *= s[j]
		}
		found++
	}
	if found != len(d.Scales) {
		return d.unknownName(params)
	}
	return nil
}

// ApplyInverse implements LinearPreconditioner.
func (d *Diagonal) ApplyInverse(dst, v []float64, params []*nn.Param, _ []int) ([]float64, error) {
	n := nn.NumParams(params)
	if len(v) != n {
		panic(fmt.Sprintf("train: Diagonal.ApplyInverse vector has length %d, want %d", len(v), n))
	}
	dst = resize(dst, n)
	found, off := 0, 0
	for _, p := range params {
		seg := dst[off : off+p.Len()]
		copy(seg, v[off:off+p.Len()])
		if s, ok := d.Scales[p.Name]; ok {
			if len(s) != p.Len() {
				return nil, fmt.Errorf("train: Diagonal has %d scales for parameter %q of %d entries; give one scale per entry", len(s), p.Name, p.Len())
			}
			for j := range seg {
				seg[j] *= s[j]
			}
			found++
		}
		off += p.Len()
	}
	if found != len(d.Scales) {
		return nil, d.unknownName(params)
	}
	return dst, nil
}

func (d *Diagonal) unknownName(params []*nn.Param) error {
	have := make(map[string]bool, len(params))
	for _, p := range params {
		have[p.Name] = true
	}
	var missing []string
	for name := range d.Scales {
		if !have[name] {
			missing = append(missing, name)
		}
	}
	sort.Strings(missing)
	return fmt.Errorf("train: Diagonal has scales for %q, which is not a trainable parameter; check the names (frozen parameters are not preconditioned)", missing)
}

// LaplacianScales writes the symbol-based scales of a model linear in
// Fourier features for the operator −Δ into dst (nil allocates) and
// returns it:
//
//	dst[i] = (shift + |kᵢ|²)^−2,
//
// where kᵢ is the wave vector of feature i, given as dim numbers
// k[i·dim : (i+1)·dim] (for cos(k·x) and sin(k·x) on a period 2π/k per
// direction). The loss ½‖−Δu − f‖² has the Hessian 𝒟*𝒟 with symbol
// |k|⁴ in an orthogonal Fourier basis (De Ryck et al. 2023, §3–4), so
// scaling each coefficient's gradient by the inverse symbol squared
// equalises the modes. The shift stands in for the boundary or data term
// that alone controls the constant mode (k = 0) and keeps the scale
// finite there; shift = 1 gives De Ryck et al.'s (1 + |k|²)^−2. The
// shift must be positive when a wave vector is zero.
func LaplacianScales(dst, k []float64, dim int, shift float64) ([]float64, error) {
	if dim <= 0 || len(k)%dim != 0 {
		return nil, fmt.Errorf("train: LaplacianScales got %d wave-vector numbers for dimension %d; give dim numbers per feature", len(k), dim)
	}
	if shift < 0 || math.IsNaN(shift) || math.IsInf(shift, 0) {
		return nil, fmt.Errorf("train: LaplacianScales shift is %v; use a finite shift ≥ 0 (1 is the usual choice)", shift)
	}
	n := len(k) / dim
	dst = resize(dst, n)
	for i := range dst {
		s := shift
		for _, v := range k[i*dim : (i+1)*dim] {
			s += v * v
		}
		if s == 0 {
			return nil, fmt.Errorf("train: LaplacianScales feature %d has wave vector 0 and the shift is 0; use a positive shift", i)
		}
		dst[i] = 1 / (s * s)
	}
	return dst, nil
}

// paramIndex maps trainable parameters onto the columns of an objective's
// Jacobian, whose columns run over all its Params.
type paramIndex struct {
	params   []*nn.Param // the trainable parameters it was built for
	cols     []int       // first column of each trainable parameter
	nAll     int
	identity bool // params are exactly the objective's Params
}

// indexParams returns the columns of params among all.
func indexParams(params, all []*nn.Param) (paramIndex, error) {
	at := make(map[*nn.Param]int, len(all))
	off := 0
	for _, p := range all {
		at[p] = off
		off += p.Len()
	}
	ix := paramIndex{params: params, cols: make([]int, len(params)), nAll: off, identity: len(params) == len(all)}
	for i, p := range params {
		c, ok := at[p]
		if !ok {
			return paramIndex{}, fmt.Errorf("train: parameter %q is not one of the preconditioner's objective's Params; give the preconditioner the objective that is trained", p.Name)
		}
		ix.cols[i] = c
		if i >= len(all) || all[i] != p {
			ix.identity = false
		}
	}
	return ix, nil
}

// same reports whether ix was built for params.
func (ix *paramIndex) same(params []*nn.Param) bool {
	if len(ix.params) != len(params) || ix.params == nil {
		return false
	}
	for i, p := range params {
		if ix.params[i] != p {
			return false
		}
	}
	return true
}

// restrict copies the columns of the trainable parameters of full (m×nAll)
// into dst (m×n, nil allocates) and returns it; with identity it returns
// full itself.
func (ix *paramIndex) restrict(dst, full *mat.Dense) *mat.Dense {
	if ix.identity {
		return full
	}
	m, _ := full.Dims()
	n := nn.NumParams(ix.params)
	if dst == nil {
		dst = mat.NewDense(m, n, nil)
	}
	col := 0
	for i, p := range ix.params {
		dst.Slice(0, m, col, col+p.Len()).(*mat.Dense).Copy(full.Slice(0, m, ix.cols[i], ix.cols[i]+p.Len()))
		col += p.Len()
	}
	return dst
}

// jacobianState holds the residual Jacobian restricted to the trainable
// parameters, refreshed on a schedule, for the preconditioners built on
// it.
type jacobianState struct {
	ls    LeastSquares
	ix    paramIndex
	full  *mat.Dense
	J     *mat.Dense // restricted view or copy
	colSq []float64  // squared column norms of J: diag(JᵀJ)
	batch []int
	calls int
	valid bool
	// version counts the refreshes, so that factorisations of J know when
	// they are stale.
	version int
}

// sameBatch reports whether b holds the indices of a.
func sameBatch(a, b []int) bool {
	if (a == nil) != (b == nil) || len(a) != len(b) {
		return false
	}
	for i, v := range a {
		if b[i] != v {
			return false
		}
	}
	return true
}

// prepare checks that params index the objective and reports whether the
// Jacobian must be recomputed for this batch, given the refresh interval
// every (zero: only when there is none for this batch).
func (s *jacobianState) prepare(params []*nn.Param, batch []int, every int) (bool, error) {
	if !s.ix.same(params) {
		ix, err := indexParams(params, s.ls.Params())
		if err != nil {
			return false, err
		}
		s.ix, s.valid = ix, false
	}
	stale := !s.valid || !sameBatch(s.batch, batch) || every > 0 && s.calls%every == 0
	return stale, nil
}

// refresh recomputes J and diag(JᵀJ) on batch.
func (s *jacobianState) refresh(batch []int) error {
	m := s.ls.NumResiduals(batch)
	if s.full != nil {
		if r, c := s.full.Dims(); r != m || c != s.ix.nAll {
			s.full, s.J = nil, nil
		}
	}
	if s.full == nil {
		s.full = mat.NewDense(m, s.ix.nAll, nil)
	}
	full, err := s.ls.Jacobian(s.full, batch)
	if err != nil {
		return err
	}
	if r, c := full.Dims(); r != m || c != s.ix.nAll {
		return fmt.Errorf("train: Jacobian is %d×%d, want %d residuals × %d parameters", r, c, m, s.ix.nAll)
	}
	s.full = full
	s.J = s.ix.restrict(s.J, full)
	_, n := s.J.Dims()
	s.colSq = zeros(s.colSq, n)
	raw := s.J.RawMatrix()
	for i := 0; i < m; i++ {
		for j, v := range raw.Data[i*raw.Stride : i*raw.Stride+n] {
			s.colSq[j] += v * v
		}
	}
	s.batch = append(s.batch[:0], batch...)
	if batch == nil {
		s.batch = nil
	}
	s.valid = true
	s.version++
	return nil
}

func meanOf(a []float64) float64 {
	var s float64
	for _, v := range a {
		s += v
	}
	return s / float64(len(a))
}

// PreconditionerNames are the names NewPreconditioner knows.
var PreconditionerNames = []string{"none", "gn", "jacobi", "hutchinson"}

// NewPreconditioner returns the preconditioner of the given name for obj,
// with its defaults, for a command line or config file: "none" (or "")
// gives nil, the identity; "gn" a NaturalGradient, "jacobi" a Jacobi
// (both need a LeastSquares objective) and "hutchinson" a Hutchinson
// seeded with seed. The model-specific Diagonal has no name here.
func NewPreconditioner(name string, obj Objective, seed uint64) (Preconditioner, error) {
	switch name {
	case "", "none":
		return nil, nil
	case "hutchinson":
		return &Hutchinson{Objective: obj, Seed: seed}, nil
	case "gn", "jacobi":
		ls, err := leastSquaresOf(name+" preconditioning", obj)
		if err != nil {
			return nil, err
		}
		if name == "gn" {
			return &NaturalGradient{Objective: ls}, nil
		}
		return &Jacobi{Objective: ls}, nil
	}
	return nil, fmt.Errorf("train: unknown preconditioner %q; use one of %v", name, PreconditionerNames)
}
