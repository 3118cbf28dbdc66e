/**
 * The explorer's Web Worker: runs one job at a time off the page's thread, posts progress, and
 * cancels through an AbortController when asked (the library checks the signal at its yield
 * points, every ~20 ms). A new run cancels the one in flight.
 */
import { isNtkError } from "../src/index.js";
import type { WorkerReply, WorkerRequest } from "./protocol.js";
import { builtinFiles } from "./builtinFiles.js";
import { runExplorer } from "./run.js";

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
  runExplorer(
    request.state,
    (phase, done, total) => reply({ type: "progress", id: job.id, phase, done, total }),
    job.controller.signal,
    (depths, pair) => reply({ type: "pair", id: job.id, depths, pair }),
    files,
  )
    .then(
      (result) => reply({ type: "result", id: job.id, result }),
      (error: unknown) =>
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
