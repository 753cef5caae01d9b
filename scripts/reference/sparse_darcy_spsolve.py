#!/usr/bin/python3
"""Reference for operators/sparse: the Darcy system -div(a grad u) = 1 on the
unit square, zero Dirichlet data, solved by scipy.sparse.linalg.spsolve.

It builds exactly the matrix of sparse.Diffusion5 (vertex grid of n x n points
including the boundary, h = 1/(n-1), harmonic face averages, unknown (i, j)
numbered (j-1)*m + (i-1)) with the coefficient of the Go benchmark
BenchmarkDarcySolve:

    a = 12 where sin(6 pi x) cos(4 pi y) + 0.3 sin(10 pi x y) >= 0, else 3.

It prints checksums of the coefficient and the matrix (compare with the Go
benchmark's log), the best wall time of spsolve over several runs, the
relative residual and the solution norm.

Usage: /usr/bin/python3 scripts/reference/sparse_darcy_spsolve.py [n] [repeats]
(default n = 257, i.e. h = 1/256 and 255 x 255 unknowns; repeats = 5).
"""
import os
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np
import scipy
import scipy.sparse as sp
import scipy.sparse.linalg as spla


def coefficient(n):
    h = 1.0 / (n - 1)
    x = np.arange(n) * h  # x_i = i*h, as float64(i)*h in Go
    X, Y = np.meshgrid(x, x)  # X[j, i] = x_i, Y[j, i] = y_j
    s = np.sin(6 * np.pi * X) * np.cos(4 * np.pi * Y) + 0.3 * np.sin(10 * np.pi * X * Y)
    return np.where(s >= 0, 12.0, 3.0)


def harmonic(p, q):
    return 2 * p * q / (p + q)


def diffusion5(a):
    """The matrix of sparse.Diffusion5, same formula and summation order."""
    n = a.shape[0]
    m = n - 2
    h2 = 1.0 / float((n - 1) * (n - 1))
    c = a[1:-1, 1:-1]
    # Face weights in the Go order: west, east, south, north.
    ww = harmonic(c, a[1:-1, :-2]) / h2
    we = harmonic(c, a[1:-1, 2:]) / h2
    ws = harmonic(c, a[:-2, 1:-1]) / h2
    wn = harmonic(c, a[2:, 1:-1]) / h2
    diag = ((ww + we) + ws) + wn
    idx = np.arange(m * m).reshape(m, m)  # idx[j-1, i-1]
    rows, cols, vals = [idx.ravel()], [idx.ravel()], [diag.ravel()]
    for w, sl_self, sl_nb in [
        (ww, np.s_[:, 1:], np.s_[:, :-1]),
        (we, np.s_[:, :-1], np.s_[:, 1:]),
        (ws, np.s_[1:, :], np.s_[:-1, :]),
        (wn, np.s_[:-1, :], np.s_[1:, :]),
    ]:
        rows.append(idx[sl_self].ravel())
        cols.append(idx[sl_nb].ravel())
        vals.append(-w[sl_self].ravel())
    A = sp.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
        shape=(m * m, m * m),
    )
    A.sum_duplicates()
    A.sort_indices()
    return A


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 257
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    a = coefficient(n)
    A = diffusion5(a)
    b = np.ones(A.shape[0])
    print(f"scipy {scipy.__version__}, numpy {np.__version__}")
    print(f"n = {n} vertices per side, {A.shape[0]} unknowns, nnz = {A.nnz}")
    print(f"checksum: coefficient cells with a = 12: {int((a == 12).sum())}, sum of matrix entries {A.data.sum():.10e}, sum |entries| {np.abs(A.data).sum():.10e}")
    Acsc = A.tocsc()  # spsolve's native format; converted outside the timing
    best = np.inf
    for _ in range(repeats):
        t0 = time.perf_counter()
        u = spla.spsolve(Acsc, b)
        best = min(best, time.perf_counter() - t0)
    r = b - A @ u
    print(f"spsolve best of {repeats}: {best * 1e3:.1f} ms")
    print(f"relative residual ||b - A u|| / ||b|| = {np.linalg.norm(r) / np.linalg.norm(b):.3e}")
    print(f"||u||_2 = {np.linalg.norm(u):.12e}")


if __name__ == "__main__":
    main()
