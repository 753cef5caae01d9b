#!/usr/bin/env python3
"""Compare neuralpde's Gaussian random field with the FNO code's GaussianRF.

Draws inputs with the FNO GaussianRF (Li et al. 2021, utilities3.py; ported
line for line to numpy: sqrt_eig = size*sqrt(2)*sigma*(4 pi^2 k^2 + tau^2)^(-alpha/2),
sqrt_eig[0] = 0, u = Re ifft(sqrt_eig * (xi_re + i xi_im))) and reads the
inputs of a dataset written by `neuralpde generate` for the same law and
grid, then prints the pointwise variance and the power spectrum E|rfft(u)_k|^2
of both, band by band, with their ratios (1 up to sampling noise, except at
the modes neuralpde truncates: k > grf modes, and FNO's lone k = -size/2).

Run from the repository root:
  go build -o /tmp/neuralpde ./cmd/neuralpde
  /tmp/neuralpde generate --preset burgers-periodic --n 4000 --res 256 --modes 256 --dt 0.01 --seed 3 -q --out /tmp/grf.npz
  /usr/bin/python3 scripts/reference/data_grf_fno.py /tmp/grf.npz
"""
import json
import math
import sys

import numpy as np


class GaussianRF1D:
    """FNO's GaussianRF(dim=1, size, alpha, tau, sigma), in numpy."""

    def __init__(self, size, alpha, tau, sigma, rng):
        k_max = size // 2
        k = np.concatenate((np.arange(0, k_max), np.arange(-k_max, 0)))
        self.sqrt_eig = size * math.sqrt(2.0) * sigma * ((4 * math.pi**2 * k**2 + tau**2) ** (-alpha / 2.0))
        self.sqrt_eig[0] = 0.0
        self.size = size
        self.rng = rng

    def sample(self, n):
        coeff = self.rng.standard_normal((n, self.size, 2))
        c = self.sqrt_eig * (coeff[..., 0] + 1j * coeff[..., 1])
        return np.fft.ifft(c, axis=-1).real


def main():
    f = np.load(sys.argv[1])
    meta = json.loads(bytes(f["meta"]))
    law = meta["sampler"]
    ours = f["inputs"]
    n, size = ours.shape
    fno = GaussianRF1D(size, law["alpha"], law["tau"], law["sigma"], np.random.default_rng(0)).sample(n)
    print(f"{n} samples on {size} points; law alpha={law['alpha']} tau={law['tau']} sigma={law['sigma']}, "
          f"neuralpde keeps {law['modes']} modes")
    vo, vf = ours.var(axis=0).mean(), fno.var(axis=0).mean()
    print(f"pointwise variance: neuralpde {vo:.5g}  FNO {vf:.5g}  ratio {vo / vf:.4f}  "
          f"(sampling s.e. of the ratio ~ {math.sqrt(4 / n):.3f})")
    po = (np.abs(np.fft.rfft(ours, axis=1)) ** 2).mean(axis=0)
    pf = (np.abs(np.fft.rfft(fno, axis=1)) ** 2).mean(axis=0)
    print("band        E|u_k|^2 neuralpde   FNO          ratio")
    edges = [1, 2, 4, 8, 16, 32, 64, law["modes"] + 1, size // 2 + 1]
    for lo, hi in zip(edges[:-1], edges[1:]):
        if hi <= lo:
            continue
        a, b = po[lo:hi].mean(), pf[lo:hi].mean()
        print(f"k {lo:3d}-{hi - 1:3d}   {a:12.5g}   {b:12.5g}   {a / b:8.4f}")


if __name__ == "__main__":
    main()
