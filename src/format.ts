/**
 * Turning numbers into text, in one place for every command and every caller: float64 values,
 * float64 values carried with a power-of-two scale, high-precision values with their vouched
 * digits, and aligned human-readable tables. Browser-safe.
 */
import { Decimal } from "decimal.js";
import { exactBinaryDecimal } from "./decimalText.js";
import { NtkError } from "./errors.js";
import { checkArray, checkDecimal, checkFiniteNumber, checkInteger, checkObject, checkString } from "./argumentTypes.js";

/**
 * Wide exponent range so that m × 2^E with |E| in the millions stays representable; 30 digits
 * leave 13 guard digits before the final rounding to 17.
 */
const ScaledDecimal = Decimal.clone({ precision: 30, rounding: Decimal.ROUND_HALF_EVEN, minE: -9e15, maxE: 9e15, toExpNeg: -7, toExpPos: 21 });

/** Smallest positive normal float64, 2^-1022. */
const MIN_NORMAL = 2 ** -1022;

/** Significant digits that identify any float64 uniquely. */
const FLOAT64_DIGITS = 17;

/**
 * The shortest decimal text that reads back as exactly `x` (JavaScript's `String(x)`), e.g.
 * "1e-7", "0.9999999". Domain: finite float64; throws `NON_FINITE` for NaN and ±Infinity,
 * because printing them would hide a lost result instead of reporting it.
 */
export function formatFloat64(x: number): string {
  return String(checkFiniteNumber(x, "the value to format"));
}

/**
 * Decimal text of `mantissa × 2^log2Scale`, the form in which float64 kernels carry values whose
 * magnitude leaves the float64 range (e.g. Σ^(L) ∝ 2^{1−L} at depth 10^6). When the product is a
 * normal float64 it is printed like {@link formatFloat64} (shortest round-trip text); otherwise
 * the exact product, the mantissa counting as its exact binary value, is rounded (half-even) to
 * 17 significant digits, enough to identify the mantissa, e.g. "3.2018079676577557e-301030" for
 * 3.17 × 2^-1000000, trailing zeros dropped. Correctly rounded unless the exact value lies within
 * about 1e-13 units in the 17th digit of a rounding tie.
 * Domain: finite mantissa, integer log2Scale with |log2Scale| < 2^53.
 */
export function formatScaled(mantissa: number, log2Scale: number): string {
  checkFiniteNumber(mantissa, "the mantissa to format");
  checkInteger(log2Scale, "log2Scale", -Number.MAX_VALUE, Number.MAX_VALUE);
  if (log2Scale === 0 || mantissa === 0) return formatFloat64(mantissa);
  if (Math.abs(log2Scale) > HUGE_SCALE_LOG2) return formatHugeScaled(mantissa, log2Scale);
  // The mantissa's exact binary value (decimal.js would read a number as its shortest text).
  const value = new ScaledDecimal(exactBinaryDecimal(mantissa, "mantissa")).times(new ScaledDecimal(2).pow(log2Scale));
  const text = value.toSignificantDigits(FLOAT64_DIGITS).toString();
  // A normal float64 product is exact (scaling by 2^k only moves the exponent), and 17 digits
  // read back to it, so its shortest text says the same with fewer digits.
  const asFloat = Number(text);
  return Number.isFinite(asFloat) && Math.abs(asFloat) >= MIN_NORMAL ? formatFloat64(asFloat) : text;
}

/** Beyond this |log2Scale| (2^±10^15 is 10^±3e14) a scaled value is printed through its logarithm: decimal.js exponents stop at 9e15. */
const HUGE_SCALE_LOG2 = 1e15;
const LogDecimal = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_EVEN, toExpNeg: -7, toExpPos: 40 });

/**
 * `mantissa × 2^log2Scale` for |log2Scale| > 10^15 (raw kernels at depths beyond ~10^15), with 17
 * significant digits: log10 of the value is formed with 60 significant digits (the exponent has at
 * most 20, so the fractional part, hence the digits, keep ~40), then split into the decimal exponent
 * and 10^fraction.
 */
function formatHugeScaled(mantissa: number, log2Scale: number): string {
  const log10 = LogDecimal.log10(exactBinaryDecimal(Math.abs(mantissa), "mantissa")).plus(
    new LogDecimal(BigInt(log2Scale).toString()).times(LogDecimal.log10(2)),
  );
  const exponent = log10.floor();
  const digits = new LogDecimal(10).pow(log10.minus(exponent)).toSignificantDigits(FLOAT64_DIGITS).toString();
  // 10^fraction rounds to 10 when the fraction is within 1e-17 of 1.
  const [lead, e] = digits === "10" ? ["1", exponent.plus(1)] : [digits, exponent];
  return `${mantissa < 0 ? "-" : ""}${lead}e${e.gte(0) ? "+" : ""}${e.toFixed(0)}`;
}

/**
 * Decimal text of `sign × 10^log10Abs` with `digits` significant digits: how a value known by its
 * logarithm (a determinant below or above the float64 range) is printed. `sign` 0 gives "0".
 * The caller chooses `digits` from the accuracy of `log10Abs` (an absolute error δ in it is a
 * relative error of about 2.3 δ in the value). Domain: finite log10Abs, integer digits ≥ 1.
 */
export function formatFromLog10(sign: -1 | 0 | 1, log10Abs: number, digits: number): string {
  checkInteger(sign, "sign", -1, 1);
  checkInteger(digits, "digits", 1, 1e9);
  if (sign === 0) return "0";
  checkFiniteNumber(log10Abs, "log10Abs");
  const value = new ScaledDecimal(10).pow(new ScaledDecimal(log10Abs)).times(sign);
  return value.toSignificantDigits(digits).toString();
}

/**
 * Decimal text of a high-precision value with exactly `digits` significant digits, trailing
 * zeros kept, because they are vouched for ("1.000e-7" promises four digits, "1e-7" one).
 * Domain: finite Decimal, integer digits ≥ 1 (throws `NON_FINITE` / `BAD_ARGUMENT` otherwise: a value with no
 * vouched digit must be reported as such by the caller, not printed).
 */
export function formatVouched(value: Decimal, digits: number): string {
  checkInteger(digits, "vouched digits (a value with none must be reported as lost)", 1, 1e9);
  if (!checkDecimal(value, "the value to format").isFinite()) {
    throw new NtkError("NON_FINITE", `cannot format ${value.toString()}: a non-finite value reached the output.`, { value: value.toString() });
  }
  return value.toPrecision(digits);
}

/** A column of a text table: its header, which side its cells line up on, and how its numbers are written. */
export interface TableColumn {
  readonly header: string;
  /** "right" suits numbers in fixed notation, "left" suits text and scientific notation. Default "right". */
  readonly align?: "left" | "right";
  /**
   * "uniform" (default): the column's numbers are written in one notation. When any of its cells is in
   * scientific notation or is a fixed-notation number below 1e-4 in magnitude, every decimal-number cell
   * is rewritten in scientific notation with the same significant digits (trailing zeros kept, since
   * they may be vouched for): a lossless change of notation, never a rounding. Other cells ("lost",
   * "—", words) are kept. "as-is": cells are printed as given.
   */
  readonly notation?: "uniform" | "as-is";
  /**
   * Consecutive columns with the same group name stay in one block when a table too wide for its
   * width is split (e.g. a float64 value with its error and its correct digits).
   */
  readonly group?: string;
}

/** How {@link renderTable} lays a table out. */
export interface TableLayout {
  /** Widest line, in columns (display width: code points without combining marks). Default {@link TEXT_WIDTH}. */
  readonly width?: number;
  /** Leading columns that label the rows, repeated in every block of a split table. Default 1. */
  readonly keyColumns?: number;
}

/** Columns a string takes on a terminal: code points, combining marks (as in Θ̄ or Σ̇) taking none. */
export function displayWidth(text: string): number {
  return [...text.replace(/\p{M}/gu, "")].length;
}

const FIXED_NUMBER = /^(-?)(\d+)(?:\.(\d+))?$/;
const SCIENTIFIC_NUMBER = /^-?\d+(?:\.\d+)?e[+-]\d+$/;

/** Fixed-notation decimal text in scientific notation with the same significant digits: "0.000120" → "1.20e-4", "0" → "0e+0". */
function toScientific(text: string): string {
  const m = FIXED_NUMBER.exec(text);
  if (m === null) return text;
  const [, sign, int, frac = ""] = m;
  const digits = int + frac;
  const first = digits.search(/[1-9]/);
  if (first < 0) return `${sign}0e+0`;
  const exponent = int.length - 1 - first;
  const significant = digits.slice(first);
  const mantissa = significant.length === 1 ? significant : `${significant[0]}.${significant.slice(1)}`;
  return `${sign}${mantissa}e${exponent < 0 ? "-" : "+"}${Math.abs(exponent)}`;
}

/** The cells of one column in one notation (see {@link TableColumn.notation}). */
function uniformNotation(cells: readonly string[]): string[] {
  const scientific = cells.some((c) => SCIENTIFIC_NUMBER.test(c) || (FIXED_NUMBER.test(c) && Number(c) !== 0 && Math.abs(Number(c)) < 1e-4));
  return scientific ? cells.map(toScientific) : [...cells];
}

/**
 * Renders an aligned plain-text table: optional legend lines (what each column means, wrapped to the
 * width), the header row, a rule, and the rows. Cells are padded with spaces, columns separated by
 * two spaces. Each column's numbers are in one notation ({@link TableColumn.notation}). A table wider
 * than `layout.width` is split into blocks of columns, one under the other, each repeating the key
 * columns and keeping each {@link TableColumn.group} together, with a line that says so; nothing is
 * dropped. Only a single cell wider than the width makes a line longer than the width.
 */
export function renderTable(
  columns: readonly TableColumn[],
  rows: readonly (readonly string[])[],
  legend: readonly string[] = [],
  layout: TableLayout = {},
): string {
  checkArray(columns, "columns").forEach((c, j) => checkString(checkObject(c, `column ${j + 1}`).header, `column ${j + 1}'s header`));
  checkArray(rows, "rows").forEach((r, i) =>
    checkArray(r, `row ${i + 1}`).forEach((cell, j) => cell === undefined || checkString(cell, `row ${i + 1}, cell ${j + 1}`)),
  );
  checkArray(legend, "legend").forEach((l, i) => checkString(l, `legend line ${i + 1}`));
  checkObject(layout, "layout");
  const width = layout.width ?? TEXT_WIDTH;
  const keyCount = Math.min(layout.keyColumns ?? 1, columns.length);
  const cellsByColumn = columns.map((c, j) => {
    const cells = rows.map((r) => r[j] ?? "");
    return (c.notation ?? "uniform") === "uniform" ? uniformNotation(cells) : cells;
  });
  const widths = columns.map((c, j) => Math.max(displayWidth(c.header), ...cellsByColumn[j].map(displayWidth)));
  const pad = (text: string, j: number) => {
    const fill = " ".repeat(widths[j] - displayWidth(text));
    return (columns[j].align ?? "right") === "right" ? fill + text : text + fill;
  };
  const blockWidth = (js: readonly number[]) => js.reduce((sum, j) => sum + widths[j], 0) + 2 * (js.length - 1);
  const keys = Array.from({ length: keyCount }, (_, j) => j);
  // Units: runs of columns of one group (a column without a group is its own unit).
  const units: number[][] = [];
  for (let j = keyCount; j < columns.length; j++) {
    const last = units.at(-1);
    const group = columns[j].group;
    if (last !== undefined && group !== undefined && columns[last[0]].group === group) last.push(j);
    else units.push([j]);
  }
  const blocks: number[][] = [];
  let current: number[] = [];
  const place = (unit: readonly number[]) => {
    if (current.length > 0 && blockWidth([...keys, ...current, ...unit]) > width) {
      blocks.push(current);
      current = [];
    }
    current.push(...unit);
  };
  for (const unit of units) {
    // A group too wide for a block of its own is split into its columns.
    if (unit.length > 1 && blockWidth([...keys, ...unit]) > width) for (const j of unit) place([j]);
    else place(unit);
  }
  if (current.length > 0 || blocks.length === 0) blocks.push(current);
  const render = (block: readonly number[]) => {
    const js = [...keys, ...block];
    const line = (cell: (j: number) => string) =>
      js
        .map((j) => pad(cell(j), j))
        .join("  ")
        .trimEnd();
    return [line((j) => columns[j].header), js.map((j) => "-".repeat(widths[j])).join("  "), ...rows.map((_, i) => line((j) => cellsByColumn[j][i]))];
  };
  const note =
    blocks.length > 1
      ? [
          wrapText(
            `(The table is printed in ${blocks.length} blocks of columns, one under the other, to fit ${width} columns${
              keyCount > 0
                ? `; each block repeats ${columns
                    .slice(0, keyCount)
                    .map((c) => c.header || "the first column")
                    .join(", ")}`
                : ""
            }.)`,
            width,
          ),
        ]
      : [];
  const out = [...legend.map((l) => wrapText(l, width)), ...note, ...blocks.flatMap((b, k) => [...(k > 0 ? [""] : []), ...render(b)])];
  return out.join("\n") + "\n";
}

/** Width of a terminal the default text output is laid out for, in columns. */
export const TEXT_WIDTH = 100;

/**
 * `count` and the noun, singular for exactly one ("1 point", "2 points", "0 points"); `plural`
 * defaults to the noun with an s.
 */
export function countOf(count: number | bigint, noun: string, plural = `${noun}s`): string {
  if (typeof count !== "bigint") checkFiniteNumber(count, "count");
  checkString(noun, "noun");
  checkString(plural, "plural");
  return `${count} ${count === 1 || count === 1n ? noun : plural}`;
}

/**
 * A condition estimate κ with the digits it has: one significant digit (estimates such as the
 * 1-norm estimator's are lower bounds usually within a factor 3, so a second digit would be
 * noise), plain below 10^4 ("4", "300"), else mantissa and exponent ("4e+12"); "∞" for +∞.
 */
export function formatConditionEstimate(kappa: number): string {
  if (kappa === Infinity) return "∞";
  if (!Number.isFinite(kappa) || kappa < 0) return String(kappa);
  return kappa < 1e4 ? String(Number(kappa.toPrecision(1))) : kappa.toExponential(0);
}

/**
 * Breaks prose into lines of at most `width` columns at spaces (a word longer than the width
 * stays whole on its own line); lines already short enough are kept as they are.
 */
export function wrapText(text: string, width = TEXT_WIDTH): string {
  checkString(text, "text");
  checkInteger(width, "width", 1);
  return text
    .split("\n")
    .map((line) => {
      if (displayWidth(line) <= width) return line;
      const indent = /^\s*/.exec(line)![0];
      const out: string[] = [];
      let current = "";
      for (const word of line.trim().split(/ +/)) {
        const next = current === "" ? indent + word : `${current} ${word}`;
        if (displayWidth(next) > width && current !== "") {
          out.push(current);
          current = indent + word;
        } else current = next;
      }
      out.push(current);
      return out.join("\n");
    })
    .join("\n");
}
