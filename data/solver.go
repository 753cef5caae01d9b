package data

// Solver maps one input function, sampled on the dataset's input grid, to
// the output the dataset stores (for burgers-periodic: u(0,·) ↦ u(1,·)).
// A Solver holds its own workspaces (FFT plans, buffers) and is used by one
// goroutine at a time; Generate asks its SolverFactory for one per worker.
// Package classical implements it; data declares it so that data never
// imports classical.
type Solver interface {
	// InputShape and OutputShape are the shapes of one sample's input and
	// output arrays, without the leading sample axis.
	InputShape() []int
	OutputShape() []int
	// Solve writes the output for in into out. Both have the lengths given
	// by the shapes. An error (for example a blown-up time integration) is
	// reported with the sample's index by Generate.
	Solve(out, in []float64) error
}

// SolverFactory returns a new Solver for one worker.
type SolverFactory func() (Solver, error)

// Sampler draws input functions. Sample i depends only on (seed, i), never
// on which worker or shard draws it, so sharded and unsharded generation
// give identical datasets.
type Sampler interface {
	// Shape is the shape of one sample, as Solver.InputShape.
	Shape() []int
	// Sample writes sample i of the stream seeded by seed into dst.
	Sample(dst []float64, seed uint64, i int)
}
