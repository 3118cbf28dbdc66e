"""Coefficients of the Abel function Φ and of the NTK sum function Ψ of the arc-cosine map near
its parabolic fixed point θ = 0 (SPEC §9, docs/DEPTH_JUMP.md), in power-series arithmetic with
mpmath at 420 digits.

In θ = arccos ρ one layer is θ ↦ F(θ) = arccos(1 − ε′), ε′ = ε − g(θ)/π, ε = 1 − cos θ,
g(θ) = sin θ − θ cos θ (SPEC §4). Write F(θ) = θ (1 + x(θ)), x = f1 θ + f2 θ² + …, f1 = −1/(3π).

  Φ(θ) = 3π/θ + (3/2) ln θ + Σ_{k≥1} c_k θ^k            Φ(F(θ)) = Φ(θ) + 1
  w(θ) = Φ′(θ)/sin θ = θ^{-3} Ω(θ)
  Ψ(θ) = a4/θ⁴ + a3/θ³ + a2/θ² + a1/θ + b ln θ + Σ_{k≥1} d_k θ^k
                                                          Ψ(F(θ)) − Ψ(θ) = cos F(θ) · w(F(θ))

Both functional equations are expanded in powers of θ; the coefficient of θ^m fixes one unknown
(c_{m−1} for Φ; a4, a3, a2, a1, b, d_1, … in turn for Ψ), a triangular system solved exactly in
the arithmetic of mpmath. The series diverge (|c_k| is smallest, ~1e-20, near k = 65, then grows
like k!/(6π²)^k), so they are truncated; the truncation error at θ is about e^{−6π²/θ} at the
best order and far smaller at the orders used (see docs/DEPTH_JUMP.md, and the check below).

Check (the script fails otherwise): Φ(F(θ)) − Φ(θ) − 1 and Ψ(F(θ)) − Ψ(θ) − cos F · w(F) are
evaluated at θ = 0.05, 0.2 and 0.5 from the truncated series against F computed directly by
mpmath at 420 digits.

Writes
  assembly/depthSeries.ts     float64 coefficients (AssemblyScript constants) for the float64 jump
  src/depth/seriesTable.ts    the same coefficients to 380 significant digits for the precise jump (P ≤ 300)
Run: python3 scripts/depth_series.py  (mpmath 1.3; about 15 minutes on a loaded 2-core machine)
"""
from mpmath import mp, mpf, pi, sin, cos, acos, log, nstr
import os

mp.dps = 420
N = 180  # orders of θ carried
PHI_TERMS = 164  # c_1 … c_164
PSI_TERMS = 160  # d_1 … d_160
FLOAT64_PHI_TERMS = 24
FLOAT64_PSI_TERMS = 24
TABLE_DIGITS = 380
GAUSS_NODES = 12
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def mul(a, b):
    r = [mpf(0)] * N
    for i, x in enumerate(a):
        if x == 0:
            continue
        for j in range(N - i):
            r[i + j] += x * b[j]
    return r


def inv(a):
    r = [mpf(0)] * N
    r[0] = 1 / a[0]
    for k in range(1, N):
        r[k] = -sum(a[j] * r[k - j] for j in range(1, k + 1)) / a[0]
    return r


def sqrt_series(a):
    r = [mpf(0)] * N
    r[0] = mp.sqrt(a[0])
    for k in range(1, N):
        r[k] = (a[k] - sum(r[j] * r[k - j] for j in range(1, k))) / (2 * r[0])
    return r


def compose(f, g):
    """f(g(θ)) for g(0) = 0."""
    r = [mpf(0)] * N
    p = [mpf(1)] + [mpf(0)] * (N - 1)
    for k in range(N):
        if f[k] != 0:
            for i in range(N):
                r[i] += f[k] * p[i]
        p = mul(p, g)
    return r


def log1p_series(a):
    """ln(a) for a[0] = 1, by integrating a′/a."""
    d = [(i + 1) * a[i + 1] for i in range(N - 1)] + [mpf(0)]
    q = mul(d, inv(a))
    return [mpf(0)] + [q[i - 1] / i for i in range(1, N)]


def shift(a, s):
    """θ^s · a for s ≥ 0."""
    return [mpf(0)] * s + a[: N - s]


fact = [mpf(1)]
for i in range(1, 2 * N + 4):
    fact.append(fact[-1] * i)
eps = [mpf(0)] * (N + 2)
g = [mpf(0)] * (N + 2)
for k in range(1, N // 2 + 2):
    if 2 * k < N + 2:
        eps[2 * k] = mpf(-1) ** (k + 1) / fact[2 * k]
    if 2 * k + 1 < N + 2:
        g[2 * k + 1] = mpf(-1) ** (k + 1) * 2 * k / fact[2 * k + 1]
# F = 2 asin(√(ε′/2)), √(ε′/2) = (θ/2) √(2ε′/θ²)
two_eps_over_t2 = [2 * (eps[i + 2] - g[i + 2] / pi) for i in range(N)]
half_sqrt = shift([v / 2 for v in sqrt_series(two_eps_over_t2)], 1)
asin_s = [mpf(0)] * N
for k in range(N // 2 + 1):
    if 2 * k + 1 < N:
        asin_s[2 * k + 1] = fact[2 * k] / (4**k * fact[k] ** 2 * (2 * k + 1))
F = [2 * v for v in compose(asin_s, half_sqrt)]
one_plus_x = F[1:] + [mpf(0)]  # F/θ
f1 = one_plus_x[1]
assert abs(f1 + 1 / (3 * pi)) < mpf(10) ** -400
inv_opx = inv(one_plus_x)
ln_opx = log1p_series(one_plus_x)
powers = [None, one_plus_x]  # (1+x)^k
for k in range(2, N + 1):
    powers.append(mul(powers[-1], one_plus_x))


def minus_one(a):
    return [a[0] - 1] + a[1:]


# ---- Φ: 3π θ^{-1}((1+x)^{-1} − 1) + (3/2) ln(1+x) + Σ c_k θ^k((1+x)^k − 1) = 1
R = [3 * pi * v for v in minus_one(inv_opx)[1:]] + [mpf(0)]
R = [R[i] + mpf(3) / 2 * ln_opx[i] for i in range(N)]
R[0] -= 1
c = [mpf(0)] * (PHI_TERMS + 1)
for k in range(1, PHI_TERMS + 1):
    term = shift(minus_one(powers[k]), k)  # θ^k((1+x)^k − 1), leading θ^{k+1} with coefficient k f1
    c[k] = -R[k + 1] / term[k + 1]
    R = [R[i] + c[k] * term[i] for i in range(N)]
assert max(abs(v) for v in R[: PHI_TERMS + 2]) < mpf(10) ** -200

# ---- Ψ. Ω(θ) = θ³ w(θ) = (−3π + (3/2)θ + Σ k c_k θ^{k+1}) / (sin θ / θ)
num = [mpf(0)] * N
num[0] = -3 * pi
num[1] = mpf(3) / 2
for k in range(1, PHI_TERMS + 1):
    if k + 1 < N:
        num[k + 1] = k * c[k]
sinc = [mpf(0)] * N
for k in range(0, N, 2):
    sinc[k] = mpf(-1) ** (k // 2) / fact[k + 1]
Omega = mul(num, inv(sinc))
cos_s = [mpf(0)] * N
for k in range(0, N, 2):
    cos_s[k] = mpf(-1) ** (k // 2) / fact[k]
# θ³ · cos F · w(F) = (1+x)^{-3} cos(F) Ω(F)
inv3 = mul(mul(inv_opx, inv_opx), inv_opx)
RHS = mul(inv3, mul(compose(cos_s, F), compose(Omega, F)))
# θ³ LHS = Σ_j a_j θ^{3−j}((1+x)^{−j} − 1) + b θ³ ln(1+x) + Σ d_k θ^{k+3}((1+x)^k − 1)
inv_pows = [None, inv_opx]
for j in range(2, 5):
    inv_pows.append(mul(inv_pows[-1], inv_opx))
a = {}
resid = [-v for v in RHS]
unknowns = [("a4", shift(minus_one(inv_pows[4]), 0)[:]),
            ("a3", shift(minus_one(inv_pows[3]), 0)), ("a2", shift(minus_one(inv_pows[2]), 0)),
            ("a1", shift(minus_one(inv_pows[1]), 0))]
# a_j θ^{3−j}(…): minus_one(inv_pows[j]) starts at θ^1, so the term starts at θ^{4−j}; a4 at θ^0
terms = []
for j, (name, base) in zip([4, 3, 2, 1], unknowns):
    s = 3 - j
    terms.append((name, [base[i + 1] if i + 1 < N else mpf(0) for i in range(N)] if s < 0 else shift(base, s)))
terms.append(("b", shift(ln_opx, 3)))
for k in range(1, PSI_TERMS + 1):
    terms.append((f"d{k}", shift(minus_one(powers[k]), k + 3)))
values = {}
for order, (name, t) in enumerate(terms):
    values[name] = -resid[order] / t[order]
    resid = [resid[i] + values[name] * t[i] for i in range(N)]
assert max(abs(v) for v in resid[: len(terms)]) < mpf(10) ** -200
assert abs(values["a4"] + 9 * pi**2 / 4) < mpf(10) ** -200
d = [mpf(0)] + [values[f"d{k}"] for k in range(1, PSI_TERMS + 1)]


# ---- check against the exact map at 420 digits
def F_exact(t):
    return acos((sin(t) + (pi - t) * cos(t)) / pi)


def phi(t, terms=PHI_TERMS):
    return 3 * pi / t + mpf(3) / 2 * log(t) + sum(c[k] * t**k for k in range(1, terms + 1))


def dphi(t, terms=PHI_TERMS):
    return -3 * pi / t**2 + mpf(3) / (2 * t) + sum(k * c[k] * t ** (k - 1) for k in range(1, terms + 1))


def psi(t, terms=PSI_TERMS):
    v = values
    return v["a4"] / t**4 + v["a3"] / t**3 + v["a2"] / t**2 + v["a1"] / t + v["b"] * log(t) + sum(d[k] * t**k for k in range(1, terms + 1))


for t in [mpf("0.05"), mpf("0.2"), mpf("0.5")]:
    ft = F_exact(t)
    e1 = phi(ft) - phi(t) - 1
    e2 = (psi(ft) - psi(t) - cos(ft) * dphi(ft) / sin(ft)) * t**4
    print(f"θ = {t}: Abel equation residual {nstr(e1, 3)}, Ψ equation residual × θ⁴ {nstr(e2, 3)}")
    limit = mpf(10) ** (-110 if t <= 0.05 else -40 if t <= 0.2 else -17)
    assert abs(e1) < limit and abs(e2) < limit, t


def gauss_legendre(n):
    """Nodes and weights of the n-point Gauss–Legendre rule, by Newton on P_n at 420 digits."""
    nodes, weights = [], []
    for i in range(1, n + 1):
        x = cos(pi * (i - mpf(1) / 4) / (n + mpf(1) / 2))
        for _ in range(100):
            p0, p1 = mpf(1), x
            for k in range(2, n + 1):
                p0, p1 = p1, ((2 * k - 1) * x * p1 - (k - 1) * p0) / k
            dp = n * (x * p1 - p0) / (x * x - 1)
            dx = p1 / dp
            x -= dx
            if abs(dx) < mpf(10) ** -400:
                break
        nodes.append(x)
        weights.append(2 / ((1 - x * x) * dp * dp))
    assert abs(sum(weights) - 2) < mpf(10) ** -200
    return sorted(nodes), [w for _, w in sorted(zip(nodes, weights))]


def f64(x):
    return repr(float(x))


def dec(x):
    return nstr(x, TABLE_DIGITS, min_fixed=-1, max_fixed=-1) if x != 0 else "0"


v = values
with open(os.path.join(ROOT, "assembly", "depthSeries.ts"), "w") as out:
    out.write("// Generated by scripts/depth_series.py: do not edit. Coefficients of the asymptotic series of the\n")
    out.write("// Abel function Φ and the NTK sum function Ψ at θ = 0 (SPEC §9, docs/DEPTH_JUMP.md), rounded to float64.\n")
    out.write("//   Φ(θ) = 3π/θ + (3/2) ln θ + Σ PHI_k θ^k\n")
    out.write("//   θ⁴ Ψ(θ) = PSI_A4 + PSI_A3 θ + PSI_A2 θ² + PSI_A1 θ³ + θ⁴ (PSI_B ln θ + Σ PSI_k θ^k)\n\n")
    out.write(f"/** Number of Φ coefficients PHI_1 … (the float64 jump sums them all). */\nexport const PHI_TERMS: i32 = {FLOAT64_PHI_TERMS};\n")
    out.write(f"/** Number of Ψ power coefficients PSI_1 … */\nexport const PSI_TERMS: i32 = {FLOAT64_PSI_TERMS};\n")
    for name in ["a4", "a3", "a2", "a1", "b"]:
        out.write(f"export const PSI_{name.upper()}: f64 = {f64(v[name])};\n")
    out.write(f"/** c_1 … c_{FLOAT64_PHI_TERMS} (index 0 unused). */\n")
    out.write("export const PHI_COEFFICIENTS: StaticArray<f64> = [0.0, " + ", ".join(f64(c[k]) for k in range(1, FLOAT64_PHI_TERMS + 1)) + "];\n")
    out.write(f"/** d_1 … d_{FLOAT64_PSI_TERMS} (index 0 unused). */\n")
    nodes, weights = gauss_legendre(GAUSS_NODES)
    out.write(f"/** Gauss–Legendre rule of {GAUSS_NODES} nodes on [−1, 1] (nodes ascending; weights sum to 2). */\n")
    out.write("export const GAUSS_NODES: StaticArray<f64> = [" + ", ".join(f64(x) for x in nodes) + "];\n")
    out.write("export const GAUSS_WEIGHTS: StaticArray<f64> = [" + ", ".join(f64(x) for x in weights) + "];\n")
    out.write("export const PSI_COEFFICIENTS: StaticArray<f64> = [0.0, " + ", ".join(f64(d[k]) for k in range(1, FLOAT64_PSI_TERMS + 1)) + "];\n")

with open(os.path.join(ROOT, "src", "depth", "seriesTable.ts"), "w") as out:
    out.write("/**\n * Generated by scripts/depth_series.py: do not edit. The coefficients of the asymptotic series of\n")
    out.write(" * the Abel function Φ and of the NTK sum function Ψ (SPEC §9, docs/DEPTH_JUMP.md) to\n")
    out.write(f" * {TABLE_DIGITS} significant digits, for the high-precision jump:\n")
    out.write(" *   Φ(θ) = 3π/θ + (3/2) ln θ + Σ_k PHI[k] θ^k\n")
    out.write(" *   Ψ(θ) = a4/θ⁴ + a3/θ³ + a2/θ² + a1/θ + b ln θ + Σ_k PSI[k] θ^k\n */\n\n")
    out.write(f"/** Significant digits of every entry. */\nexport const SERIES_TABLE_DIGITS = {TABLE_DIGITS};\n")
    out.write("/** a4, a3, a2, a1, b of Ψ. */\n")
    out.write("export const PSI_SINGULAR = {\n" + "".join(f'  {n}: "{dec(v[n])}",\n' for n in ["a4", "a3", "a2", "a1", "b"]) + "} as const;\n")
    out.write(f"/** c_1 … c_{PHI_TERMS} (index 0 unused). */\n")
    out.write("export const PHI: readonly string[] = [\n  \"0\",\n" + "".join(f'  "{dec(c[k])}",\n' for k in range(1, PHI_TERMS + 1)) + "];\n")
    out.write(f"/** d_1 … d_{PSI_TERMS} (index 0 unused). */\n")
    out.write("export const PSI: readonly string[] = [\n  \"0\",\n" + "".join(f'  "{dec(d[k])}",\n' for k in range(1, PSI_TERMS + 1)) + "];\n")
print("a4..b:", [nstr(v[n], 12) for n in ["a4", "a3", "a2", "a1", "b"]])
print("c:", [nstr(c[k], 8) for k in range(1, 8)])
print("d:", [nstr(d[k], 8) for k in range(1, 8)])
print("|c_k| near the end:", [nstr(abs(c[k]), 3) for k in range(60, PHI_TERMS + 1, 5)])
print("|d_k| near the end:", [nstr(abs(d[k]), 3) for k in range(56, PSI_TERMS + 1, 5)])
