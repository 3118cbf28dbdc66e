import { describe, expect, it } from "vitest";
import { Decimal } from "decimal.js";
import { gramThroughDepthFloat64, type GramFloat64Options } from "../src/gram/float64.js";
import { pairThroughDepthPrecise } from "../src/pair/precise.js";

// Very close pairs through the direct float64 loop (docs/DEPTH_JUMP.md §5): each layer takes a
// tiny, nearly constant relative amount off ε = 1 − Σ̄, so without ε carried as a double word the
// rounding falls on the same side every layer and the relative error grows linearly (~5e-17 a
// layer: 1 − Σ̄ off by ~5e-13 relative at L = 10^4 for ε_1 ≲ 1e-16).
const DEPTH = 10_000;
/** Second coordinates of points (1, s)/|(1, s)| on S^1: pairwise ε_1 = 1 − x·x′ from ~5e-31 to ~1e-14. */
const OFFSETS = [0, 1e-15, 3e-15, 1e-13, 1e-11, 1e-9, 1e-8, 1.4e-7];
const TOLERANCE = 1e-13;
/** Exact arithmetic for ρ1 = 1 − ε_1 (decimal.js's default 20 digits would round it). */
const D = Decimal.clone({ precision: 80 });

const BACKENDS: { label: string; options: Pick<GramFloat64Options, "backend" | "variant"> }[] = [
  { label: "WASM SIMD", options: { backend: "wasm", variant: "simd" } },
  { label: "WASM scalar", options: { backend: "wasm", variant: "scalar" } },
  { label: "plain TypeScript", options: { backend: "plain" } },
];

const coords = Float64Array.from(OFFSETS.flatMap((s) => [1 / Math.sqrt(1 + s * s), s / Math.sqrt(1 + s * s)]));
const m = OFFSETS.length;

/** The Gram's own ε_1 per pair, exactly as a decimal, and the 40-digit reference at DEPTH from it (the same for every backend). */
const references = (async () => {
  const first = (await gramThroughDepthFloat64({ points: { m, n0: 2, coords, projection: "none" }, depths: [1], backend: "plain" })).grams[0]!;
  const out: { i: number; j: number; eps1: number; sigma: Decimal; ntk: Decimal }[] = [];
  for (let i = 0; i < m; i++) {
    for (let j = i + 1; j < m; j++) {
      const eps1 = first.oneMinusSigmaNormalized[i * m + j]!;
      const rho1 = new D(1).minus(new D(eps1.toPrecision(40))).toFixed();
      const point = (await pairThroughDepthPrecise({ rho1, depth: DEPTH, precision: 40 })).points[0]!;
      out.push({ i, j, eps1, sigma: point.oneMinusRho, ntk: point.oneMinusNtkNormalized });
    }
  }
  return out;
})();

describe.each(BACKENDS)("close pairs through the direct loop, $label", ({ options }) => {
  it(`1 − Σ̄ and 1 − Θ̄ at L = ${DEPTH} within ${TOLERANCE} relative of 40 digits, ε_1 from 5e-31 to 1e-14`, async () => {
    const refs = await references;
    expect(Math.min(...refs.map((r) => r.eps1))).toBeLessThan(1e-30);
    expect(Math.max(...refs.map((r) => r.eps1))).toBeGreaterThan(5e-15);
    const g = (await gramThroughDepthFloat64({ points: { m, n0: 2, coords, projection: "none" }, depths: [DEPTH], method: "direct", ...options })).grams[0]!;
    for (const r of refs) {
      for (const [key, ref] of [
        ["oneMinusSigmaNormalized", r.sigma],
        ["oneMinusNtkNormalized", r.ntk],
      ] as const) {
        const x = g[key][r.i * m + r.j]!;
        const rel = new D(x).minus(ref).div(ref).abs().toNumber();
        expect(rel, `pair (${r.i}, ${r.j}), ε_1 = ${r.eps1.toExponential(2)}, ${key}`).toBeLessThanOrEqual(TOLERANCE);
      }
    }
  });
});
