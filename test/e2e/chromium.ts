/**
 * Finds and launches the system's Chromium for the browser tests (playwright-core drives it; no
 * browser is ever downloaded). `CHROMIUM_PATH` wins; otherwise the usual Debian/Ubuntu locations.
 */
import { accessSync, constants } from "node:fs";
import { chromium, type Browser } from "playwright-core";

/** Where Chromium is looked for when `CHROMIUM_PATH` is not set, in order. */
export const CHROMIUM_CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/lib/chromium/chromium", "/snap/bin/chromium"];

/** The Chromium executable to use, or a message saying why none was found. */
export function findChromium(): { path: string } | { problem: string } {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    return isExecutable(fromEnv) ? { path: fromEnv } : { problem: `CHROMIUM_PATH is "${fromEnv}", which is not an executable file.` };
  }
  const found = CHROMIUM_CANDIDATES.find(isExecutable);
  return found
    ? { path: found }
    : {
        problem:
          `no Chromium found at ${CHROMIUM_CANDIDATES.join(", ")}. The browser tests drive the system Chromium: ` +
          "install it (Debian/Ubuntu: apt-get install chromium; .ci/run does this) or set CHROMIUM_PATH to its executable.",
      };
}

/** The Chromium path; throws with {@link findChromium}'s message when there is none. */
export function chromiumPath(): string {
  const found = findChromium();
  if ("problem" in found) throw new Error(found.problem);
  return found.path;
}

/** Launches headless Chromium (no sandbox: CI containers run as root, where the sandbox refuses to start). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, chromiumSandbox: false });
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
