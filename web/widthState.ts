/**
 * Inputs of the finite-width section: a Monte Carlo over sampled ReLU networks of one width, on
 * the first training points of the page's data set. Read from the section's own fields with the
 * same habits as the main form: whole numbers within stated bounds, problems in the page's words.
 */

/** Most data points whose kernel entries are sampled (the first ones of the page's training points). */
export const MAX_WIDTH_POINTS = 8;

/** What one Monte Carlo run depends on besides the page's data and σw, σb. */
export interface WidthState {
  /** L, the number of weight layers of each sampled network. */
  readonly depth: number;
  /** Width n of every hidden layer. */
  readonly width: number;
  /** S, the number of sampled networks. */
  readonly samples: number;
  /** Seed of the first network's weights (network s uses the seed's s-th derived stream). */
  readonly seed: number;
}

export const DEFAULT_WIDTH_STATE: WidthState = { depth: 3, width: 64, samples: 16, seed: 0 };

/** Bounds (inclusive) of the section's inputs; the page's fields carry the same limits. */
export const WIDTH_LIMITS: Record<keyof WidthState, readonly [number, number]> = {
  depth: [1, 100],
  width: [1, 2048],
  samples: [2, 1000],
  seed: [0, 2 ** 32 - 1],
};

/** Each field's label on the page. */
export const WIDTH_LABELS: Record<keyof WidthState, string> = {
  depth: "network depth L",
  width: "hidden width n",
  samples: "networks S",
  seed: "weight seed",
};

/** What each field accepts, in words. */
export function widthValidText(key: keyof WidthState): string {
  const [lo, hi] = WIDTH_LIMITS[key];
  return `a whole number from ${lo} to ${key === "seed" ? "2^32 − 1" : hi}`;
}

/** The section's state from its fields' text, with a message per field that could not be used. */
export function parseWidthState(text: Record<keyof WidthState, string>): { state: WidthState; problems: { key: keyof WidthState; message: string }[] } {
  const problems: { key: keyof WidthState; message: string }[] = [];
  const read = (key: keyof WidthState): number => {
    const [lo, hi] = WIDTH_LIMITS[key];
    const n = text[key].trim() === "" ? NaN : Number(text[key]);
    if (Number.isInteger(n) && n >= lo && n <= hi) return n;
    problems.push({ key, message: `“${WIDTH_LABELS[key]}” is ${JSON.stringify(text[key])}: it must be ${widthValidText(key)}.` });
    return DEFAULT_WIDTH_STATE[key];
  };
  return { state: { depth: read("depth"), width: read("width"), samples: read("samples"), seed: read("seed") }, problems };
}
