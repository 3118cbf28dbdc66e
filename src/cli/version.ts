/**
 * The package's version, read from the package.json that ships beside the code: `../../package.json`
 * from both `src/cli/` (run through tsx) and `dist/cli/` (the installed package).
 */
import { readFileSync } from "node:fs";

/** The `version` field of ntk-depth's package.json, e.g. "0.1.0". */
export function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version?: unknown };
  return typeof manifest.version === "string" ? manifest.version : "unknown";
}
