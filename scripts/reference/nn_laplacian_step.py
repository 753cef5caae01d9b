#!/usr/bin/python3
"""PyTorch reference for nn's BenchmarkLaplacianStep.

One PINN training step: an MLP 2→64→64→64→1 (tanh, float64), the Laplacian
of its output at 4096 random points by torch.autograd.grad twice
(create_graph=True), the loss ½·mean(−Δu − f)², loss.backward(), and the
weight gradients copied out (as nn copies them into Param.Grad).

Tuned as DESIGN.md says: OMP_WAIT_POLICY=PASSIVE and OPENBLAS_NUM_THREADS=1
are set before torch is imported, and the step is timed with
torch.set_num_threads(1) and (2); the faster is what to report.

    /usr/bin/python3 scripts/reference/nn_laplacian_step.py [--steps 20] [--batch 4096]
"""
import argparse
import os
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--batch", type=int, default=4096)
    ap.add_argument("--width", type=int, default=64)
    ap.add_argument("--depth", type=int, default=3)
    a = ap.parse_args()
    print(f"torch {torch.__version__}, OMP_WAIT_POLICY={os.environ['OMP_WAIT_POLICY']}, "
          f"OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}")
    net, x, f = build(a.width, a.depth, a.batch)
    for threads in (1, 2):
        torch.set_num_threads(threads)
        for _ in range(3):
            step(net, x, f)
        t0 = time.perf_counter()
        for _ in range(a.steps):
            loss, _ = step(net, x, f)
        ms = (time.perf_counter() - t0) / a.steps * 1e3
        print(f"threads={threads}: {ms:.1f} ms/step (loss {loss:.6g}, batch {a.batch}, "
              f"2→{a.width}×{a.depth}→1 tanh float64)")


if __name__ == "__main__":
    main()
