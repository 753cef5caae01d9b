package deeponet

import (
	"fmt"
	"math"
)

// Constraint makes the model satisfy zero initial or boundary data exactly:
// G(u)(y) = φ(y)·N(u)(y), with N the DeepONet and φ a fixed function that
// vanishes where the data are prescribed (Lagaris, Likas & Fotiadis 1998,
// IEEE Trans. Neural Netw. 9; Lu et al. 2021, "Physics-informed neural
// networks with hard constraints for inverse design", SIAM J. Sci. Comput.
// 43). Lo and Hi are the bounds of each trunk input.
type Constraint struct {
	// Kind is "" (none), "initial" (zero at t = t₀), "dirichlet-initial"
	// (zero at t = t₀ and at both ends of x), or "start" (zero at x = a:
	// an antiderivative from a).
	Kind string `json:"kind,omitempty" yaml:"kind"`
	// X and T are the trunk inputs (column indices) of x and t.
	X int `json:"x" yaml:"x"`
	T int `json:"t" yaml:"t"`
	// Width δ > 0 replaces the boundary factor 4(x−a)(b−x)/(b−a)² of
	// dirichlet-initial by (1 − e^{−(x−a)/δ})(1 − e^{−(b−x)/δ}), which is
	// 1 away from the ends: where the solution has boundary layers of
	// width about δ (√(Dt) for diffusion), N = G/φ then stays bounded
	// instead of growing like 1/(x−a). Zero means the polynomial.
	Width float64 `json:"width,omitempty" yaml:"width"`
	// Lo and Hi bound each trunk input.
	Lo []float64 `json:"lo,omitempty" yaml:"lo"`
	Hi []float64 `json:"hi,omitempty" yaml:"hi"`
}

func (c *Constraint) check(dim int) error {
	switch c.Kind {
	case "":
		return nil
	case "initial", "dirichlet-initial", "start":
	default:
		return fmt.Errorf("deeponet: constraint %q; use initial, dirichlet-initial, start or nothing", c.Kind)
	}
	if len(c.Lo) != dim || len(c.Hi) != dim {
		return fmt.Errorf("deeponet: constraint bounds for %d and %d inputs; the trunk has %d", len(c.Lo), len(c.Hi), dim)
	}
	for i := range dim {
		if !(c.Hi[i] > c.Lo[i]) {
			return fmt.Errorf("deeponet: constraint bounds [%g, %g] of input %d are empty", c.Lo[i], c.Hi[i], i)
		}
	}
	if c.Width < 0 {
		return fmt.Errorf("deeponet: constraint width %g must not be negative", c.Width)
	}
	needT := c.Kind != "start"
	needX := c.Kind != "initial"
	if (needT && (c.T < 0 || c.T >= dim)) || (needX && (c.X < 0 || c.X >= dim)) || (needT && needX && c.X == c.T) {
		return fmt.Errorf("deeponet: constraint %q with x input %d and t input %d on %d trunk inputs", c.Kind, c.X, c.T, dim)
	}
	return nil
}

// eval writes φ at the point y (one trunk input row) and returns it, with
// its first derivatives d1 and pure second derivatives d2 along every
// input when those are not nil.
func (c *Constraint) eval(y, d1, d2 []float64) float64 {
	clear(d1)
	clear(d2)
	switch c.Kind {
	case "initial":
		L := c.Hi[c.T] - c.Lo[c.T]
		if d1 != nil {
			d1[c.T] = 1 / L
		}
		return (y[c.T] - c.Lo[c.T]) / L
	case "start":
		L := c.Hi[c.X] - c.Lo[c.X]
		if d1 != nil {
			d1[c.X] = 1 / L
		}
		return (y[c.X] - c.Lo[c.X]) / L
	case "dirichlet-initial":
		Lt := c.Hi[c.T] - c.Lo[c.T]
		a, b := c.Lo[c.X], c.Hi[c.X]
		tau := (y[c.T] - c.Lo[c.T]) / Lt
		x := y[c.X]
		var xi, dxi, d2xi float64
		if c.Width > 0 {
			dl := c.Width
			e1, e2 := math.Exp(-(x-a)/dl), math.Exp(-(b-x)/dl)
			A, dA, d2A := 1-e1, e1/dl, -e1/(dl*dl)
			B, dB, d2B := 1-e2, -e2/dl, -e2/(dl*dl)
			xi, dxi, d2xi = A*B, dA*B+A*dB, d2A*B+2*dA*dB+A*d2B
		} else {
			w := 4 / ((b - a) * (b - a))
			xi, dxi, d2xi = w*(x-a)*(b-x), w*(a+b-2*x), -2*w
		}
		if d1 != nil {
			d1[c.T] = xi / Lt
			d1[c.X] = tau * dxi
		}
		if d2 != nil {
			d2[c.X] = tau * d2xi
		}
		return tau * xi
	}
	return 1
}
