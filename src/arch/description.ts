/**
 * A network architecture as a composable description (docs/ARCHITECTURES.md), the way kernel
 * libraries write one (`serial(Dense, Relu, Dense, …)`): dense layers with σw, σb, elementwise
 * activations with closed-form kernels, residual blocks x ↦ x + α·branch(x), fixed repeats, and a
 * block repeated to reach the depth.
 *
 * Depth: a network of depth L is the stem followed by L − 1 copies of the block. The default stem is
 * one dense layer, so `{ block: [relu, dense] }` at depth L is SPEC §1's ReLU network with L weight
 * layers (L = 1 is the linear model), and that description runs on the ReLU engine itself.
 *
 * This file holds the JSON shape (`ArchitectureSpec`), its validation into a `ResolvedArchitecture`
 * (exact decimals and float64 side by side), and the rules that make the kernel recursion exist:
 * the first layer is dense, every activation acts on a Gaussian input (the output of a dense layer
 * or of a residual block around one), and every residual branch ends with a dense layer (so its
 * output is uncorrelated with the skip path and Σ_out = Σ_in + α² Σ_branch holds).
 */
import { checkOptionalObject } from "../argumentTypes.js";
import type { Decimal } from "decimal.js";
import { NtkError } from "../errors.js";
import { toExactDecimal } from "../decimalText.js";
import { resolveParams, type ResolvedParams } from "../params.js";
import type { NetworkParams } from "../types.js";

/** A dense layer z = (σw/√n) W a + σb b; σw, σb default to the call's `params` (1, 0). */
export interface DenseSpec {
  readonly kind: "dense";
  readonly sigmaW?: number | string;
  readonly sigmaB?: number | string;
}
/** ReLU, max(x, 0). */
export interface ReluSpec {
  readonly kind: "relu";
}
/** Leaky ReLU: x for x > 0, slope·x for x < 0 (slope any real; 1 is linear, −1 is |x|). */
export interface LeakyReluSpec {
  readonly kind: "leakyRelu";
  readonly slope: number | string;
}
/** The two-slope ReLU a·min(x, 0) + b·max(x, 0) (a = `negative`, b = `positive`, not both 0). */
export interface TwoSlopeSpec {
  readonly kind: "twoSlope";
  readonly negative: number | string;
  readonly positive: number | string;
}
/** |x|, the two-slope ReLU with a = −1, b = 1. */
export interface AbsSpec {
  readonly kind: "abs";
}
/** The error function erf(x). */
export interface ErfSpec {
  readonly kind: "erf";
}
/**
 * A residual block x ↦ x + α·branch(x). `alpha` (default 1) is a number or decimal text, or text
 * "c/sqrt(L)" or "c/L" (c a decimal, "1/sqrt(L)" the usual choice) with L the network's depth.
 */
export interface ResidualSpec {
  readonly kind: "residual";
  readonly alpha?: number | string;
  readonly branch: readonly LayerSpec[];
}
/** `layers` repeated `times` times (an integer ≥ 1). */
export interface RepeatSpec {
  readonly kind: "repeat";
  readonly times: number;
  readonly layers: readonly LayerSpec[];
}

/** One element of a description. */
export type LayerSpec = DenseSpec | ReluSpec | LeakyReluSpec | TwoSlopeSpec | AbsSpec | ErfSpec | ResidualSpec | RepeatSpec;

/** A network: the stem (default one dense layer), then L − 1 copies of the block at depth L. */
export interface ArchitectureSpec {
  readonly stem?: readonly LayerSpec[];
  readonly block: readonly LayerSpec[];
}

/** α = coefficient · L^depthPower (depthPower 0, −1/2 or −1). */
export interface ResolvedAlpha {
  readonly coefficient: Decimal;
  /** 0 (constant), −0.5 (c/sqrt(L)) or −1 (c/L). */
  readonly depthPower: 0 | -0.5 | -1;
  /** As the text would write it, e.g. "1/sqrt(L)". */
  readonly text: string;
}

/** An activation with a closed-form kernel (docs/ARCHITECTURES.md). */
export type ResolvedActivation =
  | {
      /** a·min(x,0) + b·max(x,0): ReLU (a = 0, b = 1), leaky ReLU (a = slope, b = 1), |x| (a = −1, b = 1). */
      readonly kind: "twoSlope";
      readonly negative: Decimal;
      readonly positive: Decimal;
      /** The name in the text syntax: "relu", "leaky_relu(0.1)", "abs", "two_slope(a,b)". */
      readonly text: string;
    }
  | { readonly kind: "erf"; readonly text: "erf" };

/** A validated layer; repeats are expanded. */
export type ResolvedLayer =
  | { readonly kind: "dense"; readonly params: ResolvedParams }
  | { readonly kind: "activation"; readonly activation: ResolvedActivation }
  | { readonly kind: "residual"; readonly alpha: ResolvedAlpha; readonly branch: readonly ResolvedLayer[] };

/** A validated architecture. */
export interface ResolvedArchitecture {
  readonly stem: readonly ResolvedLayer[];
  readonly block: readonly ResolvedLayer[];
  /** The description in the text syntax (`parseArchitecture` reads it back to the same network). */
  readonly text: string;
  /** σw, σb of SPEC §1 when this is the plain ReLU network (stem dense, block relu dense, one σw, σb): it runs on the ReLU engine. */
  readonly reluMlp: ResolvedParams | null;
}

/** Where a part of a description came from in `--arch` text (see parse.ts). */
export interface SourceSpan {
  /** 1-based column of the part's first character. */
  readonly column: number;
  /** The token there. */
  readonly token: string;
}

/** Most layers one stem or block may expand to (repeats multiplied out). */
export const MAX_LAYERS_PER_BLOCK = 100_000;

/** Largest nesting of residual blocks. */
export const MAX_RESIDUAL_NESTING = 8;

/** Context of a validation: the JSON path and, for parsed text, each spec's source span. */
interface Context {
  readonly defaults: NetworkParams;
  readonly spans?: WeakMap<object, SourceSpan>;
  count: number;
}

/**
 * Throws BAD_ARCH for `spec` at JSON path `path`: the message names the path and, for text, the
 * column and token, so that the offending part can be found.
 */
function archError(ctx: Context, spec: object | undefined, path: string, what: string): never {
  const span = spec && ctx.spans?.get(spec);
  const at = span ? `at column ${span.column} ("${span.token}")` : `at ${path}`;
  throw new NtkError("BAD_ARCH", `architecture ${at}: ${what}`, { path, ...(span ? { column: span.column, token: span.token } : {}) });
}

function decimalOf(ctx: Context, spec: object, path: string, value: unknown, what: string): Decimal {
  if (typeof value !== "number" && typeof value !== "string")
    archError(ctx, spec, path, `${what} must be a number or decimal text, got ${JSON.stringify(value)}.`);
  try {
    return toExactDecimal(value, what);
  } catch (e) {
    if (e instanceof NtkError) archError(ctx, spec, path, e.message);
    throw e;
  }
}

const ALPHA_FORM = /^\s*([^/]+?)\s*(?:\/\s*(sqrt\s*\(\s*L\s*\)|L))?\s*$/;

/**
 * Reads α: a positive number or decimal text, or text "c/sqrt(L)" or "c/L". Throws BAD_ARCH.
 */
export function resolveAlpha(value: number | string, onError: (message: string) => never): ResolvedAlpha {
  const text = String(value);
  const m = typeof value === "string" ? ALPHA_FORM.exec(value) : null;
  if (typeof value === "string" && !m) onError(`alpha must be a positive decimal, "c/sqrt(L)" or "c/L", got "${value}".`);
  let coefficient: Decimal;
  try {
    coefficient = toExactDecimal(m ? m[1]! : value, "alpha");
  } catch (e) {
    if (e instanceof NtkError) onError(`alpha must be a positive decimal, "c/sqrt(L)" or "c/L", got "${text}".`);
    throw e;
  }
  if (!coefficient.gt(0) || !Number.isFinite(coefficient.toNumber()) || coefficient.toNumber() === 0)
    onError(`alpha must be positive and finite (in float64 too), got ${text}.`);
  const depthPower = !m || m[2] === undefined ? 0 : m[2] === "L" ? -1 : -0.5;
  const c = coefficient.toString();
  return { coefficient, depthPower, text: depthPower === 0 ? c : `${c}/${depthPower === -1 ? "L" : "sqrt(L)"}` };
}

/** Whether a layer sequence leaves a Gaussian process (so that an activation may follow). */
function resolveSequence(ctx: Context, specs: readonly LayerSpec[], path: string, gaussianIn: boolean, nesting: number, out: ResolvedLayer[]): boolean {
  if (!Array.isArray(specs)) archError(ctx, undefined, path, `expected a list of layers, got ${JSON.stringify(specs)}.`);
  let gaussian = gaussianIn;
  specs.forEach((spec, i) => {
    gaussian = resolveLayer(ctx, spec, `${path}[${i}]`, gaussian, nesting, out);
  });
  return gaussian;
}

function resolveLayer(ctx: Context, spec: LayerSpec, path: string, gaussian: boolean, nesting: number, out: ResolvedLayer[]): boolean {
  if (typeof spec !== "object" || spec === null) archError(ctx, undefined, path, `expected a layer object with a "kind", got ${JSON.stringify(spec)}.`);
  const activation = (a: ResolvedActivation): boolean => {
    if (!gaussian) {
      archError(
        ctx,
        spec,
        path,
        `the activation ${a.text} does not follow a dense layer (or a residual block around one): its input is not Gaussian, so it has no closed-form kernel. Put a dense layer before it.`,
      );
    }
    push(ctx, spec, path, out, { kind: "activation", activation: a });
    return false;
  };
  switch (spec.kind) {
    case "dense": {
      const sigmaW = spec.sigmaW ?? ctx.defaults.sigmaW;
      const sigmaB = spec.sigmaB ?? ctx.defaults.sigmaB;
      let params: ResolvedParams;
      try {
        params = resolveParams({ sigmaW, sigmaB });
      } catch (e) {
        if (e instanceof NtkError) archError(ctx, spec, path, e.message);
        throw e;
      }
      push(ctx, spec, path, out, { kind: "dense", params });
      return true;
    }
    case "relu":
      return activation(twoSlope(0, 1, "relu"));
    case "abs":
      return activation(twoSlope(-1, 1, "abs"));
    case "erf":
      return activation({ kind: "erf", text: "erf" });
    case "leakyRelu": {
      const s = decimalOf(ctx, spec, path, spec.slope, "the leaky ReLU slope");
      return activation({ kind: "twoSlope", negative: s, positive: decimalOf(ctx, spec, path, 1, "1"), text: `leaky_relu(${s.toString()})` });
    }
    case "twoSlope": {
      const a = decimalOf(ctx, spec, path, spec.negative, "the two-slope ReLU's negative slope a");
      const b = decimalOf(ctx, spec, path, spec.positive, "the two-slope ReLU's positive slope b");
      if (a.isZero() && b.isZero())
        archError(ctx, spec, path, "the two-slope ReLU with a = b = 0 is the zero function; its normalized kernel does not exist. Give a nonzero slope.");
      if (!(Math.abs(a.toNumber()) < 1e150 && Math.abs(b.toNumber()) < 1e150) || (a.toNumber() === 0 && b.toNumber() === 0)) {
        archError(ctx, spec, path, `the slopes must lie within ±1e150 and not both round to 0 in float64, got a = ${a.toString()}, b = ${b.toString()}.`);
      }
      return activation({ kind: "twoSlope", negative: a, positive: b, text: `two_slope(${a.toString()},${b.toString()})` });
    }
    case "residual": {
      if (nesting >= MAX_RESIDUAL_NESTING) archError(ctx, spec, path, `residual blocks nest at most ${MAX_RESIDUAL_NESTING} deep.`);
      const alpha = resolveAlpha(spec.alpha ?? 1, (message) => archError(ctx, spec, path, message));
      const branch: ResolvedLayer[] = [];
      if (!Array.isArray(spec.branch) || spec.branch.length === 0)
        archError(ctx, spec, path, "a residual block needs a branch of one or more layers, ending with a dense layer.");
      resolveSequence(ctx, spec.branch, `${path}.branch`, gaussian, nesting + 1, branch);
      if (branch[branch.length - 1]!.kind !== "dense") {
        archError(
          ctx,
          spec,
          path,
          "a residual branch must end with a dense layer: only then is its output uncorrelated with the skip path, which the recursion Σ_out = Σ_in + α² Σ_branch needs. Add a dense layer at its end.",
        );
      }
      push(ctx, spec, path, out, { kind: "residual", alpha, branch });
      return gaussian;
    }
    case "repeat": {
      if (!Number.isInteger(spec.times) || spec.times < 1) archError(ctx, spec, path, `a repeat count must be an integer ≥ 1, got ${String(spec.times)}.`);
      if (!Array.isArray(spec.layers) || spec.layers.length === 0) archError(ctx, spec, path, "a repeat needs one or more layers.");
      if (ctx.count + spec.times * spec.layers.length > MAX_LAYERS_PER_BLOCK) {
        archError(
          ctx,
          spec,
          path,
          `the description expands to more than ${MAX_LAYERS_PER_BLOCK} layers per block; use the depth (the block repeats) for long networks.`,
        );
      }
      let g = gaussian;
      for (let k = 0; k < spec.times; k++) {
        g = resolveSequence(ctx, spec.layers, `${path}.layers`, g, nesting, out);
        if (ctx.count > MAX_LAYERS_PER_BLOCK)
          archError(
            ctx,
            spec,
            path,
            `the description expands to more than ${MAX_LAYERS_PER_BLOCK} layers per block; use the depth (the block repeats) for long networks.`,
          );
      }
      return g;
    }
    default:
      return archError(
        ctx,
        spec,
        path,
        `unknown layer kind ${JSON.stringify((spec as { kind?: unknown }).kind)}; use dense, relu, leakyRelu, twoSlope, abs, erf, residual or repeat.`,
      );
  }
}

function push(ctx: Context, spec: object, path: string, out: ResolvedLayer[], layer: ResolvedLayer): void {
  if (++ctx.count > MAX_LAYERS_PER_BLOCK)
    archError(
      ctx,
      spec,
      path,
      `the description expands to more than ${MAX_LAYERS_PER_BLOCK} layers per block; use the depth (the block repeats) for long networks.`,
    );
  out.push(layer);
}

function twoSlope(a: number, b: number, text: string): ResolvedActivation {
  return { kind: "twoSlope", negative: toExactDecimal(a, "a"), positive: toExactDecimal(b, "b"), text };
}

/**
 * Validates a description. `params` gives σw, σb of dense layers that do not set their own
 * (default 1, 0). `spans` (from the text parser) lets errors point at a column of the text.
 * Throws BAD_ARCH naming the offending part (JSON path, or column and token), and the σ codes'
 * messages wrapped in BAD_ARCH for a bad σw or σb of one layer.
 */
export function resolveArchitecture(spec: ArchitectureSpec, params: NetworkParams = {}, spans?: WeakMap<object, SourceSpan>): ResolvedArchitecture {
  const ctx: Context = { defaults: params, spans, count: 0 };
  if (typeof spec !== "object" || spec === null || !("block" in spec))
    archError(ctx, undefined, "architecture", 'expected an object { "stem"?: [...], "block": [...] }.');
  const stemSpecs = spec.stem ?? [{ kind: "dense" } as const];
  if (!Array.isArray(stemSpecs) || stemSpecs.length === 0) archError(ctx, undefined, "stem", "the stem needs one or more layers, starting with a dense layer.");
  if (stemSpecs[0]?.kind !== "dense") {
    archError(
      ctx,
      stemSpecs[0],
      "stem[0]",
      "the first layer must be dense: the inputs are points on the sphere, not Gaussian, so an activation cannot act on them directly.",
    );
  }
  if (!Array.isArray(spec.block) || spec.block.length === 0)
    archError(ctx, undefined, "block", "the block (repeated to reach the depth) needs one or more layers.");
  const stem: ResolvedLayer[] = [];
  const afterStem = resolveSequence(ctx, stemSpecs, "stem", false, 0, stem);
  ctx.count = 0;
  const block: ResolvedLayer[] = [];
  const afterBlock = resolveSequence(ctx, spec.block, "block", afterStem, 0, block);
  // The block repeats: the second copy sees what the first leaves; that must also be fine.
  if (afterStem && !afterBlock) resolveSequence({ ...ctx, count: 0 }, spec.block, "block", afterBlock, 0, []);
  const text = `stem(${sequenceText(stem)}) block(${sequenceText(block)})`;
  return { stem, block, text, reluMlp: reluMlpParams(stem, block) };
}

/** σw, σb when stem = [dense p] and block = [relu, dense p]: the ReLU network of SPEC §1. */
function reluMlpParams(stem: readonly ResolvedLayer[], block: readonly ResolvedLayer[]): ResolvedParams | null {
  const [s] = stem;
  const [a, d] = block;
  if (stem.length !== 1 || block.length !== 2 || s?.kind !== "dense" || d?.kind !== "dense" || a?.kind !== "activation") return null;
  const act = a.activation;
  if (act.kind !== "twoSlope" || !act.negative.isZero() || !act.positive.eq(1)) return null;
  const same = s.params.sigmaW.eq(d.params.sigmaW) && s.params.sigmaB.eq(d.params.sigmaB);
  return same ? s.params : null;
}

/** A layer sequence in the text syntax of parse.ts. */
export function sequenceText(layers: readonly ResolvedLayer[]): string {
  return layers
    .map((l) => {
      if (l.kind === "dense") return `dense(${l.params.sigmaW.toString()},${l.params.sigmaB.toString()})`;
      if (l.kind === "activation") return l.activation.text;
      return `residual(alpha=${l.alpha.text}; ${sequenceText(l.branch)})`;
    })
    .join(" ");
}

/** The description of SPEC §1's ReLU network with σw, σb. */
export function reluMlpSpec(params: NetworkParams = {}): ArchitectureSpec {
  checkOptionalObject(params, "params");
  const dense = { kind: "dense", sigmaW: params.sigmaW, sigmaB: params.sigmaB } as const;
  return { stem: [dense], block: [{ kind: "relu" }, dense] };
}
