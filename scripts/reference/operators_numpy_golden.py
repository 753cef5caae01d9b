#!/usr/bin/python3
"""Golden values for package operators from numpy/scipy.

Writes operators/testdata/numpy_golden.json, which operators' tests read to
pin the conventions the package promises: numpy.fft.rfft/irfft/rfft2/irfft2,
scipy.signal.resample, numpy.polynomial.chebyshev coefficients and
derivatives, and Trefethen's cheb.m (ported here, reindexed to increasing
points).

Run from the repository root:  /usr/bin/python3 scripts/reference/operators_numpy_golden.py
"""
import json
import os

import numpy as np
from numpy.polynomial import chebyshev as C
from scipy import signal


def cplx(a):
    a = np.asarray(a)
    return {"re": a.real.ravel().tolist(), "im": a.imag.ravel().tolist()}


def cheb_trefethen(N):
    """Trefethen, Spectral Methods in MATLAB (2000), cheb.m: N+1 points x = cos(pi j/N)."""
    if N == 0:
        return np.zeros((1, 1)), np.ones(1)
    x = np.cos(np.pi * np.arange(N + 1) / N)
    c = np.hstack([2, np.ones(N - 1), 2]) * (-1) ** np.arange(N + 1)
    X = np.tile(x, (N + 1, 1)).T
    dX = X - X.T
    D = np.outer(c, 1 / c) / (dX + np.eye(N + 1))
    D = D - np.diag(D.sum(axis=1))
    return D, x


rng = np.random.default_rng(20261129)
out = {}

# 1-D real FFT, even and odd n.
for n in (12, 9):
    u = rng.standard_normal(n)
    out[f"rfft{n}"] = {"u": u.tolist(), "c": cplx(np.fft.rfft(u))}
# irfft ignores the imaginary parts of c_0 and the Nyquist mode.
c = rng.standard_normal(7) + 1j * rng.standard_normal(7)
out["irfft12"] = {"c": cplx(c), "u": np.fft.irfft(c, 12).tolist()}

# 2-D real FFT of a (6, 5) array, row-major with x slow.
u2 = rng.standard_normal((6, 5))
c2 = rng.standard_normal((6, 3)) + 1j * rng.standard_normal((6, 3))
out["rfft2_6x5"] = {"u": u2.ravel().tolist(), "c": cplx(np.fft.rfft2(u2))}
out["irfft2_6x5"] = {"c": cplx(c2), "u": np.fft.irfft2(c2, s=(6, 5)).ravel().tolist()}

# scipy.signal.resample (spectral zero-padding / truncation).
u = rng.standard_normal(12)
out["resample12"] = {"u": u.tolist(), **{str(m): signal.resample(u, m).tolist() for m in (20, 13, 8, 7)}}

# 2-D resampling, one axis after the other: (6, 5) -> (8, 3) and (4, 9).
u2 = rng.standard_normal((6, 5))
out["resample2_6x5"] = {
    "u": u2.ravel().tolist(),
    "8x3": signal.resample(signal.resample(u2, 3, axis=1), 8, axis=0).ravel().tolist(),
    "4x9": signal.resample(signal.resample(u2, 9, axis=1), 4, axis=0).ravel().tolist(),
}

# Chebyshev on N Gauss-Lobatto points of [a, b], increasing.
a, b, N = -0.5, 2.0, 9
j = np.arange(N)
x = (a + b) / 2 - (b - a) / 2 * np.cos(np.pi * j / (N - 1))
u = np.exp(x) * np.sin(3 * x)
s = (2 * x - a - b) / (b - a)
coef = C.chebfit(s, u, N - 1)  # interpolation: N points, degree N-1
dcoef = C.chebder(coef, 1, scl=2 / (b - a))
d2coef = C.chebder(coef, 2, scl=2 / (b - a))
D, xt = cheb_trefethen(N - 1)
Dinc = D[::-1, ::-1] * 2 / (b - a)  # reindex to increasing points, scale to [a, b]
out["chebyshev9"] = {
    "a": a, "b": b, "u": u.tolist(), "coef": coef.tolist(),
    "dcoef": np.hstack([dcoef, [0]]).tolist(),
    "d2coef": np.hstack([d2coef, [0, 0]]).tolist(),
    "D": Dinc.ravel().tolist(),
}
# Clenshaw-Curtis weights on [a, b]: integrate each cardinal polynomial.
weights = []
for k in range(N):
    e = np.zeros(N)
    e[k] = 1
    ck = C.chebint(C.chebfit(s, e, N - 1), lbnd=-1)
    weights.append((C.chebval(1, ck) - C.chebval(-1, ck)) * (b - a) / 2)
out["chebyshev9"]["quadrature"] = weights

# Power-of-two sizes, which go through the radix-4 real FFT: n/2 = 8 has
# an odd log2 (fused length-8 first pass), n/2 = 16 an even one.
for n in (16, 32):
    u = rng.standard_normal(n)
    c = rng.standard_normal(n // 2 + 1) + 1j * rng.standard_normal(n // 2 + 1)
    out[f"rfft{n}"] = {"u": u.tolist(), "c": cplx(np.fft.rfft(u))}
    out[f"irfft{n}"] = {"c": cplx(c), "u": np.fft.irfft(c, n).tolist()}
u2 = rng.standard_normal((8, 16))
c2 = rng.standard_normal((8, 9)) + 1j * rng.standard_normal((8, 9))
out["rfft2_8x16"] = {"u": u2.ravel().tolist(), "c": cplx(np.fft.rfft2(u2))}
out["irfft2_8x16"] = {"c": cplx(c2), "u": np.fft.irfft2(c2, s=(8, 16)).ravel().tolist()}
u = rng.standard_normal(16)
out["resample16"] = {"u": u.tolist(), **{str(m): signal.resample(u, m).tolist() for m in (32, 8, 12)}}

path = os.path.join("operators", "testdata", "numpy_golden.json")
with open(path + ".tmp", "w") as f:
    json.dump(out, f, indent=1)
os.replace(path + ".tmp", path)
print("wrote", path, "numpy", np.__version__)
