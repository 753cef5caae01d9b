// Package nsm provides neural spectral methods: neural operators that map
// the coefficients of input functions to the coefficients of the solution
// in an orthogonal basis and are trained, without solution data, by the
// norm of the PDE residual computed exactly from those coefficients
// (Y. Du, N. Chalapathi and A. S. Krishnapriyan, "Neural Spectral Methods:
// Self-supervised learning in the spectral domain", ICLR 2024).
//
// The bases are those of package operators (operators.FourierBasis,
// operators.ChebyshevBasis and their tensor products operators.Basis2D).
// A Model lifts the input coefficients, applies spectral layers that
// multiply every kept coefficient by its own learned channel matrix, and
// applies its nonlinearity at collocation points: the series is evaluated
// on a grid of 3/2 the number of coefficients per axis (Orszag's rule for
// quadratic products, S. A. Orszag, J. Atmos. Sci. 28, 1971), activated
// and transformed back. Its output is a set of coefficients, so inference
// does not depend on the output resolution beyond evaluating the series.
//
// The spectral loss (Problem.Loss) assembles the residual in coefficient
// space: linear terms exactly through the bases' derivative matrices,
// nonlinear terms by collocation on the same grid, and its L² norm by
// Parseval's identity with the bases' Gram matrices (diagonal for Fourier;
// for Chebyshev the exact Gram matrix of ∫T_mT_n, so the loss is the
// unweighted L² norm). Boundary and initial conditions are built into the
// basis: periodic directions use the Fourier basis, and an initial
// condition u(x, 0) = u₀(x) is imposed by the lifting u = u₀ + t·v, exact
// in the Chebyshev time basis.
//
// Problems: Poisson2D (periodic −Δu = f with Gaussian-random-field
// forcing, reference by FFT) and ReactionDiffusion (u_t = νu_xx + ρu(1−u),
// periodic in x, Fourier×Chebyshev in space–time, the paper's §4.2
// setting, reference by ETDRK4: S. M. Cox and P. C. Matthews, J. Comput.
// Phys. 176, 2002; A.-K. Kassam and L. N. Trefethen, SIAM J. Sci. Comput.
// 26, 2005).
//
// Gradients of the model are hand-derived adjoints (every layer is a matrix
// product or a pointwise map), checked against finite differences.
package nsm
