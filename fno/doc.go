// Package fno provides Fourier neural operators: FNO-1D and FNO-2D (Li,
// Kovachki, Azizzadenesheli, Liu, Bhattacharya, Stuart and Anandkumar,
// "Fourier Neural Operator for Parametric Partial Differential Equations",
// ICLR 2021; Kovachki et al., "Neural Operator: Learning Maps Between
// Function Spaces", JMLR 24, 2023) and a recurrent FNO-2D for
// time-dependent data. The neural spectral method (Du et al. 2024) will
// live here too: both are spectral neural operators.
//
// A Model appends the grid coordinates to its input channels, lifts them
// pointwise to Width channels, zero-pads non-periodic problems, applies
// Layers Fourier blocks (nn.SpectralConv1D/2D plus a pointwise linear skip,
// GELU), crops and projects pointwise. Its forward and backward passes are
// written out here (pointwise maps are BLAS products, so -tags openblas
// speeds them up); the spectral convolutions' adjoints are nn's. Inputs
// and outputs are normalised by unit-Gaussian normalisers with one mean and
// deviation per channel, fitted on the training samples and saved with
// the model, so a model runs on any grid: evaluated at another resolution
// without retraining it performs zero-shot super-resolution (Li et al.
// §5.4; Evaluate's res argument, TestAnyGrid).
//
// Losses: the mean relative L2 error (Li et al.) and a relative H1 error
// with finite-difference gradients. Train, Load and Evaluate mirror package
// deeponet's: Train writes checkpoint.npz (package train's format),
// model.json and metrics.jsonl to a directory. Data whose outputs have a
// time axis after the sample axis train the recurrent FNO-2D on one-step
// windows of History snapshots (teacher forcing) and are evaluated by
// autoregressive rollout.
package fno
