package nn

import (
	"math"
	"math/cmplx"
)

// This file holds the reference the jet tests compare against: the network
// evaluated in complex arithmetic, and derivatives from Cauchy's integral
// formula, f⁽ᵏ⁾(x) = k!/(2πi) ∮ f(ζ)/(ζ−x)ᵏ⁺¹ dζ, by the trapezoidal rule
// on a circle of radius r (Lyness and Moler 1967). For a function analytic
// in a disc larger than r the rule converges geometrically in the number
// of nodes, and its rounding error is about ε·max|f|·k!/rᵏ, so it gives
// derivatives up to fourth order to ~1e-12, which finite differences in
// float64 cannot (their rounding error for a fourth derivative is ε/h⁴).
// The activations are analytic; only their values are used here, so the
// reference shares no derivative formula with the code under test.

// complexAct returns the activation's complex extension.
func complexAct(a Activation) func(complex128) complex128 {
	switch a.Name() {
	case "tanh":
		return cmplx.Tanh
	case "sin":
		return cmplx.Sin
	case "cos":
		return cmplx.Cos
	case "softplus":
		return func(z complex128) complex128 { return cmplx.Log(1 + cmplx.Exp(z)) }
	case "silu":
		return func(z complex128) complex128 { return z / (1 + cmplx.Exp(-z)) }
	case "gelu":
		return func(z complex128) complex128 { return z * 0.5 * (1 + complexErf(z/math.Sqrt2)) }
	}
	panic("no complex extension of " + a.Name())
}

// complexErf sums the Maclaurin series of erf, accurate to ~1e-13 for
// |w| ≲ 3, which covers the tests' pre-activations.
func complexErf(w complex128) complex128 {
	sum := complex(0, 0)
	term := w // (−1)ⁿ w²ⁿ⁺¹/n!
	w2 := w * w
	for n := 0; n < 200; n++ {
		add := term / complex(float64(2*n+1), 0)
		sum += add
		if cmplx.Abs(add) < 1e-18*cmplx.Abs(sum) {
			break
		}
		term *= -w2 / complex(float64(n+1), 0)
	}
	return 2 / complex(math.Sqrt(math.Pi), 0) * sum
}

// evalComplex returns output o of m at the complex point x.
func evalComplex(m *MLP, x []complex128, o int) complex128 {
	h := x
	if m.fourier != nil {
		f := m.cfg.Fourier.Features
		h = make([]complex128, 2*f)
		for j := 0; j < f; j++ {
			var v complex128
			for i, xi := range x {
				v += xi * complex(m.fourier[i*f+j], 0)
			}
			h[j], h[f+j] = cmplx.Sin(v), cmplx.Cos(v)
		}
	}
	act := complexAct(m.cfg.Activation)
	for l, layer := range m.layers {
		in, out := layer.In(), layer.Out()
		z := make([]complex128, out)
		for q := 0; q < out; q++ {
			z[q] = complex(layer.B.Value[q], 0)
			for p := 0; p < in; p++ {
				z[q] += h[p] * complex(layer.W.Value[p*out+q], 0)
			}
		}
		if l < len(m.layers)-1 {
			for q := range z {
				z[q] = act(z[q])
			}
		}
		h = z
	}
	return h[o]
}

// cauchyDeriv returns ∂ᵏf/∂x_iᵏ at x by the trapezoidal rule with n nodes on
// a circle of radius r.
func cauchyDeriv(f func([]complex128) complex128, x []float64, i, k int, r float64, n int) float64 {
	p := make([]complex128, len(x))
	var sum complex128
	for j := 0; j < n; j++ {
		w := cmplx.Exp(complex(0, 2*math.Pi*float64(j)/float64(n)))
		for q, v := range x {
			p[q] = complex(v, 0)
		}
		p[i] += complex(r, 0) * w
		sum += f(p) * cmplx.Pow(w, complex(-float64(k), 0))
	}
	fact := 1.0
	for q := 2; q <= k; q++ {
		fact *= float64(q)
	}
	return real(sum) / float64(n) * fact / math.Pow(r, float64(k))
}

// cauchyMixed returns ∂²f/∂x_i∂x_j at x by the product trapezoidal rule.
func cauchyMixed(f func([]complex128) complex128, x []float64, i, j int, r float64, n int) float64 {
	p := make([]complex128, len(x))
	var sum complex128
	for a := 0; a < n; a++ {
		wa := cmplx.Exp(complex(0, 2*math.Pi*float64(a)/float64(n)))
		for b := 0; b < n; b++ {
			wb := cmplx.Exp(complex(0, 2*math.Pi*float64(b)/float64(n)))
			for q, v := range x {
				p[q] = complex(v, 0)
			}
			p[i] += complex(r, 0) * wa
			p[j] += complex(r, 0) * wb
			sum += f(p) / (wa * wb)
		}
	}
	return real(sum) / float64(n*n) / (r * r)
}
