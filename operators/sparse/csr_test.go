package sparse

import (
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

func TestCSRAgainstDense(t *testing.T) {
	rnd := rand.New(rand.NewPCG(7, 8))
	for _, tc := range []struct{ r, c, k, nnz int }{
		{1, 1, 1, 1}, {5, 7, 3, 10}, {40, 30, 50, 300}, {100, 100, 100, 50}, {2, 50, 100, 200},
	} {
		a := randomCOO(rnd, tc.r, tc.k, tc.nnz)
		b := randomCOO(rnd, tc.k, tc.c, tc.nnz)
		// Duplicates must be summed.
		a.Append(0, 0, 1.5)
		a.Append(0, 0, -0.25)
		ac, bc := a.ToCSR(), b.ToCSR()
		ad, bd := dense(a), dense(b)
		if !mat.EqualApprox(ac, ad, 1e-14) {
			t.Errorf("%v: ToCSR differs from the summed triplets", tc)
		}
		if !mat.Equal(NewCSRFromDense(ad), ad) {
			t.Errorf("%v: NewCSRFromDense round trip differs", tc)
		}
		if !mat.Equal(ac.Transpose(), ad.T()) {
			t.Errorf("%v: Transpose differs", tc)
		}
		prod, err := Mul(ac, bc)
		if err != nil {
			t.Fatal(err)
		}
		var want mat.Dense
		want.Mul(ad, bd)
		if !mat.EqualApprox(prod, &want, 1e-12) {
			t.Errorf("%v: Mul differs from the dense product", tc)
		}
		x := randomVec(rnd, tc.k)
		got := make([]float64, tc.r)
		ac.MulVec(got, x)
		var wantV mat.VecDense
		wantV.MulVec(ad, mat.NewVecDense(tc.k, x))
		if !floats.EqualApprox(got, wantV.RawVector().Data, 1e-12) {
			t.Errorf("%v: MulVec differs", tc)
		}
		y := randomVec(rnd, tc.r)
		gotT := make([]float64, tc.k)
		ac.MulVecTrans(gotT, y)
		var wantT mat.VecDense
		wantT.MulVec(ad.T(), mat.NewVecDense(tc.r, y))
		if !floats.EqualApprox(gotT, wantT.RawVector().Data, 1e-12) {
			t.Errorf("%v: MulVecTrans differs", tc)
		}
		d := ac.Diagonal(nil)
		for i, v := range d {
			if v != ad.At(i, i) {
				t.Errorf("%v: diagonal %d is %g, want %g", tc, i, v, ad.At(i, i))
			}
		}
	}
	if _, err := Mul(Laplacian5(2), Laplacian5(3)); err == nil {
		t.Error("Mul with mismatched dimensions: no error")
	}
}

func randomCOO(rnd *rand.Rand, r, c, nnz int) *COO {
	t := NewCOO(r, c, nnz)
	for k := 0; k < nnz; k++ {
		t.Append(rnd.IntN(r), rnd.IntN(c), rnd.NormFloat64())
	}
	return t
}

func dense(t *COO) *mat.Dense {
	d := mat.NewDense(t.r, t.c, nil)
	for k, v := range t.val {
		d.Set(t.row[k], t.col[k], d.At(t.row[k], t.col[k])+v)
	}
	return d
}

func randomVec(rnd *rand.Rand, n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = rnd.NormFloat64()
	}
	return v
}
