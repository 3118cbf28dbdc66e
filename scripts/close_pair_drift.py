"""Why the float64 complement recursion drifts for very close pairs (docs/DEPTH_JUMP.md §5).

Runs the paper's step eps' = eps - g(theta)/pi (SPEC §4) for 1000 layers three ways: exactly
(mpmath, 60 digits) and in float64 in the two algebraically equal forms eps*(1 - r*T) (the form
of assembly/gram.ts below SERIES_EPS_MAX, r = sqrt(2 eps)) and eps - (eps*r)*T, with the
polynomial T replaced by its exact value rounded once, so that only the rounding of the step
itself is measured. Prints the relative error of each float64 form after 1000 layers.
Usage: python3 scripts/close_pair_drift.py
"""
import math

from mpmath import asin, cos, mp, mpf, pi, sin, sqrt

mp.dps = 60


def step_exact(e):
    th = 2 * asin(sqrt(e / 2))
    return e - (sin(th) - th * cos(th)) / pi


def t_of(e):
    """(eps - eps')/(eps r), the factor the float64 step multiplies by, rounded once."""
    return float((e - step_exact(e)) / (e * sqrt(2 * e)))


for e1 in [1e-26, 1e-20, 1e-16, 1e-12, 1e-8]:
    exact = mpf(e1)
    a = b = e1
    for _ in range(1000):
        exact = step_exact(exact)
        a = a * (1.0 - math.sqrt(a + a) * t_of(mpf(a)))
        b = b - (b * math.sqrt(b + b)) * t_of(mpf(b))
    print(f"eps1 = {e1:.0e}: eps*(1 - r*T) {float((mpf(a) - exact) / exact):+.2e}   eps - (eps*r)*T {float((mpf(b) - exact) / exact):+.2e}")
