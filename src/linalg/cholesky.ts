/**
 * Cholesky factorization A = L Lᵀ of a symmetric positive definite float64 matrix in WebAssembly
 * (SPEC §6: the infinite-time prediction K⁻¹Y for a positive definite Gram matrix K), kept for any
 * number of solves. Matrices are row-major `Float64Array`s.
 */
import { NtkError } from "../errors.js";
import { loadWasmEngine, type WasmEngine } from "../wasm/engine.js";
import { checkFiniteEntries, checkSquareShape, largestOrderFitting, type LinalgOptions } from "./lu.js";

interface CholeskyExports {
  choleskyFactor(a: number, n: number): number;
  choleskySolve(l: number, n: number, b: number, k: number): void;
}

/** A = L Lᵀ, computed once by {@link choleskyFactor}. */
export class CholeskyFactorization {
  /** Order n ≥ 1. */
  readonly n: number;
  /** L, row-major n × n, lower triangular with positive diagonal (zeros above it). */
  readonly lower: Float64Array;
  private readonly engine: WasmEngine;

  /** @internal Use {@link choleskyFactor}. */
  constructor(engine: WasmEngine, n: number, lower: Float64Array) {
    this.engine = engine;
    this.n = n;
    this.lower = lower;
  }

  /**
   * log10 det A = 2 Σ log10 L_jj (det A > 0). Never under- or overflows; absolute error about
   * n·u·max|log10 L_jj| plus the conditioning term n²·κ2·u / ln 10.
   */
  log10Det(): number {
    let s = 0;
    for (let j = 0; j < this.n; j++) s += Math.log10(this.lower[j * this.n + j]);
    return 2 * s;
  }

  /**
   * Solves A X = B for the row-major n × k right-hand sides `b` and returns X (a new array).
   * Backward stable (‖δA‖₂ ≲ c n² u ‖A‖₂ with no pivot growth), relative error about κ2(A)·u.
   * Errors: DIMENSION_MISMATCH (b not n × k), NON_FINITE (NaN/±∞ in b).
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
    const [lp, bp] = this.engine.reserve(
      [n * n, n * k],
      `solving with a ${n} × ${n} Cholesky factor`,
      (bytes) => `At most n = ${largestOrderFitting(bytes, k)} fits.`,
    );
    this.engine.f64(lp, n * n).set(this.lower);
    this.engine.f64(bp, n * k).set(b);
    (this.engine.exports as unknown as CholeskyExports).choleskySolve(lp, n, bp, k);
    return Float64Array.from(this.engine.f64(bp, n * k));
  }
}

/**
 * Factors the symmetric positive definite row-major n × n matrix `a` (not modified; only its lower
 * triangle is read) as A = L Lᵀ in WebAssembly. Cost n³/3 flops.
 * Errors: NOT_POSITIVE_DEFINITE when a pivot a_jj − Σ L_jp² is ≤ 0 (the message and
 * `details.column` give the first such column j; the leading j × j block is positive definite):
 * for a Gram matrix this means it is singular or too ill-conditioned for float64 (κ ≳ 1/u), so
 * use `luFactorFloat64`, a ridge K + δI, or the high-precision path. DIMENSION_MISMATCH, NON_FINITE,
 * WASM_MEMORY_EXHAUSTED as `luFactorFloat64`.
 */
export async function choleskyFactor(a: ArrayLike<number>, n: number, options: LinalgOptions = {}): Promise<CholeskyFactorization> {
  checkSquareShape(a, n);
  const engine = await loadWasmEngine(options.variant);
  const [ap] = engine.reserve([n * n], `the Cholesky factorization of a ${n} × ${n} matrix`, (bytes) => `At most n = ${largestOrderFitting(bytes, 0)} fits.`);
  checkFiniteEntries(a, n);
  engine.f64(ap, n * n).set(a);
  const failed = (engine.exports as unknown as CholeskyExports).choleskyFactor(ap, n);
  if (failed >= 0) {
    throw new NtkError(
      "NOT_POSITIVE_DEFINITE",
      `The ${n} × ${n} matrix is not positive definite in float64: the Cholesky pivot of column ${failed} is not positive (its leading ${failed} × ${failed} block is). ` +
        "Use luFactorFloat64 for a general matrix, add a ridge (K + δI), or use the high-precision path.",
      { column: failed, n },
    );
  }
  const lower = Float64Array.from(engine.f64(ap, n * n));
  for (let i = 0; i < n; i++) lower.fill(0, i * n + i + 1, (i + 1) * n);
  return new CholeskyFactorization(engine, n, lower);
}
