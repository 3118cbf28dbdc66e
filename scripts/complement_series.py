"""Coefficients of the polynomial forms of θ(ε) and g(θ(ε)) used by assembly/complementSeries.ts
(and its TypeScript port in src/gram/plain.ts).

For ε = 1 − ρ (SPEC §4), with r = sqrt(2ε):
    θ / π      = r · TA(ε),        TA(ε) = 2 asin(sqrt(ε/2)) / (π r)
    g(θ) / π   = r · ε · TB(ε),    TB(ε) = (sin θ − θ cos θ) / (π ε r)
TA and TB are analytic on [0, 2) (their nearest singularity is ε = 2). Two Chebyshev fits of degree
12 each: on [0, 0.45] in ε, and on [0.45, 0.8] in t = ε − 0.625 (exact in float64 there, by
Sterbenz's lemma). Fit errors are ~1e-18 absolute; evaluated in float64 by Estrin's scheme, as
the kernels do, they are within 3.4e-16 relative of the exact functions (checked at 400 points per
interval; the script fails otherwise). Prints the AssemblyScript constants, ascending powers.
Run: python3 scripts/complement_series.py  (mpmath 1.3)
"""
from mpmath import mp, mpf, asin, sqrt, sin, cos, pi, chebyfit

mp.dps = 50
DEGREE = 12
# (suffix, lower end, upper end, expansion point)
INTERVALS = [("", mpf("0"), mpf("0.45"), mpf("0")), ("M", mpf("0.45"), mpf("0.8"), mpf("0.625"))]


def ta(e):
    return 2 * asin(sqrt(e / 2)) / (pi * sqrt(2 * e))


def tb(e):
    th = 2 * asin(sqrt(e / 2))
    return (sin(th) - th * cos(th)) / (pi * e * sqrt(2 * e))


def estrin(c, e):
    """c[0] + c[1] e + ... + c[12] e^12 in float64, in the order of estrin() in assembly/complementSeries.ts."""
    e2 = e * e
    e4 = e2 * e2
    e8 = e4 * e4
    low = c[0] + c[1] * e + e2 * (c[2] + c[3] * e) + e4 * (c[4] + c[5] * e + e2 * (c[6] + c[7] * e))
    high = c[8] + c[9] * e + e2 * (c[10] + c[11] * e) + e4 * c[12]
    return low + e8 * high


def main():
    for suffix, lo, hi, center in INTERVALS:
        for name, f in [("TA", ta), ("TB", tb)]:
            coeffs, err = chebyfit(lambda t: f(t + center), [lo - center, hi - center], DEGREE + 1, error=True)
            as_f64 = [float(c) for c in coeffs]
            worst = mpf(0)
            for k in range(1, 401):
                x = float(lo + (hi - lo) * k / 400)
                p = estrin(list(reversed(as_f64)), x - float(center))
                worst = max(worst, abs((mpf(p) - f(mpf(x))) / f(mpf(x))))
            assert worst < 4e-16, (name, suffix, worst)
            print(f"// {name}{suffix} on [{lo}, {hi}] in ε − {center}: Chebyshev fit error {mp.nstr(err, 2)}, float64 Estrin within {mp.nstr(worst, 2)} relative")
            for k, c in enumerate(reversed(as_f64)):
                print(f"const {name}{suffix}{k}: f64 = {c!r};")


if __name__ == "__main__":
    main()
