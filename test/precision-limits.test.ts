/**
 * High-precision runs are sized before they start: too large for the memory or time allowed is
 * PRECISION_RUN_TOO_LARGE (with the largest size that fits), ordinary sizes run, and the limits
 * can be raised. The refusals come before any work, so these tests are quick.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { gramThroughDepthPrecise, gramDeterminantsVouched } from "../src/gram/precise.js";
import { pairThroughDepth } from "../src/pair.js";
import { checkPreciseRunFits, estimatePreciseRun, DEFAULT_MAX_SECONDS, type PreciseRunShape } from "../src/precise/runCost.js";
import { VOUCH_RETRY_MARGIN } from "../src/precise/vouched.js";
import { archGramDeterminantsVouched, archPairThroughDepthPrecise } from "../src/arch/precise.js";
import { randomGaussianPoints } from "../src/data/randomData.js";
import { cli } from "./support/cli.js";

describe("the cost model", () => {
  it("grows with points, depth and digits", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 500 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 20, max: 1100 }),
        fc.integer({ min: 1, max: 50 }),
        (points, depth, digits, checkpoints) => {
          const shape: PreciseRunShape = { points, depth, digits, checkpoints, determinantOrder: points };
          const base = estimatePreciseRun(shape);
          expect(base.bytes).toBeGreaterThan(0);
          expect(base.seconds).toBeGreaterThan(0);
          for (const bigger of [
            { ...shape, points: points + 1, determinantOrder: points + 1 },
            { ...shape, depth: depth + 1 },
            { ...shape, digits: digits + 10 },
          ]) {
            const e = estimatePreciseRun(bigger);
            expect(e.bytes).toBeGreaterThanOrEqual(base.bytes);
            expect(e.seconds).toBeGreaterThanOrEqual(base.seconds);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("names the largest depth that fits, and that depth does fit", () => {
    const shape: PreciseRunShape = { points: 2, depth: 1e8, checkpoints: 1, digits: 300, matrices: false };
    let details: Record<string, unknown> = {};
    try {
      checkPreciseRunFits("a pair", shape, undefined);
    } catch (e) {
      expect(e).toMatchObject({ code: "PRECISION_RUN_TOO_LARGE" });
      details = (e as { details: Record<string, unknown> }).details;
    }
    const largest = details.largestDepth as number;
    expect(largest).toBeGreaterThan(1);
    expect(largest).toBeLessThan(1e8);
    expect(checkPreciseRunFits("a pair", { ...shape, depth: largest }, undefined).seconds).toBeLessThanOrEqual(DEFAULT_MAX_SECONDS);
    expect(() => checkPreciseRunFits("a pair", { ...shape, depth: largest + 1 }, undefined)).toThrow(
      expect.objectContaining({ code: "PRECISION_RUN_TOO_LARGE" }),
    );
    // Raised limits let the same run through.
    expect(checkPreciseRunFits("a pair", shape, { maxSeconds: Infinity }).seconds).toBeGreaterThan(DEFAULT_MAX_SECONDS);
  });

  it("counts the retry of a run that analyses a matrix at its worst case: a second pair of runs at digits + P + VOUCH_RETRY_MARGIN", () => {
    const shape: PreciseRunShape = { points: 20, depth: 100, checkpoints: 2, digits: 60, precision: 40, determinantOrder: 20 };
    const first = estimatePreciseRun({ ...shape, retry: false });
    const again = estimatePreciseRun({ ...shape, digits: 60 + 40 + VOUCH_RETRY_MARGIN, retry: false });
    const withRetry = estimatePreciseRun(shape);
    expect(withRetry.seconds).toBeCloseTo(first.seconds + again.seconds, 10);
    expect(withRetry.bytes).toBeCloseTo(first.bytes + again.bytes, 10);
    // Without P the retry is sized by the working digits, an upper bound on P.
    expect(estimatePreciseRun({ ...shape, precision: undefined }).seconds).toBeGreaterThan(withRetry.seconds);
    // A recursion alone (no matrix analysed) counts no retry unless asked to.
    const pair: PreciseRunShape = { points: 2, depth: 1000, checkpoints: 1, digits: 60, precision: 40, matrices: false };
    expect(estimatePreciseRun(pair)).toEqual(estimatePreciseRun({ ...pair, retry: false }));
    expect(estimatePreciseRun({ ...pair, retry: true }).seconds).toBeGreaterThan(2 * estimatePreciseRun(pair).seconds);
  });

  it("prices an architecture's recursion by its tape operations, and all of it again per checkpoint when α depends on L", () => {
    const shape: PreciseRunShape = { points: 10, depth: 1000, checkpoints: 4, digits: 50, retry: false };
    const relu = estimatePreciseRun(shape).seconds;
    const twoOps = estimatePreciseRun({ ...shape, architecture: { stemOps: 1, blockOps: 2, rerunPerCheckpoint: false } }).seconds;
    const rerun = estimatePreciseRun({ ...shape, architecture: { stemOps: 1, blockOps: 2, rerunPerCheckpoint: true } }).seconds;
    expect(twoOps).toBeGreaterThan(1.9 * relu);
    expect(rerun).toBeGreaterThan(3.9 * twoOps);
  });

  it("rejects malformed limits", () => {
    const shape: PreciseRunShape = { points: 3, depth: 3, checkpoints: 1, digits: 30 };
    for (const limits of [{ maxSeconds: -1 }, { maxMemoryBytes: 0 }, { maxSeconds: NaN }, { maxMemoryBytes: "1e9" as unknown as number }]) {
      expect(() => checkPreciseRunFits("x", shape, limits)).toThrow(expect.objectContaining({ code: "BAD_OPTION" }));
    }
  });
});

describe("library entry points", () => {
  it("a Gram matrix of 300 points to depth 1000 at 100 digits is refused before any work, naming what fits", async () => {
    const data = randomGaussianPoints(300, 3, 1);
    const run = gramThroughDepthPrecise({ data, projection: "normalize", depths: [1000], precision: 100 });
    await expect(run).rejects.toMatchObject({
      code: "PRECISION_RUN_TOO_LARGE",
      message: expect.stringMatching(/What fits at these digits: at most \d+ points/),
    });
    const det = gramDeterminantsVouched({ data, projection: "normalize", depths: [1000], precision: 100, maxSeconds: 1e9, maxMemoryBytes: 1e6 }, "ntk", true);
    await expect(det).rejects.toMatchObject({ code: "PRECISION_RUN_TOO_LARGE", message: expect.stringMatching(/of memory \(limit 1 MiB\)/) });
  });

  it("ordinary sizes run under the default limits", async () => {
    const r = await gramDeterminantsVouched({ data: randomGaussianPoints(4, 3, 2), projection: "normalize", depths: [5], precision: 25 }, "ntk", true);
    expect(r.determinants[0].digitsVouched.det).toBeGreaterThan(0);
    const p = await pairThroughDepth({ rho1: "0.5", depth: 200, precision: 30, method: "direct" });
    expect(p.points[p.points.length - 1].depth).toBe(200);
  });

  it("a direct pair run to depth 10^8 at 500 digits is refused; a time budget of its own lets a shorter one run", async () => {
    await expect(pairThroughDepth({ rho1: "0.5", depth: 1e8, precision: 500, method: "direct" })).rejects.toMatchObject({
      code: "PRECISION_RUN_TOO_LARGE",
      details: { largestDepth: expect.any(Number) },
    });
    await expect(pairThroughDepth({ rho1: "0.5", depth: 50, precision: 500, method: "direct", maxSeconds: 1e-6 })).rejects.toMatchObject({
      code: "PRECISION_RUN_TOO_LARGE",
    });
  });
});

describe("architectures (--arch) at high precision", () => {
  it("a Gram matrix too large is refused, naming the most points that fit; that many run, one more is refused", async () => {
    const limits = { maxSeconds: 0.5 };
    const options = (m: number) => ({
      data: randomGaussianPoints(m, 3, 5),
      projection: "normalize" as const,
      depths: [20],
      precision: 25,
      architecture: "erf dense",
      ...limits,
    });
    let details: Record<string, unknown> = {};
    await archGramDeterminantsVouched(options(60), "ntk", true).catch((e: unknown) => {
      expect(e).toMatchObject({ code: "PRECISION_RUN_TOO_LARGE", message: expect.stringMatching(/erf dense.*What fits at these digits: at most \d+ points/) });
      details = (e as { details: Record<string, unknown> }).details;
    });
    const largest = details.largestPoints as number;
    expect(largest).toBeGreaterThanOrEqual(2);
    expect(largest).toBeLessThan(60);
    const r = await archGramDeterminantsVouched(options(largest), "ntk", true);
    expect(r.gram.grams[0].ntkNormalized.length).toBe(largest * largest);
    await expect(archGramDeterminantsVouched(options(largest + 1), "ntk", true)).rejects.toMatchObject({ code: "PRECISION_RUN_TOO_LARGE" });
  });

  it("a pair too deep is refused, naming the deepest depth that fits, which runs", async () => {
    const options = (depth: number) => ({ rho1: "0.5", depth, precision: 30, architecture: "leaky_relu(0.2) dense", maxSeconds: 0.2 });
    let details: Record<string, unknown> = {};
    await archPairThroughDepthPrecise(options(1e7)).catch((e: unknown) => {
      expect(e).toMatchObject({ code: "PRECISION_RUN_TOO_LARGE", message: expect.stringMatching(/leaky_relu.*depth at most \d+ for these inputs/) });
      details = (e as { details: Record<string, unknown> }).details;
    });
    const largest = details.largestDepth as number;
    expect(largest).toBeGreaterThan(1);
    const r = await archPairThroughDepthPrecise(options(largest));
    expect(r.points.at(-1)!.depth).toBe(largest);
    // The named depth is sized at the asked depth's working digits (a shallower run may carry one
    // guard digit less), so it is safe rather than exact; twice as deep is refused.
    await expect(archPairThroughDepthPrecise(options(2 * largest))).rejects.toMatchObject({ code: "PRECISION_RUN_TOO_LARGE" });
  });

  it("rho --arch --precision refuses a run for hours with the typed error; kernel --arch too", async () => {
    const rho = await cli("rho", "--rho1", "0.5", "--depth", "1e8", "--precision", "500", "--arch", "erf dense");
    expect(rho.code).toBe(1);
    expect(rho.err).toMatch(/^ntk-depth: error PRECISION_RUN_TOO_LARGE: A high-precision pair of .*erf.*What fits at these digits: depth at most \d+/);
    const kernel = await cli("kernel", "--data", "mnist[0:1000]", "--depth", "100", "--precision", "100", "--arch", "abs dense");
    expect(kernel.code).toBe(1);
    expect(kernel.err).toMatch(/^ntk-depth: error PRECISION_RUN_TOO_LARGE: A high-precision Gram matrix of 1000 points of .*abs.*at most \d+ points/);
  });
});

describe("command line", () => {
  it("kernel --precision on 1000 MNIST points refuses with the typed error, --max-memory inf still meets the time budget", async () => {
    const r = await cli("kernel", "--data", "mnist[0:1000]", "--depth", "100", "--precision", "100");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /^ntk-depth: error PRECISION_RUN_TOO_LARGE: .* would need about .* GiB of memory \(limit .*\) and about \d+ h \(budget 60 min\)\. What fits/,
    );
    const raised = await cli("kernel", "--data", "mnist[0:1000]", "--depth", "100", "--precision", "100", "--max-memory", "inf");
    expect(raised.err).toMatch(/^ntk-depth: error PRECISION_RUN_TOO_LARGE: .* would need about \d+ h \(budget 60 min\)/);
  });

  it("rho --precision and compare refuse runs for hours; malformed limits are BAD_OPTION", async () => {
    const rho = await cli("rho", "--rho1", "0.5", "--depth", "1e8", "--precision", "500", "--sigma-b", "0.1", "--sigma-w", "1.5");
    expect(rho.err).toMatch(/^ntk-depth: error PRECISION_RUN_TOO_LARGE: .*What fits at these digits: depth at most \d+/);
    const compare = await cli("compare", "--rho1", "0.5", "--depth", "1e6", "--precision", "1000", "--max-time", "600");
    expect(compare.err).toMatch(/^ntk-depth: error PRECISION_RUN_TOO_LARGE: .*\(budget 10 min\)/);
    const bad = await cli("rho", "--rho1", "0.5", "--depth", "10", "--precision", "30", "--max-time", "soon");
    expect(bad.err).toMatch(/^ntk-depth: error BAD_OPTION: --max-time must be an integer/);
  });
});
