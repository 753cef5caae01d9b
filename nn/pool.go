package nn

import "gorgonia.org/tensor"

// bufferPool lends output arrays to the ops of the programs that share it.
// A program returns every array it borrowed when its run ends (its results
// have been read by then), so arrays are reused from step to step without
// allocation, and graphs that run one after another — the batch shapes of
// one objective, its loss, residual and Jacobian programs — share one set
// of arrays (lent by capacity, best fit) instead of each holding its own.
// Within a run no array is lent twice. A pool serves one goroutine at a
// time.
type bufferPool struct {
	free []*pooled
	lent []*pooled
}

// pooled is one array with the matrix headers made for it so far.
type pooled struct {
	data    []float64
	headers map[[2]int]*tensor.Dense
}

func newBufferPool() *bufferPool { return &bufferPool{} }

// get returns a rows×cols float64 tensor; its contents are arbitrary.
func (p *bufferPool) get(rows, cols int) *tensor.Dense {
	n := rows * cols
	best := -1
	for i, b := range p.free {
		if cap(b.data) >= n && (best < 0 || cap(b.data) < cap(p.free[best].data)) {
			best = i
		}
	}
	var b *pooled
	if best < 0 {
		b = &pooled{data: make([]float64, n), headers: make(map[[2]int]*tensor.Dense)}
	} else {
		b = p.free[best]
		p.free[best] = p.free[len(p.free)-1]
		p.free = p.free[:len(p.free)-1]
	}
	key := [2]int{rows, cols}
	t, ok := b.headers[key]
	if !ok || !t.Shape().Eq(tensor.Shape{rows, cols}) || len(t.Data().([]float64)) != n {
		t = tensor.New(tensor.WithShape(rows, cols), tensor.WithBacking(b.data[:n]))
		b.headers[key] = t
	}
	p.lent = append(p.lent, b)
	return t
}

// releaseAll takes back every lent array.
func (p *bufferPool) releaseAll() {
	p.free = append(p.free, p.lent...)
	clear(p.lent)
	p.lent = p.lent[:0]
}
