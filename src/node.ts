/**
 * `ntk-depth/node`: the parts of the library that need Node itself (worker_threads), kept out of
 * the core so that `ntk-depth` stays importable in browsers. `sampleWorkerRunner(threads)` is a
 * Monte Carlo runner for `monteCarloKernels({ …, runner })` that computes whole networks on Node
 * worker threads, with the same bits as on one thread.
 */
export { sampleWorkerRunner, defaultThreads } from "./width/sampleWorkers.js";
