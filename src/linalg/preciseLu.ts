/**
 * LU factorization with partial pivoting in decimal.js (PA = LU), and what SPEC §5 reports
 * together from it: det, log10|det| with its sign, the 1-norm condition number, and solves with
 * several right-hand sides. The high-precision twin of `linalg/lu.ts`: Gram determinants of deep
 * kernels fall far below anything float64 can resolve, and here they are computed at the
 * precision of a Decimal class the caller passes (a value, never a global setting).
 *
 * Matrices are row-major arrays of Decimals: entry (i, j) of an n × n matrix is `a[i * n + j]`.
 * Entries are used exactly as given (more digits than the working precision are kept until the
 * first operation rounds them).
 */
import type { Decimal } from "decimal.js";
import { NtkError } from "../errors.js";
import { checkSquareShape } from "./lu.js";
import { checkArray, checkDecimal, checkDecimalClass, checkInteger, checkObject } from "../argumentTypes.js";
import { digitsVouched } from "../digits.js";
import { DECIMAL_CONSTANT_DIGITS, checkPrecision, preciseDecimal } from "../precise/precision.js";
import { BASE_GUARD_DIGITS } from "../precise/precision.js";
import { type Steps, offsetSteps, runStepsSync } from "../progress.js";
import { vouchTwiceSync, vouchedByText } from "../precise/vouched.js";

/** The factors of PA = LU at one working precision. */
export interface LuFactorsPrecise {
  /** Order n ≥ 1. */
  readonly n: number;
  /** Row-major n × n: unit lower L strictly below the diagonal, U on and above it. */
  readonly factors: Decimal[];
  /** `pivots[j]` is the row interchanged with row j at step j (LAPACK's ipiv, 0-based). */
  readonly pivots: Int32Array;
  /** First column whose pivot is exactly 0 (the whole remaining column was 0), or −1. */
  readonly zeroPivotColumn: number;
}

/** det A at a working precision, with its base-10 logarithm and sign. */
export interface DeterminantPrecise {
  /** det A; exactly 0 only when a pivot is exactly 0. Never under- or overflows (exponents to ±9e15). */
  readonly det: Decimal;
  /** log10|det A|, or `null` when det is exactly 0. */
  readonly log10AbsDet: Decimal | null;
  /** Sign of det A: −1, 1, or 0 when a pivot is exactly 0. */
  readonly signDet: -1 | 0 | 1;
}

/** Everything SPEC §5 reports about a square matrix, at one working precision. */
export interface LuAnalysisPrecise extends DeterminantPrecise {
  /** True when a pivot is exactly zero: `solvePrecise` would throw `SINGULAR_MATRIX`. */
  readonly singular: boolean;
  /** First column with an exactly zero pivot, or −1. */
  readonly zeroPivotColumn: number;
  /**
   * κ1(A) = ‖A‖₁ ‖A⁻¹‖₁, computed (not estimated) from the inverse at the working precision;
   * `null` when singular. Its relative accuracy is about κ1 · 10^(1−p) (p = working digits), so
   * it is meaningful whenever κ1 ≪ 10^p.
   */
  readonly conditionNumber: Decimal | null;
  /**
   * Decimal digits a float64 computation with this matrix loses to conditioning, log10 κ1 (∞ when
   * singular): compare with the ~16 digits float64 carries.
   */
  readonly log10Condition: number;
}

/** An exactly identical pair of rows, 0-based (rows of a Gram matrix are identical when two points coincide). */
export interface IdenticalRows {
  readonly first: number;
  readonly second: number;
}

/** Throws DIMENSION_MISMATCH unless `a` holds n × n entries (n a positive integer), NON_FINITE (naming row and column) at a NaN or ±∞ entry. */
export function checkPreciseSquare(a: readonly Decimal[], n: number, what: string): void {
  checkSquareShape(checkArray(a, `the ${what}`), n, what);
  for (let i = 0; i < a.length; i++) {
    if (!checkDecimal(a[i], `entry ${i + 1} of the ${what}`).isFinite()) {
      const row = Math.floor(i / n);
      const col = i % n;
      throw new NtkError("NON_FINITE", `Entry (${row}, ${col}) of the ${what} is ${a[i].toString()}; every entry must be a finite number.`, { row, col });
    }
  }
}

/**
 * Factors the row-major n × n matrix `a` (not modified) as PA = LU with partial pivoting in the
 * Decimal class `D` (p = `D.precision` digits). Backward stable like float64 LU: the factors are
 * exact for a matrix within about n·growth·10^(1−p)·max|a_ij| of `a`. Cost n³/3 Decimal
 * multiply-adds. An exactly zero pivot is not an error: it is recorded and elimination goes on.
 * Throws `DIMENSION_MISMATCH`, `NON_FINITE`.
 */
export function luFactorPrecise(D: typeof Decimal, a: readonly Decimal[], n: number): LuFactorsPrecise {
  checkDecimalClass(D);
  return runStepsSync(preciseLuFactorSteps(D, a, n));
}

/** Multiply-adds of {@link luFactorPrecise} on an n × n matrix: Σ_j (n − 1 − j)² = (n − 1) n (2n − 1) / 6. */
export function luFactorWork(n: number): number {
  return ((n - 1) * n * (2 * n - 1)) / 6;
}

/** Multiply-adds of {@link luSolvePrecise} with k right-hand sides: k n² (forward, back, divisions). */
export function luSolveWork(n: number, k: number): number {
  return k * n * n;
}

/** {@link luFactorPrecise} as resumable steps: yields the multiply-adds done after each eliminated row. */
export function* preciseLuFactorSteps(D: typeof Decimal, a: readonly Decimal[], n: number): Steps<LuFactorsPrecise> {
  checkPreciseSquare(a, n, "matrix");
  let work = 0;
  const f = a.map((x) => new D(x));
  const pivots = new Int32Array(n);
  let zeroPivotColumn = -1;
  for (let j = 0; j < n; j++) {
    let p = j;
    for (let i = j + 1; i < n; i++) if (f[i * n + j].abs().gt(f[p * n + j].abs())) p = i;
    pivots[j] = p;
    if (p !== j) for (let c = 0; c < n; c++) [f[j * n + c], f[p * n + c]] = [f[p * n + c], f[j * n + c]];
    const pivot = f[j * n + j];
    if (pivot.isZero()) {
      if (zeroPivotColumn < 0) zeroPivotColumn = j;
      work += (n - 1 - j) * (n - 1 - j);
      continue;
    }
    for (let i = j + 1; i < n; i++) {
      const l = f[i * n + j].div(pivot);
      f[i * n + j] = l;
      work += n - 1 - j;
      if (l.isZero()) continue;
      for (let c = j + 1; c < n; c++) f[i * n + c] = f[i * n + c].minus(l.times(f[j * n + c]));
      yield work;
    }
  }
  return { n, factors: f, pivots, zeroPivotColumn };
}

/**
 * det A = (−1)^(interchanges) Π u_jj from the factors, with log10|det| and the sign. log10 is
 * taken at min(p, 1000) digits (decimal.js's ln 10 is stored to about 1013 digits).
 */
export function preciseDeterminant(D: typeof Decimal, lu: LuFactorsPrecise): DeterminantPrecise {
  const { n, factors, pivots } = lu;
  if (lu.zeroPivotColumn >= 0) return { det: new D(0), log10AbsDet: null, signDet: 0 };
  let det = new D(1);
  for (let j = 0; j < n; j++) {
    det = det.times(factors[j * n + j]);
    if (pivots[j] !== j) det = det.neg();
  }
  const LogD = D.clone({ precision: Math.min(D.precision, LOG_DIGITS) });
  return { det, log10AbsDet: new LogD(det).abs().log(10), signDet: det.isNeg() ? -1 : 1 };
}

/** Digits at which log10 is taken: safely inside decimal.js's stored ln 10. */
const LOG_DIGITS = DECIMAL_CONSTANT_DIGITS.ln10 - 13;

/**
 * Solves A X = B from the factors for the row-major n × k right-hand sides `b`, in `D`. Throws
 * `SINGULAR_MATRIX` when a pivot is exactly zero (details: `column`, and `identicalRows` when two
 * rows of `a` are identical, so that a caller can name coinciding points), `DIMENSION_MISMATCH`.
 */
export function luSolvePrecise(D: typeof Decimal, lu: LuFactorsPrecise, b: readonly Decimal[], k: number, a?: readonly Decimal[]): Decimal[] {
  checkDecimalClass(D);
  const { n, factors, pivots } = checkObject(lu, "lu (the factors from luFactorPrecise)");
  checkPreciseSquare(factors, n, "LU factors");
  if (!(pivots instanceof Int32Array) || pivots.length !== n)
    throw new NtkError("BAD_ARGUMENT", "lu.pivots must be the Int32Array luFactorPrecise returns.", {});
  checkArray(b, "the right-hand sides").forEach((v, i) => checkDecimal(v, `right-hand side ${i + 1}`));
  checkInteger(k, "k (columns of the right-hand sides)", 1);
  if (a !== undefined) checkPreciseSquare(a, n, "matrix");
  return runStepsSync(preciseLuSolveSteps(D, lu, b, k, a));
}

/** {@link luSolvePrecise} as resumable steps: yields the multiply-adds done after each row. */
export function* preciseLuSolveSteps(D: typeof Decimal, lu: LuFactorsPrecise, b: readonly Decimal[], k: number, a?: readonly Decimal[]): Steps<Decimal[]> {
  const { n, factors, pivots } = lu;
  if (!Number.isInteger(k) || k < 1 || b.length !== n * k) {
    throw new NtkError("DIMENSION_MISMATCH", `Right-hand sides for a ${n} × ${n} system must be n × k = ${n} × ${k} values (row-major), got ${b.length}.`, {
      n,
      k,
      length: b.length,
    });
  }
  if (lu.zeroPivotColumn >= 0) throw singularError(lu, a);
  const x = b.map((v) => new D(v));
  for (let j = 0; j < n; j++) {
    const p = pivots[j];
    if (p !== j) for (let c = 0; c < k; c++) [x[j * k + c], x[p * k + c]] = [x[p * k + c], x[j * k + c]];
  }
  // Forward substitution with the unit lower L, then back substitution with U.
  for (let i = 1; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const l = factors[i * n + j];
      if (l.isZero()) continue;
      for (let c = 0; c < k; c++) x[i * k + c] = x[i * k + c].minus(l.times(x[j * k + c]));
    }
    yield (i * k * (i + 1)) / 2;
  }
  for (let i = n - 1; i >= 0; i--) {
    for (let j = i + 1; j < n; j++) {
      const u = factors[i * n + j];
      if (u.isZero()) continue;
      for (let c = 0; c < k; c++) x[i * k + c] = x[i * k + c].minus(u.times(x[j * k + c]));
    }
    const d = factors[i * n + i];
    for (let c = 0; c < k; c++) x[i * k + c] = x[i * k + c].div(d);
    yield (k * (n * (n - 1) + (n - i) * (n - i + 1))) / 2;
  }
  return x;
}

function singularError(lu: LuFactorsPrecise, a: readonly Decimal[] | undefined): NtkError {
  const j = lu.zeroPivotColumn;
  const identicalRows = a === undefined ? null : identicalRowsChecked(a, lu.n);
  const why =
    identicalRows === null
      ? `column ${j} has no nonzero pivot (it is a linear combination of earlier columns)`
      : `rows ${identicalRows.first + 1} and ${identicalRows.second + 1} (1-based) are identical`;
  return new NtkError(
    "SINGULAR_MATRIX",
    `The ${lu.n} × ${lu.n} matrix is exactly singular at the working precision: ${why}. Remove duplicate or dependent rows/points, or add a ridge (K + δI).`,
    { column: j, n: lu.n, identicalRows },
  );
}

/** The first pair of exactly equal rows of the n × n matrix `a` (0-based, first < second), or null. O(n³) comparisons at worst. */
export function findIdenticalRows(a: readonly Decimal[], n: number): IdenticalRows | null {
  checkPreciseSquare(a, n, "matrix");
  return identicalRowsChecked(a, n);
}

/** {@link findIdenticalRows} of a checked n × n matrix (nothing checked again): for the layers below a validated entry. */
export function identicalRowsChecked(a: readonly Decimal[], n: number): IdenticalRows | null {
  for (let i = 0; i < n; i++) {
    for (let r = i + 1; r < n; r++) {
      let same = true;
      for (let c = 0; c < n && same; c++) same = a[i * n + c].eq(a[r * n + c]);
      if (same) return { first: i, second: r };
    }
  }
  return null;
}

/**
 * Solves A X = B for the row-major n × k right-hand sides `b` at the precision of `D`. Backward
 * stable: the relative error of X is about κ1 · 10^(1−p). Throws `SINGULAR_MATRIX` (naming
 * identical rows when there are any), `DIMENSION_MISMATCH`, `NON_FINITE`.
 */
export function solvePrecise(D: typeof Decimal, a: readonly Decimal[], n: number, b: readonly Decimal[], k: number): Decimal[] {
  return luSolvePrecise(D, luFactorPrecise(D, a, n), b, k, a);
}

/** log10 x as a float64, for x > 0 of any magnitude (a Decimal can exceed the float64 range). */
function log10Number(D: typeof Decimal, x: Decimal): number {
  return new (D.clone({ precision: 20 }))(x).log(10).toNumber();
}

/** ‖A‖₁: the largest column sum of absolute values. */
export function norm1Precise(D: typeof Decimal, a: readonly Decimal[], n: number): Decimal {
  let best = new D(0);
  for (let j = 0; j < n; j++) {
    let s = new D(0);
    for (let i = 0; i < n; i++) s = s.plus(a[i * n + j].abs());
    if (s.gt(best)) best = s;
  }
  return best;
}

/**
 * det, log10|det| with sign, and κ1 of the row-major n × n matrix `a`, at the precision of `D`
 * (SPEC §5). κ1 comes from the full inverse (n solves: cost about 2n³ multiply-adds, meant for
 * the small matrices this path serves). Errors as {@link luFactorPrecise}.
 */
export function luAnalysisPrecise(D: typeof Decimal, a: readonly Decimal[], n: number): LuAnalysisPrecise {
  checkDecimalClass(D);
  return runStepsSync(preciseLuAnalysisSteps(D, a, n));
}

/** Multiply-adds of {@link luAnalysisPrecise} on an n × n matrix: the LU and n solves for the inverse. */
export function luAnalysisWork(n: number): number {
  return luFactorWork(n) + luSolveWork(n, n);
}

/** {@link luAnalysisPrecise} as resumable steps: yields the multiply-adds done so far (at most {@link luAnalysisWork}). */
export function* preciseLuAnalysisSteps(D: typeof Decimal, a: readonly Decimal[], n: number): Steps<LuAnalysisPrecise> {
  const lu = yield* preciseLuFactorSteps(D, a, n);
  const determinant = preciseDeterminant(D, lu);
  if (lu.zeroPivotColumn >= 0) {
    return { ...determinant, singular: true, zeroPivotColumn: lu.zeroPivotColumn, conditionNumber: null, log10Condition: Infinity };
  }
  const identity = Array.from({ length: n * n }, (_, i) => new D(i % (n + 1) === 0 ? 1 : 0));
  const inverse = yield* offsetSteps(preciseLuSolveSteps(D, lu, identity, n), luFactorWork(n));
  const conditionNumber = norm1Precise(D, a, n).times(norm1Precise(D, inverse, n));
  return { ...determinant, singular: false, zeroPivotColumn: -1, conditionNumber, log10Condition: log10Number(D, conditionNumber) };
}

/** Significant digits of det and log10|det| that two runs at different precisions agree on. */
export interface DeterminantDigits {
  /** Digits of `det` vouched for (0: not even the first digit, or the sign, is known). */
  readonly det: number;
  /** Digits of `log10AbsDet` vouched for. */
  readonly log10AbsDet: number;
}

/**
 * Digits of the determinant vouched for by two runs of the same computation, `lower` at fewer
 * working digits and `upper` (the one reported) at more: the digits they agree on minus one, at
 * most `precision` (see digits.ts). Both exactly 0 (an exactly zero pivot at both
 * precisions, as for identical rows) vouches `precision` digits of 0; one zero and one not
 * vouches none.
 */
export function determinantDigitsVouched(lower: DeterminantPrecise, upper: DeterminantPrecise, precision: number): DeterminantDigits {
  if (lower.signDet === 0 || upper.signDet === 0) {
    const both = lower.signDet === 0 && upper.signDet === 0;
    return { det: both ? precision : 0, log10AbsDet: both ? precision : 0 };
  }
  const det = lower.signDet === upper.signDet ? digitsVouched(lower.det, upper.det, precision) : 0;
  const log = digitsVouched(lower.log10AbsDet!, upper.log10AbsDet!, precision);
  return { det, log10AbsDet: log };
}

/**
 * The result of {@link analyzeMatrixPrecise}: the upper run's values with the digits two runs agree
 * on. The fields it shares with `MatrixAnalysisFloat64` (det, log10AbsDet, signDet, singular,
 * zeroPivotColumn) have the same names; κ1 is computed here (`conditionNumber`, `log10Condition`)
 * where float64 estimates it (`conditionEstimate`), and the vouching fields are added.
 */
export interface MatrixAnalysisPrecise extends LuAnalysisPrecise {
  /** Significant digits asked for. */
  readonly precision: number;
  /** Digits of the reported (upper) run. */
  readonly workingPrecision: number;
  readonly digitsVouched: DeterminantDigits;
  /** How the digits were vouched for, in words. */
  readonly vouchedBy: string;
}

/**
 * det, log10|det|, sign and κ1 of `a`, its entries taken as exact, with `precision` (20…1000)
 * significant digits vouched for by the vouching rule (`precise/vouched.ts`): the analysis runs at precision + 4 + ⌈log10 n⌉ digits and again
 * VOUCH_EXTRA_DIGITS (`precise/vouched.ts`) digits higher, and reports the higher run with the digits on which
 * the two agree, minus one. When that vouches fewer than `precision` digits (an ill-conditioned
 * matrix loses about log10 κ1 of them), both runs are repeated once with ⌈log10 κ1⌉ + 2 more
 * guard digits; whatever is then vouched is reported, fewer than `precision` if so, and never
 * more than {@link conditioningCap} allows. When the entries themselves carry error (a Gram matrix computed at a precision), vouch with two
 * runs of the whole pipeline instead ({@link determinantDigitsVouched}).
 * Throws `BAD_PRECISION`, and the errors of {@link luFactorPrecise}. (No π is involved, so no
 * `PRECISION_LIMIT`; log10 is taken at most at 1000 digits, see {@link preciseDeterminant}.)
 */
export function analyzeMatrixPrecise(a: readonly Decimal[], n: number, precision: number): MatrixAnalysisPrecise {
  checkPrecision(precision);
  checkPreciseSquare(a, n, "matrix");
  const runs = vouchTwiceSync<LuAnalysisPrecise>({
    precision,
    lowerDigits: precision + BASE_GUARD_DIGITS + Math.ceil(Math.log10(n)),
    run: (lowerDigits, upperDigits) => ({
      lower: luAnalysisPrecise(preciseDecimal(lowerDigits), a, n),
      upper: luAnalysisPrecise(preciseDecimal(upperDigits), a, n),
    }),
    count: (lower, upper, lowerDigits) => {
      const d = analysisDigits(lower, upper, precision, lowerDigits, n);
      return Math.min(d.det, d.log10AbsDet);
    },
    // An ill-conditioned matrix loses about log10 κ1 digits: that many more guard digits; none help a singular one.
    retryDigits: (first) =>
      first.upper.singular || !Number.isFinite(first.upper.log10Condition)
        ? null
        : first.lowerDigits + Math.ceil(Math.max(0, first.upper.log10Condition) + 3 * Math.log10(n)) + 2,
  });
  const vouchedBy = vouchedByText(
    "LU with partial pivoting, on the entries as given,",
    runs,
    precision,
    "what the condition number leaves (d − 1 − log10(n³ κ1))",
  );
  return {
    ...runs.upper,
    precision,
    workingPrecision: runs.upperDigits,
    digitsVouched: analysisDigits(runs.lower, runs.upper, precision, runs.lowerDigits, n),
    vouchedBy,
  };
}

/**
 * At most ⌊d − 1 − log10(n³ κ1)⌋ digits of det can be right after an LU at d digits (backward
 * error ≲ n·10^(1−d) relative, amplified by up to n κ1 in det); agreement of two runs is never
 * allowed to claim more, since two runs can share a systematic error.
 */
export function conditioningCap(digits: number, n: number, log10Condition: number): number {
  return Math.max(0, Math.floor(digits - 1 - 3 * Math.log10(n) - log10Condition));
}

/** ⌊log10 |log10|det||⌋ ≥ 0: how many more significant digits log10|det| has than det's relative accuracy gives. */
export function logMagnitude(d: DeterminantPrecise): number {
  return d.log10AbsDet === null ? 0 : Math.max(0, Math.floor(Math.log10(Math.abs(d.log10AbsDet.toNumber()) || 1)));
}

/**
 * The digits of det and log10|det| two analyses of an n × n matrix vouch for: those they agree on
 * ({@link determinantDigitsVouched}), never more than the conditioning leaves at the lower run's
 * digits ({@link conditioningCap}; two runs can share a systematic error).
 */
export function analysisDigits(lower: LuAnalysisPrecise, upper: LuAnalysisPrecise, precision: number, lowerDigits: number, n: number): DeterminantDigits {
  const agreed = determinantDigitsVouched(lower, upper, precision);
  if (upper.singular || lower.singular) return agreed;
  const cap = conditioningCap(lowerDigits, n, Math.max(lower.log10Condition, upper.log10Condition));
  return { det: Math.min(agreed.det, cap), log10AbsDet: Math.min(agreed.log10AbsDet, cap + logMagnitude(upper)) };
}
