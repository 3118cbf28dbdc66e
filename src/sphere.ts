/**
 * Raw points onto the unit sphere (SPEC §7) at float64 or at any precision: one entry point,
 * precision is one option. Without `precision` the float64 projection of `./sphere/float64.ts`;
 * with `precision: P` (20 … 1000 significant digits) the decimal projection of
 * `./sphere/precise.ts`, from the points' decimal text where they carry it, each coordinate
 * rounded once or twice to P digits.
 */
import { NtkError } from "./errors.js";
import { checkPrecision, preciseDecimal } from "./precise/precision.js";
import { projectToSphereFloat64, type ProjectionOptions, type RawPoints } from "./sphere/float64.js";
import { projectToSpherePrecise, type SpherePointsPrecise } from "./sphere/precise.js";
import type { Projection, SpherePoints } from "./types.js";

/** Options of {@link projectToSphere}: those of the projections, and the precision. */
export interface ProjectToSphereOptions extends ProjectionOptions {
  /** Omitted: float64. A number P (20 … 1000): P significant digits (BAD_PRECISION otherwise). */
  readonly precision?: number;
}

/** Float64: unit rows, as `projectToSphereFloat64`. */
export function projectToSphere(points: RawPoints, projection: Projection, options?: ProjectionOptions & { readonly precision?: undefined }): SpherePoints;
/** High precision: unit rows as Decimals of P significant digits, as `projectToSpherePrecise`. */
export function projectToSphere(points: RawPoints, projection: Projection, options: ProjectionOptions & { readonly precision: number }): SpherePointsPrecise;
export function projectToSphere(points: RawPoints, projection: Projection, options?: ProjectToSphereOptions): SpherePoints | SpherePointsPrecise;
export function projectToSphere(points: RawPoints, projection: Projection, options: ProjectToSphereOptions = {}): SpherePoints | SpherePointsPrecise {
  if (typeof options !== "object" || options === null) {
    throw new NtkError(
      "BAD_OPTION",
      `projectToSphere takes an options object such as { precision: 30, tolerance: 1e-9 }, got ${options === null ? "null" : typeof options}.`,
    );
  }
  const precision = options.precision;
  if (precision === undefined) return projectToSphereFloat64(points, projection, options);
  return projectToSpherePrecise(points, projection, preciseDecimal(checkPrecision(precision)), options);
}
