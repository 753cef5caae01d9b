// Package pde provides the problems neuralpde solves: grids, fields on grids,
// domains, initial and boundary conditions, the equation catalogue with each
// equation's pointwise residual written against a derivative jet, named presets
// with their exact parameters, and exact solutions where they are known.
//
// The catalogue (Burgers, Heat, Advection, AllenCahn, KdV,
// KuramotoSivashinsky, Poisson) writes each equation once, as a residual in
// an Algebra, so that classical solvers, diagnostics on grids (Vec) and
// physics-informed networks (an Algebra on graph nodes) share one definition.
// Params and NewEquation convert an equation to and from its name and named
// parameters, for config files and dataset metadata.
//
// The presets and their sources:
//   - burgers-shock, kdv and allen-cahn are the PINN benchmarks of
//     M. Raissi, P. Perdikaris and G. E. Karniadakis, "Physics-informed neural
//     networks", J. Comput. Phys. 378 (2019) 686–707; the KdV problem is
//     that of N. J. Zabusky and M. D. Kruskal, Phys. Rev. Lett. 15 (1965) 240.
//   - kuramoto-sivashinsky: the stiff chaotic test problem of A.-K. Kassam and
//     L. N. Trefethen, "Fourth-order time-stepping for stiff PDEs", SIAM J.
//     Sci. Comput. 26 (2005) 1214–1233, with rescaled coefficients on [−1, 1).
//   - burgers-periodic: the operator-learning benchmark of Z. Li et al.,
//     "Fourier neural operator for parametric partial differential
//     equations", ICLR 2021.
//   - heat and advection: problems with closed-form solutions, for
//     convergence tests.
//
// The exact solution of burgers-shock (BurgersColeHopf) uses the
// transformation of J. D. Cole, Quart. Appl. Math. 9 (1951) 225–236 and
// E. Hopf, Comm. Pure Appl. Math. 3 (1950) 201–230, evaluated by
// Gauss–Hermite quadrature as in C. Basdevant et al., "Spectral and finite
// difference solutions of the Burgers equation", Comput. Fluids 14 (1986)
// 23–41. The Gauss–Hermite rule (GaussHermite) follows G. H. Golub and
// J. H. Welsch, Math. Comp. 23 (1969) 221–230, with Newton polishing and
// weights from the recurrence (W. H. Press et al., Numerical Recipes, 3rd
// ed., 2007, §4.6).
package pde
