#!/usr/bin/python3
"""PyTorch reference for nn's BenchmarkLaplacianStep.

One PINN training step: an MLP 2→64→64→64→1 (tanh, float64), the Laplacian
of its output at 4096 random points by torch.autograd.grad twice
(create_graph=True), the loss ½·mean(−Δu − f)², loss.backward(), and the
weight gradients copied out (as nn copies them into Param.Grad).

Tuned as DESIGN.md says: OMP_WAIT_POLICY=PASSIVE and OPENBLAS_NUM_THREADS=1
are set before torch is imported, and the step is timed with
torch.set_num_threads(1) and (2); the faster is what to report.

The machine is shared and noisy, so with --go the script builds nn's test
binary and alternates, for --rounds rounds, a block of --steps PyTorch steps
at each thread count with a run of BenchmarkLaplacianStep of as many steps,
and reports the minimum and median wall ms/step of each side (interference
only adds time, so the minimum is the cleanest estimate), the CPU ms/step
(all threads; less disturbed by other processes), and the ratios:

    /usr/bin/python3 scripts/reference/nn_laplacian_step.py --go --rounds 7 --steps 10

--openblas adds the Go benchmark built with -tags openblas (OpenBLAS through
gonum's netlib wrapper, one thread) to each round.
"""
import argparse
import os
import re
import statistics
import subprocess
import tempfile
import time

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import math  # noqa: E402

import torch  # noqa: E402


def build(width, depth, batch):
    torch.manual_seed(1)
    layers = []
    d = 2
    for _ in range(depth):
        layers += [torch.nn.Linear(d, width), torch.nn.Tanh()]
        d = width
    layers.append(torch.nn.Linear(d, 1))
    net = torch.nn.Sequential(*layers).double()
    for m in net:
        if isinstance(m, torch.nn.Linear):
            torch.nn.init.xavier_normal_(m.weight)
            torch.nn.init.zeros_(m.bias)
    g = torch.Generator().manual_seed(3)
    x = torch.rand(batch, 2, dtype=torch.float64, generator=g)
    f = 2 * math.pi**2 * torch.sin(math.pi * x[:, 0:1]) * torch.sin(math.pi * x[:, 1:2])
    return net, x, f


def step(net, x, f):
    net.zero_grad(set_to_none=True)
    x = x.detach().requires_grad_(True)
    u = net(x)
    (du,) = torch.autograd.grad(u.sum(), x, create_graph=True)
    lap = 0
    for i in range(2):
        (d2u,) = torch.autograd.grad(du[:, i].sum(), x, create_graph=True)
        lap = lap + d2u[:, i : i + 1]
    loss = 0.5 * ((-lap - f) ** 2).mean()
    loss.backward()
    # The output bias does not affect a Laplacian-only loss: its grad is None.
    grads = [p.grad.numpy().copy() if p.grad is not None else torch.zeros_like(p).numpy() for p in net.parameters()]
    return loss.item(), grads


def time_torch(net, x, f, threads, steps):
    """Returns wall and CPU (all threads) ms per step, and the last loss."""
    torch.set_num_threads(threads)
    step(net, x, f)
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(steps):
        loss, _ = step(net, x, f)
    wall = (time.perf_counter() - t0) / steps * 1e3
    cpu = (time.process_time() - c0) / steps * 1e3
    return wall, cpu, loss


def time_go(binary, steps):
    out = subprocess.run(
        [binary, "-test.run", "^$", "-test.bench", "LaplacianStep/batch4096_64x3$",
         "-test.benchtime", f"{steps}x"],
        check=True, capture_output=True, text=True).stdout
    m = re.search(r"LaplacianStep/\S+\s+\d+\s+(\d+) ns/op\s+([\d.]+) cpu-ms/op", out)
    if not m:
        raise SystemExit("no benchmark line in:\n" + out)
    return int(m.group(1)) / 1e6, float(m.group(2))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--batch", type=int, default=4096)
    ap.add_argument("--width", type=int, default=64)
    ap.add_argument("--depth", type=int, default=3)
    ap.add_argument("--go", action="store_true", help="alternate with nn's Go benchmark")
    ap.add_argument("--openblas", action="store_true", help="also time the Go benchmark built with -tags openblas")
    a = ap.parse_args()
    print(f"torch {torch.__version__}, OMP_WAIT_POLICY={os.environ['OMP_WAIT_POLICY']}, "
          f"OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}, "
          f"batch {a.batch}, 2→{a.width}×{a.depth}→1 tanh float64")
    net, x, f = build(a.width, a.depth, a.batch)
    binaries = {}
    if a.go or a.openblas:
        if (a.batch, a.width, a.depth) != (4096, 64, 3):
            raise SystemExit("--go compares the Go benchmark's fixed size: batch 4096, width 64, depth 3")
        root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
        tmp = tempfile.mkdtemp()
        binaries["neuralpde"] = os.path.join(tmp, "nn.test")
        subprocess.run(["go", "test", "-c", "-o", binaries["neuralpde"], "./nn"], cwd=root, check=True)
        if a.openblas:
            binaries["neuralpde openblas"] = os.path.join(tmp, "nn_openblas.test")
            subprocess.run(["go", "test", "-tags", "openblas", "-c", "-o", binaries["neuralpde openblas"], "./nn"],
                           cwd=root, check=True)
    names = ["torch threads=1", "torch threads=2"] + list(binaries)
    wall = {k: [] for k in names}
    cpu = {k: [] for k in names}
    for r in range(a.rounds):
        parts = []
        for threads in (1, 2):
            k = f"torch threads={threads}"
            w, c, loss = time_torch(net, x, f, threads, a.steps)
            wall[k].append(w)
            cpu[k].append(c)
            parts.append(f"{k} {w:.1f} ms (cpu {c:.1f})")
        for k, binary in binaries.items():
            w, c = time_go(binary, a.steps)
            wall[k].append(w)
            cpu[k].append(c)
            parts.append(f"{k} {w:.1f} ms (cpu {c:.1f})")
        print(f"round {r + 1}: " + ", ".join(parts) + f"; torch loss {loss:.6g}", flush=True)
    for k in names:
        if wall[k]:
            print(f"{k:18s} wall min {min(wall[k]):7.1f} median {statistics.median(wall[k]):7.1f} ms/step; "
                  f"cpu min {min(cpu[k]):7.1f} median {statistics.median(cpu[k]):7.1f} ms/step")
    t_wall = min(min(wall["torch threads=1"]), min(wall["torch threads=2"]))
    t_med = min(statistics.median(wall["torch threads=1"]), statistics.median(wall["torch threads=2"]))
    t_cpu = min(min(cpu["torch threads=1"]), min(cpu["torch threads=2"]))
    for k in binaries:
        print(f"ratio torch/{k}: wall min {t_wall / min(wall[k]):.2f}, "
              f"wall median {t_med / statistics.median(wall[k]):.2f}, "
              f"cpu min {t_cpu / min(cpu[k]):.2f} (faster torch thread count each time)")

if __name__ == "__main__":
    main()
