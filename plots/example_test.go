package plots_test

import (
	"fmt"
	"math"
	"os"
	"path/filepath"

	"github.com/neuralpde/neuralpde/plots"
)

// A reference | prediction | |error| row for a field on a (t, x) grid.
func ExampleComparison() {
	var x, t, ref, pred []float64
	for i := 0; i < 64; i++ {
		x = append(x, -1+2*float64(i)/63)
	}
	for j := 0; j < 32; j++ {
		t = append(t, float64(j)/31)
	}
	for _, tt := range t {
		for _, xx := range x {
			u := -math.Sin(math.Pi*xx) * math.Exp(-tt)
			ref = append(ref, u)
			pred = append(pred, u+1e-3*xx*tt)
		}
	}
	panels, err := plots.Comparison(x, t, ref, pred, "x", "t")
	if err != nil {
		fmt.Println(err)
		return
	}
	dir, _ := os.MkdirTemp("", "plots")
	defer os.RemoveAll(dir)
	err = plots.SaveFields(filepath.Join(dir, "comparison.png"), panels...)
	fmt.Println(len(panels), "panels,", panels[2].Title, "error:", err)
	// Output: 3 panels, |prediction − reference| error: <nil>
}
