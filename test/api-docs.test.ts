// docs/api.md lists the public API exactly: every name exported by src/index.ts ("ntk-depth"),
// src/advanced.ts ("ntk-depth/advanced") and src/data/files.ts ("ntk-depth/data/files") appears in
// the names column of its section, and every name there is exported by that entry.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const ENTRIES = {
  "ntk-depth": "src/index.ts",
  "ntk-depth/advanced": "src/advanced.ts",
  "ntk-depth/data/files": "src/data/files.ts",
} as const;
const MODULES: Record<string, () => Promise<object>> = {
  "src/index.ts": () => import("../src/index.js"),
  "src/advanced.ts": () => import("../src/advanced.js"),
  "src/data/files.ts": () => import("../src/data/files.js"),
};

/** Names a module exports: `export { a, type B } from …`, `export type { C }`, `export function d`, …. */
function exportedNames(source: string): Set<string> {
  const names = new Set<string>();
  for (const [, list] of source.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}/g))
    for (const part of list.split(",")) {
      const name = part
        .trim()
        .replace(/^type\s+/, "")
        .split(/\s+as\s+/)
        .pop()!
        .trim();
      if (name !== "") names.add(name);
    }
  for (const [, name] of source.matchAll(/^export\s+(?:async\s+)?(?:function|const|let|class|interface|type)\s+(\w+)/gm)) names.add(name);
  return names;
}

/** Per `## \`entry\`` section of docs/api.md, the backquoted names in the tables' second column. */
function documentedNames(markdown: string): Map<string, string[]> {
  const sections = new Map<string, string[]>();
  let current: string[] | null = null;
  for (const line of markdown.split("\n")) {
    const heading = /^## `([^`]+)`/.exec(line);
    if (heading) sections.set(heading[1], (current = []));
    else if (line.startsWith("## ")) current = null;
    else if (current !== null && line.startsWith("|") && !line.startsWith("| ---")) {
      const cells = line.split("|").map((c) => c.trim());
      if (cells[2] === "names") continue;
      for (const [, name] of (cells[2] ?? "").matchAll(/`([^`]+)`/g)) current.push(name);
    }
  }
  return sections;
}

const docs = documentedNames(readFileSync("docs/api.md", "utf8"));

describe("docs/api.md names the public API exactly", () => {
  for (const [entry, file] of Object.entries(ENTRIES)) {
    it(`${entry} (${file})`, async () => {
      const exported = exportedNames(readFileSync(file, "utf8"));
      // The parser sees every runtime export (types have no runtime trace, so they are only parsed).
      const runtime = Object.keys(await MODULES[file]());
      expect(runtime.filter((n) => !exported.has(n))).toEqual([]);
      const listed = docs.get(entry) ?? [];
      expect([...exported].filter((n) => !listed.includes(n)).sort(), "exported but not in docs/api.md").toEqual([]);
      expect(listed.filter((n) => !exported.has(n)).sort(), "in docs/api.md but not exported").toEqual([]);
      expect(
        listed.filter((n, i) => listed.indexOf(n) !== i),
        "listed twice",
      ).toEqual([]);
    });
  }

  it("exports no option validator or parser of the library's internals", () => {
    const all = Object.values(ENTRIES).flatMap((file) => [...exportedNames(readFileSync(file, "utf8"))]);
    for (const internal of ["resolveParams", "resolveRho1", "checkPrecision", "resolveDepth", "resolveCheckpoints", "resolveArchitecture", "checkWidth"])
      expect(all).not.toContain(internal);
  });
});
