"""PyTorch reference for the DeepONet antiderivative benchmark.

The same network, normalisation, loss and optimiser as deeponet.Train with
deeponet.DefaultConfig(): unstacked DeepONet, branch [100, 40, 40], trunk
[1, 40, 40], tanh or relu (--activation; also after the trunk's output layer, as DeepXDE), a
scalar output bias, inputs normalised per sensor and outputs by their mean
and standard deviation, MSE, Adam at 1e-3, full batch: aligned, 150
functions x 100 points (Cartesian product: one trunk evaluation per step);
unaligned (--layout unaligned), 10,000 triples (u, y, G(u)(y)) drawn from
the training file's (function, point) pairs.

Tuned as DESIGN.md says: OMP_WAIT_POLICY=PASSIVE and OPENBLAS_NUM_THREADS=1
before importing torch; run with --threads 1 and --threads 2 and report the
faster.

    OMP_WAIT_POLICY=PASSIVE OPENBLAS_NUM_THREADS=1 /usr/bin/python3 \
        scripts/reference/deeponet_antiderivative.py \
        --train anti_train.npz --test anti_test.npz --steps 10000 --threads 1

The .npz files are datasets written by data.Generate (inputs (n, 100),
outputs (n, 100), x (100)).
"""
import argparse
import json
import os
import time

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import torch  # noqa: E402


def mlp(sizes, last_act, act):
    layers = []
    for i in range(len(sizes) - 1):
        lin = torch.nn.Linear(sizes[i], sizes[i + 1]).double()
        torch.nn.init.xavier_normal_(lin.weight)
        torch.nn.init.zeros_(lin.bias)
        layers.append(lin)
        if i < len(sizes) - 2 or last_act:
            layers.append(torch.nn.ReLU() if act == "relu" else torch.nn.Tanh())
    return torch.nn.Sequential(*layers)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--train", required=True)
    ap.add_argument("--test", required=True)
    ap.add_argument("--steps", type=int, default=10000)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--every", type=int, default=1000)
    ap.add_argument("--activation", choices=["tanh", "relu"], default="tanh")
    ap.add_argument("--layout", choices=["aligned", "unaligned"], default="aligned")
    ap.add_argument("--triples", type=int, default=10000)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)

    tr, te = np.load(args.train), np.load(args.test)
    u, s, x = tr["inputs"], tr["outputs"], tr["x"]
    ut, st = te["inputs"], te["outputs"]
    in_mean, in_std = u.mean(0), u.std(0) + 1e-8
    out_mean, out_std = s.mean(), s.std() + 1e-8

    U = torch.tensor((u - in_mean) / in_std)
    Y = torch.tensor(x.reshape(-1, 1))
    S = torch.tensor(s)
    Ut = torch.tensor((ut - in_mean) / in_std)
    St = torch.tensor(st)

    branch = mlp([100, 40, 40], False, args.activation)
    trunk = mlp([1, 40, 40], True, args.activation)
    b0 = torch.nn.Parameter(torch.zeros(1, dtype=torch.float64))
    params = list(branch.parameters()) + list(trunk.parameters()) + [b0]
    opt = torch.optim.Adam(params, lr=1e-3)

    def predict(Uin):
        return out_std * (branch(Uin) @ trunk(Y).T + b0) + out_mean

    if args.layout == "unaligned":
        # Triples (u_f, y_p, G(u_f)(y_p)) for distinct random (f, p) pairs.
        rng = np.random.default_rng(args.seed)
        pick = rng.choice(u.shape[0] * x.size, size=args.triples, replace=False)
        f, p = pick // x.size, pick % x.size
        Ux, Yx, Sx = U[f], Y[p], S[f, p]

        def train_pred():
            return out_std * ((branch(Ux) * trunk(Yx)).sum(1) + b0) + out_mean
        target = Sx
    else:
        def train_pred():
            return predict(U)
        target = S

    t0 = time.perf_counter()
    c0 = time.process_time()
    for step in range(1, args.steps + 1):
        opt.zero_grad(set_to_none=True)
        loss = torch.mean((train_pred() - target) ** 2)
        loss.backward()
        opt.step()
        if step % args.every == 0:
            print(f"step {step} loss {loss.item():.3e} {time.perf_counter() - t0:.1f}s", flush=True)
    wall = time.perf_counter() - t0
    cpu = time.process_time() - c0
    with torch.no_grad():
        pt = predict(Ut)
        mse = torch.mean((pt - St) ** 2).item()
        rel = torch.mean(torch.linalg.norm(pt - St, dim=1) / torch.linalg.norm(St, dim=1)).item()
    print(json.dumps({"layout": args.layout, "activation": args.activation, "threads": args.threads, "steps": args.steps, "wall_s": round(wall, 2),
                      "ms_per_step": round(1e3 * wall / args.steps, 3),
                      "cpu_ms_per_step": round(1e3 * cpu / args.steps, 3),
                      "test_mse": mse, "test_rel_l2": rel}))


if __name__ == "__main__":
    main()
