// Package report provides the comparison bench's outputs: error measures of
// predicted fields against reference fields (relative L2, maximum, relative
// H1 with finite-difference gradients, as in Li et al., "Fourier neural
// operator for parametric partial differential equations", ICLR 2021, whose
// tables use relative L2 and H1), tables of neural and classical runs with
// the speed-up at matched accuracy, written as Markdown, CSV and JSON, energy
// spectra of fields by Welch's spectral density estimate (P. Welch, "The use
// of fast Fourier transform for the estimation of power spectra", IEEE
// Trans. Audio Electroacoust. 15, 1967; go-dsp's Pwelch), and a
// self-contained HTML page with its pictures embedded as data URIs.
//
// It is internal: the CLI's compare command is its one user, and its shapes
// may change with it.
package report
