package nn

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	G "gorgonia.org/gorgonia"
)

// Dense is the affine layer h ↦ hW + b, with W an in×out matrix and b a
// vector of length out. A batch is a matrix with one sample per row.
type Dense struct {
	W, B *Param
}

// NewDense returns a layer whose parameters are named name+".W" and
// name+".b", with W drawn by winit and b by binit (nil means Zeros).
func NewDense(name string, in, out int, winit, binit Initializer, rng *rand.Rand) (*Dense, error) {
	if in <= 0 || out <= 0 {
		return nil, fmt.Errorf("nn: dense layer %q has %d inputs and %d outputs; both must be positive", name, in, out)
	}
	if winit == nil {
		return nil, fmt.Errorf("nn: dense layer %q has no weight initialiser", name)
	}
	if binit == nil {
		binit = Zeros
	}
	d := &Dense{W: NewParam(name+".W", in, out), B: NewParam(name+".b", out)}
	winit(d.W.Value, in, out, rng)
	binit(d.B.Value, in, out, rng)
	return d, nil
}

// In returns the number of inputs of d.
func (d *Dense) In() int { return d.W.Shape[0] }

// Out returns the number of outputs of d.
func (d *Dense) Out() int { return d.W.Shape[1] }

// Apply returns the node hW + b for a batch h (rows×In) on g.
func (d *Dense) Apply(g *Graph, h *G.Node) (*G.Node, error) {
	z, err := affine(g.pool, h, g.Param(d.W), g.Param(d.B))
	if err != nil {
		return nil, fmt.Errorf("nn: %s: %w", d.W.Name, err)
	}
	return z, nil
}

// affine returns x·w + bias (bias nil means none) as one fused op.
func affine(pool *bufferPool, x, w, bias *G.Node) (*G.Node, error) {
	if bias == nil {
		return G.ApplyOp(newGemmOp(pool, false, false, false), x, w)
	}
	return G.ApplyOp(newGemmOp(pool, false, false, true), x, w, bias)
}

// FourierConfig configures the random Fourier-feature embedding of Tancik
// et al. (2020): γ(x) = [sin(2π xB), cos(2π xB)] with B a fixed d×m matrix
// of N(0, σ²) entries, drawn once and never trained.
type FourierConfig struct {
	// Features is m, so the embedding has 2m columns. Zero means no
	// embedding.
	Features int
	// Scale is σ, the standard deviation of B's entries: larger σ lets the
	// network fit higher frequencies. Zero means 1.
	Scale float64
}

// MLPConfig configures a multilayer perceptron.
type MLPConfig struct {
	// Name prefixes the parameter names; empty means "mlp".
	Name string
	// Inputs and Outputs are the widths of the input and the output.
	Inputs, Outputs int
	// Hidden lists the hidden layers' widths; it may be empty (an affine
	// map).
	Hidden []int
	// Activation follows every hidden layer; nil means Tanh.
	Activation Activation
	// WeightInit draws the weights; nil means GlorotNormal.
	WeightInit Initializer
	// BiasInit draws the biases; nil means Zeros.
	BiasInit Initializer
	// Fourier is the optional input embedding; the zero value means none.
	Fourier FourierConfig
}

// DefaultMLPConfig returns the usual PINN network: 2 inputs, three hidden
// layers of 64 tanh units, 1 output, Glorot-normal weights, zero biases.
func DefaultMLPConfig() MLPConfig {
	return MLPConfig{
		Name:       "mlp",
		Inputs:     2,
		Outputs:    1,
		Hidden:     []int{64, 64, 64},
		Activation: Tanh,
		WeightInit: GlorotNormal,
		BiasInit:   Zeros,
	}
}

// MLP is a multilayer perceptron u(x): an optional Fourier-feature
// embedding, dense layers with an activation after each hidden one, and an
// affine output layer.
type MLP struct {
	cfg    MLPConfig
	layers []*Dense
	// fourier is 2π·B, Inputs×Features, or nil.
	fourier []float64
	params  []*Param
}

// NewMLP returns a network with parameters drawn from rng.
func NewMLP(cfg MLPConfig, rng *rand.Rand) (*MLP, error) {
	if rng == nil {
		return nil, errors.New("nn: NewMLP needs a random source; pass rand.New(rand.NewPCG(seed, 0))")
	}
	if cfg.Inputs <= 0 || cfg.Outputs <= 0 {
		return nil, fmt.Errorf("nn: MLP with %d inputs and %d outputs; both must be positive", cfg.Inputs, cfg.Outputs)
	}
	for i, h := range cfg.Hidden {
		if h <= 0 {
			return nil, fmt.Errorf("nn: MLP hidden layer %d has width %d; widths must be positive", i, h)
		}
	}
	if cfg.Fourier.Features < 0 || cfg.Fourier.Scale < 0 {
		return nil, fmt.Errorf("nn: Fourier features %d with scale %v; both must be non-negative", cfg.Fourier.Features, cfg.Fourier.Scale)
	}
	if cfg.Name == "" {
		cfg.Name = "mlp"
	}
	if cfg.Activation == nil {
		cfg.Activation = Tanh
	}
	if cfg.WeightInit == nil {
		cfg.WeightInit = GlorotNormal
	}
	if cfg.BiasInit == nil {
		cfg.BiasInit = Zeros
	}
	cfg.Hidden = append([]int(nil), cfg.Hidden...)
	m := &MLP{cfg: cfg}
	in := cfg.Inputs
	if f := cfg.Fourier; f.Features > 0 {
		scale := f.Scale
		if scale == 0 {
			scale = 1
		}
		m.fourier = make([]float64, cfg.Inputs*f.Features)
		for i := range m.fourier {
			m.fourier[i] = 2 * math.Pi * scale * rng.NormFloat64()
		}
		in = 2 * f.Features
	}
	widths := append(append([]int(nil), cfg.Hidden...), cfg.Outputs)
	for l, out := range widths {
		d, err := NewDense(fmt.Sprintf("%s.%d", cfg.Name, l), in, out, cfg.WeightInit, cfg.BiasInit, rng)
		if err != nil {
			return nil, err
		}
		m.layers = append(m.layers, d)
		m.params = append(m.params, d.W, d.B)
		in = out
	}
	return m, nil
}

// Config returns the configuration m was built with, defaults filled in.
func (m *MLP) Config() MLPConfig {
	c := m.cfg
	c.Hidden = append([]int(nil), c.Hidden...)
	return c
}

// Params returns the trainable parameters: each layer's W then b, input
// layer first. The Fourier matrix B is not trained and not among them.
func (m *MLP) Params() []*Param { return m.params }

// Layers returns the dense layers, input layer first.
func (m *MLP) Layers() []*Dense { return m.layers }

// Eval writes u(x) for the n×Inputs row-major batch x into dst (n×Outputs,
// nil allocates) and returns it. It runs in plain Go, without a graph.
func (m *MLP) Eval(dst, x []float64) []float64 {
	d := m.cfg.Inputs
	if len(x)%d != 0 {
		panic(fmt.Sprintf("nn: MLP.Eval input length %d is not a multiple of %d inputs", len(x), d))
	}
	n := len(x) / d
	if dst == nil {
		dst = make([]float64, n*m.cfg.Outputs)
	}
	if len(dst) != n*m.cfg.Outputs {
		panic(fmt.Sprintf("nn: MLP.Eval destination length %d, want %d", len(dst), n*m.cfg.Outputs))
	}
	h, cols := x, d
	if m.fourier != nil {
		f := m.cfg.Fourier.Features
		v := gemm(nil, x, n, d, m.fourier, f)
		h = make([]float64, n*2*f)
		for i := 0; i < n; i++ {
			for j := 0; j < f; j++ {
				h[i*2*f+j], h[i*2*f+f+j] = math.Sincos(v[i*f+j])
			}
		}
		cols = 2 * f
	}
	for l, layer := range m.layers {
		out := layer.Out()
		var z []float64
		if l == len(m.layers)-1 {
			z = dst
		}
		z = gemm(z, h, n, cols, layer.W.Value, out)
		for i := 0; i < n; i++ {
			for j, b := range layer.B.Value {
				z[i*out+j] += b
			}
		}
		if l < len(m.layers)-1 {
			aux := make([]float64, len(z))
			m.cfg.Activation.Aux(aux, z)
			h = make([]float64, len(z))
			m.cfg.Activation.Deriv(h, z, aux, 0)
		}
		cols = out
	}
	return dst
}

// gemm returns a·b for row-major a (n×k) and b (k×m), into dst if not nil.
func gemm(dst, a []float64, n, k int, b []float64, m int) []float64 {
	if dst == nil {
		dst = make([]float64, n*m)
	}
	blas64.Gemm(blas.NoTrans, blas.NoTrans, 1,
		blas64.General{Rows: n, Cols: k, Stride: k, Data: a},
		blas64.General{Rows: k, Cols: m, Stride: m, Data: b},
		0, blas64.General{Rows: n, Cols: m, Stride: m, Data: dst})
	return dst
}

// Forward returns the node u(x) for a batch x (rows×Inputs) on g.
func (m *MLP) Forward(g *Graph, x *G.Node) (*G.Node, error) {
	j, err := m.Jet(g, x, JetSpec{})
	if err != nil {
		return nil, err
	}
	return j.U, nil
}
