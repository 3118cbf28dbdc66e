import { describe, expect, it } from "vitest";
import { PassThrough } from "node:stream";
import { withProgress } from "../src/cli/progressBar.js";
import { ProgressTicker } from "../src/progress.js";

/** A computation that runs until aborted, reporting progress through a ProgressTicker. */
async function spinUntilAborted(options: Parameters<Parameters<typeof withProgress>[2]>[0]): Promise<string> {
  const ticker = new ProgressTicker(options, 1e12, 1);
  for (let i = 0; ; i++) await ticker.tick(i);
}

describe("withProgress", () => {
  it("turns SIGINT into an ABORTED error and removes its handler afterwards", async () => {
    const before = process.listenerCount("SIGINT");
    const sink = { showBar: false, stream: new PassThrough() };
    const timer = setTimeout(() => process.emit("SIGINT"), 30);
    await expect(withProgress("spin", sink, spinUntilAborted)).rejects.toMatchObject({ code: "ABORTED", message: expect.stringMatching(/Ctrl-C/) });
    clearTimeout(timer);
    expect(process.listenerCount("SIGINT")).toBe(before);
  });
  it("returns the computation's result and draws nothing for short runs", async () => {
    const stream = new PassThrough();
    let written = "";
    stream.on("data", (chunk: Buffer) => (written += chunk.toString()));
    const result = await withProgress("quick", { showBar: true, stream }, async (options) => {
      options.onProgress?.(1, 2);
      options.onProgress?.(2, 2);
      return 42;
    });
    expect(result).toBe(42);
    expect(written).toBe("");
  });
});
