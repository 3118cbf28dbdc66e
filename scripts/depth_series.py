"""Coefficients of the Abel function Φ and of the NTK sum function Ψ of the arc-cosine map near
its parabolic fixed point θ = 0 (SPEC §9, docs/DEPTH_JUMP.md), in power-series ball arithmetic
(Arb, through python-flint) at 4 800 bits.

In θ = arccos ρ one layer is θ ↦ F(θ) = arccos(1 − ε′), ε′ = ε − g(θ)/π, ε = 1 − cos θ,
g(θ) = sin θ − θ cos θ (SPEC §4). Write F(θ) = θ (1 + x(θ)), x = f1 θ + f2 θ² + …, f1 = −1/(3π).

  Φ(θ) = 3π/θ + (3/2) ln θ + Σ_{k≥1} c_k θ^k            Φ(F(θ)) = Φ(θ) + 1
  w(θ) = Φ′(θ)/sin θ = θ^{-3} Ω(θ)
  Ψ(θ) = a4/θ⁴ + a3/θ³ + a2/θ² + a1/θ + b ln θ + Σ_{k≥1} d_k θ^k
                                                          Ψ(F(θ)) − Ψ(θ) = cos F(θ) · w(F(θ))

Both functional equations are expanded in powers of θ; the coefficient of θ^m fixes one unknown
(c_{m−1} for Φ; a4, a3, a2, a1, b, d_1, … in turn for Ψ), a triangular system solved in order,
one product (1 + x)^k per unknown (O(N) series products of length N, each fast in Arb). Every
coefficient comes out as a ball: the script writes only digits its radius certifies (it fails
otherwise). The series diverge (|c_k| is smallest, ~1e-20, near k = 65, then grows like
k!/(6π²)^k: |c_200| ≈ 1e23, |c_1000| ≈ 7e796), so they are truncated; the truncation error at
θ is about e^{−6π²/θ} at the best order and far smaller at the orders used (docs/DEPTH_JUMP.md).

Checks (the script fails otherwise): Φ(F(θ)) − Φ(θ) − 1 and Ψ(F(θ)) − Ψ(θ) − cos F · w(F) from
the written tables, against F computed directly in Arb: the standard table with all its terms
at θ = 0.05, 0.2 and 0.5; the high table at its switch angle θ_s(d) for the lowest and highest
working digits d it serves, with the terms K(θ) the high-precision jump takes there
(src/depth/precise.ts: the same rules for θ_s and K are written out below).

Writes
  assembly/depthSeries.ts         float64 coefficients (AssemblyScript constants) for the float64 jump
  src/depth/seriesTable.ts        c_1 … c_164, d_1 … d_160 to 380 digits: the jump's runs at ≤ 372 working digits (P ≤ 300)
  src/depth/seriesTableHigh.ts    c_1 … c_1004, d_1 … d_1000 to at most 1 050 digits, each entry only to the
                                  digits its term can contribute at the switch angle: the runs beyond 372 digits (P ≤ 1000)
Needs python-flint (0.9: Arb's series arithmetic; pip install python-flint) and mpmath (1.3, with
gmpy2 if present: the decimal output and the Gauss–Legendre rule). Run: python3
scripts/depth_series.py (182 s of one core on a loaded 2-core machine, 90 s for Φ and 95 s for Ψ;
the former pure-mpmath derivation, O(N³) in Python, took ~15 minutes for the 164-term table alone).
The standard table and assembly/depthSeries.ts come out byte for byte as that derivation wrote them.
"""
import math
import os
import time

from flint import arb, arb_series, ctx
from mpmath import mp, mpf, nstr, cos

BITS = 4800  # Arb working precision; the certified digits of c_k fall by ~0.7 a term from ~1 440
PHI_TERMS = 164  # standard table: c_1 … c_164
PSI_TERMS = 160  # d_1 … d_160
TABLE_DIGITS = 380
HIGH_PSI_TERMS = 1000  # high table: d_1 … d_1000
HIGH_PHI_TERMS = HIGH_PSI_TERMS + 4  # c_1 … c_1004 (Ψ's equation at θ^{k+4} uses c up to k + 3)
HIGH_TABLE_DIGITS = 1050
ENTRY_MARGIN_DIGITS = 5  # each high-table entry's rounding stays 10^−5 below the working precision
FLOAT64_PHI_TERMS = 24
FLOAT64_PSI_TERMS = 24
GAUSS_NODES = 12
ORDERS = HIGH_PHI_TERMS + 8  # powers θ^0 … θ^{ORDERS−1} carried
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
START = time.time()


def log(msg):
    print(f"[{time.time() - START:6.0f} s] {msg}", flush=True)


# ---- the rules of src/depth/precise.ts (PreciseAbelSeries), mirrored for the tapering and the checks
def bits_for_digits(digits):
    return math.ceil(digits * math.log2(10)) + 8  # src/precise/precision.ts bitsForDigits


SWITCH_HEADROOM_BITS = 16  # θ_s leaves room for this many more bits (a cancelling checkpoint's extra digits)


def max_digits(table_digits):
    """Most working digits d with bitsForDigits(d) ≤ (table digits − 5) log2 10: what a table serves."""
    d = 1
    while bits_for_digits(d + 1) <= (table_digits - 5) * math.log2(10):
        d += 1
    return d


def terms_needed(bound, lam, bits, length):
    """K: the first k with bound_k − k λ ≤ −(bits + 8), λ = −log2 θ, at most length − 1."""
    for k in range(1, length):
        if bound[k] - k * lam <= -(bits + 8):
            return k
    return length - 1


def high_switch_angle(bound, digits):
    """θ_s = 2^−λ_s, λ_s = min_k (bound_k + bits + 8 + headroom)/k: the largest θ some K < N serves with headroom."""
    bits = bits_for_digits(digits)
    return 2.0 ** -min((bound[k] + bits + 8 + SWITCH_HEADROOM_BITS) / k for k in range(1, len(bound)))


def pad(s, n):
    c = list(s.coeffs())[:n]
    return c + [arb(0)] * (n - len(c))


def down(s, k, n):
    """θ^−k s for a series whose first k coefficients vanish."""
    return arb_series(pad(s, n + k)[k:])


# ---- F(θ) = 2 asin(√(ε′/2)), √(ε′/2) = θ √(ε′/(2θ²)), and 1 + x = F/θ
log("series of F")
ctx.prec = BITS
ctx.cap = ORDERS + 4
pi = arb.pi()
t = arb_series([0, 1])
eps_prime = (1 - t.cos()) - (t.sin() - t * t.cos()) / pi
half_sqrt = arb_series([arb(0)] + pad((down(eps_prime, 2, ORDERS + 2) / 2).sqrt(), ORDERS + 2))
F = 2 * half_sqrt.asin()
ctx.cap = ORDERS
opx = down(F, 1, ORDERS)
f1 = pad(opx, 2)[1]
assert abs(f1 + 1 / (3 * pi)) < arb(10) ** -1400
ln_opx = opx.log()
inv_opx = 1 / opx


def minus_one(s):
    c = pad(s, ORDERS)
    return arb_series([c[0] - 1] + c[1:])


def solve(resid, unknowns, powers_from):
    """The triangular system: unknowns (name, order, term series) in increasing order, then one
    unknown per power (1 + x)^k, k ≥ 1, whose term θ^{k+powers_from}((1 + x)^k − 1) first
    appears at order k + powers_from + 1. Returns {name: ball}, the power coefficients and the residual."""
    values = {}
    for name, order, term in unknowns:
        tc = pad(term, ORDERS)
        values[name] = -resid[order] / tc[order]
        resid = [resid[m] + values[name] * tc[m] for m in range(ORDERS)]
    coef = [arb(0)]
    power = arb_series([1])
    last = ORDERS - 2 - powers_from
    for k in range(1, last + 1):
        power = power * opx  # (1 + x)^k
        pc = pad(power, ORDERS)
        s = k + powers_from  # term θ^s (pc − 1): order m ≥ s + 1 has pc[m − s]
        x = -resid[s + 1] / pc[1]
        coef.append(x)
        for m in range(s + 1, ORDERS):
            resid[m] += x * pc[m - s]
        if k % 200 == 0:
            log(f"  term {k} of {last}")
    return values, coef, resid


# ---- Φ: 3π θ^{-1}((1+x)^{-1} − 1) + (3/2) ln(1+x) + Σ c_k θ^k((1+x)^k − 1) = 1
log("Φ")
R = 3 * pi * down(minus_one(inv_opx), 1, ORDERS) + arb(3) / 2 * ln_opx - 1
_, c, resid = solve(pad(R, ORDERS), [], 0)
c = c[: HIGH_PHI_TERMS + 1]
# each order m zeroed by c_{m−1}, up to rounding relative to that coefficient's size
assert all(abs(resid[m]) < arb(10) ** -600 * max(1, abs(c[m - 1])) for m in range(2, HIGH_PHI_TERMS + 2))

# ---- Ψ. Ω(θ) = θ³ w(θ) = (−3π + (3/2)θ + Σ k c_k θ^{k+1}) / (sin θ / θ)
log("Ψ")
num = [-3 * pi, arb(3) / 2] + [k * c[k] for k in range(1, HIGH_PHI_TERMS + 1)]
Omega = arb_series(num[:ORDERS]) / down(t.sin(), 1, ORDERS)
# θ³ · cos F · w(F) = (1+x)^{-3} cos(F) Ω(F)
RHS = inv_opx**3 * F.cos() * Omega(F)
# θ³ LHS = Σ_j a_j θ^{3−j}((1+x)^{−j} − 1) + b θ³ ln(1+x) + Σ d_k θ^{k+3}((1+x)^k − 1)
singular = [("a4", 0, down(minus_one(inv_opx**4), 1, ORDERS)), ("a3", 1, minus_one(inv_opx**3)),
            ("a2", 2, t * minus_one(inv_opx**2)), ("a1", 3, t * t * minus_one(inv_opx)), ("b", 4, t**3 * ln_opx)]
values, d, resid = solve([-v for v in pad(RHS, ORDERS)], singular, 3)
d = d[: HIGH_PSI_TERMS + 1]
assert all(abs(resid[m]) < arb(10) ** -600 * max(1, abs(values[n]) if m < 5 else abs(d[m - 4])) for m, n in zip(range(HIGH_PSI_TERMS + 5), ["a4", "a3", "a2", "a1", "b"] + [None] * HIGH_PSI_TERMS))
assert abs(values["a4"] + 9 * pi**2 / 4) < arb(10) ** -1000


# ---- decimal text, only digits the balls certify
mp.prec = BITS + 64


def to_mpf(x):
    m, e = x.mid().man_exp()
    return mp.ldexp(mpf(int(m)), int(e))


def certified_digits(x):
    """Significant digits of x's midpoint that its radius cannot change (conservatively)."""
    if x.rad() == 0:
        return 10**9
    return math.floor(float((abs(x.mid()) / x.rad()).log() / math.log(10))) - 2


def dec(x, digits):
    assert certified_digits(x) >= digits + 2, (x.str(5), certified_digits(x), digits)
    v = to_mpf(x)
    return nstr(v, digits, min_fixed=-1, max_fixed=-1) if v != 0 else "0"


def log2abs(x):
    return float(mp.log(abs(to_mpf(x)), 2))


# ---- the high table's term bound, switch angles and per-entry digits
log("tapering")
bound = [0]
envelope = 0.0
for k in range(1, HIGH_PHI_TERMS + 1):
    envelope = max(envelope, log2abs(c[k]), log2abs(d[k]) if k <= HIGH_PSI_TERMS else 0.0)
    bound.append(math.ceil(envelope))
psi_bound = bound[: HIGH_PSI_TERMS + 1]
D_LO = max_digits(TABLE_DIGITS) + 1  # the first working digits the standard table does not hold
D_HI = max_digits(HIGH_TABLE_DIGITS)
switch = {dd: high_switch_angle(psi_bound, dd) for dd in (D_LO, D_HI)}


def entry_digits(x, k):
    """Digits of x (c_k or d_k) whose rounding, times θ_s^k, stays below 10^−(d + 3 + margin) for every d served."""
    if x == 0:
        return 1
    lg = log2abs(x) * math.log10(2)
    need = max(1 + dd + 3 + ENTRY_MARGIN_DIGITS + lg + k * math.log10(th) for dd, th in switch.items())
    return min(HIGH_TABLE_DIGITS, max(20, math.ceil(need)))


phi_high = [dec(c[k], entry_digits(c[k], k)) for k in range(1, HIGH_PHI_TERMS + 1)]
psi_high = [dec(d[k], entry_digits(d[k], k)) for k in range(1, HIGH_PSI_TERMS + 1)]


# ---- check both tables, as written, against the exact map
def F_exact(th):
    return ((th.sin() + (pi - th) * th.cos()) / pi).acos()


def series_functions(singular, phi_text, psi_text):
    cs = [arb(0)] + [arb(x) for x in phi_text]
    ds = [arb(0)] + [arb(x) for x in psi_text]
    s = {n: arb(singular[n]) for n in singular}

    def phi(th, K):
        return 3 * pi / th + arb(3) / 2 * th.log() + sum((cs[k] * th**k for k in range(1, K + 1)), arb(0))

    def dphi(th, K):
        return -3 * pi / th**2 + arb(3) / (2 * th) + sum((k * cs[k] * th ** (k - 1) for k in range(1, K + 1)), arb(0))

    def psi(th, K):
        return s["a4"] / th**4 + s["a3"] / th**3 + s["a2"] / th**2 + s["a1"] / th + s["b"] * th.log() + sum((ds[k] * th**k for k in range(1, K + 1)), arb(0))

    return phi, dphi, psi


def residuals(funcs, th, K_phi, K_psi):
    phi, dphi, psi = funcs
    ft = F_exact(th)
    e1 = phi(ft, K_phi) - phi(th, K_phi) - 1
    e2 = (psi(ft, K_psi) - psi(th, K_psi) - ft.cos() * dphi(ft, K_phi) / ft.sin()) * th**4
    return e1, e2


singular_text = {n: dec(values[n], HIGH_TABLE_DIGITS) for n in ["a4", "a3", "a2", "a1", "b"]}
standard = series_functions(singular_text, [dec(c[k], TABLE_DIGITS) for k in range(1, PHI_TERMS + 1)], [dec(d[k], TABLE_DIGITS) for k in range(1, PSI_TERMS + 1)])
for th_text in ["0.05", "0.2", "0.5"]:
    th = arb(th_text)
    e1, e2 = residuals(standard, th, PHI_TERMS, PSI_TERMS)
    print(f"standard table, θ = {th_text}: Abel equation residual {e1.str(3)}, Ψ equation residual × θ⁴ {e2.str(3)}")
    limit = arb(10) ** (-110 if th_text == "0.05" else -40 if th_text == "0.2" else -17)
    assert abs(e1) < limit and abs(e2) < limit, th_text

high = series_functions(singular_text, phi_high, psi_high)
for dd in (D_LO, D_LO + 6, D_HI - 6, D_HI):
    bits = bits_for_digits(dd)
    # the lower run's switch angle, and 0.7 times it as the upper run (6 digits more) takes
    for scale in (1.0, 0.7):
        th_f = high_switch_angle(psi_bound, dd) * scale
        th = arb(th_f)
        lam = -math.log2(th_f)
        K_phi = terms_needed(bound, lam, bits, HIGH_PHI_TERMS + 1)
        K_psi = terms_needed(bound, lam, bits, HIGH_PSI_TERMS + 1)
        e1, e2 = residuals(high, th, K_phi, K_psi)
        print(f"high table, d = {dd}: θ = {th_f:.5f}, {K_phi} and {K_psi} terms: Abel residual {e1.str(3)}, Ψ residual × θ⁴ {e2.str(3)}")
        assert abs(e1) < arb(10) ** -dd and abs(e2) < arb(10) ** -dd, (dd, scale)

# ---- write the tables
c = [to_mpf(x) for x in c]
d = [to_mpf(x) for x in d]
v = {n: to_mpf(values[n]) for n in values}
mp.dps = 420


def f64(x):
    return repr(float(x))


def prettier_fill(items, indent="  ", width=160):
    """Items packed into lines as Prettier packs a number array (printWidth 160), so that the file stays as written."""
    lines, line = [], indent
    for item in items:
        candidate = line + ("" if line == indent else " ") + item + ","
        if len(candidate) > width and line != indent:
            lines.append(line)
            line = indent + item + ","
        else:
            line = candidate
    return "\n".join(lines + [line])


def dec_standard(x):
    return nstr(x, TABLE_DIGITS, min_fixed=-1, max_fixed=-1) if x != 0 else "0"


def gauss_legendre(n):
    """Nodes and weights of the n-point Gauss–Legendre rule, by Newton on P_n at 420 digits."""
    nodes, weights = [], []
    for i in range(1, n + 1):
        x = cos(mp.pi * (i - mpf(1) / 4) / (n + mpf(1) / 2))
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
    out.write("export const PSI_SINGULAR = {\n" + "".join(f'  {n}: "{dec_standard(v[n])}",\n' for n in ["a4", "a3", "a2", "a1", "b"]) + "} as const;\n")
    out.write(f"/** c_1 … c_{PHI_TERMS} (index 0 unused). */\n")
    out.write("export const PHI: readonly string[] = [\n  \"0\",\n" + "".join(f'  "{dec_standard(c[k])}",\n' for k in range(1, PHI_TERMS + 1)) + "];\n")
    out.write(f"/** d_1 … d_{PSI_TERMS} (index 0 unused). */\n")
    out.write("export const PSI: readonly string[] = [\n  \"0\",\n" + "".join(f'  "{dec_standard(d[k])}",\n' for k in range(1, PSI_TERMS + 1)) + "];\n")

with open(os.path.join(ROOT, "src", "depth", "seriesTableHigh.ts"), "w") as out:
    out.write("/**\n * Generated by scripts/depth_series.py: do not edit. The coefficients of ./seriesTable.ts, more of them\n")
    out.write(f" * (c_1 … c_{HIGH_PHI_TERMS}, d_1 … d_{HIGH_PSI_TERMS}) and to more digits, for the high-precision jump's runs at\n")
    out.write(f" * {D_LO} to {D_HI} working digits. Each entry keeps only the digits its term can contribute at those\n")
    out.write(f" * runs' switch angles (θ_s = {switch[D_LO]:.4f} at {D_LO} digits, {switch[D_HI]:.4f} at {D_HI}) plus {ENTRY_MARGIN_DIGITS}, at most {HIGH_TABLE_DIGITS}.\n */\n\n")
    out.write(f"/** Significant digits of the longest entries (a4 … b and the first c_k, d_k). */\nexport const HIGH_SERIES_TABLE_DIGITS = {HIGH_TABLE_DIGITS};\n")
    out.write("/** a4, a3, a2, a1, b of Ψ. */\n")
    out.write("export const HIGH_PSI_SINGULAR = {\n" + "".join(f'  {n}: "{singular_text[n]}",\n' for n in ["a4", "a3", "a2", "a1", "b"]) + "} as const;\n")
    out.write(f"/** c_1 … c_{HIGH_PHI_TERMS} (index 0 unused). */\n")
    out.write("export const HIGH_PHI: readonly string[] = [\n  \"0\",\n" + "".join(f'  "{x}",\n' for x in phi_high) + "];\n")
    out.write(f"/** d_1 … d_{HIGH_PSI_TERMS} (index 0 unused). */\n")
    out.write("export const HIGH_PSI: readonly string[] = [\n  \"0\",\n" + "".join(f'  "{x}",\n' for x in psi_high) + "];\n")
    out.write("/** ⌈log2 max(1, |c_i|, |d_i| : i ≤ k)⌉ for k = 0 … " + f"{HIGH_PHI_TERMS}: the bound on the k-th terms' coefficients behind the term count and the switch angle. */\n")
    out.write("export const HIGH_LOG2_BOUND: readonly number[] = [\n" + prettier_fill([str(b) for b in bound]) + "\n];\n")

print("a4..b:", [nstr(v[n], 12) for n in ["a4", "a3", "a2", "a1", "b"]])
print("c:", [nstr(c[k], 8) for k in range(1, 8)])
print("d:", [nstr(d[k], 8) for k in range(1, 8)])
print("|c_k|:", [nstr(abs(c[k]), 3) for k in range(100, HIGH_PHI_TERMS + 1, 100)])
print("|d_k|:", [nstr(abs(d[k]), 3) for k in range(100, HIGH_PSI_TERMS + 1, 100)])
print("high table digits per entry (c_k at k = 1, 100, …):", [len(phi_high[k - 1].split("e")[0]) - 2 for k in [1] + list(range(100, HIGH_PHI_TERMS + 1, 100))])
print(f"switch angles: {switch}; high table entries {sum(len(x) for x in phi_high + psi_high)} characters")
log("done")
