/**
 * Quadrature in the angle φ = arccos ρ1 ∈ [0, π] for integrals of the depth-L kernels against
 * Gegenbauer polynomials (gegenbauer.ts). As a function of ρ1 the ReLU kernels have (1 − ρ1)^{1/2}
 * branch points at ρ1 = ±1, so Gauss rules in ρ1 converge slowly; as functions of φ they are
 * analytic on [0, π] (SPEC §9: the map is analytic in θ), and so is the whole integrand
 * k(cos φ) P_k(cos φ) sin^{n0−2} φ. Gauss–Legendre on panels in φ then converges geometrically.
 * Two things set the panels: the integrand oscillates like cos(kφ), so a panel spans at most
 * {@link PANEL_PHASE} radians of phase at the largest degree K; and the depth-L kernel has a
 * complex singularity about 3π/L from φ = 0 (the Abel coordinate 3π/θ of SPEC §9 has a pole there),
 * so panels are graded geometrically towards 0, down to width min(1/L, 1/100). Browser-safe.
 */

/** Largest phase K·(panel width) a panel may span: 24 nodes then integrate cos(Kφ) to ~1e-26. */
const PANEL_PHASE = 20;
/** The graded panels start at this width (or at 1/deepest depth, if smaller). */
const GRADING_START = 0.01;

/** Nodes and weights of a quadrature rule. */
export interface QuadratureRule {
  readonly nodes: Float64Array;
  readonly weights: Float64Array;
}

const gaussCache = new Map<number, QuadratureRule>();

/**
 * The n-point Gauss–Legendre rule on [−1, 1] (exact for polynomials of degree 2n − 1), by Newton
 * iteration on the Legendre three-term recurrence; nodes and weights to a few ulps for n ≤ 100.
 */
export function gaussLegendre(n: number): QuadratureRule {
  const cached = gaussCache.get(n);
  if (cached) return cached;
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let x = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let dp = 1;
    for (let iter = 0; iter < 100; iter++) {
      let p0 = 1;
      let p1 = x;
      for (let k = 2; k <= n; k++) [p0, p1] = [p1, ((2 * k - 1) * x * p1 - (k - 1) * p0) / k];
      dp = (n * (x * p1 - p0)) / (x * x - 1);
      const dx = p1 / dp;
      x -= dx;
      if (Math.abs(dx) <= 1e-16) break;
    }
    nodes[i] = x;
    weights[i] = 2 / ((1 - x * x) * dp * dp);
  }
  const rule = { nodes, weights };
  gaussCache.set(n, rule);
  return rule;
}

/**
 * Panel ends on [0, π] for degrees up to `maxDegree` and kernels up to depth `deepest`:
 * 0, δ, 2δ, 4δ, … while below the oscillation width w = min(1/4, PANEL_PHASE / maxDegree), then
 * equal panels of width ≤ w to π (δ = min(1/deepest, GRADING_START)).
 */
export function anglePanels(maxDegree: number, deepest: number): number[] {
  const width = Math.min(0.25, PANEL_PHASE / Math.max(1, maxDegree));
  const ends = [0];
  for (let x = Math.min(1 / deepest, GRADING_START); x < width; x *= 2) ends.push(x);
  const count = Math.ceil((Math.PI - width) / width);
  for (let i = 0; i <= count; i++) ends.push(width + ((Math.PI - width) * i) / count);
  return ends;
}

/**
 * Composite Gauss–Legendre rule in φ over the panels of {@link anglePanels}, `perPanel` nodes a
 * panel: ∫_0^π F(φ) dφ ≈ Σ weights[i] F(nodes[i]). Nodes ascend, all strictly inside (0, π).
 */
export function angleRule(maxDegree: number, deepest: number, perPanel: number): QuadratureRule {
  const ends = anglePanels(maxDegree, deepest);
  const g = gaussLegendre(perPanel);
  const nodes = new Float64Array((ends.length - 1) * perPanel);
  const weights = new Float64Array(nodes.length);
  for (let p = 0; p + 1 < ends.length; p++) {
    const mid = (ends[p] + ends[p + 1]) / 2;
    const half = (ends[p + 1] - ends[p]) / 2;
    for (let i = 0; i < perPanel; i++) {
      // Gauss nodes come in descending order; store ascending.
      const j = perPanel - 1 - i;
      nodes[p * perPanel + i] = mid + half * g.nodes[j];
      weights[p * perPanel + i] = half * g.weights[j];
    }
  }
  return { nodes, weights };
}
