#!/usr/bin/env python3
"""Back-to-back speed of `neuralpde generate` against the plain-numpy solver.

Times, alternately and `--reps` times each on the same machine:
  * `neuralpde generate --preset burgers-periodic --n 100 --res 1024` with
    --workers 1 and with the default (one worker per core, GOMAXPROCS),
    wall time of the whole command (process start, sampling, solving,
    writing the .npz);
  * scripts/reference/classical_burgers_periodic.py (same method: Fourier
    pseudo-spectral, 1024 points, ETDRK4, dt = 1e-3; one thread), whose
    printed per-sample time excludes its set-up and file output.
Prints the best per-sample wall and CPU times and the ratios numpy / Go
(the machine is shared, so CPU time is the steadier comparison).

Run from the repository root after `go build -o /tmp/neuralpde ./cmd/neuralpde`:
  /usr/bin/python3 scripts/reference/data_generate_speed.py --bin /tmp/neuralpde
"""
import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import time


def run_go(binary, n, workers, out):
    """Returns (wall, CPU) seconds per sample of the whole command."""
    args = [binary, "generate", "--preset", "burgers-periodic", "--n", str(n), "--res", "1024",
            "--seed", "1", "--out", out, "--force", "-q"]
    if workers:
        args += ["--workers", str(workers)]
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True)
    wall = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    return wall / n, cpu / n


def run_numpy(n):
    """Returns (wall, CPU) seconds per sample as the script prints them."""
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    out = subprocess.run([sys.executable, "scripts/reference/classical_burgers_periodic.py", "--samples", str(n)],
                         check=True, capture_output=True, text=True, env=env).stdout
    m = re.search(r"([0-9.]+) ms wall, ([0-9.]+) ms CPU per sample", out)
    return float(m.group(1)) / 1e3, float(m.group(2)) / 1e3


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="/tmp/neuralpde")
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--reps", type=int, default=3)
    args = ap.parse_args()
    res = {"go1": [], "goP": [], "numpy": []}
    load0 = os.getloadavg()
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "b.npz")
        for _ in range(args.reps):
            res["go1"].append(run_go(args.bin, args.n, 1, out))
            res["goP"].append(run_go(args.bin, args.n, 0, out))
            res["numpy"].append(run_numpy(args.n))
    wall = {k: min(w for w, _ in v) for k, v in res.items()}
    cpu = {k: min(c for _, c in v) for k, v in res.items()}
    cores = os.cpu_count()
    print(f"load average before/after: {load0} / {os.getloadavg()}")
    for k, label in [("go1", "neuralpde generate, 1 worker"), ("goP", f"neuralpde generate, default workers ({cores} cores)"),
                     ("numpy", "numpy reference, 1 thread (solve only)")]:
        runs = ", ".join(f"{w * 1e3:.1f}/{c * 1e3:.1f}" for w, c in res[k])
        print(f"{label:50s} wall {wall[k] * 1e3:7.2f}  CPU {cpu[k] * 1e3:7.2f} ms/sample  (wall/CPU runs: {runs})")
    print(f"wall ratio numpy / Go, 1 worker:        {wall['numpy'] / wall['go1']:.2f}")
    print(f"wall ratio numpy / Go, default workers: {wall['numpy'] / wall['goP']:.2f}")
    print(f"CPU  ratio numpy / Go, 1 worker:        {cpu['numpy'] / cpu['go1']:.2f}")


if __name__ == "__main__":
    main()
