/**
 * Classification by kernel regression (src/predict/classes.ts, predict's `targets: "onehot"`,
 * predict/spectral.ts): one-hot targets, argmax and accuracy, class columns in CSV and JSON, the
 * CLI's --targets onehot, and MNIST accuracy at several depths against an mpmath reference
 * (test/fixtures/mnist_classification.json from scripts/fixtures/mnist_classification.py).
 */
import { Decimal } from "decimal.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadBuiltinDataset } from "../src/data/builtin.js";
import { nodeBuiltinDataFiles } from "../src/data/builtinFiles.js";
import { parseDatasetCsv } from "../src/data/csv.js";
import { datasetFromArrays } from "../src/data/dataset.js";
import { parseDatasetJson } from "../src/data/json.js";
import { gramThroughDepthFloat64 } from "../src/gram/float64.js";
import { accuracy, argmaxClasses, classify, oneHotTargets, testClassIndices } from "../src/predict/classes.js";
import { predict, predictThroughDepth } from "../src/predict/fromData.js";
import { spectralPredictor } from "../src/predict/spectral.js";
import { sliceUnion, unionPoints } from "../src/predict/union.js";
import { projectToSphereFloat64 } from "../src/sphere/float64.js";
import fixture from "./fixtures/mnist_classification.json" with { type: "json" };
import { cli, cliJson } from "./support/cli.js";
import { codeOf, expectCode } from "./support/errors.js";

const files = { files: nodeBuiltinDataFiles };
const labelled = (classes: (string | number)[], points = classes.map((_, i) => [1, i + 1])) => datasetFromArrays({ points, classes, source: "toy" });

describe("one-hot targets", () => {
  it("carry exact decimal text when 1/C has a finite decimal (C = 2^a 5^b)", () => {
    const { train } = oneHotTargets(labelled(["a", "b", "c", "d", "e", "a"]));
    expect(train.targetText![0]).toEqual(["0.8", "-0.2", "-0.2", "-0.2", "-0.2"]);
  });

  it("are one-hot rows minus 1/C, columns in numeric class order when every class is a number", () => {
    const { classes, train } = oneHotTargets(labelled(["10", "9", "2", "9"]));
    expect(classes).toEqual(["2", "9", "10"]);
    expect(train.k).toBe(3);
    const [o, z] = [1 - 1 / 3, -1 / 3];
    expect(Array.from(train.targets!)).toEqual([z, z, o, z, o, z, o, z, z, z, o, z]);
    // 1/3 has no finite decimal: the high-precision path reads the float64 values.
    expect(train.targetText).toBeUndefined();
    expect(oneHotTargets(labelled(["b", "a", "b"])).classes).toEqual(["b", "a"]);
  });

  it("sum to 0 in every row (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom("a", "b", "c", "d", "e"), { minLength: 1, maxLength: 30 }), (labels) => {
        const { classes, train } = oneHotTargets(labelled(labels));
        for (let i = 0; i < labels.length; i++) {
          const row = Array.from(train.targets!.subarray(i * classes.length, (i + 1) * classes.length));
          expect(Math.abs(row.reduce((a, b) => a + b, 0))).toBeLessThan(1e-15);
          expect(row.indexOf(Math.max(...row))).toBe(classes.indexOf(labels[i]));
        }
      }),
    );
  });

  it("need class labels, and test classes must be training classes", () => {
    const none = datasetFromArrays({ points: [[1, 0]], labels: [1], source: "plain.json" });
    expect(codeOf(() => oneHotTargets(none))).toBe("NO_CLASS_LABELS");
    expect(() => oneHotTargets(none)).toThrow(/plain.json has no class labels.*"class".*"classes"/);
    expect(codeOf(() => testClassIndices(labelled(["a", "z"]), ["a", "b"]))).toBe("UNKNOWN_CLASS");
    expect(() => testClassIndices(labelled(["a", "z"]), ["a", "b"])).toThrow(/point 2 has class "z".*training classes are "a", "b"/);
    expect(testClassIndices(datasetFromArrays({ points: [[1, 0]] }), ["a"])).toBeNull();
  });
});

describe("argmax and accuracy", () => {
  it("take the first largest column and count matches", () => {
    expect(Array.from(argmaxClasses([0.1, 0.3, 0.3, -1, -2, -0.5], 3))).toEqual([1, 2]);
    expect(Array.from(argmaxClasses([new Decimal("0.1"), new Decimal("0.10000000000000000000001")], 2))).toEqual([1]);
    expect(accuracy(Int32Array.from([0, 1, 2, 2]), Int32Array.from([0, 1, 1, 2]))).toBe(0.75);
    expect(codeOf(() => accuracy(Int32Array.from([0]), Int32Array.from([0, 1])))).toBe("DIMENSION_MISMATCH");
  });

  it("report the majority-class rate beside the accuracy", () => {
    const encoding = oneHotTargets(labelled(["a", "b", "b"]));
    const c = classify([0.9, 0.1, 0.2, 0.8], encoding, Int32Array.from([0, 0]));
    expect(c.predictedClass).toEqual(["a", "b"]);
    expect(c.accuracy).toBe(0.5);
    expect(c.majorityClass).toBe("b");
    expect(c.majorityRate).toBe(0);
  });
});

describe("class columns in data files", () => {
  it('CSV: a column named class (any case) holds the labels; JSON: the field "classes"', () => {
    const csv = parseDatasetCsv("x1,Class,x2,y\n1,cat,0,0.5\n0,dog,1,-0.5\n", "pets.csv");
    expect(csv.n0).toBe(2);
    expect(csv.classes).toEqual(["cat", "dog"]);
    expect(Array.from(csv.targets!)).toEqual([0.5, -0.5]);
    const json = parseDatasetJson('{"points": [[1, 0], [0, 1]], "classes": ["cat", 7]}', "pets.json");
    expect(json.classes).toEqual(["cat", "7"]);
  });

  it("reject two class columns, an empty class and a wrong count", async () => {
    await expectCode(() => parseDatasetCsv("x,class,CLASS\n1,a,b\n", "two.csv"), "FILE_MALFORMED", /2 columns are named "class"/);
    await expectCode(() => parseDatasetCsv("x,class\n1,\n", "empty.csv"), "FILE_MALFORMED", /empty.csv line 2, column "class" is "".*non-empty text/);
    await expectCode(() => parseDatasetJson('{"points": [[1]], "classes": [null]}', "n.json"), "FILE_MALFORMED", /class of point 1 is null/);
    await expectCode(() => parseDatasetJson('{"points": [[1]], "classes": ["a", "b"]}', "n.json"), "DIMENSION_MISMATCH", /1 points but 2 class labels/);
  });
});

describe("predict with targets: onehot", () => {
  it("adds predicted classes and the accuracy, and rejects bad targets", async () => {
    const [train, test] = await Promise.all([loadBuiltinDataset("iris[0:150:2]", files), loadBuiltinDataset("iris[1:150:2]", files)]);
    const r = await predict({ train, test, depth: 3, normalized: true, targets: "onehot" });
    expect(r.k).toBe(3);
    expect(r.classification!.classes).toEqual(["setosa", "versicolor", "virginica"]);
    expect(r.classification!.predictedClass).toHaveLength(75);
    expect(r.classification!.accuracy).toBeGreaterThan(0.9);
    expect(
      (
        await predict({
          train: datasetFromArrays({
            points: [
              [1, 0, 0, 0],
              [0, 1, 0, 0],
            ],
            labels: [1, 2],
          }),
          test,
          depth: 3,
        })
      ).classification,
    ).toBeNull();
    await expectCode(() => predict({ train, test, depth: 3, targets: "bogus" as never }), "BAD_OPTION", /targets must be "values" or "onehot"/);
    await expectCode(
      () => predict({ train: datasetFromArrays({ points: [[1, 0]], labels: [1] }), test, depth: 3, targets: "onehot" }),
      "NO_CLASS_LABELS",
      /no class labels/,
    );
    const setosa = await loadBuiltinDataset("iris[0:50]", files);
    await expectCode(
      () => predict({ train: setosa, test, depth: 3, targets: "onehot" }),
      "UNKNOWN_CLASS",
      /"versicolor", which no training point has; the training classes are "setosa"/,
    );
  });

  it("the CLI prints classes and accuracy, in the table and as JSON", async () => {
    const j = await cliJson<{ accuracy: string; predictedClass: string[]; trueClass: string[]; classes: string[]; majorityRate: string }>(
      "predict",
      "--train",
      "iris[0:150:2]",
      "--test",
      "iris[1:150:10]",
      "--depth",
      "3",
      "--targets",
      "onehot",
      "--json",
    );
    expect(j.classes).toEqual(["setosa", "versicolor", "virginica"]);
    // Rows 1, 11, …, 141: five of each species.
    expect(j.predictedClass).toHaveLength(15);
    expect(j.trueClass).toEqual(["setosa", "versicolor", "virginica"].flatMap((c) => Array(5).fill(c)));
    expect(j.accuracy).toBe(String(j.predictedClass.filter((c, i) => c === j.trueClass[i]).length / 15));
    expect(j.majorityRate).toBe("0.3333333333333333");
    const text = await cli("predict", "--train", "iris[0:150:2]", "--test", "iris[1:150:10]", "--depth", "3", "--targets", "onehot");
    expect(text.out).toMatch(
      /Accuracy [\d.]+ \(\d+ of 15 test points\);\s+always\s+answering\s+the\s+most\s+frequent\s+training\s+class\s+\(setosa\)\s+would\s+score\s+0\.3333333333333333/,
    );
    const bad = await cli("predict", "--train", "examples/train.json", "--test", "examples/test.json", "--depth", "3", "--targets", "onehot");
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/error NO_CLASS_LABELS/);
  });
});

describe("MNIST kernel-regression accuracy against the mpmath reference", () => {
  type Case = (typeof fixture.cases)[number];
  const relativeError = (got: ArrayLike<number>, c: Case) => {
    const want = c.predictions.flat().map(Number);
    const scale = Math.max(...want.map(Math.abs));
    return Math.max(...want.map((w, i) => Math.abs(got[i] - w))) / scale;
  };

  it("predict (t = ∞) matches predictions, classes and accuracy at L = 2, 10, 100, 1000", async () => {
    const [train, test] = await Promise.all([loadBuiltinDataset(fixture.train, files), loadBuiltinDataset(fixture.test, files)]);
    expect(train.classes).toEqual(fixture.trainOrder.map(([d]) => String(d)));
    for (const kernel of ["ntk", "nngp"] as const) {
      const results = await predictThroughDepth({ train, test, depths: [2, 10, 100, 1000], kernel, normalized: true, targets: "onehot" });
      for (const r of results) {
        const c = fixture.cases.find((x) => x.depth === r.depth && x.kernel === kernel && x.time === "inf")!;
        expect(relativeError(r.float64!.predictions, c), `${kernel} L = ${r.depth}`).toBeLessThan(1e-10);
        expect(Number(c.smallestGap)).toBeGreaterThan(1e-6);
        expect(r.classification!.predictedClass).toEqual(c.predictedClass);
        expect(r.classification!.accuracy).toBe(Number(c.accuracy));
      }
    }
  });

  it("the spectral predictor matches at t = ∞ and s = 10", async () => {
    const [train, test] = await Promise.all([loadBuiltinDataset(fixture.train, files), loadBuiltinDataset(fixture.test, files)]);
    const { train: onehot } = oneHotTargets(train);
    const points = unionPoints(projectToSphereFloat64(train, "normalize"), projectToSphereFloat64(test, "normalize"));
    for (const g of (await gramThroughDepthFloat64({ points, depths: [2, 100] })).grams) {
      for (const kernel of ["ntk", "nngp"] as const) {
        const { train: k, test: kx } = sliceUnion(kernel === "ntk" ? g.ntkNormalized : g.sigmaNormalized, train.m, test.m);
        const predictor = await spectralPredictor(k, train.m);
        for (const [s, time] of [
          [Infinity, "inf"],
          [10, "10"],
        ] as const) {
          const c = fixture.cases.find((x) => x.depth === g.depth && x.kernel === kernel && x.time === time)!;
          const f = predictor.predict(kx, onehot.targets!, 10, s);
          expect(relativeError(f, c), `${kernel} L = ${g.depth} ${time}`).toBeLessThan(1e-9);
          expect(Array.from(argmaxClasses(f, 10), String)).toEqual(c.predictedClass);
        }
      }
    }
  });

  it("the high-precision path gives the reference classes and digits", async () => {
    const [train, test] = await Promise.all([loadBuiltinDataset(fixture.train, files), loadBuiltinDataset(fixture.test, files)]);
    const r = await predict({ train, test, depth: 10, normalized: true, targets: "onehot", precision: 20 });
    const c = fixture.cases.find((x) => x.depth === 10 && x.kernel === "ntk" && x.time === "inf")!;
    expect(r.classification!.predictedClass).toEqual(c.predictedClass);
    const vouched = r.precise!.digitsVouched.predictions;
    expect(vouched).toBeGreaterThanOrEqual(15);
    const scale = Math.max(...c.predictions.flat().map((x) => Math.abs(Number(x))));
    r.precise!.predictions.forEach((p, i) => expect(p.minus(c.predictions.flat()[i]).abs().toNumber()).toBeLessThanOrEqual(scale * 10 ** -(vouched - 1)));
  });
});
