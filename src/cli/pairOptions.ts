/**
 * The flags that describe one pair through depth, shared by `rho` and `compare`: ρ1, the final
 * depth, checkpoints, σw, σb and n0, declared once and read once into the library's PairOptions.
 */
import type { Command } from "commander";
import { parseInteger } from "./options.js";
import { type PairOptions } from "../index.js";

/** The raw text of the pair flags, as commander hands them over. */
export interface PairFlags {
  rho1: string;
  depth: string;
  at?: string;
  sigmaW: string;
  sigmaB: string;
  inputDim: string;
}

/** Declares the pair flags on `command`; `maxDepth` is named in --depth's help. */
export function addPairFlags(command: Command, maxDepth: number | bigint): Command {
  return command
    .requiredOption("--rho1 <R>", "input correlation ρ1 = x·x′ in [−1, 1], read as the exact decimal it spells (0.9999999 means 1 − ρ1 = 1e-7)")
    .requiredOption("--depth <L>", `final depth (weight layers), 1 ≤ L ≤ ${maxDepth.toLocaleString("en-US")}`)
    .option("--at <L1,L2,…>", "checkpoint depths to report (default: the final depth)")
    .option("--sigma-w <σw>", "weight scale σw > 0", "1")
    .option("--sigma-b <σb>", "bias scale σb ≥ 0", "0")
    .option("--input-dim <n0>", "input dimension n0 of the unit inputs (scales raw Σ and Θ)", "1");
}

/**
 * The library options the pair flags spell (n0 parsed here; everything else is validated by the
 * library). Depths stay decimal text, which the library reads exactly ("1000000000000000001", "1e18").
 */
export function pairOptionsOf(flags: PairFlags): PairOptions & { inputDim: number; depth: string; at?: string[] } {
  return {
    rho1: flags.rho1,
    depth: flags.depth,
    at: flags.at === undefined ? undefined : flags.at.split(",").map((part) => part.trim()),
    params: { sigmaW: flags.sigmaW, sigmaB: flags.sigmaB },
    inputDim: parseInteger(flags.inputDim, "--input-dim", "BAD_OPTION"),
  };
}
