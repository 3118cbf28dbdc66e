/** The explorer page (web/) is a user of the library: it may import only the public entry points. */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const web = fileURLToPath(new URL("../web", import.meta.url));

// The one named exception (also in eslint.config.js): web/state.ts checks the ρ1, σw and σb fields as
// they are typed with the library's own validators, which neither entry exports.
const EXCEPTIONS = new Set(["state.ts: ../src/params.js"]);

it("web/ imports from src/ only through src/index.js and src/advanced.js", async () => {
  const files = (await readdir(web)).filter((f) => f.endsWith(".ts"));
  expect(files.length).toBeGreaterThan(5);
  const internal: string[] = [];
  for (const f of files) {
    const text = await readFile(join(web, f), "utf8");
    for (const [, path] of text.matchAll(/from\s+"(\.\.\/src\/[^"]+)"/g)) {
      if (path !== "../src/index.js" && path !== "../src/advanced.js" && !EXCEPTIONS.has(`${f}: ${path}`)) internal.push(`${f}: ${path}`);
    }
  }
  expect(internal).toEqual([]);
});

it("src/ never imports from web/", async () => {
  const src = fileURLToPath(new URL("../src", import.meta.url));
  const entries = await readdir(src, { recursive: true });
  const upward: string[] = [];
  for (const f of entries.filter((e) => e.endsWith(".ts"))) {
    if (/from\s+"(\.\.\/)+web\//.test(await readFile(join(src, f), "utf8"))) upward.push(f);
  }
  expect(upward).toEqual([]);
});
