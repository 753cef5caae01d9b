// Package pinn trains physics-informed neural networks on problems from the
// pde catalogue.
package pinn
