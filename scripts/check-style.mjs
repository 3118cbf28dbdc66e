// `npm run lint`: Prettier (--check) and ESLint on the files listed in scripts/style-checked.txt,
// or with --all on the whole tree (Prettier by .prettierignore, ESLint by eslint.config.js).
// The list exists so the checks could start before the code base was formatted in one go.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const bin = (pkg, rel) => join(dirname(require.resolve(`${pkg}/package.json`)), rel);

const all = process.argv.includes("--all");
const files = all
  ? ["."]
  : readFileSync(join(root, "scripts", "style-checked.txt"), "utf8")
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line !== "" && !line.startsWith("#"));

let failed = false;
for (const [name, args] of [
  ["prettier", [bin("prettier", "bin/prettier.cjs"), "--check", "--log-level", "warn", ...files]],
  ["eslint", [bin("eslint", "bin/eslint.js"), "--max-warnings", "0", ...(all ? files : files.filter((f) => /\.(ts|mts|js|mjs)$/.test(f)))]],
]) {
  try {
    execFileSync(process.execPath, args, { cwd: root, stdio: "inherit" });
  } catch {
    failed = true;
    console.error(`${name} found problems (npx prettier --write <file> / npx eslint --fix <file> fix most).`);
  }
}
process.exitCode = failed ? 1 : 0;
