/**
 * The explorer page (web/): `npm run web` (scripts/web.mjs) serves it with Vite's dev server; the e2e tests build
 * it and serve the build. The library is imported from src/ directly, so the page always runs the
 * checkout's code; Node built-ins are forbidden on this path as in the library bundle.
 */
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const CROSS_ORIGIN_ISOLATION = { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" };
import { forbidNodeBuiltins } from "./vite.lib.config.js";

export default defineConfig({
  root: fileURLToPath(new URL("./web", import.meta.url)),
  base: "./",
  logLevel: "warn",
  plugins: [forbidNodeBuiltins()],
  worker: { format: "es", plugins: () => [forbidNodeBuiltins()] },
  build: {
    target: "es2022",
    outDir: fileURLToPath(new URL("./dist/web", import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    // vega and vega-lite make one large chunk (about 0.8 MB); splitting it would not make the page faster.
    chunkSizeWarningLimit: 1500,
  },
  // A fixed port: `npm run web` (scripts/web.mjs) prints the address, and stops with a clear message if the port is taken.
  // Cross-origin isolation (COOP + COEP), so that the page has SharedArrayBuffer and the library
  // its worker threads; without it the library runs on one thread (same results, slower).
  server: { port: 5173, strictPort: true, headers: CROSS_ORIGIN_ISOLATION },
  preview: { headers: CROSS_ORIGIN_ISOLATION },
});
