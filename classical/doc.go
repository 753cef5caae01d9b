// Package classical holds the classical solvers that produce reference
// solutions and datasets: time steppers (RK4, adaptive Dormand–Prince 5(4),
// ETDRK4, IMEX) and the discretisation of each catalogue PDE.
package classical
