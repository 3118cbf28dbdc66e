/**
 * `npm run bench`: every benchmark section in one run, so the ratios inside a section compare
 * paths measured under the same conditions. Prints Markdown; paste it into bench/RESULTS.md.
 * `npm run bench -- pair lu` runs only the named sections. Relaxed SIMD (the "fma" build's rows) is
 * turned on first where Node 20 keeps it behind a flag.
 */
import { renderSection, type BenchSection } from "./timing.js";
import { run as runPair } from "./pair.js";
import { run as runGram } from "./gram.js";
import { run as runLu } from "./lu.js";
import { run as runPrecise } from "./precise.js";
import { run as runPredict } from "./predict.js";
import { run as runThreads } from "./threads.js";
import { run as runScale } from "./scale.js";
import { run as runDepth } from "./depth.js";
import { run as runWidth } from "./width.js";
import { run as runArch } from "./arch.js";
import { enableRelaxedSimd } from "../src/wasm/nodeRelaxedSimd.js";

// Before any WebAssembly compiles (the engines load lazily, on a section's first call).
enableRelaxedSimd();

const sections: Record<string, () => Promise<BenchSection>> = {
  pair: runPair,
  gram: runGram,
  lu: runLu,
  precise: runPrecise,
  predict: runPredict,
  threads: runThreads,
  scale: runScale,
  depth: runDepth,
  width: runWidth,
  arch: runArch,
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in sections));
if (unknown.length > 0) {
  console.error(`unknown bench section(s): ${unknown.join(", ")}; choose from ${Object.keys(sections).join(", ")}`);
  process.exit(2);
}
console.log(`# ntk-depth benchmarks\n\nNode ${process.version}, ${new Date().toISOString().slice(0, 10)}\n`);
for (const [name, run] of Object.entries(sections)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  console.log(renderSection(await run()));
}
