/**
 * The steps every float64 Gram fill shares (the direct loop of ./float64.ts and the depth maps of
 * ./depthMapGram.ts), each on the calling thread or spread over a thread pool in fixed blocks:
 * the layer-1 complements (blocks of GRAM_INIT_BLOCK rows × GRAM_INIT_BLOCK rows) and the output
 * matrices (ranges of rows); the per-pair kernels in between run on fixed ranges of packed pairs. Every block is
 * computed whole by one call of the same kernel, so the bits do not depend on the thread count.
 */
import type { ThreadPool } from "../threads/pool.js";
import type { SpherePoints } from "../types.js";
import type { WasmEngine } from "../wasm/engine.js";
import type { GramAtDepthFloat64, GramKernels } from "./result.js";
import { lostComplementMask } from "./lostComplements.js";

/** Rows of the output matrices per task when the pool unpacks them. */
const UNPACK_ROWS_PER_TASK = 64;

interface FillExports {
  GRAM_INIT_BLOCK: { value: number };
  gramInitialComplement(coords: number, m: number, n0: number, c1: number, twoBias: number, eps: number, u: number): void;
  gramUnpackRows(packed: number, m: number, out: number, r0: number, r1: number): void;
  gramComplementRows(out: number, m: number, r0: number, r1: number): void;
}

/**
 * Layer 1 of every pair into the packed arrays: ε_1 = c1 (1 − x_i·x_j) to `eps`, θ_1 = arccos Σ̄^(1)
 * to `u` (from 1 + Σ̄^(1) = twoBias + c1 (1 + x_i·x_j) where that is the accurate side; twoBias =
 * 2σb²/q_1). Coords row-major m × n0 at `coords`.
 */
export function fillInitialComplements(
  engine: WasmEngine,
  pool: ThreadPool | null,
  coords: number,
  m: number,
  n0: number,
  c1: number,
  twoBias: number,
  eps: number,
  u: number,
): void | Promise<void> {
  const ex = engine.exports as unknown as FillExports;
  // Synchronous on one thread, so a run on the shared engine never yields with its state in memory.
  if (!pool) return ex.gramInitialComplement(coords, m, n0, c1, twoBias, eps, u);
  const blocks = Math.ceil(m / ex.GRAM_INIT_BLOCK.value);
  const tasks: number[][] = [];
  for (let bi = 0; bi < blocks; bi++) for (let bj = bi; bj < blocks; bj++) tasks.push([coords, m, n0, c1, twoBias, eps, u, bi, bj]);
  return pool.run("gramInitialBlock", tasks);
}

/** A normalized kernel's matrix (Σ̄ or Θ̄) and its complement's (1 − Σ̄ or 1 − Θ̄), m × m row-major each. */
export type KernelAndComplement = [Float64Array, Float64Array];

/**
 * The matrices of the complement carried per pair at `packed` (ε or u; 0 on the diagonal) and of
 * its kernel (1 − ε or 1 − u; exactly 1 on the diagonal), as new arrays: [kernel, complement]. The
 * pairs are read once: the complement is unpacked into `out` (m × m) and copied out, then `out`
 * becomes 1 − itself in place (the same bits as 1 − each pair) and is copied out again. Only the
 * first `columns` columns are copied out (see {@link leftColumns}; all m by default).
 * Synchronous without a pool; with one, its workers run both passes by ranges of rows.
 */
export function unpackWithComplement(
  engine: WasmEngine,
  pool: ThreadPool | null,
  packed: number,
  m: number,
  out: number,
  columns = m,
): KernelAndComplement | Promise<KernelAndComplement> {
  // Most of a copy's time is the kernel's first touch of the new array's pages, not the copy itself.
  const copy = (): Float64Array => leftColumns(engine.f64(out, m * m), m, columns);
  if (!pool) {
    const ex = engine.exports as unknown as FillExports;
    ex.gramUnpackRows(packed, m, out, 0, m);
    const complement = copy();
    ex.gramComplementRows(out, m, 0, m);
    return [copy(), complement];
  }
  const byRows = (args: number[]): number[][] => {
    const tasks: number[][] = [];
    for (let r = 0; r < m; r += UNPACK_ROWS_PER_TASK) tasks.push([...args, r, Math.min(m, r + UNPACK_ROWS_PER_TASK)]);
    return tasks;
  };
  return (async () => {
    await pool.run("gramUnpackRows", byRows([packed, m, out]));
    const complement = copy();
    await pool.run("gramComplementRows", byRows([out, m]));
    return [copy(), complement];
  })();
}

/** What a fill returns at one depth besides the depth and diagonals: the matrices of the kernels asked for (null for the others) and the lost-complement mask. */
export type UnpackedKernels = Pick<
  GramAtDepthFloat64<GramKernels>,
  "sigmaNormalized" | "oneMinusSigmaNormalized" | "ntkNormalized" | "oneMinusNtkNormalized" | "lostToZero"
>;

/** The packed pair state of a fill: ε and u as its unpacker takes them (`eps`, `u`) and as arrays of m(m−1)/2 values to read. */
export interface PackedComplements<P> {
  readonly eps: P;
  readonly u: P;
  readonly epsValues: Float64Array;
  readonly uValues: Float64Array;
}

/**
 * The matrices of `kernels` from the packed complements, each kernel by one call of `unpack`
 * ([kernel, complement] of one packed array, as {@link unpackWithComplement}), one after the other;
 * the other kernel's packed array is not unpacked at all. With `layerOne`, u holds θ_1 and Θ̄ = Σ̄:
 * the NTK's matrices are ε's (copies when Σ̄'s are returned too). The mask of lost complements
 * reads the packed pairs, so it is that of "both" whatever is unpacked. Synchronous when `unpack` is.
 */
export function unpackKernels<P>(
  points: SpherePoints,
  kernels: GramKernels,
  layerOne: boolean,
  packed: PackedComplements<P>,
  unpack: (packed: P) => KernelAndComplement | Promise<KernelAndComplement>,
): UnpackedKernels | Promise<UnpackedKernels> {
  const lostToZero = lostComplementMask(points, packed.epsValues, layerOne ? packed.epsValues : packed.uValues, "packed");
  const sigma = kernels !== "ntk" || layerOne ? unpack(packed.eps) : null;
  return andThen(sigma, (s) => {
    const ntk = kernels === "nngp" ? null : !layerOne ? unpack(packed.u) : kernels === "ntk" ? s : (copies(s!) as KernelAndComplement);
    return andThen(ntk, (n) => ({
      sigmaNormalized: kernels === "ntk" ? null : s![0],
      oneMinusSigmaNormalized: kernels === "ntk" ? null : s![1],
      ntkNormalized: n === null ? null : n[0],
      oneMinusNtkNormalized: n === null ? null : n[1],
      lostToZero,
    }));
  });
}

/**
 * The first `columns` columns of the m × m row-major `matrix` as a new m × columns row-major array
 * (a plain copy when columns = m). For a Gram matrix of train ∪ test with `columns` training points,
 * that is K(X, X) followed by K(x, X), each contiguous: what a prediction reads, in one copy.
 */
export function leftColumns(matrix: Float64Array, m: number, columns: number): Float64Array {
  if (columns === m) return matrix.slice();
  const out = new Float64Array(m * columns);
  for (let i = 0; i < m; i++) out.set(matrix.subarray(i * m, i * m + columns), i * columns);
  return out;
}

/** `f` of `x`: at once for a value, once it settles for a promise, so that a synchronous run stays synchronous. */
function andThen<A, B>(x: A | Promise<A>, f: (a: A) => B | Promise<B>): B | Promise<B> {
  return x instanceof Promise ? x.then(f) : f(x);
}

/** Fresh copies of a tuple of matrices. */
export function copies<T extends Float64Array[]>(a: Readonly<T>): T {
  return a.map((x) => x.slice()) as T;
}
