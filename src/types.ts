/**
 * Shapes shared by the float64 and the high-precision paths. Names follow SPEC.md: Σ is the NNGP
 * kernel (`sigma`), Σ̇ its derivative kernel (`sigmaDot`), Θ the NTK (`ntk`), barred kernels are
 * normalized to unit diagonal (`…Normalized`). Complements (`oneMinus…`) are carried directly,
 * never formed as `1 − value` (SPEC §4).
 */

import type { ProgressOptions } from "./progress.js";
import type { DepthInput } from "./params.js";

/** Network hyper-parameters (SPEC §1); the paper's case, and the default, is σw = 1, σb = 0. */
export interface NetworkParams {
  /**
   * Weight scale σw (> 0, dimensionless). Default 1. A string is read as the decimal it spells.
   * The float64 paths take 2^-250 ≤ σw ≤ 2^250 (σw² must not over- or underflow); the
   * high-precision paths any σw > 0.
   */
  readonly sigmaW?: number | string;
  /** Bias scale σb (≥ 0, dimensionless). Default 0. A string is read as the decimal it spells. Float64 paths: 0 or 2^-250 … 2^250. */
  readonly sigmaB?: number | string;
}

/** The two kernels of SPEC §2: the NTK Θ and the NNGP (conjugate) kernel Σ. */
export type KernelName = "ntk" | "nngp";

/**
 * Points on the unit sphere S^{n0-1}, ready for kernels (see `data/` for how they get there).
 * `coords` is row-major m × n0, each row of unit norm to float64 rounding. `text`, when present,
 * holds each coordinate's decimal text as given, so that the high-precision path can project it
 * at working precision instead of starting from float64 roundings (SPEC §7).
 */
export interface SpherePoints {
  /** Number of points m ≥ 1. */
  readonly m: number;
  /** Ambient dimension n0 ≥ 1. */
  readonly n0: number;
  /** Projected coordinates, row-major m × n0, unit rows. */
  readonly coords: Float64Array;
  /** Raw (unprojected) coordinates as decimal text, row-major, when the input was text. */
  readonly rawText?: readonly (readonly string[])[];
  /** The projection that produced `coords` from the raw input. */
  readonly projection: Projection;
}

/** How raw inputs are put on the sphere (SPEC §7). */
export type Projection = "normalize" | "stereographic" | "none";

/** Options of a pair computation, shared by the float64 and the high-precision paths. */
export interface PairOptions extends ProgressOptions {
  /** ρ1 = x·x′ ∈ [−1, 1], the cosine between the two inputs; text is read exactly. */
  readonly rho1: number | string;
  /** Final depth L (weight layers), 1 ≤ L ≤ 10^18, exact: a safe integer, a bigint or decimal text ("1e18", "1000000000000000001"). */
  readonly depth: DepthInput;
  /** Depths at which to report (each ≤ depth); default [depth]. */
  readonly at?: readonly DepthInput[];
  /** σw, σb (default 1, 0: the paper's case). */
  readonly params?: NetworkParams;
  /** Input dimension n0 ≥ 1 (default 1): scales raw Σ, Θ, and enters ε_1 when σb > 0. */
  readonly inputDim?: number;
}
