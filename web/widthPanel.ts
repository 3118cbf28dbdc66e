/**
 * The finite-width section of the page: its own fields (depth, width, networks, seed), a Run and
 * a Cancel button, progress, and a table of the Monte Carlo mean ± standard error of Θ̄_n beside
 * the infinite-width Θ̄. Off until its Run button is pressed; it runs in a Web Worker of its own so
 * that it and the main runs never cancel each other. Its results belong to the inputs shown: any
 * edit of the page's inputs or of its own fields removes them and says so.
 */
import type { WidthSeries, WorkerReply, WorkerRequest } from "./protocol.js";
import type { ParsedState } from "./state.js";
import { MAX_WIDTH_POINTS, parseWidthState, WIDTH_LABELS, widthValidText, type WidthState } from "./widthState.js";
import { pageWords } from "./words.js";
import { formatFloat64 } from "../src/index.js";

const KEYS = Object.keys(WIDTH_LABELS) as (keyof WidthState)[];

/** Elements of the section (see index.html). */
interface WidthElements {
  readonly form: HTMLFormElement;
  readonly cancel: HTMLButtonElement;
  readonly progress: HTMLProgressElement;
  readonly status: HTMLOutputElement;
  readonly problems: HTMLElement;
  readonly note: HTMLElement;
  readonly legend: HTMLElement;
  readonly table: HTMLTableElement;
}

/** Mounts the section; `readMain` gives the main form's state (the data set, σw, σb) and `mainForm` is watched for edits. */
export function mountWidthPanel(el: WidthElements, mainForm: HTMLFormElement, readMain: () => ParsedState): void {
  const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
  let id = 0;
  let running = false;
  const input = (key: keyof WidthState) => el.form.elements.namedItem(key) as HTMLInputElement;
  for (const key of KEYS) {
    const hint = Object.assign(document.createElement("span"), { className: "hint", id: `width-${key}-hint`, textContent: widthValidText(key) });
    input(key).after(hint);
    input(key).setAttribute("aria-describedby", hint.id);
  }

  const setStatus = (state: "idle" | "running" | "done" | "failed" | "cancelled" | "invalid", text: string) => {
    running = state === "running";
    el.status.value = text;
    el.status.dataset.state = state;
    el.status.dataset.run = String(id);
    el.cancel.disabled = !running;
  };
  setStatus("idle", "not run: press “Run Monte Carlo”");

  const clear = (why: string) => {
    el.table.replaceChildren();
    el.legend.textContent = "";
    el.note.textContent = why;
    el.note.hidden = why === "";
  };

  /** Inputs changed: whatever is on screen or under way belongs to the old ones. */
  const retire = () => {
    if (running) {
      worker.postMessage({ type: "cancel", id } satisfies WorkerRequest);
      setStatus("cancelled", "cancelled: the inputs changed");
    }
    id++;
    if (el.table.rows.length > 0) clear("The inputs changed: press “Run Monte Carlo” for statistics of the inputs shown.");
  };
  mainForm.addEventListener("input", retire);
  mainForm.addEventListener("change", retire);
  el.form.addEventListener("input", retire);

  el.form.addEventListener("submit", (e) => {
    e.preventDefault();
    retire();
    const main = readMain();
    const parsed = parseWidthState(Object.fromEntries(KEYS.map((k) => [k, input(k).value])) as Record<keyof WidthState, string>);
    for (const key of KEYS) {
      if (parsed.problems.some((p) => p.key === key)) input(key).setAttribute("aria-invalid", "true");
      else input(key).removeAttribute("aria-invalid");
    }
    const problems = [...parsed.problems.map((p) => p.message), ...(main.problems.length > 0 ? ["The inputs above are not all valid (listed there)."] : [])];
    el.problems.replaceChildren(...problems.map((text) => Object.assign(document.createElement("li"), { textContent: text })));
    clear("");
    if (problems.length > 0) {
      setStatus("invalid", `not run: ${problems.length === 1 ? "an input is" : `${problems.length} inputs are`} not valid (listed below)`);
      return;
    }
    el.progress.value = 0;
    setStatus("running", "running…");
    worker.postMessage({ type: "width", id, state: main.state, width: parsed.state } satisfies WorkerRequest);
  });
  el.cancel.addEventListener("click", () => {
    if (running) worker.postMessage({ type: "cancel", id } satisfies WorkerRequest);
  });

  worker.addEventListener("message", (event: MessageEvent<WorkerReply>) => {
    const reply = event.data;
    if (reply.id !== id) return;
    if (reply.type === "progress") {
      el.progress.value = reply.total > 0 ? reply.done / reply.total : 1;
      el.status.value = `running: ${reply.phase}, ${reply.done} of ${reply.total}`;
    } else if (reply.type === "error") {
      if (reply.code === "ABORTED") {
        setStatus("cancelled", "cancelled");
        clear("Monte Carlo cancelled: nothing is shown.");
      } else {
        setStatus("failed", "failed: see the message below");
        clear(`${pageWords(reply.message)} (error code ${reply.code})`);
      }
    } else if (reply.type === "widthResult") {
      el.progress.value = 1;
      show(reply.result);
      setStatus("done", `done in ${(reply.result.elapsedMs / 1000).toFixed(2)} s`);
    }
  });

  function show(r: WidthSeries): void {
    el.legend.textContent =
      `${r.samples} networks of depth L = ${r.depth} with hidden width n = ${r.width} (weight seed ${r.seed}), on the first ${r.m} training points ` +
      `(at most ${MAX_WIDTH_POINTS}) of the data above, with its σw and σb. Θ̄_n = Θ_n(x, x′) / √(Θ_n(x, x) Θ_n(x′, x′)), the normalized empirical NTK of ` +
      `each network; mean over the ${r.samplesUsed} networks where it is defined` +
      (r.samplesDead > 0 ? ` (${r.samplesDead} had an input with a zero diagonal)` : "") +
      `; ± one standard error of the mean (sample std / √S); z = (mean − Θ̄) / standard error. ` +
      `Raw diagonal Θ_n(x, x) / Θ(x, x), averaged: ${formatFloat64(r.diagScaled.value)} ± ${formatFloat64(r.diagScaled.stderr)} (1 at infinite width).`;
    const head = document.createElement("tr");
    const columns = [
      ["pair", "pair"],
      ["infinite", "Θ̄ infinite width"],
      ["mean", "Θ̄_n mean"],
      ["stderr", "± standard error"],
      ["zScore", "z"],
    ] as const;
    for (const [, title] of columns) head.append(Object.assign(document.createElement("th"), { textContent: title, scope: "col" }));
    const rows = r.entries.map((e) => {
      const tr = document.createElement("tr");
      const text = {
        pair: e.pair,
        infinite: formatFloat64(e.infinite),
        mean: formatFloat64(e.mean),
        stderr: formatFloat64(e.stderr),
        zScore: e.zScore === null ? "—" : e.zScore.toFixed(2),
      };
      for (const [key] of columns) {
        const td = Object.assign(document.createElement("td"), { textContent: text[key] });
        td.dataset.key = key;
        tr.append(td);
      }
      return tr;
    });
    el.table.replaceChildren(head, ...rows);
    el.note.hidden = true;
  }
}
