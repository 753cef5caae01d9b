// Package data provides the dataset type and its .npz on-disk format, input
// samplers (Gaussian random fields, random Fourier series, thresholded
// fields), normalisers, splits, resolution subsampling and batching, and
// the parallel, shardable, resumable generation driver.
//
// Files are numpy .npz archives (WriteNPZ, ReadNPZ) that numpy.load opens
// as they are; metadata is JSON stored as a uint8 array under "meta", read
// in Python with json.loads(bytes(numpy.load(path)["meta"])). Writing is
// atomic (temporary name, fsync, rename) and deterministic (sorted members,
// fixed timestamps, no host names or times in the metadata), so a rerun or
// a merge of shards reproduces a file byte for byte. A Dataset file holds
// "inputs" (n, grid...), "outputs" (n, ...), one array per grid coordinate,
// and Meta; Load validates shapes, finiteness and the format version.
//
// Generate draws sample i from (seed, i) alone and solves it with a pool of
// workers, one Solver each; a run covers the whole dataset or one
// contiguous shard (chosen by flag, Slurm job array or Kubernetes indexed
// Job), Merge joins shards into the file an unsharded run writes, and
// checkpoint blocks let an interrupted run resume.
//
// The operator-learning datasets follow Li et al., "Fourier Neural Operator
// for Parametric Partial Differential Equations", ICLR 2021: inputs drawn
// from the Gaussian random field N(0, σ²(−Δ + τ²I)^−α) with the
// parameterisation of their GaussianRF class (periodic) and Darcy GRF
// (Neumann, thresholded), outputs from a classical solver at a fine
// resolution, stored subsampled (u[::r]); UnitGaussian and MinMax are their
// normalisers. The random fields are sampled by the truncated
// Karhunen–Loève expansion in the Laplacian's eigenfunctions, evaluated by
// FFT or cosine tables (Lord, Powell & Shardlow, "An Introduction to
// Computational Stochastic PDEs", Cambridge 2014, §6.4 and ch. 7).
package data
