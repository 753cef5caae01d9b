#!/usr/bin/python3
"""Back-to-back speed of package operators' real FFTs against numpy.fft (pocketfft).

Times numpy.fft.rfft (1-D, n = 64..8192) and numpy.fft.rfft2 (n x n, n = 64..512),
runs the matching Go benchmarks (Fourier.Forward, Fourier2D.Forward) in between,
times numpy again, and prints the fastest time of each with the ratio Go/numpy.
Times are process CPU time per transform on both sides (time.process_time;
the benchmarks' cpu-ns/op): on a shared machine the wall time includes
waiting for a core.
All sizes here are powers of two, so the Go side is operators' radix-4 real FFT
(gonum's FFTPACK port serves the other sizes).

Run from the repository root:  /usr/bin/python3 scripts/reference/operators_fft_speed.py
To time a compiled test binary instead (for example one built from an older
commit with go test -c), pass it:  ... operators_fft_speed.py --binary /tmp/operators.test
"""
import argparse
import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import re
import subprocess
import time
import timeit

import numpy as np

SIZES_1D = [64, 256, 1024, 4096, 8192]
SIZES_2D = [64, 128, 256, 512]


def numpy_times():
    rng = np.random.default_rng(1)
    t = {}
    for n in SIZES_1D:
        u = rng.standard_normal(n)
        number = max(10, 200000 // n)
        t[("1d", n)] = min(timeit.repeat(lambda: np.fft.rfft(u), number=number, repeat=5, timer=time.process_time)) / number
    for n in SIZES_2D:
        u = rng.standard_normal((n, n))
        number = max(3, 2000000 // (n * n))
        t[("2d", n)] = min(timeit.repeat(lambda: np.fft.rfft2(u), number=number, repeat=5, timer=time.process_time)) / number
    return t


def go_times(binary):
    if binary:
        cmd = [binary, "-test.run", "XXX", "-test.bench", "^BenchmarkFourier(2D)?Forward$",
               "-test.benchtime", "0.2s", "-test.count", "5"]
    else:
        cmd = ["go", "test", "-run", "XXX", "-bench", "^BenchmarkFourier(2D)?Forward$",
               "-benchtime", "0.2s", "-count", "5", "./operators"]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    t = {}
    for m in re.finditer(r"BenchmarkFourier(2D)?Forward/(\d+)-\d+\s+\d+\s+[\d.]+ ns/op\s+([\d.]+) cpu-ns/op", out):
        key = ("2d" if m.group(1) else "1d", int(m.group(2)))
        t[key] = min(t.get(key, float("inf")), float(m.group(3)) * 1e-9)
    return t


parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
parser.add_argument("--binary", help="compiled operators test binary to time instead of go test")
args = parser.parse_args()
a = numpy_times()
g = go_times(args.binary)
b = numpy_times()
print(f"numpy {np.__version__}; CPU time, fastest of repeated runs; ratio = Go time / numpy time")
print(f"{'transform':>16} {'numpy':>12} {'Go':>12} {'ratio':>7}")
for key in [("1d", n) for n in SIZES_1D] + [("2d", n) for n in SIZES_2D]:
    tn = min(a[key], b[key])
    label = f"rfft {key[1]}" if key[0] == "1d" else f"rfft2 {key[1]}x{key[1]}"
    print(f"{label:>16} {tn * 1e6:10.1f}us {g[key] * 1e6:10.1f}us {g[key] / tn:7.2f}")
