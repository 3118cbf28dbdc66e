/**
 * The Abel function Φ and the NTK sum function Ψ of SPEC §9 at any precision, from their
 * asymptotic series (coefficients in ./seriesTable.ts and ./seriesTableHigh.ts, derived by
 * scripts/depth_series.py): the high-precision twin of assembly/depthJump.ts's series part.
 *
 *   Φ(θ) = 3π/θ + (3/2) ln θ + Σ c_k θ^k,   Φ(F(θ)) = Φ(θ) + 1
 *   Ψ(θ) = a4/θ⁴ + a3/θ³ + a2/θ² + a1/θ + b ln θ + Σ d_k θ^k,   Ψ(F(θ)) − Ψ(θ) = cos F(θ) w(F(θ))
 *   w(θ) = Φ′(θ)/sin θ
 *
 * Evaluated in BigFloat (Horner on coefficients converted once per precision and cached; ln and
 * sin from ../precise/elementary.ts): decimal.js's ln and sin alone cost more than the rest.
 * The series diverge (|c_k| ~ k!/(6π²)^k beyond k ≈ 65), so they are used below a switch angle
 * θ_s and truncated at the first K(θ) whose term bound falls below 2^−(bits+8). Two tables: the
 * standard one (380 digits, 164 and 160 terms, all below 1 where its θ_s has them used) serves
 * runs to 372 working digits (every run of P ≤ 300); the high one (to 1 050 digits, 1 004 and
 * 1 000 terms, growing to ~1e800, so it tabulates a bound on them; ~850 KB, imported on first
 * use, so a browser fetches it only when needed) serves the rest, to P = 1000.
 * The caller vouches for the truncation by computing again with another switch angle (hence
 * other exact steps and term counts).
 */
import { type BigFloat, BigFloatContext } from "../precise/bigFloat.js";
import { lnBig, sinBig } from "../precise/elementary.js";
import { bitsForDigits } from "../precise/precision.js";
import { PHI, PSI, PSI_SINGULAR, SERIES_TABLE_DIGITS } from "./seriesTable.js";

/** One coefficient table and the switch angle that goes with it. */
export interface SeriesTable {
  /** Significant digits of its longest entries; it serves runs whose bits fit in 5 digits fewer. */
  readonly digits: number;
  readonly singular: Readonly<Record<"a4" | "a3" | "a2" | "a1" | "b", string>>;
  /** "0", c_1, c_2, … */
  readonly phi: readonly string[];
  /** "0", d_1, d_2, … */
  readonly psi: readonly string[];
  /** b_k = ⌈log2 max(1, |c_j|, |d_j| : j ≤ k)⌉, or null where every term its switch angle calls for has |c_k|, |d_k| < 1. */
  readonly log2Bound: readonly number[] | null;
  /** θ_s for a run at `digits` working digits. */
  switchAngle(digits: number): number;
}

const STANDARD_TABLE: SeriesTable = {
  digits: SERIES_TABLE_DIGITS,
  singular: PSI_SINGULAR,
  phi: PHI,
  psi: PSI,
  log2Bound: null,
  // K(θ_s) ≈ 136 terms, where |c_k|, |d_k| < 10^−3 (scripts/depth_series.py prints them), and at most
  // 0.3, where the series' best truncation (~e^{−6π²/θ} ≈ 1e-86) is far below what the lower precisions need.
  switchAngle: (digits) => Math.min(0.3, 10 ** -((digits + 3) / 136)),
};

/** Bits θ_s leaves to spare below 2^−(bits+8): a cancelling checkpoint's extra digits (about 4 near θ_s) fit in them. */
const SWITCH_HEADROOM_BITS = 16;

/** Digits of the high table's longest entries (./seriesTableHigh.ts's HIGH_SERIES_TABLE_DIGITS, checked on loading). */
const HIGH_TABLE_DIGITS = 1050;

/** The high table, once loaded: a module of ~850 KB, so that a browser fetches it only for a run beyond 372 digits. */
let highTable: Promise<SeriesTable> | null = null;

async function loadHighTable(): Promise<SeriesTable> {
  const t = await import("./seriesTableHigh.js");
  if (t.HIGH_SERIES_TABLE_DIGITS !== HIGH_TABLE_DIGITS)
    throw new RangeError(`the high series table holds ${t.HIGH_SERIES_TABLE_DIGITS} digits, ${HIGH_TABLE_DIGITS} expected`);
  const bound = t.HIGH_LOG2_BOUND;
  return {
    digits: HIGH_TABLE_DIGITS,
    singular: t.HIGH_PSI_SINGULAR,
    phi: t.HIGH_PHI,
    psi: t.HIGH_PSI,
    log2Bound: bound,
    // The largest θ where some K < 1000 has 2^{b_K} θ^K below 2^−(bits+8+headroom): 2^−λ with
    // λ = min_K (b_K + bits + 8 + headroom)/K (θ_s ≈ 0.065 at 373 digits, 0.014 at 1 042).
    switchAngle(digits) {
      const need = bitsForDigits(digits) + 8 + SWITCH_HEADROOM_BITS;
      let lambda = Infinity;
      for (let k = 1; k < t.HIGH_PSI.length; k++) lambda = Math.min(lambda, (bound[k]! + need) / k);
      return 2 ** -lambda;
    },
  };
}

/** Whether a table of `tableDigits` digits serves a run at `digits` working digits. */
function holds(tableDigits: number, digits: number): boolean {
  return bitsForDigits(digits) <= (tableDigits - 5) * Math.log2(10);
}

/** Most digits a series table serves (the high table's): 1 042. */
export const MAX_JUMP_SERIES_DIGITS = (() => {
  let d = SERIES_TABLE_DIGITS;
  while (holds(HIGH_TABLE_DIGITS, d + 1)) d++;
  return d;
})();

/**
 * The table whose coefficients hold `digits` digits: the smallest (the high one loaded on first
 * use). `digits` ≤ {@link MAX_JUMP_SERIES_DIGITS}.
 */
export async function jumpSeriesTable(digits: number): Promise<SeriesTable> {
  if (holds(SERIES_TABLE_DIGITS, digits)) return STANDARD_TABLE;
  if (digits > MAX_JUMP_SERIES_DIGITS) throw new RangeError(`the series tables hold ${HIGH_TABLE_DIGITS} digits, ${digits} asked`);
  highTable ??= loadHighTable();
  return highTable;
}

/** Series evaluators by table and mantissa bits: a run converts the table's entries once, later runs at the same precision reuse them. */
const BY_BITS = new Map<string, PreciseAbelSeries>();

/** Φ, Φ′, Ψ and w in BigFloat of `bits` mantissa bits; π is read from `pi` (a decimal literal or a BigFloat of any precision). */
export class PreciseAbelSeries {
  readonly ctx: BigFloatContext;
  /** π at this precision. */
  readonly pi: BigFloat;
  private readonly threePi: BigFloat;
  private readonly threeHalves: BigFloat;
  private readonly c: readonly BigFloat[];
  /** k c_k, the coefficients of Φ′'s power series. */
  private readonly kc: readonly BigFloat[];
  private readonly d: readonly BigFloat[];
  private readonly a4: BigFloat;
  private readonly a3: BigFloat;
  private readonly a2: BigFloat;
  private readonly a1: BigFloat;
  private readonly b: BigFloat;

  private constructor(
    private readonly table: SeriesTable,
    bits: number,
    pi: BigFloat,
  ) {
    const c = new BigFloatContext(bits);
    this.ctx = c;
    this.pi = c.normalize(pi.m, pi.e);
    this.threePi = c.mul(c.fromInteger(3), this.pi);
    this.threeHalves = c.scale2(c.fromInteger(3), -1);
    this.c = table.phi.map((x) => c.fromDecimalText(x));
    this.kc = this.c.map((x, k) => c.mul(c.fromInteger(k), x));
    this.d = table.psi.map((x) => c.fromDecimalText(x));
    this.a4 = c.fromDecimalText(table.singular.a4);
    this.a3 = c.fromDecimalText(table.singular.a3);
    this.a2 = c.fromDecimalText(table.singular.a2);
    this.a1 = c.fromDecimalText(table.singular.a1);
    this.b = c.fromDecimalText(table.singular.b);
  }

  /**
   * The evaluator of `table` at `bits` mantissa bits (more than the table's digits where a
   * checkpoint's sum cancels: the caller picks the table by the digits its coefficients must
   * hold). Made once per table and precision; `pi` must hold at least `bits` correct bits.
   */
  static at(table: SeriesTable, bits: number, pi: BigFloat): PreciseAbelSeries {
    const key = `${table.digits}:${bits}`;
    let s = BY_BITS.get(key);
    if (s === undefined) {
      s = new PreciseAbelSeries(table, bits, pi);
      BY_BITS.set(key, s);
    }
    return s;
  }

  /** Terms of the power series needed at θ: the first K whose bound 2^{b_K} θ^K is below 2^−(bits+8), capped at the table's length. */
  private terms(theta: BigFloat, length: number): number {
    const bits = this.ctx.bits;
    const target = bits + 8;
    const bound = this.table.log2Bound;
    if (bound === null) return Math.min(length - 1, Math.ceil(target / Math.max(-(theta.e + bits), 1e-9))); // θ < 2^(e + bits)
    // Bounds growing like k log k: −log2 θ from θ's leading 53 bits (not its exponent alone) keeps K short of the smallest term.
    const lambda = -(Math.log2(Number(theta.m >> BigInt(bits - 53))) + theta.e + bits - 53);
    for (let k = 1; k < length; k++) if (bound[k]! - k * lambda <= -target) return k;
    return length - 1;
  }

  /** Σ_{k=1}^{K} coef_k θ^k (Horner), or Σ k c_k θ^{k−1} for `table = kc`. */
  private horner(theta: BigFloat, table: readonly BigFloat[], derivative: boolean): BigFloat {
    const c = this.ctx;
    const K = this.terms(theta, table.length);
    let s = c.zero;
    for (let k = K; k >= 1; k--) s = derivative ? c.add(c.mul(s, theta), table[k]!) : c.mul(c.add(s, table[k]!), theta);
    return s;
  }

  /** ln θ (for callers that need it beside Φ or Ψ: compute once, pass it in). */
  ln(theta: BigFloat): BigFloat {
    return lnBig(this.ctx, theta);
  }

  /** sin x for |x| ≤ 2. */
  sin(x: BigFloat): BigFloat {
    return sinBig(this.ctx, x);
  }

  /** Φ(θ) for 0 < θ ≤ θ_s. */
  phi(theta: BigFloat, lnTheta = this.ln(theta)): BigFloat {
    const c = this.ctx;
    return c.add(c.add(c.div(this.threePi, theta), c.mul(this.threeHalves, lnTheta)), this.horner(theta, this.c, false));
  }

  /** Φ′(θ) = −3π/θ² + 3/(2θ) + Σ k c_k θ^{k−1}. */
  phiPrime(theta: BigFloat): BigFloat {
    const c = this.ctx;
    const singular = c.div(c.sub(this.threeHalves, c.div(this.threePi, theta)), theta);
    return c.add(singular, this.horner(theta, this.kc, true));
  }

  /** w(θ) = Φ′(θ)/sin θ. */
  w(theta: BigFloat): BigFloat {
    return this.ctx.div(this.phiPrime(theta), this.sin(theta));
  }

  /** Ψ(θ) for 0 < θ ≤ θ_s. */
  psi(theta: BigFloat, lnTheta = this.ln(theta)): BigFloat {
    const c = this.ctx;
    const inv = c.div(c.one, theta);
    const singular = c.mul(c.add(c.mul(c.add(c.mul(c.add(c.mul(this.a4, inv), this.a3), inv), this.a2), inv), this.a1), inv);
    return c.add(c.add(singular, c.mul(this.b, lnTheta)), this.horner(theta, this.d, false));
  }

  /**
   * θ with Φ(θ) = t (t ≥ Φ(θ_s)), by Newton until the step is below 2^−(bits−8) θ; from `guess`,
   * or else from 3π/(t − (3/2) ln(3π/t)).
   */
  inversePhi(t: BigFloat, guess?: BigFloat): BigFloat {
    const c = this.ctx;
    let theta = guess;
    if (theta === undefined) {
      const x = c.div(this.threePi, t);
      theta = c.div(this.threePi, c.sub(t, c.mul(this.threeHalves, this.ln(x))));
    }
    for (let i = 0; i < 60; i++) {
      const step = c.div(c.sub(this.phi(theta), t), this.phiPrime(theta));
      theta = c.sub(theta, step);
      if (c.isZero(step) || step.e + c.bits <= theta.e + 8) return theta;
    }
    throw new RangeError("Newton on Φ did not converge");
  }
}
