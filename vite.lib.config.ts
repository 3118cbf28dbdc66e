/**
 * The single-file browser bundle `dist/browser/ntk-depth.js`: the public API (src/browser.ts: the core and `ntk-depth/advanced`) as
 * one ES module with decimal.js and the WebAssembly bytes inlined, so that a plain
 * `<script type="module">` can import it without an import map or a bundler.
 */
import { builtinModules } from "node:module";
import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));

/** Fails the build when anything on the browser path imports a Node built-in. */
export function forbidNodeBuiltins(): Plugin {
  const builtins = new Set(builtinModules);
  return {
    name: "ntk-depth:forbid-node-builtins",
    enforce: "pre",
    resolveId(id, importer) {
      if (id.startsWith("node:") || builtins.has(id.split("/")[0] ?? id)) {
        this.error(`"${id}" (imported by ${importer ?? "the entry"}) is a Node built-in; the browser path must not import it.`);
      }
      return null;
    },
  };
}

export default defineConfig({
  root,
  logLevel: "warn",
  plugins: [forbidNodeBuiltins()],
  build: {
    target: "es2022",
    outDir: "dist/browser",
    emptyOutDir: true,
    copyPublicDir: false,
    sourcemap: false,
    lib: {
      entry: "src/browser.ts",
      formats: ["es"],
      fileName: () => "ntk-depth.js",
    },
    // One file: the 1 000-digit series table (src/depth/seriesTableHigh.ts, ~850 KB), which the
    // library imports lazily, is inlined rather than emitted as a second chunk.
    rollupOptions: { output: { codeSplitting: false } },
  },
});
