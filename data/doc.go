// Package data provides the dataset type and its .npz on-disk format, input
// samplers (Gaussian random fields, random Fourier series), normalisers,
// splits, resolution subsampling and batching, and the parallel, shardable
// generation driver.
//
// Files are numpy .npz archives (WriteNPZ, ReadNPZ) that numpy.load opens
// as they are; metadata is JSON stored as a uint8 array under "meta".
// Writing is atomic and deterministic, so a rerun or a merge of shards
// reproduces a file byte for byte.
//
// The operator-learning datasets follow Li et al., "Fourier Neural Operator
// for Parametric Partial Differential Equations", ICLR 2021: inputs drawn
// from the Gaussian random field N(0, σ²(−Δ + τ²I)^−α), outputs from a
// classical solver at a fine resolution, stored subsampled (u[::r]). The
// random fields are sampled by their truncated Karhunen–Loève expansion in
// the Laplacian's eigenfunctions, evaluated by FFT (Lord, Powell & Shardlow,
// "An Introduction to Computational Stochastic PDEs", Cambridge 2014,
// ch. 6–7).
package data
