#!/usr/bin/env python3
"""Plain-numpy reference for neuralpde's burgers-periodic solver.

Solves u_t + u u_x = nu u_xx, nu = 0.1, on the periodic interval [0, 1) from
t = 0 to t = 1 for random smooth initial data, with exactly the method of
classical.OperatorSolver at its defaults: Fourier pseudo-spectral on N = 1024
points (numpy rfft/irfft conventions), the nonlinear term -(1/2)(u^2)_x
computed on the grid and dealiased by the 2/3 rule (modes j with 3j >= N
zeroed), ETDRK4 (Cox & Matthews 2002) with dt = 1e-3 (1000 steps) and its
coefficients from contour integrals over M = 32 points of the full circle of
radius one around each dt*L (Kassam & Trefethen 2005), computed once.

Prints the wall and process CPU time per sample (the coefficient set-up
excluded, as in the Go benchmark, which builds its solver once) and a
checksum. On a shared machine compare CPU times: wall time includes waiting
for a core. Run with
  OPENBLAS_NUM_THREADS=1 /usr/bin/python3 scripts/reference/classical_burgers_periodic.py
"""
import argparse
import os
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np


def etdrk4_coefficients(L, h, M=32):
    r = np.exp(1j * np.pi * (np.arange(M) + 0.5) * 2 / M)
    z = h * L[:, None] + r[None, :]
    ez = np.exp(z)
    Q = h * np.mean((np.exp(z / 2) - 1) / z, axis=1)
    f1 = h * np.mean((-4 - z + ez * (4 - 3 * z + z**2)) / z**3, axis=1)
    f2 = h * np.mean((2 + z + ez * (z - 2)) / z**3, axis=1)
    f3 = h * np.mean((-4 - 3 * z - z**2 + ez * (4 - z)) / z**3, axis=1)
    return np.exp(h * L), np.exp(h * L / 2), Q, f1, f2, f3


class BurgersETDRK4:
    def __init__(self, n=1024, nu=0.1, length=1.0, dt=1e-3, t1=1.0, M=32):
        self.n = n
        k = 2 * np.pi * np.arange(n // 2 + 1) / length
        L = (-nu * k**2).astype(complex)
        self.steps = int(np.ceil(t1 / dt - 1e-9))
        self.h = t1 / self.steps
        self.E, self.E2, self.Q, self.f1, self.f2, self.f3 = etdrk4_coefficients(L, self.h, M)
        cut = (n + 2) // 3
        # -(1/2) ik, zero on the modes the 2/3 rule removes.
        self.g = -0.5j * k
        self.g[cut:] = 0

    def N(self, v):
        u = np.fft.irfft(v, self.n)
        return self.g * np.fft.rfft(u * u)

    def solve(self, u0):
        v = np.fft.rfft(u0)
        v[(self.n + 2) // 3:] = 0
        E, E2, Q, f1, f2, f3 = self.E, self.E2, self.Q, self.f1, self.f2, self.f3
        for _ in range(self.steps):
            Nv = self.N(v)
            a = E2 * v + Q * Nv
            Na = self.N(a)
            b = E2 * v + Q * Na
            Nb = self.N(b)
            c = E2 * a + Q * (2 * Nb - Nv)
            Nc = self.N(c)
            v = E * v + Nv * f1 + 2 * (Na + Nb) * f2 + Nc * f3
        return np.fft.irfft(v, self.n)


def smooth_sample(n, rng, kmax=100):
    """A random trigonometric polynomial with coefficients decaying like the
    burgers-periodic law's, (4 pi^2 k^2 + 25)^-1 (the GRF sampler itself is
    neuralpde's data package; the timing does not depend on the input)."""
    k = np.arange(1, kmax + 1)
    s = 25 * np.sqrt(2) / (4 * np.pi**2 * k**2 + 25)
    c = np.zeros(n // 2 + 1, complex)
    c[1 : kmax + 1] = s * (rng.standard_normal(kmax) - 1j * rng.standard_normal(kmax)) * n / 2
    return np.fft.irfft(c, n)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--samples", type=int, default=100)
    ap.add_argument("--n", type=int, default=1024)
    ap.add_argument("--dt", type=float, default=1e-3)
    args = ap.parse_args()
    rng = np.random.default_rng(0)
    inputs = [smooth_sample(args.n, rng) for _ in range(args.samples)]
    solver = BurgersETDRK4(n=args.n, dt=args.dt)
    start, cpu0 = time.perf_counter(), time.process_time()
    checksum = 0.0
    for u0 in inputs:
        checksum += float(np.sum(solver.solve(u0) ** 2))
    el, cpu = time.perf_counter() - start, time.process_time() - cpu0
    print(f"numpy {np.__version__}: {args.samples} samples, n={args.n}, dt={solver.h:g} ({solver.steps} steps): "
          f"{el / args.samples * 1e3:.2f} ms wall, {cpu / args.samples * 1e3:.2f} ms CPU per sample "
          f"(checksum {checksum:.12g})")


if __name__ == "__main__":
    main()
