// Package nn provides neural building blocks on gorgonia: named parameters
// whose values are the backing arrays of their graph tensors, seeded
// initialisers, dense layers, multilayer perceptrons with an optional
// Fourier-feature input embedding, activations with derivatives up to
// fifth order, forward Taylor-mode derivative jets, an Algebra on graph
// nodes matching pde.Algebra, compiled graphs reused across steps, and
// objectives (regression, a Poisson PINN, and any residual built on jets)
// with per-sample residual Jacobians for Gauss–Newton methods.
//
// Derivatives of a network's output with respect to its inputs (u_x, u_xx,
// u_xy, u_xxx, u_xxxx) are propagated forward through the layers in Taylor
// mode, Faà di Bruno's formula at each activation, from first-order graph
// operations only, and then one reverse pass differentiates the loss with
// respect to the weights (Griewank and Walther, Evaluating Derivatives,
// 2nd ed., SIAM 2008, ch. 13). Gorgonia's Grad applied to gradient nodes
// silently returns wrong second derivatives, so it is never nested here.
// The residual losses are those of physics-informed neural networks
// (Raissi, Perdikaris and Karniadakis, J. Comput. Phys. 378, 2019).
//
// The Fourier-feature embedding γ(x) = [sin 2πxB, cos 2πxB] with fixed
// Gaussian B is that of Tancik et al., "Fourier features let networks learn
// high frequency functions in low dimensional domains", NeurIPS 2020.
// Initialisers follow Glorot and Bengio (AISTATS 2010) and He et al.
// (ICCV 2015). Activations: tanh, sin, GELU (Hendrycks and Gimpel,
// arXiv:1606.08415; the exact erf form), softplus, and SiLU (Elfwing,
// Uchibe and Doya, Neural Networks 107, 2018; Ramachandran, Zoph and Le,
// arXiv:1710.05941, as Swish).
//
// The residual Jacobian uses that samples do not interact inside an MLP:
// one reverse pass of Σᵢ rᵢ to every layer's pre-activations (and their jet
// tangents) gives each sample's own sensitivities, and each weight block of
// J is a batch of outer products with the layer's inputs.
//
// How the pieces fit: a Graph is built once per batch shape; Graph.Param
// binds a Param (its tensor's backing array is Param.Value), Graph.Input
// gives a bound input to copy batches into, MLP.Jet builds u and its
// requested input derivatives, Algebra (or gorgonia directly) combines
// them into a residual, Graph.Read exposes any node's value, and
// Graph.Compile makes a Program whose Run fills every Param.Grad.
// ResidualObjective packages this for training: blocks of samples, a
// ResidualFunc building each block's residual, padded batch shapes cached,
// and the Objective/LeastSquares methods of package train. NewRegression
// and NewPoisson are ready instances.
//
// For speed, the Taylor-mode formulas and their adjoints are fused
// elementwise polynomial ops, dense layers are one BLAS op with the bias,
// and ops borrow their output arrays from a pool that is refilled at the
// end of every run: a Laplacian training step of a 2→64×3→1 MLP at batch
// 4096 allocates under 1 MB (BenchmarkLaplacianStep;
// scripts/reference/nn_laplacian_step.py runs the same step in PyTorch back
// to back). Building with -tags openblas (cgo, libopenblas-dev) sends the
// BLAS products to OpenBLAS, which cuts that step's CPU time about 2.5×.
//
// SpectralConv1D and SpectralConv2D are the spectral convolutions of
// Fourier neural operators (Li et al., "Fourier Neural Operator for
// Parametric Partial Differential Equations", ICLR 2021): the kept
// lowest modes only, computed as truncated-DFT matrix products (cheaper
// than full FFTs when the modes are few), times complex weights kept as
// two real Params (one product per mode over the whole batch), and the
// truncated inverse DFT, with hand-derived adjoints (the transposed
// products) that reuse the forward pass's input spectrum. They run outside
// gorgonia graphs, with explicit Forward and Backward, because complex
// values do not pass through gorgonia's ops.
//
// Gemm is the dense product under those layers and the FNO's pointwise
// layers: in the default amd64 build a 4×8 AVX2/FMA kernel in Go assembly
// (used when CPUID reports AVX2 and FMA; 4–5× gonum's pure-Go GFLOP/s on
// these shapes), elsewhere and under -tags openblas (Go assembly cannot
// live in a cgo package) gonum's blas64. GELUDeriv evaluates GELU and its
// derivative with Cody's erf sharing one exp (half the CPU of math.Erf and
// math.Exp, equal to them within 1e-15).
//
// Graph construction is not goroutine-safe; build graphs one at a time and
// run each compiled program on one goroutine at a time.
package nn
