package nn

import (
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// TestGorgoniaStarts proves gorgonia initialises on this Go version (it
// panics at start-up unless go4.org/unsafe/assume-no-moving-gc is recent)
// and computes a gradient: d/dw Σ (x·w)² at x = [1 2], w = 3 is 2·(1+4)·3.
func TestGorgoniaStarts(t *testing.T) {
	g := G.NewGraph()
	x := G.NewVector(g, tensor.Float64, G.WithName("x"), G.WithValue(tensor.New(tensor.WithBacking([]float64{1, 2}))))
	w := G.NewScalar(g, tensor.Float64, G.WithName("w"), G.WithValue(3.0))
	y := G.Must(G.Sum(G.Must(G.Square(G.Must(G.Mul(x, w))))))
	if _, err := G.Grad(y, w); err != nil {
		t.Fatal(err)
	}
	vm := G.NewTapeMachine(g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		t.Fatal(err)
	}
	gw, err := w.Grad()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := gw.Data().(float64), 30.0; got != want {
		t.Fatalf("d/dw = %v, want %v", got, want)
	}
}
