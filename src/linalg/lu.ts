/**
 * LU factorization with partial pivoting (PA = LU) in WebAssembly, and what SPEC §5 reports
 * together from it: det, log10|det| with its sign, a 1-norm condition-number estimate, and how
 * many significant digits a float64 solve can still keep.
 *
 * Matrices are row-major `Float64Array`s: entry (i, j) of an n × n matrix is `a[i * n + j]`.
 */
import { NtkError } from "../errors.js";
import { checkArrayLike, checkFiniteNumber, checkInteger, checkObject, describeValue } from "../argumentTypes.js";
import { acquirePool, resolveThreads, type ThreadOptions } from "../threads/pool.js";
import { loadWasmEngine, type WasmEngine, type WasmVariant } from "../wasm/engine.js";
import { luFactorOnPool, luSolveOnPool } from "./luThreads.js";

/** Below this order a factorization runs on the calling thread: starting workers would cost more than they save. */
export const PARALLEL_MIN_ORDER = 400;
/** Below this many flops (2 n² k) a solve runs on the calling thread. */
export const PARALLEL_MIN_SOLVE_FLOPS = 2 ** 27;

/** Unit roundoff of float64, u = 2⁻⁵³. */
const UNIT_ROUNDOFF = 2 ** -53;
/** Significant decimal digits of float64, −log10 u ≈ 15.95. */
export const FLOAT64_DIGITS = -Math.log10(UNIT_ROUNDOFF);

/** The factors of PA = LU, in the shape shared by the WASM and the plain TypeScript paths. */
export interface LuFactorsFloat64 {
  /** Order n ≥ 1. */
  readonly n: number;
  /** Row-major n × n: unit lower L strictly below the diagonal, U on and above it. */
  readonly factors: Float64Array;
  /** `pivots[j]` is the row interchanged with row j at step j (LAPACK's ipiv, 0-based). */
  readonly pivots: Int32Array;
  /** First column whose pivot u_jj is exactly 0, or −1 when there is none. */
  readonly zeroPivotColumn: number;
}

/**
 * det A reported three ways, so that it never under- or overflows into a silent 0 or ∞.
 * `det` is 0 only when `signDet` is 0 (exactly singular: a zero pivot) or when
 * `log10AbsDet < −323.3` (|det| below the smallest float64; `log10AbsDet` still holds it); between
 * −323.3 and −307.65 `det` is subnormal and keeps fewer significant digits. `det` is ±∞ only when
 * `log10AbsDet > 308.25`. Accuracy against the true det: relative error ≲ n²·κ1·u·growth (the
 * factors are exact for a matrix within n·u·growth·‖A‖ of A), i.e. log10AbsDet within that / ln 10.
 */
export interface Determinant {
  /** det A as a float64, correctly signed; see above for when it is 0 or ±∞. */
  readonly det: number;
  /** log10 |det A|; −∞ exactly when `signDet` is 0. Never under- or overflows. */
  readonly log10AbsDet: number;
  /** Sign of det A: −1, 1, or 0 when a pivot is exactly zero. */
  readonly signDet: -1 | 0 | 1;
}

/** Everything SPEC §5 reports together about a square matrix. */
export interface MatrixAnalysisFloat64 extends Determinant {
  /**
   * Estimate of κ1(A) = ‖A‖₁ ‖A⁻¹‖₁ (Hager/Higham, as LAPACK dgecon): a lower bound, in practice
   * within a factor of about 3 of κ1 and rarely off by more than 10. `Infinity` when singular.
   */
  readonly conditionEstimate: number;
  /** True when a pivot is exactly zero: A is singular in float64 and `solve` would throw. */
  readonly singular: boolean;
  /** First column with an exactly zero pivot, or −1 (as in `MatrixAnalysisPrecise`). */
  readonly zeroPivotColumn: number;
  /**
   * Decimal digits a float64 solve may lose to conditioning, log10 κ1, clamped to
   * [0, FLOAT64_DIGITS ≈ 15.95]. A solve's relative error is about κ1 · u ≈ 10^(digitsLost − 16).
   */
  readonly digitsLost: number;
  /** FLOAT64_DIGITS − digitsLost: significant digits a float64 solve can be expected to keep (≥ 0). */
  readonly digitsKept: number;
  /** Pivot growth max|u_ij| / max|a_ij| (at most 2^(n−1), in practice of order 1; large values mean an unstable LU). */
  readonly pivotGrowth: number;
}

/** Options shared by the float64 linear-algebra entry points. */
export interface LinalgOptions extends ThreadOptions {
  /**
   * Which WebAssembly build runs the kernels; default "auto" (SIMD where available). "fma" fuses
   * the multiply-adds of the blocked updates and solves where the host has FMA: faster, bits that
   * depend on the host (see {@link WasmVariant}).
   */
  readonly variant?: WasmVariant;
}

interface LuExports {
  luFactorFloat64(a: number, n: number, piv: number): number;
  luSolve(a: number, n: number, piv: number, b: number, k: number): void;
  luSolveTransposed(a: number, n: number, piv: number, x: number): void;
}

/**
 * Checks that `a` holds a finite n × n matrix; throws DIMENSION_MISMATCH or NON_FINITE otherwise.
 * `what` names the matrix in messages.
 */
export function checkSquareMatrix(a: ArrayLike<number>, n: number, what = "matrix"): void {
  checkSquareShape(a, n, what);
  checkFiniteEntries(a, n, what);
}

/** Throws DIMENSION_MISMATCH unless n is a positive integer and `a` has n² entries. */
export function checkSquareShape(a: ArrayLike<unknown>, n: number, what = "matrix"): void {
  if (!Number.isInteger(n) || n < 1) {
    throw new NtkError("DIMENSION_MISMATCH", `The order of the ${what} must be a positive integer, got ${describeValue(n)}.`, { n: describeValue(n) });
  }
  checkArrayLike(a, `the ${what}`);
  if (a.length !== n * n) {
    throw new NtkError("DIMENSION_MISMATCH", `A ${n} × ${n} ${what} needs ${n * n} entries (row-major), got ${a.length}. Pass a square matrix and its order.`, {
      n,
      length: a.length,
    });
  }
}

/** Throws NON_FINITE, naming row and column, at the first NaN or ±∞ of the n-column matrix `a`. */
export function checkFiniteEntries(a: ArrayLike<number>, n: number, what = "matrix"): void {
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i])) {
      const row = Math.floor(i / n);
      const col = i % n;
      throw new NtkError("NON_FINITE", `Entry (${row}, ${col}) of the ${what} is ${a[i]}; every entry must be a finite number.`, { row, col, value: a[i] });
    }
  }
}

/** Largest n whose n × n float64 matrix, plus `perN` float64 per row and `fixed` more, fits in `bytes`. */
export function largestOrderFitting(bytes: number, perN: number, fixed = 0): number {
  const values = bytes / 8 - fixed;
  return Math.max(0, Math.floor((-perN + Math.sqrt(perN * perN + 4 * values)) / 2));
}

/**
 * det from LU factors: the product of the pivots u_jj, times (−1) per row interchange, carried as
 * a mantissa and a power of two so that no intermediate under- or overflows.
 */
export function determinantFromFactors(lu: LuFactorsFloat64): Determinant {
  const { n, factors, pivots } = lu;
  if (lu.zeroPivotColumn >= 0) return { det: 0, log10AbsDet: -Infinity, signDet: 0 };
  return productDeterminant(n, (j) => (pivots[j] !== j ? -factors[j * n + j] : factors[j * n + j]));
}

/** Π_{j < count} factor(j) (finite, nonzero factors) as a {@link Determinant}, carried as a mantissa and a power of two. */
export function productDeterminant(count: number, factor: (j: number) => number): Determinant {
  let mantissa = 1;
  let exponent = 0;
  for (let j = 0; j < count; j++) {
    const [m, e] = splitPowerOfTwo(factor(j));
    const [mm, me] = splitPowerOfTwo(mantissa * m);
    mantissa = mm;
    exponent += e + me;
  }
  const signDet = mantissa < 0 ? -1 : 1;
  const log10AbsDet = Math.log10(Math.abs(mantissa)) + exponent * Math.LOG10E * Math.LN2;
  // Two steps so that 2^exponent itself never overflows when the product is representable.
  const half = Math.trunc(exponent / 2);
  const det = mantissa * 2 ** half * 2 ** (exponent - half);
  return { det, log10AbsDet, signDet };
}

/** x = m · 2^e with 1 ≤ |m| < 2, exactly (x finite and nonzero; subnormals included). */
function splitPowerOfTwo(x: number): [number, number] {
  let e = Math.floor(Math.log2(Math.abs(x)));
  let m = x / 2 ** e;
  // log2 may round across a power of two; one correction step fixes it.
  if (Math.abs(m) >= 2) {
    m /= 2;
    e += 1;
  } else if (Math.abs(m) < 1) {
    m *= 2;
    e -= 1;
  }
  return [m, e];
}

/** max|x_ij| over an n × n matrix, or over its upper triangle (where U lives). */
function maxAbs(x: ArrayLike<number>, n: number, upperOnly: boolean): number {
  let m = 0;
  for (let i = 0; i < n; i++) {
    for (let j = upperOnly ? i : 0; j < n; j++) m = Math.max(m, Math.abs(x[i * n + j]));
  }
  return m;
}

/** ‖A‖₁: the largest column sum of absolute values. */
export function norm1(a: ArrayLike<number>, n: number): number {
  const sums = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) sums[j] += Math.abs(a[i * n + j]);
  let m = 0;
  for (const s of sums) m = Math.max(m, s);
  return m;
}

/**
 * A factorization PA = LU of a float64 matrix, computed once and kept (as a copy) for any number
 * of solves and for the condition estimate. Create it with {@link luFactorFloat64}.
 */
export class LuFactorizationFloat64 implements LuFactorsFloat64 {
  readonly n: number;
  readonly factors: Float64Array;
  readonly pivots: Int32Array;
  readonly zeroPivotColumn: number;
  /** ‖A‖₁ of the matrix that was factored. */
  readonly norm1: number;
  /** Pivot growth max|u_ij| / max|a_ij| (1 for the zero matrix). */
  readonly pivotGrowth: number;
  private readonly engine: WasmEngine;
  private readonly threads: number;
  private readonly variant: WasmVariant | undefined;

  /** @internal Use {@link luFactorFloat64}. */
  constructor(engine: WasmEngine, lu: LuFactorsFloat64, norm: number, growth: number, threads = 1, variant?: WasmVariant) {
    checkObject(engine, "engine (from loadWasmEngine)");
    checkSquareMatrix(checkObject(lu, "lu (the factors)").factors, lu.n, "LU factors");
    if (!(lu.pivots instanceof Int32Array) || lu.pivots.length !== lu.n) throw new NtkError("BAD_ARGUMENT", "lu.pivots must be an Int32Array of n pivots.", {});
    checkFiniteNumber(norm, "norm");
    checkFiniteNumber(growth, "growth");
    checkInteger(threads, "threads", 1);
    this.engine = engine;
    this.threads = threads;
    this.variant = variant;
    this.n = lu.n;
    this.factors = lu.factors;
    this.pivots = lu.pivots;
    this.zeroPivotColumn = lu.zeroPivotColumn;
    this.norm1 = norm;
    this.pivotGrowth = growth;
  }

  /** True when some pivot is exactly zero (A is singular in float64). */
  get singular(): boolean {
    return this.zeroPivotColumn >= 0;
  }

  /** det A, log10|det A| and its sign; see {@link Determinant} for when `det` is 0 or ±∞. */
  determinant(): Determinant {
    return determinantFromFactors(this);
  }

  /**
   * Solves A X = B for the row-major n × k right-hand sides `b` (k = 1: a vector) and returns X
   * (a new array). Backward stable: X is the exact solution for A + δA with ‖δA‖ ≲ n·u·growth·‖A‖,
   * so its relative error is about κ1 · u (see {@link conditionEstimate}).
   * Throws SINGULAR_MATRIX when a pivot is exactly zero (naming the column), DIMENSION_MISMATCH
   * when `b` does not hold n × k entries, NON_FINITE for NaN/±∞ in `b`.
   */
  solve(b: ArrayLike<number>, k = 1): Float64Array {
    const n = this.n;
    if (!Number.isInteger(k) || k < 1 || b.length !== n * k) {
      throw new NtkError("DIMENSION_MISMATCH", `Right-hand sides for a ${n} × ${n} system must be n × k = ${n} × ${k} values (row-major), got ${b.length}.`, {
        n,
        k,
        length: b.length,
      });
    }
    checkFiniteEntries(b, k, "right-hand side");
    this.throwIfSingular();
    const { ex, a, piv, extra } = this.load([n * k]);
    const [bp] = extra;
    this.engine.f64(bp, n * k).set(b);
    ex.luSolve(a, n, piv, bp, k);
    return Float64Array.from(this.engine.f64(bp, n * k));
  }

  /**
   * {@link solve}, on the factorization's threads (see `threads` in {@link luFactorFloat64}'s options)
   * when the solve is large (many right-hand sides): the same bits as `solve`, sooner.
   */
  async solveAsync(b: ArrayLike<number>, k = 1): Promise<Float64Array> {
    const n = this.n;
    if (this.threads < 2 || 2 * n * n * k < PARALLEL_MIN_SOLVE_FLOPS || b.length !== n * k) return this.solve(b, k);
    checkFiniteEntries(b, k, "right-hand side");
    this.throwIfSingular();
    const lease = await acquirePool(this.threads, this.variant);
    try {
      const engine = lease.pool.engine;
      const [a, piv, bp] = engine.reserve(
        [n * n, Math.ceil(n / 2), n * k],
        `solving with a ${n} × ${n} LU factorization`,
        (bytes) => `At most n = ${largestOrderFitting(bytes, 1 + k)} fits.`,
      );
      engine.f64(a, n * n).set(this.factors);
      new Int32Array(engine.exports.memory.buffer, piv, n).set(this.pivots);
      engine.f64(bp, n * k).set(b);
      await luSolveOnPool(lease.pool, a, n, piv, bp, k);
      return engine.f64(bp, n * k).slice();
    } finally {
      lease.release();
    }
  }

  /**
   * Estimate of κ1(A) = ‖A‖₁ ‖A⁻¹‖₁ by Hager's method with Higham's refinements (the estimator of
   * LAPACK dlacn2/dgecon): at most 5 solves with A and Aᵀ plus one with an alternating-sign vector.
   * A lower bound on κ1 (each candidate is ‖A⁻¹x‖₁/‖x‖₁ for some x), usually within a factor of
   * about 3. Returns `Infinity` when a pivot is exactly zero, and `Infinity` too when ‖A⁻¹x‖
   * overflows float64.
   */
  conditionEstimate(): number {
    if (this.singular) return Infinity;
    const n = this.n;
    const { ex, a, piv, extra } = this.load([n]);
    const [xp] = extra;
    const x = (): Float64Array => this.engine.f64(xp, n);
    const est = estimateInverseNorm1(
      n,
      x,
      () => ex.luSolve(a, n, piv, xp, 1),
      () => ex.luSolveTransposed(a, n, piv, xp),
    );
    const kappa = est * this.norm1;
    return Number.isNaN(kappa) ? Infinity : kappa;
  }

  private throwIfSingular(): void {
    if (this.singular) {
      const j = this.zeroPivotColumn;
      throw new NtkError(
        "SINGULAR_MATRIX",
        `The ${this.n} × ${this.n} matrix is singular in float64: after eliminating columns 0…${j - 1}, column ${j} has no nonzero pivot (it is a linear combination of earlier columns). ` +
          "Remove duplicate or dependent rows/points, add a ridge (K + δI), or use the high-precision path.",
        { column: j, n: this.n },
      );
    }
  }

  // Copies the factors back into WASM memory (buffers do not survive other engine calls) and
  // reserves `extra` buffers after them.
  private load(extra: number[]): { ex: LuExports; a: number; piv: number; extra: number[] } {
    const n = this.n;
    const [a, piv, ...rest] = this.engine.reserve(
      [n * n, Math.ceil(n / 2), ...extra],
      `solving with a ${n} × ${n} LU factorization`,
      (bytes) => `At most n = ${largestOrderFitting(bytes, 1 + extra.reduce((s, e) => s + e, 0) / n)} fits.`,
    );
    this.engine.f64(a, n * n).set(this.factors);
    new Int32Array(this.engine.exports.memory.buffer, piv, n).set(this.pivots);
    return { ex: this.engine.exports as unknown as LuExports, a, piv, extra: rest };
  }
}

/**
 * Estimate of ‖A⁻¹‖₁ by Hager's method with Higham's refinements (LAPACK dlacn2): `x()` is the
 * n-vector the solves work on in place, `solveA` overwrites it with A⁻¹x and `solveAt` with A⁻ᵀx.
 * At most 5 solves with A and Aᵀ plus one with an alternating-sign vector; a lower bound.
 */
export function estimateInverseNorm1(n: number, x: () => Float64Array, solveA: () => void, solveAt: () => void): number {
  const l1 = (v: Float64Array): number => v.reduce((s, t) => s + Math.abs(t), 0);
  const signs = (v: Float64Array): Float64Array => v.map((t) => (t >= 0 ? 1 : -1));
  const argmaxAbs = (v: Float64Array): number => {
    let j = 0;
    for (let i = 1; i < n; i++) if (Math.abs(v[i]) > Math.abs(v[j])) j = i;
    return j;
  };

  x().fill(1 / n);
  solveA();
  let est = l1(x());
  if (n > 1) {
    let xi = signs(x());
    x().set(xi);
    solveAt();
    let j = argmaxAbs(x());
    for (let iter = 2; iter <= 5; iter++) {
      x().fill(0);
      x()[j] = 1;
      solveA();
      const estOld = est;
      est = l1(x());
      const s = signs(x());
      // Repeated sign vector or no growth: the estimate has converged (dlacn2's tests).
      if (s.every((t, i) => t === xi[i]) || est <= estOld) {
        est = Math.max(est, estOld);
        break;
      }
      xi = s;
      x().set(xi);
      solveAt();
      const jLast = j;
      j = argmaxAbs(x());
      if (x()[jLast] === Math.abs(x()[j])) break;
    }
    // Higham's alternating-sign test vector catches matrices that fool the iteration.
    const v = x();
    for (let i = 0; i < n; i++) v[i] = (i % 2 === 0 ? 1 : -1) * (1 + i / (n - 1));
    solveA();
    est = Math.max(est, (2 * l1(x())) / (3 * n));
  }
  return est;
}

/**
 * Factors the row-major n × n float64 matrix `a` (not modified) as PA = LU with partial pivoting,
 * in WebAssembly (blocked, SIMD where available), on `options.threads` threads from order
 * PARALLEL_MIN_ORDER = 400 on (the same bits for any number of threads). Cost 2n³/3 flops.
 * Backward stable: LU = P(A + δA) with |δA| ≲ n·u·growth·max|a_ij|.
 * Errors: DIMENSION_MISMATCH (n not a positive integer, or `a.length ≠ n²`), NON_FINITE (NaN/±∞
 * entry, with its row and column), WASM_MEMORY_EXHAUSTED (n too large; the message gives the
 * largest n that fits). An exactly singular matrix is not an error here: see `singular`.
 */
export async function luFactorFloat64(a: ArrayLike<number>, n: number, options: LinalgOptions = {}): Promise<LuFactorizationFloat64> {
  checkSquareShape(a, n);
  const threads = await resolveThreads(options.threads);
  const engine = await loadWasmEngine(options.variant);
  const lease = threads > 1 && n >= PARALLEL_MIN_ORDER ? await acquirePool(threads, options.variant) : null;
  try {
    const work = lease ? lease.pool.engine : engine;
    const [ap, piv] = work.reserve(
      [n * n, Math.ceil(n / 2)],
      `the LU factorization of a ${n} × ${n} matrix`,
      (bytes) => `At most n = ${largestOrderFitting(bytes, 1)} fits.`,
    );
    // Finiteness is checked after reserving, so an order too large fails fast, before n² reads.
    checkFiniteEntries(a, n);
    work.f64(ap, n * n).set(a);
    const zeroPivotColumn = lease ? await luFactorOnPool(lease.pool, ap, n, piv) : (work.exports as unknown as LuExports).luFactorFloat64(ap, n, piv);
    const factors = work.f64(ap, n * n).slice();
    const pivots = new Int32Array(work.exports.memory.buffer, piv, n).slice();
    const maxA = maxAbs(a, n, false);
    const growth = maxA === 0 ? 1 : maxAbs(factors, n, true) / maxA;
    return new LuFactorizationFloat64(engine, { n, factors, pivots, zeroPivotColumn }, norm1(a, n), growth, threads, options.variant);
  } finally {
    lease?.release();
  }
}

/**
 * det, log10|det| with sign, κ1 estimate, digits lost/kept and pivot growth of the row-major
 * n × n float64 matrix `a`, together (SPEC §5), from one LU factorization. Errors as
 * {@link luFactorFloat64}; an exactly singular matrix gives `signDet` 0, `conditionEstimate` ∞,
 * `digitsLost` = FLOAT64_DIGITS rather than an error.
 */
export async function analyzeMatrixFloat64(a: ArrayLike<number>, n: number, options: LinalgOptions = {}): Promise<MatrixAnalysisFloat64> {
  const lu = await luFactorFloat64(a, n, options);
  const conditionEstimate = lu.conditionEstimate();
  const digitsLost = Math.min(FLOAT64_DIGITS, Math.max(0, Math.log10(conditionEstimate)));
  return {
    ...lu.determinant(),
    conditionEstimate,
    singular: lu.singular,
    zeroPivotColumn: lu.zeroPivotColumn,
    digitsLost,
    digitsKept: FLOAT64_DIGITS - digitsLost,
    pivotGrowth: lu.pivotGrowth,
  };
}
