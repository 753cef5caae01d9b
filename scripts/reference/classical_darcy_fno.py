#!/usr/bin/env python3
"""scipy reference for neuralpde's Darcy solver (classical.Darcy) on the FNO
grid.

The discretisation of classical.Darcy, written out with numpy: -div(a grad u)
= 1 on the unit square, u = 0 on the boundary, the n x n vertex grid with both
ends (x_i = i/(n-1)), fields row-major with x the slow index (a[i, j] =
a(x_i, y_j), as the datasets store them), the 5-point finite-volume stencil
with the harmonic mean of a on each face, solved by
scipy.sparse.linalg.spsolve (SuperLU, a direct solve).

Modes:
  --check   solve the n = 85 case of classical's TestDarcyMatchesScipy
            (coefficient 12 where sin(6 pi x) sin(6 pi y) + 0.3 cos(4 pi (x+y))
            >= 0, else 3) and print the values it pins;
  (default) time the n = 421 solve of BenchmarkDarcyFNO/421 (coefficient 12
            where sin(6 pi x) cos(4 pi y) + 0.3 sin(10 pi x y) >= 0, else 3)
            with spsolve, best of --repeats, alternating with the Go benchmark
            when --go is given:
              /usr/bin/python3 scripts/reference/classical_darcy_fno.py --go
            The Go figure includes assembling the matrix and the multigrid
            hierarchy (as a dataset solve does); the scipy figure is spsolve
            alone, assembly excluded.
"""
import argparse
import os
import re
import subprocess
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla


def grid(n):
    # x_i = i*h as float64(i)*h in Go: where the field crosses zero on a
    # grid line (sin(6 pi x) at x = 1/6), i/(n-1) and i*h round
    # differently and flip the threshold along the whole line.
    x = np.arange(n) * (1.0 / (n - 1))
    return np.meshgrid(x, x, indexing="ij")  # X[i, j] = x_i, Y[i, j] = y_j


def harmonic(p, q):
    return 2 * p * q / (p + q)


def darcy_matrix(a):
    """-div(a grad u) on the interior points, unknown (i, j) numbered
    (i-1)*m + (j-1), harmonic face averages, divided by h^2."""
    n = a.shape[0]
    m = n - 2
    h2 = 1.0 / float((n - 1) ** 2)
    c = a[1:-1, 1:-1]
    w = {
        (-1, 0): harmonic(c, a[:-2, 1:-1]) / h2,
        (1, 0): harmonic(c, a[2:, 1:-1]) / h2,
        (0, -1): harmonic(c, a[1:-1, :-2]) / h2,
        (0, 1): harmonic(c, a[1:-1, 2:]) / h2,
    }
    idx = np.arange(m * m).reshape(m, m)
    rows, cols, vals = [idx.ravel()], [idx.ravel()], [sum(w.values()).ravel()]
    for (di, dj), wt in w.items():
        i0, i1 = max(0, -di), m - max(0, di)
        j0, j1 = max(0, -dj), m - max(0, dj)
        rows.append(idx[i0:i1, j0:j1].ravel())
        cols.append(idx[i0 + di : i1 + di, j0 + dj : j1 + dj].ravel())
        vals.append(-wt[i0:i1, j0:j1].ravel())
    return sp.csc_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(m * m, m * m))


def solve(a):
    n = a.shape[0]
    A = darcy_matrix(a)
    b = np.ones(A.shape[0])
    t0 = time.perf_counter()
    x = spla.spsolve(A, b)
    dt = time.perf_counter() - t0
    u = np.zeros((n, n))
    u[1:-1, 1:-1] = x.reshape(n - 2, n - 2)
    return u, dt, np.linalg.norm(b - A @ x) / np.linalg.norm(b)


def check_coefficient(n):
    X, Y = grid(n)
    g = np.sin(6 * np.pi * X) * np.sin(6 * np.pi * Y) + 0.3 * np.cos(4 * np.pi * (X + Y))
    return np.where(g >= 0, 12.0, 3.0)


def bench_coefficient(n):
    X, Y = grid(n)
    g = np.sin(6 * np.pi * X) * np.cos(4 * np.pi * Y) + 0.3 * np.sin(10 * np.pi * X * Y)
    return np.where(g >= 0, 12.0, 3.0)


def run_go():
    cmd = ["go", "test", "-run", "XXX", "-bench", "BenchmarkDarcyFNO/421$", "-benchtime", "1x", "./classical/"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    ns, it, cpu = (re.search(r"([\d.]+) " + unit, out) for unit in ("ns/op", "cg-iters", "cpu-ms/op"))
    su = re.search(r"n=421: sum u ([\d.e+-]+)", out)
    if not (ns and it and cpu and su):
        raise SystemExit("could not parse the Go benchmark output:\n" + out)
    return float(ns.group(1)) / 1e9, int(float(it.group(1))), float(cpu.group(1)) / 1e3, float(su.group(1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--go", action="store_true")
    args = ap.parse_args()
    if args.check:
        n = 85
        u, _, rr = solve(check_coefficient(n))
        idx = [(1, 1), (20, 63), (42, 42), (70, 11)]
        print(f"n={n} relres {rr:.2e}; u at {idx}: " + ", ".join(f"{u[i, j]:.15g}" for i, j in idx) + f"; sum {u.sum():.15g}")
        return
    n = 421
    a = bench_coefficient(n)
    sp_wall, sp_cpu, go_wall, go_cpu = [], [], [], []
    for r in range(args.repeats):
        c0 = time.process_time()
        u, dt, rr = solve(a)
        sp_wall.append(dt)
        sp_cpu.append(time.process_time() - c0)
        print(f"round {r}: spsolve {dt:.2f} s wall (relres {rr:.1e}, sum u {u.sum():.10g})", flush=True)
        if args.go:
            w, it, c, su = run_go()
            go_wall.append(w)
            go_cpu.append(c)
            print(f"round {r}: go      {w:.2f} s wall, {c:.2f} s cpu, {it} MG-CG iterations (sum u {su:.10g})", flush=True)
    print(f"spsolve n={n}: best {min(sp_wall):.2f} s wall, {min(sp_cpu):.2f} s cpu (assembly included in cpu)")
    if args.go:
        print(f"go      n={n}: best {min(go_wall):.2f} s wall, {min(go_cpu):.2f} s cpu (assembly + multigrid set-up + MG-CG)")
        print(f"ratio scipy/go: wall {min(sp_wall) / min(go_wall):.2f}x, cpu {min(sp_cpu) / min(go_cpu):.2f}x")


if __name__ == "__main__":
    main()
