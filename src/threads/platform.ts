/**
 * What the host offers for threads, in Node (worker_threads) and in browsers (Web Workers), without
 * a static import of any Node built-in, so that the browser bundle stays free of them: Node's
 * modules are reached through `process.getBuiltinModule` (Node ≥ 20.16) or a dynamic import whose
 * specifier bundlers do not follow.
 */

/** The worker side of the pool: a plain script, the same in Node and in browsers. */
const WORKER_SOURCE = `
const inBrowser = typeof WorkerGlobalScope !== "undefined";
const port = inBrowser ? self : require("worker_threads").parentPort;
let ex = null;
const onMessage = (msg) => {
  try {
    if (msg.module) {
      const abort = (_m, _f, line, column) => { throw new Error("ntk-depth WebAssembly abort at " + line + ":" + column); };
      ex = new WebAssembly.Instance(msg.module, { env: { memory: msg.memory, abort } }).exports;
      ex.setThreadSlot(msg.slot);
    } else {
      const f = ex[msg.fn];
      const tasks = msg.tasks;
      for (let i = Atomics.add(msg.counter, 0, 1); i < tasks.length; i = Atomics.add(msg.counter, 0, 1)) f(...tasks[i]);
    }
    port.postMessage({ ok: true });
  } catch (e) {
    port.postMessage({ ok: false, error: String((e && e.stack) || e) });
  }
};
if (inBrowser) self.onmessage = (e) => onMessage(e.data); else port.on("message", onMessage);
`;

/** A started worker running WORKER_SOURCE. */
export interface PoolWorker {
  post(message: unknown): void;
  /** Sets the one handler of the worker's replies (and of its crash, as a reply with ok false). */
  onReply(handler: (reply: { ok: boolean; error?: string }) => void): void;
  /** Node: whether an idle worker may keep the process alive (never, between runs). */
  hold(busy: boolean): void;
  terminate(): void;
}

interface NodeWorkerThreads {
  Worker: new (
    source: string,
    options: { eval: true },
  ) => {
    postMessage(m: unknown): void;
    on(event: "message" | "error", f: (x: never) => void): void;
    ref(): void;
    unref(): void;
    terminate(): Promise<number>;
  };
}

interface NodeProcess {
  versions?: { node?: string };
  getBuiltinModule?: (id: string) => unknown;
}

function nodeProcess(): NodeProcess | undefined {
  const p = (globalThis as { process?: NodeProcess }).process;
  return p?.versions?.node ? p : undefined;
}

/** A Node built-in by its bare name ("os", "worker_threads"), or undefined outside Node. */
async function nodeBuiltin<T>(name: string): Promise<T | undefined> {
  const p = nodeProcess();
  if (!p) return undefined;
  if (p.getBuiltinModule) return p.getBuiltinModule(name) as T;
  const specifier = name;
  return (await import(/* @vite-ignore */ specifier)) as T;
}

/**
 * True when shared WebAssembly memory can be used: SharedArrayBuffer exists and, in a browser,
 * the page is cross-origin isolated (served with COOP: same-origin and COEP: require-corp).
 */
export function sharedMemoryAvailable(): boolean {
  if (typeof SharedArrayBuffer === "undefined" || typeof Atomics === "undefined") return false;
  return (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !== false;
}

/** The number of cores the host reports (os.availableParallelism in Node, navigator.hardwareConcurrency in browsers), at least 1. */
export async function hardwareThreads(): Promise<number> {
  const os = await nodeBuiltin<{ availableParallelism?: () => number; cpus(): unknown[] }>("os");
  const n = os
    ? (os.availableParallelism?.() ?? os.cpus().length)
    : (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  return Number.isInteger(n) && (n as number) >= 1 ? (n as number) : 1;
}

let workerUrl: string | undefined;

/** Starts one pool worker: a worker_threads Worker in Node, a Web Worker from a Blob URL in browsers. */
export async function startWorker(): Promise<PoolWorker> {
  const threads = await nodeBuiltin<NodeWorkerThreads>("worker_threads");
  if (threads) {
    const w = new threads.Worker(WORKER_SOURCE, { eval: true });
    w.unref();
    return {
      post: (m) => w.postMessage(m),
      onReply(handler) {
        w.on("message", handler);
        w.on("error", (e: Error) => handler({ ok: false, error: String(e?.stack ?? e) }));
      },
      hold: (busy) => (busy ? w.ref() : w.unref()),
      terminate: () => void w.terminate(),
    };
  }
  // One Blob URL for every worker of the page, kept (revoking it could race the worker's load).
  workerUrl ??= URL.createObjectURL(new Blob([WORKER_SOURCE], { type: "text/javascript" }));
  const w = new Worker(workerUrl);
  return {
    post: (m) => w.postMessage(m),
    onReply(handler) {
      w.onmessage = (e: MessageEvent) => handler(e.data as { ok: boolean; error?: string });
      w.onerror = (e: ErrorEvent) => handler({ ok: false, error: e.message });
    },
    hold: () => undefined,
    terminate: () => w.terminate(),
  };
}
