#!/usr/bin/python3
"""PyTorch reference for train's optimizers on the table problem.

Reads the .npz written by train's TestTorchReference (initial weights of
the MLP 2→32→32→1 tanh, the 1024 training points, and Go's loss traces),
replays the same full-batch runs with torch.optim in float64 from the same
weights, and prints one JSON object: for each optimizer the torch loss
trace. The Go test compares the traces (element-wise methods must agree to
rounding; L-BFGS only in the loss reached, since torch's line search
differs in its details).

    go test ./train -run TestTorchReference -v -torch
"""
import json
import os
import sys

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import torch  # noqa: E402

torch.set_num_threads(1)


def load(path):
    z = np.load(path)
    meta = json.loads(bytes(z["meta"]))
    weights = [torch.tensor(z["param:" + name], dtype=torch.float64) for name in meta["params"]]
    return meta, weights, torch.tensor(z["x"]), torch.tensor(z["y"])


def model(ws, x):
    h = x
    for l in range(0, len(ws), 2):
        h = h @ ws[l] + ws[l + 1]
        if l + 2 < len(ws):
            h = torch.tanh(h)
    return h


def run(name, cfg, weights, x, y):
    ws = [w.clone().requires_grad_(True) for w in weights]
    steps = cfg["steps"]

    def loss_fn():
        return 0.5 * torch.mean((model(ws, x)[:, 0] - y) ** 2)

    trace = []
    if name == "LBFGS":
        opt = torch.optim.LBFGS(ws, lr=1, history_size=10, max_iter=1, line_search_fn="strong_wolfe",
                                tolerance_grad=0, tolerance_change=0)

        def closure():
            opt.zero_grad()
            loss = loss_fn()
            loss.backward()
            return loss

        for _ in range(steps):
            trace.append(loss_fn().item())
            opt.step(closure)
        return trace
    if name == "Adam":
        opt = torch.optim.Adam(ws, lr=cfg["lr"])
    elif name == "AdamW":
        opt = torch.optim.AdamW(ws, lr=cfg["lr"], weight_decay=cfg["wd"])
    elif name == "AMSGrad":
        opt = torch.optim.Adam(ws, lr=cfg["lr"], amsgrad=True)
    elif name == "AdaMax":
        opt = torch.optim.Adamax(ws, lr=cfg["lr"])
    elif name == "SGD-Nesterov":
        opt = torch.optim.SGD(ws, lr=cfg["lr"], momentum=cfg["momentum"], nesterov=True)
    else:
        raise ValueError(name)
    for _ in range(steps):
        opt.zero_grad()
        loss = loss_fn()
        trace.append(loss.item())
        loss.backward()
        opt.step()
    return trace


def main(path):
    meta, weights, x, y = load(path)
    out = {name: run(name, cfg, weights, x, y) for name, cfg in meta["runs"].items()}
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
