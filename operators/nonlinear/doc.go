// Package nonlinear provides Newton's method and the Jacobian-free
// Newton–Krylov method for systems of nonlinear equations F(x) = 0, with a
// backtracking line search and the residual history of every solve.
//
//   - Newton solves each linear step J(x) d = −F(x) with a dense LU
//     factorisation of the Jacobian the Problem supplies.
//   - NewtonKrylov solves it inexactly with restarted, right-preconditioned
//     GMRES from operators/sparse, needing only Jacobian–vector products:
//     Problem.JacVec, or else a finite-difference directional derivative
//     (Knoll and Keyes 2004, §2.2). The inner tolerance (forcing term)
//     follows Eisenstat and Walker (1996), choice 2, unless fixed.
//
// Both globalise with a backtracking line search on f(x) = ½‖F(x)‖₂²
// (Dennis and Schnabel 1996, §6.3, Alg. A6.3.1): the sufficient-decrease
// (Armijo) condition with α = 1e-4, and steps shortened by safeguarded
// quadratic interpolation to between 0.1 and 0.5 of the previous one.
//
// A solve that does not converge returns a nil error and a Status saying
// why (MaxIterationsReached, Stalled, LinearSolveFailed, Diverged); errors
// are only for invalid input.
//
// References:
//
//   - J. E. Dennis and R. B. Schnabel, Numerical Methods for Unconstrained
//     Optimization and Nonlinear Equations, SIAM, 1996.
//   - D. A. Knoll and D. E. Keyes, Jacobian-free Newton–Krylov methods: a
//     survey of approaches and applications, J. Comput. Phys. 193 (2004)
//     357–397.
//   - S. C. Eisenstat and H. F. Walker, Choosing the forcing terms in an
//     inexact Newton method, SIAM J. Sci. Comput. 17 (1996) 16–32.
//   - S. C. Eisenstat and H. F. Walker, Globally convergent inexact Newton
//     methods, SIAM J. Optim. 4 (1994) 393–422.
//   - Y. Saad, Iterative Methods for Sparse Linear Systems, 2nd ed., SIAM, 2003.
package nonlinear
