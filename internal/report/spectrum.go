package report

import (
	"fmt"

	"github.com/mjibson/go-dsp/spectral"
)

// Spectrum returns the energy spectrum of the fields on g along their fast
// (last) axis: Welch's power spectral density estimate of every line of
// every field, averaged. freq is in cycles per unit length (1/Spacing is
// the sampling rate). A periodic line is one segment under a rectangular
// window — its periodogram, the exact energy per Fourier mode — and a
// non-periodic one a Hann-windowed segment, which keeps the jump between
// its ends from leaking into every mode.
func Spectrum(fields []float64, g Grid) (freq, power []float64, err error) {
	if len(g.Shape) == 0 || len(g.Spacing) != len(g.Shape) {
		return nil, nil, fmt.Errorf("report: spectrum of fields of shape %v with %d spacings", g.Shape, len(g.Spacing))
	}
	n := g.Shape[len(g.Shape)-1]
	nfft := n &^ 1
	if nfft < 4 || len(fields) == 0 || len(fields)%n != 0 {
		return nil, nil, fmt.Errorf("report: %d values are no whole number of lines of %d points (at least 4 needed)", len(fields), n)
	}
	opts := &spectral.PwelchOptions{NFFT: nfft}
	if g.Periodic {
		opts.Window = func(m int) []float64 {
			w := make([]float64, m)
			for i := range w {
				w[i] = 1
			}
			return w
		}
	}
	fs := 1 / g.Spacing[len(g.Spacing)-1]
	lines := len(fields) / n
	for l := range lines {
		p, f := spectral.Pwelch(fields[l*n:l*n+nfft], fs, opts)
		if power == nil {
			power, freq = make([]float64, len(p)), f
		}
		for i, v := range p {
			power[i] += v / float64(lines)
		}
	}
	return freq, power, nil
}
