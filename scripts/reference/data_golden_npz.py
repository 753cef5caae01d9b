"""Write testdata/numpy_golden.npz, the numpy-written file data's tests read.

Run from the repository root: /usr/bin/python3 scripts/reference/data_golden_npz.py
"""
import json

import numpy as np

meta = {"format": 1, "note": "written by numpy", "values": [1.5, -2]}
np.savez(
    "testdata/numpy_golden.npz",
    scalar=np.float64(3.25),
    vec=np.array([0.0, 1.0, -2.5, 1e-300]),
    mat=np.arange(6, dtype=np.float64).reshape(2, 3) / 7,
    cube=np.arange(24, dtype=np.float64).reshape(2, 3, 4),
    empty=np.zeros((0, 5)),
    meta=np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8),
)
np.savez_compressed(
    "testdata/numpy_golden_compressed.npz",
    vec=np.array([0.0, 1.0, -2.5, 1e-300]),
)
np.savez("testdata/numpy_int.npz", ints=np.arange(3, dtype=np.int64))
