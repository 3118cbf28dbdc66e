/**
 * Depth at constant cost in float64 (SPEC §9, docs/DEPTH_JUMP.md): for σb = 0 (any σw) the
 * complements 1 − ρ^(L) and 1 − Θ̄^(L) of a pair at any depth 1 ≤ L ≤ 10^18 from its layer-1
 * complement, in WebAssembly (assembly/depthJump.ts), and the raw diagonals q_L = Σ^(L)(x,x) and
 * Θ^(L)(x,x) = L q_L in closed form.
 *
 * Accuracy (test/depth-jump.test.ts): within 1e-12 relative of the direct recursion for 1 − ρ,
 * θ, 1 − Θ̄ and Θ̄ (observed ~1e-14 at depths to 10^7, ρ1 across [−1, 1]), and of mpmath
 * references at depths to 10^18.
 */
import { Decimal } from "decimal.js";
import { NtkError } from "../errors.js";
import { checkInputDim, resolveDepth, type ResolvedParams } from "../params.js";
import { checkWasmEngine, type WasmEngine } from "../wasm/engine.js";
import { checkDecimal, checkFiniteNumber, checkInteger, checkObject } from "../argumentTypes.js";

/** 1 − ρ^(L), 1 − Θ̄^(L) and θ^(L) of one pair, from the jump. */
export interface DepthJumpFloat64 {
  /** 1 − ρ^(L) ∈ [0, 2]. */
  readonly oneMinusRho: number;
  /** 1 − Θ̄^(L). */
  readonly oneMinusNtkNormalized: number;
  /** θ^(L) = arccos ρ^(L), radians in [0, π]. */
  readonly theta: number;
}

interface DepthJumpExports {
  depthJumpPair(eps1: number, onePlusRho1: number, depth: number, out: number): void;
  depthJumpFill(eps: number, u: number, start: number, end: number, depth: number, onePlus: number): void;
}

/**
 * The jump for one pair: ε_1 = 1 − ρ^(1) ∈ [0, 2] (for σb = 0, ε_1 = 1 − x·x′) to depth L ≥ 1.
 * `onePlusRho1` = 1 + ρ^(1) (default 2 − ε_1): give it where it is known more accurately than
 * that, as for nearly antipodal inputs (1 + x·x′ = |x + x′|²/2), whose θ_1 and κ0 need it.
 * Cost independent of L (a few µs); the depth enters as its float64 rounding beyond 2^53, which
 * moves the results by less than 1e-16 relative. Uses the engine's scratch buffer (synchronous).
 */
export function depthJumpFloat64(engine: WasmEngine, eps1: number, depth: bigint, onePlusRho1Given?: number): DepthJumpFloat64 {
  checkWasmEngine(engine);
  checkFiniteNumber(eps1, "ε_1");
  const onePlusRho1 = checkFiniteNumber(onePlusRho1Given ?? 2 - eps1, "1 + ρ1");
  if (!(eps1 >= 0 && eps1 <= 2 && onePlusRho1 >= 0 && onePlusRho1 <= 2)) {
    throw new NtkError("BAD_RHO", `ε_1 = 1 − ρ1 and 1 + ρ1 must lie in [0, 2], got ${eps1} and ${onePlusRho1}.`, { eps1, onePlusRho1 });
  }
  resolveDepth(depth);
  const ex = engine.exports as unknown as DepthJumpExports;
  const [out] = engine.reserve([3], "one depth jump");
  ex.depthJumpPair(eps1, onePlusRho1, Number(depth), out!);
  const [oneMinusRho, oneMinusNtkNormalized, theta] = engine.f64(out!, 3);
  return { oneMinusRho: oneMinusRho!, oneMinusNtkNormalized: oneMinusNtkNormalized!, theta: theta! };
}

/**
 * The jump for the packed pairs start … end − 1 of the float64 arrays at byte offsets `eps` and
 * `u` in the engine's memory: reads each ε_1 from `eps`, writes ε_L there and u_L = 1 − Θ̄^(L) to
 * `u`. `onePlus` (byte offset of a float64 array beside them, or 0 for 2 − ε_1) gives 1 + ρ^(1)
 * where it is known more accurately, as {@link depthJumpFloat64}'s `onePlusRho1`. Pairs are
 * independent, so a caller may split [0, pairs) into ranges across workers, each with its own engine.
 */
export function depthJumpFillFloat64(engine: WasmEngine, eps: number, u: number, start: number, end: number, depth: bigint, onePlus = 0): void {
  checkFillRange(engine, onePlus === 0 ? { eps, u } : { eps, u, onePlus }, start, end);
  resolveDepth(depth);
  (engine.exports as unknown as DepthJumpExports).depthJumpFill(eps, u, start, end, Number(depth), onePlus);
}

/** The raw diagonals at depth L for σb = 0: value = mantissa × 2^log2Scale. */
export interface RawDiagonalFloat64 {
  /** q_L / 2^log2Scale, q_L = Σ^(L)(x,x) = (σw²/n0)(σw²/2)^{L−1}. */
  readonly sigmaDiag: number;
  /** Θ^(L)(x,x) / 2^log2Scale = L q_L / 2^log2Scale. */
  readonly ntkDiag: number;
  /** A multiple of 256, so that it is an exact float64 integer for every depth to 10^18 (|log2Scale| < 2^61). */
  readonly log2Scale: number;
}

const ScaleDecimal = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_EVEN });
/** The power-of-two scale is a multiple of this, and the mantissa within [2^-SCALE_STEP, 1) × its leading factor. */
const SCALE_STEP = 256;

/**
 * q_L and L q_L for σb = 0 in closed form (SPEC §3 for σw = 1; (σw²/2)^{L−1} σw²/n0 in general),
 * for any depth. σw = 1: exact up to the rounding of 1/n0. Other σw: log2 q_L is formed with 60
 * significant digits, so the mantissa is within a few ulps at every depth to 10^18. Throws
 * `BAD_DEPTH` when log2 q_L leaves ±2^61 (σw far from 1 at depths near 10^18): such a scale is
 * no longer an exact float64 integer; the high-precision path has no such limit.
 */
export function rawDiagonalFloat64(params: ResolvedParams, n0: number, depth: bigint): RawDiagonalFloat64 {
  checkDecimal(checkObject(params, "params (from resolveParams)").sigmaW, "params.sigmaW");
  checkInputDim(n0);
  resolveDepth(depth);
  const L = Number(depth);
  if (params.sigmaW.eq(1)) {
    // q_L = 2^{−(L−1)} / n0: the scale takes the multiple of 256 at or above −(L−1), the mantissa the rest.
    const steps = (depth - 1n) / BigInt(SCALE_STEP);
    const rest = Number((depth - 1n) % BigInt(SCALE_STEP));
    const sigmaDiag = 2 ** -rest / n0;
    return { sigmaDiag, ntkDiag: sigmaDiag * L, log2Scale: -Number(steps) * SCALE_STEP };
  }
  const sw2 = new ScaleDecimal(params.sigmaW).pow(2);
  const log2 = (x: Decimal): Decimal => x.ln().div(ScaleDecimal.ln(2));
  const x = log2(sw2.div(n0)).plus(log2(sw2.div(2)).times(new ScaleDecimal((depth - 1n).toString())));
  const k = x.div(SCALE_STEP).floor();
  if (k.abs().gt(2 ** 53)) {
    throw new NtkError(
      "BAD_DEPTH",
      `At depth ${depth} with σw = ${params.sigmaW.toString()} the raw kernels are 2^(${x.toFixed(0)}), beyond the exponents float64 results carry exactly. Use the precision option.`,
      { depth: depth.toString() },
    );
  }
  const sigmaDiag = new ScaleDecimal(2).pow(x.minus(k.times(SCALE_STEP))).toNumber();
  return { sigmaDiag, ntkDiag: sigmaDiag * L, log2Scale: k.toNumber() * SCALE_STEP };
}

/** The engine and the byte offsets and pair range of a fill, at the engine-level entries: `BAD_ARGUMENT` unless integers within the engine's memory, start ≤ end. */
export function checkFillRange(engine: WasmEngine, offsets: Readonly<Record<string, number>>, start: number, end: number): void {
  const bytes = checkWasmEngine(engine).exports.memory.buffer.byteLength;
  checkInteger(start, "start", 0);
  checkInteger(end, "end", start);
  for (const [name, offset] of Object.entries(offsets)) {
    checkInteger(offset, `the byte offset ${name}`, 0, bytes - 8 * end);
    if (offset % 8 !== 0) throw new NtkError("BAD_ARGUMENT", `the byte offset ${name} must be a multiple of 8.`, {});
  }
}
