import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const src = fileURLToPath(new URL("../src/", import.meta.url));
/** Packages that only exist in Node or only make sense in the CLI. */
const NODE_ONLY = /^(node:|fs$|path$|os$|child_process$|commander$|cli-progress$|tsx)/;

/** Every module reachable from `entry` through static imports and re-exports, with its imports. */
function importGraph(entry: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (graph.has(file)) continue;
    const text = readFileSync(file, "utf8");
    const specifiers = [...text.matchAll(/^(?:import|export)\s[^;]*?from\s+"([^"]+)"/gms)].map((m) => m[1]);
    graph.set(file, specifiers);
    for (const s of specifiers) if (s.startsWith(".")) pending.push(resolve(dirname(file), s.replace(/\.js$/, ".ts")));
  }
  return graph;
}

describe("the public API barrel is browser-safe", () => {
  it("src/index.ts reaches no Node-only or CLI-only module", () => {
    const graph = importGraph(join(src, "index.ts"));
    expect(graph.size).toBeGreaterThan(5);
    const offenders = [...graph].flatMap(([file, specs]) => specs.filter((s) => NODE_ONLY.test(s)).map((s) => `${file.slice(src.length)} imports ${s}`));
    expect(offenders).toEqual([]);
  });
  it("the check would notice a Node import (files.ts is Node-only)", () => {
    const graph = importGraph(join(src, "data", "files.ts"));
    expect([...graph.values()].flat()).toContain("node:fs/promises");
  });
});
