#!/usr/bin/env node
// The package bin: runs the compiled command line (dist/cli.js) with plain Node. In a checkout,
// `npm run build` makes dist/ (npm pack does it through `prepack`); the README's checkout commands
// run the TypeScript sources without a build.
let cli;
try {
  cli = await import("../dist/cli.js");
} catch (e) {
  if (e?.code !== "ERR_MODULE_NOT_FOUND" || !String(e.message).includes("dist")) throw e;
  process.stderr.write("ntk-depth: dist/ is missing: run `npm run build` in this checkout, or the README's checkout commands, which need no build.\n");
  process.exit(1);
}
await cli.main();
