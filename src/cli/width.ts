/**
 * `ntk-depth width`: Monte Carlo over sampled finite networks on a data file (docs/FINITE_WIDTH.md):
 * per off-diagonal entry of the normalized empirical kernel (Θ̄_n or Σ̄_n) the mean, standard
 * deviation and standard error over S networks beside the infinite-width value and a z-score, and
 * the raw diagonal's statistics against its infinite-width value.
 */
import { Option, type Command } from "commander";
import { loadDataset } from "../data/files.js";
import { NtkError } from "../errors.js";
import { countOf, formatFloat64, renderTable } from "../format.js";
import { PROJECTIONS, projectToSphereFloat64 } from "../sphere/float64.js";
import type { KernelName, Projection } from "../types.js";
import { monteCarloKernels, type EntryStatistics, type MonteCarloResult } from "../width/monteCarlo.js";
import { checkWidth } from "../width/network.js";
import { sampleWorkerRunner, defaultThreads } from "../width/sampleWorkers.js";
import { type CliIO, kernelSymbol, printJson, printText, progressSink } from "./context.js";
import { parseInteger } from "./options.js";
import { withProgress } from "./progressBar.js";

interface WidthFlags {
  data: string;
  depth: string;
  width: string;
  samples: string;
  seed: string;
  kernel: KernelName;
  projection: Projection;
  sigmaW: string;
  sigmaB: string;
  threads?: string;
  json?: boolean;
}

/** Below this many weights generated in all (S · 2 Σ n_l n_{l−1}, about a second of work) the run stays on this thread by default. */
const WORKERS_FROM_GAUSSIANS = 5e7;

/** Registers `width` on the program. */
export function register(program: Command, io: CliIO): void {
  program
    .command("width")
    .description(
      "Samples S finite ReLU networks (SPEC §1 with every hidden width N, NTK parametrization, seeded weights) and compares their empirical " +
        "kernels on a data file's points with the infinite-width ones (docs/FINITE_WIDTH.md). Per off-diagonal entry (i, j), 1-based, of the " +
        "normalized kernel (Θ̄_n or Σ̄_n, the NNGP of the last hidden layer): mean, std (divisor S − 1) and stderr (std/√S) over the networks, " +
        "the infinite-width value (SPEC §2) and zScore = (mean − infinite)/stderr (null when stderr is 0). diagScaledMean is the raw diagonal " +
        "K_n(x,x) over its infinite-width value, averaged over points and networks (1 at infinite width); diagSecondMomentRatio is " +
        "E[K_n(x,x)²]/E[K_n(x,x)]² pooled over points (1 at infinite width; grows with depth/width), each with a jackknife stderr. Networks " +
        "dead for some input (K_n(x,x) = 0) are counted and left out of the normalized statistics. Same seed, same numbers, whatever --threads.",
    )
    .requiredOption("--data <FILE>", 'data file: .json ({"points": [[…], …]}) or .csv with a header')
    .requiredOption("--depth <L>", "depth L (number of weight layers), 1 ≤ L ≤ 1000")
    .requiredOption("--width <N>", "width of every hidden layer, an integer ≥ 1")
    .requiredOption("--samples <S>", "number of sampled networks, an integer ≥ 2")
    .option("--seed <K>", "seed of the run, an integer 0 … 2^53 − 1 (network s uses the (s+1)-th SplitMix64 output of K)", "0")
    .addOption(new Option("--kernel <name>", "which kernel: ntk (Θ_n) or nngp (Σ_n)").choices(["ntk", "nngp"]).default("ntk"))
    .addOption(new Option("--projection <p>", "how raw points are put on the unit sphere (SPEC §7)").choices([...PROJECTIONS]).default("normalize"))
    .option("--sigma-w <σw>", "weight scale σw > 0", "1")
    .option("--sigma-b <σb>", "bias scale σb ≥ 0", "0")
    .option("--threads <T>", "worker threads (default: all cores for long runs, this thread for short ones); results do not depend on it")
    .option("--json", "one JSON document on stdout, every number a decimal string")
    .action(async (flags: WidthFlags) => {
      const json = flags.json === true;
      const depth = parseInteger(flags.depth, "--depth", "BAD_DEPTH");
      const width = checkWidth(parseInteger(flags.width, "--width", "BAD_WIDTH"), "--width");
      const samples = parseInteger(flags.samples, "--samples", "BAD_SAMPLES");
      const seed = parseInteger(flags.seed, "--seed", "BAD_OPTION");
      const dataset = await loadDataset(flags.data);
      const points = projectToSphereFloat64(dataset, flags.projection);
      const gaussians = samples * 2 * (points.n0 * width + (depth - 2) * width * width + width);
      const threads =
        flags.threads === undefined ? (gaussians > WORKERS_FROM_GAUSSIANS ? defaultThreads() : 1) : parseInteger(flags.threads, "--threads", "BAD_OPTION");
      if (threads < 1) throw new NtkError("BAD_OPTION", `--threads must be an integer ≥ 1, got ${threads}.`, { threads });
      const params = { sigmaW: flags.sigmaW, sigmaB: flags.sigmaB };
      const result = await withProgress(`${samples} networks of width ${width}, depth ${depth}`, progressSink(io, json), (progress) =>
        monteCarloKernels({ points, depth, width, samples, seed, params, runner: threads > 1 ? sampleWorkerRunner(threads) : undefined, ...progress }),
      );
      const k = flags.kernel === "ntk" ? result.ntk : result.nngp;
      if (json) {
        // A ratio is undefined (null) only when every network is dead on every point.
        const num = (x: number) => (Number.isFinite(x) ? formatFloat64(x) : null);
        const stat = (e: EntryStatistics) => ({
          i: String(e.i + 1),
          j: String(e.j + 1),
          mean: num(e.mean),
          std: num(e.std),
          stderr: num(e.stderr),
          infinite: formatFloat64(e.infinite),
          zScore: e.zScore === null ? null : formatFloat64(e.zScore),
        });
        printJson(io, {
          kernel: flags.kernel,
          depth: String(depth),
          width: String(width),
          samples: String(samples),
          seed: String(seed),
          m: String(result.m),
          n0: String(points.n0),
          sigmaW: flags.sigmaW,
          sigmaB: flags.sigmaB,
          samplesUsed: String(k.samplesUsed),
          samplesDead: String(k.samplesDead),
          entries: k.entries.map(stat),
          diagScaled: k.diagScaled.map(stat),
          diagScaledMean: num(k.diagScaledMean.value),
          diagScaledMeanStderr: num(k.diagScaledMean.stderr),
          diagSecondMomentRatio: num(k.diagSecondMomentRatio.value),
          diagSecondMomentRatioStderr: num(k.diagSecondMomentRatio.stderr),
          diagSecondMomentRatioPerPoint: k.diagSecondMomentRatioPerPoint.map(num),
        });
        return;
      }
      printText(io, widthText(result, flags.kernel, width, seed, flags));
    });
}

function widthText(r: MonteCarloResult, kernel: KernelName, width: number, seed: number, flags: WidthFlags): string {
  const k = kernel === "ntk" ? r.ntk : r.nngp;
  const bar = kernelSymbol(kernel, true);
  const raw = kernelSymbol(kernel, false);
  const fmt = (x: number) => x.toPrecision(6);
  const legend = [
    `${bar}_n, the normalized empirical ${kernel === "ntk" ? "NTK" : "NNGP kernel (last hidden layer)"} of ${countOf(r.samples, "sampled network")} (depth L = ${r.depth}, hidden width ${width}, σw = ${flags.sigmaW}, σb = ${flags.sigmaB}, seed ${seed}), on ${countOf(r.m, "point")}.`,
    `mean, std, stderr over the ${k.samplesUsed} networks alive on every point${k.samplesDead > 0 ? ` (${k.samplesDead} dead for some input left out)` : ""}; infinite = ${bar}^(L) (SPEC §2); z = (mean − infinite)/stderr.`,
  ];
  const rows = k.entries.map((e) => [
    String(e.i + 1),
    String(e.j + 1),
    fmt(e.mean),
    fmt(e.std),
    fmt(e.stderr),
    fmt(e.infinite),
    e.zScore === null ? "—" : e.zScore.toFixed(2),
  ]);
  const table = renderTable(
    ["i", "j", "mean", "std", "stderr", "infinite", "z"].map((header) => ({ header })),
    rows,
    legend,
  );
  return [
    table,
    `${raw}_n(x,x) / ${raw}(x,x): mean ${fmt(k.diagScaledMean.value)} ± ${k.diagScaledMean.stderr.toPrecision(2)} (1 at infinite width)`,
    `E[${raw}_n(x,x)²] / E[${raw}_n(x,x)]²: ${fmt(k.diagSecondMomentRatio.value)} ± ${k.diagSecondMomentRatio.stderr.toPrecision(2)} (1 at infinite width)`,
    "",
  ].join("\n");
}
