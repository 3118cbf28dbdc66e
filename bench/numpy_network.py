"""The work of bench/width.ts's whole-network row in numpy float64, for comparison.

One ReLU network in the NTK parametrization (docs/FINITE_WIDTH.md): weights regenerated per layer
(numpy's PCG64 + ziggurat standard_normal, seeded by (seed, layer)) in the forward pass and again
in the backward pass, forward and backward passes batched over the inputs as matrix products, and
the empirical NTK by the layer factorization. Run single-threaded with OPENBLAS_NUM_THREADS=1
(bench/width.ts sets it). Prints one JSON line: {"seconds": median wall, "cpuSeconds": median CPU, "repeats": k, "numpy": version}.

Usage: python3 bench/numpy_network.py WIDTH DEPTH INPUTS [REPEATS]
"""
import json
import sys
import time

import numpy as np


def weights(seed, layer, rows, cols):
    return np.random.default_rng([seed, layer]).standard_normal((rows, cols))


def network_ntk(x, width, depth, seed=1, sigma_w=1.0):
    n0, m = x.shape
    widths = [n0] + [width] * (depth - 1) + [1]
    acts = [x]
    for l in range(1, depth + 1):
        z = (sigma_w / np.sqrt(widths[l - 1])) * (weights(seed, l, widths[l], widths[l - 1]) @ acts[-1])
        acts.append(np.maximum(z, 0.0) if l < depth else z)
    theta = np.zeros((m, m))
    d = np.ones((1, m))
    for l in range(depth, 0, -1):
        a = acts[l - 1]
        theta += (d.T @ d) * (sigma_w**2 / widths[l - 1]) * (a.T @ a)
        if l > 1:
            d = (sigma_w / np.sqrt(widths[l - 1])) * (weights(seed, l, widths[l], widths[l - 1]).T @ d)
            d *= acts[l - 1] > 0
    return acts[-1], theta


def main():
    width, depth, inputs = (int(v) for v in sys.argv[1:4])
    repeats = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    x = np.eye(inputs)
    network_ntk(x, width, depth)
    times = []
    cpu = []
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        network_ntk(x, width, depth)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    print(json.dumps({"seconds": float(np.median(times)), "cpuSeconds": float(np.median(cpu)), "repeats": repeats, "numpy": np.__version__}))


if __name__ == "__main__":
    main()
