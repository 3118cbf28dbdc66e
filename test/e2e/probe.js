// @ts-check
/**
 * One fixed float64 computation through the public API, written as plain JavaScript so that the
 * very same file runs in Node (against the sources) and in Chromium (against the browser bundle).
 * Every result is returned as the exact hex of its float64 bits, so the two runs can be compared
 * bit for bit.
 */

/** The 16 hex digits of the float64 bit pattern of `x` (big-endian). */
export function float64Hex(x) {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  return view.getBigUint64(0).toString(16).padStart(16, "0");
}

/**
 * Two 32-bit FNV-1a hashes (different offsets) of the bytes of float64 arrays, as 16 hex digits:
 * compares large results bit for bit without shipping them whole.
 */
function bitsDigest(arrays) {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (const a of arrays) {
    const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    for (let i = 0; i < bytes.length; i++) {
      h1 = Math.imul(h1 ^ bytes[i], 16777619) >>> 0;
      h2 = Math.imul(h2 ^ bytes[i], 2246822519) >>> 0;
    }
  }
  return h1.toString(16).padStart(8, "0") + h2.toString(16).padStart(8, "0");
}

/**
 * The Gram fill, the LU factorization and a solve with many right-hand sides, and a t = ∞
 * predictor (blocked Cholesky and its solves) on 1, 2 and 3 threads (sizes above the thresholds
 * at which the library uses its workers): one digest each.
 * @param {any} ntk
 */
async function threadRuns(ntk) {
  const points = ntk.projectToSphereFloat64({ m: 300, n0: 5, coords: rawCoords(1500, 99) }, "normalize");
  const n = 400;
  const k = 450;
  const a = rawCoords(n * n, 5);
  for (let i = 0; i < n; i++) a[i * n + i] += 4;
  const b = rawCoords(n * k, 6);
  // Exactly symmetric, and positive definite by a margin (random ±1 entries: spectral radius ≈ 2·√(2n/3)).
  const spd = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) spd[i * n + j] = a[i * n + j] + a[j * n + i] + (i === j ? 60 : 0);
  const out = {};
  for (const threads of [1, 2, 3]) {
    const [g] = (await ntk.gramThroughDepthFloat64({ points, depths: [100], threads })).grams;
    const lu = await ntk.luFactorFloat64(a, n, { threads });
    const x = await lu.solveAsync(b, k);
    out[`threads${threads}`] = [
      bitsDigest([g.sigmaNormalized, g.oneMinusSigmaNormalized, g.ntkNormalized, g.oneMinusNtkNormalized]),
      bitsDigest([lu.factors]),
      bitsDigest([x]),
      bitsDigest(await predictorRun(ntk, spd, n, b, k, threads)),
    ];
  }
  return out;
}

/**
 * Mean and weights of kernel regression at t = ∞ with the n × n kernel `spd` (Cholesky, threaded
 * from n = 400; the solve for the k test rows `b` threaded from 2n²k ≥ 2^27 flops).
 * @param {any} ntk
 */
async function predictorRun(ntk, spd, n, b, k, threads) {
  const predictor = await ntk.createPredictor({ kernel: "nngp", m: n, targets: b.subarray(0, n), trainNngp: spd, threads });
  const r = await predictor.predict({ testNngp: b });
  if (r.solver !== "cholesky") throw new Error(`expected the Cholesky solver, got ${r.solver}`);
  return [r.weights, r.mean];
}

/** Deterministic raw coordinates in (−1, 1) from a 32-bit linear congruential generator. */
export function rawCoords(count, seed) {
  const out = new Float64Array(count);
  let s = seed >>> 0;
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/**
 * Runs the probe against a namespace holding the public API (`import * as ntk`), returning
 * named lists of float64 bit patterns.
 * @param {any} ntk
 * @returns {Promise<Record<string, string[]>>}
 */
export async function runProbe(ntk) {
  const m = 6;
  const n0 = 4;
  const raw = { m, n0, coords: rawCoords(m * n0, 20251107) };
  const onSphere = ntk.projectToSphereFloat64(raw, "normalize");
  const stereo = ntk.projectToSphereFloat64({ m, n0: n0 - 1, coords: rawCoords(m * (n0 - 1), 7) }, "stereographic");

  // Cosine matrix of the projected points plus a small multiple of the identity: a well-posed
  // LU problem whose every entry depends on the projection's last bits.
  const cosine = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      let dot = 0;
      for (let k = 0; k < n0; k++) dot += onSphere.coords[i * n0 + k] * onSphere.coords[j * n0 + k];
      cosine[i * m + j] = dot + (i === j ? 0.125 : 0);
    }
  }
  const analysis = await ntk.analyzeMatrixFloat64(cosine, m);
  const lu = await ntk.luFactorFloat64(cosine, m);
  const rhs = Float64Array.from({ length: m }, (_, i) => i + 1);

  const { grams } = await ntk.gramThroughDepthFloat64({ points: onSphere, depths: [1, 2, 50, 3000] });
  const { grams: gramsScalar } = await ntk.gramThroughDepthFloat64({ points: onSphere, depths: [2, 3000], variant: "scalar" });
  const analysisScalar = await ntk.analyzeMatrixFloat64(cosine, m, { variant: "scalar" });
  const pairs = [];
  for (const method of ["stable", "textbook"]) {
    for (const rho1 of ["0.9999999", "-0.3", "0.5"]) {
      pairs.push(
        await ntk.pairThroughDepthFloat64({ rho1, depth: 100000, at: [1, 2, 77, 100000], method, params: { sigmaW: "1.3", sigmaB: "0.2" }, inputDim: 3 }),
      );
    }
  }
  const paperPair = await ntk.pairThroughDepth({ rho1: "0.9999999", depth: 1000000, at: [1, 1000, 1000000] });
  const precisePair = await ntk.pairThroughDepthPrecise({ rho1: "0.9999999", depth: 200, at: [1, 7, 200], precision: 30 });

  // A sampled finite network (SplitMix64 weights, Box–Muller with the module's own ln, cos, sin).
  const network = { points: onSphere, depth: 4, width: [7, 5, 6], params: { sigmaW: "1.3", sigmaB: "0.2" }, seed: 12345678901234567890n };
  const finite = await ntk.empiricalKernels(network);
  const finiteScalar = await ntk.empiricalKernels({ ...network, variant: "scalar" });
  const monteCarlo = await ntk.monteCarloKernels({ points: onSphere, depth: 3, width: 6, samples: 3, seed: 5 });

  const hex = (values) => Array.from(values, float64Hex);
  const threads = await threadRuns(ntk);
  return {
    // The same digests for every thread count, in Node and in Chromium (where a page that is not
    // cross-origin isolated runs them all on one thread).
    ...threads,
    // The scalar build (hosts without SIMD run it) must agree across hosts too.
    gramScalar: gramsScalar.flatMap((g) => hex([...g.sigmaNormalized, ...g.ntkNormalized, g.ntkDiag])),
    analysisScalar: hex([analysisScalar.det, analysisScalar.log10AbsDet, analysisScalar.conditionEstimate]),
    gram: grams.flatMap((g) =>
      hex([...g.sigmaNormalized, ...g.oneMinusSigmaNormalized, ...g.ntkNormalized, ...g.oneMinusNtkNormalized, g.sigmaDiag, g.ntkDiag, g.log2Scale]),
    ),
    pair: [...pairs, paperPair].flatMap((r) =>
      r.points.flatMap((p) =>
        hex([p.rho, p.oneMinusRho, p.theta, p.ntkNormalized, p.oneMinusNtkNormalized, p.log2Scale, p.sigma, p.ntk, p.sigmaDiag, p.ntkDiag, p.sigmaDot ?? -1]),
      ),
    ),
    // Decimal results are compared as their text (the BigInt arithmetic is exact, so it must agree too).
    precisePair: precisePair.points.flatMap((p) => [p.oneMinusRho.toString(), p.oneMinusNtkNormalized.toString(), String(p.digitsVouched.oneMinusRho)]),
    finiteNetwork: [finite, finiteScalar].flatMap((r) => hex([...r.outputs, ...r.ntk, ...r.sigma])),
    monteCarlo: hex([
      ...monteCarlo.ntk.entries.flatMap((e) => [e.mean, e.std]),
      monteCarlo.ntk.diagSecondMomentRatio.value,
      monteCarlo.nngp.diagScaledMean.value,
    ]),
    normalize: hex(onSphere.coords),
    stereographic: hex(stereo.coords),
    analysis: hex([analysis.det, analysis.log10AbsDet, analysis.signDet, analysis.conditionEstimate, analysis.digitsKept, analysis.pivotGrowth]),
    solve: hex(lu.solve(rhs, 1)),
  };
}
