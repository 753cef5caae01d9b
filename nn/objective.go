package nn

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Block is one set of training samples of a ResidualObjective: Rows()
// samples, each with XCols input values and YCols target values, stored
// row-major in X and Y. A PINN has an interior block (collocation points
// and the source there) and boundary or initial blocks; a regression has
// one block.
type Block struct {
	Name  string
	X     []float64
	XCols int
	Y     []float64
	YCols int
	// Weight multiplies the block's mean-square residual in the loss; zero
	// means 1.
	Weight float64
}

// Rows returns the number of samples in b.
func (b Block) Rows() int {
	if b.XCols == 0 {
		return 0
	}
	return len(b.X) / b.XCols
}

// Residual is the residual of one block on a batch: R has one row per
// batch sample of the block, and row i depends only on row i of the
// block's inputs. Traces are the jets (or forward passes) R is computed
// from; the Jacobian needs them and needs R to have one column.
type Residual struct {
	R      *G.Node
	Traces []*Trace
}

// ResidualFunc builds on g the residual of every block for one batch
// shape. x[k] and y[k] hold block k's batch rows (nil when the batch has
// none of its samples, and then the residual is ignored); y[k] is nil when
// the block has no targets. For a minibatch they may have more rows than
// the batch has: the extra rows are padding (copies of a batch row) whose
// residual rows get zero weight, so row i of a residual must depend on row
// i of the inputs only. With the whole data set (a nil batch) there is no
// padding. It returns one Residual per block.
type ResidualFunc func(g *Graph, x, y []*G.Node) ([]Residual, error)

// ResidualObjective is the loss
//
//	L(θ) = ½ Σₖ wₖ · mean over block k's batch rows of rₖ(θ)²
//
// over blocks of samples, with residuals built by a ResidualFunc on graph
// nodes. It satisfies the train package's Objective (Params, NumSamples,
// Loss) and LeastSquares (NumResiduals, Residuals, Jacobian) interfaces
// structurally; its residual vector is r = (√(wₖ/(mₖcₖ)) rₖ)ₖ, so
// L = ½‖r‖², for mₖ batch rows and cₖ residual columns of block k.
//
// Samples are numbered block after block. A graph is built and compiled
// once per batch shape and reused: each block's batch rows are padded up to
// a bucket size (a geometric ladder with ratio 5/4, so a random minibatch
// that splits differently between blocks at every step meets the same few
// graphs), padding rows get zero weight through a mask input, and at most
// MaxGraphs shapes are kept (least recently used first out). Each Loss
// copies the batch rows into the graph's bound inputs, runs, and copies the
// gradient into every Param's Grad.
type ResidualObjective struct {
	params []*Param
	blocks []Block
	build  ResidualFunc
	n      int
	cols   []int // residual columns per block, from the first graph

	progs []*compiled // most recently used first
	pool  *bufferPool // shared by all of them
	count []int       // rows of each block in the current batch
	size  []int       // scratch: bucket sizes
}

// MaxGraphs is the number of batch shapes a ResidualObjective keeps
// compiled.
const MaxGraphs = 6

// compiled holds the programs of one batch shape: size[k] rows of block k.
type compiled struct {
	size []int
	loss *batchProgram
	res  *batchProgram
	jac  *jacobianProgram
}

func (c *compiled) close() {
	for _, p := range []*batchProgram{c.loss, c.res} {
		if p != nil {
			p.prog.Close()
		}
	}
	if c.jac != nil {
		c.jac.prog.Close()
	}
}

// batchProgram is a compiled graph with its bound inputs.
type batchProgram struct {
	prog    *Program
	x, y    []*Input
	mask    []*Input    // per block: each row's residual scale, 0 on padding
	r       [][]float64 // scaled residual of each block, read at each run
	scratch []int
}

// bucket returns the number of graph rows for m batch rows of a block of
// rows samples: m itself when small or when it is the whole block, else
// the next size on a geometric ladder of ratio about 5/4, capped at rows.
func bucket(m, rows int) int {
	if m <= 16 || m == rows {
		return m
	}
	b := 16
	for b < m {
		b += max(1, b/4)
	}
	return min(b, rows)
}

// NewResidualObjective returns the objective over blocks whose residuals
// build makes, trained in params (which build's graphs must use).
func NewResidualObjective(params []*Param, blocks []Block, build ResidualFunc) (*ResidualObjective, error) {
	if len(params) == 0 {
		return nil, errors.New("nn: objective without parameters")
	}
	if build == nil {
		return nil, errors.New("nn: objective without a residual function")
	}
	o := &ResidualObjective{params: params, build: build, count: make([]int, len(blocks)), size: make([]int, len(blocks))}
	for k, b := range blocks {
		if b.XCols <= 0 || len(b.X)%b.XCols != 0 || len(b.X) == 0 {
			return nil, fmt.Errorf("nn: block %d (%s) has %d input values in rows of %d; give X as a non-empty rows×XCols row-major slice", k, b.Name, len(b.X), b.XCols)
		}
		if b.YCols < 0 || len(b.Y) != b.Rows()*b.YCols {
			return nil, fmt.Errorf("nn: block %d (%s) has %d rows but %d target values in rows of %d", k, b.Name, b.Rows(), len(b.Y), b.YCols)
		}
		if b.Weight < 0 || math.IsNaN(b.Weight) || math.IsInf(b.Weight, 0) {
			return nil, fmt.Errorf("nn: block %d (%s) has weight %v; weights must be finite and non-negative", k, b.Name, b.Weight)
		}
		for _, v := range b.X {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("nn: block %d (%s) has a non-finite input value; clean the data", k, b.Name)
			}
		}
		for _, v := range b.Y {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("nn: block %d (%s) has a non-finite target value; clean the data", k, b.Name)
			}
		}
		if b.Weight == 0 {
			b.Weight = 1
		}
		o.blocks = append(o.blocks, b)
		o.n += b.Rows()
	}
	if o.n == 0 {
		return nil, errors.New("nn: objective without samples")
	}
	return o, nil
}

// Params returns the trained parameters.
func (o *ResidualObjective) Params() []*Param { return o.params }

// NumSamples returns the number of samples of all blocks together.
func (o *ResidualObjective) NumSamples() int { return o.n }

// locate returns the block and row of sample i.
func (o *ResidualObjective) locate(i int) (int, int, error) {
	if i < 0 || i >= o.n {
		return 0, 0, fmt.Errorf("nn: batch index %d outside the %d samples", i, o.n)
	}
	for k, b := range o.blocks {
		if i < b.Rows() {
			return k, i, nil
		}
		i -= b.Rows()
	}
	panic("unreachable")
}

// program counts the batch's rows of each block into o.count and returns
// the programs of its shape.
func (o *ResidualObjective) program(batch []int) (*compiled, error) {
	clear(o.count)
	if batch == nil {
		for k, b := range o.blocks {
			o.count[k] = b.Rows()
		}
	} else {
		if len(batch) == 0 {
			return nil, errors.New("nn: empty batch; pass nil for all samples")
		}
		for _, i := range batch {
			k, _, err := o.locate(i)
			if err != nil {
				return nil, err
			}
			o.count[k]++
		}
	}
	for k, b := range o.blocks {
		o.size[k] = bucket(o.count[k], b.Rows())
	}
	for i, c := range o.progs {
		if slices.Equal(c.size, o.size) {
			copy(o.progs[1:i+1], o.progs[:i])
			o.progs[0] = c
			return c, nil
		}
	}
	if len(o.progs) == MaxGraphs {
		o.progs[MaxGraphs-1].close()
		o.progs = o.progs[:MaxGraphs-1]
	}
	c := &compiled{size: slices.Clone(o.size)}
	o.progs = slices.Insert(o.progs, 0, c)
	return c, nil
}

// fill copies the rows of batch into the inputs of p, pads each block's
// rows up to the graph's size with copies of its first batch row, and sets
// the mask to each real row's residual scale √(w/(m·c)) and to 0 on
// padding. It uses o.count from program.
func (o *ResidualObjective) fill(p *batchProgram, batch []int) {
	at := p.scratch[:len(o.blocks)]
	clear(at)
	put := func(k, r int) {
		b := o.blocks[k]
		i := at[k]
		copy(p.x[k].Data[i*b.XCols:(i+1)*b.XCols], b.X[r*b.XCols:(r+1)*b.XCols])
		if p.y[k] != nil {
			copy(p.y[k].Data[i*b.YCols:(i+1)*b.YCols], b.Y[r*b.YCols:(r+1)*b.YCols])
		}
		at[k]++
	}
	if batch == nil {
		for k, b := range o.blocks {
			for r := 0; r < b.Rows(); r++ {
				put(k, r)
			}
		}
	} else {
		for _, i := range batch {
			k, r, _ := o.locate(i)
			put(k, r)
		}
	}
	for k, b := range o.blocks {
		if p.x[k] == nil {
			continue
		}
		m, rows := o.count[k], p.x[k].Rows
		for i := m; i < rows; i++ {
			copy(p.x[k].Data[i*b.XCols:(i+1)*b.XCols], p.x[k].Data[:b.XCols])
			if p.y[k] != nil {
				copy(p.y[k].Data[i*b.YCols:(i+1)*b.YCols], p.y[k].Data[:b.YCols])
			}
		}
		c := o.cols[k]
		scale := math.Sqrt(b.Weight / float64(m*c))
		mask := p.mask[k].Data
		for i := range mask {
			if i < m*c {
				mask[i] = scale
			} else {
				mask[i] = 0
			}
		}
	}
}

// graph builds the residual graph of a batch shape: the inputs, the
// scaled residual node of each present block and the residuals.
func (o *ResidualObjective) graph(size []int) (*Graph, *batchProgram, []*G.Node, []Residual, error) {
	g := NewGraph()
	if o.pool == nil {
		o.pool = newBufferPool()
	}
	g.pool = o.pool // the objective's graphs run one at a time
	nb := len(o.blocks)
	p := &batchProgram{x: make([]*Input, nb), y: make([]*Input, nb), mask: make([]*Input, nb), scratch: make([]int, nb)}
	xs := make([]*G.Node, nb)
	ys := make([]*G.Node, nb)
	for k, b := range o.blocks {
		if size[k] == 0 {
			continue
		}
		p.x[k] = g.Input(fmt.Sprintf("x%d", k), size[k], b.XCols)
		xs[k] = p.x[k].Node
		if b.YCols > 0 {
			p.y[k] = g.Input(fmt.Sprintf("y%d", k), size[k], b.YCols)
			ys[k] = p.y[k].Node
		}
	}
	res, err := o.build(g, xs, ys)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	if len(res) != nb {
		return nil, nil, nil, nil, fmt.Errorf("nn: residual function returned %d residuals for %d blocks", len(res), nb)
	}
	if o.cols == nil {
		o.cols = make([]int, nb)
	}
	scaled := make([]*G.Node, nb)
	for k, b := range o.blocks {
		if size[k] == 0 {
			continue
		}
		r := res[k].R
		if r == nil {
			return nil, nil, nil, nil, fmt.Errorf("nn: residual of block %d (%s) is nil", k, b.Name)
		}
		s := r.Shape()
		if len(s) != 2 || s[0] != size[k] || r.Dtype() != tensor.Float64 {
			return nil, nil, nil, nil, fmt.Errorf("nn: residual of block %d (%s) has shape %v; want a float64 matrix of %d rows (one per batch sample)", k, b.Name, s, size[k])
		}
		o.cols[k] = s[1]
		p.mask[k] = g.Input(fmt.Sprintf("mask%d", k), s[0], s[1])
		if scaled[k], err = applyPoly(g.pool, []*G.Node{r, p.mask[k].Node}, []term{{c: 1, f: []int{0, 1}}}); err != nil {
			return nil, nil, nil, nil, fmt.Errorf("nn: scaling residual %d: %w", k, err)
		}
	}
	return g, p, scaled, res, nil
}

func (o *ResidualObjective) lossProgram(c *compiled) (*batchProgram, error) {
	if c.loss != nil {
		return c.loss, nil
	}
	g, p, scaled, _, err := o.graph(c.size)
	if err != nil {
		return nil, err
	}
	var terms []*G.Node
	for _, s := range scaled {
		if s == nil {
			continue
		}
		sq, err := G.Square(s)
		if err == nil {
			sq, err = G.Sum(sq)
		}
		if err != nil {
			return nil, fmt.Errorf("nn: building loss: %w", err)
		}
		terms = append(terms, sq)
	}
	loss := terms[0]
	for _, t := range terms[1:] {
		if loss, err = G.Add(loss, t); err != nil {
			return nil, fmt.Errorf("nn: building loss: %w", err)
		}
	}
	if loss, err = G.Mul(loss, G.NewConstant(0.5)); err != nil {
		return nil, fmt.Errorf("nn: building loss: %w", err)
	}
	for _, q := range o.params {
		g.Param(q)
	}
	if p.prog, err = g.Compile(loss, o.params); err != nil {
		return nil, err
	}
	c.loss = p
	return p, nil
}

// Loss returns the loss on batch (nil means all samples) and writes its
// gradient into every Param's Grad.
func (o *ResidualObjective) Loss(batch []int) (float64, error) {
	c, err := o.program(batch)
	if err != nil {
		return 0, err
	}
	p, err := o.lossProgram(c)
	if err != nil {
		return 0, err
	}
	o.fill(p, batch)
	return p.prog.Run()
}

func (o *ResidualObjective) residualProgram(c *compiled) (*batchProgram, error) {
	if c.res != nil {
		return c.res, nil
	}
	g, p, scaled, _, err := o.graph(c.size)
	if err != nil {
		return nil, err
	}
	p.r = make([][]float64, len(scaled))
	for k, s := range scaled {
		if s == nil {
			continue
		}
		if p.r[k], err = g.Read(s); err != nil {
			return nil, err
		}
	}
	if p.prog, err = g.Compile(nil, nil); err != nil {
		return nil, err
	}
	c.res = p
	return p, nil
}

// NumResiduals returns the length of the residual vector on batch (nil
// means all samples), or 0 if batch is invalid or the residual cannot be
// built (Residuals then reports why).
func (o *ResidualObjective) NumResiduals(batch []int) int {
	c, err := o.program(batch)
	if err != nil {
		return 0
	}
	if _, err := o.residualProgram(c); err != nil {
		return 0
	}
	return o.numResiduals()
}

// numResiduals is the residual length for o.count.
func (o *ResidualObjective) numResiduals() int {
	n := 0
	for k, m := range o.count {
		n += m * o.cols[k]
	}
	return n
}

// Residuals writes the residual vector r on batch into dst (nil allocates)
// and returns it: block after block, the batch's rows of each block in
// batch order, each row's columns in order.
func (o *ResidualObjective) Residuals(dst []float64, batch []int) ([]float64, error) {
	c, err := o.program(batch)
	if err != nil {
		return nil, err
	}
	p, err := o.residualProgram(c)
	if err != nil {
		return nil, err
	}
	n := o.numResiduals()
	if dst == nil {
		dst = make([]float64, n)
	}
	if len(dst) != n {
		return nil, fmt.Errorf("nn: residual destination has length %d, want %d", len(dst), n)
	}
	o.fill(p, batch)
	if _, err := p.prog.Run(); err != nil {
		return nil, err
	}
	at := 0
	for k, r := range p.r {
		at += copy(dst[at:], r[:o.count[k]*o.cols[k]])
	}
	return dst, nil
}

// jacobianProgram computes, in one reverse pass of Σ r, the gradient of
// the residual sum with respect to every traced pre-activation.
type jacobianProgram struct {
	batchProgram
	taps  []tap
	in    [][]float64 // values of each tap's input
	grad  [][]float64 // gradient of Σ r with respect to each tap's output
	block []int       // block of each tap
}

func (o *ResidualObjective) jacobianProgram(c *compiled) (*jacobianProgram, error) {
	if c.jac != nil {
		return c.jac, nil
	}
	g, p, scaled, res, err := o.graph(c.size)
	if err != nil {
		return nil, err
	}
	jp := &jacobianProgram{batchProgram: *p}
	var cost *G.Node
	for k, s := range scaled {
		if s == nil {
			continue
		}
		if o.cols[k] != 1 {
			return nil, fmt.Errorf("nn: the Jacobian needs one residual column per sample, and block %d (%s) has %d; split it into blocks", k, o.blocks[k].Name, o.cols[k])
		}
		sum, err := G.Sum(s)
		if err != nil {
			return nil, fmt.Errorf("nn: building Jacobian: %w", err)
		}
		if cost == nil {
			cost = sum
		} else if cost, err = G.Add(cost, sum); err != nil {
			return nil, fmt.Errorf("nn: building Jacobian: %w", err)
		}
		reach := ancestors(s)
		for _, tr := range res[k].Traces {
			if tr == nil {
				continue
			}
			for _, t := range tr.taps {
				if !reach[t.out] {
					continue // a tangent the residual does not use
				}
				jp.taps = append(jp.taps, t)
				jp.block = append(jp.block, k)
			}
		}
	}
	covered := make(map[*Param]bool)
	for _, t := range jp.taps {
		covered[t.w] = true
		if t.b != nil {
			covered[t.b] = true
		}
	}
	reach := ancestors(cost)
	for _, q := range o.params {
		if n, ok := g.bound[q]; ok && reach[n] && !covered[q] {
			return nil, fmt.Errorf("nn: the residual depends on parameter %q other than through a traced dense layer; the Jacobian covers only MLP weights used through Jet or Forward, listed in Residual.Traces", q.Name)
		}
	}
	wrt := make([]*G.Node, len(jp.taps))
	jp.in = make([][]float64, len(jp.taps))
	jp.grad = make([][]float64, len(jp.taps))
	for i, t := range jp.taps {
		wrt[i] = t.out
		if jp.in[i], err = g.Read(t.in); err != nil {
			return nil, err
		}
		jp.grad[i] = make([]float64, t.out.Shape().TotalSize())
	}
	if jp.prog, err = g.compileJacobian(cost, wrt, jp.grad); err != nil {
		return nil, err
	}
	c.jac = jp
	return jp, nil
}

// Jacobian writes ∂r/∂θ on batch into dst (nil allocates) and returns it:
// one row per residual (ordered as Residuals), one column per scalar
// parameter (Params in order, each row-major). Every block's residual must
// have one column. Row i of each weight block is Σₜ hₜ[i,:] ⊗ gₜ[i,:] over
// the layer's traced affine maps t (value and jet tangents), with hₜ the
// map's input and gₜ the gradient of Σ r with respect to its output, from
// one reverse pass.
func (o *ResidualObjective) Jacobian(dst *mat.Dense, batch []int) (*mat.Dense, error) {
	c, err := o.program(batch)
	if err != nil {
		return nil, err
	}
	jp, err := o.jacobianProgram(c)
	if err != nil {
		return nil, err
	}
	rowAt := make([]int, len(o.blocks)) // first Jacobian row of each block
	rows := 0
	for k, m := range o.count {
		rowAt[k] = rows
		rows += m
	}
	cols := NumParams(o.params)
	if dst == nil {
		dst = mat.NewDense(rows, cols, nil)
	} else {
		if r, cc := dst.Dims(); r != rows || cc != cols {
			return nil, fmt.Errorf("nn: Jacobian destination is %d×%d, want %d×%d", r, cc, rows, cols)
		}
		dst.Zero()
	}
	o.fill(&jp.batchProgram, batch)
	if _, err := jp.prog.Run(); err != nil {
		return nil, err
	}
	offset := make(map[*Param]int, len(o.params))
	at := 0
	for _, q := range o.params {
		offset[q] = at
		at += q.Len()
	}
	raw := dst.RawMatrix()
	for ti, t := range jp.taps {
		nIn, nOut := t.w.Shape[0], t.w.Shape[1]
		in, gr := jp.in[ti], jp.grad[ti]
		wAt, ok := offset[t.w]
		if !ok {
			continue // a layer whose weights are not trained here
		}
		k := jp.block[ti]
		for i := 0; i < o.count[k]; i++ {
			row := raw.Data[(rowAt[k]+i)*raw.Stride:]
			gi := gr[i*nOut : (i+1)*nOut]
			for p, h := range in[i*nIn : (i+1)*nIn] {
				if h == 0 {
					continue
				}
				seg := row[wAt+p*nOut : wAt+(p+1)*nOut]
				for q, v := range gi {
					seg[q] += h * v
				}
			}
			if bAt, ok := offset[t.b]; ok && t.b != nil {
				seg := row[bAt : bAt+nOut]
				for q, v := range gi {
					seg[q] += v
				}
			}
		}
	}
	return dst, nil
}
