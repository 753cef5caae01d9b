package sparse

import (
	"fmt"
	"sort"

	"gonum.org/v1/gonum/mat"
)

// CSR is a sparse matrix in compressed sparse row form: the column indices
// and values of row i are ind[ptr[i]:ptr[i+1]] and val[ptr[i]:ptr[i+1]],
// with column indices strictly increasing within a row.
//
// CSR implements mat.Matrix, so gonum can copy it into a dense matrix
// (mat.DenseCopyOf) for tests and small problems.
type CSR struct {
	r, c int
	ptr  []int
	ind  []int
	val  []float64
}

var (
	_ mat.Matrix = (*CSR)(nil)
	_ Operator   = (*CSR)(nil)
)

// COO collects the entries of a sparse matrix as (row, column, value)
// triplets in any order; ToCSR sums duplicates. It is the convenient way to
// assemble a matrix.
type COO struct {
	r, c int
	row  []int
	col  []int
	val  []float64
}

// NewCOO returns an empty r×c triplet list with room for capacity entries.
func NewCOO(r, c, capacity int) *COO {
	if r <= 0 || c <= 0 {
		panic(fmt.Sprintf("sparse: matrix dimensions %d×%d must be positive", r, c))
	}
	return &COO{
		r: r, c: c,
		row: make([]int, 0, capacity),
		col: make([]int, 0, capacity),
		val: make([]float64, 0, capacity),
	}
}

// Append adds v at (i, j). Entries at the same position are summed by
// ToCSR. It panics if (i, j) is outside the matrix.
func (t *COO) Append(i, j int, v float64) {
	if i < 0 || i >= t.r || j < 0 || j >= t.c {
		panic(fmt.Sprintf("sparse: entry (%d, %d) outside a %d×%d matrix", i, j, t.r, t.c))
	}
	t.row = append(t.row, i)
	t.col = append(t.col, j)
	t.val = append(t.val, v)
}

// Len returns the number of triplets appended so far.
func (t *COO) Len() int { return len(t.val) }

// ToCSR returns the CSR form of t, summing duplicate entries. Entries that
// sum to zero are kept, so the sparsity pattern does not depend on values.
func (t *COO) ToCSR() *CSR {
	m := &CSR{r: t.r, c: t.c, ptr: make([]int, t.r+1)}
	// Counting sort by row, then sort each row by column and merge.
	for _, i := range t.row {
		m.ptr[i+1]++
	}
	for i := 0; i < t.r; i++ {
		m.ptr[i+1] += m.ptr[i]
	}
	next := append([]int(nil), m.ptr[:t.r]...)
	ind := make([]int, len(t.val))
	val := make([]float64, len(t.val))
	for k, i := range t.row {
		p := next[i]
		ind[p] = t.col[k]
		val[p] = t.val[k]
		next[i]++
	}
	out := 0
	start := 0
	for i := 0; i < t.r; i++ {
		end := m.ptr[i+1]
		sortRow(ind[start:end], val[start:end])
		rowStart := out
		for p := start; p < end; p++ {
			if out > rowStart && ind[out-1] == ind[p] {
				val[out-1] += val[p]
				continue
			}
			ind[out] = ind[p]
			val[out] = val[p]
			out++
		}
		start = end
		m.ptr[i+1] = out
	}
	m.ind = ind[:out:out]
	m.val = val[:out:out]
	return m
}

// sortRow sorts a row's entries by column, keeping the order of equal
// columns. Rows of stencil matrices are short, so insertion sort is used
// below a few dozen entries; it allocates nothing.
func sortRow(ind []int, val []float64) {
	if len(ind) > 32 {
		sort.Stable(byColumn{ind, val})
		return
	}
	for i := 1; i < len(ind); i++ {
		for k := i; k > 0 && ind[k] < ind[k-1]; k-- {
			ind[k], ind[k-1] = ind[k-1], ind[k]
			val[k], val[k-1] = val[k-1], val[k]
		}
	}
}

type byColumn struct {
	ind []int
	val []float64
}

func (r byColumn) Len() int           { return len(r.ind) }
func (r byColumn) Less(a, b int) bool { return r.ind[a] < r.ind[b] }
func (r byColumn) Swap(a, b int) {
	r.ind[a], r.ind[b] = r.ind[b], r.ind[a]
	r.val[a], r.val[b] = r.val[b], r.val[a]
}

// NewCSRFromDense returns the CSR form of a, keeping its non-zero entries.
func NewCSRFromDense(a mat.Matrix) *CSR {
	r, c := a.Dims()
	t := NewCOO(r, c, 0)
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			if v := a.At(i, j); v != 0 {
				t.Append(i, j, v)
			}
		}
	}
	return t.ToCSR()
}

// Dims returns the number of rows and columns.
func (m *CSR) Dims() (r, c int) { return m.r, m.c }

// NNZ returns the number of stored entries.
func (m *CSR) NNZ() int { return len(m.val) }

// At returns the entry at (i, j), zero if it is not stored.
func (m *CSR) At(i, j int) float64 {
	if i < 0 || i >= m.r || j < 0 || j >= m.c {
		panic(mat.ErrIndexOutOfRange)
	}
	ind := m.ind[m.ptr[i]:m.ptr[i+1]]
	k := sort.SearchInts(ind, j)
	if k < len(ind) && ind[k] == j {
		return m.val[m.ptr[i]+k]
	}
	return 0
}

// T returns the implicit transpose of m (a mat.Transpose). For an explicit
// CSR transpose use Transpose.
func (m *CSR) T() mat.Matrix { return mat.Transpose{Matrix: m} }

// Row returns the column indices and values stored in row i. The slices
// share m's storage: writing to vals changes m.
func (m *CSR) Row(i int) (cols []int, vals []float64) {
	return m.ind[m.ptr[i]:m.ptr[i+1]], m.val[m.ptr[i]:m.ptr[i+1]]
}

// MulVec writes m·x into dst. It allocates nothing and panics if the
// lengths do not match m's dimensions.
func (m *CSR) MulVec(dst, x []float64) {
	if len(x) != m.c || len(dst) != m.r {
		panic(fmt.Sprintf("sparse: MulVec of a %d×%d matrix with len(x) = %d, len(dst) = %d", m.r, m.c, len(x), len(dst)))
	}
	ptr, ind, val := m.ptr, m.ind, m.val
	for i := range dst {
		var s float64
		for p := ptr[i]; p < ptr[i+1]; p++ {
			s += val[p] * x[ind[p]]
		}
		dst[i] = s
	}
}

// MulVecTrans writes mᵀ·x into dst. It allocates nothing and panics if the
// lengths do not match m's dimensions.
func (m *CSR) MulVecTrans(dst, x []float64) {
	if len(x) != m.r || len(dst) != m.c {
		panic(fmt.Sprintf("sparse: MulVecTrans of a %d×%d matrix with len(x) = %d, len(dst) = %d", m.r, m.c, len(x), len(dst)))
	}
	for j := range dst {
		dst[j] = 0
	}
	for i, xi := range x {
		for p := m.ptr[i]; p < m.ptr[i+1]; p++ {
			dst[m.ind[p]] += m.val[p] * xi
		}
	}
}

// Diagonal writes the diagonal of m into dst and returns it. If dst is nil
// a new slice is allocated; otherwise it must have length min(r, c).
func (m *CSR) Diagonal(dst []float64) []float64 {
	n := min(m.r, m.c)
	if dst == nil {
		dst = make([]float64, n)
	}
	if len(dst) != n {
		panic(fmt.Sprintf("sparse: diagonal of a %d×%d matrix needs length %d, got %d", m.r, m.c, n, len(dst)))
	}
	for i := range dst {
		dst[i] = m.At(i, i)
	}
	return dst
}

// Transpose returns mᵀ as a new CSR matrix.
func (m *CSR) Transpose() *CSR {
	t := &CSR{r: m.c, c: m.r, ptr: make([]int, m.c+1), ind: make([]int, len(m.ind)), val: make([]float64, len(m.val))}
	for _, j := range m.ind {
		t.ptr[j+1]++
	}
	for j := 0; j < m.c; j++ {
		t.ptr[j+1] += t.ptr[j]
	}
	next := append([]int(nil), t.ptr[:m.c]...)
	// Rows of m in increasing order give increasing columns in each row of t.
	for i := 0; i < m.r; i++ {
		for p := m.ptr[i]; p < m.ptr[i+1]; p++ {
			q := next[m.ind[p]]
			t.ind[q] = i
			t.val[q] = m.val[p]
			next[m.ind[p]]++
		}
	}
	return t
}

// Mul returns the product a·b as a new CSR matrix (Gustavson's row-by-row
// algorithm with a dense accumulator: a symbolic pass counts each row's
// entries, a numeric pass fills them). It returns an error if the inner
// dimensions differ.
func Mul(a, b *CSR) (*CSR, error) {
	if a.c != b.r {
		return nil, fmt.Errorf("sparse: cannot multiply %d×%d by %d×%d; inner dimensions differ", a.r, a.c, b.r, b.c)
	}
	c := &CSR{r: a.r, c: b.c, ptr: make([]int, a.r+1)}
	mark := make([]int, b.c)
	for j := range mark {
		mark[j] = -1
	}
	for i := 0; i < a.r; i++ {
		count := 0
		for p := a.ptr[i]; p < a.ptr[i+1]; p++ {
			k := a.ind[p]
			for q := b.ptr[k]; q < b.ptr[k+1]; q++ {
				if j := b.ind[q]; mark[j] != i {
					mark[j] = i
					count++
				}
			}
		}
		c.ptr[i+1] = c.ptr[i] + count
	}
	c.ind = make([]int, c.ptr[a.r])
	c.val = make([]float64, c.ptr[a.r])
	acc := make([]float64, b.c)
	for j := range mark {
		mark[j] = -1
	}
	for i := 0; i < a.r; i++ {
		cols := c.ind[c.ptr[i]:c.ptr[i]:c.ptr[i+1]]
		for p := a.ptr[i]; p < a.ptr[i+1]; p++ {
			k, av := a.ind[p], a.val[p]
			for q := b.ptr[k]; q < b.ptr[k+1]; q++ {
				j := b.ind[q]
				if mark[j] != i {
					mark[j] = i
					acc[j] = 0
					cols = append(cols, j)
				}
				acc[j] += av * b.val[q]
			}
		}
		sort.Ints(cols)
		for k, j := range cols {
			c.val[c.ptr[i]+k] = acc[j]
		}
	}
	return c, nil
}

// Scale multiplies every stored entry of m by f in place.
func (m *CSR) Scale(f float64) {
	for p := range m.val {
		m.val[p] *= f
	}
}
