/**
 * The study report as a value: sections of markdown text with their verdicts, the data tables and
 * the figures. {@link renderIndexMarkdown} turns it into `index.md`; files.ts writes it with its
 * data and figures. Keeping the document a value lets tests and browsers use it without a file
 * system. Browser-safe.
 */
import type { DataTable } from "./dataTable.js";
import type { Figure } from "./figures.js";
import { CLAIM_STATEMENTS, type ClaimVerdict } from "./verdicts.js";

/** One section of index.md. */
export interface ReportSection {
  readonly heading: string;
  /** The paper's claim this section judges, if any. */
  readonly verdict?: ClaimVerdict;
  /** Markdown paragraphs (tables included), in order. */
  readonly paragraphs: readonly string[];
  /** Names of figures shown in this section. */
  readonly figures?: readonly string[];
  /** Names of data tables behind this section. */
  readonly tables?: readonly string[];
}

/** Everything a study writes. */
export interface StudyDocument {
  readonly title: string;
  /** Opening paragraphs: what was computed, parametrization, precision. */
  readonly preamble: readonly string[];
  readonly sections: readonly ReportSection[];
  readonly tables: readonly DataTable[];
  readonly figures: readonly Figure[];
}

/** Folder (inside the report folder) holding the figures. */
export const FIGURE_DIR = "figures";
/** Folder holding the data tables. */
export const DATA_DIR = "data";

/** A GitHub-flavoured markdown table; cells are written as given (already formatted). */
export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const escape = (s: string) => s.replaceAll("|", "\\|");
  const line = (cells: readonly string[]) => `| ${cells.map(escape).join(" | ")} |`;
  return [line(headers), line(headers.map(() => "---")), ...rows.map(line)].join("\n");
}

/** The line index.md prints for a verdict: the claim and the one-word outcome, bolded. */
function verdictLine(v: ClaimVerdict): string {
  return `**Verdict: ${v.verdict}.** Claim ${v.claim}: ${CLAIM_STATEMENTS[v.claim]}`;
}

/** index.md of the report folder. Figures are linked as SVG, data as CSV and JSON. */
export function renderIndexMarkdown(doc: StudyDocument): string {
  const figureByName = new Map(doc.figures.map((f) => [f.name, f]));
  const tableByName = new Map(doc.tables.map((t) => [t.name, t]));
  const out: string[] = [`# ${doc.title}`, "", ...doc.preamble.flatMap((p) => [p, ""])];
  const verdicts = doc.sections.flatMap((s) => (s.verdict ? [s.verdict] : []));
  if (verdicts.length > 0) {
    out.push(
      "## Verdicts at a glance",
      "",
      markdownTable(
        ["claim", "verdict"],
        verdicts.map((v) => [`${v.claim}. ${CLAIM_STATEMENTS[v.claim]}`, v.verdict]),
      ),
      "",
    );
  }
  for (const s of doc.sections) {
    out.push(`## ${s.heading}`, "");
    if (s.verdict) {
      out.push(verdictLine(s.verdict), "", ...s.verdict.reasons.map((r) => `- ${r}`), "");
    }
    for (const p of s.paragraphs) out.push(p, "");
    for (const name of s.figures ?? []) {
      const f = figureByName.get(name);
      if (!f) throw new Error(`section "${s.heading}" names a figure "${name}" that the document does not hold`);
      out.push(
        `![${f.caption}](${FIGURE_DIR}/${f.name}.svg)`,
        "",
        `*${f.caption}* ([SVG](${FIGURE_DIR}/${f.name}.svg), [PNG](${FIGURE_DIR}/${f.name}.png))`,
        "",
      );
    }
    const tables = (s.tables ?? []).map((name) => {
      const t = tableByName.get(name);
      if (!t) throw new Error(`section "${s.heading}" names a table "${name}" that the document does not hold`);
      return `[${t.name}.csv](${DATA_DIR}/${t.name}.csv) / [.json](${DATA_DIR}/${t.name}.json)`;
    });
    if (tables.length > 0) out.push(`Data: ${tables.join(", ")}.`, "");
  }
  out.push(
    "## Data files",
    "",
    markdownTable(
      ["file", "what it holds"],
      doc.tables.map((t) => [`${DATA_DIR}/${t.name}.csv`, t.description]),
    ),
    "",
  );
  return out.join("\n");
}
