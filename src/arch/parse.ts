/**
 * The short text syntax of an architecture (`--arch`), read into the JSON description of
 * description.ts. Grammar (names are case-insensitive, whitespace separates items):
 *
 *   architecture := sequence                      the block; the stem is one dense layer
 *                 | "stem" "(" sequence ")" "block" "(" sequence ")"
 *   sequence     := item { item }
 *   item         := atom [ "x" INTEGER ]           "x16" (or "x 16", "*16") repeats the atom 16 times
 *   atom         := layer | "(" sequence ")"
 *   layer        := "dense" [ "(" σw [ "," σb ] ")" ]     σw, σb default to --sigma-w, --sigma-b
 *                 | "relu" | "abs" | "erf"
 *                 | "leaky_relu" "(" slope ")"
 *                 | "two_slope" "(" a "," b ")"          a·min(x,0) + b·max(x,0)
 *                 | "residual" "(" [ "alpha" "=" alpha ";" ] sequence ")"   x + α·branch(x)
 *   alpha        := DECIMAL | DECIMAL "/" "sqrt" "(" "L" ")" | DECIMAL "/" "L"     (L: the depth)
 *
 * At depth L the network is the stem followed by L − 1 copies of the block, so "relu dense" is
 * SPEC §1's ReLU network with L weight layers. Errors are BAD_ARCH with the 1-based column and the
 * token at fault (also in `details`), and the text with a caret under that column.
 */
import { NtkError } from "../errors.js";
import { isDecimalText } from "../decimalText.js";
import type { NetworkParams } from "../types.js";
import { resolveArchitecture, resolveAlpha, type ArchitectureSpec, type LayerSpec, type ResolvedArchitecture, type SourceSpan } from "./description.js";

/** The grammar in a few lines, for --help. */
export const ARCH_SYNTAX_HELP = [
  "Architecture (--arch): the block repeated to reach the depth; at depth L the network is the stem",
  "(default: one dense layer) and L − 1 blocks, so 'relu dense' is the ReLU network of SPEC §1.",
  "  layers: dense | dense(σw) | dense(σw,σb) | relu | leaky_relu(s) | two_slope(a,b) | abs | erf",
  "          residual(alpha=A; layers…)   x + A·branch(x), branch ending with dense;",
  "                                       A = c, c/sqrt(L) or c/L",
  "  ( … )x16 repeats a group; 'stem(…) block(…)' sets the stem too. Examples:",
  "  --arch 'leaky_relu(0.1) dense'   --arch 'erf dense(1.5,0.1)'",
  "  --arch 'residual(alpha=1/sqrt(L); relu dense)'",
].join("\n");

interface Token {
  readonly text: string;
  /** 0-based offset. */
  readonly at: number;
}

const TOKEN = /\s*(?:([A-Za-z_][A-Za-z_0-9]*)|([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)|([(),;=/*×]))/y;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  let pos = 0;
  while (pos < text.length) {
    if (/^\s*$/.test(text.slice(pos))) break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(text);
    if (!m) {
      const at = pos + (text.slice(pos).length - text.slice(pos).trimStart().length);
      syntaxError(text, at, text[at]!, `unexpected character "${text[at]}"`);
    }
    const t = (m[1] ?? m[2] ?? m[3])!;
    tokens.push({ text: t, at: m.index + m[0].length - t.length });
    pos = TOKEN.lastIndex;
  }
  return tokens;
}

function syntaxError(text: string, at: number, token: string, what: string): never {
  const column = at + 1;
  throw new NtkError("BAD_ARCH", `--arch: ${what} at column ${column} ("${token}").\n  ${text}\n  ${" ".repeat(at)}^\n${ARCH_SYNTAX_HELP}`, { column, token });
}

/** A description parsed from text, with the source span of every layer (for BAD_ARCH messages). */
export interface ParsedArchitecture {
  readonly spec: ArchitectureSpec;
  readonly spans: WeakMap<object, SourceSpan>;
}

/** Reads text into a description (syntax only; {@link parseArchitecture} validates it too). Throws BAD_ARCH. */
export function parseArchitectureText(text: string): ParsedArchitecture {
  if (typeof text !== "string" || text.trim() === "") {
    throw new NtkError("BAD_ARCH", `--arch: the description is empty; write layers such as 'relu dense'.\n${ARCH_SYNTAX_HELP}`, { column: 1, token: "" });
  }
  const tokens = tokenize(text);
  const spans = new WeakMap<object, SourceSpan>();
  let i = 0;
  const peek = (): Token | undefined => tokens[i];
  const endToken: Token = { text: "end of text", at: text.length };
  const fail = (what: string, t: Token = peek() ?? endToken): never => syntaxError(text, t.at, t.text, what);
  const expect = (s: string): Token => {
    const t = peek();
    if (!t || t.text.toLowerCase() !== s) fail(`expected "${s}"`);
    i++;
    return t!;
  };
  const number = (what: string): string => {
    const t = peek();
    if (!t || !isDecimalText(t.text)) fail(`expected ${what} (a decimal number)`);
    i++;
    return t!.text;
  };
  const mark = <T extends object>(spec: T, t: Token): T => {
    spans.set(spec, { column: t.at + 1, token: t.text });
    return spec;
  };

  const sequence = (closers: readonly string[]): LayerSpec[] => {
    const out: LayerSpec[] = [];
    while (peek() && !closers.includes(peek()!.text)) out.push(item());
    if (out.length === 0) fail("expected a layer");
    return out;
  };

  const repeatCount = (): number | null => {
    const t = peek();
    if (!t) return null;
    const glued = /^x(\d+)$/i.exec(t.text);
    if (glued) {
      i++;
      return count(glued[1]!, t);
    }
    if (t.text.toLowerCase() === "x" || t.text === "*" || t.text === "×") {
      i++;
      const n = peek();
      if (!n || !/^\d+$/.test(n.text)) fail("expected a repeat count (an integer ≥ 1)");
      i++;
      return count(n!.text, n!);
    }
    return null;
  };
  const count = (digits: string, t: Token): number => {
    const n = Number(digits);
    if (!Number.isSafeInteger(n) || n < 1) fail("a repeat count must be an integer ≥ 1", t);
    return n;
  };

  const item = (): LayerSpec => {
    const start = peek()!;
    const atom = atomAt();
    const times = repeatCount();
    return times === null ? atom : mark({ kind: "repeat", times, layers: [atom] }, start);
  };

  const atomAt = (): LayerSpec => {
    const t = peek()!;
    if (t.text === "(") {
      i++;
      const layers = sequence([")"]);
      expect(")");
      return layers.length === 1 ? layers[0]! : mark({ kind: "repeat", times: 1, layers }, t);
    }
    const name = t.text.toLowerCase().replace(/_/g, "");
    i++;
    switch (name) {
      case "dense": {
        if (peek()?.text !== "(") return mark({ kind: "dense" }, t);
        i++;
        const sigmaW = number("σw");
        let sigmaB: string | undefined;
        if (peek()?.text === ",") {
          i++;
          sigmaB = number("σb");
        }
        expect(")");
        return mark({ kind: "dense", sigmaW, ...(sigmaB === undefined ? {} : { sigmaB }) }, t);
      }
      case "relu":
        return mark({ kind: "relu" }, t);
      case "abs":
        return mark({ kind: "abs" }, t);
      case "erf":
        return mark({ kind: "erf" }, t);
      case "leakyrelu":
      case "leaky": {
        expect("(");
        const slope = number("the slope");
        expect(")");
        return mark({ kind: "leakyRelu", slope }, t);
      }
      case "twoslope": {
        expect("(");
        const negative = number("the negative slope a");
        expect(",");
        const positive = number("the positive slope b");
        expect(")");
        return mark({ kind: "twoSlope", negative, positive }, t);
      }
      case "residual": {
        expect("(");
        let alpha: string | undefined;
        if (peek()?.text.toLowerCase() === "alpha") {
          i++;
          expect("=");
          const first = peek() ?? endToken;
          const parts: string[] = [];
          for (let depth = 0; peek() && peek()!.text !== ";" && !(depth === 0 && peek()!.text === ")"); i++) {
            depth += peek()!.text === "(" ? 1 : peek()!.text === ")" ? -1 : 0;
            parts.push(peek()!.text);
          }
          alpha = parts.join("");
          resolveAlpha(alpha, (message) => syntaxError(text, first.at, first.text, message));
          expect(";");
        }
        const branch = sequence([")"]);
        expect(")");
        return mark({ kind: "residual", ...(alpha === undefined ? {} : { alpha }), branch }, t);
      }
      default:
        return syntaxError(text, t.at, t.text, `unknown layer "${t.text}" (layers: dense, relu, leaky_relu, two_slope, abs, erf, residual)`);
    }
  };

  let spec: ArchitectureSpec;
  if (peek()?.text.toLowerCase() === "stem") {
    i++;
    expect("(");
    const stem = sequence([")"]);
    expect(")");
    expect("block");
    expect("(");
    const block = sequence([")"]);
    expect(")");
    spec = { stem, block };
  } else {
    spec = { block: sequence([")"]) };
  }
  if (peek()) fail(peek()!.text === ")" ? 'unmatched ")"' : "unexpected text after the architecture");
  return { spec, spans };
}

/**
 * Parses and validates `--arch` text. `params` gives σw, σb of dense layers without their own.
 * Throws BAD_ARCH pointing at the offending column and token.
 */
export function parseArchitecture(text: string, params: NetworkParams = {}): ResolvedArchitecture {
  const { spec, spans } = parseArchitectureText(text);
  try {
    return resolveArchitecture(spec, params, spans);
  } catch (e) {
    // Point at the column in the text, as syntax errors do.
    if (e instanceof NtkError && e.code === "BAD_ARCH" && typeof e.details.column === "number") {
      const column = e.details.column;
      throw new NtkError("BAD_ARCH", `--${e.message.replace(/^architecture /, "arch ")}\n  ${text}\n  ${" ".repeat(column - 1)}^`, e.details);
    }
    throw e;
  }
}
