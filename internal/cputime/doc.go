// Package cputime measures the CPU time (user + system) of the running
// process, which the benchmarks and long runs report beside wall time:
// the machines are shared, so wall time alone says little.
//
// It imports only the standard library, so every package of the module
// may use it (internal/archtest allows it everywhere).
package cputime
