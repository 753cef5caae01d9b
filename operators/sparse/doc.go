// Package sparse provides sparse matrices in compressed sparse row (CSR)
// form, the assembly of finite-difference stencils on the unit square,
// Krylov solvers and preconditioners for the linear systems they give, and
// geometric multigrid.
//
// The Krylov solvers work over the small Operator interface, so matrix-free
// operators (a Jacobian–vector product, a stencil applied on the fly) are
// solved the same way as a CSR matrix:
//
//   - CG is the preconditioned conjugate gradient method of Hestenes and
//     Stiefel for symmetric positive definite systems (Saad 2003, Alg. 9.1).
//   - GMRES is the restarted GMRES(m) of Saad and Schultz (1986) with
//     modified Gram–Schmidt Arnoldi and Givens rotations, preconditioned on
//     the right (the default: the monitored residual is the true residual)
//     or on the left (Saad 2003, §9.3).
//
// Both return a Result whose Status says how they stopped (Converged,
// MaxIterationsReached or Stalled); a solver never stops silently.
//
// Grids. Stencils are assembled on the vertex-centred grid of n×n points
// x_i = i·h, y_j = j·h, h = 1/(n−1), including the boundary, with zero
// Dirichlet data; the unknowns are the m = n−2 interior points per side,
// numbered k = (j−1)·m + (i−1) (x fastest). This is the grid of the FNO
// Darcy data (s×s points including the boundary). The variable-coefficient
// operator −∇·(a∇u) takes a at the n×n vertices and uses the harmonic mean
// of a at each cell face (the standard choice for discontinuous
// coefficients, Trottenberg et al. 2001, §7.7).
//
// Multigrid. Multigrid is the geometric V-cycle of Briggs, Henson and
// McCormick ("A Multigrid Tutorial", 2nd ed., 2000) and Trottenberg,
// Oosterlee and Schüller ("Multigrid", 2001): smoothing by red–black
// Gauss–Seidel (as a preconditioner made symmetric: the post-smoother
// sweeps in the reverse order) or weighted Jacobi, and by default Galerkin
// coarse operators A_{2h} = R A_h P with the operator-dependent
// interpolation of Alcouffe, Brandt, Dendy and Painter (1981) and R = Pᵀ.
// Galerkin coarsening needs only the fine matrix and, with
// operator-dependent interpolation, keeps the Laplacian's iteration count
// for jumping coefficients such as the Darcy 12/3 field (Trottenberg et al.
// 2001, §7.7). Bilinear interpolation with full-weighting restriction, and
// operators rediscretised from a coefficient injected to the coarse grid
// (NewDiffusionMultigrid with Rediscretize), are offered for comparison;
// both need a few more cycles on jumps, growing slowly with the grid.
// Galerkin coarsening works on any grid size: the coarse points are the
// fine points with odd (0-based) interior indices, ⌊m/2⌋ per side, so when
// m is odd (n = m+2 vertices with n−1 even) the coarse grid is the uniform
// grid of spacing 2h, and when m is even its last coarse line lies next to
// the boundary at distance h; the Galerkin product builds the coarse
// operator of that non-uniform grid, and coarsening continues to at most
// CoarsestSize points per side, solved by dense LU. The FNO Darcy grid,
// n = 421, coarsens 419 → 209 → 104 → 52 → 26 → 13 → 6. As CG's
// preconditioner it needs the iterations of n = 2^k+1 (7–8 to 1e-10 for
// the 12/3 coefficient); used alone, the levels with even m cost a few
// more cycles (11–12 against 7–8; TestMultigridAnySize). Rediscretized coarsening
// needs n = 2^k+1 and rejects other sizes with an error. A Multigrid is a
// solver on its own and a Preconditioner for CG (one V-cycle from a zero
// guess, which is a symmetric positive definite operator).
//
// References:
//
//   - Y. Saad, Iterative Methods for Sparse Linear Systems, 2nd ed., SIAM, 2003.
//   - Y. Saad and M. H. Schultz, GMRES: a generalized minimal residual
//     algorithm for solving nonsymmetric linear systems, SIAM J. Sci. Stat.
//     Comput. 7 (1986) 856–869.
//   - M. R. Hestenes and E. Stiefel, Methods of conjugate gradients for
//     solving linear systems, J. Res. Nat. Bur. Standards 49 (1952) 409–436.
//   - W. L. Briggs, V. E. Henson and S. F. McCormick, A Multigrid Tutorial,
//     2nd ed., SIAM, 2000.
//   - U. Trottenberg, C. W. Oosterlee and A. Schüller, Multigrid, Academic
//     Press, 2001.
//   - R. E. Alcouffe, A. Brandt, J. E. Dendy and J. W. Painter, The
//     multi-grid method for the diffusion equation with strongly
//     discontinuous coefficients, SIAM J. Sci. Stat. Comput. 2 (1981)
//     430–454.
//   - P. M. de Zeeuw, Matrix-dependent prolongations and restrictions in a
//     blackbox multigrid solver, J. Comput. Appl. Math. 33 (1990) 1–27.
package sparse
