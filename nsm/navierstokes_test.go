package nsm

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/neuralpde/neuralpde/nn"
	"github.com/neuralpde/neuralpde/train"
)

// The spectral loss's gradient matches central differences.
func TestNavierStokesLossGradient(t *testing.T) {
	p, err := NewNavierStokes(1e-2, 1, 4, 4, 2)
	if err != nil {
		t.Fatal(err)
	}
	const B = 2
	in, out := p.Channels()
	M := p.basis.Len()
	a := make([]float64, B*M*in)
	for b := range B {
		p.Input(a[b*M*in:(b+1)*M*in], 3, b)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	v := make([]float64, B*M*out)
	for i := range v {
		v[i] = rng.NormFloat64()
	}
	for _, norm := range []string{NormL2, NormIntegrated} {
		if err := p.setResidualNorm(norm); err != nil {
			t.Fatal(err)
		}
		gv := make([]float64, len(v))
		scratch := make([]float64, len(v))
		loss := func() float64 { return p.Loss(scratch, v, a, B) }
		p.Loss(gv, v, a, B)
		checkGradient(t, "navier-stokes loss, "+norm, loss, func() ([][]float64, [][]float64) {
			copy(scratch, gv)
			return [][]float64{v}, [][]float64{scratch}
		}, 3, 1e-6)
	}
}

// coefObjective is a problem's spectral loss for one input as a function
// of the model output v itself.
type coefObjective struct {
	p Problem
	a []float64
	v *nn.Param
}

func (o *coefObjective) Params() []*nn.Param { return []*nn.Param{o.v} }
func (o *coefObjective) NumSamples() int     { return 1 }
func (o *coefObjective) Loss([]int) (float64, error) {
	return o.p.Loss(o.v.Grad, o.v.Value, o.a, 1), nil
}

// minimizeNS minimises p's spectral loss for the input a over v (in
// place) by L-BFGS with the loss's own gradient and returns the loss
// reached.
func minimizeNS(t *testing.T, p *NavierStokes, v, a []float64) float64 {
	t.Helper()
	obj := &coefObjective{p: p, a: a, v: nn.NewParam("v", len(v))}
	copy(obj.v.Value, v)
	res, err := train.Run(context.Background(), obj, &train.Config{Optimizer: &train.LBFGS{Memory: 30, GradTol: 1e-14}, Steps: 5000})
	if err != nil {
		t.Fatal(err)
	}
	copy(v, obj.v.Value)
	return res.Loss
}

// The spectral loss's minimiser in a small basis is the classical
// solution: its snapshots agree with the pseudo-spectral solver's to the
// accuracy of the basis, and better in the larger basis.
func TestNavierStokesLossMinimiser(t *testing.T) {
	const n = 16
	var prev float64
	for _, size := range []struct{ k, mt int }{{5, 5}, {7, 7}} {
		p, err := NewNavierStokes(1e-2, 0.5, size.k, size.mt, 2)
		if err != nil {
			t.Fatal(err)
		}
		in, out := p.Channels()
		M := p.basis.Len()
		a := make([]float64, M*in)
		p.Input(a, 11, 0)
		v := make([]float64, M*out)
		loss := minimizeNS(t, p, v, a)
		nc, nv := p.Sizes(n)
		u := make([]float64, nc)
		p.Solution(u, v, a)
		got, want := make([]float64, nv), make([]float64, nv)
		p.Values(got, u, n)
		if err := p.Reference(want, a, n); err != nil {
			t.Fatal(err)
		}
		e := relL2(got, want)
		t.Logf("K = %d, Mt = %d: loss %.2e, relative L2 error against the classical solver %.2e", size.k, size.mt, loss, e)
		if e > 5e-3 || (prev != 0 && e > prev/3) {
			t.Errorf("K = %d, Mt = %d: error %.2e (previous basis %.2e); want below 5e-3 and a third of the previous", size.k, size.mt, e, prev)
		}
		prev = e
	}
}

// Values at the snapshots equal the series summed directly, and ω(·, 0)
// is ω₀ whatever the model's output.
func TestNavierStokesValues(t *testing.T) {
	p, err := NewNavierStokes(1e-3, 1, 4, 5, 3)
	if err != nil {
		t.Fatal(err)
	}
	in, out := p.Channels()
	M := p.basis.Len()
	a := make([]float64, M*in)
	p.Input(a, 1, 0)
	rng := rand.New(rand.NewPCG(3, 4))
	v := make([]float64, M*out)
	for i := range v {
		v[i] = rng.NormFloat64()
	}
	nc, _ := p.Sizes(8)
	u := make([]float64, nc)
	p.Solution(u, v, a)
	const n = 8
	got := make([]float64, p.Times*n*n)
	p.Values(got, u, n)
	xs, ys := p.Grid(n)
	ts := append([]float64{0}, p.SnapshotTimes()...)
	e, col := make([]float64, p.mt), make([]float64, len(ts))
	fxv := func(i int, x float64) float64 {
		c := make([]float64, p.mx)
		c[i] = 1
		return p.fx.Eval(make([]float64, 1), c, []float64{x})[0]
	}
	w0 := p.basis.Inverse(nil, p.initial(a), n, n)
	var worst, worst0 float64
	for q := range n {
		for r := range n {
			// The series at (x_q, y_r) over time.
			tc := make([]float64, p.mt)
			for i := range p.mx {
				for j := range p.mx {
					f := fxv(i, xs[q]) * fxv(j, ys[r])
					for l := range p.mt {
						tc[l] += f * u[(i*p.mx+j)*p.mt+l]
					}
				}
			}
			copy(e, tc)
			p.ct.Eval(col, e, ts)
			worst0 = math.Max(worst0, math.Abs(col[0]-w0[q*n+r]))
			for k := range p.Times {
				worst = math.Max(worst, math.Abs(col[k+1]-got[(k*n+q)*n+r]))
			}
		}
	}
	if worst > 1e-12 || worst0 > 1e-12 {
		t.Errorf("Values differs from the direct sum by %.2e, ω(0) from ω₀ by %.2e", worst, worst0)
	}
}

// The grid residual of the classical solution is the time differences'
// truncation error: second order, so about a quarter with twice the
// snapshots.
func TestNSFNOResidualOrder(t *testing.T) {
	const n = 32
	var prev float64
	for _, times := range []int{8, 16} {
		p, err := NewNavierStokes(1e-2, 0.5, 6, 4, times)
		if err != nil {
			t.Fatal(err)
		}
		f, err := NewGridFNO(smallConfig(), 3, times, 3, 3, rand.New(rand.NewPCG(2, 2)))
		if err != nil {
			t.Fatal(err)
		}
		obj, err := NewNSFNOObjective(f, p, FNOResidual, n, 1, 5, true)
		if err != nil {
			t.Fatal(err)
		}
		g := make([]float64, len(obj.ref))
		r := math.Sqrt(obj.residual(g, obj.ref, obj.x, 1))
		t.Logf("%d snapshots: rms residual of the classical solution %.3e", times, r)
		if prev != 0 && (r > prev/2.5 || r < prev/6) {
			t.Errorf("residual %.3e with %d snapshots, %.3e with half as many: want a ratio near 4", r, times, prev)
		}
		prev = r
	}
}
