#!/usr/bin/env python3
"""Open a train.Run checkpoint with numpy alone and summarise it.

Usage: python3 scripts/reference/train_checkpoint.py CKPT.npz

Prints the metadata (format, model kind, optimizer, step) and one line per
array: its key, dtype and shape. Parameters are "param:<name>" with the
model's shapes; optimizer state "opt:<key>", schedule state "sched:<key>",
loop state "loop:<key>". Exits non-zero when the file does not have that
layout, so train's Go test can run it as a compatibility check.
"""
import json
import sys

import numpy as np


def main(path):
    z = np.load(path)
    meta = json.loads(bytes(z["meta"]))
    for key in ("format", "model_kind", "optimizer", "schedule", "step", "epoch", "params"):
        if key not in meta:
            sys.exit(f"{path}: metadata has no {key!r}")
    print(f"format {meta['format']} kind {meta['model_kind']!r} optimizer {meta['optimizer']} "
          f"schedule {meta['schedule']} step {meta['step']} epoch {meta['epoch']}")
    for p in meta["params"]:
        a = z["param:" + p["name"]]
        if a.dtype != np.float64 or list(a.shape) != list(p["shape"]):
            sys.exit(f"{path}: parameter {p['name']} is {a.dtype}{a.shape}, metadata says {p['shape']}")
    for key in sorted(k for k in z.files if k != "meta"):
        a = z[key]
        if a.dtype != np.float64:
            sys.exit(f"{path}: {key} has dtype {a.dtype}")
        print(f"{key} {a.dtype} {list(a.shape)}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
