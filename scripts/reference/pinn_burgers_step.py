#!/usr/bin/python3
"""PyTorch reference for pinn's BenchmarkBurgersStep.

One step of the classic burgers-shock PINN (Raissi et al. 2019): an MLP
2→20×8→1 (tanh, float64, Glorot-normal weights), the Burgers residual
u_t + u u_x − (0.01/π) u_xx at N collocation points by torch.autograd.grad
(create_graph=True, twice for u_xx), the loss
½·mean(r²) + ½·mean((u − g)²) over 100 initial/boundary points,
loss.backward(), and the weight gradients copied out (as the Go side copies
them into Param.Grad). This is the work of one Adam step or one L-BFGS
line-search evaluation.

Tuned as DESIGN.md says: OMP_WAIT_POLICY=PASSIVE and OPENBLAS_NUM_THREADS=1
are set before torch is imported, and the step is timed with
torch.set_num_threads(1) and (2); the faster is what to report.

With --go the script builds pinn's test binary (with --openblas also the
-tags openblas build) and alternates, for --rounds rounds, a block of
--steps PyTorch steps at each thread count with a run of
BenchmarkBurgersStep of as many steps, and reports the minimum and median
wall ms/step, the CPU ms/step (all threads; less disturbed by the other
processes of a shared machine) and the ratios:

    /usr/bin/python3 scripts/reference/pinn_burgers_step.py --go --rounds 5 --steps 5
"""
import argparse
import math
import os
import re
import statistics
import subprocess
import tempfile
import time

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import torch  # noqa: E402

NU = 0.01 / math.pi


def build(n, width=20, depth=8):
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
    col = torch.rand(n, 2, dtype=torch.float64, generator=g)
    col[:, 0] = 2 * col[:, 0] - 1
    # 50 initial points u(0, x) = −sin(πx), 50 boundary points u(t, ±1) = 0.
    xb = 2 * torch.rand(50, dtype=torch.float64, generator=g) - 1
    tb = torch.rand(50, dtype=torch.float64, generator=g)
    side = torch.where(torch.rand(50, generator=g) < 0.5, -1.0, 1.0).double()
    bnd = torch.cat([torch.stack([xb, torch.zeros(50, dtype=torch.float64)], 1), torch.stack([side, tb], 1)])
    gb = torch.cat([-torch.sin(math.pi * xb), torch.zeros(50, dtype=torch.float64)]).unsqueeze(1)
    return net, col, bnd, gb


def step(net, col, bnd, gb):
    net.zero_grad(set_to_none=True)
    x = col.detach().requires_grad_(True)
    u = net(x)
    (du,) = torch.autograd.grad(u.sum(), x, create_graph=True)
    ux, ut = du[:, 0:1], du[:, 1:2]
    (d2u,) = torch.autograd.grad(ux.sum(), x, create_graph=True)
    uxx = d2u[:, 0:1]
    r = ut + u * ux - NU * uxx
    loss = 0.5 * (r**2).mean() + 0.5 * ((net(bnd) - gb) ** 2).mean()
    loss.backward()
    grads = [p.grad.numpy().copy() for p in net.parameters()]
    return loss.item(), grads


def time_torch(model, threads, steps):
    """Returns wall and CPU (all threads) ms per step, and the last loss."""
    torch.set_num_threads(threads)
    step(*model)
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(steps):
        loss, _ = step(*model)
    wall = (time.perf_counter() - t0) / steps * 1e3
    cpu = (time.process_time() - c0) / steps * 1e3
    return wall, cpu, loss


def time_go(binary, n, steps):
    out = subprocess.run(
        [binary, "-test.run", "^$", "-test.bench", f"BurgersStep/collocation{n}_20x8$",
         "-test.benchtime", f"{steps}x"],
        check=True, capture_output=True, text=True).stdout
    m = re.search(r"BurgersStep/\S+\s+\d+\s+(\d+) ns/op\s+([\d.]+) cpu-ms/op", out)
    if not m:
        raise SystemExit("no benchmark line in:\n" + out)
    return int(m.group(1)) / 1e6, float(m.group(2))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=5)
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--collocation", type=int, default=10000, choices=[2500, 10000])
    ap.add_argument("--go", action="store_true", help="alternate with pinn's Go benchmark")
    ap.add_argument("--openblas", action="store_true", help="also time the Go benchmark built with -tags openblas")
    a = ap.parse_args()
    print(f"torch {torch.__version__}, OMP_WAIT_POLICY={os.environ['OMP_WAIT_POLICY']}, "
          f"OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}, "
          f"burgers-shock PINN 2→20×8→1 tanh float64, {a.collocation} collocation + 100 boundary points")
    model = build(a.collocation)
    binaries = {}
    if a.go or a.openblas:
        root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
        tmp = tempfile.mkdtemp()
        binaries["neuralpde"] = os.path.join(tmp, "pinn.test")
        subprocess.run(["go", "test", "-c", "-o", binaries["neuralpde"], "./pinn"], cwd=root, check=True)
        if a.openblas:
            binaries["neuralpde openblas"] = os.path.join(tmp, "pinn_openblas.test")
            subprocess.run(["go", "test", "-tags", "openblas", "-c", "-o", binaries["neuralpde openblas"], "./pinn"],
                           cwd=root, check=True)
    names = ["torch threads=1", "torch threads=2"] + list(binaries)
    wall = {k: [] for k in names}
    cpu = {k: [] for k in names}
    for r in range(a.rounds):
        parts = []
        for threads in (1, 2):
            k = f"torch threads={threads}"
            w, c, loss = time_torch(model, threads, a.steps)
            wall[k].append(w)
            cpu[k].append(c)
            parts.append(f"{k} {w:.1f} ms (cpu {c:.1f})")
        for k, binary in binaries.items():
            w, c = time_go(binary, a.collocation, a.steps)
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
