"""Why the float64 complement recursion drifts for very close pairs, and the cure (docs/DEPTH_JUMP.md §5).

Runs the paper's step eps' = eps - g(theta)/pi (SPEC §4) for 1000 layers exactly (mpmath, 60
digits) and in float64: in the two algebraically equal forms eps*(1 - r*T) (the form assembly/gram.ts
used below SERIES_EPS_MAX before the cure, r = sqrt(2 eps)) and eps - (eps*r)*T, and in the
compensated form assembly/gram.ts now uses, eps = e + ce as a double word:
q = e*(r*T) - ce, s = e - q, ce = (e - s) - q (exact, Fast2Sum), e = s. The polynomial T is replaced
by its exact value rounded once, so that only the rounding of the step itself is measured. Prints
the relative error of each form after 1000 layers, and for the first form the sums over the layers
of the relative rounding errors of its two operations (1 - r*T, then eps*(...)): both are biased,
since r*T and the position of eps on its grid barely change from one layer to the next.
Usage: python3 scripts/close_pair_drift.py
"""
import math

from mpmath import asin, cos, mp, mpf, pi, sin, sqrt

mp.dps = 60
LAYERS = 1000


def step_exact(e):
    th = 2 * asin(sqrt(e / 2))
    return e - (sin(th) - th * cos(th)) / pi


def t_of(e):
    """(eps - eps')/(eps r), the factor the float64 step multiplies by, rounded once."""
    return float((e - step_exact(e)) / (e * sqrt(2 * e)))


def rel(x, exact):
    return float((mpf(x) - exact) / exact)


for e1 in [1e-26, 1e-20, 1e-16, 1e-12, 1e-8]:
    exact = mpf(e1)
    a = b = c = e1
    cc = 0.0
    factor_sum = product_sum = mpf(0)
    for _ in range(LAYERS):
        exact = step_exact(exact)
        rt = math.sqrt(a + a) * t_of(mpf(a))
        f = 1.0 - rt
        factor_sum += (mpf(f) - (1 - mpf(rt))) / (1 - mpf(rt))
        n = a * f
        product_sum += (mpf(n) - mpf(a) * mpf(f)) / (mpf(a) * mpf(f))
        a = n
        b = b - (b * math.sqrt(b + b)) * t_of(mpf(b))
        q = c * (math.sqrt(c + c) * t_of(mpf(c))) - cc
        s = c - q
        cc = (c - s) - q
        c = s
    print(
        f"eps1 = {e1:.0e}: eps*(1 - r*T) {rel(a, exact):+.2e} (roundings of 1 - r*T {float(factor_sum):+.2e}, of the product {float(product_sum):+.2e})"
        f"   eps - (eps*r)*T {rel(b, exact):+.2e}   compensated {float((mpf(c) + mpf(cc) - exact) / exact):+.2e}"
    )
