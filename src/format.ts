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

/** A column of a text table: its header and which side its cells line up on. */
export interface TableColumn {
  readonly header: string;
  /** "right" suits numbers in fixed notation, "left" suits text and mixed notation. Default "right". */
  readonly align?: "left" | "right";
}

/**
 * Renders an aligned plain-text table: optional legend lines (what each column means), the header
 * row, a rule, and the rows. Cells are padded with spaces, columns separated by two spaces.
 */
export function renderTable(columns: readonly TableColumn[], rows: readonly (readonly string[])[], legend: readonly string[] = []): string {
  checkArray(columns, "columns").forEach((c, j) => checkString(checkObject(c, `column ${j + 1}`).header, `column ${j + 1}'s header`));
  checkArray(rows, "rows").forEach((r, i) =>
    checkArray(r, `row ${i + 1}`).forEach((cell, j) => cell === undefined || checkString(cell, `row ${i + 1}, cell ${j + 1}`)),
  );
  checkArray(legend, "legend").forEach((l, i) => checkString(l, `legend line ${i + 1}`));
  const widths = columns.map((c, j) => Math.max(c.header.length, ...rows.map((r) => (r[j] ?? "").length)));
  const line = (cells: readonly string[]) =>
    columns
      .map((c, j) => {
        const cell = cells[j] ?? "";
        return (c.align ?? "right") === "right" ? cell.padStart(widths[j]) : cell.padEnd(widths[j]);
      })
      .join("  ")
      .trimEnd();
  const out = [...legend.map((l) => wrapText(l)), line(columns.map((c) => c.header)), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)];
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
      if (line.length <= width) return line;
      const indent = /^\s*/.exec(line)![0];
      const out: string[] = [];
      let current = "";
      for (const word of line.trim().split(/ +/)) {
        const next = current === "" ? indent + word : `${current} ${word}`;
        if (next.length > width && current !== "") {
          out.push(current);
          current = indent + word;
        } else current = next;
      }
      out.push(current);
      return out.join("\n");
    })
    .join("\n");
}
