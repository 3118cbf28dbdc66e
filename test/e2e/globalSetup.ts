/**
 * Vitest global setup of the browser tests: fail the run at once, with one clear message, when
 * there is no Chromium to drive, instead of letting every browser test time out.
 */
import { findChromium } from "./chromium.js";

export default function setup(): void {
  const found = findChromium();
  if ("problem" in found) throw new Error(`Browser tests cannot run: ${found.problem}`);
}
