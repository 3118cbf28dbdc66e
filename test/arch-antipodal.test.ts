/**
 * Nearly antipodal inputs through the architecture paths (src/arch/float64.ts,
 * assembly/architecture.ts, src/arch/plainTape.ts) against the high-precision path: 1 + x·x′
 * (= |x + x′|²/2, or from the exact text of ρ1) reaches the first activation, and the two-slope
 * step above ε = 1 works in φ = π − θ, so |x| (λ = 2, which maps nearly antipodal inputs to nearly
 * equal outputs) no longer cancels. Before: |x| at 1 + ρ1 = 1e-18 returned 1 − ρ^(2) = 0 (100% off),
 * leaky ReLU 1.5e-10 and two_slope 4e-10 relative in 1 − Θ̄.
 */
import { describe, expect, it } from "vitest";
import { Decimal } from "decimal.js";
import { archGramThroughDepthFloat64, archPairThroughDepthFloat64 } from "../src/arch/float64.js";
import { archGramThroughDepthPrecise, archPairThroughDepthPrecise } from "../src/arch/precise.js";
import { projectToSphereFloat64 } from "../src/sphere/float64.js";
import { datasetFromArrays } from "../src/data/dataset.js";

const ARCHS = [
  "abs dense(1,0.2)",
  "erf dense(1.5,0.2)",
  "leaky_relu(0.1) dense",
  "two_slope(-0.3,2) dense(0.9)",
  "stem(dense(1.2,0.3) dense abs) block(dense relu)",
  "residual(alpha=1; relu dense)",
];
/** ρ1 = −1 + 10^−k, as exact text. */
const RHOS = [30, 18, 10, 2].map((k) => "-0." + "9".repeat(k));
const AT = [1, 2, 3, 10];

function relative(x: number, ref: Decimal): number {
  return ref.isZero() ? Math.abs(x) : new Decimal(x).minus(ref).div(ref).abs().toNumber();
}

describe("architectures near ρ1 = −1 against the high-precision path", () => {
  it.each(ARCHS)("%s: pairs (WebAssembly and plain) within 1e-14 relative in 1 − Σ̄ and 1 − Θ̄", async (arch) => {
    for (const rho1 of RHOS) {
      const p = await archPairThroughDepthPrecise({ rho1, depth: 10, at: AT, architecture: arch, inputDim: 3, precision: 30 });
      for (const backend of ["wasm", "plain"] as const) {
        const f = await archPairThroughDepthFloat64({ rho1, depth: 10, at: AT, architecture: arch, inputDim: 3, backend });
        f.points.forEach((q, i) => {
          const where = `${backend}, ρ1 = ${rho1}, L = ${q.depth}`;
          expect(relative(q.oneMinusRho, p.points[i]!.oneMinusRho), where).toBeLessThan(1e-14);
          expect(relative(q.oneMinusNtkNormalized, p.points[i]!.oneMinusNtkNormalized), where).toBeLessThan(1e-14);
          expect(q.lostToZero, where).toEqual([]);
        });
      }
    }
  });

  it("Gram matrices of points 1e-30 … 1e-2 from antipodal (|x + x′|²/2 read from the rows), WebAssembly and plain, within 1e-13", async () => {
    const deltas = [1e-30, 1e-18, 1e-10, 1e-2];
    const rows = [["1", "0", "0"], ...deltas.map((d) => ["-1", String(Math.sqrt(2 * d)), "0"])];
    const data = datasetFromArrays({ points: rows });
    const points = projectToSphereFloat64(data, "normalize");
    for (const architecture of ["abs dense(1,0.2)", "residual(alpha=1; relu dense)"]) {
      const depths = [2, 3];
      const p = await archGramThroughDepthPrecise({ data, projection: "normalize", depths, architecture, precision: 30 });
      for (const backend of ["wasm", "plain"] as const) {
        const { grams } = await archGramThroughDepthFloat64({ points, depths, architecture, backend });
        for (const [k, g] of grams.entries()) {
          for (const key of ["oneMinusSigmaNormalized", "oneMinusNtkNormalized"] as const) {
            // Row 0 against every nearly antipodal row.
            for (let j = 1; j <= deltas.length; j++) {
              expect(relative(g[key][j]!, p.grams[k]![key][j]!), `${architecture}, ${backend}, ${key}, L = ${g.depth}, δ = ${deltas[j - 1]}`).toBeLessThan(
                1e-13,
              );
            }
          }
        }
      }
    }
  });
});
