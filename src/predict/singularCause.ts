/**
 * Why a training Gram matrix is exactly singular, when the data say so in advance (SPEC §5):
 * two training points that are the same point on the sphere give equal rows at every depth, and
 * at L = 1 the ReLU network's kernel is linear, σw² x·x′/n0 + σb², of rank at most n0 (+1 with a
 * bias), so more points than that make it singular. An architecture is linear at L = 1 only when its
 * stem has no activation ({@link depthOneBias}); a stem with one is not, and the bound does not apply. Float64 adds a third cause: distinct points whose projections
 * round to the same float64 row.
 */
import { checkArray, checkDecimal, checkInteger, checkObject } from "../argumentTypes.js";
import type { Decimal } from "decimal.js";
import { exactRawCoordinates } from "../sphere/precise.js";
import { checkRawPoints, checkSpherePoints, PROJECTIONS, type RawPoints } from "../sphere/float64.js";
import { NtkError } from "../errors.js";
import type { Projection, SpherePoints } from "../types.js";
import type { ResolvedArchitecture, ResolvedLayer } from "../arch/description.js";
import type { ResolvedParams } from "../params.js";

/** One reason K is exactly singular, with the words to say it. */
export interface SingularCause {
  /** "duplicate": the same point on the sphere; "float64-duplicate": equal only after float64 rounding; "linear-rank": L = 1 and m exceeds the rank bound. */
  readonly kind: "duplicate" | "float64-duplicate" | "linear-rank";
  /** The two training points (0-based) for the duplicate kinds. */
  readonly points?: readonly [number, number];
  /** A sentence naming the cause and the points (1-based, as users count). */
  readonly message: string;
}

/** Options of {@link findSingularCauses}. */
export interface SingularCauseInput {
  /** The raw training points (with their decimal text when read from text). */
  readonly raw: RawPoints;
  /** Their float64 projection (the rows the float64 kernels see). */
  readonly projected: SpherePoints;
  readonly projection: Projection;
  /** Depth L. */
  readonly depth: number;
  /**
   * The network at L = 1: true when its kernel is linear with a bias (σb > 0 adds one to the rank
   * bound), false when linear without one, null when it is not linear (no rank bound); see
   * {@link depthOneBias}.
   */
  readonly hasBias: boolean | null;
}

/**
 * Every cause found, first the rank bound ({@link linearRankCause}), then each duplicate pair
 * ({@link findDuplicateCauses}).
 */
export function findSingularCauses(o: SingularCauseInput): SingularCause[] {
  checkObject(o, "findSingularCauses's options");
  checkRawPoints(o.raw);
  checkSpherePoints(o.projected, "singular causes");
  checkInteger(o.depth, "depth", 1, Number.MAX_VALUE);
  if (o.hasBias !== null && typeof o.hasBias !== "boolean") throw new NtkError("BAD_ARGUMENT", "hasBias must be true, false or null.", {});
  if (!PROJECTIONS.includes(o.projection)) throw new NtkError("BAD_OPTION", `unknown projection; choose ${PROJECTIONS.join(", ")}.`, {});
  const rank = linearRankCause(o.projected, o.depth, o.hasBias);
  return [...(rank ? [rank] : []), ...findDuplicateCauses(o)];
}

/**
 * The rank bound at L = 1 (m points, rank ≤ n0, + 1 with a bias), or null when it does not bite or
 * when the network at L = 1 is not linear (`hasBias` null).
 */
export function linearRankCause(projected: SpherePoints, depth: number, hasBias: boolean | null): SingularCause | null {
  if (hasBias === null) return null;
  const { m, n0 } = projected;
  const rank = n0 + (hasBias ? 1 : 0);
  if (depth !== 1 || m <= rank) return null;
  return {
    kind: "linear-rank",
    message: `at depth L = 1 the kernel is linear in x·x′ (rank ≤ ${rank}: the ${n0} coordinates on the sphere${hasBias ? " plus the bias" : ""}), and there are ${m} training points`,
  };
}

/**
 * The `hasBias` of {@link SingularCauseInput}: for the ReLU network (`architecture` undefined)
 * whether σb > 0; for an architecture, its stem (the whole network at L = 1) is linear in x·x′ when
 * it holds dense layers and residual blocks of dense layers only, with a bias when one of them has
 * σb > 0, and null (not linear) as soon as it holds an activation.
 */
export function depthOneBias(architecture: ResolvedArchitecture | undefined, params: ResolvedParams): boolean | null {
  checkDecimal(checkObject(params, "params (from resolveParams)").sigmaB, "params.sigmaB");
  if (architecture !== undefined) checkArray(checkObject(architecture, "architecture (resolved)").stem, "architecture.stem");
  return depthOneBiasChecked(architecture, params);
}

/** {@link depthOneBias} of a resolved architecture and parameters (nothing checked again): for the layers below a validated entry. */
export function depthOneBiasChecked(architecture: ResolvedArchitecture | undefined, params: ResolvedParams): boolean | null {
  if (architecture === undefined) return !params.sigmaB.isZero();
  const bias = (layers: readonly ResolvedLayer[]): boolean | null => {
    let any = false;
    for (const l of layers) {
      const b = l.kind === "dense" ? !l.params.sigmaB.isZero() : l.kind === "residual" ? bias(l.branch) : null;
      if (b === null) return null;
      any ||= b;
    }
    return any;
  };
  return bias(architecture.stem);
}

/**
 * Each duplicate pair, at any depth (so a caller following many depths finds them once).
 * Duplicates are decided exactly: two raw points are the same point on the sphere when one is a
 * positive multiple of the other ("normalize", "none") or when they are equal ("stereographic" is
 * one-to-one), tested by exact decimal products on the coordinates as written. Cost: a sort of the
 * points by the sum of their projected coordinates and float64 comparisons of the pairs whose sums
 * agree to n0·1e-9 (O(m log m) for points in general position, O(m² n0) at worst); exact tests only
 * for pairs whose float64 projections agree to 1e-9 in every coordinate.
 */
export function findDuplicateCauses(o: Omit<SingularCauseInput, "depth" | "hasBias">): SingularCause[] {
  const causes: SingularCause[] = [];
  let exact: Decimal[] | null = null;
  const rawDim = o.raw.n0;
  for (const { i, j, identical } of closePairs(o.projected)) {
    exact ??= exactRawCoordinates(o.raw);
    const a = exact.slice(i * rawDim, (i + 1) * rawDim);
    const b = exact.slice(j * rawDim, (j + 1) * rawDim);
    const same = o.projection === "stereographic" ? a.every((x, c) => x.eq(b[c])) : positiveMultiples(a, b);
    if (same) {
      causes.push({
        kind: "duplicate",
        points: [i, j],
        message: `training points ${i + 1} and ${j + 1} are the same point on the sphere${o.projection === "stereographic" ? "" : " (one is a positive multiple of the other)"}, so K has two equal rows at every depth`,
      });
    } else if (identical) {
      causes.push({
        kind: "float64-duplicate",
        points: [i, j],
        message: `training points ${i + 1} and ${j + 1} are distinct but their float64 projections are equal, so the float64 K has two equal rows (the high-precision path tells them apart)`,
      });
    }
  }
  return causes;
}

/** Largest difference of a projected coordinate for which two points count as close (then tested exactly). */
const CLOSE = 1e-9;

/**
 * The pairs i < j of points whose coordinates all differ by at most CLOSE, in increasing (i, j)
 * order, and whether they are identical. Such points have sums of coordinates within n0·CLOSE of
 * each other (plus the sums' roundings, each below n0²·2^-53 for coordinates in [−1, 1]), so with
 * the points sorted by that sum only neighbours within that window are compared coordinate by
 * coordinate. The sum, not one coordinate: a coordinate can be the same for every point (a corner
 * pixel of MNIST), the sum of all of them hardly.
 */
function closePairs(p: SpherePoints): { i: number; j: number; identical: boolean }[] {
  const { m, n0, coords } = p;
  const key = new Float64Array(m);
  for (let i = 0; i < m; i++) for (let c = 0; c < n0; c++) key[i] += coords[i * n0 + c];
  const window = n0 * CLOSE + 2 * n0 * n0 * Number.EPSILON;
  const order = Int32Array.from({ length: m }, (_, i) => i).sort((a, b) => key[a] - key[b]);
  const pairs: { i: number; j: number; identical: boolean }[] = [];
  for (let s = 0; s < m; s++) {
    for (let t = s + 1; t < m && key[order[t]] - key[order[s]] <= window; t++) {
      const i = Math.min(order[s], order[t]);
      const j = Math.max(order[s], order[t]);
      let close = true;
      let identical = true;
      for (let c = 0; c < n0 && close; c++) {
        const d = Math.abs(coords[i * n0 + c] - coords[j * n0 + c]);
        close = d <= CLOSE;
        identical &&= d === 0;
      }
      if (close) pairs.push({ i, j, identical });
    }
  }
  return pairs.sort((a, b) => a.i - b.i || a.j - b.j);
}

/** True when a = c·b for some c > 0, exactly (a, b exact decimals of the same length). */
function positiveMultiples(a: readonly Decimal[], b: readonly Decimal[]): boolean {
  const pivot = b.findIndex((x) => !x.isZero());
  if (pivot < 0 || a[pivot].isZero() || a[pivot].isNegative() !== b[pivot].isNegative()) return false;
  return a.every((x, c) => x.times(b[pivot]).eq(b[c].times(a[pivot])));
}
