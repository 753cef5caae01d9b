package data

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync"

	"github.com/neuralpde/neuralpde/pde"
	"gonum.org/v1/gonum/dsp/fourier"
)

// RandomFourierSeries samples the random trigonometric polynomial
//
//	u(x) = Σ_{k=1..Modes} Amplitude·k^(−Decay) (α_k cos θ_k + β_k sin θ_k),
//
// θ_k = 2πk(x−A)/L, α_k, β_k ~ N(0, 1) i.i.d., on a periodic grid. Like
// GaussianRF, a sample is the same band-limited function on every grid with
// more than 2·Modes points, and sample i depends only on (seed, i). It is
// safe for concurrent use.
type RandomFourierSeries struct {
	Grid      pde.Grid
	Modes     int
	Amplitude float64
	Decay     float64

	pool sync.Pool
}

var _ Sampler = (*RandomFourierSeries)(nil)

// NewRandomFourierSeries returns the sampler on the periodic grid g.
func NewRandomFourierSeries(g pde.Grid, modes int, amplitude, decay float64) (*RandomFourierSeries, error) {
	if g.Kind != pde.Periodic {
		return nil, fmt.Errorf("data: RandomFourierSeries needs a periodic grid, got %v", g.Kind)
	}
	if modes < 1 || g.N <= 2*modes {
		return nil, fmt.Errorf("data: RandomFourierSeries with %d modes on %d points; need 1 ≤ modes and more than 2·modes points", modes, g.N)
	}
	if math.IsNaN(amplitude) || math.IsInf(amplitude, 0) || math.IsNaN(decay) || math.IsInf(decay, 0) {
		return nil, fmt.Errorf("data: RandomFourierSeries amplitude %g and decay %g must be finite", amplitude, decay)
	}
	return &RandomFourierSeries{Grid: g, Modes: modes, Amplitude: amplitude, Decay: decay}, nil
}

// Shape returns (N).
func (s *RandomFourierSeries) Shape() []int { return []int{s.Grid.N} }

type seriesWork struct {
	fft *fourier.FFT
	c   []complex128
	pcg rand.PCG
	rng *rand.Rand
}

// Sample writes sample i of the stream seeded by seed into dst, of length
// Grid.N; a wrong length panics.
func (s *RandomFourierSeries) Sample(dst []float64, seed uint64, i int) {
	if len(dst) != s.Grid.N {
		panic(fmt.Sprintf("data: RandomFourierSeries sample destination has length %d, want %d", len(dst), s.Grid.N))
	}
	w, ok := s.pool.Get().(*seriesWork)
	if !ok {
		w = &seriesWork{fft: fourier.NewFFT(s.Grid.N), c: make([]complex128, s.Grid.N/2+1)}
		w.rng = rand.New(&w.pcg)
	}
	defer s.pool.Put(w)
	w.pcg.Seed(seed, uint64(i))
	rng := w.rng
	clear(w.c)
	for k := 1; k <= s.Modes; k++ {
		a, b := rng.NormFloat64(), rng.NormFloat64()
		amp := s.Amplitude * math.Pow(float64(k), -s.Decay) / 2
		w.c[k] = complex(amp*a, -amp*b)
	}
	w.fft.Sequence(dst, w.c)
}
