// Package classical provides the classical solvers that produce reference
// solutions and datasets: time steppers, the spatial discretisations of the
// catalogue's one-dimensional PDEs, and the preset solvers used by the CLI.
//
// The steppers follow diffrax's split: a Stepper takes one step, a
// Controller chooses step sizes, and Integrate runs the loop, reports
// progress and returns a Status. They are
//
//   - RK4, the classical fourth-order Runge–Kutta method;
//   - DormandPrince, the embedded 5(4) pair of Dormand & Prince, "A family
//     of embedded Runge–Kutta formulae", J. Comput. Appl. Math. 6 (1980),
//     driven by PIController, the proportional–integral step-size control
//     of Hairer, Nørsett & Wanner, Solving Ordinary Differential Equations I
//     (§II.4) and Hairer & Wanner, II (§IV.2);
//   - ETDRK4, the exponential time-differencing Runge–Kutta method of Cox &
//     Matthews, "Exponential time differencing for stiff systems",
//     J. Comput. Phys. 176 (2002), with its coefficients evaluated by the
//     contour integrals of Kassam & Trefethen, "Fourth-order time-stepping
//     for stiff PDEs", SIAM J. Sci. Comput. 26 (2005).
//
// FourierSystem is the Fourier pseudo-spectral discretisation (Trefethen,
// Spectral Methods in MATLAB, SIAM 2000) with 2/3-rule dealiasing (Orszag
// 1971). SolvePreset solves a named preset on its output grid and
// OperatorSolver maps sampled initial data to the solution at the final time
// for operator-learning datasets (it satisfies data.Solver).
package classical
