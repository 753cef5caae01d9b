#!/usr/bin/env python3
"""Plain-numpy reference for neuralpde's Navier-Stokes solver
(classical.NavierStokes2D), the same scheme step for step.

Solves the vorticity equation w_t + u.grad w = nu lap w + f on the periodic
unit square, u = (psi_y, -psi_x), -lap psi = w, f = 0.1(sin 2pi(x+y) +
cos 2pi(x+y)), nu = 1e-3: Fourier pseudo-spectral on N x N points (numpy
rfft2 layout, x the slow axis), the state kept in the modes |kx|, |ky| <= N//3
(the 2/3 rule, applied to the initial data and to the advection term), the
product u w_x + v w_y formed on the grid, and either

  cn-heun  (default) predictor w* = a w + b (f - N(w)),
           corrector w <- a w + b (f - (N(w) + N(w*))/2),
  cn-euler w <- a w + b (f - N(w))   (the FNO generator's update),

with a = (1 - nu k^2 dt/2)/(1 + nu k^2 dt/2), b = dt/(1 + nu k^2 dt/2).

Modes:
  --check   solve the deterministic 32x32 case of classical's
            TestNavierStokesMatchesNumpy and print the values it pins;
  (default) time one sample at --n (256) from t = 0 to --t (1) with --dt
            (1e-3), alternating with the Go benchmark when --go is given:
              OPENBLAS_NUM_THREADS=1 /usr/bin/python3 \\
                scripts/reference/classical_navier_stokes.py --go --rounds 2
            It prints wall and process CPU seconds per sample for both and
            their ratios (numpy / Go). numpy's FFT is single-threaded, and the
            Go benchmark solves one sample on one goroutine.
"""
import argparse
import os
import re
import subprocess
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np


class NavierStokes:
    def __init__(self, n=256, nu=1e-3, dt=1e-3, save_every=1.0, method="cn-heun", forcing=True):
        self.n = n
        per = int(np.ceil(save_every / dt - 1e-9))
        self.dt = save_every / per
        self.per = per
        self.method = method
        kx = 2 * np.pi * np.fft.fftfreq(n, 1.0 / n)[:, None]
        ky = 2 * np.pi * np.arange(n // 2 + 1)[None, :]
        kc = n // 3
        self.mask = (np.abs(np.fft.fftfreq(n, 1.0 / n))[:, None] <= kc) & (np.arange(n // 2 + 1)[None, :] <= kc)
        k2 = kx**2 + ky**2
        inv = np.zeros_like(k2)
        inv[k2 > 0] = 1 / k2[k2 > 0]
        self.ikx = (1j * kx) * np.ones_like(k2)
        self.iky = (1j * ky) * np.ones_like(k2)
        # u = psi_y, v = -psi_x, psi = w / k^2.
        self.gu = self.iky * inv
        self.gv = -self.ikx * inv
        l = nu * k2 * self.dt / 2
        self.a = np.where(self.mask, (1 - l) / (1 + l), 0)
        self.b = np.where(self.mask, self.dt / (1 + l), 0)
        x = np.arange(n) / n
        X, Y = np.meshgrid(x, x, indexing="ij")
        f = 0.1 * (np.sin(2 * np.pi * (X + Y)) + np.cos(2 * np.pi * (X + Y))) if forcing else 0 * X
        self.fh = np.fft.rfft2(f) * self.mask

    def advection(self, w):
        n = self.n
        u = np.fft.irfft2(self.gu * w, s=(n, n))
        v = np.fft.irfft2(self.gv * w, s=(n, n))
        wx = np.fft.irfft2(self.ikx * w, s=(n, n))
        wy = np.fft.irfft2(self.iky * w, s=(n, n))
        return np.fft.rfft2(u * wx + v * wy) * self.mask

    def solve(self, w0, saved=1):
        n = self.n
        w = np.fft.rfft2(w0) * self.mask
        out = np.empty((saved, n, n))
        a, b, fh = self.a, self.b, self.fh
        for k in range(saved):
            for _ in range(self.per):
                n0 = self.advection(w)
                if self.method == "cn-euler":
                    w = a * w + b * (fh - n0)
                    continue
                ws = a * w + b * (fh - n0)
                n1 = self.advection(ws)
                w = a * w + b * (fh - 0.5 * (n0 + n1))
            out[k] = np.fft.irfft2(w, s=(n, n))
        return out


def check_field(n):
    """The deterministic initial vorticity of TestNavierStokesMatchesNumpy."""
    x = np.arange(n) / n
    X, Y = np.meshgrid(x, x, indexing="ij")
    tp = 2 * np.pi
    return np.sin(tp * X) * np.cos(2 * tp * Y) + 0.5 * np.cos(tp * (3 * X + Y)) + 0.3 * np.sin(tp * (X - 2 * Y)) + 0.1


def sample_field(n, rng, kmax=32):
    """A random field with the navier-stokes law's spectrum,
    7^1.5 (4 pi^2 |k|^2 + 49)^-1.25, on |kx|, |ky| <= kmax (the sampler itself
    is neuralpde's data package; the timing does not depend on the input)."""
    c = np.zeros((n, n // 2 + 1), complex)
    for kx in range(-kmax, kmax + 1):
        for ky in range(0, kmax + 1):
            if kx == 0 and ky == 0:
                continue
            s = 7**1.5 * (4 * np.pi**2 * (kx * kx + ky * ky) + 49) ** -1.25
            c[kx % n, ky] = s * (rng.standard_normal() + 1j * rng.standard_normal()) * n * n / 2
    return np.fft.irfft2(c, s=(n, n))


def run_go(n, t):
    cmd = ["go", "test", "-run", "XXX", "-bench", f"BenchmarkNavierStokesSample/{n}$", "-benchtime", "1x", "./classical/"]
    env = dict(os.environ, NEURALPDE_NS_T=str(t))
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True).stdout
    m = re.search(r"\s(\d+) ns/op.*?([\d.]+) cpu-ms/op", out)
    if not m:
        raise SystemExit("could not parse the Go benchmark output:\n" + out)
    return int(m.group(1)) / 1e9, float(m.group(2)) / 1e3


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--n", type=int, default=256)
    ap.add_argument("--t", type=float, default=1.0)
    ap.add_argument("--dt", type=float, default=1e-3)
    ap.add_argument("--method", default="cn-heun")
    ap.add_argument("--go", action="store_true", help="alternate with the Go benchmark")
    ap.add_argument("--rounds", type=int, default=1)
    args = ap.parse_args()

    if args.check:
        n = 32
        for method in ("cn-heun", "cn-euler"):
            s = NavierStokes(n=n, nu=5e-3, dt=0.01, save_every=0.5, method=method)
            out = s.solve(check_field(n), saved=2)
            idx = [(0, 0), (3, 17), (20, 5), (31, 31)]
            vals = ", ".join(f"{out[1][i, j]:.15g}" for i, j in idx)
            print(f"{method}: w(1) at {idx}: {vals}; mean {out[1].mean():.15g}; sum|w| {np.abs(out[1]).sum():.15g}")
        return

    rng = np.random.default_rng(0)
    w0 = sample_field(args.n, rng)
    s = NavierStokes(n=args.n, dt=args.dt, save_every=args.t, method=args.method)
    np_wall, np_cpu, go_wall, go_cpu = [], [], [], []
    for r in range(args.rounds):
        t0, c0 = time.perf_counter(), time.process_time()
        out = s.solve(w0)
        np_wall.append(time.perf_counter() - t0)
        np_cpu.append(time.process_time() - c0)
        print(f"round {r}: numpy {np_wall[-1]:.2f} s wall, {np_cpu[-1]:.2f} s cpu (max|w| {np.abs(out).max():.4f})", flush=True)
        if args.go:
            w, c = run_go(args.n, args.t)
            go_wall.append(w)
            go_cpu.append(c)
            print(f"round {r}: go    {w:.2f} s wall, {c:.2f} s cpu", flush=True)
    steps = int(np.ceil(args.t / args.dt - 1e-9))
    print(f"numpy {args.method} {args.n}^2, {steps} steps to t = {args.t}: best {min(np_wall):.2f} s wall, {min(np_cpu):.2f} s cpu per sample")
    if args.go:
        print(f"go    {args.method} {args.n}^2, {steps} steps to t = {args.t}: best {min(go_wall):.2f} s wall, {min(go_cpu):.2f} s cpu per sample")
        print(f"ratio numpy/go: wall {min(np_wall) / min(go_wall):.2f}x, cpu {min(np_cpu) / min(go_cpu):.2f}x")


if __name__ == "__main__":
    main()
