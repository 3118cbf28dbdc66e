/**
 * The explorer page: keeps the form and the URL in step, sends runs to the Web Worker (live, a
 * moment after each edit), shows progress with a cancel button, and draws the figures and the
 * number tables of each result.
 */
import type { View } from "vega";
import { FLOAT64_MATCH_DIGITS } from "../src/compare/digits.js";
import { formatFloat64 } from "../src/format.js";
import type { DataSeries, ExplorerResult, PairSeries, PreciseValue, WorkerReply, WorkerRequest } from "./protocol.js";
import { mountCirclePicker } from "./circlePicker.js";
import { EXAMPLE_DATA } from "./examples.js";
import { dataFigures, digitsFigures, pairFigures, renderInto, specWithMarkers, type ExplorerFigure } from "./plots.js";
import { URL_KEYS, queryFromState, stateFromQuery, type ExplorerState, type ParsedState } from "./state.js";

/** Quiet time after the last edit before a live run starts, in milliseconds. */
const LIVE_DELAY_MS = 400;

const form = document.querySelector<HTMLFormElement>("#controls")!;
const cancelButton = document.querySelector<HTMLButtonElement>("#cancel")!;
const progressBar = document.querySelector<HTMLProgressElement>("#progress")!;
const statusText = document.querySelector<HTMLOutputElement>("#status")!;
const errorBox = document.querySelector<HTMLDivElement>("#error")!;
const results = document.querySelector<HTMLElement>("#results")!;

const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
let runId = 0;
let running = false;
let liveTimer: ReturnType<typeof setTimeout> | undefined;

function field(name: keyof ExplorerState): HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement {
  return form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
}

function showState(state: ExplorerState): void {
  for (const key of Object.keys(URL_KEYS) as (keyof ExplorerState)[]) {
    const el = field(key);
    if (el instanceof HTMLInputElement && el.type === "checkbox") el.checked = state[key] as boolean;
    else el.value = String(state[key]);
  }
  for (const el of document.querySelectorAll<HTMLElement>("[data-when-source]")) el.hidden = el.dataset.whenSource !== state.source;
}

/** The form's state, validated by the same parser as a shared URL. */
function readForm(): ParsedState {
  const params = new URLSearchParams();
  for (const key of Object.keys(URL_KEYS) as (keyof ExplorerState)[]) {
    const el = field(key);
    params.set(URL_KEYS[key], el instanceof HTMLInputElement && el.type === "checkbox" ? (el.checked ? "1" : "0") : el.value);
  }
  return stateFromQuery(params.toString());
}

function showProblems(problems: readonly string[]): void {
  const list = document.querySelector<HTMLUListElement>("#url-problems")!;
  list.replaceChildren(...problems.map((p) => Object.assign(document.createElement("li"), { textContent: p })));
}

/** Where a run stands; `data-state` on the status element carries it for tests and styling. */
type RunState = "running" | "done" | "failed" | "cancelled" | "invalid";

function setStatus(state: RunState, text: string): void {
  running = state === "running";
  statusText.value = text;
  statusText.dataset.state = state;
  cancelButton.disabled = !running;
}

/**
 * Starts a run of the form's state, unless an input is invalid: then the fields are marked and
 * nothing runs (the page never silently runs something other than what the form shows).
 * `urlProblems` are what the page's own URL had wrong (first run only: the form shows defaults there).
 */
function start(urlProblems: readonly string[] = []): void {
  const { state, problems, invalid } = readForm();
  showProblems([...urlProblems, ...problems]);
  for (const key of Object.keys(URL_KEYS) as (keyof ExplorerState)[]) field(key).toggleAttribute("aria-invalid", invalid.includes(key));
  for (const el of document.querySelectorAll<HTMLElement>("[data-when-source]")) el.hidden = el.dataset.whenSource !== state.source;
  if (problems.length > 0) {
    // A run still in flight belongs to inputs the form no longer shows: stop it, and let no late
    // reply of it draw results or overwrite this status.
    if (running) worker.postMessage({ type: "cancel", id: runId } satisfies WorkerRequest);
    runId++;
    setStatus("invalid", "not run: fix the inputs marked above");
    return;
  }
  const query = queryFromState(state);
  history.replaceState(null, "", query ? `?${query}` : location.pathname);
  runId++;
  errorBox.hidden = true;
  progressBar.value = 0;
  setStatus("running", "running…");
  worker.postMessage({ type: "run", id: runId, state } satisfies WorkerRequest);
}

worker.addEventListener("message", (event: MessageEvent<WorkerReply>) => {
  const reply = event.data;
  if (reply.id !== runId) return;
  if (reply.type === "progress") {
    progressBar.value = reply.total > 0 ? reply.done / reply.total : 1;
    statusText.value = `running: ${reply.phase}, ${Math.round((100 * reply.done) / Math.max(1, reply.total))} %`;
  } else if (reply.type === "error") {
    if (reply.code === "ABORTED") {
      setStatus("cancelled", "cancelled");
    } else {
      setStatus("failed", "failed");
      errorBox.textContent = `${reply.code}: ${reply.message}`;
      errorBox.hidden = false;
    }
  } else if (reply.type === "pair") {
    showPair(reply.depths, reply.pair).catch((e: unknown) => showDrawingError(e));
  } else {
    progressBar.value = 1;
    showResult(reply.result).then(
      () => setStatus("done", `done in ${(reply.result.elapsedMs / 1000).toFixed(2)} s`),
      (e: unknown) => showDrawingError(e),
    );
  }
});

function showDrawingError(e: unknown): void {
  setStatus("failed", "failed");
  errorBox.textContent = `drawing failed: ${e instanceof Error ? e.message : String(e)}`;
  errorBox.hidden = false;
}

function scheduleLive(): void {
  clearTimeout(liveTimer);
  liveTimer = setTimeout(() => start(), LIVE_DELAY_MS);
}

form.addEventListener("input", scheduleLive);
form.addEventListener("change", scheduleLive);
form.addEventListener("submit", (e) => {
  e.preventDefault();
  clearTimeout(liveTimer);
  start();
});
cancelButton.addEventListener("click", () => {
  if (running) worker.postMessage({ type: "cancel", id: runId } satisfies WorkerRequest);
});

const exampleSelect = document.querySelector<HTMLSelectElement>("#example")!;
exampleSelect.append(...Object.keys(EXAMPLE_DATA).map((name) => new Option(name, name)));
exampleSelect.addEventListener("change", (event) => {
  // A helper, not part of the state: it only fills the data box (whose text is the state).
  event.stopPropagation();
  if (!exampleSelect.value) return;
  field("pasted").value = EXAMPLE_DATA[exampleSelect.value];
  exampleSelect.value = "";
  picker.refresh();
  scheduleLive();
});

const picker = mountCirclePicker(
  document.querySelector<HTMLElement>("#circle-picker")!,
  () => field("pasted").value,
  (text) => {
    field("pasted").value = text;
    scheduleLive();
  },
);
field("pasted").addEventListener("input", () => picker.refresh());

function preciseText(v: PreciseValue | null): string {
  return v === null ? "—" : v.text;
}

/** Correct digits of a float64 value as a table shows them: "—" without a reference, "all" for an exact match. */
function correctText(digits: number | null | undefined): string {
  return digits == null ? "—" : digits >= FLOAT64_MATCH_DIGITS ? "all" : String(digits);
}

/** A float64 the worker sent (always finite: formatFloat64 throws, and the page says so, if not); null means K was singular. */
function numberText(x: number | null): string {
  return x === null ? "singular" : formatFloat64(x);
}

/** A table from a header and rows of cells; each cell carries `data-key` for tests and styling. */
function fillTable(table: HTMLTableElement, columns: readonly { key: string; title: string }[], rows: readonly Record<string, string>[]): void {
  const head = document.createElement("tr");
  for (const c of columns) head.append(Object.assign(document.createElement("th"), { textContent: c.title }));
  const body = rows.map((row) => {
    const tr = document.createElement("tr");
    for (const c of columns) {
      const td = Object.assign(document.createElement("td"), { textContent: row[c.key] ?? "" });
      td.dataset.key = c.key;
      if (row[c.key] === "lost" || row[c.key] === "singular") td.className = "lost";
      tr.append(td);
    }
    return tr;
  });
  table.replaceChildren(head, ...body);
}

/** Chart views by figure name, so a redraw finalizes what it replaces. */
const views = new Map<string, View>();

/**
 * Draws figures into their containers (`#chart-<name>`), replacing earlier drawings of the same
 * figures; stops when run `id` is no longer the current one (a newer run owns the page).
 */
async function drawFigures(figures: readonly ExplorerFigure[], id: number): Promise<void> {
  for (const f of figures) {
    if (id !== runId) return;
    views.get(f.figure.name)?.finalize();
    const container = document.querySelector<HTMLElement>(`#chart-${f.figure.name}`)!;
    container.replaceChildren();
    views.set(f.figure.name, await renderInto(container, specWithMarkers(f)));
  }
}

/** Empties every chart and table: a new run's pair arrives first, its data set later. */
function clearResults(): void {
  for (const v of views.values()) v.finalize();
  views.clear();
  for (const container of document.querySelectorAll(".charts figure > div")) container.replaceChildren();
  for (const table of document.querySelectorAll("table")) table.replaceChildren();
  document.querySelector("#data-legend")!.textContent = "";
  document.querySelector("#warnings")!.replaceChildren();
}

function pairNotes(pair: PairSeries): string[] {
  const least = (digits: readonly number[] | undefined) => (digits ? ` (at least ${Math.min(...digits)} correct digits against high precision)` : "");
  return [
    pair.givesOut.textbook === null
      ? `the textbook float64 loop keeps a correct digit of 1 − ρ at every checkpoint${least(pair.correctDigits?.textbook)}`
      : `the textbook float64 loop has no correct digit of 1 − ρ from L = ${pair.givesOut.textbook}`,
    pair.precise === null
      ? "the stable loop is not judged (no high-precision run)"
      : pair.givesOut.stable === null
        ? `the stable float64 loop keeps a correct digit of 1 − ρ throughout${least(pair.correctDigits?.stable)}`
        : `the stable float64 loop has no correct digit of 1 − ρ from L = ${pair.givesOut.stable}`,
  ];
}

function dataNote(data: DataSeries): string {
  if (data.measuredLostDepths !== null) {
    return data.measuredLostDepths.length === 0
      ? "the float64 determinant and predictions keep at least one correct digit at every checkpoint (measured against high precision)"
      : `the float64 determinant or a prediction has no correct digit at L = ${data.measuredLostDepths.join(", ")} (measured against high precision)`;
  }
  if (data.lostDepths.length === 0) return `float64 LU of the ${data.m} × ${data.m} Gram matrix keeps at least one digit at every checkpoint`;
  const linear = data.lostDepths[0] === 1 && data.m > data.n0 ? ` (at L = 1 the kernel is linear, of rank ≤ n0 = ${data.n0} < m = ${data.m}: singular)` : "";
  return `float64 LU of the ${data.m} × ${data.m} Gram matrix keeps less than one digit at L = ${data.lostDepths.join(", ")}${linear}`;
}

function showSummary(depths: readonly number[], notes: readonly string[]): void {
  document.querySelector("#summary")!.textContent = `Checkpoints L = ${depths[0]} … ${depths[depths.length - 1]} (${depths.length}). Where float64 gives out: ${notes.join("; ")}.`;
}

/** The pair half of a run: drawn as soon as the worker has it, while the data set is computed. */
async function showPair(depths: readonly number[], pair: PairSeries): Promise<void> {
  clearResults();
  results.hidden = false;
  showSummary(depths, [...pairNotes(pair), "the data set is being computed"]);
  document.querySelector("#vouched-by")!.textContent = pair.vouchedBy ?? "no high-precision run: set digits ≥ 20";
  fillTable(
    document.querySelector<HTMLTableElement>("#pair-table")!,
    [
      { key: "depth", title: "L" },
      { key: "stable.rho", title: "ρ float64 stable" },
      { key: "stable.oneMinusRho", title: "1 − ρ float64 stable" },
      { key: "textbook.oneMinusRho", title: "1 − ρ float64 textbook" },
      { key: "precise.oneMinusRho", title: "1 − ρ high precision" },
      { key: "stable.ntkNormalized", title: "Θ̄ float64 stable" },
      { key: "precise.ntkNormalized", title: "Θ̄ high precision" },
    ],
    pair.stable.map((p, i) => ({
      depth: String(p.depth),
      "stable.rho": formatFloat64(p.rho),
      "stable.oneMinusRho": formatFloat64(p.oneMinusRho),
      "textbook.oneMinusRho": numberText(pair.textbook[i].oneMinusRho),
      "precise.oneMinusRho": preciseText(pair.precise?.[i].oneMinusRho ?? null),
      "stable.ntkNormalized": formatFloat64(p.ntkNormalized),
      "precise.ntkNormalized": preciseText(pair.precise?.[i].ntkNormalized ?? null),
    })),
  );
  await drawFigures(pairFigures(pair, depths, pair.paperCase), runId);
}

/** The whole result: the data set's figures and table, and float64's correct digits. */
async function showResult(result: ExplorerResult): Promise<void> {
  const { pair, data, depths } = result;
  showSummary(depths, [...pairNotes(pair), dataNote(data)]);
  document.querySelector("#data-legend")!.textContent =
    `${data.m} training points on S^${data.n0 - 1}, ${data.testCount} test points; kernel ${data.kernelLabel}. ` +
    "log10|det K| from float64 LU (raw kernels include their power-of-two scale); digits kept = 15.95 − log10 κ1 (κ1 estimated); " +
    `f∞ = K_x K⁻¹ Y at the first test point; targets ${data.targetsFrom}. ` +
    (data.preciseVouchedBy ? `High-precision Gram: ${data.preciseVouchedBy}.` : "No high-precision run (set digits ≥ 20).");
  fillTable(
    document.querySelector<HTMLTableElement>("#data-table")!,
    [
      { key: "depth", title: "L" },
      { key: "entry", title: `${data.kernelLabel} pair 1–2` },
      { key: "log10AbsDet", title: "log10 |det K| float64" },
      { key: "signDet", title: "sign" },
      { key: "digitsKept", title: "digits kept" },
      { key: "preciseLog10AbsDet", title: "log10 |det K| high precision" },
      { key: "detCorrect", title: "float64 det correct digits" },
      { key: "prediction", title: "f∞(test 1) float64" },
      { key: "precisePrediction", title: "f∞(test 1) high precision" },
      { key: "predictionCorrect", title: "float64 f∞ correct digits" },
    ],
    data.determinant.map((d) => {
      const entry = data.entries.find((e) => e.depth === d.depth && e.pair === "1–2");
      const prediction = data.predictions.find((p) => p.depth === d.depth && p.test === 1);
      return {
        depth: String(d.depth),
        entry: entry?.text ?? "",
        log10AbsDet: d.signDet === 0 ? "−∞ (singular)" : formatFloat64(d.log10AbsDet),
        signDet: String(d.signDet),
        digitsKept: d.digitsKept.toFixed(1),
        preciseLog10AbsDet: preciseText(d.preciseLog10AbsDet),
        detCorrect: correctText(d.float64CorrectDigits),
        prediction: numberText(prediction?.float64 ?? null),
        precisePrediction: preciseText(prediction?.precise ?? null),
        predictionCorrect: correctText(prediction?.float64CorrectDigits),
      };
    }),
  );
  const warnings = document.querySelector<HTMLUListElement>("#warnings")!;
  warnings.replaceChildren(...data.warnings.map((w) => Object.assign(document.createElement("li"), { textContent: w })));
  await drawFigures([...digitsFigures(pair, data, depths), ...dataFigures(data, depths)], runId);
}

const initial = stateFromQuery(location.search);
showState(initial.state);
picker.refresh();
start(initial.problems);
