package sparse

import "fmt"

// Jacobi is the diagonal (Jacobi) preconditioner M = diag(A).
type Jacobi struct {
	inv []float64
}

var _ Preconditioner = (*Jacobi)(nil)

// NewJacobi returns the Jacobi preconditioner of the square matrix a. It
// returns an error if a is not square or has a zero on its diagonal.
func NewJacobi(a *CSR) (*Jacobi, error) {
	r, c := a.Dims()
	if r != c {
		return nil, fmt.Errorf("sparse: Jacobi preconditioner of a non-square %d×%d matrix; it needs a square matrix", r, c)
	}
	d := a.Diagonal(nil)
	for i, v := range d {
		if v == 0 || v != v {
			return nil, fmt.Errorf("sparse: diagonal entry %d is %g; the Jacobi preconditioner needs a non-zero diagonal", i, v)
		}
		d[i] = 1 / v
	}
	return &Jacobi{inv: d}, nil
}

// Precondition writes diag(A)⁻¹·r into dst.
func (j *Jacobi) Precondition(dst, r []float64) {
	if len(dst) != len(j.inv) || len(r) != len(j.inv) {
		panic(fmt.Sprintf("sparse: Jacobi of size %d applied with len(dst) = %d, len(r) = %d", len(j.inv), len(dst), len(r)))
	}
	for i, v := range r {
		dst[i] = v * j.inv[i]
	}
}
