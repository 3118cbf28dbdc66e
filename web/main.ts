/**
 * The explorer page: keeps the form and the URL in step, sends runs to the Web Worker (live, a
 * moment after each edit; a run estimated to be long waits for the Run button), shows progress
 * with a cancel button, and draws the figures and number tables of each result.
 *
 * What is on screen always belongs to the inputs shown: while a new run is under way the previous
 * results are dimmed under a banner saying so; an invalid input, a failed run or a run waiting for
 * confirmation removes them; a cancelled run keeps only what it finished (its pair) and says that
 * the rest was not computed.
 */
import type { View } from "vega";
import type { DataSeries, ExplorerResult, PairSeries, PreciseValue, WorkerReply, WorkerRequest } from "./protocol.js";
import { mountCirclePicker } from "./circlePicker.js";
import { CONFIRM_SECONDS, durationText, estimatedPoints, estimateSeconds, SHOW_ESTIMATE_SECONDS } from "./estimate.js";
import { EXAMPLE_DATA } from "./examples.js";
import { accuracyFigure, dataFigures, digitsFigure, FIGURE_NAMES, pairFigures, renderInto, type ExplorerFigure, type FigureName } from "./plots.js";
import { isBuiltin, URL_KEYS, VALID_TEXT, queryFromState, stateFromQuery, type ExplorerState, type ParsedState, type StateProblem } from "./state.js";
import { mountWidthPanel } from "./widthPanel.js";
import { groupedWarnings, pageWords } from "./words.js";
import { formatFloat64, MAX_DEPTH } from "../src/index.js";
import { FLOAT64_MATCH_DIGITS } from "../src/advanced.js";

/** Quiet time after the last edit before a live run starts, in milliseconds. */
const LIVE_DELAY_MS = 400;

const $ = <T extends Element = HTMLElement>(selector: string): T => document.querySelector<T>(selector)!;
const form = $<HTMLFormElement>("#controls");
const runButton = $<HTMLButtonElement>("#run");
const cancelButton = $<HTMLButtonElement>("#cancel");
const progressBar = $<HTMLProgressElement>("#progress");
const statusText = $<HTMLOutputElement>("#status");
const estimateText = $("#estimate");
const errorBox = $("#error");
const results = $("#results");
const resultNote = $("#result-note");

const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
/** Id of the run whose replies the page accepts; bumped whenever the inputs change. */
let runId = 0;
let running = false;
/** Whether the current run was started by the Run button (then focus moves to its results). */
let startedByButton = false;
/** Whether the results on screen belong to the current run (false: none, or a previous run's). */
let resultsCurrent = false;
let liveTimer: ReturnType<typeof setTimeout> | undefined;

function field(name: keyof ExplorerState): HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement {
  return form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
}

/** Puts the valid range under each typed field, tied to it for screen readers. */
function addRangeHints(): void {
  for (const [key, text] of Object.entries(VALID_TEXT) as [keyof ExplorerState, string][]) {
    const input = field(key);
    const hint = Object.assign(document.createElement("span"), { className: "hint", id: `${key}-hint`, textContent: text });
    input.after(hint);
    input.setAttribute("aria-describedby", hint.id);
  }
}

function showSourceGroups(source: ExplorerState["source"]): void {
  // The accuracy figure exists for classified data only.
  $("#figure-accuracy").hidden = !isBuiltin(source);
  for (const el of document.querySelectorAll<HTMLElement>("[data-when-source]")) el.hidden = !el.dataset.whenSource!.split(" ").includes(source);
}

function showState(state: ExplorerState): void {
  for (const key of Object.keys(URL_KEYS) as (keyof ExplorerState)[]) {
    const el = field(key);
    if (el instanceof HTMLInputElement && el.type === "checkbox") el.checked = state[key] as boolean;
    else el.value = String(state[key]);
  }
  showSourceGroups(state.source);
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

function showProblems(fromAddress: readonly StateProblem[], fromForm: readonly StateProblem[]): void {
  const items = [...fromAddress.map((p) => `From the shared address: ${p.message} The form shows the default instead.`), ...fromForm.map((p) => p.message)];
  $("#problems").replaceChildren(...items.map((text) => Object.assign(document.createElement("li"), { textContent: text })));
}

/** Where a run stands; `data-state` on the status element carries it for tests and styling. */
type RunState = "running" | "done" | "failed" | "cancelled" | "invalid" | "confirm";

function setStatus(state: RunState, text: string): void {
  running = state === "running";
  statusText.value = text;
  statusText.dataset.state = state;
  // Which run (or refusal to run) the status is about: tests wait for a newer one after an edit.
  statusText.dataset.run = String(runId);
  cancelButton.disabled = !running;
}

/** Removes every result: they belong to inputs the form no longer shows. */
function removeResults(): void {
  clearResults();
  results.hidden = true;
  delete results.dataset.stale;
  resultsCurrent = false;
}

/** Marks the results on screen as a previous run's while a new one is under way. */
function markStale(): void {
  if (results.hidden) return;
  results.dataset.stale = "";
  resultsCurrent = false;
  resultNote.textContent = "These results are for the previous inputs; the run for the inputs above is under way.";
  resultNote.hidden = false;
}

/** Stops the run in flight (if any) and retires its id, so that no late reply of it is drawn. */
function retireRun(): void {
  if (running) worker.postMessage({ type: "cancel", id: runId } satisfies WorkerRequest);
  runId++;
}

/**
 * Starts a run of the form's state, unless an input is invalid (then the fields are marked and
 * nothing runs) or the run is estimated to be long and was not started by the Run button (then it
 * waits for it). `addressProblems` are what the page's own URL had wrong (first run only).
 */
function start(byButton: boolean, addressProblems: readonly StateProblem[] = []): void {
  const { state, problems, invalid } = readForm();
  showProblems(addressProblems, problems);
  for (const key of Object.keys(URL_KEYS) as (keyof ExplorerState)[]) {
    if (invalid.includes(key)) field(key).setAttribute("aria-invalid", "true");
    else field(key).removeAttribute("aria-invalid");
  }
  showSourceGroups(state.source);
  errorBox.hidden = true;
  if (problems.length > 0) {
    retireRun();
    removeResults();
    estimateText.hidden = true;
    setStatus("invalid", `not run: ${problems.length === 1 ? "an input is" : `${problems.length} inputs are`} not valid (listed below)`);
    return;
  }
  const query = queryFromState(state);
  history.replaceState(null, "", query ? `?${query}` : location.pathname);
  const seconds = estimateSeconds(state, estimatedPoints(state));
  estimateText.hidden = seconds < SHOW_ESTIMATE_SECONDS;
  estimateText.textContent = `Estimated run time: ${durationText(seconds)} (a rough estimate from the depth, the points and the digits).`;
  retireRun();
  if (seconds > CONFIRM_SECONDS && !byButton) {
    removeResults();
    setStatus("confirm", `not started: this run would take ${durationText(seconds)}. Press Run to start it.`);
    return;
  }
  startedByButton = byButton;
  markStale();
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
    if (reply.code === "ABORTED") cancelled();
    else failed(pageWords(reply.message), reply.code);
  } else if (reply.type === "pair") {
    showPair(reply.depths, reply.pair).catch((e: unknown) => failed(`drawing failed: ${e instanceof Error ? e.message : String(e)}`, "DRAWING"));
  } else if (reply.type === "result") {
    progressBar.value = 1;
    showResult(reply.result).then(
      () => {
        setStatus("done", `done in ${(reply.result.elapsedMs / 1000).toFixed(2)} s`);
        if (startedByButton) $("#results-title").focus();
      },
      (e: unknown) => failed(`drawing failed: ${e instanceof Error ? e.message : String(e)}`, "DRAWING"),
    );
  }
});

/** A failed run: its message in the page's words, with the library's error code for reference; no results. */
function failed(message: string, code: string): void {
  runId++;
  removeResults();
  setStatus("failed", "failed: see the message below");
  errorBox.replaceChildren(document.createTextNode(message), Object.assign(document.createElement("small"), { textContent: ` (error code ${code})` }));
  errorBox.hidden = false;
}

/** A cancelled run keeps what it finished (its pair) and says what it did not compute. */
function cancelled(): void {
  setStatus("cancelled", "cancelled");
  if (!resultsCurrent) removeResults();
  else {
    resultNote.textContent = "Run cancelled: the pair above is complete; the data set was not computed.";
    resultNote.hidden = false;
    for (const name of ["accuracy", "kernel-entries", "log-det", "predictions"] as const) placeholder(name, "Not computed: the run was cancelled.");
    $("#summary").textContent = $("#summary").textContent!.replace("the data set is being computed", "the data set was not computed (cancelled)");
  }
  runButton.focus();
}

function scheduleLive(): void {
  clearTimeout(liveTimer);
  liveTimer = setTimeout(() => start(false), LIVE_DELAY_MS);
}

form.addEventListener("input", scheduleLive);
form.addEventListener("change", scheduleLive);
form.addEventListener("submit", (e) => {
  e.preventDefault();
  clearTimeout(liveTimer);
  start(true);
});
cancelButton.addEventListener("click", () => {
  if (running) worker.postMessage({ type: "cancel", id: runId } satisfies WorkerRequest);
});

const exampleSelect = $<HTMLSelectElement>("#example");
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
  {
    circle: $("#circle-picker"),
    angle: $<HTMLInputElement>("#picker-angle"),
    add: $<HTMLButtonElement>("#picker-add"),
    clear: $<HTMLButtonElement>("#picker-clear"),
    note: $("#picker-note"),
  },
  () => field("pasted").value,
  (text) => {
    field("pasted").value = text;
    scheduleLive();
  },
);
// The picker's angle is not part of the state: typing it runs nothing.
$("#picker-angle").addEventListener("input", (e) => e.stopPropagation());
field("pasted").addEventListener("input", () => picker.refresh());

function preciseText(v: PreciseValue | null): string {
  return v === null ? "—" : v.text;
}

/** Correct digits of a float64 value as a table shows them: "—" without a reference, "all" for an exact match. */
function correctText(digits: number | null | undefined): string {
  return digits == null ? "—" : digits >= FLOAT64_MATCH_DIGITS ? "all" : String(digits);
}

/** An accuracy as a percentage ("—" when there is none). */
function percentText(x: number | null | undefined): string {
  return x == null ? "—" : `${(100 * x).toFixed(1)} %`;
}

/** A float64 the worker sent (always finite: formatFloat64 throws, and the page says so, if not); null means K was singular. */
function numberText(x: number | null): string {
  return x === null ? "singular" : formatFloat64(x);
}

/** A table from a header and rows of cells; each cell carries `data-key` for tests and styling. */
function fillTable(table: HTMLTableElement, columns: readonly { key: string; title: string }[], rows: readonly Record<string, string>[]): void {
  const head = document.createElement("tr");
  for (const c of columns) head.append(Object.assign(document.createElement("th"), { textContent: c.title, scope: "col" }));
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

/** One <figure> per figure name, in a fixed order, so that nothing moves when a figure arrives. */
const slots = new Map<FigureName, { title: HTMLElement; chart: HTMLElement; caption: HTMLElement }>();
for (const name of FIGURE_NAMES) {
  const title = Object.assign(document.createElement("h3"), { className: "figure-title" });
  const chart = Object.assign(document.createElement("div"), { className: "chart", id: `chart-${name}` });
  const caption = document.createElement("figcaption");
  const figure = document.createElement("figure");
  figure.id = `figure-${name}`;
  figure.append(title, chart, caption);
  $(".charts").append(figure);
  slots.set(name, { title, chart, caption });
}

/** Titles of the figures while they wait for a result. */
const PLACEHOLDER_TITLES: Record<FigureName, string> = {
  "float64-digits": "Correct digits of float64",
  accuracy: "Test accuracy",
  "one-minus-rho": "1 − ρ of the pair",
  "one-minus-ntk": "1 − Θ̄ of the pair",
  "kernel-entries": "Kernel entries of the data set",
  "log-det": "log10 |det K| of the training points",
  predictions: "f∞ at the test points",
};

/** Chart views by figure name, so a redraw finalizes what it replaces. */
const views = new Map<FigureName, View>();

function placeholder(name: FigureName, text: string): void {
  views.get(name)?.finalize();
  views.delete(name);
  const slot = slots.get(name)!;
  slot.chart.removeAttribute("role");
  slot.chart.removeAttribute("aria-label");
  slot.chart.replaceChildren(Object.assign(document.createElement("p"), { className: "placeholder", textContent: text }));
  slot.caption.textContent = "";
  slot.title.textContent = text ? PLACEHOLDER_TITLES[name] : "";
}

/** Draws figures into their slots; stops when run `id` is no longer the current one (a newer run owns the page). */
async function drawFigures(figures: readonly ExplorerFigure[], id: number): Promise<void> {
  for (const f of figures) {
    if (id !== runId) return;
    const slot = slots.get(f.name)!;
    views.get(f.name)?.finalize();
    slot.chart.replaceChildren();
    slot.title.textContent = f.title;
    slot.caption.textContent = f.description;
    views.set(f.name, await renderInto(slot.chart, f));
    // The figure's text alternative: its title and what it shows (the numbers are in the tables).
    slot.chart.setAttribute("role", "img");
    slot.chart.setAttribute("aria-label", `${f.title}. ${f.description}`);
    slot.chart.removeAttribute("aria-roledescription");
  }
}

/** Empties every figure and table. */
function clearResults(): void {
  for (const name of FIGURE_NAMES) placeholder(name, "");
  for (const table of results.querySelectorAll("table")) table.replaceChildren();
  $("#data-legend").textContent = "";
  $("#warnings").replaceChildren();
  $("#summary").textContent = "";
  resultNote.hidden = true;
}

function pairNotes(pair: PairSeries): string[] {
  const least = (digits: readonly number[] | undefined) => (digits ? ` (at least ${Math.min(...digits)} correct digits against high precision)` : "");
  return [
    pair.textbook.length === 0
      ? "the textbook float64 loop is not run beyond 10^9 layers"
      : pair.givesOut.textbook === null
        ? `the textbook float64 loop keeps a correct digit of 1 − ρ at every checkpoint${least(pair.correctDigits?.textbook)}`
        : `the textbook float64 loop has no correct digit of 1 − ρ from L = ${pair.givesOut.textbook}`,
    pair.precise === null
      ? `the ${pair.stableMethod === "jump" ? "jump" : "stable loop"} is not judged (no high-precision run)`
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
  $("#summary").textContent = `Checkpoints L = ${depths[0]} … ${depths[depths.length - 1]} (${depths.length}). Where float64 gives out: ${notes.join("; ")}.`;
}

const NO_PRECISION = "No high-precision run: set “high precision, digits” to 20 or more to measure how many digits float64 gets right.";

/** The pair half of a run: drawn as soon as the worker has it, while the data set is computed. */
async function showPair(depths: readonly number[], pair: PairSeries): Promise<void> {
  clearResults();
  delete results.dataset.stale;
  results.hidden = false;
  resultsCurrent = true;
  showSummary(depths, [...pairNotes(pair), "the data set is being computed"]);
  $("#vouched-by").textContent =
    pair.vouchedBy ?? (pair.preciseSkipped ? `no high-precision run: ${pair.preciseSkipped}` : "no high-precision run: set digits ≥ 20");
  const digits = pair.correctDigits;
  fillTable(
    $<HTMLTableElement>("#pair-table"),
    [
      { key: "depth", title: "L" },
      { key: "stable.rho", title: `ρ float64 ${pair.stableMethod === "jump" ? "jump" : "stable"}` },
      { key: "stable.oneMinusRho", title: `1 − ρ float64 ${pair.stableMethod === "jump" ? "jump" : "stable"}` },
      { key: "stable.correct", title: "correct" },
      { key: "textbook.oneMinusRho", title: "1 − ρ float64 textbook" },
      { key: "textbook.correct", title: "correct" },
      { key: "precise.oneMinusRho", title: "1 − ρ high precision" },
      { key: "stable.ntkNormalized", title: "Θ̄ float64 stable" },
      { key: "precise.ntkNormalized", title: "Θ̄ high precision" },
    ],
    pair.stable.map((p, i) => ({
      depth: String(p.depth),
      "stable.rho": formatFloat64(p.rho),
      "stable.oneMinusRho": pair.lost.stable[i]?.includes("oneMinusRho") ? "lost" : formatFloat64(p.oneMinusRho),
      "stable.correct": correctText(digits?.stable[i]),
      "textbook.oneMinusRho": pair.textbook[i]
        ? pair.lost.textbook[i]?.includes("oneMinusRho")
          ? "lost"
          : numberText(pair.textbook[i].oneMinusRho)
        : "not run",
      "textbook.correct": correctText(digits?.textbook[i]),
      "precise.oneMinusRho": preciseText(pair.precise?.[i].oneMinusRho ?? null),
      "stable.ntkNormalized": formatFloat64(p.ntkNormalized),
      "precise.ntkNormalized": preciseText(pair.precise?.[i].ntkNormalized ?? null),
    })),
  );
  for (const name of ["accuracy", "kernel-entries", "log-det", "predictions"] as const) placeholder(name, "Being computed…");
  const id = runId;
  const digitsChart = digitsFigure(pair, null, depths);
  if (!digitsChart) placeholder("float64-digits", pair.preciseSkipped ? `No high-precision run: ${pair.preciseSkipped}` : NO_PRECISION);
  await drawFigures([...(digitsChart ? [digitsChart] : []), ...pairFigures(pair, depths)], id);
}

/** The whole result: the data set's figures and table, and float64's correct digits. */
async function showResult(result: ExplorerResult): Promise<void> {
  const { pair, data, depths } = result;
  showSummary(depths, [...pairNotes(pair), dataNote(data)]);
  $("#data-legend").textContent =
    `${data.m} training points on S^${data.n0 - 1}, ${data.testCount} test points; kernel ${data.kernelLabel}. ` +
    "log10|det K| from float64 LU (raw kernels include their power-of-two scale); digits kept = 15.95 − log10 κ1 (κ1 estimated); " +
    `f∞ = K_x K⁻¹ Y at the first test point; targets ${data.targetsFrom}. ` +
    (data.majorityRate === null ? "" : `Always answering the most frequent training class would score ${percentText(data.majorityRate)}. `) +
    (data.preciseVouchedBy
      ? `High-precision Gram: ${data.preciseVouchedBy}.`
      : depths[depths.length - 1] > MAX_DEPTH
        ? "No high-precision Gram beyond 10^9 layers (it runs layer by layer)."
        : "No high-precision run (set digits ≥ 20).");
  fillTable(
    $<HTMLTableElement>("#data-table"),
    [
      { key: "depth", title: "L" },
      { key: "entry", title: `${data.kernelLabel} pair 1–2` },
      { key: "log10AbsDet", title: "log10 |det K| float64" },
      { key: "signDet", title: "sign" },
      { key: "digitsKept", title: "digits kept" },
      { key: "preciseLog10AbsDet", title: "log10 |det K| high precision" },
      { key: "detCorrect", title: "det correct" },
      { key: "prediction", title: "f∞(test 1) float64" },
      { key: "precisePrediction", title: "f∞(test 1) high precision" },
      { key: "predictionCorrect", title: "f∞ correct" },
      ...(data.accuracy
        ? [
            { key: "accuracy", title: "accuracy float64" },
            { key: "preciseAccuracy", title: "accuracy high precision" },
          ]
        : []),
    ],
    data.determinant.map((d) => {
      const entry = data.entries.find((e) => e.depth === d.depth && e.pair === "1–2");
      const prediction = data.predictions.find((p) => p.depth === d.depth && p.test === 1);
      const accuracy = data.accuracy?.find((a) => a.depth === d.depth);
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
        accuracy: percentText(accuracy?.float64),
        preciseAccuracy: percentText(accuracy?.precise),
      };
    }),
  );
  $("#warnings").replaceChildren(...groupedWarnings(data.warnings).map((w) => Object.assign(document.createElement("li"), { textContent: w })));
  const digitsChart = digitsFigure(pair, data, depths);
  const accuracyChart = accuracyFigure(data, depths);
  await drawFigures([...(digitsChart ? [digitsChart] : []), ...(accuracyChart ? [accuracyChart] : []), ...dataFigures(data, depths)], runId);
}

addRangeHints();
mountWidthPanel(
  {
    form: $<HTMLFormElement>("#width-controls"),
    cancel: $<HTMLButtonElement>("#width-cancel"),
    progress: $<HTMLProgressElement>("#width-progress"),
    status: $<HTMLOutputElement>("#width-status"),
    problems: $("#width-problems"),
    note: $("#width-note"),
    legend: $("#width-legend"),
    table: $<HTMLTableElement>("#width-table"),
  },
  form,
  readForm,
);
const initial = stateFromQuery(location.search);
showState(initial.state);
picker.refresh();
start(false, initial.problems);
