/**
 * The explorer's URL state (web/state.ts): every state survives the round trip through the query
 * string, bad parameters fall back to defaults with a message, and checkpoint depths are spread
 * in log L within the range.
 */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_STATE, LIMITS, logSpacedDepths, queryFromState, stateFromQuery, type ExplorerState } from "../web/state.js";

const decimalText = fc.oneof(fc.constantFrom("0.5", "-1", "1", "0.9999999", "1e-30", ".25"), fc.double({ min: -1, max: 1, noNaN: true }).map(String));
const int = (key: keyof typeof LIMITS) =>
  LIMITS[key][1] > Number.MAX_SAFE_INTEGER
    ? fc.oneof(fc.integer({ min: LIMITS[key][0], max: Number.MAX_SAFE_INTEGER }), fc.constantFrom(1e16, 1e17, LIMITS[key][1]))
    : fc.integer({ min: LIMITS[key][0], max: LIMITS[key][1] });

const stateArb: fc.Arbitrary<ExplorerState> = fc
  .record({
    rho1: decimalText,
    source: fc.constantFrom("random" as const, "paste" as const, "mnist" as const, "iris" as const),
    trainRange: fc.constantFrom("0:150:3", "0:100", "10:20", "140:150"),
    testRange: fc.constantFrom("1:150:7", "100:150", ":3"),
    m: int("m"),
    dim: int("dim"),
    seed: int("seed"),
    pasted: fc.string({ maxLength: 80 }),
    projection: fc.constantFrom("normalize" as const, "stereographic" as const, "none" as const),
    kernel: fc.constantFrom("ntk" as const, "nngp" as const),
    normalized: fc.boolean(),
    depthMin: int("depthMin"),
    depthMax: int("depthMax"),
    checkpoints: int("checkpoints"),
    precision: fc.oneof(fc.constant(0), fc.integer({ min: 20, max: 1000 })),
    sigmaW: fc.constantFrom("1", "1.5", "2e0"),
    sigmaB: fc.constantFrom("0", "0.1"),
  })
  .map((s) => (s.depthMin <= s.depthMax ? s : { ...s, depthMin: s.depthMax, depthMax: s.depthMin }));

describe("explorer URL state", () => {
  it("round-trips every valid state through the query string", () => {
    fc.assert(
      fc.property(stateArb, (state) => {
        const back = stateFromQuery(queryFromState(state));
        expect(back.problems).toEqual([]);
        // Pasted text is only carried while it is the source, row ranges while a built-in data set is.
        const builtin = state.source === "mnist" || state.source === "iris";
        const ranges = builtin ? {} : { trainRange: DEFAULT_STATE.trainRange, testRange: DEFAULT_STATE.testRange };
        expect(back.state).toEqual({ ...state, ...(state.source === "paste" ? {} : { pasted: DEFAULT_STATE.pasted }), ...ranges });
      }),
    );
  });

  it("gives the defaults for an empty query, and an empty query for the defaults", () => {
    expect(stateFromQuery("")).toEqual({ state: DEFAULT_STATE, problems: [], invalid: [] });
    expect(queryFromState(DEFAULT_STATE)).toBe("");
  });

  it("replaces bad parameters by defaults and says which, by the page's labels with the valid range", () => {
    const { state, problems, invalid } = stateFromQuery("?m=1&kernel=rbf&rho1=2&digits=5&norm=yes&L1=2e18&sw=-1");
    expect(state).toEqual(DEFAULT_STATE);
    expect(problems).toHaveLength(7);
    expect(invalid.sort()).toEqual(["depthMax", "kernel", "m", "normalized", "precision", "rho1", "sigmaW"]);
    const text = problems.map((p) => p.message).join("\n");
    expect(text).toMatch(/“points m” is "1": it must be a whole number from 2 to 40\./);
    expect(text).toMatch(/“ρ1 = x·x′” is "2": it must be a decimal from −1 to 1/);
    expect(text).toMatch(/“high precision, digits” is "5": it must be 0 \(float64 only\) or 20 to 1000/);
    expect(text).toMatch(/“σw” is "-1": it must be a decimal > 0/);
    // URL keys never appear in messages.
    expect(text).not.toMatch(/\b(L0|L1|digits|sw)=/);
  });

  it("takes depths to 10^18, but no digits that a float64 would round", () => {
    expect(stateFromQuery("L1=1e18").state.depthMax).toBe(1e18);
    expect(stateFromQuery("L1=1000000000000000000").problems).toEqual([]);
    expect(stateFromQuery("L1=1000000000000000001").invalid).toEqual(["depthMax"]);
    expect(stateFromQuery("L1=2e18").invalid).toEqual(["depthMax"]);
  });

  it("takes whole numbers in any notation a number field offers, and no fractions", () => {
    expect(stateFromQuery("L1=1e3&m=4.0").state).toMatchObject({ depthMax: 1000, m: 4 });
    expect(stateFromQuery("L1=1e3&m=4.0").problems).toEqual([]);
    expect(stateFromQuery("m=4.5").invalid).toEqual(["m"]);
    expect(stateFromQuery("L1=").problems[0].message).toMatch(/“depth to” is empty/);
  });

  it("checks row ranges against the chosen built-in data set, with the library's messages", () => {
    expect(stateFromQuery("src=iris&train=0:150:2&test=1:150:5").problems).toEqual([]);
    const { problems, invalid } = stateFromQuery("src=iris&train=0:200&test=0:10000");
    expect(invalid).toEqual(["trainRange", "testRange"]);
    expect(problems[0].message).toMatch(/^“training rows” is "0:200": .*150/);
    // MNIST has 10 000 rows, but a run takes at most MAX_TRAIN_ROWS of them.
    expect(stateFromQuery("src=mnist&train=0:1000").problems[0].message).toMatch(/selects 1000 rows; at most 200 .* 0:1000:5/);
    // Ranges are not checked (nor kept in the URL) while another source is chosen.
    expect(stateFromQuery("src=random&train=0:100000").problems).toEqual([]);
  });

  it("reports a reversed depth range without swapping it (nothing is run)", () => {
    const { state, problems, invalid } = stateFromQuery("L0=100&L1=50");
    expect(problems.map((p) => p.message)).toEqual(["“depth from” (100) is larger than “depth to” (50): make it smaller or equal."]);
    expect(invalid).toEqual(["depthMin", "depthMax"]);
    expect([state.depthMin, state.depthMax]).toEqual([DEFAULT_STATE.depthMin, DEFAULT_STATE.depthMax]);
  });
});

describe("logSpacedDepths", () => {
  it("returns ascending distinct integers in [min, max] including both ends", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e9 }), fc.integer({ min: 1, max: 1e9 }), fc.integer({ min: 2, max: 200 }), (a, b, count) => {
        const [min, max] = a <= b ? [a, b] : [b, a];
        const d = logSpacedDepths(min, max, count);
        expect(d[0]).toBe(min);
        expect(d[d.length - 1]).toBe(max);
        expect(d.length).toBeLessThanOrEqual(Math.min(count, max - min + 1));
        for (let i = 1; i < d.length; i++) expect(d[i]).toBeGreaterThan(d[i - 1]);
        expect(d.every(Number.isInteger)).toBe(true);
      }),
    );
  });

  it("spreads evenly in log L: 1 … 1000 in 4 is 1, 10, 100, 1000", () => {
    expect(logSpacedDepths(1, 1000, 4)).toEqual([1, 10, 100, 1000]);
    expect(logSpacedDepths(7, 7, 10)).toEqual([7]);
    expect(logSpacedDepths(1, 1e18, 7)).toEqual([1, 1e3, 1e6, 1e9, 1e12, 1e15, 1e18]);
  });
});

describe("the page's preset links", () => {
  it("are URLs of valid states", () => {
    const html = readFileSync(new URL("../web/index.html", import.meta.url), "utf8");
    const links = [...html.matchAll(/href="(\?[^"]*)"/g)].map((m) => m[1].replaceAll("&amp;", "&"));
    expect(links.length).toBeGreaterThanOrEqual(3);
    for (const link of links) expect(stateFromQuery(link).problems, link).toEqual([]);
  });
});
