#!/usr/bin/python3
"""Time one training epoch of the FNO-1D and FNO-2D of `go test ./fno -bench Epoch`
in PyTorch (Li et al.'s fourier_1d.py / fourier_2d.py architecture), for a
back-to-back speed comparison on the same machine.

Usage: scripts/reference/fno_epoch.py [--samples 1000] [--dtype float32|float64] [--go] [--openblas]

Tuned as DESIGN.md says: OMP_WAIT_POLICY=PASSIVE and OPENBLAS_NUM_THREADS=1
before importing torch; torch.set_num_threads 1 and 2 are both timed and the
faster reported. --go runs the Go benchmark right after, with the same
number of samples, and prints the ratios of wall times and of CPU times
(user + system over all threads: the steadier figure when other processes
share the cores). Both sides take one untimed step first and time whole
batches of 20.
"""
import argparse
import os
import subprocess
import time

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402


def cdtype():
    return torch.complex64 if torch.get_default_dtype() == torch.float32 else torch.complex128


class SpectralConv1d(nn.Module):
    def __init__(self, cin, cout, modes):
        super().__init__()
        self.modes = modes
        scale = 1 / (cin * cout)
        self.w = nn.Parameter(scale * torch.rand(cin, cout, modes, dtype=cdtype()))

    def forward(self, x):
        b, _, n = x.shape
        xf = torch.fft.rfft(x)
        out = torch.zeros(b, self.w.shape[1], n // 2 + 1, dtype=xf.dtype)
        out[:, :, :self.modes] = torch.einsum("bix,iox->box", xf[:, :, :self.modes], self.w.to(xf.dtype))
        return torch.fft.irfft(out, n=n)


class SpectralConv2d(nn.Module):
    def __init__(self, cin, cout, m1, m2):
        super().__init__()
        self.m1, self.m2 = m1, m2
        scale = 1 / (cin * cout)
        self.w1 = nn.Parameter(scale * torch.rand(cin, cout, m1, m2, dtype=cdtype()))
        self.w2 = nn.Parameter(scale * torch.rand(cin, cout, m1, m2, dtype=cdtype()))

    def forward(self, x):
        b, _, n1, n2 = x.shape
        xf = torch.fft.rfft2(x)
        out = torch.zeros(b, self.w1.shape[1], n1, n2 // 2 + 1, dtype=xf.dtype)
        m1, m2 = self.m1, self.m2
        out[:, :, :m1, :m2] = torch.einsum("bixy,ioxy->boxy", xf[:, :, :m1, :m2], self.w1.to(xf.dtype))
        out[:, :, -m1:, :m2] = torch.einsum("bixy,ioxy->boxy", xf[:, :, -m1:, :m2], self.w2.to(xf.dtype))
        return torch.fft.irfft2(out, s=(n1, n2))


class FNO(nn.Module):
    def __init__(self, dim, width, modes, layers=4, padding=0):
        super().__init__()
        self.dim, self.padding = dim, padding
        self.fc0 = nn.Linear(1 + dim, width)
        if dim == 1:
            self.convs = nn.ModuleList([SpectralConv1d(width, width, modes) for _ in range(layers)])
            self.ws = nn.ModuleList([nn.Conv1d(width, width, 1) for _ in range(layers)])
        else:
            self.convs = nn.ModuleList([SpectralConv2d(width, width, modes, modes) for _ in range(layers)])
            self.ws = nn.ModuleList([nn.Conv2d(width, width, 1) for _ in range(layers)])
        self.fc1 = nn.Linear(width, 128)
        self.fc2 = nn.Linear(128, 1)

    def forward(self, x):
        x = self.fc0(x)
        x = x.permute(0, -1, *range(1, self.dim + 1))
        if self.padding:
            x = F.pad(x, [0, self.padding] * self.dim)
        for i, (c, w) in enumerate(zip(self.convs, self.ws)):
            x = c(x) + w(x)
            if i < len(self.convs) - 1:
                x = F.gelu(x)
        if self.padding:
            x = x[..., :-self.padding] if self.dim == 1 else x[..., :-self.padding, :-self.padding]
        x = x.permute(0, *range(2, self.dim + 2), 1)
        return self.fc2(F.gelu(self.fc1(x)))


def epoch_time(dim, grid, width, modes, padding, samples, dtype):
    torch.manual_seed(0)
    torch.set_default_dtype(dtype)
    model = FNO(dim, width, modes, padding=padding)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
    shape = (samples,) + (grid,) * dim
    a = torch.randn(*shape, 1, dtype=dtype)
    coords = torch.meshgrid(*[torch.linspace(0, 1, grid, dtype=dtype)] * dim, indexing="ij")
    g = torch.stack(coords, -1).expand(samples, *([grid] * dim), dim)
    x = torch.cat([a, g], -1)
    u = torch.randn(*shape, 1, dtype=dtype)
    def step(i):
        xb, ub = x[i:i + 20], u[i:i + 20]
        opt.zero_grad()
        out = model(xb)
        d = (out - ub).reshape(len(xb), -1)
        loss = (d.norm(dim=1) / ub.reshape(len(xb), -1).norm(dim=1)).mean()
        loss.backward()
        opt.step()

    step(0)
    start, cpu = time.perf_counter(), time.process_time()
    for i in range(0, samples - 19, 20):
        step(i)
    scale = 1000 / (samples - samples % 20) * 1000  # ms per 1000 samples
    return (time.perf_counter() - start) * scale, (time.process_time() - cpu) * scale


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--samples", type=int, default=1000)
    p.add_argument("--dtype", default="float32")
    p.add_argument("--go", action="store_true")
    p.add_argument("--openblas", action="store_true", help="with --go, time the -tags openblas build too")
    args = p.parse_args()
    dtype = getattr(torch, args.dtype)
    print(f"torch {torch.__version__}, {args.dtype}, {args.samples} samples, times in ms per 1000-sample epoch")
    cases = [("fno1d-256", 1, 256, 64, 16, 0), ("fno2d-47", 2, 47, 32, 12, 5)]
    best = {}
    for name, dim, grid, width, modes, padding in cases:
        for threads in (1, 2):
            torch.set_num_threads(threads)
            ms, cpu = epoch_time(dim, grid, width, modes, padding, args.samples, dtype)
            print(f"{name} threads={threads}: {ms:.0f} ms/epoch, {cpu:.0f} CPU-ms/epoch")
            if ms < best.get(name, (float("inf"), 0))[0]:
                best[name] = (ms, cpu)
    if not args.go:
        return
    env = dict(os.environ, FNO_EPOCH_SAMPLES=str(args.samples))
    builds = [("default", [])] + ([("openblas", ["-tags", "openblas"])] if args.openblas else [])
    for build, tags in builds:
        out = subprocess.run(["go", "test", *tags, "./fno", "-run", "^$", "-bench", "Epoch/(fno1d|fno2d)", "-benchtime", "1x"],
                             env=env, capture_output=True, text=True, cwd=os.path.join(os.path.dirname(__file__), "..", "..")).stdout
        for line in out.splitlines():
            if "ms/epoch" in line:
                f = line.split()
                name = f[0].split("/")[1].rsplit("-", 1)[0]
                scale = 1000 / (args.samples - args.samples % 20)
                ms = float(f[f.index("ms/epoch") - 1]) * scale
                cpu = float(f[f.index("cpu-ms/epoch") - 1]) * scale
                wall, tcpu = best[name]
                print(f"go ({build}) {name}: {ms:.0f} ms/epoch, {cpu:.0f} CPU-ms/epoch; "
                      f"{ms / wall:.2f}× PyTorch's best wall time, {cpu / tcpu:.2f}× its CPU time")

if __name__ == "__main__":
    main()
