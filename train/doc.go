// Package train provides the training loop shared by every model family and
// the optimizer suite: learning-rate schedules, gradient clipping, weight
// decay and parameter groups, a preconditioner hook, held-out evaluation,
// early stopping, recorders (progress, JSON-lines metrics), a NaN/Inf
// guard, and .npz checkpoints from which a run resumes bit for bit.
//
// Run drives any Optimizer over an Objective. The loop evaluates the loss
// and gradient once per step and hands them to the optimizer in a Step;
// line-search and second-order methods re-evaluate through Step.Evaluate
// and find extra abilities of the objective (LeastSquares, HessianVector)
// by type assertion. Each method has a name in one registry (Optimizers,
// LookupOptimizer, NewOptimizer: "adam", "lm", "shampoo", …), which model
// configurations and the CLI use to build it. The methods and the papers
// behind them:
//
//   - SGD with heavy-ball or Nesterov momentum: Sutskever, Martens, Dahl &
//     Hinton (2013), "On the importance of initialization and momentum in
//     deep learning".
//   - Adam and AdaMax: Kingma & Ba (2015), "Adam: A method for stochastic
//     optimization", Algorithms 1 and 2.
//   - AdamW: Loshchilov & Hutter (2019), "Decoupled weight decay
//     regularization".
//   - AMSGrad: Reddi, Kale & Kumar (2018), "On the convergence of Adam and
//     beyond".
//   - LBFGS: Liu & Nocedal (1989), "On the limited memory BFGS method for
//     large scale optimization", with the strong-Wolfe line search of
//     Nocedal & Wright (2006), Numerical Optimization, Algorithms 3.5/3.6.
//   - GaussNewton and LevenbergMarquardt for LeastSquares objectives:
//     Levenberg (1944), Marquardt (1963), Moré (1978), with the damping
//     update of Nielsen (1999); Cholesky or matrix-free conjugate gradients
//     (Hestenes & Stiefel 1952) on the damped normal equations.
//   - Shampoo: Gupta, Koren & Singer (2018), "Shampoo: Preconditioned
//     stochastic tensor optimization", with the stale inverse roots of
//     Anil et al. (2020) and the grafting of Agarwal et al. (2020).
//   - Muon: Jordan et al. (2024), "Muon: An optimizer for hidden layers in
//     neural networks", with the Polar Express coefficients of Amsel,
//     Persson, Musco & Gower (2025) as an option.
//   - Polyak: Polyak (1969) step size, with f* known or estimated by the
//     level rule of Goffin & Kiwiel (1999) and Nedić & Bertsekas (2001).
//   - Newton with lazy Hessians: Doikov, Chayti & Jaggi (2023),
//     "Second-order optimization with lazy Hessians", with the cubic
//     regularisation of Nesterov & Polyak (2006) or the gradient
//     regularisation of Mishchenko (2023).
//
// Preconditioners for Config.Preconditioner, each usable with every
// optimizer that takes a preconditioned gradient (De Ryck, Bonnet, Mishra
// & de Bézenac (2023), "An operator preconditioning perspective on
// training in physics-informed machine learning": gradient descent on a
// residual loss is governed by the conditioning of JᵀJ, and
// preconditioning it is what fixes training):
//
//   - Diagonal: fixed per-entry scales; with LaplacianScales, the
//     symbol-based (spectral) preconditioner (1 + |k|²)^−2 of a model in a
//     Fourier basis.
//   - NaturalGradient: Gauss–Newton preconditioning, (JᵀJ + λI) p = g by
//     matrix-free conjugate gradients with a trust-ratio-adapted λ; the
//     energy natural gradient of Müller & Zeinhofer (2023), "Achieving
//     high accuracy with PINNs via energy natural gradient descent".
//   - Jacobi (diag JᵀJ) and Hutchinson (the Hessian diagonal from
//     Rademacher probes: Hutchinson (1990); Bekas, Kokiopoulou & Saad
//     (2007); Yao et al. (2021), "AdaHessian"): the cheap diagonal options.
//
// NewPreconditioner builds the general ones by name (none, gn, jacobi,
// hutchinson) for command lines and config files.
//
// Diagnostics: Lanczos (Lanczos 1950) with full reorthogonalisation,
// EstimateSpectrum (extreme eigenvalues and condition number of JᵀJ, the
// neural tangent kernel on the training points, with or without a
// preconditioner) and SpectrumRecorder, which logs them during training.
//
// Schedules: Constant, StepDecay, Exponential, Cosine (Loshchilov & Hutter
// (2017), "SGDR"), Warmup (Goyal et al. (2017)) composing with any of them,
// and Plateau. Gradient clipping is by global norm (Pascanu, Mikolov &
// Bengio (2013)).
package train
