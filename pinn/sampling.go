package pinn

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Sampler draws points of the unit cube [0, 1)^d. Quasi-random samplers are
// sequences: each call continues where the last one stopped, so asking for
// more points (rejection from a bounding box, refinement) keeps the low
// discrepancy of the whole set.
type Sampler interface {
	// Sample writes n points of [0, 1)^d into dst (n×d row-major, nil
	// allocates) and returns it.
	Sample(dst []float64, n, d int) []float64
}

func sampleDst(dst []float64, n, d int) []float64 {
	if n < 0 || d <= 0 {
		panic(fmt.Sprintf("pinn: sampling %d points in dimension %d", n, d))
	}
	if dst == nil {
		return make([]float64, n*d)
	}
	if len(dst) != n*d {
		panic(fmt.Sprintf("pinn: sample destination has length %d, want %d×%d", len(dst), n, d))
	}
	return dst
}

// Uniform draws independent uniform points.
type Uniform struct {
	Rand *rand.Rand
}

// Sample implements Sampler.
func (s Uniform) Sample(dst []float64, n, d int) []float64 {
	dst = sampleDst(dst, n, d)
	for i := range dst {
		dst[i] = s.Rand.Float64()
	}
	return dst
}

// LatinHypercube draws n points such that each of the n equal strata of
// every coordinate holds exactly one point (McKay, Beckman and Conover,
// Technometrics 21, 1979), with the point uniform inside its stratum.
type LatinHypercube struct {
	Rand *rand.Rand
}

// Sample implements Sampler.
func (s LatinHypercube) Sample(dst []float64, n, d int) []float64 {
	dst = sampleDst(dst, n, d)
	perm := make([]int, n)
	for j := 0; j < d; j++ {
		for i := range perm {
			perm[i] = i
		}
		s.Rand.Shuffle(n, func(a, b int) { perm[a], perm[b] = perm[b], perm[a] })
		for i := 0; i < n; i++ {
			dst[i*d+j] = (float64(perm[i]) + s.Rand.Float64()) / float64(n)
		}
	}
	return dst
}

// Halton is the Halton sequence (Halton, Numer. Math. 2, 1960): coordinate
// j of point k is the radical inverse of k in the j-th prime. The point
// k = 0 (the origin) is skipped. It supports up to 8 dimensions.
type Halton struct {
	next uint64
}

var haltonPrimes = [...]uint64{2, 3, 5, 7, 11, 13, 17, 19}

// Sample implements Sampler.
func (s *Halton) Sample(dst []float64, n, d int) []float64 {
	if d > len(haltonPrimes) {
		panic(fmt.Sprintf("pinn: Halton sequence in %d dimensions; at most %d are supported", d, len(haltonPrimes)))
	}
	dst = sampleDst(dst, n, d)
	for i := 0; i < n; i++ {
		s.next++
		for j := 0; j < d; j++ {
			dst[i*d+j] = radicalInverse(s.next, haltonPrimes[j])
		}
	}
	return dst
}

func radicalInverse(k, b uint64) float64 {
	inv := 1 / float64(b)
	f, r := inv, 0.0
	for k > 0 {
		r += float64(k%b) * f
		k /= b
		f *= inv
	}
	return r
}

// Sobol is the Sobol′ sequence (Sobol′, USSR Comput. Math. Math. Phys. 7,
// 1967) in Gray-code order (Antonov and Saleev 1979) with the direction
// numbers of Joe and Kuo (SIAM J. Sci. Comput. 30, 2008, file
// new-joe-kuo-6.21201). The first point (the origin) is skipped. It
// supports up to 6 dimensions and 2³² points; each dimension d asked for
// continues its own d-dimensional sequence (interior and boundary points
// drawn from one Sobol are two sequences).
type Sobol struct {
	seqs map[int]*sobolSeq
}

type sobolSeq struct {
	v    [][32]uint32
	x    []uint32
	next uint32
}

// sobolParams are Joe and Kuo's (s, a, m₁…m_s) for dimensions 2 to 6;
// dimension 1 is the van der Corput sequence.
var sobolParams = []struct {
	s, a uint32
	m    []uint32
}{
	{1, 0, []uint32{1}},
	{2, 1, []uint32{1, 3}},
	{3, 1, []uint32{1, 3, 1}},
	{3, 2, []uint32{1, 1, 1}},
	{4, 1, []uint32{1, 1, 3, 3}},
}

func newSobolSeq(d int) *sobolSeq {
	s := &sobolSeq{v: make([][32]uint32, d), x: make([]uint32, d)}
	for i := 0; i < 32; i++ {
		s.v[0][i] = 1 << (31 - i)
	}
	for j := 1; j < d; j++ {
		p := sobolParams[j-1]
		for i := uint32(0); i < p.s && i < 32; i++ {
			s.v[j][i] = p.m[i] << (31 - i)
		}
		for i := p.s; i < 32; i++ {
			v := s.v[j][i-p.s] ^ (s.v[j][i-p.s] >> p.s)
			for k := uint32(1); k < p.s; k++ {
				if (p.a>>(p.s-1-k))&1 == 1 {
					v ^= s.v[j][i-k]
				}
			}
			s.v[j][i] = v
		}
	}
	return s
}

// Sample implements Sampler.
func (s *Sobol) Sample(dst []float64, n, d int) []float64 {
	if d > len(sobolParams)+1 {
		panic(fmt.Sprintf("pinn: Sobol sequence in %d dimensions; at most %d are supported", d, len(sobolParams)+1))
	}
	dst = sampleDst(dst, n, d)
	if s.seqs == nil {
		s.seqs = make(map[int]*sobolSeq)
	}
	q, ok := s.seqs[d]
	if !ok {
		q = newSobolSeq(d)
		s.seqs[d] = q
	}
	for i := 0; i < n; i++ {
		// Point k+1 from point k flips the direction number of the lowest
		// zero bit of k.
		c := 0
		for k := q.next; k&1 == 1; k >>= 1 {
			c++
		}
		q.next++
		for j := 0; j < d; j++ {
			q.x[j] ^= q.v[j][c]
			dst[i*d+j] = float64(q.x[j]) / (1 << 32)
		}
	}
	return dst
}

// NewSampler returns the sampler of the given name: "uniform" (also the
// empty name), "lhs", "sobol" or "halton". The random samplers draw from a
// PCG generator seeded with seed; the quasi-random ones ignore it.
func NewSampler(name string, seed uint64) (Sampler, error) {
	rng := rand.New(rand.NewPCG(seed, 0x5851f42d4c957f2d))
	switch name {
	case "", "uniform":
		return Uniform{Rand: rng}, nil
	case "lhs", "latin-hypercube":
		return LatinHypercube{Rand: rng}, nil
	case "sobol":
		return &Sobol{}, nil
	case "halton":
		return &Halton{}, nil
	}
	return nil, fmt.Errorf("pinn: unknown sampler %q; use uniform, lhs, sobol or halton", name)
}

// clampOpen keeps a unit coordinate strictly below 1.
func clampOpen(u float64) float64 { return math.Min(u, math.Nextafter(1, 0)) }
