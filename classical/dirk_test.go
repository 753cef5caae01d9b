package classical

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// Jacobian makes expSin a JacobianSystem for the implicit steppers.
func (expSin) Jacobian(dst *mat.Dense, t float64, _ []float64) {
	dst.Zero()
	dst.Set(0, 0, math.Cos(t))
	dst.Set(1, 1, -2*t)
}

// stiffLinear is u′ = −λ(u − cos t) − sin t, λ = 1e4, whose solution from
// u(0) = 1 is cos t; explicit methods would need dt < 2.8/λ.
type stiffLinear struct{}

func (stiffLinear) Dim() int { return 1 }
func (stiffLinear) Func(dst []float64, t float64, u []float64) {
	dst[0] = -1e4*(u[0]-math.Cos(t)) - math.Sin(t)
}
func (stiffLinear) Jacobian(dst *mat.Dense, _ float64, _ []float64) { dst.Set(0, 0, -1e4) }

func TestDIRKOrder(t *testing.T) {
	sys := expSin{}
	const t1 = 2.0
	dts := []float64{0.1, 0.05, 0.025, 0.0125}
	for _, s := range []*DIRK{NewSDIRK2(sys), NewSDIRK3(sys), NewCrankNicolson(sys)} {
		var errs []float64
		for _, dt := range dts {
			u := []float64{1, 1}
			if _, err := Integrate(u, 0, t1, s, &Settings{Dt: dt}); err != nil {
				t.Fatalf("%s: %v", s.name, err)
			}
			errs = append(errs, maxAbsDiff(u, sys.exact(t1)))
		}
		if p := slope(dts, errs); math.Abs(p-float64(s.Order())) > 0.3 {
			t.Errorf("%s: observed order %.2f, want %d (errors %v)", s.name, p, s.Order(), errs)
		}
	}
}

// TestDIRKStiff takes steps 100 times the explicit stability limit on a
// stiff problem; the L-stable methods stay accurate.
func TestDIRKStiff(t *testing.T) {
	for _, tc := range []struct {
		s   *DIRK
		tol float64
	}{
		{NewSDIRK2(stiffLinear{}), 1e-6},
		{NewSDIRK3(stiffLinear{}), 1e-6},
	} {
		u := []float64{1}
		if _, err := Integrate(u, 0, 1, tc.s, &Settings{Dt: 0.02}); err != nil {
			t.Fatal(err)
		}
		if e := math.Abs(u[0] - math.Cos(1)); e > tc.tol {
			t.Errorf("%s: error %.3g > %g", tc.s.name, e, tc.tol)
		}
	}
}
