/**
 * `ntk-depth study [--quick] [--out DIR]`: runs the study of the paper's claims (SPEC §8) and
 * writes the report folder (index.md, figures as SVG and PNG, data as CSV and JSON). Prints the
 * verdicts and where the report is.
 */
import type { Command } from "commander";
import { runStudy } from "../study/run.js";
import { writeStudyDocument } from "../study/files.js";
import { CLAIM_STATEMENTS } from "../study/verdicts.js";
import { DEFAULT_SEED } from "../study/plan.js";
import { type CliIO, printJson, progressSink } from "./context.js";
import { parseInteger } from "./options.js";
import { withProgress } from "./progressBar.js";
import { nodeBuiltinDataFiles } from "../data/files.js";

interface StudyFlags {
  quick?: boolean;
  out: string;
  seed: string;
  sigmaW: string;
  sigmaB: string;
  json?: boolean;
}

/** Report folder used when --out is not given (relative to the working directory). */
export const DEFAULT_REPORT_DIR = "report";

/** Registers `study` on the program. */
export function register(program: Command, io: CliIO): void {
  program
    .command("study")
    .description(
      "Computes the paper's experiments (SPEC §8) and judges its four claims, and two on the Mercer spectrum, from the numbers: ρ^(L) and Θ̄^(L) through depth (to L = 2^60 by the depth jump), " +
        "the rate of 1 − ρ^(L), the depth at which 1 − ρ falls below δ = 1e-1 … 1e-12, determinants and closed-form predictions " +
        "on random sphere data, the spectrum μ_k^(L) of Θ̄ and Σ̄ on the sphere, and where float64 gives out against high precision. Writes index.md, figures (SVG, PNG) and " +
        "data (CSV, JSON) to the report folder. Default run: under 3 minutes on 2 cores; --quick: under 20 seconds.",
    )
    .option("--quick", "shallower depths and a lower high-precision depth (for CI); same experiments")
    .option("--out <DIR>", "report folder (created if missing; files of the same names are replaced)", DEFAULT_REPORT_DIR)
    .option("--seed <N>", "seed of the random sphere data, an integer 0 … 4294967295", String(DEFAULT_SEED))
    .option("--sigma-w <σw>", "weight scale σw > 0 (the paper's claims are stated for 1)", "1")
    .option("--sigma-b <σb>", "bias scale σb ≥ 0 (the paper's claims are stated for 0)", "0")
    .option("--json", "print the verdicts and the files written as one JSON document")
    .action(async (flags: StudyFlags) => {
      const seed = parseInteger(flags.seed, "--seed", "BAD_OPTION");
      const doc = await withProgress(flags.quick ? "Study (quick)" : "Study", progressSink(io, flags.json === true), (progress) =>
        runStudy({ quick: flags.quick === true, seed, params: { sigmaW: flags.sigmaW, sigmaB: flags.sigmaB }, dataFiles: nodeBuiltinDataFiles, ...progress }),
      );
      const written = await writeStudyDocument(flags.out, doc);
      const verdicts = doc.sections.flatMap((s) => (s.verdict ? [s.verdict] : []));
      if (flags.json) {
        printJson(io, {
          out: flags.out,
          files: written,
          verdicts: verdicts.map((v) => ({ claim: String(v.claim), statement: CLAIM_STATEMENTS[v.claim], verdict: v.verdict, reasons: v.reasons })),
        });
        return;
      }
      for (const v of verdicts) io.out(`Claim ${v.claim} (${CLAIM_STATEMENTS[v.claim]}): ${v.verdict}\n`);
      io.out(`Report: ${flags.out}/index.md (${written.length} files written)\n`);
    });
}
