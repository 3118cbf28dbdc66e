// `npm run lint`: Prettier (--check) and ESLint on the whole tree (Prettier by .prettierignore,
// ESLint by eslint.config.js).
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const bin = (pkg, rel) => join(dirname(require.resolve(`${pkg}/package.json`)), rel);

let failed = false;
for (const [name, args] of [
  ["prettier", [bin("prettier", "bin/prettier.cjs"), "--check", "--log-level", "warn", "."]],
  ["eslint", [bin("eslint", "bin/eslint.js"), "--max-warnings", "0", "."]],
]) {
  try {
    execFileSync(process.execPath, args, { cwd: root, stdio: "inherit" });
  } catch {
    failed = true;
    console.error(`${name} found problems (npx prettier --write . and npx eslint --fix . fix most).`);
  }
}
process.exitCode = failed ? 1 : 0;
