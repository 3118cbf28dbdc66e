/**
 * Progress of high-precision Gram determinants covers every phase: the pair recursion, the
 * comparison of the two runs, and the decimal LUs, each reported under its name from 0 to its
 * own total, so that a bar never waits at 100% while work goes on; and the LUs yield to the event
 * loop, so that an abort (Ctrl-C in the CLI) is honoured in the middle of them.
 */
import { describe, expect, it } from "vitest";
import { DETERMINANT_PHASE, GRAM_PHASE, VOUCH_PHASE, gramDeterminantsVouched } from "../src/gram/precise.js";
import { offsetSteps, runSteps, runStepsSync, ProgressTicker, type Steps } from "../src/progress.js";
import { randomGaussianPoints } from "../src/study/randomData.js";

interface Event {
  readonly done: number;
  readonly total: number;
  readonly phase: string | undefined;
}

describe("phases of a precise Gram determinant run", () => {
  it("reports the Gram runs, their comparison and the LUs in order, each ending at its total", async () => {
    const events: Event[] = [];
    await gramDeterminantsVouched(
      {
        data: randomGaussianPoints(5, 3, 7),
        projection: "normalize",
        depths: [2, 3],
        precision: 20,
        onProgress: (done, total, phase) => events.push({ done, total, phase }),
      },
      "ntk",
      true,
    );
    const phases = events.map((e) => e.phase).filter((p, i, all) => i === 0 || p !== all[i - 1]);
    expect(phases.slice(0, 3)).toEqual([GRAM_PHASE, VOUCH_PHASE, DETERMINANT_PHASE]);
    for (const e of events) expect(e.done).toBeLessThanOrEqual(e.total);
    // The last event of each phase reports it complete.
    for (let i = 0; i < events.length; i++) {
      if (i === events.length - 1 || events[i + 1].phase !== events[i].phase) expect(events[i].done).toBe(events[i].total);
    }
  });

  it("an abort during the decimal LUs ends the run with ABORTED", async () => {
    const controller = new AbortController();
    const run = gramDeterminantsVouched(
      {
        data: randomGaussianPoints(40, 3, 11),
        projection: "normalize",
        depths: [2],
        precision: 20,
        signal: controller.signal,
        onProgress: (done, total, phase) => {
          if (phase === DETERMINANT_PHASE && done < total) controller.abort(new Error("test"));
        },
      },
      "ntk",
      true,
    );
    await expect(run).rejects.toMatchObject({ code: "ABORTED" });
  });
});

describe("resumable steps", () => {
  function* count(n: number): Steps<string> {
    for (let i = 1; i <= n; i++) yield i;
    return `counted ${n}`;
  }
  it("run to the same result synchronously and paced, with offsets added to the counts", async () => {
    expect(runStepsSync(count(5))).toBe("counted 5");
    const seen: number[] = [];
    const ticker = new ProgressTicker({ onProgress: (done) => seen.push(done) }, 20, 1, "counting");
    expect(await runSteps(offsetSteps(count(5), 10), ticker)).toBe("counted 5");
    ticker.finish();
    expect(seen[seen.length - 1]).toBe(20);
    for (const s of seen.slice(0, -1)) expect(s).toBeGreaterThan(10);
  });
});
