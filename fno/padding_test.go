package fno

import (
	"math/rand/v2"
	"testing"

	"github.com/neuralpde/neuralpde/data"
	"gonum.org/v1/gonum/floats"
)

// TestEvaluatePaddingScales checks that a model evaluated off its training
// grid pads by the same fraction of the domain: trained on 16 points with
// padding 2, on 31 points it runs as the same weights with padding 4, and
// on its training grid with padding 2.
func TestEvaluatePaddingScales(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 1))
	m, err := NewModel(&Config{Width: 8, Modes: 4, Padding: 2, ProjWidth: 8}, 1, 1, 1, rng)
	if err != nil {
		t.Fatal(err)
	}
	norm := Normalizer{Mean: []float64{0}, Std: []float64{1}}
	dataset := func(n int) *data.Dataset {
		a := make([]float64, 2*n)
		for i := range a {
			a[i] = rng.NormFloat64()
		}
		return &data.Dataset{Inputs: data.NewArray(a, 2, n), Outputs: data.NewArray(make([]float64, 2*n), 2, n)}
	}
	for _, tc := range []struct {
		n, want int
	}{{31, 4}, {16, 2}, {46, 6}} {
		ds := dataset(tc.n)
		scaled := &Trained{Model: m, InNorm: norm, OutNorm: norm, TrainGrid: []int{16}}
		if p := scaled.padding([]int{tc.n}); p != tc.want {
			t.Errorf("padding on %d points: %d, want %d", tc.n, p, tc.want)
		}
		got, err := scaled.Evaluate(ds)
		if err != nil {
			t.Fatal(err)
		}
		if m.cfg.Padding != 2 {
			t.Fatalf("Evaluate left the model's padding at %d", m.cfg.Padding)
		}
		m.cfg.Padding = tc.want
		want, err := (&Trained{Model: m, InNorm: norm, OutNorm: norm}).Evaluate(ds)
		m.cfg.Padding = 2
		if err != nil {
			t.Fatal(err)
		}
		if !floats.Equal(got.Predictions.Data, want.Predictions.Data) {
			t.Errorf("%d points: predictions differ from the model padded by %d", tc.n, tc.want)
		}
	}
}
