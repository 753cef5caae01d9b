// Package fno provides Fourier neural operators: FNO-1D and FNO-2D (Li,
// Kovachki, Azizzadenesheli, Liu, Bhattacharya, Stuart and Anandkumar,
// "Fourier Neural Operator for Parametric Partial Differential Equations",
// ICLR 2021; Kovachki et al., "Neural Operator: Learning Maps Between
// Function Spaces", JMLR 24, 2023) and a recurrent FNO-2D for
// time-dependent data, and an implicit FNO: one weight-tied Fourier block
// z = GELU(Kz + Wz + Uv + b) solved to equilibrium by nn/implicit (Bai,
// Kolter & Koltun, "Deep Equilibrium Models", NeurIPS 2019), trained with
// TrainImplicit and the implicit-function-theorem backward. The neural
// spectral method (Du et al. 2024) is package nsm; it shares the spectral
// layers through nn.SpectralConv1D/2D.
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
// autoregressive rollout. Off its training grid, a model pads by the same
// fraction of the domain (Trained.TrainGrid).
//
// Teacher forcing trains on true inputs only, while the rollout feeds the
// model its own predictions, whose errors training never showed it
// (distribution shift). Config.Pushforward = u trains with the pushforward
// trick instead (Brandstetter, Worrall & Welling, "Message Passing Neural
// PDE Solvers", ICLR 2022, §2.3): every optimizer step draws r uniformly
// from 0 … min(u, completed epochs), as the paper's code does (the first
// epoch is teacher forcing, the depth grows by one per epoch), rolls the
// model r steps forward only (no backward pass, no gradient workspace)
// from the true snapshots t−k−r … t−r−1 of each window of the batch, and
// takes the step on the window whose last min(r, k) inputs are those
// predictions, against the true snapshot t. The gradient flows through
// the last application only: the unrolled steps are constants (a
// stop-gradient). Predictions are decoded to data units and encoded again
// as inputs, exactly as in the rollout. The windows are teacher forcing's:
// one with fewer than r snapshots before its inputs (t − k < r) rolls
// t − k steps from the start of its series, so the first window of a
// series always reads true snapshots, as the rollout's first step does,
// and k + u must be less than the series' T (TestPushforwardWindows). The
// rolled inputs are recomputed with the current weights at every step, for
// the windows of its batch: per step rather than per epoch, because the
// cost is the same (r forward passes each time a window is trained on) and
// inputs made once an epoch would lag the weights by up to an epoch. They
// are then held for the rest of the step, so the loss the optimizer sees
// is a fixed function of the weights within a step and Loss returns its
// exact gradient (TestPushforwardGradient). The draw of r depends only on
// the seed and the step count, so a run is reproducible; u = 0 is the
// teacher-forced training, loss for loss (TestPushforwardTrain). Any
// mini-batch optimizer of the suite works, and Init fine-tunes with the
// ramp starting over; the full-batch optimizers (lbfgs, lazy-newton, …) are
// refused, since they need the same loss at every step and pushforward
// changes it by design.
//
// Multi-resolution training, which the weights' independence of the grid
// allows (Li et al. §5.4; neuraloperator's incremental training also
// raises the resolution as it goes): Config.Init names a directory written
// by Train, and Train starts from its weights instead of a random model,
// on the given data at their own resolution — many cheap epochs on a
// coarse grid, then a few on the fine one. The architecture fields are the checkpoint's (left zero;
// set ones must match, or Train names each that differs), the padding is
// scaled to the new grid as Evaluate scales it, and the optimizer and
// schedule start afresh. The normalisers are the checkpoint's, not refitted:
// the weights were fitted to that encoding, and per-channel statistics of
// the same fields hardly change with the grid, so the run starts exactly
// at the checkpoint's error on the new grid (TestInit). Recurrent models
// start from recurrent checkpoints the same way. The CLI's flag is
// `neuralpde train --model fno --init DIR`, BenchmarkTrain's FNO_INIT.
//
// Held-out losses during training (train.Config.Eval), the errors Train
// reports, Evaluate and the rollout run the network forward only: no
// backward pass and no gradient workspace (the blocks alternate between
// two arrays and GELU′ is not computed), the same loss to rounding (TestHeldOut).
// On 100 samples in batches of 20 (go test ./fno -run '^$' -bench 'Eval$'
// -benchtime 5x, three runs at load 5–7 on the 2-core machine), the
// evaluation takes 0.60–0.65× the CPU time of the training objective's
// loss with its gradient for the FNO-1D at 256 points (width 64) and
// 0.63–0.85× for Darcy at 43² padded by 5 (width 32), in 0.32× of the
// workspace (16 MB against 50 MB; 82 MB against 261 MB). The GELU's
// exponentials are about half of a forward pass's CPU time, which is why
// dropping the backward pass saves less than two thirds. The implicit
// FNO's held-out loss likewise skips its backward solve.
//
// The layers' products go through nn.Gemm (an AVX2 kernel in the default
// amd64 build) and the spectral convolutions are truncated DFT products,
// so the default build needs no FFT or system library. Measured on the
// shared 2-core machine at a load average of 10–20 (CPU time = user +
// system; figures from these commands):
//
//   - Epoch time against PyTorch 1.13 float32 (scripts/reference/fno_epoch.py
//     --samples 200 --go --openblas, two runs at load 10–20 and 5): FNO-1D
//     (width 64, 16 modes, 256 points) 0.64–0.70× PyTorch's CPU time in
//     the default build, 0.66–0.74× with -tags openblas; FNO-2D (width 32,
//     12 modes, 47² padded by 5) 0.72–0.89× and 0.76–1.17×. Against
//     PyTorch float64 (Go computes in float64): 0.27× and 0.16× (default
//     build, --samples 100).
//
//   - darcy (neuralpde generate --preset darcy --n 1100 --res 421
//     --subsample 85 --seed 6, 379 CPU s): trained on the first 1,000
//     samples at 43² (every other point) with testdata/darcy-100epochs.yaml
//     (Adam 1e-3 halved every 20 of 100 epochs), 2,660 CPU s: test
//     relative L2 1.47e-2 on the last 100 at 43², zero-shot 2.91e-2 at 85²;
//     then fine-tuned at 85² from that checkpoint (FNO_INIT, 6 epochs,
//     rate 2.5e-4 halved every 2, 614 CPU s): 1.46e-2 at 85² (train
//     1.20e-2). Li et al.: 1.08e-2 at 85² after 500 epochs on 85², about
//     15× this run's CPU. In fno/:
//
//     FNO_CONFIG=testdata/darcy-100epochs.yaml FNO_DATA=darcy_85.npz FNO_SUBSAMPLE=2 \
//     FNO_ZEROSHOT=1 FNO_OUT=d43 go test -run '^$' -bench Train -benchtime 1x -timeout 0
//     FNO_CONFIG=testdata/darcy-100epochs.yaml FNO_DATA=darcy_85.npz FNO_INIT=d43 \
//     FNO_EPOCHS=6 FNO_DECAY=2 FNO_LR=2.5e-4 FNO_OUT=d85 go test -run '^$' -bench Train -benchtime 1x -timeout 0
//
//     (30 epochs at 43², testdata/darcy-30epochs.yaml, gave 1.96e-2 and
//     3.15e-2 zero-shot.)
//
//   - navier-stokes ν = 1e-3 (neuralpde generate --preset navier-stokes
//     --n 600 --res 64 --steps-saved 20 --seed 7: 2,460 CPU s, 70 min
//     wall on the shared machine): recurrent FNO-2D, width 20, 12 modes,
//     10 snapshots in, testdata/navier-stokes-500.yaml, 500 training
//     series (5,000 one-step windows), 16 epochs (Adam 1e-3 halved every
//     4), 4,069 CPU s, 66 min wall: rollout relative L2 9.0e-3 over
//     t = 11…20 on the 100 held-out series. In fno/:
//
//     FNO_CONFIG=testdata/navier-stokes-500.yaml FNO_DATA=ns600.npz go test -run '^$' -bench Train -benchtime 1x -timeout 0
//
//     (25 series for 20 epochs, testdata/navier-stokes.yaml, 261 CPU s,
//     gave 7.0e-2 on 5 held-out series, where repeating the last input snapshot
//     gives 0.40.)
//
//   - pushforward against teacher forcing, navier-stokes ν = 1e-3 (neuralpde
//     generate --preset navier-stokes --n 60 --res 64 --steps-saved 20
//     --seed 7, the first 60 series of the data above: a sample depends on
//     the seed and its index only), trained at 32² (FNO_SUBSAMPLE=2) on
//     the first 50 series (500 one-step windows), width 20, 12 modes, 10
//     snapshots in, Adam 1e-3 halved every 3 of 12 epochs
//     (testdata/navier-stokes-pf0.yaml, -pf1, -pf2 for u = 0, 1, 2).
//     Rollout relative L2 over t = 11…20 on the last 10 series, and the
//     CPU time of the whole run (load 2.7, nice 10):
//
//     seed                         1                  2
//     teacher forcing, 12 epochs   5.27e-2 (66 s)     5.08e-2 (68 s)
//     pushforward u = 1            5.33e-2 (79 s)     5.05e-2 (80 s)
//     pushforward u = 2            5.39e-2 (89 s)     5.05e-2 (95 s)
//     teacher forcing, 16 epochs   3.69e-2 (87 s)     (halved every 4: the CPU of u = 2)
//
//     The forward-only rollouts cost 1.2× (u = 1) and 1.35–1.4× (u = 2)
//     the CPU per epoch of teacher forcing (5.5–5.7 s; 6.6–6.7 s and
//     7.4–7.9 s with the ramp; the draws average u/2 extra forward passes
//     per window once the ramp is done). Pushforward does not help at this
//     scale: at equal epochs the rollout errors are within 2.5% of teacher
//     forcing's either way, and at equal CPU teacher forcing's extra
//     epochs give 30% less error. The per-snapshot error grows about
//     linearly, 0.028 → 0.071 from t = 11 to 20 for teacher forcing and
//     0.032 → 0.072 and 0.032 → 0.073 with u = 1 and 2 (seed 1): the
//     model is still learning the one-step map, and its errors add up
//     rather than compound (compounding is what the trick targets). Four more
//     epochs from the 16-epoch model (FNO_INIT, rate 2.5e-4 halved every
//     2) gave 3.91e-2 with teacher forcing (25 CPU s) and 3.89e-2 with u = 2
//     (34 s). In fno/, for u = 1:
//
//     FNO_CONFIG=testdata/navier-stokes-pf1.yaml FNO_DATA=ns60.npz FNO_SUBSAMPLE=2 go test -run '^$' -bench Train -benchtime 1x -timeout 0
//
//     (FNO_EPOCHS=16 FNO_DECAY=4 with -pf0 for the equal-CPU run; "seed": 2
//     in the files for the second seed.)
package fno
