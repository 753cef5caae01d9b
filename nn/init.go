package nn

import (
	"math"
	"math/rand/v2"
)

// Initializer fills dst, the weights of a layer with fanIn inputs and
// fanOut outputs, drawing from rng. Every initialiser takes its randomness
// explicitly, so the same seed gives the same network.
type Initializer func(dst []float64, fanIn, fanOut int, rng *rand.Rand)

// GlorotUniform draws from U(−a, a) with a = √(6/(fanIn+fanOut)), the
// variance-preserving choice of Glorot and Bengio (2010), eq. 16.
func GlorotUniform(dst []float64, fanIn, fanOut int, rng *rand.Rand) {
	a := math.Sqrt(6 / float64(fanIn+fanOut))
	for i := range dst {
		dst[i] = a * (2*rng.Float64() - 1)
	}
}

// GlorotNormal draws from N(0, 2/(fanIn+fanOut)) (Glorot and Bengio 2010).
// It is the usual choice for tanh PINNs (Raissi et al. 2019).
func GlorotNormal(dst []float64, fanIn, fanOut int, rng *rand.Rand) {
	s := math.Sqrt(2 / float64(fanIn+fanOut))
	for i := range dst {
		dst[i] = s * rng.NormFloat64()
	}
}

// HeNormal draws from N(0, 2/fanIn), the choice of He et al. (2015) for
// rectifier-like activations (GELU, SiLU, softplus).
func HeNormal(dst []float64, fanIn, _ int, rng *rand.Rand) {
	s := math.Sqrt(2 / float64(fanIn))
	for i := range dst {
		dst[i] = s * rng.NormFloat64()
	}
}

// HeUniform draws from U(−a, a) with a = √(6/fanIn), the uniform
// distribution with HeNormal's variance (He et al. 2015).
func HeUniform(dst []float64, fanIn, _ int, rng *rand.Rand) {
	a := math.Sqrt(6 / float64(fanIn))
	for i := range dst {
		dst[i] = a * (2*rng.Float64() - 1)
	}
}

// Zeros sets dst to zero; it draws nothing from rng, which may be nil.
func Zeros(dst []float64, _, _ int, _ *rand.Rand) {
	for i := range dst {
		dst[i] = 0
	}
}

// Uniform returns an Initializer drawing from U(lo, hi), whatever the fans.
func Uniform(lo, hi float64) Initializer {
	return func(dst []float64, _, _ int, rng *rand.Rand) {
		for i := range dst {
			dst[i] = lo + (hi-lo)*rng.Float64()
		}
	}
}
