/**
 * Cholesky factorization A = L Lᵀ of a symmetric positive definite float64 matrix in WebAssembly
 * (SPEC §6: the infinite-time prediction K⁻¹Y for a positive definite Gram matrix K), blocked and
 * on several threads from order PARALLEL_MIN_ORDER on (the same bits for any number of threads),
 * kept for any number of solves. Matrices are row-major `Float64Array`s.
 */
import { NtkError } from "../errors.js";
import { acquirePool, resolveThreads, type PoolTenant, type ThreadPool } from "../threads/pool.js";
import { loadWasmEngine, type WasmEngine, type WasmVariant } from "../wasm/engine.js";
import { choleskyFactorOnPool } from "./choleskyThreads.js";
import {
  checkFiniteEntries,
  checkSquareShape,
  estimateInverseNorm1,
  largestOrderFitting,
  PARALLEL_MIN_ORDER,
  PARALLEL_MIN_SOLVE_FLOPS,
  productDeterminant,
  type Determinant,
  type LinalgOptions,
} from "./lu.js";
import { solveColumnsOnPool } from "./luThreads.js";

interface CholeskyExports {
  choleskyFactor(a: number, n: number): number;
  choleskySolve(a: number, n: number, b: number, k: number): void;
}

/** Where a factor computed on a thread pool still lies: byte offset `at` of `pool`'s memory, until another caller acquires the pool. */
interface ResidentFactor {
  readonly pool: ThreadPool;
  readonly at: number;
}

/**
 * A = L Lᵀ, computed once by {@link choleskyFactor}. A factor computed on a thread pool stays in
 * the pool's memory for the solves that follow there; it is copied out into `factors` only when
 * it is read, or when another caller acquires the pool (a {@link PoolTenant}).
 */
export class CholeskyFactorization implements PoolTenant {
  /** Order n ≥ 1. */
  readonly n: number;
  /** ‖A‖₁ of the matrix that was factored: the symmetric matrix whose lower triangle was given. */
  readonly norm1: number;
  private readonly engine: WasmEngine;
  private readonly threads: number;
  private readonly variant: WasmVariant | undefined;
  private readonly estimated: number | undefined;
  /** L_jj, j = 0 … n − 1, once read. */
  private diagonal: Float64Array | null = null;
  private copy: Float64Array | null;
  private resident: ResidentFactor | null;

  /**
   * @internal Use {@link choleskyFactor}. The factor is `factors`, or, when that is null, the n²
   * values at `resident`. `kappa`: the κ1 estimate, when it was taken as the factor was computed.
   */
  constructor(
    engine: WasmEngine,
    n: number,
    factors: Float64Array | null,
    resident: ResidentFactor | null,
    norm: number,
    threads = 1,
    variant?: WasmVariant,
    kappa?: number,
  ) {
    this.engine = engine;
    this.n = n;
    this.copy = factors;
    this.resident = resident;
    this.norm1 = norm;
    this.threads = threads;
    this.variant = variant;
    this.estimated = kappa;
  }

  /** Row-major n × n: L on and below the diagonal, Lᵀ above it (what the blocked solves read). */
  get factors(): Float64Array {
    // Without a copy the factor is resident: nobody else has acquired its pool (else `evict` copied it).
    this.copy ??= this.resident!.pool.engine.f64(this.resident!.at, this.n * this.n).slice();
    return this.copy;
  }

  /** @internal Another caller acquires the pool that holds the factor: copy it out first. */
  evict(pool: ThreadPool): void {
    if (this.resident?.pool !== pool) return;
    void this.factors;
    this.resident = null;
  }

  /** L, row-major n × n, lower triangular with positive diagonal (zeros above it): a new array. */
  get lower(): Float64Array {
    const n = this.n;
    const l = Float64Array.from(this.factors);
    for (let i = 0; i < n; i++) l.fill(0, i * n + i + 1, (i + 1) * n);
    return l;
  }

  /**
   * log10 det A = 2 Σ log10 L_jj (det A > 0). Never under- or overflows; absolute error about
   * n·u·max|log10 L_jj| plus the conditioning term n²·κ2·u / ln 10.
   */
  log10Det(): number {
    return this.determinant().log10AbsDet;
  }

  /** det A = Π L_jj² (> 0) in the three forms of {@link Determinant}; accuracy as {@link log10Det}. */
  determinant(): Determinant {
    const n = this.n;
    const diagonal = (this.diagonal ??= this.readDiagonal());
    return productDeterminant(2 * n, (j) => diagonal[j >> 1]);
  }

  // L_jj from where the factor lies, so that det alone copies nothing out of the pool.
  private readDiagonal(): Float64Array {
    const n = this.n;
    const values = this.copy ?? this.resident!.pool.engine.f64(this.resident!.at, n * n);
    return Float64Array.from({ length: n }, (_, j) => values[j * (n + 1)]);
  }

  /**
   * Solves A X = B for the row-major n × k right-hand sides `b` and returns X (a new array).
   * Backward stable (‖δA‖₂ ≲ c n² u ‖A‖₂ with no pivot growth), relative error about κ2(A)·u.
   * Errors: DIMENSION_MISMATCH (b not n × k), NON_FINITE (NaN/±∞ in b).
   */
  solve(b: ArrayLike<number>, k = 1): Float64Array {
    const n = this.n;
    this.checkRightHandSides(b, k);
    const { ex, a, extra } = this.load(this.engine, [n * k]);
    const [bp] = extra;
    this.engine.f64(bp, n * k).set(b);
    ex.choleskySolve(a, n, bp, k);
    return Float64Array.from(this.engine.f64(bp, n * k));
  }

  /**
   * {@link solve}, on the factorization's threads when the solve is large (many right-hand sides):
   * the same bits as `solve`, sooner.
   */
  async solveAsync(b: ArrayLike<number>, k = 1): Promise<Float64Array> {
    const n = this.n;
    if (this.threads < 2 || 2 * n * n * k < PARALLEL_MIN_SOLVE_FLOPS) return this.solve(b, k);
    this.checkRightHandSides(b, k);
    const lease = await acquirePool(this.threads, this.variant, this);
    try {
      const engine = lease.pool.engine;
      const { a, extra } = this.load(engine, [n * k], lease.pool);
      const [bp] = extra;
      engine.f64(bp, n * k).set(b);
      await solveColumnsOnPool(lease.pool, "choleskySolveColumns", a, n, bp, k);
      // The solve leaves the factor as it was: it stays there for the next one.
      this.resident = { pool: lease.pool, at: a };
      lease.pool.keepFor(this);
      return engine.f64(bp, n * k).slice();
    } finally {
      lease.release();
    }
  }

  /**
   * Estimate of κ1(A) = ‖A‖₁ ‖A⁻¹‖₁ (Hager/Higham, as LAPACK dpocon; A is symmetric, so its
   * transposed solves are solves): a lower bound, usually within a factor of about 3. `Infinity`
   * when ‖A⁻¹x‖ overflows float64.
   */
  conditionEstimate(): number {
    if (this.estimated !== undefined) return this.estimated;
    const { a, extra } = this.load(this.engine, [this.n]);
    return conditionEstimateAt(this.engine, a, this.n, extra[0], this.norm1);
  }

  private checkRightHandSides(b: ArrayLike<number>, k: number): void {
    const n = this.n;
    if (!Number.isInteger(k) || k < 1 || b.length !== n * k) {
      throw new NtkError("DIMENSION_MISMATCH", `Right-hand sides for a ${n} × ${n} system must be n × k = ${n} × ${k} values (row-major), got ${b.length}.`, {
        n,
        k,
        length: b.length,
      });
    }
    checkFiniteEntries(b, k, "right-hand side");
  }

  // Reserves the factor's place in `engine`'s memory and `extra` buffers after it, and copies the
  // factor there (buffers do not survive other engine calls) unless `pool`'s memory still holds it
  // at that place (the factor is always the first buffer, so it lies where it was left).
  private load(engine: WasmEngine, extra: number[], pool?: ThreadPool): { ex: CholeskyExports; a: number; extra: number[] } {
    const n = this.n;
    const [a, ...rest] = engine.reserve(
      [n * n, ...extra],
      `solving with a ${n} × ${n} Cholesky factor`,
      (bytes) => `At most n = ${largestOrderFitting(bytes, extra.reduce((s, e) => s + e, 0) / n)} fits.`,
    );
    const inPlace = pool !== undefined && this.resident?.pool === pool && this.resident.at === a && pool.holds(this);
    if (!inPlace) engine.f64(a, n * n).set(this.factors);
    return { ex: engine.exports as unknown as CholeskyExports, a, extra: rest };
  }
}

/**
 * Factors the symmetric positive definite row-major n × n matrix `a` (not modified; only its lower
 * triangle is read) as A = L Lᵀ in WebAssembly (blocked, SIMD where available), on
 * `options.threads` threads from order PARALLEL_MIN_ORDER = 400 on (the same bits for any number
 * of threads). Cost n³/3 flops.
 * Errors: NOT_POSITIVE_DEFINITE when a pivot a_jj − Σ L_jp² is ≤ 0 (the message and
 * `details.column` give the first such column j; the leading j × j block is positive definite):
 * for a Gram matrix this means it is singular or too ill-conditioned for float64 (κ ≳ 1/u), so
 * use `luFactorFloat64`, a ridge K + δI, or the high-precision path. DIMENSION_MISMATCH, NON_FINITE,
 * WASM_MEMORY_EXHAUSTED, BAD_OPTION (threads) as `luFactorFloat64`.
 */
export function choleskyFactor(a: ArrayLike<number>, n: number, options: LinalgOptions = {}): Promise<CholeskyFactorization> {
  return choleskyFactorOf(a, n, options, true);
}

/**
 * @internal {@link choleskyFactor} for a predictor, which always asks for the κ1 estimate: taken at
 * once, on the memory the factor was computed in (instead of a later copy of the n² factor into
 * another engine). `checkFinite` false skips
 * the pass over the n² entries that checks them, for a matrix whose entries the caller knows to be
 * finite (a trained kernel).
 */
export function choleskyFactorEstimated(a: ArrayLike<number>, n: number, options: LinalgOptions, checkFinite: boolean): Promise<CholeskyFactorization> {
  return choleskyFactorOf(a, n, options, checkFinite, true);
}

/** κ1 = ‖A‖₁ ‖A⁻¹‖₁ estimated from the factor at byte offset `a` of `engine`, with the n-vector at `x` to work on; ∞ when the solves overflow. */
function conditionEstimateAt(engine: WasmEngine, a: number, n: number, x: number, norm: number): number {
  const ex = engine.exports as unknown as CholeskyExports;
  const solve = (): void => ex.choleskySolve(a, n, x, 1);
  const kappa = estimateInverseNorm1(n, () => engine.f64(x, n), solve, solve) * norm;
  return Number.isNaN(kappa) ? Infinity : kappa;
}

/** ‖A‖₁ of the symmetric matrix whose lower triangle is that of the row-major n × n `a` (one row-wise pass over it). */
function symmetricNorm1(a: ArrayLike<number>, n: number): number {
  const sums = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const row = i * n;
    let own = Math.abs(a[row + i]);
    for (let j = 0; j < i; j++) {
      const v = Math.abs(a[row + j]);
      sums[j] += v;
      own += v;
    }
    sums[i] += own;
  }
  let m = 0;
  for (const s of sums) m = Math.max(m, s);
  return m;
}

async function choleskyFactorOf(
  a: ArrayLike<number>,
  n: number,
  options: LinalgOptions,
  checkFinite: boolean,
  estimate = false,
): Promise<CholeskyFactorization> {
  checkSquareShape(a, n);
  const threads = await resolveThreads(options.threads);
  const engine = await loadWasmEngine(options.variant);
  const lease = threads > 1 && n >= PARALLEL_MIN_ORDER ? await acquirePool(threads, options.variant) : null;
  try {
    const work = lease ? lease.pool.engine : engine;
    // The n-vector after the matrix is the κ1 estimate's.
    const [ap, xp] = work.reserve(
      [n * n, n],
      `the Cholesky factorization of a ${n} × ${n} matrix`,
      (bytes) => `At most n = ${largestOrderFitting(bytes, 1)} fits.`,
    );
    // Finiteness is checked after reserving, so an order too large fails fast, before n² reads.
    if (checkFinite) checkFiniteEntries(a, n);
    work.f64(ap, n * n).set(a);
    const failed = lease ? await choleskyFactorOnPool(lease.pool, ap, n) : (work.exports as unknown as CholeskyExports).choleskyFactor(ap, n);
    if (failed >= 0) {
      throw new NtkError(
        "NOT_POSITIVE_DEFINITE",
        `The ${n} × ${n} matrix is not positive definite in float64: the Cholesky pivot of column ${failed} is not positive (its leading ${failed} × ${failed} block is). ` +
          "Use luFactorFloat64 for a general matrix, add a ridge (K + δI), or use the high-precision path.",
        { column: failed, n },
      );
    }
    const norm = symmetricNorm1(a, n);
    const kappa = estimate ? conditionEstimateAt(work, ap, n, xp, norm) : undefined;
    // On the pool the factor stays where it is (the pool's tenant until someone else needs the memory); one thread's engine is shared by every call, so copy it out.
    const [factors, resident] = lease ? [null, { pool: lease.pool, at: ap }] : [work.f64(ap, n * n).slice(), null];
    const factorization = new CholeskyFactorization(engine, n, factors, resident, norm, threads, options.variant, kappa);
    lease?.pool.keepFor(factorization);
    return factorization;
  } finally {
    lease?.release();
  }
}
