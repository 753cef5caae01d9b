// Package operators provides linear operators on grids: finite-difference
// stencils, Fourier and Chebyshev spectral derivatives and transforms, and FFT
// plans.
//
// The FFT plans (Fourier, Fourier2D, and the DCT inside Chebyshev) use a
// radix-4 real FFT for power-of-two lengths ≥ 8: a complex FFT of length
// n/2 on the even and odd samples packed as one complex sequence, then the
// even/odd split (W. H. Press et al., "Numerical Recipes", 3rd ed., CUP
// 2007, §12.3), with radix-4 decimation-in-time passes (C. Van Loan,
// "Computational Frameworks for the Fast Fourier Transform", SIAM 1992); it
// is 4–5 times faster than gonum's FFTPACK port (dsp/fourier), which serves
// the other lengths. In 2-D the transform along x runs its butterflies over
// whole rows of the coefficient array. Fourier2D.ForwardColumns and
// InverseColumns skip the columns a truncation drops (the 2/3 rule, a
// spectral layer's kept modes).
//
// Fourier is a real FFT plan on n periodic points with numpy's rfft/irfft
// conventions (Forward unnormalised, Inverse divides by n), spectral
// derivatives by multiplication with (ik)^p, Orszag's 2/3-rule dealiasing
// (S. A. Orszag, "On the elimination of aliasing in finite-difference
// schemes by filtering high-wavenumber components", J. Atmos. Sci. 28, 1971),
// trigonometric interpolation at arbitrary points and spectral resampling
// (of samples, or of coefficients with ResampleCoeffs).
// The treatment of the Nyquist mode (zeroed for odd derivatives, split or
// joined when resampling) follows L. N. Trefethen, "Spectral Methods in
// MATLAB", SIAM 2000, ch. 3, and J. P. Boyd, "Chebyshev and Fourier Spectral
// Methods", 2nd ed., Dover 2001.
//
// Fourier2D is the 2-D analogue on nx×ny periodic points (numpy's
// rfft2/irfft2 layout), with mixed spectral derivatives, the periodic inverse
// Laplacian (−Δu = g − mean g), the 2/3 rule along both axes and spectral
// resampling to another resolution.
//
// D1 and D2 apply centred finite differences of order 2 or 4 on uniform
// grids, periodic or with one-sided formulas of the same order at the ends;
// D1Matrix and D2Matrix give the same operators as matrices. The weights are
// those of B. Fornberg, "Generation of finite difference formulas on
// arbitrarily spaced grids", Math. Comp. 51, 1988, whose recursion
// FornbergWeights implements for arbitrary nodes.
//
// Chebyshev works on the Gauss–Lobatto points of an interval (the ordering
// of pde.NewChebyshevGrid): the differentiation matrix of Trefethen's cheb.m
// with the negative-sum trick, values↔coefficients by a DCT-I done with the
// real FFT, derivatives by the coefficient recurrence in O(N log N) (Boyd
// 2001, Appendix A), Clenshaw–Curtis quadrature weights (Trefethen's
// clencurt.m), and barycentric interpolation (J.-P. Berrut and
// L. N. Trefethen, "Barycentric Lagrange interpolation", SIAM Rev. 46, 2004).
//
// Basis (FourierBasis: real cos/sin pairs; ChebyshevBasis) and its tensor
// product Basis2D (Fourier², Chebyshev², Fourier×Chebyshev for space–time)
// are what the neural spectral method (package nsm; Du, Chalapathi &
// Krishnapriyan, ICLR 2024) computes in: fast forward and inverse
// transforms through the plans above, synthesis and analysis matrices,
// exact derivative matrices on coefficients, integrals, exact
// multiplication by (x − a), and the exact Gram matrix of the basis in L2,
// so a residual's squared norm is computed from its coefficients
// (Parseval for Fourier; for Chebyshev the Gram matrix of ∫T_mT_n, which is
// not diagonal).
//
// The plans hold workspaces so that their hot paths allocate nothing; a plan
// must therefore be used by one goroutine at a time (make one per goroutine,
// as with gonum's fourier.FFT).
package operators
