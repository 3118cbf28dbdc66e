/**
 * Float64 against high precision for the Gram matrix of one kernel of a data set (SPEC §5): the
 * float64 WebAssembly path and the high-precision path as the reference, for the ReLU network or
 * any architecture (src/arch/). Reports, at the chosen
 * depth, the worst entry of the kernel matrix (and of its complement 1 − K̄ when normalized), det
 * and log10|det|, each with relative error and correct significant digits; and, scanning depths,
 * the first depth at which float64's determinant stops meaning anything (see
 * {@link DET_MEANING_DEFINITION}).
 */
import { checkObject } from "../argumentTypes.js";
import { Decimal } from "decimal.js";
import { exactBinaryDecimal } from "../decimalText.js";
import { kernelMatrixFloat64, type GramAtDepthFloat64 } from "../gram/float64.js";
import { gramDeterminantsVouchedFor, gramFloat64For } from "../arch/gramFor.js";
import type { ArchitectureInput } from "../arch/float64.js";
import {
  kernelEntryDigitsVouched,
  kernelMatrixPrecise,
  type GramAtDepthPrecise,
  type GramDeterminantPrecise,
  type GramPrecisionOptions,
} from "../gram/precise.js";
import { analyzeMatrixFloat64, type MatrixAnalysisFloat64 } from "../linalg/lu.js";
import { MAX_DEPTH, resolveDepth, type DepthInput, type ResolvedParams } from "../params.js";
import { projectToSphereFloat64 } from "../sphere/float64.js";
import type { KernelName } from "../types.js";
import { correctDigits, FLOAT64_MATCH_DIGITS, relativeError } from "../digits.js";
import { ProgressTicker } from "../progress.js";
import { LOST_NTK_COMPLEMENT, LOST_SIGMA_COMPLEMENT } from "../gram/lostComplements.js";

/** Default significant digits of the reference (as for the pair comparison). */
export const DEFAULT_GRAM_COMPARE_PRECISION = 32;

/** Wide exponent range for float64 values scaled by 2^log2Scale (raw kernels at depth 10^6 are ~2^−10^6). */
const Wide = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN, minE: -9e15, maxE: 9e15 });

/** Every depth up to this one is scanned; beyond it, about ten depths per decade. */
const SCAN_EVERY_DEPTH_TO = 30;
/** Scan points per decade beyond {@link SCAN_EVERY_DEPTH_TO}. */
const SCAN_PER_DECADE = 10;
/** The reference must vouch for at least this many digits of det at a depth for float64 to be judged there. */
export const MIN_REFERENCE_DIGITS = 2;

/** What "float64's determinant stops meaning anything" means, in words (printed with the result). */
export const DET_MEANING_DEFINITION =
  "float64's det K has no correct significant digit: its relative error against the high-precision det is at least 10% " +
  "(fewer than 1 correct digit), or its sign is wrong, or LU met an exactly zero pivot where the exact det is not 0; " +
  `judged at scanned depths where the high-precision det vouches for at least ${MIN_REFERENCE_DIGITS} digits`;

/** Options of {@link compareGram}. */
export interface GramCompareOptions extends Omit<GramPrecisionOptions, "depths" | "precision" | "extraGuardDigits"> {
  /** Depth L of the reported matrix, 1 ≤ L ≤ 1e9: a safe integer, a bigint or decimal integer text. */
  readonly depth: DepthInput;
  readonly kernel: KernelName;
  readonly normalized: boolean;
  /** Significant digits of the reference, 20 … 1000 (default 32). */
  readonly precision?: number;
  /** Deepest depth scanned for the loss of det's meaning (default: `depth`; a number, a bigint or decimal integer text). */
  readonly scanTo?: DepthInput;
  /** The network (src/arch/); default the ReLU network with `params`. */
  readonly architecture?: ArchitectureInput;
}

/** The worst entry of a float64 matrix against the reference. */
export interface EntryComparison {
  /** Largest relative error over the entries (0 when all agree exactly). */
  readonly worstRelativeError: Decimal;
  /** Fewest correct significant digits over the entries, 0 … 17. */
  readonly leastCorrectDigits: number;
  /** The entry where that happens, 1-based (row, column). */
  readonly worstEntry: readonly [number, number];
  /** Fewest digits the reference vouches for over the same entries. */
  readonly referenceDigits: number;
  /**
   * Entries float64 has lost (complements below 2^-1022, `lostToZero` of the float64 Gram,
   * docs/DEPTH_JUMP.md §6): each counts 0 correct digits whatever its carried bits match.
   */
  readonly lostEntries: number;
}

/** float64's det K as the exact number it stands for, with its LU analysis. */
export interface Float64Determinant {
  /** det K including the raw kernel's 2^(m·log2Scale); from log10|det| when the det left the float64 range. */
  readonly det: Decimal;
  readonly log10AbsDet: number;
  readonly analysis: MatrixAnalysisFloat64;
}

/** det and log10|det| of float64 against the reference. */
export interface DeterminantComparison {
  readonly float64: Float64Determinant;
  readonly reference: GramDeterminantPrecise;
  /** |det64 − det| / |det|; null when the reference det is exactly 0. */
  readonly detRelativeError: Decimal | null;
  /** Correct significant digits of float64's det, 0 … 17 (0 also for a wrong sign). */
  readonly detCorrectDigits: number;
  /** Correct significant digits of float64's log10|det|, 0 … 17 (0 when either det is 0). */
  readonly log10AbsDetCorrectDigits: number;
}

/** One scanned depth. */
export interface DetScanPoint {
  readonly depth: number;
  /** Digits of det the reference vouches for. */
  readonly referenceDigits: number;
  /** float64's correct digits of det, or null when the reference vouches fewer than {@link MIN_REFERENCE_DIGITS}. */
  readonly float64Digits: number | null;
  /** True when float64's det means nothing here ({@link DET_MEANING_DEFINITION}). */
  readonly meaningless: boolean;
}

/** The result of {@link compareGram}. */
export interface GramComparison {
  readonly params: ResolvedParams;
  readonly precision: number;
  readonly workingPrecision: number;
  readonly vouchedBy: string;
  readonly depth: number;
  readonly kernel: KernelName;
  readonly normalized: boolean;
  readonly m: number;
  /** Dimension of the points on the sphere. */
  readonly n0: number;
  /** The kernel matrix's entries (K̄ or raw K) at `depth`. */
  readonly entries: EntryComparison;
  /** 1 − K̄ at `depth` (normalized kernels only; float64 carries it directly). */
  readonly complements: EntryComparison | null;
  readonly determinant: DeterminantComparison;
  readonly scan: readonly DetScanPoint[];
  /** First scanned depth where float64's det means nothing, or null if none up to `scanTo`. */
  readonly detMeaninglessFrom: number | null;
  /** The deepest scanned depth before it where float64's det still had a correct digit (null if none). */
  readonly detLastMeaningful: number | null;
  readonly definition: string;
}

/** Depths 1 … min(scanTo, 30), then about ten per decade up to scanTo, plus `depth`; sorted, distinct. */
export function gramScanDepths(scanTo: number, depth: number): number[] {
  const out = new Set<number>([depth, scanTo]);
  for (let l = 1; l <= Math.min(scanTo, SCAN_EVERY_DEPTH_TO); l++) out.add(l);
  for (let k = Math.ceil(Math.log10(SCAN_EVERY_DEPTH_TO) * SCAN_PER_DECADE); ; k++) {
    const l = Math.round(10 ** (k / SCAN_PER_DECADE));
    if (l > scanTo) break;
    out.add(l);
  }
  return [...out].sort((a, b) => a - b);
}

/** float64 value × 2^log2Scale as the exact number it stands for. */
function scaled(x: number, log2Scale: number): Decimal {
  const exact = new Wide(exactBinaryDecimal(x, "a float64 kernel value"));
  return log2Scale === 0 ? exact : exact.times(new Wide(2).pow(log2Scale));
}

/** `lost` marks entries float64 has lost (they count 0 digits). */
function compareEntries(
  f: Float64Array,
  log2Scale: number,
  ref: readonly Decimal[],
  vouched: number,
  m: number,
  lost?: (k: number) => boolean,
): EntryComparison {
  let worst = new Wide(0);
  let least: number = FLOAT64_MATCH_DIGITS;
  let at: [number, number] = [1, 1];
  let lostEntries = 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      const k = i * m + j;
      const approx = scaled(f[k], log2Scale);
      const isLost = lost?.(k) === true;
      if (isLost) lostEntries++;
      const digits = isLost ? 0 : correctDigits(approx, ref[k], FLOAT64_MATCH_DIGITS);
      const err = relativeError(approx, ref[k]);
      if (digits < least || (digits === least && err.gt(worst))) at = [i + 1, j + 1];
      least = Math.min(least, digits);
      if (err.gt(worst)) worst = new Wide(err);
    }
  }
  return { worstRelativeError: worst, leastCorrectDigits: least, worstEntry: at, referenceDigits: vouched, lostEntries };
}

async function float64Determinant(g: GramAtDepthFloat64, kernel: KernelName, normalized: boolean): Promise<Float64Determinant> {
  const { matrix, log2Scale } = kernelMatrixFloat64(g, kernel, normalized);
  const analysis = await analyzeMatrixFloat64(matrix, g.m);
  const detScale = g.m * log2Scale;
  const log10AbsDet = analysis.log10AbsDet + detScale * Math.log10(2);
  let det: Decimal;
  if (analysis.signDet === 0) det = new Wide(0);
  else if (Number.isFinite(analysis.det) && analysis.det !== 0) det = scaled(analysis.det, detScale);
  else det = new Wide(10).pow(log10AbsDet).times(analysis.signDet);
  return { det, log10AbsDet, analysis };
}

function compareDeterminants(f: Float64Determinant, ref: GramDeterminantPrecise): DeterminantComparison {
  const refZero = ref.det.isZero();
  const signOk = f.analysis.signDet === ref.signDet;
  const detCorrectDigits = signOk ? correctDigits(f.det, ref.det, FLOAT64_MATCH_DIGITS) : 0;
  const bothNonzero = f.analysis.signDet !== 0 && ref.log10AbsDet !== null;
  const log10AbsDetCorrectDigits = bothNonzero && Number.isFinite(f.log10AbsDet) ? correctDigits(f.log10AbsDet, ref.log10AbsDet!, FLOAT64_MATCH_DIGITS) : 0;
  return { float64: f, reference: ref, detRelativeError: refZero ? null : relativeError(f.det, ref.det), detCorrectDigits, log10AbsDetCorrectDigits };
}

/**
 * Runs the float64 and the high-precision Gram paths over the scanned depths (one pass each) and
 * compares them (see the module note). Work: one float64 pass and two high-precision passes (plus
 * possibly one rerun with more guard digits for ill-conditioned determinants) to max(depth, scanTo),
 * and one LU per scanned depth in each. Progress counts the high-precision pair steps.
 * Throws the codes of both Gram paths and of the projections, and BAD_DEPTH for scanTo.
 */
export async function compareGram(o: GramCompareOptions): Promise<GramComparison> {
  checkObject(o, "compareGram's options");
  const depth = Number(resolveDepth(o.depth, "depth", BigInt(MAX_DEPTH)));
  const scanTo = Number(resolveDepth(o.scanTo ?? depth, "scan depth", BigInt(MAX_DEPTH)));
  const precision = o.precision ?? DEFAULT_GRAM_COMPARE_PRECISION;
  const depths = gramScanDepths(scanTo, depth);
  const { gram, determinants } = await gramDeterminantsVouchedFor({ ...o, depths, precision }, o.kernel, o.normalized, o.architecture);
  const points = projectToSphereFloat64(o.data, o.projection, { tolerance: o.tolerance });
  const { grams: float64 } = await gramFloat64For({ points, depths, params: o.params, signal: o.signal }, o.architecture);
  const m = points.m;

  const scan: DetScanPoint[] = [];
  const k = depths.indexOf(depth); // gramScanDepths always holds `depth`
  const comparisons: DeterminantComparison[] = [];
  const ticker = new ProgressTicker(o, float64.length, 1, "float64 determinants");
  for (const [j, g] of float64.entries()) {
    const pause = ticker.tick(j);
    if (pause) await pause;
    const cmp = compareDeterminants(await float64Determinant(g, o.kernel, o.normalized), determinants[j]);
    comparisons.push(cmp);
    const referenceDigits = determinants[j].digitsVouched.det;
    const judged = referenceDigits >= MIN_REFERENCE_DIGITS;
    const meaningless = judged && (cmp.detCorrectDigits < 1 || (cmp.float64.analysis.signDet === 0 && !determinants[j].det.isZero()));
    scan.push({ depth: g.depth, referenceDigits, float64Digits: judged ? cmp.detCorrectDigits : null, meaningless });
  }
  ticker.finish();
  const firstLost = scan.find((s) => s.meaningless) ?? null;
  const lastGood =
    firstLost === null ? null : ([...scan].reverse().find((s) => s.depth < firstLost.depth && s.float64Digits !== null && !s.meaningless) ?? null);

  const p: GramAtDepthPrecise = gram.grams[k];
  const f = float64[k];
  const { matrix, log2Scale } = kernelMatrixFloat64(f, o.kernel, o.normalized);
  const refMatrix = kernelMatrixPrecise(p, o.kernel, o.normalized);
  const complementName = o.kernel === "ntk" ? "oneMinusNtkNormalized" : "oneMinusSigmaNormalized";
  const lostBit = o.kernel === "ntk" ? LOST_NTK_COMPLEMENT : LOST_SIGMA_COMPLEMENT;
  const mask = f.lostToZero;
  return {
    params: gram.params,
    precision: gram.precision,
    workingPrecision: gram.workingPrecision,
    vouchedBy: gram.vouchedBy,
    depth,
    kernel: o.kernel,
    normalized: o.normalized,
    m,
    n0: points.n0,
    entries: compareEntries(matrix, log2Scale, refMatrix, Math.min(...kernelEntryDigitsVouched(p, o.kernel, o.normalized, gram.precision)), m),
    complements: o.normalized
      ? compareEntries(
          f[complementName],
          0,
          p[complementName],
          p.digitsVouchedByMatrix[complementName],
          m,
          mask === null ? undefined : (k) => (mask[k]! & lostBit) !== 0,
        )
      : null,
    determinant: comparisons[k],
    scan,
    detMeaninglessFrom: firstLost?.depth ?? null,
    detLastMeaningful: lastGood?.depth ?? null,
    definition: DET_MEANING_DEFINITION,
  };
}
