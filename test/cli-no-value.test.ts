/**
 * JSON never prints Infinity, -Infinity or NaN: a quantity without a finite value (log10|det K| of
 * a singular K, its condition number) is null with a `…Reason` field, and text prints
 * "none (reason)": in `kernel`, `kernel --precision`, `kernel --compare` and `predict`.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "./support/cli.js";

const dir = mkdtempSync(join(tmpdir(), "ntk-no-value-"));
// Points 1 and 2 coincide: K is exactly singular at every depth.
const data = join(dir, "duplicate.json");
writeFileSync(
  data,
  JSON.stringify({
    points: [
      [1, 0],
      [1, 0],
      [0, 1],
    ],
    labels: [1, 2, 3],
  }),
);

/** Every key of a parsed JSON document whose value is null, with its path. */
function nullPaths(doc: unknown, path = ""): string[] {
  if (doc === null) return [path];
  if (typeof doc !== "object") return [];
  return Object.entries(doc as Record<string, unknown>).flatMap(([k, v]) => nullPaths(v, path ? `${path}.${k}` : k));
}

describe("no Infinity or NaN in the output", () => {
  const runs = [
    ["kernel", "--data", data, "--depth", "3"],
    ["kernel", "--data", data, "--depth", "3", "--precision", "30"],
    ["kernel", "--data", data, "--depth", "3", "--compare"],
    ["predict", "--train", data, "--test", data, "--depth", "3", "--time", "1"],
  ];

  it.each(runs.map((args) => [args.join(" "), args] as const))("%s --json: null with a reason for log10|det| and the condition", async (_, args) => {
    const r = await cli(...args, "--json");
    expect(r.code).toBe(0);
    expect(r.out).not.toMatch(/Infinity|NaN/);
    const doc = JSON.parse(r.out) as Record<string, unknown>;
    const nulls = nullPaths(doc);
    expect(nulls.some((p) => /log10AbsDet/.test(p))).toBe(true);
    for (const p of nulls.filter((q) => /log10AbsDet|onditionEstimate|relativeError/.test(q))) {
      const parent = p
        .split(".")
        .slice(0, -1)
        .reduce<Record<string, unknown>>((o, k) => o[k] as Record<string, unknown>, doc);
      expect(parent[`${p.split(".").at(-1)}Reason`], p).toMatch(/singular|det is 0/);
    }
  });

  it.each(runs.slice(0, 3).map((args) => [args.join(" "), args] as const))("%s (text): none (reason)", async (_, args) => {
    const r = await cli(...args);
    expect(r.code).toBe(0);
    expect(r.out).not.toMatch(/Infinity|NaN/);
    expect(r.out).toMatch(/log10\|det K\| .*none \(det K = 0 exactly: K is singular\)/);
  });
});
