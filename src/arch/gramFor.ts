/**
 * The Gram matrices of an optional architecture: the ReLU engine's call itself when none is given
 * (so the ReLU paths stay exactly as they were), the architecture's otherwise. Predictions use
 * these (predictions on resolved entries: `archGramFloat64Resolved`, `archGramPreciseResolved`), so one description drives them too.
 */
import { checkObject } from "../argumentTypes.js";
import { gramThroughDepthFloat64, type GramFloat64Options, type GramResultFloat64 } from "../gram/float64.js";
import { gramDeterminantsVouched, type GramPrecisionOptions, type GramWithDeterminants } from "../gram/precise.js";
import type { KernelName } from "../types.js";
import { archGramThroughDepthFloat64, type ArchitectureInput } from "./float64.js";
import { archGramDeterminantsVouched } from "./precise.js";

/** Float64 Gram matrices of the ReLU network (`architecture` undefined) or of `architecture`. */
export async function gramFloat64For(o: GramFloat64Options, architecture: ArchitectureInput | undefined): Promise<GramResultFloat64> {
  checkObject(o, "gramFloat64For's options");
  return architecture === undefined ? gramThroughDepthFloat64(o) : archGramThroughDepthFloat64({ ...o, architecture });
}

/** High-precision Gram matrices and vouched determinants of the ReLU network (`architecture` undefined) or of `architecture`. */
export function gramDeterminantsVouchedFor(
  o: GramPrecisionOptions,
  kernel: KernelName,
  normalized: boolean,
  architecture: ArchitectureInput | undefined,
): Promise<GramWithDeterminants> {
  return architecture === undefined ? gramDeterminantsVouched(o, kernel, normalized) : archGramDeterminantsVouched({ ...o, architecture }, kernel, normalized);
}
