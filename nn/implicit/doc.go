// Package implicit provides the implicit (equilibrium) layer of deep
// equilibrium models: its output is the fixed point z* of z = f_θ(z, x),
// found by a nonlinear solver, and its backward pass uses the implicit
// function theorem, so the memory of a training step does not grow with
// the number of solver iterations (Bai, Kolter and Koltun 2019).
//
// A model supplies f through Function: f itself, its Jacobian–vector and
// vector–Jacobian products in z, and the vector–Jacobian product in θ
// (and in the layer's input). The forward solvers are
//
//   - NewtonKrylov (the default): Jacobian-free Newton–Krylov on
//     g(z) = f(z) − z with GMRES inner solves, Eisenstat–Walker forcing
//     and a backtracking line search (operators/nonlinear; Knoll and Keyes
//     2004), using the exact JVP of f.
//   - Broyden: Broyden's good method on g in inverse form with limited
//     memory (the last Memory rank-one updates, as in Bai et al.'s DEQ
//     code; Broyden 1965, Kelley 1995 §7.3).
//   - Anderson: Anderson acceleration of z ← f(z) with window Memory and
//     damping β (Walker and Ni 2011, the type-II "difference" form).
//   - FixedPoint: the damped Picard iteration z ← (1−β)z + βf(z).
//   - Homotopy: continuation of H(z, λ) = (1−λ)(z − z₀) + λ(z − f(z))
//     from λ = 0 (z = z₀) to λ = 1 (z = z*) with Euler-tangent predictor
//     and Newton–Krylov corrector steps (Allgower and Georg 2003, ch. 2;
//     the use in neural solvers follows HomoODE), from a shared starting
//     point z₀ that is a parameter of the layer. The issue's
//     H = (1−λ)(z − z₀) + λg(z) with g = f − z has the same end points, but
//     its Jacobian (1−2λ)I + λ∂f/∂z is singular near λ = ½ for any
//     contractive f; with −g (the fixed-point homotopy of Chow,
//     Mallet-Paret and Yorke 1978) it is I − λ∂f/∂z, invertible on the
//     whole path whenever ‖∂f/∂z‖ < 1, so that is the homotopy used here.
//
// The backward pass (Exact, the default) solves
// (I − ∂f/∂z)ᵀ w = ∂L/∂z* at z* with GMRES (operators/sparse) from VJPs and
// then accumulates (∂f/∂θ)ᵀ w through the model's callback (Bai et al.
// 2019, Theorem 1). Phantom replaces the solve by the truncated, damped
// Neumann series w ≈ τ Σ_{k<K} (τJᵀ + (1−τ)I)ᵏ u, the "phantom gradient" of
// Geng et al. (2021); with K = 1 and τ = 1 it is the Jacobian-free backward
// w = u of Fung et al. (2022). Phantom gradients are APPROXIMATE: they are
// not the gradient of the loss and are labelled so in every report.
//
// Every solve is reported per sample (iterations, function evaluations,
// residual ‖f(z) − z‖₂, converged or not) in Report; a solve that does not
// reach the tolerance is an error unless Settings.OnFailure is Flag, in
// which case it is used, counted and flagged in the Report. Warm starts
// keep each sample's last equilibrium, keyed by its index in the dataset.
// ReportRecorder writes the latest Report at each step of train.Run.
//
// Measured (shared 2-core machine under load ≈ 20, so CPU time is given):
// to ‖f(z) − z‖₂ ≤ 1e-8 from z = 0, per sample (SolverTable prints
// batches of 4),
//
//	layer                          solver         iterations  f/JVP evals  CPU
//	tanh(Wz + Ux + b), 400         newton-krylov       5.0        35.8     8.9 ms
//	unknowns, ‖W‖₂ = 0.95          broyden            19.2        20.2     3.3 ms
//	(go test -v -run SolverTable)  anderson           20.2        21.2     3.5 ms
//	                               fixed-point        31.5        32.5     4.3 ms
//	                               homotopy           33.0       211.2    50 ms
//	implicit FNO block (3 epochs   newton-krylov       5.0        36.5   413 ms
//	on Darcy 47²), 86,528 unknowns broyden            19.5        20.5   340 ms
//	(fno BenchmarkImplicitSolvers) anderson           19.8        20.8   241 ms
//	                               fixed-point        36.5        37.5   359 ms
//	                               homotopy           33.0       198.0  1663 ms
//
// and a training step allocates the same 480 B (10 allocations) after 10
// or 100 forward iterations (TestMemoryIndependentOfIterations).
//
// References:
//
//   - S. Bai, J. Z. Kolter and V. Koltun, Deep equilibrium models, NeurIPS
//     2019.
//   - S. Bai, V. Koltun and J. Z. Kolter, Stabilizing equilibrium models by
//     Jacobian regularization, ICML 2021.
//   - Z. Geng, X.-Y. Zhang, S. Bai, Y. Wang and Z. Lin, On training implicit
//     models, NeurIPS 2021 (phantom gradients).
//   - S. W. Fung, H. Heaton, Q. Li, D. McKenzie, S. Osher and W. Yin, JFB:
//     Jacobian-free backpropagation for implicit networks, AAAI 2022.
//   - H. F. Walker and P. Ni, Anderson acceleration for fixed-point
//     iterations, SIAM J. Numer. Anal. 49 (2011) 1715–1735.
//   - C. G. Broyden, A class of methods for solving nonlinear simultaneous
//     equations, Math. Comp. 19 (1965) 577–593; C. T. Kelley, Iterative
//     Methods for Linear and Nonlinear Equations, SIAM, 1995.
//   - D. A. Knoll and D. E. Keyes, Jacobian-free Newton–Krylov methods,
//     J. Comput. Phys. 193 (2004) 357–397.
//   - E. L. Allgower and K. Georg, Introduction to Numerical Continuation
//     Methods, SIAM, 2003; S.-N. Chow, J. Mallet-Paret and J. A. Yorke,
//     Finding zeroes of maps: homotopy methods that are constructive with
//     probability one, Math. Comp. 32 (1978) 887–899.
package implicit
