// Package precond provides the experiments of operator preconditioning in
// the training loop (issue 9), after De Ryck, Bonnet, Mishra & de Bézenac
// (2023), "An operator preconditioning perspective on training in
// physics-informed machine learning" (arXiv:2310.05801), and Müller &
// Zeinhofer (2023), "Achieving high accuracy with PINNs via energy natural
// gradient descent" (ICML):
//
//   - FourierPoisson: the paper's linear setting, −Δu = f on [−π, π]^d
//     (d = 1, 2) with Dirichlet data imposed by a penalty, for a model
//     linear in Fourier features. Its Gauss–Newton matrix JᵀJ has the
//     symbol |k|⁴, so its condition number grows like K⁴ in the highest
//     wavenumber K, and the symbol-based train.Diagonal with
//     train.LaplacianScales brings it to O(1).
//   - MLP PINNs (package pinn) on poisson-sine and burgers-shock trained
//     by gradient descent and Adam, with and without
//     train.NaturalGradient (Gauss–Newton preconditioning).
//
// The fast tests check the model and the claims at small sizes; the
// tables come from TestLong behind a flag:
//
//	go test ./internal/experiments/precond -run TestLong -long fourier1d -v -timeout 0
//
// with -long fourier1d, fourier2d, pinn-poisson or pinn-burgers (see
// long_test.go for the budgets).
package precond
