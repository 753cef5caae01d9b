// Package serve provides trained neural operators as HTTP services: a
// model card (what a run directory holds: kind, PDE, grid, errors), a
// Surrogate that loads a run directory written by neuralpde train and maps
// input fields to output fields on any grid the model accepts (a Fourier
// neural operator of Li et al., ICLR 2021, on finer grids zero-shot; a
// DeepONet of Lu et al., Nat. Mach. Intell. 2021, at its sensors), a pool
// of such surrogates, and an http.Handler answering predictions with JSON
// or NumPy .npy bodies under bounded size and time.
//
// Models are not safe for concurrent use (their forward passes own
// workspaces), so the handler keeps one Surrogate per worker and a request
// borrows one for the duration of its prediction.
package serve
