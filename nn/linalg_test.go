package nn

import (
	"math"
	"math/rand/v2"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// TestGemmOp compares every transpose combination, the bias and the
// split-batch weight-gradient path with a naive product.
func TestGemmOp(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	randT := func(r, c int) *tensor.Dense {
		d := make([]float64, r*c)
		for i := range d {
			d[i] = rng.NormFloat64()
		}
		return tensor.New(tensor.WithShape(r, c), tensor.WithBacking(d))
	}
	for _, c := range []struct {
		tA, tB, bias bool
		m, k, n      int
	}{
		{false, false, false, 5, 4, 3},
		{false, false, true, 5, 4, 3},
		{false, true, false, 5, 4, 3},
		{true, false, false, 5, 4, 3},
		{true, true, false, 5, 4, 3},
		{true, false, false, 7, 3000, 5}, // split over the batch
	} {
		ar, ac := c.m, c.k
		if c.tA {
			ar, ac = ac, ar
		}
		br, bc := c.k, c.n
		if c.tB {
			br, bc = bc, br
		}
		a, b, bias := randT(ar, ac), randT(br, bc), randT(1, c.n)
		op := newGemmOp(newBufferPool(), c.tA, c.tB, c.bias)
		in := []G.Value{a, b}
		if c.bias {
			in = append(in, bias)
		}
		out, err := op.Do(in...)
		if err != nil {
			t.Fatal(err)
		}
		got := out.(tensor.Tensor).Data().([]float64)
		ad, bd := a.Data().([]float64), b.Data().([]float64)
		at := func(i, j int) float64 {
			if c.tA {
				return ad[j*ac+i]
			}
			return ad[i*ac+j]
		}
		bt := func(i, j int) float64 {
			if c.tB {
				return bd[j*bc+i]
			}
			return bd[i*bc+j]
		}
		for i := 0; i < c.m; i++ {
			for j := 0; j < c.n; j++ {
				want := 0.0
				if c.bias {
					want = bias.Data().([]float64)[j]
				}
				for p := 0; p < c.k; p++ {
					want += at(i, p) * bt(p, j)
				}
				if e := math.Abs(got[i*c.n+j] - want); e > 1e-12*math.Sqrt(float64(c.k)) {
					t.Errorf("%+v: C[%d,%d] = %v, want %v", c, i, j, got[i*c.n+j], want)
				}
			}
		}
	}
}
