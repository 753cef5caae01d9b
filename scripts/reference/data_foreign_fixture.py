"""Write testdata/foreign_au.npz: a dataset as another tool would save it,
just float32 arrays a (inputs, 8×16) and u (outputs, their running sums),
no metadata. The CLI test trains and evaluates an FNO on it."""
import numpy as np

rng = np.random.default_rng(0)
a = rng.standard_normal((8, 16)).astype(np.float32)
u = (np.cumsum(a, axis=1) / 16).astype(np.float32)
np.savez("testdata/foreign_au.npz", a=a, u=u)
