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
//     of Gustafsson (1991) as given by Hairer, Nørsett & Wanner, Solving
//     Ordinary Differential Equations I (Springer, §II.4) and Hairer &
//     Wanner, II (§IV.2);
//   - ETDRK4, the exponential time-differencing Runge–Kutta method of Cox &
//     Matthews, "Exponential time differencing for stiff systems",
//     J. Comput. Phys. 176 (2002), with its coefficients evaluated by the
//     contour integrals of Kassam & Trefethen, "Fourth-order time-stepping
//     for stiff PDEs", SIAM J. Sci. Comput. 26 (2005);
//   - DIRK: the L-stable SDIRK2 and SDIRK3 of Alexander, "Diagonally
//     implicit Runge–Kutta methods for stiff ODEs", SIAM J. Numer. Anal. 14
//     (1977), and the Crank–Nicolson (trapezoidal) rule, with each implicit
//     stage solved by operators/nonlinear's Newton method.
//
// The spatial discretisations are FourierSystem, Fourier pseudo-spectral
// with 2/3-rule dealiasing (Orszag 1971) for periodic problems;
// ChebyshevSystem, Chebyshev collocation for Dirichlet problems (both after
// Trefethen, Spectral Methods in MATLAB, SIAM 2000); and FDSystem, centred
// finite differences of order 2 and 4 (Fornberg 1988).
//
// SolvePreset solves a named preset with fixed initial data on its output
// grid, with tuned defaults per preset (DefaultConfig); OperatorSolver maps
// sampled initial data to the solution at the final time for
// operator-learning datasets and satisfies data.Solver. Every transform
// goes through operators' FFT plans (operators.Fourier, and
// operators.Fourier2D's ForwardColumns/InverseColumns, which skip the
// columns the 2/3 rule drops); for power-of-two sizes they use a radix-4
// real FFT several times faster than gonum's FFTPACK port.
package classical
