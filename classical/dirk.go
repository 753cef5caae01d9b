package classical

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/neuralpde/neuralpde/operators/nonlinear"
)

// DIRK is a diagonally implicit Runge–Kutta method for stiff systems
// (Hairer & Wanner, Solving ODEs II, §IV.6). Each implicit stage value
//
//	Y_i = u + dt Σ_{j<i} a_ij f(t+c_j dt, Y_j) + dt a_ii f(t+c_i dt, Y_i)
//
// is found by nonlinear.Newton with the Jacobian I − dt a_ii ∂f/∂u; a stage
// with a_ii = 0 is explicit. The stage derivatives are recovered from the
// stage equation rather than by evaluating f again, which keeps stiff
// components from amplifying the Newton residual.
//
// The Newton solves allocate their own workspaces (nonlinear.Newton does),
// so a DIRK step is not allocation-free, unlike the explicit steppers.
type DIRK struct {
	// Newton holds the settings of the stage solves; nil means AbsTol
	// 1e-12 and RelTol 1e-12 on ‖F‖₂, and nonlinear's other defaults.
	Newton *nonlinear.Settings

	name  string
	order int
	a     [][]float64
	b, c  []float64

	sys  JacobianSystem
	k    [][]float64
	base []float64
	y    []float64
	jac  *mat.Dense
	// LastNewton is the result of the most recent stage solve.
	LastNewton nonlinear.Result
}

var _ Stepper = (*DIRK)(nil)

func newDIRK(sys JacobianSystem, name string, order int, a [][]float64, b, c []float64) *DIRK {
	n := sys.Dim()
	d := &DIRK{name: name, order: order, a: a, b: b, c: c, sys: sys,
		base: make([]float64, n), y: make([]float64, n), jac: mat.NewDense(n, n, nil)}
	for range b {
		d.k = append(d.k, make([]float64, n))
	}
	return d
}

// NewSDIRK2 returns the two-stage, second-order, L-stable singly diagonally
// implicit method of Alexander (1977), γ = 1 − 1/√2. It is stiffly
// accurate, so it damps stiff modes completely.
func NewSDIRK2(sys JacobianSystem) *DIRK {
	g := 1 - 1/math.Sqrt2
	return newDIRK(sys, "sdirk2", 2,
		[][]float64{{g}, {1 - g, g}},
		[]float64{1 - g, g}, []float64{g, 1})
}

// NewSDIRK3 returns the three-stage, third-order, L-stable method of
// Alexander (1977), γ ≈ 0.4358665215 the root of x³ − 3x² + 3x/2 − 1/6 in
// (1/6, 1/2).
func NewSDIRK3(sys JacobianSystem) *DIRK {
	const g = 0.43586652150845899941601945
	t := (1 + g) / 2
	b1 := -(6*g*g - 16*g + 1) / 4
	b2 := (6*g*g - 20*g + 5) / 4
	return newDIRK(sys, "sdirk3", 3,
		[][]float64{{g}, {t - g, g}, {b1, b2, g}},
		[]float64{b1, b2, g}, []float64{g, t, 1})
}

// NewCrankNicolson returns the trapezoidal rule (Crank & Nicolson 1947), a
// second-order A-stable method with one explicit and one implicit stage.
func NewCrankNicolson(sys JacobianSystem) *DIRK {
	return newDIRK(sys, "cn", 2,
		[][]float64{{0}, {0.5, 0.5}},
		[]float64{0.5, 0.5}, []float64{0, 1})
}

// Order returns the method's order.
func (d *DIRK) Order() int { return d.order }

// Step advances u from t to t+dt into dst; dst and u may be the same slice.
// A stage solve that does not converge returns an error naming its status.
func (d *DIRK) Step(dst []float64, t, dt float64, u []float64) error {
	n := d.sys.Dim()
	checkLen("DIRK dst", len(dst), n)
	checkLen("DIRK u", len(u), n)
	set := d.Newton
	if set == nil {
		set = &nonlinear.Settings{AbsTol: 1e-12, RelTol: 1e-12}
	}
	first := true
	for i, row := range d.a {
		ti := t + d.c[i]*dt
		// base = u + dt Σ_{j<i} a_ij k_j.
		copy(d.base, u)
		for j, aij := range row[:i] {
			if aij != 0 {
				for m, kj := range d.k[j] {
					d.base[m] += dt * aij * kj
				}
			}
		}
		aii := row[i]
		if aii == 0 {
			d.sys.Func(d.k[i], ti, d.base)
			continue
		}
		// Predict Y_i by the previous implicit stage (u for the first),
		// then solve F(Y) = Y − base − h f(ti, Y) = 0 with h = dt·a_ii.
		h := dt * aii
		if first {
			copy(d.y, u)
			first = false
		}
		ki := d.k[i]
		p := nonlinear.Problem{
			Dim: n,
			F: func(dst, y []float64) {
				d.sys.Func(dst, ti, y)
				for m := range dst {
					dst[m] = y[m] - d.base[m] - h*dst[m]
				}
			},
			Jacobian: func(dst *mat.Dense, y []float64) {
				d.sys.Jacobian(dst, ti, y)
				dst.Scale(-h, dst)
				for m := 0; m < n; m++ {
					dst.Set(m, m, dst.At(m, m)+1)
				}
			},
		}
		res, err := nonlinear.Newton(d.y, p, set)
		d.LastNewton = res
		if err != nil {
			return fmt.Errorf("classical: %s stage %d: %w", d.name, i+1, err)
		}
		if res.Status != nonlinear.Converged {
			return fmt.Errorf("classical: %s stage %d Newton solve %v after %d iterations (‖F‖ = %.3g); reduce the time step", d.name, i+1, res.Status, res.Iterations, res.Residuals[len(res.Residuals)-1])
		}
		for m := range ki {
			ki[m] = (d.y[m] - d.base[m]) / h
		}
	}
	for m := range dst {
		s := u[m]
		for i, bi := range d.b {
			s += dt * bi * d.k[i][m]
		}
		dst[m] = s
	}
	return nil
}
