/**
 * The per-pair operations of an architecture's tape (tape.ts) in plain TypeScript: the port of
 * assembly/architecture.ts, and an independent cross-check of it (it uses the exact θ and g(θ) of
 * gram/plain.ts at every ε, where the WebAssembly kernel uses the polynomial fits below ε = 0.8).
 * Closed forms and their complement forms: docs/ARCHITECTURES.md.
 */
import { gOfTheta, thetaOfComplements } from "../complement.js";
import { OP, OP_WIDTH } from "./tape.js";

const INV_PI = 1 / Math.PI;

/** 1 − ρ′ of the erf layer from ε = 1 − ρ and the layer's s, asin s, √(1 − s²) (see docs/ARCHITECTURES.md). */
export function erfComplement(e: number, s: number, asinS: number, c: number): number {
  if (e > 1) return (asinS + Math.asin(s * (e - 1))) / asinS;
  const m2 = e * (2 - e);
  // asin s − asin(sρ) = asin((s² − s²ρ²) / (s √(1 − s²ρ²) + sρ √(1 − s²))), no cancellation for ρ ≥ 0.
  return Math.asin((s * m2) / (Math.sqrt(c * c + s * s * m2) + (1 - e) * c)) / asinS;
}

/** 1 − κ of the erf layer, κ = Ṫ(x,x′)/Ṫ(x,x) = 1/√(1 + k(1 − ρ²)), from ε = 1 − ρ and ε̄ = 1 + ρ, without cancellation. */
export function erfDerivativeComplement(e: number, eBar: number, k: number): number {
  const x = k * (e * eBar);
  const r = Math.sqrt(1 + x);
  return x / (r * (1 + r));
}

/**
 * Runs `ops` operations of `tape` (from operation `first`) on pairs `from … to − 1` of `eps` and
 * `u` (each pair's own state; a residual's skip path is kept on a small stack). `bars`, when given,
 * holds ε̄ = 1 + Σ̄ and ū = 1 + Θ̄ per pair (two values a pair), carried through the leading dense
 * layers into the first activation; then ε̄ is set to −1 (none), as in assembly/architecture.ts.
 */
export function plainTapeAdvance(
  eps: Float64Array,
  u: Float64Array,
  from: number,
  to: number,
  tape: Float64Array,
  first: number,
  ops: number,
  bars?: Float64Array,
): void {
  const stack: number[] = [];
  for (let p = from; p < to; p++) {
    let e = eps[p];
    let v = u[p];
    let eBar = bars ? bars[2 * p] : -1;
    let vBar = bars ? bars[2 * p + 1] : 0;
    let carried = eBar >= 0;
    for (let k = first * OP_WIDTH, end = (first + ops) * OP_WIDTH; k < end; k += OP_WIDTH) {
      const bar = carried ? eBar : 2 - e;
      const fromInput = carried;
      // A residual branch starts from the block's input: ε̄, ū carry on into its first activation.
      if (tape[k] !== OP.dense && tape[k] !== OP.push) carried = false;
      switch (tape[k]) {
        case OP.dense:
          e = tape[k + 1] * e;
          v = tape[k + 2] * v + tape[k + 3] * e;
          eBar = Math.min(2, tape[k + 1] * eBar + tape[k + 4]);
          vBar = Math.min(2, tape[k + 2] * vBar + tape[k + 3] * eBar);
          break;
        case OP.twoSlope: {
          const lambda = tape[k + 1];
          if (e <= 1) {
            const theta = thetaOfComplements(e, bar);
            const next = e - lambda * gOfTheta(theta) * INV_PI;
            v = v + (1 - v) * lambda * theta * INV_PI;
            e = Math.min(2, Math.max(0, next));
          } else {
            // Above ε = 1 in φ = π − θ from ε̄: 1 − ρ′ = (2 − λ) + (λ − 1) ε̄ − λ g(φ)/π (no cancellation at λ ≈ 2),
            // and from the input u′ = (2 − λ) + (λ − 1) ū + λ (1 − ū) φ/π likewise.
            const phi = thetaOfComplements(bar, e);
            v = fromInput ? 2 - lambda + (lambda - 1) * vBar + lambda * (1 - vBar) * (phi * INV_PI) : v + (1 - v) * lambda * (1 - phi * INV_PI);
            e = Math.min(2, Math.max(0, 2 - lambda + (lambda - 1) * bar - lambda * gOfTheta(phi) * INV_PI));
          }
          break;
        }
        case OP.erf: {
          const next = erfComplement(e, tape[k + 1], tape[k + 2], tape[k + 3]);
          v = v + (1 - v) * erfDerivativeComplement(e, bar, tape[k + 4]);
          e = Math.min(2, Math.max(0, next));
          break;
        }
        case OP.push:
          stack.push(e, v);
          break;
        default: {
          const v0 = stack.pop()!;
          const e0 = stack.pop()!;
          e = tape[k + 1] * e0 + tape[k + 2] * e;
          v = tape[k + 3] * v0 + tape[k + 4] * v;
        }
      }
    }
    eps[p] = e;
    u[p] = v;
    if (bars) {
      bars[2 * p] = carried ? eBar : -1;
      bars[2 * p + 1] = vBar;
    }
  }
}
