/**
 * The library's messages in the page's words: its errors and warnings are written for the command
 * line and the API (flags, option names); the page names its own fields and controls instead.
 */

/** Phrases of library messages and what the page says instead (the page has no time or ridge control). */
const REWRITES: readonly (readonly [RegExp, string])[] = [
  [/choose --projection normalize or stereographic/g, "choose the projection “normalize” or “stereographic”"],
  [/choose --projection (\w+)/g, "choose the projection “$1”"],
  [
    / ?Use a finite time \(stays defined\), a ridge diagReg > 0, or the high-precision path\./g,
    " The high-precision run (digits ≥ 20) says whether it exists at all.",
  ],
  [/ ?(Remove the duplicate points, )?[Uu]se a finite time \(stays defined\),? or a ridge diagReg > 0\.?/g, ""],
  [/Use the high-precision path \(the precision option\), which takes any value\./g, "The page always runs float64 as well, so keep σw and σb in that range."],
  [/Use the high-precision path \(precision "auto"\) for more\./g, "Set “high precision, digits” to 20 or more to see how many are right."],
  [/σw \(sigmaW\)/g, "σw"],
  [/σb \(sigmaB\)/g, "σb"],
  [/ρ1 \(rho1\)/g, "ρ1"],
];

/** A library message in the page's words. */
export function pageWords(message: string): string {
  return REWRITES.reduce((text, [pattern, replacement]) => text.replace(pattern, replacement), message).trim();
}

/**
 * Warnings given once per depth ("At depth L: …"), grouped so that each message appears once with
 * the depths it holds at, in the page's words.
 */
export function groupedWarnings(warnings: readonly { depth: number; message: string }[]): string[] {
  const byMessage = new Map<string, number[]>();
  for (const w of warnings) {
    const text = pageWords(w.message);
    byMessage.set(text, [...(byMessage.get(text) ?? []), w.depth]);
  }
  return [...byMessage].map(([text, depths]) => `${depths.length === 1 ? `At depth ${depths[0]}` : `At depths ${rangeText(depths)}`}: ${text}`);
}

/** "1, 2, 5" or, for many depths, "1, 2, … 800 (12 depths)". */
function rangeText(depths: readonly number[]): string {
  return depths.length <= 6 ? depths.join(", ") : `${depths.slice(0, 3).join(", ")}, … ${depths[depths.length - 1]} (${depths.length} depths)`;
}
