"""Coefficients of the polynomial forms of θ(ε) and g(θ(ε)) used by assembly/complementSeries.ts.

For ε = 1 − ρ in [0, EPS_MAX] (SPEC §4), with r = sqrt(2ε):
    θ / π      = r · TA(ε),        TA(ε) = 2 asin(sqrt(ε/2)) / (π r)
    g(θ) / π   = r · ε · TB(ε),    TB(ε) = (sin θ − θ cos θ) / (π ε r)
TA and TB are analytic on [0, 2) (their nearest singularity is ε = 2), so Chebyshev fits of
degree DEGREE on [0, EPS_MAX] reach ~1e-18 absolute; evaluated by Horner in float64 they are within
1.5e-16 relative of the exact functions (checked below at 400 points, and the script fails otherwise).
Prints the AssemblyScript constants. Run: python3 scripts/complement_series.py  (mpmath 1.3)
"""
from mpmath import mp, mpf, asin, sqrt, sin, cos, pi, chebyfit

mp.dps = 50
EPS_MAX = mpf("0.45")
DEGREE = 12


def ta(e):
    return 2 * asin(sqrt(e / 2)) / (pi * sqrt(2 * e))


def tb(e):
    th = 2 * asin(sqrt(e / 2))
    return (sin(th) - th * cos(th)) / (pi * e * sqrt(2 * e))


def main():
    for name, f in [("TA", ta), ("TB", tb)]:
        coeffs, err = chebyfit(f, [mpf(0), EPS_MAX], DEGREE + 1, error=True)
        as_f64 = [float(c) for c in coeffs]
        worst = mpf(0)
        for k in range(1, 401):
            x = float(EPS_MAX * k / 400)
            p = 0.0
            for c in as_f64:
                p = p * x + c
            worst = max(worst, abs((mpf(p) - f(mpf(x))) / f(mpf(x))))
        assert worst < 2e-16, (name, worst)
        print(f"// {name}: Chebyshev fit error {mp.nstr(err, 2)}, float64 Horner within {mp.nstr(worst, 2)} relative on (0, {EPS_MAX}]")
        for k, c in enumerate(reversed(as_f64)):
            print(f"const {name}{k}: f64 = {c!r};")


if __name__ == "__main__":
    main()
