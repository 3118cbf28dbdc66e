/**
 * Writes a study document to a folder (Node only: file system and the native SVG → PNG
 * renderer): `index.md`, `figures/<name>.svg` and `.png`, `data/<name>.csv` and `.json`.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Resvg } from "@resvg/resvg-js";
import { tableToCsv, tableToJson } from "./dataTable.js";
import { DATA_DIR, FIGURE_DIR, renderIndexMarkdown, type StudyDocument } from "./document.js";
import { renderSvg } from "./figures.js";
import { NtkError } from "../index.js";

/** PNGs are drawn at this multiple of the SVG's size, for sharp text on high-density screens. */
const PNG_ZOOM = 2;

/** Renders an SVG document to PNG bytes with system fonts. */
function svgToPng(svg: string): Uint8Array {
  return new Resvg(svg, { fitTo: { mode: "zoom", value: PNG_ZOOM }, font: { loadSystemFonts: true } }).render().asPng();
}

/**
 * Writes `doc` under `dir` (created if missing; existing files of the same names are replaced)
 * and returns the paths written, relative to `dir`. Throws `FILE_UNREADABLE` naming the path
 * when the folder cannot be created or a file cannot be written.
 */
export async function writeStudyDocument(dir: string, doc: StudyDocument): Promise<string[]> {
  const written: string[] = [];
  const put = async (relative: string, content: string | Uint8Array) => {
    const path = join(dir, relative);
    try {
      await writeFile(path, content);
    } catch (e) {
      throw new NtkError("FILE_UNREADABLE", `cannot write ${path}: ${(e as Error).message}. Choose another --out folder.`, { path });
    }
    written.push(relative);
  };
  for (const sub of [dir, join(dir, FIGURE_DIR), join(dir, DATA_DIR)]) {
    try {
      await mkdir(sub, { recursive: true });
    } catch (e) {
      throw new NtkError("FILE_UNREADABLE", `cannot create the folder ${sub}: ${(e as Error).message}. Choose another --out folder.`, { path: sub });
    }
  }
  for (const t of doc.tables) {
    await put(join(DATA_DIR, `${t.name}.csv`), tableToCsv(t));
    await put(join(DATA_DIR, `${t.name}.json`), tableToJson(t));
  }
  for (const f of doc.figures) {
    const svg = await renderSvg(f);
    await put(join(FIGURE_DIR, `${f.name}.svg`), svg);
    await put(join(FIGURE_DIR, `${f.name}.png`), svgToPng(svg));
  }
  await put("index.md", renderIndexMarkdown(doc));
  return written;
}
