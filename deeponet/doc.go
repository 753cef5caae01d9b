// Package deeponet provides DeepONet operator learning: networks that learn
// an operator G from input functions u, sampled at m fixed sensors (the
// branch network), and query coordinates y (the trunk network), combined as
// G(u)(y) = Σ_k b_k(u) t_k(y) + b₀ (Lu, Jin, Pang, Zhang & Karniadakis
// 2021, "Learning nonlinear operators via DeepONet based on the universal
// approximation theorem of operators", Nat. Mach. Intell. 3, 218–229).
//
// Model is the unstacked DeepONet with a bias, or the stacked variant with
// one branch network per basis function, with p basis functions per output
// component and several components (branch and trunk outputs split per
// component, Lu et al. 2022, "A comprehensive and fair comparison of two
// neural operators (with practical extensions) based on FAIR data", Comput.
// Methods Appl. Mech. Eng. 393, §3.1). Inputs are normalised per sensor and
// outputs per component; Predict answers G(u)(y) at any y.
//
// Data is the data-driven objective in both layouts: aligned, where every
// function is known on the same output grid and a step evaluates the trunk
// once on the grid and forms G = B·Tᵀ by one matrix product (the Cartesian
// product formulation of Lu et al. 2022, §3.1.2), and unaligned, where a
// sample is a triple (u, y, G(u)(y)) and each function in a batch goes
// through the branch once. Losses are the mean-square error and the mean
// relative L2 error.
//
// Physics is the physics-informed DeepONet of Wang, Wang & Perdikaris
// (2021), "Learning the solution operator of parametric partial
// differential equations with physics-informed DeepONets", Sci. Adv. 7,
// eabi8605: the loss is the mean square of the PDE residual of G(u) at
// collocation points, with no solution data. The residual is the
// catalogue's own pde.Equation.Residual, evaluated on a reverse-mode
// Algebra over the batch, and the derivatives of G in y = (x, t) come from
// forward Taylor-mode jets through the trunk (Griewank & Walther,
// Evaluating Derivatives, 2nd ed., SIAM 2008, ch. 13), as nn's jets do.
// Zero initial and boundary data are imposed exactly by G = φ(y)·N(u)(y)
// (Lagaris, Likas & Fotiadis 1998; Lu et al. 2021, SIAM J. Sci. Comput. 43,
// B1105).
//
// Config.Implicit makes the branch an implicit (deep equilibrium) network
// (Bai, Kolter & Koltun 2019, "Deep equilibrium models", NeurIPS): the
// normalised sensor values are injected into one weight-tied tanh layer
// whose equilibrium z* = tanh(z*W + uA + c) is found by nn/implicit's
// solvers (Newton–Krylov, Broyden, Anderson, fixed-point or homotopy) and
// mapped linearly to the p basis coefficients. Its gradient comes from the
// implicit function theorem (an adjoint GMRES solve, or the approximate
// phantom gradient of Geng et al. 2021), so training memory does not
// depend on the number of solver iterations. A branch solve that misses its
// tolerance stops training with an error unless on_failure is flag. On an
// antiderivative set of 150 functions (120 trained, 30 held out), 2000
// Adam steps with tanh: implicit branch of width 40 (9001 parameters)
// validation MSE 9.0e-4, relative L2 0.104, in 32 s; explicit branch
// [100, 40, 40] (7401 parameters) 1.2e-3 and 0.117 in 3.9 s, back to back
// (BenchmarkImplicitBranch).
//
// The forward and reverse passes run in plain Go over the nn.MLP
// parameters' values with BLAS products, not through a gorgonia graph: at
// DeepONet sizes (widths 40–100) the graph's per-op overhead dominated.
// Workspaces are kept across steps, so a training step allocates nothing
// but BLAS's own scratch. Training goes through train.Run (Adam or L-BFGS,
// schedules, checkpoints, JSON-lines metrics): Train, Load and Evaluate are
// what `neuralpde train --model deeponet` and `neuralpde eval` call.
//
// The datasets: the antiderivative and diffusion-reaction operator presets
// (pde.LookupOperator) with inputs from data.RBF and outputs from
// classical.AntiderivativeSolver and classical.DiffReactSolver, and the
// burgers-periodic operator of package pde. Measured with the configs in
// testdata (datasets from data.Generate; wall times on a shared 2-core
// machine under load 15–30, so CPU seconds are given too):
//
//   - antiderivative, 150 functions × 100 points aligned, 1000 test
//     functions, branch [100, 40, 40], trunk [1, 40, 40], relu, Adam 10⁴
//     steps + L-BFGS 10⁴: test MSE 4.5e-6 (34.6 s CPU); built with
//     -tags openblas 5.0e-6 (17.4 s CPU, 74 s wall). One aligned Adam step
//     costs the same CPU as PyTorch's step of the same net (1.46 vs
//     1.44 ms; 0.49 ms with OpenBLAS): BenchmarkAntiderivativeStep and
//     scripts/reference/deeponet_antiderivative.py.
//   - burgers-periodic (ν = 0.1, 1000 train / 200 held out at 256 points),
//     branch [256, 128, 128, 128], trunk [1, 128, 128, 128], rel-L2 loss:
//     held-out relative L2 3.4e-2 (178 s CPU).
//   - diffusion-reaction, physics-informed, no solution data, 1000 source
//     functions, 50 collocation points each, branch [100, 50, 50, 50],
//     trunk [2, 50, 50, 50]: relative L2 3.6e-2 on 100
//     test functions against classical.DiffReactSolver (252 s CPU).
package deeponet
