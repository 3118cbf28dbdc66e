/**
 * `ntk-depth train`: gradient-descent training of sampled finite networks on a data file, against
 * their own linearization and the infinite-width closed form (docs/FINITE_WIDTH.md, SPEC §6).
 */
import type { Command } from "commander";
import { loadDataset } from "../data/files.js";
import { toExactDecimal } from "../decimalText.js";
import { isNtkError } from "../errors.js";
import { countOf, formatFloat64, renderTable } from "../format.js";
import { PROJECTIONS } from "../sphere/float64.js";
import type { Projection } from "../types.js";
import { checkWidth } from "../width/network.js";
import { trainNetworks, type TrainCheckpoint } from "../width/training.js";
import { type CliIO, printJson, printText, progressSink } from "./context.js";
import { parseInteger } from "./options.js";
import { withProgress } from "./progressBar.js";

interface TrainFlags {
  train: string;
  test: string;
  depth: string;
  width: string;
  steps: string;
  learningRate: string;
  seed: string;
  samples: string;
  at?: string;
  projection: string;
  sigmaW: string;
  sigmaB: string;
  json?: boolean;
}

/** Registers `train` on the program. */
export function register(program: Command, io: CliIO): void {
  program
    .command("train")
    .description(
      "Trains S sampled finite ReLU networks (SPEC §1, every hidden width N) by full-batch gradient descent on ½ Σ (f(x_i) − y_i)² with " +
        "learning rate η for T steps (SPEC §6 time t = steps, flow time ηt). At each checkpoint: step, trainLoss (½ Σ residual², mean over " +
        "networks), kernelChange = ‖Θ_t − Θ_0‖_F / ‖Θ_0‖_F of the empirical NTK on the training points (mean; null when Θ_0 = 0 for every network, dead on every training point), and per test point: trained " +
        "(mean output of the trained networks, with trainedStderr over networks when S ≥ 2), linearized (each network's linearization " +
        "f_0(x) + Θ_0(x,X) Θ_0⁻¹ (I − e^{−ηΘ_0 t}) (Y − f_0(X)), mean) and infiniteWidth (SPEC §6's f_t with the infinite-width Θ^(L)). " +
        "Float64 throughout; the closed forms through the eigendecomposition of predict. A diverging run stops with the step and the " +
        "checkpoints reached.",
    )
    .requiredOption("--train <FILE>", "training data with one target per point (JSON or CSV)")
    .requiredOption("--test <FILE>", "test points (JSON or CSV; targets ignored)")
    .requiredOption("--depth <L>", "depth L (number of weight layers), 1 ≤ L ≤ 1000")
    .requiredOption("--width <N>", "width of every hidden layer, an integer ≥ 1")
    .requiredOption("--steps <T>", "gradient-descent steps, an integer ≥ 1")
    .requiredOption("--learning-rate <η>", "learning rate η > 0")
    .option("--seed <K>", "seed, an integer 0 … 2^53 − 1 (network s uses the (s+1)-th SplitMix64 output of K)", "0")
    .option("--samples <S>", "number of networks trained (means over them), an integer ≥ 1", "1")
    .option("--at <steps>", "comma-separated checkpoint steps (default 0, T and nine between)")
    .option("--projection <p>", `how points reach the sphere: ${PROJECTIONS.join(" | ")}`, "normalize")
    .option("--sigma-w <σw>", "weight scale σw > 0", "1")
    .option("--sigma-b <σb>", "bias scale σb ≥ 0", "0")
    .option("--json", "one JSON document on stdout, every number a decimal string")
    .action(async (flags: TrainFlags) => {
      const json = flags.json === true;
      const [train, test] = await Promise.all([loadDataset(flags.train), loadDataset(flags.test)]);
      const depth = parseInteger(flags.depth, "--depth", "BAD_DEPTH");
      const width = checkWidth(parseInteger(flags.width, "--width", "BAD_WIDTH"), "--width");
      const steps = parseInteger(flags.steps, "--steps", "BAD_OPTION");
      const learningRate = toExactDecimal(flags.learningRate, "--learning-rate").toNumber();
      const samples = parseInteger(flags.samples, "--samples", "BAD_SAMPLES");
      const seed = parseInteger(flags.seed, "--seed", "BAD_OPTION");
      const at = flags.at === undefined ? undefined : flags.at.split(",").map((s) => parseInteger(s, "--at", "BAD_OPTION"));
      const header = {
        depth: String(depth),
        width: String(width),
        steps: String(steps),
        learningRate: formatFloat64(learningRate),
        samples: String(samples),
        seed: String(seed),
        sigmaW: flags.sigmaW,
        sigmaB: flags.sigmaB,
      };
      const print = (checkpoints: readonly TrainCheckpoint[], extra: Record<string, unknown> = {}) => {
        if (json) printJson(io, { ...header, ...extra, checkpoints: checkpoints.map(checkpointJson) });
        else printText(io, trainText(checkpoints, header));
      };
      try {
        const result = await withProgress(
          `training ${samples} network${samples > 1 ? "s" : ""} of width ${width}, depth ${depth}`,
          progressSink(io, json),
          (progress) =>
            trainNetworks({
              train,
              test,
              depth,
              width,
              steps,
              learningRate,
              seed,
              samples,
              at,
              projection: flags.projection as Projection,
              params: { sigmaW: flags.sigmaW, sigmaB: flags.sigmaB },
              ...progress,
            }),
        );
        print(result.checkpoints, { infiniteLambdaMax: formatFloat64(result.infiniteLambdaMax) });
      } catch (e) {
        // A diverging run still shows what it reached before the error.
        if (isNtkError(e, "DIVERGED")) print(e.details.checkpoints as TrainCheckpoint[], { diverged: true, divergedAtStep: String(e.details.step) });
        throw e;
      }
    });
}

function checkpointJson(c: TrainCheckpoint) {
  return {
    step: String(c.step),
    trainLoss: formatFloat64(c.trainLoss),
    kernelChange: c.kernelChange === null ? null : formatFloat64(c.kernelChange),
    testPoints: Array.from(c.trained, (trained, i) => ({
      point: String(i + 1),
      trained: formatFloat64(trained),
      trainedStderr: c.trainedStderr === null ? null : formatFloat64(c.trainedStderr[i]),
      linearized: formatFloat64(c.linearized[i]),
      infiniteWidth: formatFloat64(c.infiniteWidth[i]),
    })),
  };
}

function trainText(checkpoints: readonly TrainCheckpoint[], h: Record<string, string>): string {
  const fmt = (x: number) => x.toPrecision(6);
  const rows = checkpoints.flatMap((c) =>
    Array.from(c.trained, (trained, i) => [
      i === 0 ? String(c.step) : "",
      i === 0 ? fmt(c.trainLoss) : "",
      i === 0 ? (c.kernelChange === null ? "—" : c.kernelChange.toExponential(3)) : "",
      String(i + 1),
      fmt(trained) + (c.trainedStderr ? ` ± ${c.trainedStderr[i].toPrecision(2)}` : ""),
      fmt(c.linearized[i]),
      fmt(c.infiniteWidth[i]),
    ]),
  );
  const legend = [
    `Gradient descent, ${countOf(Number(h.samples), "network")} of depth L = ${h.depth}, hidden width ${h.width}, σw = ${h.sigmaW}, σb = ${h.sigmaB}, η = ${h.learningRate}, seed ${h.seed}.`,
    "loss = ½ Σ (f − y)² on the training points; ΔΘ = ‖Θ_t − Θ_0‖_F/‖Θ_0‖_F; per test point x: trained f(x) (± stderr over networks), its linearization, and the infinite-width f_t.",
  ];
  return (
    renderTable(
      ["step", "loss", "ΔΘ", "x", "trained", "linearized", "infinite width"].map((header) => ({ header })),
      rows,
      legend,
    ) + "\n"
  );
}
