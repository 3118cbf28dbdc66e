"""The direct Gram recursion in numpy, the peer of gramThroughDepthFloat64 in `npm run bench`.

m random points on the sphere S^(n0-1) (paper case sigma_w = 1, sigma_b = 0), both complements
eps = 1 - Sigma-bar and u = 1 - Theta-bar carried for every unique pair as numpy arrays, one layer
as a few vectorized passes (SPEC section 4, docs/RECURSIONS.md):
    theta = 2 asin(sqrt(eps/2)), g = sin(theta) - theta cos(theta) (series below theta = 1),
    eps' = eps - g/pi,  u' = a (u + (1 - u) theta/pi) + b eps',  a = tau_l/tau_(l+1), b = 1/tau_(l+1),
with tau_l = l in the paper's case. Prints one JSON object: the median seconds of `repeats` runs
after a warm-up and nanoseconds per unique pair per depth step (and the numpy version).

Usage: python3 bench/gram_numpy.py M N0 L REPEATS
"""
import json
import sys
import time

import numpy as np

# g(theta)/theta^3 as a polynomial in theta^2 (the coefficients of assembly/correlation.ts).
G = [(-1) ** (k + 1) * 2 * k / float(np.prod(np.arange(1, 2 * k + 2, dtype=np.float64))) for k in range(1, 11)]


def g_of_theta(theta):
    g = np.sin(theta) - theta * np.cos(theta)
    small = theta < 1.0
    t = theta[small]
    t2 = t * t
    p = np.full_like(t, G[-1])
    for c in reversed(G[:-1]):
        p = c + t2 * p
    g[small] = t * t2 * p
    return g


def run(points, depth):
    i, j = np.triu_indices(points.shape[0], 1)
    d = points[i] - points[j]
    eps = 0.5 * np.einsum("ij,ij->i", d, d)
    u = eps.copy()
    for layer in range(1, depth):
        theta = 2.0 * np.arcsin(np.sqrt(0.5 * eps))
        eps_next = eps - g_of_theta(theta) / np.pi
        a = layer / (layer + 1.0)
        b = 1.0 / (layer + 1.0)
        u = a * (u + (1.0 - u) * (theta / np.pi)) + b * eps_next
        eps = eps_next
    return eps, u


def main():
    m, n0, depth, repeats = (int(x) for x in sys.argv[1:5])
    rng = np.random.default_rng(88172645)
    x = rng.uniform(-0.5, 0.5, (m, n0))
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    run(x, depth)
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        run(x, depth)
        times.append(time.perf_counter() - t0)
    seconds = float(np.median(times))
    pair_steps = m * (m - 1) / 2 * (depth - 1)
    print(json.dumps({"seconds": seconds, "nsPerPairStep": seconds * 1e9 / pair_steps, "numpy": np.__version__}))


if __name__ == "__main__":
    main()
