/**
 * The study's Gram-matrix experiment on random sphere data (SPEC §5, claims 2 and 3): the
 * off-diagonal entries of Θ̄ and Σ̄ through depth, and det of both, by float64 LU of K̄ and by
 * float64 from the complement E = 1 − K̄ (accurate where LU of K̄ is not), from the float64 Gram
 * path over the training points (for σb = 0 its depth-L maps, SPEC §9, reach any depth to 2^60).
 */
import type { Cell, DataTable } from "./dataTable.js";
import { NNGP_LABEL, NTK_LABEL } from "./predictionExperiment.js";
import {
  gramThroughDepthFloat64,
  type GramAtDepthFloat64,
  analyzeMatrixFloat64,
  type ProgressOptions,
  type NetworkParams,
  type SpherePoints,
} from "../index.js";
import { determinantFromComplement } from "../advanced.js";

/** The two normalized kernels the experiment studies: their labels and where their matrices are. */
const KERNELS = [
  { label: NTK_LABEL, bar: (g: GramAtDepthFloat64) => g.ntkNormalized, complement: (g: GramAtDepthFloat64) => g.oneMinusNtkNormalized },
  { label: NNGP_LABEL, bar: (g: GramAtDepthFloat64) => g.sigmaNormalized, complement: (g: GramAtDepthFloat64) => g.oneMinusSigmaNormalized },
] as const;

/** Method labels of the determinant table. */
export const DET_METHOD = { lu: "float64, LU of K̄", complement: "float64, from 1 − K̄", precise: "high precision" } as const;

/** Inputs of {@link runGramExperiment}. */
export interface GramExperimentInput extends ProgressOptions {
  /** The training points, on the sphere. */
  readonly points: SpherePoints;
  readonly depths: readonly number[];
  readonly params?: NetworkParams;
}

/** Tables produced by the experiment (figures and verdicts are drawn from them). */
export interface GramExperiment {
  /** Off-diagonal entries of Θ̄, Σ̄ and their complements at every depth. */
  readonly entries: DataTable;
  /** log10|det| of Θ̄ and Σ̄ by each float64 method (high-precision rows are added by run.ts). */
  readonly determinants: DataTable;
}

/** Columns of the determinant table (shared with the high-precision rows). */
export const DETERMINANT_COLUMNS = [
  { key: "depth", meaning: "L, number of weight layers" },
  { key: "matrix", meaning: "which normalized Gram matrix of the training points" },
  { key: "method", meaning: "how det was computed" },
  { key: "log10AbsDet", meaning: "log10 |det K̄| (null: exactly singular)" },
  { key: "signDet", meaning: "sign of det K̄ (−1, 0, 1)" },
  { key: "digits", meaning: "significant digits of det the method keeps (float64: from the κ1 estimate; high precision: vouched by two precisions)" },
] as const;

/**
 * Runs the float64 Gram pass and analyses every depth. Cost: one Gram pass over (m choose 2) pairs
 * to the deepest depth, plus two small LUs per kernel and depth.
 */
export async function runGramExperiment(o: GramExperimentInput): Promise<GramExperiment> {
  const m = o.points.m;
  // Depths beyond 2^53 are powers of two here, exact as numbers; the library takes them as exact bigints
  // and, for σb = 0, fills the matrices from its depth-L maps (cost independent of L).
  const { grams } = await gramThroughDepthFloat64({
    points: o.points,
    depths: o.depths.map((d) => BigInt(d)),
    params: o.params,
    onProgress: o.onProgress,
    signal: o.signal,
  });
  const entryRows: Record<string, Cell>[] = [];
  const detRows: Record<string, Cell>[] = [];
  for (const g of grams) {
    for (let i = 0; i < m; i++) {
      for (let j = i + 1; j < m; j++) {
        const k = i * m + j;
        entryRows.push({
          depth: g.depth,
          entry: `(${i + 1},${j + 1})`,
          ntkNormalized: g.ntkNormalized[k],
          oneMinusNtkNormalized: g.oneMinusNtkNormalized[k],
          sigmaNormalized: g.sigmaNormalized[k],
          oneMinusSigmaNormalized: g.oneMinusSigmaNormalized[k],
        });
      }
    }
    for (const kernel of KERNELS) {
      const lu = await analyzeMatrixFloat64(kernel.bar(g), m);
      detRows.push({
        depth: g.depth,
        matrix: kernel.label,
        method: DET_METHOD.lu,
        log10AbsDet: lu.singular ? null : lu.log10AbsDet,
        signDet: lu.signDet,
        digits: lu.digitsKept,
      });
      const viaComplement = await determinantFromComplement(kernel.complement(g), m);
      detRows.push({
        depth: g.depth,
        matrix: kernel.label,
        method: DET_METHOD.complement,
        log10AbsDet: viaComplement && viaComplement.signDet !== 0 ? viaComplement.log10AbsDet : null,
        signDet: viaComplement ? viaComplement.signDet : null,
        digits: viaComplement ? viaComplement.digitsKept : null,
      });
    }
  }
  return {
    entries: {
      name: "kernel-entries",
      description: `Off-diagonal entries of the normalized Gram matrices of ${m} random training points, float64 Gram path (the direct loop, or for σb = 0 the depth-L maps of SPEC §9 where they are faster; complements carried directly, SPEC §4; accurate to about 1e-12 relative).`,
      columns: [
        { key: "depth", meaning: "L, number of weight layers" },
        { key: "entry", meaning: "(i,j), training points i < j" },
        { key: "ntkNormalized", meaning: "Θ̄^(L)(x_i, x_j)" },
        { key: "oneMinusNtkNormalized", meaning: "1 − Θ̄^(L)(x_i, x_j), carried directly" },
        { key: "sigmaNormalized", meaning: "Σ̄^(L)(x_i, x_j) = ρ^(L)" },
        { key: "oneMinusSigmaNormalized", meaning: "1 − ρ^(L), carried directly" },
      ],
      rows: entryRows,
    },
    determinants: {
      name: "determinants",
      description: `log10|det| of the ${m} × ${m} training Θ̄ and Σ̄: float64 LU of K̄, float64 via 1 − K̄ (matrix determinant lemma), and high precision where computed.`,
      columns: DETERMINANT_COLUMNS,
      rows: detRows,
    },
  };
}
