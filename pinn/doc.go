// Package pinn provides physics-informed neural networks (Raissi,
// Perdikaris and Karniadakis, "Physics-informed neural networks: a deep
// learning framework for solving forward and inverse problems involving
// nonlinear partial differential equations", J. Comput. Phys. 378, 2019):
// a network u(x, t) or u(x, y) trained so that a catalogue equation's
// residual, its initial and boundary conditions and any observations
// vanish at sampled points.
//
// The PDE residual is the equation's own pde.Equation.Residual, evaluated
// through nn.Algebra on the network's forward Taylor-mode derivative jets
// (package nn); pinn holds no second copy of any equation. Problems come
// from the presets (FromPreset, FromSteadyPreset, LookupProblem) or are
// written as a Problem.
//
// The pieces:
//   - Loss terms (Term): residual, initial, Dirichlet, Neumann, periodic
//     (values and slopes at paired end points) and observed data, each
//     with a weight, and per-point weights. Weights are fixed, or balanced
//     by gradient norms during Adam (Wang, Teng and Perdikaris,
//     "Understanding and mitigating gradient flow pathologies in
//     physics-informed neural networks", SIAM J. Sci. Comput. 43, 2021),
//     and the residual of an evolution problem can be weighted causally in
//     time (Wang, Sankaran and Perdikaris, "Respecting causality is all you
//     need for training physics-informed neural networks", arXiv:2203.07404,
//     2022; CMAME 421, 2024).
//   - Hard constraints by output transforms u = G + D·N (Lagaris, Likas
//     and Fotiadis, IEEE Trans. Neural Netw. 9, 1998; Sukumar and
//     Srivastava, CMAME 389, 2022): AutoConstraint picks one for intervals
//     in time and rectangles, and Constraint takes any user transform.
//   - Geometry: Interval, Polygon (Rectangle, LShape), SpaceTime
//     cylinders; samplers Uniform, LatinHypercube (McKay, Beckman and
//     Conover, Technometrics 21, 1979), Sobol (Joe and Kuo's direction
//     numbers, SIAM J. Sci. Comput. 30, 2008) and Halton; residual-based
//     adaptive refinement (Lu, Meng, Mao and Karniadakis, "DeepXDE", SIAM
//     Rev. 63, 2021).
//   - Inverse problems: equation parameters as trainable nn.Params
//     (Unknown). The catalogue equations are affine in their parameters,
//     so the residual with unknowns is a combination of the equation's own
//     residuals at shifted parameters. The same affinity gives the
//     coefficients' Jacobian columns exactly, r(θ + eᵢ) − r(θ), so
//     Levenberg–Marquardt and Gauss–Newton identify them too.
//   - Training through package train: Adam then L-BFGS (the classic
//     set-up), or Levenberg–Marquardt (Levenberg 1944; Marquardt 1963) /
//     Gauss–Newton on the residual vector with the per-sample Jacobian of
//     package nn, switched by the stages of a Config; a stage may start on
//     a fresh, larger collocation set (StageConfig.Collocation), so that
//     the costly second-order steps begin on a coarse set and finish on a
//     fine one. Train writes a checkpoint, a metrics log with the
//     relative L2 error on the preset's standard grid, and the prediction;
//     Evaluate reloads a checkpoint and writes x, t, u (time first) like
//     `neuralpde solve`.
//
// The poisson-lshape reference is the finite-difference solve
// classical.SolvePoissonLShape.
//
// Training is full-batch, and a network has at most three inputs.
//
// Measured on burgers-shock (2 shared cores, the OpenBLAS build; CPU time
// is user + system of the one process, as the machine's load inflates
// wall time several-fold):
//
//	go test -tags openblas ./pinn -run TestLong -long burgers-best -long.dir DIR -timeout 0 -v
//
// The default recipe (testdata/burgers-shock-best.yaml) reached a
// relative L2 error of 8.6e-5 after 500 Adam, 200 + 75 Levenberg–Marquardt
// steps in 168 s of CPU time (13 min wall on a machine at load 20);
// burgers-best-seed1 (other initial weights) 6.4e-5 after 250 LM steps in
// 128 s. The same run built without OpenBLAS (plain go test, as the CLI
// is built by default) followed the same path to 8.6e-5 in 689 s of CPU
// time, 4.1× as much: JᵀJ and the Cholesky factorisations dominate.
// The classic set-up (testdata/burgers-shock-classic.yaml, runs
// burgers-classic, then burgers-classic-lbfgs and burgers-classic-lbfgs-2,
// each warm-started from the last checkpoint with a fresh L-BFGS memory)
// was at 3.2e-2 after 855 Adam and 1,399 L-BFGS iterations, 2.0e-3 after
// 5,000 and reached 9.9e-4 after 8,699 L-BFGS iterations (PyTorch's
// reference run was at 6.5e-3 after 5,250); the last 7,300 iterations
// took 1,142 s of CPU time, 0.16 s per iteration, about 1.4 times the
// 0.11 s of one loss evaluation (checkpoints every 25 iterations
// included), so the line search seldom needs a second evaluation.
//
// The inverse problem (burgers-inverse-lm: 2,000 observations, MLP
// 2→20×4→1, 500 Adam then 500 Levenberg–Marquardt steps) identified
// λ₁ = 0.999996 and λ₂ = 0.00318279 against 1 and 0.01/π = 0.00318310
// (errors 4e-6 and 1e-4 relative), with the solution at 1.8e-4, in 198 s
// of CPU time.
package pinn
