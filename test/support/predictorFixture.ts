/** One case of test/fixtures/predictor_covariance.json (scripts/fixtures/predictor_covariance_reference.py): every number as decimal text. */
export interface PredictorCase {
  name: string;
  kernel: "ntk" | "nngp";
  time: string;
  diagReg: string;
  m: number;
  t: number;
  k: number;
  targets: string[];
  trainNngp: string[];
  trainNtk: string[];
  testNngp: string[];
  testNtk: string[];
  testTestNngp: string[];
  mean: string[];
  covariance: string[];
  /** The same at 60 digits, for the decimal predictor. */
  meanPrecise: string[];
  covariancePrecise: string[];
}
