// Package pde defines the problems neuralpde solves: grids, fields on grids,
// domains, initial and boundary conditions, the equation catalogue with each
// equation's pointwise residual written against a derivative jet, named presets
// with their exact parameters, and exact solutions where they are known.
package pde
