/**
 * Fuzz of the public API: every function exported from src/index.ts, src/advanced.ts and
 * src/data/files.ts is called with random arguments, NaN, ±Infinity, wrong types, empty and
 * ragged arrays and inconsistent sizes among them. The outcome must be a typed NtkError or a
 * result without NaN: never an untyped exception (TypeError, RangeError, …) and never NaN
 * output. The exports are enumerated, so a new export without an entry in ARGUMENTS fails the
 * first test. Sizes stay small and runs few, so the whole file takes seconds.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as core from "../src/index.js";
import * as advanced from "../src/advanced.js";
import * as files from "../src/data/files.js";
import { NtkError } from "../src/errors.js";

const hostileNumber = fc.constantFrom(NaN, Infinity, -Infinity, -1, 0, 0.5, 1, 2, 3, -0, 1e308, 2 ** 53 + 2);
const smallNumber = fc.oneof(hostileNumber, fc.double({ min: -2, max: 2, noNaN: true }));
const text = fc.constantFrom("", "x", "1", "0.5", "-1", "NaN", "Infinity", "1e999", "ntk", "nngp", "normalize", "none", "inf", "mnist[0:2]", "iris[0:3]");
const scalar = fc.oneof(smallNumber, text, fc.constantFrom(undefined, null, true, false));
const vector = fc.array(smallNumber, { maxLength: 4 });
const matrix = fc.oneof(fc.array(vector, { maxLength: 4 }), fc.constant([[1, 0], [0]]), fc.constant([]));
const rawPoints = fc.oneof(
  fc.record({ m: smallNumber, n0: smallNumber, coords: vector.map((v) => Float64Array.from(v)) }),
  fc.constant({ m: 2, n0: 2, coords: Float64Array.from([1, 0, NaN, 1]) }),
  fc.constant({ m: 2, n0: 2, coords: Float64Array.from([1, 0, 0, 1]) }),
  fc.constant({ m: 3, n0: 2, coords: Float64Array.from([1, 0, 0, 1]) }),
  fc.constant({ m: 1, n0: 1, coords: Float64Array.from([0]) }),
);
const value = fc.oneof(scalar, vector, matrix, rawPoints, fc.constant({}));
/** Option names the API uses; each option object takes a random subset with random values. */
const OPTION_KEYS = [
  "data",
  "points",
  "train",
  "test",
  "depth",
  "depths",
  "at",
  "precision",
  "rho1",
  "inputDim",
  "projection",
  "kernel",
  "normalized",
  "params",
  "m",
  "n0",
  "k",
  "time",
  "learningRate",
  "diagReg",
  "targets",
  "trainKernel",
  "testKernel",
  "width",
  "samples",
  "seed",
  "architecture",
  "tolerance",
  "method",
  "degree",
  "threads",
  "matrix",
  "n",
  "steps",
] as const;
const options = fc.oneof(
  fc.dictionary(fc.constantFrom(...OPTION_KEYS), value, { maxKeys: 6, noNullPrototype: true }),
  scalar,
  fc.constant({ data: { m: 2, n0: 2, coords: Float64Array.from([1, 0, NaN, 1]) }, projection: "normalize", depths: [2], depth: 2, precision: 20 }),
);
const args = (...arbs: fc.Arbitrary<unknown>[]) => fc.tuple(...arbs) as fc.Arbitrary<unknown[]>;

/** How each export is called: argument generators by export name ("new" marks a class). */
const ARGUMENTS: Record<string, { readonly args: fc.Arbitrary<unknown[]>; readonly construct?: boolean }> = {};
function entry(names: string, a: fc.Arbitrary<unknown[]>, construct = false) {
  for (const name of names.split(/\s+/).filter(Boolean)) ARGUMENTS[name] = { args: a, construct };
}
entry("NtkError", args(text, text, fc.constant({})), true);
entry("LuFactorizationFloat64 CholeskyFactorization", args(value, value, value, value), true);
entry(
  `archGramThroughDepthFloat64 archGramThroughDepthPrecise archPairThroughDepthFloat64 archPairThroughDepthPrecise comparePair createPredictor
   datasetFromArrays depthMapGeometricPieces depthMapLength empiricalKernels exactRawCoordinates gramThroughDepth gramThroughDepthFloat64
   gramThroughDepthPrecise gramThroughDepthPreciseRuns kernelProfilesThroughDepth monteCarloKernels oneHotTargets pairThroughDepth
   pairThroughDepthFloat64 pairThroughDepthPrecise predict predictFromKernelsFloat64 predictFromKernelsPrecise predictThroughDepth
   resolveArchitecture resolveParams resolveThreads sphereSpectrum trainNetworks compareGram findSingularCauses parseArchitecture
   toArchitecture reluMlpSpec resolveDepth`,
  args(options),
);
entry("archGramDeterminantsVouched gramDeterminantsVouched", args(options, scalar, scalar));
entry("gramDeterminantsPrecise", args(options, scalar, scalar));
entry("resolveRho1 checkPrecision float64DigitsFromRelativeError formatFloat64 exactOneMinus seededUniform syntheticLabels mnistSampleAt", args(scalar));
entry("preciseDecimal parseArchitectureText parseBuiltinDatasetSpec refersToBuiltinDataset loadDataset fetchBuiltinDataFiles", args(scalar));
entry("resolveCheckpoints", args(value, scalar));
entry("accuracy argmaxClasses testClassIndices unionPoints unionRaw relativeError harmonicDimension buildDepthMapFloat64 checkCompatible", args(value, value));
entry(
  "correctDigits digitsVouched formatFromLog10 classify sliceUnion depthJumpFloat64 rawDiagonalFloat64 kernelMatrixFloat64 kernelMatrixPrecise",
  args(value, value, value),
);
entry("randomGaussianPoints", args(smallNumber, smallNumber, smallNumber));
entry("formatScaled formatVouched flowFilter flowFilterPrecise toExactDecimal parseDecimalText renderTable", args(value, value));
entry("parseDatasetCsv parseDatasetJson parseDatasetText parseJsonKeepingNumbers", args(text, scalar));
entry("analyzeMatrixFloat64 luFactorFloat64 choleskyFactor symmetricEigenFloat64 findIdenticalRows", args(value, value));
entry("analyzeMatrixPrecise luAnalysisPrecise luFactorPrecise symmetricEigenPrecise pairComplementsPrecise projectToSpherePrecise", args(value, value, value));
entry("solvePrecise luSolvePrecise", args(value, value, value, value, value));
entry("projectToSphereFloat64", args(value, scalar, value));
entry("projectToSphere analyzeMatrix", args(value, value, options));
entry("isNtkError", args(value, scalar));
entry("loadBuiltinDataset", args(value, value));
entry("loadWasmEngine", args());
entry("depthJumpFillFloat64 depthMapFillFloat64", args(value, value, value, value, value, value, value));
entry("spectralPredictor", args(value, value));
entry("formatConditionEstimate throwIfAborted", args(scalar));
entry("countOf", args(value, value, value));
entry("wrapText vouchedText", args(value, value));
entry("determinantFromComplement kernelEntryDigitsVouched", args(value, value, value, value));
entry("gramDeterminantsPaced", args(options, scalar, scalar, options));
entry("gramFloat64For ensembleOnDataPrecise", args(options, value, scalar));
entry("gramDeterminantsVouchedFor", args(options, scalar, scalar, value));
entry("depthOneBias", args(value, value, value));
entry("digitsAgreed", args(value, value, value, value));
entry("vouchTwice", args(options));

const MODULES = { "src/index.ts": core, "src/advanced.ts": advanced, "src/data/files.ts": files } as const;
const exported = [
  ...new Set(
    Object.values(MODULES).flatMap((mod) =>
      Object.entries(mod)
        .filter(([, v]) => typeof v === "function")
        .map(([k]) => k),
    ),
  ),
];
const functionOf = (name: string) =>
  Object.values(MODULES)
    .map((mod) => (mod as Record<string, unknown>)[name])
    .find((v) => v !== undefined) as (...a: unknown[]) => unknown;

/** The first NaN inside `x` (a path), or null: numbers, typed arrays, arrays and plain objects, a few levels deep. */
function findNaN(x: unknown, path = "result", depth = 0): string | null {
  if (typeof x === "number") return Number.isNaN(x) ? path : null;
  if (depth > 4 || x === null || typeof x !== "object") return null;
  if (ArrayBuffer.isView(x) && !(x instanceof DataView)) {
    const a = x as unknown as ArrayLike<number>;
    for (let i = 0; i < Math.min(a.length, 1000); i++) if (typeof a[i] === "number" && Number.isNaN(a[i])) return `${path}[${i}]`;
    return null;
  }
  if (Array.isArray(x)) {
    for (let i = 0; i < Math.min(x.length, 200); i++) {
      const p = findNaN(x[i], `${path}[${i}]`, depth + 1);
      if (p) return p;
    }
    return null;
  }
  if (Object.getPrototypeOf(x) !== Object.prototype) return null;
  for (const [k, v] of Object.entries(x)) {
    const p = findNaN(v, `${path}.${k}`, depth + 1);
    if (p) return p;
  }
  return null;
}

async function outcome(name: string, a: readonly unknown[]): Promise<string | null> {
  const f = functionOf(name);
  try {
    const r = ARGUMENTS[name].construct ? new (f as unknown as new (...x: unknown[]) => unknown)(...a) : await f(...a);
    const nan = findNaN(r);
    return nan === null ? null : `NaN at ${nan}`;
  } catch (e) {
    return e instanceof NtkError ? null : `untyped ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
  }
}

describe("public API fuzz", () => {
  it("every exported function has argument generators", () => {
    expect(exported.filter((name) => !(name in ARGUMENTS))).toEqual([]);
  });

  for (const name of exported.filter((n) => n in ARGUMENTS)) {
    it(`${name}: typed errors or NaN-free results`, async () => {
      await fc.assert(
        fc.asyncProperty(ARGUMENTS[name].args, async (a) => {
          const problem = await outcome(name, a);
          expect(problem, `${name}(${fc.stringify(a)})`).toBeNull();
        }),
        { numRuns: 25, seed: 12 },
      );
    });
  }
});
