package classical

import (
	"math"
	"strings"
	"testing"

	"github.com/neuralpde/neuralpde/pde"
)

func TestPoisson2DDirichletSecondOrder(t *testing.T) {
	p, err := pde.Lookup2D("poisson-dirichlet")
	if err != nil {
		t.Fatal(err)
	}
	var hs, errs []float64
	for _, n := range []int{17, 33, 65, 129} {
		sol, err := SolvePoisson2D(p, n, nil)
		if err != nil {
			t.Fatal(err)
		}
		var e float64
		for i, x := range sol.X {
			for j, y := range sol.Y {
				e = math.Max(e, math.Abs(sol.U[i*n+j]-p.Exact(0, x, y)))
			}
		}
		if sol.Residual > 1e-10 || sol.Iterations > 12 {
			t.Errorf("n=%d: %d iterations to residual %g", n, sol.Iterations, sol.Residual)
		}
		hs, errs = append(hs, 1/float64(n-1)), append(errs, e)
	}
	sl := slope2D(hs, errs)
	t.Logf("max errors %v, slope %.3f", errs, sl)
	if math.Abs(sl-2) > 0.05 {
		t.Errorf("Poisson convergence order %.3f, want 2", sl)
	}
}

func TestPoisson2DPeriodicExact(t *testing.T) {
	p, err := pde.Lookup2D("poisson-periodic")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		n   int
		tol float64
	}{{16, 1e-13}, {64, 1e-13}, {30, 1e-13}} {
		sol, err := SolvePoisson2D(p, c.n, nil)
		if err != nil {
			t.Fatal(err)
		}
		var e float64
		for i, x := range sol.X {
			for j, y := range sol.Y {
				e = math.Max(e, math.Abs(sol.U[i*c.n+j]-p.Exact(0, x, y)))
			}
		}
		if e > c.tol {
			t.Errorf("n=%d: periodic Poisson error %g, want below %g (exact for resolved modes)", c.n, e, c.tol)
		}
	}
}

func TestPoisson2DErrors(t *testing.T) {
	darcy, _ := pde.Lookup2D("darcy")
	if _, err := SolvePoisson2D(darcy, 16, nil); err == nil || !strings.Contains(err.Error(), "not Poisson") {
		t.Errorf("Darcy preset: error %v", err)
	}
	p, _ := pde.Lookup2D("poisson-dirichlet")
	if _, err := SolvePoisson2D(p, 2, nil); err == nil {
		t.Error("n = 2: no error")
	}
	p.BC = pde.Neumann
	if _, err := SolvePoisson2D(p, 16, nil); err == nil {
		t.Error("Neumann: no error")
	}
}
