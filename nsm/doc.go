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
// multiply every kept coefficient by its own learned channel matrix
// (Config.Weights = "real", the default) or every Fourier wave by its own
// complex matrix ("complex": the cos/sin coefficients of a wave tied into
// one complex amplitude, so that the layer commutes with translations
// along the Fourier axes), and applies its nonlinearity at collocation
// points: the series is evaluated
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
// product or a pointwise map), checked against finite differences. The
// grid-space baselines of the comparison (GridFNO trained on data or on
// the finite-difference collocation residual) are built from
// nn.SpectralConv2D (Li et al., ICLR 2021). SpectralPreconditioner scales
// the output gradient by the inverse squared symbol of the problem's
// operator (T. De Ryck, F. Bonnet, S. Mishra and E. de Bézenac, "An
// operator preconditioning perspective on training in physics-informed
// machine learning", ICLR 2024).
//
// Measured on a shared 2-core machine (CPU times are the process's
// user+system time; wall times are inflated by the other jobs), built
// with -tags openblas. Periodic Poisson (load average 15–20, measured
// before the complex-weight option and the coefficient-major layout; the
// default model is the same):
//
//	go test -tags openblas ./nsm -run Long -nsm.long=table-poisson -nsm.steps=400 -v -timeout 0
//
// periodic Poisson, 8 frequencies per axis, width 32, 4 layers, batch 16,
// 400 Adam steps: held-out relative L2 9.6e-3 at output resolution 64, 128
// and 256 alike (the series is exact at any resolution), 2m56s wall, 61 s
// CPU; the FFT solve is exact (3e-16) and 0.3–2 ms per sample against the
// model's 5–19 ms, so on this linear problem the classical solver wins.
// With the spectral preconditioner the error reaches 5e-2 in 50 steps
// instead of 100, but 1.5e-2 after 400 against 9.6e-3 without it.
//
// Reaction–diffusion, ρ = 5, 12 frequencies × 12 Chebyshev coefficients,
// width 32, 4 layers, batch 16, 1024 training inputs, 16 held-out inputs,
// relative L2 at output resolution 64 (the NSM's is the same at 128 and
// 256 to three digits), for each ν of Du et al.:
//
//	go test -tags openblas ./nsm -run Long -nsm.long=table-rd0.01 -nsm.steps=2000 -nsm.fnosteps=300 -nsm.dir=/tmp/nsm_runs -v -timeout 0
//
// (and table-rd0.005, table-rd0.05, table-rd0.1), run one after another
// on the shared machine (load 6–8), default (real) spectral weights:
//
//	ν      NSM, 2000 steps         FNO+residual, 300   FNO+data, 300   ratio at   ETDRK4 at matched accuracy
//	       rel L2   train CPU      rel L2   train CPU  rel L2          NSM time   (points, error, ms/sample 64/128/256)
//	0.005  6.2e-3   154 s          5.0e-2   250 s      2.8e-2          8.2×       16, 1.7e-3, 1.2 / 1.7 / 4.0
//	0.01   3.6e-3   157 s          3.4e-2   234 s      2.2e-2          9.7×       16, 3.5e-4, 0.8 / 1.2 / 3.0
//	0.05   4.3e-3   181 s          2.2e-2   294 s      1.3e-2          6.2×        8, 2.3e-3, 0.8 / 0.7 / 2.0
//	0.1    4.4e-3   198 s          4.5e-2   305 s      1.2e-2          32×         8, 7.9e-4, 0.9 / 1.1 / 2.8
//
// Train wall times were 160–210 s for the NSM and 260–330 s for each FNO.
// "Ratio at NSM time" is FNO+residual's held-out error at the last
// evaluation within the NSM's training time (its own wall clock) over the
// NSM's final error (at ν = 0.1 FNO+residual was still at 1.4e-1 then);
// against FNO+data it is 5.1×, 6.3×, 3.4× and 2.8× for the four ν. The
// NSM's inference per sample (forward pass at batch 16 and the series on
// the n×n grid) was 2.4–4.4 ms at 64, 128 and 256 alike in these runs
// (one outlier, 7.6 ms at 256 for ν = 0.1, under load); the FNO's 43–62,
// 98–156 and 330–545 ms.
//
// So the NSM's error is 6–10× below FNO+residual's at equal training time
// for ν ≤ 0.05 and 32× at ν = 0.1 (the paper reports one to two orders
// of magnitude), and it does not depend on the output resolution. But
// ETDRK4 on a coarse grid (8–16 points, one step per output interval) is
// more accurate than the NSM at every ν and 2–5× faster at resolution 64;
// at 256, where it must take 255 steps, the NSM was 1.7× faster at
// ν = 0.005 and 1.2–2.7× slower at the other ν (timings under load). The
// paper's 10× speed-up over the classical solver at matched accuracy is
// not reproduced. The problem is smooth and one-dimensional, so the
// classical solver needs only 8–16 points and some 10⁵ floating-point
// operations per sample,
// while the model spends about 1.3·10⁷ in its transforms and channel
// maps and evaluates GELU 1.2·10⁵ times (35×18 points × 32 channels ×
// 4 layers, and 64 channels in the projection), which is half its
// inference time.
//
// Complex against real spectral weights, same seed, 600 steps at ν = 0.01
// (-nsm.long=rd0.01 -nsm.steps=600 -nsm.weights=complex|real
// -nsm.seed=0|1): held-out rel L2 2.23e-2 (complex) and 2.14e-2 (real)
// for seed 0, 3.22e-2 and 2.87e-2 for seed 1, at 51–56 s CPU each. After
// 2000 steps (seed 0, -nsm.steps=2000 -nsm.weights=complex) the complex
// weights reach 3.45e-3 in 184 s CPU against the real weights' 3.62e-3 in
// 157 s in the table above: 5% lower error for 17% more time (the complex
// products cost twice the real ones). The translation-equivariant layer
// does not lower the error at equal time here, so the untied real weights
// stay the default.
//
// Inference of the default model at batch 16 (BenchmarkInference: the
// forward pass and the series on the n×n grid, per sample), the code
// before the coefficient-major layout and the matrix-product series
// evaluation against after, alternating three times on a quieter machine
// (load 4–5):
//
//	go test -tags openblas ./nsm -run '^$' -bench Inference -benchtime 30x
//
//	resolution          64          128         256
//	before, CPU ms      3.04–3.10   3.11–3.15   3.74–3.87   (464 allocations)
//	after, CPU ms       2.25–2.38   2.31–2.36   2.35–2.42   (none)
//
// (wall times within 2% of CPU times). What remains is GELU on the
// collocation grid (about half; nn.GELUDeriv, which also computes σ′ for
// training) and the transforms and channel maps (about a third, at the
// BLAS's speed). The model's outputs are unchanged: loading the ν = 0.01
// model above, the code before and after gives the same errors (3.62e-3,
// 3.63e-3, 3.64e-3 at 64, 128, 256; -nsm.long=timing-rd0.01).
package nsm
