/**
 * The textbook recursion of SPEC §2–3 in decimal.js, literally: ρ′ = w h(ρ) + 1 − w with
 * h(z) = z asin(z)/π + √(1 − z²)/π + z/2, and Θ̄′ = (w τ Θ̄ κ0(ρ) + ρ′)/τ′. Slow (decimal.js
 * asin and sqrt every step) and cancelling near ρ = 1, like its float64 namesake; kept as an
 * independent cross-check of the fast complement path and as the baseline of bench/precise.ts.
 * Domain: paper-style inputs on the sphere; `digits` ≤ 1020 (decimal.js stores π to 1025 digits).
 */
import type { Decimal } from "decimal.js";

/** ρ^(L) and Θ̄^(L) at one depth, as computed by the textbook loop (digits not vouched). */
export interface TextbookPoint {
  readonly depth: number;
  readonly rho: Decimal;
  readonly ntkNormalized: Decimal;
}

/**
 * Runs the textbook recursion from ρ_1 to `depth` in the Decimal class `D` (its precision is the
 * working precision) and returns ρ, Θ̄ at each of the sorted `checkpoints`. `sigmaW2`, `sigmaB2`
 * are σw², σb²; `inputDim` is n0.
 */
export function textbookPairLoop(
  D: typeof Decimal,
  rho1: Decimal,
  depth: number,
  checkpoints: readonly number[],
  sigmaW2: Decimal,
  sigmaB2: Decimal,
  inputDim: number,
): TextbookPoint[] {
  const pi = D.acos(-1);
  const one = new D(1);
  let q = new D(sigmaW2).div(inputDim).plus(sigmaB2);
  let rho = new D(sigmaW2).times(rho1).div(inputDim).plus(sigmaB2).div(q);
  let tau = one;
  let ntkNormalized = rho;
  const out: TextbookPoint[] = [];
  let next = 0;
  for (let l = 1; ; l++) {
    if (l === checkpoints[next]) {
      out.push({ depth: l, rho, ntkNormalized });
      next++;
    }
    if (l === depth) break;
    const asin = D.asin(rho);
    const h = rho
      .times(asin)
      .plus(one.minus(rho.times(rho)).sqrt())
      .div(pi)
      .plus(rho.div(2));
    const kappa0 = asin.div(pi).plus(0.5);
    const half = new D(sigmaW2).times(q).div(2);
    const qNext = half.plus(sigmaB2);
    const w = half.div(qNext);
    const rhoNext = w.times(h).plus(one.minus(w));
    const tauNext = w.times(tau).plus(1);
    ntkNormalized = w.times(tau).times(ntkNormalized).times(kappa0).plus(rhoNext).div(tauNext);
    rho = rhoNext;
    tau = tauNext;
    q = qNext;
  }
  return out;
}
