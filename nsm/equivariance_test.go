package nsm

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/neuralpde/neuralpde/operators"
)

// shiftCoefficients writes to dst the coefficients (B×Mx×My×C) of the
// functions of src translated by dx along the first axis and dy along the
// second, u(x − dx, y − dy); a non-Fourier axis must have a zero shift.
// On a Fourier axis the pair (c, s) of frequency ω turns by the angle ωd.
func shiftCoefficients(dst, src []float64, basis *operators.Basis2D, dx, dy float64, B, C int) {
	mx, my := basis.Dims()
	copy(dst, src)
	rotate := func(f operators.Basis, d float64, idx func(b, pair, other, c int) (int, int), others int) {
		if d == 0 {
			return
		}
		fb := f.(*operators.FourierBasis)
		for i := 1; i+1 < fb.Len(); i += 2 {
			sn, cs := math.Sincos(fb.Frequency(i) * d)
			for b := range B {
				for o := range others {
					for c := range C {
						ic, is := idx(b, i, o, c)
						vc, vs := dst[ic], dst[is]
						dst[ic], dst[is] = vc*cs-vs*sn, vc*sn+vs*cs
					}
				}
			}
		}
	}
	at := func(b, i, j, c int) int { return ((b*mx+i)*my+j)*C + c }
	rotate(basis.X, dx, func(b, i, j, c int) (int, int) { return at(b, i, j, c), at(b, i+1, j, c) }, my)
	rotate(basis.Y, dy, func(b, j, i, c int) (int, int) { return at(b, i, j, c), at(b, i, j+1, c) }, mx)
}

func maxDiff(a, b []float64) (diff, scale float64) {
	for i := range a {
		diff = math.Max(diff, math.Abs(a[i]-b[i]))
		scale = math.Max(scale, math.Abs(b[i]))
	}
	return diff, scale
}

// TestSpectralEquivariance checks that with complex weights the spectral
// layer commutes with translations by any δ along every Fourier axis (to
// rounding), and that the whole model does for translations by grid steps
// of the collocation grid (where σ commutes with the shift exactly); and
// that with untied real weights neither holds.
func TestSpectralEquivariance(t *testing.T) {
	poisson, err := NewPoisson2D(4)
	if err != nil {
		t.Fatal(err)
	}
	rd, err := NewReactionDiffusion(0.01, 5, 4, 5)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		p       Problem
		shiftY  bool
		weights string
		equiv   bool
	}{
		{"poisson complex", poisson, true, WeightsComplex, true},
		{"poisson real", poisson, true, WeightsReal, false},
		{"reaction-diffusion complex", rd, false, WeightsComplex, true},
		{"reaction-diffusion real", rd, false, WeightsReal, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := smallConfig()
			cfg.Weights = tc.weights
			in, out := tc.p.Channels()
			basis := tc.p.Basis()
			m, err := NewModel(cfg, basis, in, out, rand.New(rand.NewPCG(5, 6)))
			if err != nil {
				t.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(7, 8))
			const B = 3
			mx, my := basis.Dims()
			M, W := mx*my, cfg.Width

			// The spectral layer alone, shifted by arbitrary amounts.
			h := make([]float64, B*M*W)
			for i := range h {
				h[i] = rng.NormFloat64()
			}
			mix := func(dst, src []float64) {
				m.prepare(B)
				hi, z := make([]float64, len(src)), make([]float64, len(src))
				m.toInternal(hi, src, B, W)
				m.spectralMix(z, hi, 0, B)
				m.fromInternal(dst, z, B, W)
			}
			layerWorst := 0.0
			for _, d := range [][2]float64{{0.123, 0.456}, {0.7071, -0.31}, {1.0 / 3, 0.05}} {
				dy := d[1]
				if !tc.shiftY {
					dy = 0
				}
				sh, a, b := make([]float64, len(h)), make([]float64, len(h)), make([]float64, len(h))
				shiftCoefficients(sh, h, basis, d[0], dy, B, W)
				mix(a, sh) // K(S h)
				mix(b, h)
				shiftCoefficients(sh, b, basis, d[0], dy, B, W) // S(K h)
				diff, scale := maxDiff(a, sh)
				layerWorst = math.Max(layerWorst, diff/scale)
			}

			// The whole model, shifted by whole steps of the collocation
			// grid.
			a := make([]float64, B*M*in)
			for b := range B {
				tc.p.Input(a[b*M*in:(b+1)*M*in], 9, b)
			}
			nx, ny := m.Grid()
			dx, dy := 3/float64(nx), 0.0
			if tc.shiftY {
				dy = 5 / float64(ny)
			}
			sa := make([]float64, len(a))
			shiftCoefficients(sa, a, basis, dx, dy, B, in)
			got := m.Forward(nil, sa, B)
			want := m.Forward(nil, a, B)
			shifted := make([]float64, len(want))
			shiftCoefficients(shifted, want, basis, dx, dy, B, out)
			diff, scale := maxDiff(got, shifted)
			modelErr := diff / scale

			if tc.equiv {
				if layerWorst > 1e-13 || modelErr > 1e-12 {
					t.Errorf("not equivariant: layer %.2e, model %.2e (want rounding)", layerWorst, modelErr)
				}
			} else if layerWorst < 1e-2 || modelErr < 1e-3 {
				t.Errorf("untied real weights should not be equivariant: layer %.2e, model %.2e", layerWorst, modelErr)
			}
			t.Logf("relative deviation from equivariance: layer %.2e, model %.2e", layerWorst, modelErr)
		})
	}
}
