/**
 * The explorer's Web Worker: runs one job at a time off the page's thread, posts progress, and
 * cancels through an AbortController when asked (the library checks the signal at its yield
 * points, every ~20 ms). A new run cancels the one in flight: the page gives the finite-width
 * runs a worker of their own, so that they and the explorer runs do not cancel each other.
 */
import type { WorkerReply, WorkerRequest } from "./protocol.js";
import { builtinFiles } from "./builtinFiles.js";
import { runExplorer } from "./run.js";
import { widthSeries } from "./widthSeries.js";
import { isNtkError } from "../src/index.js";

/** Built-in data files, fetched at most once per worker. */
const files = builtinFiles();

let current: { id: number; controller: AbortController } | null = null;

function reply(message: WorkerReply): void {
  postMessage(message);
}

addEventListener("message", (event: MessageEvent<WorkerRequest>) => {
  const request = event.data;
  if (request.type === "cancel") {
    if (current?.id === request.id) current.controller.abort(new Error("cancelled from the page"));
    return;
  }
  current?.controller.abort(new Error("superseded by a newer run"));
  const job = { id: request.id, controller: new AbortController() };
  current = job;
  const sink = (phase: string, done: number, total: number) => reply({ type: "progress", id: job.id, phase, done, total });
  const run: Promise<WorkerReply> =
    request.type === "width"
      ? widthSeries(
          request.state,
          request.width,
          { signal: job.controller.signal, onProgress: (done, total) => sink("sampled networks", done, total) },
          files,
        ).then((result) => ({ type: "widthResult", id: job.id, result }))
      : runExplorer(request.state, sink, job.controller.signal, (depths, pair) => reply({ type: "pair", id: job.id, depths, pair }), files).then((result) => ({
          type: "result",
          id: job.id,
          result,
        }));
  run
    .then(reply, (error: unknown) =>
      reply({
        type: "error",
        id: job.id,
        code: isNtkError(error) ? error.code : "INTERNAL",
        message: error instanceof Error ? error.message : String(error),
      }),
    )
    .finally(() => {
      if (current === job) current = null;
    });
});
