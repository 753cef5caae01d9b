package nn

import (
	"fmt"
	"math"
	"strings"
)

// MaxDeriv is the highest derivative order an Activation must provide.
// Fourth-order jets (u_xxxx) use σ⁗, and their gradient to the weights
// needs one order more.
const MaxDeriv = 5

// Activation is a pointwise nonlinearity σ together with its derivatives
// up to order MaxDeriv, which the Taylor-mode jets use.
//
// Derivatives are evaluated from the pre-activation z and an auxiliary
// array computed once per layer (tanh z for Tanh, the logistic sigmoid for
// SiLU and Softplus, the Gaussian density for GELU), so that each order
// costs a polynomial, not another transcendental function.
type Activation interface {
	// Name is the activation's name as ActivationByName accepts it. The
	// graph identifies derivative ops by it, so two different activations
	// used in one graph must have different names.
	Name() string
	// Aux writes into dst the per-element values that Deriv reuses.
	Aux(dst, z []float64)
	// Deriv writes σ⁽ᵏ⁾(z) into dst for 0 ≤ k ≤ MaxDeriv, given aux from Aux.
	Deriv(dst, z, aux []float64, k int)
}

// The activations. Each provides derivatives up to order MaxDeriv.
var (
	// Tanh is the hyperbolic tangent.
	Tanh Activation = tanhAct{}
	// Sin is the sine (SIREN-style networks).
	Sin Activation = sinAct{}
	// GELU is the exact Gaussian error linear unit z·Φ(z) of Hendrycks and
	// Gimpel (2016), with Φ the standard normal distribution function
	// computed through erfc; not the tanh approximation, whose higher
	// derivatives are needlessly messy and which differs by up to 1e-3.
	GELU Activation = geluAct{}
	// Softplus is log(1 + eᶻ), computed without overflow.
	Softplus Activation = softplusAct{}
	// SiLU is z·sigmoid(z), the sigmoid-weighted linear unit of Elfwing et
	// al. (2018), called Swish by Ramachandran et al. (2017).
	SiLU Activation = siluAct{}
)

// Activations lists the exported activations.
func Activations() []Activation { return []Activation{Tanh, Sin, GELU, Softplus, SiLU} }

// ActivationByName returns the activation with the given name
// (case-insensitive): tanh, sin, gelu, softplus or silu.
func ActivationByName(name string) (Activation, error) {
	var names []string
	for _, a := range Activations() {
		if strings.EqualFold(a.Name(), name) {
			return a, nil
		}
		names = append(names, a.Name())
	}
	return nil, fmt.Errorf("nn: unknown activation %q; use one of %s", name, strings.Join(names, ", "))
}

func badOrder(name string, k int) string {
	return fmt.Sprintf("nn: %s derivative of order %d requested; orders 0…%d exist", name, k, MaxDeriv)
}

type tanhAct struct{}

func (tanhAct) Name() string { return "tanh" }

func (tanhAct) Aux(dst, z []float64) {
	for i, v := range z {
		dst[i] = math.Tanh(v)
	}
}

// Deriv uses the derivatives of tanh as polynomials in t = tanh z, with
// s = 1 − t².
func (tanhAct) Deriv(dst, z, aux []float64, k int) {
	t := aux[:len(dst)]
	switch k {
	case 0:
		copy(dst, t)
	case 1:
		for i, v := range t {
			dst[i] = 1 - v*v
		}
	case 2:
		for i, v := range t {
			dst[i] = -2 * v * (1 - v*v)
		}
	case 3:
		for i, v := range t {
			v2 := v * v
			dst[i] = (1 - v2) * (6*v2 - 2)
		}
	case 4:
		for i, v := range t {
			v2 := v * v
			dst[i] = (1 - v2) * v * (16 - 24*v2)
		}
	case 5:
		for i, v := range t {
			v2 := v * v
			dst[i] = (1 - v2) * (16 - 120*v2 + 120*v2*v2)
		}
	default:
		panic(badOrder("tanh", k))
	}
}

type sinAct struct{}

func (sinAct) Name() string { return "sin" }

func (sinAct) Aux(dst, z []float64) {
	for i, v := range z {
		dst[i] = math.Sin(v)
	}
}

// Deriv uses sin⁽ᵏ⁾ = ±sin for even k (from aux) and ±cos for odd k.
func (sinAct) Deriv(dst, z, aux []float64, k int) {
	if k < 0 || k > MaxDeriv {
		panic(badOrder("sin", k))
	}
	sign := 1.0
	if k%4 >= 2 {
		sign = -1
	}
	if k%2 == 0 {
		for i, v := range aux[:len(dst)] {
			dst[i] = sign * v
		}
		return
	}
	for i, v := range z[:len(dst)] {
		dst[i] = sign * math.Cos(v)
	}
}

// cosAct is the cosine, used by the Fourier-feature embedding.
type cosAct struct{}

func (cosAct) Name() string { return "cos" }

func (cosAct) Aux(dst, z []float64) {
	for i, v := range z {
		dst[i] = math.Cos(v)
	}
}

// Deriv uses cos⁽ᵏ⁾ = ±cos for even k (from aux) and ∓sin for odd k.
func (cosAct) Deriv(dst, z, aux []float64, k int) {
	if k < 0 || k > MaxDeriv {
		panic(badOrder("cos", k))
	}
	if k%2 == 0 {
		sign := 1.0
		if k%4 == 2 {
			sign = -1
		}
		for i, v := range aux[:len(dst)] {
			dst[i] = sign * v
		}
		return
	}
	sign := -1.0
	if k%4 == 3 {
		sign = 1
	}
	for i, v := range z[:len(dst)] {
		dst[i] = sign * math.Sin(v)
	}
}

// sigmoid returns 1/(1+e⁻ᶻ) without overflow.
func sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}

// sigmoidDeriv returns the k-th derivative of the logistic sigmoid as a
// polynomial in its value s.
func sigmoidDeriv(s float64, k int) float64 {
	s1 := s * (1 - s)
	switch k {
	case 0:
		return s
	case 1:
		return s1
	case 2:
		return s1 * (1 - 2*s)
	case 3:
		return s1 * (1 - 6*s + 6*s*s)
	case 4:
		return s1 * (1 + s*(-14+s*(36-24*s)))
	case 5:
		return s1 * (1 + s*(-30+s*(150+s*(-240+120*s))))
	}
	panic(badOrder("sigmoid", k))
}

type softplusAct struct{}

func (softplusAct) Name() string { return "softplus" }

func (softplusAct) Aux(dst, z []float64) {
	for i, v := range z {
		dst[i] = sigmoid(v)
	}
}

// Deriv uses softplus′ = sigmoid.
func (softplusAct) Deriv(dst, z, aux []float64, k int) {
	switch {
	case k == 0:
		for i, v := range z[:len(dst)] {
			dst[i] = math.Max(v, 0) + math.Log1p(math.Exp(-math.Abs(v)))
		}
	case k >= 1 && k <= MaxDeriv:
		for i, s := range aux[:len(dst)] {
			dst[i] = sigmoidDeriv(s, k-1)
		}
	default:
		panic(badOrder("softplus", k))
	}
}

type siluAct struct{}

func (siluAct) Name() string { return "silu" }

func (siluAct) Aux(dst, z []float64) {
	for i, v := range z {
		dst[i] = sigmoid(v)
	}
}

// Deriv uses Leibniz's rule: (z·s)⁽ᵏ⁾ = z·s⁽ᵏ⁾ + k·s⁽ᵏ⁻¹⁾.
func (siluAct) Deriv(dst, z, aux []float64, k int) {
	switch {
	case k == 0:
		for i, s := range aux[:len(dst)] {
			dst[i] = z[i] * s
		}
	case k >= 1 && k <= MaxDeriv:
		for i, s := range aux[:len(dst)] {
			dst[i] = z[i]*sigmoidDeriv(s, k) + float64(k)*sigmoidDeriv(s, k-1)
		}
	default:
		panic(badOrder("silu", k))
	}
}

type geluAct struct{}

func (geluAct) Name() string { return "gelu" }

// Aux writes the standard normal density φ(z).
func (geluAct) Aux(dst, z []float64) {
	for i, v := range z {
		dst[i] = math.Exp(-v*v/2) / math.Sqrt(2*math.Pi)
	}
}

// Deriv uses GELU = zΦ, GELU′ = Φ + zφ and, from φ′ = −zφ,
// GELU⁽ᵏ⁾ = φ·pₖ(z) for k ≥ 2 with p₂ = 2 − z², p₃ = z³ − 4z,
// p₄ = −z⁴ + 7z² − 4, p₅ = z⁵ − 11z³ + 18z.
func (geluAct) Deriv(dst, z, aux []float64, k int) {
	phi := aux[:len(dst)]
	switch k {
	case 0:
		for i, v := range z[:len(dst)] {
			dst[i] = v * 0.5 * math.Erfc(-v/math.Sqrt2)
		}
	case 1:
		for i, v := range z[:len(dst)] {
			dst[i] = 0.5*math.Erfc(-v/math.Sqrt2) + v*phi[i]
		}
	case 2:
		for i, v := range z[:len(dst)] {
			dst[i] = phi[i] * (2 - v*v)
		}
	case 3:
		for i, v := range z[:len(dst)] {
			dst[i] = phi[i] * v * (v*v - 4)
		}
	case 4:
		for i, v := range z[:len(dst)] {
			v2 := v * v
			dst[i] = phi[i] * (-v2*v2 + 7*v2 - 4)
		}
	case 5:
		for i, v := range z[:len(dst)] {
			v2 := v * v
			dst[i] = phi[i] * v * (v2*v2 - 11*v2 + 18)
		}
	default:
		panic(badOrder("gelu", k))
	}
}
