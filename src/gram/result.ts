/**
 * What a float64 Gram fill returns (./float64.ts, through the direct loop or the depth maps of
 * ./depthMapGram.ts): the matrices at each depth and the run's envelope. A module of its own so
 * that the steps every fill shares (./fillSteps.ts, ./lostComplements.ts) can name these types
 * without importing the fills.
 */
import type { ResolvedParams } from "../params.js";

/**
 * Which kernels' matrices a float64 Gram fill returns: "both" (Σ̄, 1 − Σ̄, Θ̄, 1 − Θ̄), "ntk" (Θ̄ and
 * 1 − Θ̄ only) or "nngp" (Σ̄ and 1 − Σ̄ only). The recursion is the same either way (Θ needs Σ's
 * complements at every layer); a single kernel saves the unpacking and copying of the other's two
 * m × m matrices (2 × 8m² bytes), with the same bits in what is returned.
 */
export type GramKernels = "both" | "ntk" | "nngp";

/** The type of a matrix of one kernel: null when the fill's `kernels` (K) left that kernel out. */
type MatrixOf<K extends GramKernels, Left extends GramKernels> = K extends Left ? null : Float64Array;

/**
 * The Gram matrices at one depth L. Every matrix is m × m, row-major, exactly symmetric.
 * Raw values: Σ^(L)(x_i, x_j) = sigmaNormalized[i m + j] · sigmaDiag · 2^log2Scale, and
 * Θ^(L)(x_i, x_j) = ntkNormalized[i m + j] · ntkDiag · 2^log2Scale. K is the fill's `kernels`
 * option: with "ntk" the Σ matrices are null, with "nngp" the Θ matrices are (the default "both":
 * all four are there).
 */
export interface GramAtDepthFloat64<K extends GramKernels = "both"> {
  /** L, the number of weight layers (SPEC §1), as a number: exact up to 2^53 (see depthExact). */
  readonly depth: number;
  /** L exactly. */
  readonly depthExact: bigint;
  /** Number of points m. */
  readonly m: number;
  /** Σ̄^(L), the correlation ρ of every pair; diagonal exactly 1; entries in [−1, 1]. Null with `kernels: "ntk"`. */
  readonly sigmaNormalized: MatrixOf<K, "ntk">;
  /** 1 − Σ̄^(L), carried directly (SPEC §4); diagonal exactly 0; entries in [0, 2]. Null with `kernels: "ntk"`. */
  readonly oneMinusSigmaNormalized: MatrixOf<K, "ntk">;
  /** Θ̄^(L) = Θ / sqrt(Θ(x,x) Θ(x′,x′)); diagonal exactly 1. Null with `kernels: "nngp"`. */
  readonly ntkNormalized: MatrixOf<K, "nngp">;
  /** 1 − Θ̄^(L), carried directly; diagonal exactly 0. Null with `kernels: "nngp"`. */
  readonly oneMinusNtkNormalized: MatrixOf<K, "nngp">;
  /**
   * Power of two scaling the raw diagonals: 0 while q_L stays within 2^±500, otherwise the
   * exponent that keeps `sigmaDiag` there (e.g. −999 at L = 1000 in the paper's case with n0 = 1).
   */
  readonly log2Scale: number;
  /** Σ^(L)(x, x) / 2^log2Scale (in the paper's case q_L = 1/(n0 2^{L−1})). */
  readonly sigmaDiag: number;
  /** Θ^(L)(x, x) / 2^log2Scale (in the paper's case L/(n0 2^{L−1})). */
  readonly ntkDiag: number;
  /**
   * Entries whose complements float64 has lost (./lostComplements.ts, docs/DEPTH_JUMP.md §6): an
   * m × m row-major mask, bit 1 (LOST_SIGMA_COMPLEMENT) where 1 − Σ̄ fell below 2^-1022 although
   * the points differ (it, and 1 − Θ̄ derived from it, no longer mean anything: σb > 0 drives them
   * below the float64 range within about 1000 / log2(2/σw²) layers), bit 2 (LOST_NTK_COMPLEMENT)
   * where 1 − Θ̄ is lost; null when every complement keeps its accuracy (the usual case).
   * Σ̄ = 1 − ε and Θ̄ = 1 − u stay right to an ulp of 1 absolute there. Both bits whatever `kernels` was.
   */
  readonly lostToZero: Uint8Array | null;
}

/**
 * The result of `gramThroughDepthFloat64` (./float64.ts): the same envelope as the precise `GramResultPrecise`
 * (method, params, n0, one entry per checkpoint in `grams`), without its vouching fields and with
 * float64's own `fixedPointFrom`.
 */
export interface GramResultFloat64<K extends GramKernels = "both"> {
  /** The method that ran: "direct" (the loop over layers) or "jump" (the tabulated depth maps of SPEC §9). */
  readonly method: "direct" | "jump";
  /**
   * Direct runs with σb > 0: a depth from which the float64 state (layer scalars and every pair's
   * complements) no longer changes, so that every checkpoint from it on costs nothing; null if the
   * run did not get there. Found at the granularity of the loop's 4096-layer rounds.
   */
  readonly fixedPointFrom: bigint | null;
  /** σw, σb as resolved. */
  readonly params: ResolvedParams;
  /** Dimension of the points (the network's n0). */
  readonly n0: number;
  /** One entry per checkpoint, ascending in depth. */
  readonly grams: readonly GramAtDepthFloat64<K>[];
}
