// Package operators provides linear operators on grids: finite-difference
// stencils, Fourier and Chebyshev spectral derivatives and transforms, and FFT
// plans built on gonum's dsp/fourier.
package operators
