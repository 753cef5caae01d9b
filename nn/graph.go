package nn

import (
	"errors"
	"fmt"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Graph is a gorgonia expression graph built once for one batch shape and
// then run many times. Parameters are bound to their Params' backing
// arrays, so an optimizer's in-place update of Param.Value is what the next
// run sees; inputs are bound to slices the caller copies each batch into.
//
// Gorgonia's graph construction is not goroutine-safe: build graphs one at
// a time. A compiled Program runs on one goroutine at a time.
type Graph struct {
	g        *G.ExprGraph
	bound    map[*Param]*G.Node
	names    map[string]int
	post     []func()
	pool     *bufferPool
	compiled bool
}

// NewGraph returns an empty graph.
func NewGraph() *Graph {
	return &Graph{g: G.NewGraph(), bound: make(map[*Param]*G.Node), names: make(map[string]int), pool: newBufferPool()}
}

// Expr returns the underlying gorgonia graph, for building expressions
// with gorgonia's own operations.
func (g *Graph) Expr() *G.ExprGraph { return g.g }

// unique returns name, suffixed if needed so that no two input nodes of g
// share a name: gorgonia merges input nodes by name.
func (g *Graph) unique(name string) string {
	n := g.names[name]
	g.names[name] = n + 1
	if n == 0 {
		return name
	}
	return fmt.Sprintf("%s#%d", name, n)
}

// nodeShape is the shape of p's graph node: a 1-D parameter (a bias) is a
// 1×n row, which broadcasts over a batch.
func nodeShape(p *Param) []int {
	if len(p.Shape) == 1 {
		return []int{1, p.Shape[0]}
	}
	return p.Shape
}

// Param returns the node of p in g, creating it on first use. The node's
// tensor has p.Value as its backing array (no copy), with p's shape, except
// that a 1-D parameter is a 1×n row matrix.
func (g *Graph) Param(p *Param) *G.Node {
	if n, ok := g.bound[p]; ok {
		return n
	}
	s := nodeShape(p)
	t := tensor.New(tensor.WithShape(s...), tensor.WithBacking(p.Value))
	var n *G.Node
	if len(s) == 2 {
		n = G.NewMatrix(g.g, tensor.Float64, G.WithShape(s...), G.WithName(g.unique(p.Name)), G.WithValue(t))
	} else {
		n = G.NewTensor(g.g, tensor.Float64, len(s), G.WithShape(s...), G.WithName(g.unique(p.Name)), G.WithValue(t))
	}
	g.bound[p] = n
	return n
}

// Input is a rows×cols matrix input of a Graph. Data is the row-major
// backing array of its node: write a batch into it before each run.
type Input struct {
	Node       *G.Node
	Data       []float64
	Rows, Cols int
}

// Input returns a new rows×cols input node backed by a zeroed slice.
func (g *Graph) Input(name string, rows, cols int) *Input {
	data := make([]float64, rows*cols)
	t := tensor.New(tensor.WithShape(rows, cols), tensor.WithBacking(data))
	n := G.NewMatrix(g.g, tensor.Float64, G.WithShape(rows, cols), G.WithName(g.unique(name)), G.WithValue(t))
	return &Input{Node: n, Data: data, Rows: rows, Cols: cols}
}

// constMatrix returns a rows×cols input node holding data, which nothing
// writes to afterwards.
func (g *Graph) constMatrix(name string, rows, cols int, data []float64) *G.Node {
	t := tensor.New(tensor.WithShape(rows, cols), tensor.WithBacking(data))
	return G.NewMatrix(g.g, tensor.Float64, G.WithShape(rows, cols), G.WithName(g.unique(name)), G.WithValue(t))
}

// Read arranges for n's value to be copied, during every run of the
// compiled program, into the returned slice (row-major, n's size). Call it
// before Compile. Reading is the safe way to see an intermediate node:
// after a run, its register may hold another node's value.
func (g *Graph) Read(n *G.Node) ([]float64, error) {
	if g.compiled {
		return nil, errors.New("nn: Graph.Read called after Compile; read every node before compiling")
	}
	if n == nil {
		return nil, errors.New("nn: Graph.Read of a nil node")
	}
	if n.Dtype() != tensor.Float64 {
		return nil, fmt.Errorf("nn: Graph.Read of %v, which has dtype %v; only float64 is read", n, n.Dtype())
	}
	if n.IsScalar() {
		dst := make([]float64, 1)
		v := new(G.Value)
		f := G.NewF64(0)
		*v = f
		G.Read(n, v)
		g.post = append(g.post, func() { dst[0] = float64(*f) })
		return dst, nil
	}
	s := n.Shape()
	dst := make([]float64, s.TotalSize())
	v := new(G.Value)
	*v = tensor.New(tensor.WithShape(s...), tensor.WithBacking(dst))
	G.Read(n, v)
	return dst, nil
}

// readInto arranges for n's value to be copied into dst at every run.
func (g *Graph) readInto(dst []float64, n *G.Node) {
	v := new(G.Value)
	*v = tensor.New(tensor.WithShape(n.Shape()...), tensor.WithBacking(dst))
	G.Read(n, v)
}

// Program is a compiled Graph: a gorgonia tape machine reused for every
// run, so no graph is built per step.
type Program struct {
	vm   G.VM
	loss []float64
	post []func()
	pool *bufferPool
}

// Compile finishes g and returns its program. If loss is not nil it must be
// a scalar node; the program then computes its gradient with respect to
// params (one reverse pass, gorgonia.Grad called once) and copies it into
// each Param's Grad at every run, by a gorgonia Read whose destination is
// a tensor backed by Param.Grad: one copy, no allocation. Making Param.Grad
// the gradient node's own array instead is not safe: the tape machine
// reuses that memory for later instructions of the same run. The copy is
// 100 kB for the 12,737 weights of a 2→64×3→1 MLP, negligible against the
// ~150 ms of its Laplacian training step at batch 4096. Every Param in params must have been
// bound with g.Param; one that loss does not depend on gets a zero Grad.
func (g *Graph) Compile(loss *G.Node, params []*Param) (*Program, error) {
	if g.compiled {
		return nil, errors.New("nn: Graph compiled twice; build a new Graph")
	}
	p := &Program{}
	if loss != nil {
		if !loss.IsScalar() {
			return nil, fmt.Errorf("nn: loss node %v has shape %v; it must be a scalar", loss, loss.Shape())
		}
		wrt := make([]*G.Node, len(params))
		for i, q := range params {
			n, ok := g.bound[q]
			if !ok {
				return nil, fmt.Errorf("nn: parameter %q is not in this graph; bind it with Graph.Param before Compile", q.Name)
			}
			wrt[i] = n
		}
		var err error
		if p.loss, err = g.Read(loss); err != nil {
			return nil, err
		}
		// A parameter the loss does not depend on (the output bias under a
		// loss of derivatives only) has zero gradient; gorgonia's Grad
		// rejects it, so it is left out and its Grad zeroed at each run.
		reach := ancestors(loss)
		var used []*G.Node
		var usedParams []*Param
		for i, q := range params {
			if reach[wrt[i]] {
				used = append(used, wrt[i])
				usedParams = append(usedParams, q)
				continue
			}
			grad := q.Grad
			g.post = append(g.post, func() { clear(grad) })
		}
		if len(used) > 0 {
			grads, err := G.Grad(loss, used...)
			if err != nil {
				return nil, fmt.Errorf("nn: differentiating the loss: %w", err)
			}
			for i, q := range usedParams {
				g.readInto(q.Grad, grads[i])
			}
		}
	}
	g.compiled = true
	p.post = g.post
	p.pool = g.pool
	p.vm = G.NewTapeMachine(g.g)
	return p, nil
}

// compileJacobian returns a program that computes the gradient of cost
// with respect to the intermediate nodes wrt, read into dst[i].
func (g *Graph) compileJacobian(cost *G.Node, wrt []*G.Node, dst [][]float64) (*Program, error) {
	if g.compiled {
		return nil, errors.New("nn: Graph compiled twice; build a new Graph")
	}
	one := g.g.AddNode(G.NewConstant(1.0))
	grads, err := G.Backpropagate(G.Nodes{cost}, G.Nodes{one}, wrt)
	if err != nil {
		return nil, fmt.Errorf("nn: differentiating the residual sum: %w", err)
	}
	for i, n := range grads {
		g.readInto(dst[i], n)
	}
	g.compiled = true
	return &Program{post: g.post, pool: g.pool, vm: G.NewTapeMachine(g.g)}, nil
}

// Run runs the program once and returns the loss (0 without one).
func (p *Program) Run() (float64, error) {
	p.vm.Reset()
	err := p.vm.RunAll()
	p.pool.releaseAll() // the run's values have been read
	if err != nil {
		return 0, fmt.Errorf("nn: running graph: %w", err)
	}
	for _, f := range p.post {
		f()
	}
	if p.loss == nil {
		return 0, nil
	}
	return p.loss[0], nil
}

// Close releases the program's machine.
func (p *Program) Close() error { return p.vm.Close() }

// ancestors returns the set of nodes out is computed from, out included.
func ancestors(out *G.Node) map[*G.Node]bool {
	g := out.Graph()
	seen := map[*G.Node]bool{out: true}
	stack := []*G.Node{out}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		it := g.From(n.ID())
		for it.Next() {
			c := it.Node().(*G.Node)
			if !seen[c] {
				seen[c] = true
				stack = append(stack, c)
			}
		}
	}
	return seen
}

// Column returns column j of the matrix node x as a rows×1 node, e.g. a
// coordinate of the collocation points for a residual whose coefficients
// depend on position (pde.Jet's X, Y, T).
func Column(x *G.Node, j int) (*G.Node, error) {
	s := x.Shape()
	if len(s) != 2 || j < 0 || j >= s[1] {
		return nil, fmt.Errorf("nn: column %d of a node of shape %v", j, s)
	}
	v, err := G.Slice(x, nil, G.S(j))
	if err != nil {
		return nil, fmt.Errorf("nn: column %d: %w", j, err)
	}
	c, err := G.Reshape(v, tensor.Shape{s[0], 1})
	if err != nil {
		return nil, fmt.Errorf("nn: column %d: %w", j, err)
	}
	return c, nil
}
