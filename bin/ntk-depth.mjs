#!/usr/bin/env node
// The package bin: runs the compiled command line (dist/cli.js) with plain Node. In a checkout,
// `npm run build` makes dist/ (npm pack does it through `prepack`); `npx tsx src/cli.ts` runs the
// sources without a build.
let cli;
try {
  cli = await import("../dist/cli.js");
} catch (e) {
  if (e?.code !== "ERR_MODULE_NOT_FOUND" || !String(e.message).includes("dist")) throw e;
  process.stderr.write("ntk-depth: dist/ is missing: run `npm run build` in this checkout (or use `npx tsx src/cli.ts`).\n");
  process.exit(1);
}
await cli.main();
