package deeponet

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"

	"github.com/neuralpde/neuralpde/nn"
)

// netPass is the workspace of one network's forward and reverse pass in
// plain Go over the values of an nn.MLP's parameters: the layers' inputs,
// pre-activations and activation derivatives for a batch of n rows, and
// optionally forward Taylor-mode tangents with respect to chosen inputs
// (first derivatives along first, pure second derivatives along second),
// as in nn's jets (Griewank & Walther 2008, ch. 13). The graph-free pass
// avoids gorgonia's per-op overhead, which dominates at DeepONet sizes
// (widths of 40–100, batches of 10⁴). Buffers grow to the largest batch
// seen and are reused, so repeated passes allocate nothing.
type netPass struct {
	layers  []*nn.Dense
	act     nn.Activation
	lastAct bool // activation after the output layer too (DeepXDE's trunk)
	in      int
	first   []int // input index of each first-order direction
	second  []int // index into first of each second-order direction

	n int
	// Per layer l (0-based): h[l] is the layer's input (h[0] is the batch,
	// not owned), z[l] its pre-activation, s1..s3 σ', σ'', σ''' at z.
	h, z, s1, s2, s3 [][]float64
	aux              []float64
	// Tangents: ht[k][l], zt[k][l] first order along first[k];
	// hs[j][l], zs[j][l] second order along first[second[j]].
	ht, zt, hs, zs [][][]float64
	out            []float64   // network output, n × Out
	outT, outS     [][]float64 // output tangents
	// Reverse-pass scratch.
	gz, gh, tmp []float64
	gzt, ght    [][]float64
	gzs, ghs    [][]float64
}

func newNetPass(m *nn.MLP, lastAct bool, first []int, second []int) *netPass {
	return &netPass{layers: m.Layers(), act: m.Config().Activation, lastAct: lastAct, in: m.Config().Inputs, first: first, second: second}
}

func grow(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}

func growAll(s [][]float64, k, n int) [][]float64 {
	if len(s) != k {
		s = make([][]float64, k)
	}
	for i := range s {
		s[i] = grow(s[i], n)
	}
	return s
}

// activated reports whether layer l is followed by the activation.
func (p *netPass) activated(l int) bool { return l < len(p.layers)-1 || p.lastAct }

func (p *netPass) resize(n int) {
	p.n = n
	L := len(p.layers)
	if len(p.h) != L {
		p.h, p.z, p.s1, p.s2, p.s3 = make([][]float64, L), make([][]float64, L), make([][]float64, L), make([][]float64, L), make([][]float64, L)
		p.ht, p.zt = make([][][]float64, len(p.first)), make([][][]float64, len(p.first))
		p.hs, p.zs = make([][][]float64, len(p.second)), make([][][]float64, len(p.second))
		for k := range p.first {
			p.ht[k], p.zt[k] = make([][]float64, L), make([][]float64, L)
		}
		for j := range p.second {
			p.hs[j], p.zs[j] = make([][]float64, L), make([][]float64, L)
		}
	}
	maxW := p.in
	jets := len(p.first) > 0
	for l, d := range p.layers {
		w := d.Out()
		maxW = max(maxW, w)
		p.z[l] = grow(p.z[l], n*w)
		if p.activated(l) {
			p.s1[l] = grow(p.s1[l], n*w)
			if jets {
				p.s2[l] = grow(p.s2[l], n*w)
			}
			if len(p.second) > 0 {
				p.s3[l] = grow(p.s3[l], n*w)
			}
		}
		if l > 0 {
			p.h[l] = grow(p.h[l], n*d.In())
		}
		for k := range p.first {
			p.ht[k][l] = grow(p.ht[k][l], n*d.In())
			p.zt[k][l] = grow(p.zt[k][l], n*w)
		}
		for j := range p.second {
			p.hs[j][l] = grow(p.hs[j][l], n*d.In())
			p.zs[j][l] = grow(p.zs[j][l], n*w)
		}
	}
	out := p.layers[L-1].Out()
	p.out = grow(p.out, n*out)
	p.outT = growAll(p.outT, len(p.first), n*out)
	p.outS = growAll(p.outS, len(p.second), n*out)
	p.aux = grow(p.aux, n*maxW)
	p.gz, p.gh, p.tmp = grow(p.gz, n*maxW), grow(p.gh, n*maxW), grow(p.tmp, n*maxW)
	p.gzt, p.ght = growAll(p.gzt, len(p.first), n*maxW), growAll(p.ght, len(p.first), n*maxW)
	p.gzs, p.ghs = growAll(p.gzs, len(p.second), n*maxW), growAll(p.ghs, len(p.second), n*maxW)
	// The input's tangents are constant: e_i for first-order directions,
	// zero for second-order ones.
	for k, i := range p.first {
		t := p.ht[k][0]
		clear(t)
		for r := range n {
			t[r*p.in+i] = 1
		}
	}
	for j := range p.second {
		clear(p.hs[j][0])
	}
}

// gemm computes c = alpha·op(a)·op(b) + beta·c for row-major matrices.
func gemm(tA, tB bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	ta, tb := blas.NoTrans, blas.NoTrans
	ar, ac := m, k
	if tA {
		ta, ar, ac = blas.Trans, k, m
	}
	br, bc := k, n
	if tB {
		tb, br, bc = blas.Trans, n, k
	}
	blas64.Gemm(ta, tb, alpha,
		blas64.General{Rows: ar, Cols: ac, Stride: lda, Data: a},
		blas64.General{Rows: br, Cols: bc, Stride: ldb, Data: b},
		beta, blas64.General{Rows: m, Cols: n, Stride: ldc, Data: c})
}

// forward runs the network on the n×In row-major batch x (kept, not
// copied, until backward) and returns the output (n × Out, owned by p)
// with its tangents in p.outT and p.outS.
func (p *netPass) forward(x []float64, n int) []float64 {
	if n != p.n || len(p.h) == 0 {
		p.resize(n)
	}
	p.h[0] = x
	L := len(p.layers)
	for l, d := range p.layers {
		in, w := d.In(), d.Out()
		z := p.z[l]
		b := d.B.Value
		for r := range n {
			copy(z[r*w:(r+1)*w], b)
		}
		gemm(false, false, n, w, in, 1, p.h[l], in, d.W.Value, w, 1, z, w)
		for k := range p.first {
			gemm(false, false, n, w, in, 1, p.ht[k][l], in, d.W.Value, w, 0, p.zt[k][l], w)
		}
		for j := range p.second {
			if l == 0 {
				clear(p.zs[j][l])
				continue
			}
			gemm(false, false, n, w, in, 1, p.hs[j][l], in, d.W.Value, w, 0, p.zs[j][l], w)
		}
		next := p.out
		if l < L-1 {
			next = p.h[l+1]
		}
		if !p.activated(l) {
			copy(next, z)
			for k := range p.first {
				copy(p.outT[k], p.zt[k][l])
			}
			for j := range p.second {
				copy(p.outS[j], p.zs[j][l])
			}
			continue
		}
		aux := p.aux[:n*w]
		p.act.Aux(aux, z)
		p.act.Deriv(next, z, aux, 0)
		p.act.Deriv(p.s1[l], z, aux, 1)
		if len(p.first) > 0 {
			p.act.Deriv(p.s2[l], z, aux, 2)
		}
		if len(p.second) > 0 {
			p.act.Deriv(p.s3[l], z, aux, 3)
		}
		s1, s2 := p.s1[l], p.s2[l]
		for k := range p.first {
			dst := p.outT[k]
			if l < L-1 {
				dst = p.ht[k][l+1]
			}
			for i, v := range p.zt[k][l] {
				dst[i] = s1[i] * v
			}
		}
		for j, k := range p.second {
			dst := p.outS[j]
			if l < L-1 {
				dst = p.hs[j][l+1]
			}
			zt, zs := p.zt[k][l], p.zs[j][l]
			for i := range dst {
				dst[i] = s1[i]*zs[i] + s2[i]*zt[i]*zt[i]
			}
		}
	}
	return p.out
}

// backward adds to every parameter's Grad the gradient of a loss whose
// derivatives with respect to the last forward pass's output and its
// tangents are g, gt[k] and gs[j] (nil tangent adjoints mean zero). It
// overwrites g, gt and gs.
func (p *netPass) backward(g []float64, gt, gs [][]float64) {
	n := p.n
	L := len(p.layers)
	for l := L - 1; l >= 0; l-- {
		d := p.layers[l]
		in, w := d.In(), d.Out()
		gz := p.gz[:n*w]
		if !p.activated(l) {
			copy(gz, g[:n*w])
			for k := range p.first {
				if gt != nil && gt[k] != nil {
					copy(p.gzt[k][:n*w], gt[k][:n*w])
				} else {
					clear(p.gzt[k][:n*w])
				}
			}
			for j := range p.second {
				if gs != nil && gs[j] != nil {
					copy(p.gzs[j][:n*w], gs[j][:n*w])
				} else {
					clear(p.gzs[j][:n*w])
				}
			}
		} else {
			s1, s2, s3 := p.s1[l], p.s2[l], p.s3[l]
			for i := range gz {
				gz[i] = s1[i] * g[i]
			}
			for k := range p.first {
				gzt := p.gzt[k][:n*w]
				zt := p.zt[k][l]
				if gt != nil && gt[k] != nil {
					gtk := gt[k]
					for i := range gzt {
						gz[i] += s2[i] * zt[i] * gtk[i]
						gzt[i] = s1[i] * gtk[i]
					}
				} else {
					clear(gzt)
				}
			}
			for j, k := range p.second {
				if gs == nil || gs[j] == nil {
					clear(p.gzs[j][:n*w])
					continue
				}
				gsj, gzs, gzt := gs[j], p.gzs[j][:n*w], p.gzt[k][:n*w]
				zt, zs := p.zt[k][l], p.zs[j][l]
				for i := range gzs {
					gz[i] += (s2[i]*zs[i] + s3[i]*zt[i]*zt[i]) * gsj[i]
					gzt[i] += 2 * s2[i] * zt[i] * gsj[i]
					gzs[i] = s1[i] * gsj[i]
				}
			}
		}
		// Weight and bias gradients.
		gemm(true, false, in, w, n, 1, p.h[l], in, gz, w, 1, d.W.Grad, w)
		for k := range p.first {
			gemm(true, false, in, w, n, 1, p.ht[k][l], in, p.gzt[k][:n*w], w, 1, d.W.Grad, w)
		}
		for j := range p.second {
			if l > 0 {
				gemm(true, false, in, w, n, 1, p.hs[j][l], in, p.gzs[j][:n*w], w, 1, d.W.Grad, w)
			}
		}
		gb := d.B.Grad
		for r := range n {
			for c, v := range gz[r*w : (r+1)*w] {
				gb[c] += v
			}
		}
		if l == 0 {
			break
		}
		// Adjoints of the layer's input, which the previous layer made.
		g = p.gh[:n*in]
		gemm(false, true, n, in, w, 1, gz, w, d.W.Value, w, 0, g, in)
		if len(p.first) > 0 {
			gt = p.ght
			for k := range p.first {
				gemm(false, true, n, in, w, 1, p.gzt[k][:n*w], w, d.W.Value, w, 0, gt[k][:n*in], in)
			}
		}
		if len(p.second) > 0 {
			gs = p.ghs
			for j := range p.second {
				gemm(false, true, n, in, w, 1, p.gzs[j][:n*w], w, d.W.Value, w, 0, gs[j][:n*in], in)
			}
		}
	}
}
