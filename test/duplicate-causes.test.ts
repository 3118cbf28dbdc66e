import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { findDuplicateCauses } from "../src/predict/singularCause.js";
import { projectToSphereFloat64 } from "../src/sphere/float64.js";

// Points built to contain duplicates and near misses, with integer coordinates near 2^40 (exact in
// float64): each is a fresh point; a multiple of an earlier one by 2, 3, 4, 5 or 8 (the same point
// on the sphere; by 3 or 5 its float64 projection differs in the last bits, so the search must
// tolerate that); a copy of an earlier one with its last coordinate plus one (about 1e-12 away on
// the sphere: close in float64, usually not the same point, though a chain of such moves may land
// on a multiple of another row); a fresh point sharing an earlier one's first coordinate; or an
// earlier one's coordinates rotated (the same sum of coordinates, the key the search sorts by, up
// to rounding). The reference compares every pair exactly (n0 ≥ 2: on S^0 every positive number is
// the same point): rows a, b of positive integers are positive multiples iff a_k b_0 = a_0 b_k for
// every k, in BigInt.
const multiples = (a: number[], b: number[]) => a.every((x, k) => BigInt(x) * BigInt(b[0]) === BigInt(a[0]) * BigInt(b[k]));
const plans = fc.array(fc.tuple(fc.constantFrom("fresh", "multiple", "nudged", "sameFirst", "rotated"), fc.nat(), fc.constantFrom(2, 3, 4, 5, 8)), {
  minLength: 1,
  maxLength: 40,
});

describe("findDuplicateCauses", () => {
  it("names exactly the duplicate pairs, in increasing (i, j) order, among near points and ties in the first coordinate", () => {
    fc.assert(
      fc.property(plans, fc.integer({ min: 2, max: 5 }), fc.integer({ min: 1, max: 2 ** 30 }), (plan, n0, seed0) => {
        let seed = seed0;
        const next = () => 2 ** 40 + (seed = (seed * 1103515245 + 12345) % 2147483648) * 256;
        const rows: number[][] = [];
        for (const [kind, pick, factor] of plan) {
          const fresh = Array.from({ length: n0 }, next);
          const base = pick % Math.max(1, rows.length);
          if (rows.length === 0 || kind === "fresh") rows.push(fresh);
          else if (kind === "multiple") rows.push(rows[base].map((x) => x * factor));
          else if (kind === "nudged") rows.push(rows[base].map((x, c) => (c === n0 - 1 ? x + 1 : x)));
          else if (kind === "sameFirst") rows.push([rows[base][0], ...fresh.slice(1)]);
          else rows.push([...rows[base].slice(1), rows[base][0]]);
        }
        const expected: number[][] = [];
        for (let i = 0; i < rows.length; i++) for (let j = i + 1; j < rows.length; j++) if (multiples(rows[i], rows[j])) expected.push([i, j]);
        const raw = { m: rows.length, n0, coords: Float64Array.from(rows.flat()) };
        const found = findDuplicateCauses({ raw, projected: projectToSphereFloat64(raw, "normalize"), projection: "normalize" });
        expect(found.map((c) => c.points)).toEqual(expected);
        expect(found.every((c) => c.kind === "duplicate")).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
