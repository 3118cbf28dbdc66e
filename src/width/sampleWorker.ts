/**
 * Worker-thread side of sampleWorkers.ts: receives a Monte Carlo job once, then network indices one
 * at a time, and posts each network's raw kernels back. Node only.
 */
import { parentPort } from "node:worker_threads";
import { loadPrivateWasmEngine, type WasmEngine } from "../wasm/engine.js";
import { computeSample, jobPasses, type SampleJob } from "./monteCarlo.js";
import type { NetworkPasses } from "./passes.js";

type Message = { job: SampleJob } | { index: number };

let engine: WasmEngine | undefined;
let passes: NetworkPasses | undefined;
let job: SampleJob | undefined;

parentPort!.on("message", async (message: Message) => {
  try {
    if ("job" in message) {
      job = message.job;
      engine = await loadPrivateWasmEngine(job.variant);
      passes = jobPasses(engine, job);
      parentPort!.postMessage({ ready: true });
      return;
    }
    const sample = await computeSample(engine!, passes!, job!, message.index);
    parentPort!.postMessage({ index: message.index, ntk: sample.ntk, sigma: sample.sigma }, [
      sample.ntk.buffer as ArrayBuffer,
      sample.sigma.buffer as ArrayBuffer,
    ]);
  } catch (e) {
    parentPort!.postMessage({
      error:
        e instanceof Error
          ? { message: e.message, code: (e as { code?: string }).code, details: (e as { details?: unknown }).details }
          : { message: String(e) },
    });
  }
});
