/**
 * The per-pair operations of an architecture's tape (tape.ts) in plain TypeScript: the port of
 * assembly/architecture.ts, and an independent cross-check of it (it uses the exact θ and g(θ) of
 * gram/plain.ts at every ε, where the WebAssembly kernel uses the polynomial fits below ε = 0.8).
 * Closed forms and their complement forms: docs/ARCHITECTURES.md.
 */
import { gOfTheta, thetaOfComplement } from "../complement.js";
import { OP, OP_WIDTH } from "./tape.js";

const INV_PI = 1 / Math.PI;

/** 1 − ρ′ of the erf layer from ε = 1 − ρ and the layer's s, asin s, √(1 − s²) (see docs/ARCHITECTURES.md). */
export function erfComplement(e: number, s: number, asinS: number, c: number): number {
  if (e > 1) return (asinS + Math.asin(s * (e - 1))) / asinS;
  const m2 = e * (2 - e);
  // asin s − asin(sρ) = asin((s² − s²ρ²) / (s √(1 − s²ρ²) + sρ √(1 − s²))), no cancellation for ρ ≥ 0.
  return Math.asin((s * m2) / (Math.sqrt(c * c + s * s * m2) + (1 - e) * c)) / asinS;
}

/** 1 − κ of the erf layer, κ = Ṫ(x,x′)/Ṫ(x,x) = 1/√(1 + k(1 − ρ²)), without cancellation. */
export function erfDerivativeComplement(e: number, k: number): number {
  const x = k * (e * (2 - e));
  const r = Math.sqrt(1 + x);
  return x / (r * (1 + r));
}

/**
 * Runs `ops` operations of `tape` (from operation `first`) on pairs `from … to − 1` of `eps` and
 * `u` (each pair's own state; a residual's skip path is kept on a small stack).
 */
export function plainTapeAdvance(eps: Float64Array, u: Float64Array, from: number, to: number, tape: Float64Array, first: number, ops: number): void {
  const stack: number[] = [];
  for (let p = from; p < to; p++) {
    let e = eps[p];
    let v = u[p];
    for (let k = first * OP_WIDTH, end = (first + ops) * OP_WIDTH; k < end; k += OP_WIDTH) {
      switch (tape[k]) {
        case OP.dense:
          e = tape[k + 1] * e;
          v = tape[k + 2] * v + tape[k + 3] * e;
          break;
        case OP.twoSlope: {
          const lambda = tape[k + 1];
          const theta = thetaOfComplement(e);
          const next = e - lambda * gOfTheta(theta) * INV_PI;
          v = v + (1 - v) * lambda * theta * INV_PI;
          e = Math.min(2, Math.max(0, next));
          break;
        }
        case OP.erf: {
          const next = erfComplement(e, tape[k + 1], tape[k + 2], tape[k + 3]);
          v = v + (1 - v) * erfDerivativeComplement(e, tape[k + 4]);
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
  }
}
