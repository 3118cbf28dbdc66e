// Symmetric eigendecomposition A = V diag(λ) Vᵀ (SPEC §6: finite-time predictions) by cyclic
// Jacobi rotations (Rutishauser's formulation). Chosen over tridiagonalization + QL for its
// robustness and accuracy: it is backward stable and resolves small eigenvalues of graded positive
// definite matrices to high relative accuracy (Demmel & Veselić 1992).
// Layout: A row-major n × n, full symmetric storage (the upper triangle is mirrored first); the
// eigenvectors come out as the ROWS of W = Vᵀ, row-major n × n, so every rotation of W is two
// contiguous row updates.

/** Unit roundoff 2⁻⁵³. */
const U: f64 = 1.1102230246251565e-16;

@inline function at(a: usize, n: i32, i: i32, j: i32): usize {
  return a + ((<usize>i * <usize>n + <usize>j) << 3);
}

// x ← c x − s y, y ← s x + c y over len contiguous float64.
@inline function rotateRows(x: usize, y: usize, c: f64, s: f64, len: i32): void {
  let k: i32 = 0;
  if (ASC_FEATURE_SIMD) {
    const cv = f64x2.splat(c);
    const sv = f64x2.splat(s);
    for (; k + 2 <= len; k += 2) {
      const o = <usize>k << 3;
      const xv = v128.load(x + o);
      const yv = v128.load(y + o);
      v128.store(x + o, f64x2.sub(f64x2.mul(cv, xv), f64x2.mul(sv, yv)));
      v128.store(y + o, f64x2.add(f64x2.mul(sv, xv), f64x2.mul(cv, yv)));
    }
  }
  for (; k < len; k++) {
    const o = <usize>k << 3;
    const xv = load<f64>(x + o);
    const yv = load<f64>(y + o);
    store<f64>(x + o, c * xv - s * yv);
    store<f64>(y + o, s * xv + c * yv);
  }
}

/**
 * Diagonalizes the symmetric row-major n × n matrix at `a` in place (its diagonal ends up holding
 * the eigenvalues, unsorted) and writes the eigenvectors as rows of `w` (n × n). Returns the
 * number of sweeps taken, or −1 if `maxSweeps` did not suffice (convergence is quadratic:
 * about 6–10 sweeps).
 * Rotation (p, q) is skipped when |a_pq| ≤ u·√|a_pp a_qq| (then a_pq is set to 0: a relative
 * perturbation of at most u) or a_pq is exactly 0; the run stops after a sweep with no rotation.
 */
export function symmetricEigen(a: usize, n: i32, w: usize, maxSweeps: i32): i32 {
  for (let i: i32 = 0; i < n; i++) {
    for (let j: i32 = 0; j < i; j++) store<f64>(at(a, n, i, j), load<f64>(at(a, n, j, i)));
  }
  for (let i: i32 = 0; i < n; i++) {
    for (let j: i32 = 0; j < n; j++) store<f64>(at(w, n, i, j), i == j ? 1.0 : 0.0);
  }
  for (let sweep: i32 = 1; sweep <= maxSweeps; sweep++) {
    let rotations: i32 = 0;
    for (let p: i32 = 0; p < n - 1; p++) {
      for (let q: i32 = p + 1; q < n; q++) {
        const apq = load<f64>(at(a, n, p, q));
        if (apq == 0.0) continue;
        const app = load<f64>(at(a, n, p, p));
        const aqq = load<f64>(at(a, n, q, q));
        if (abs<f64>(apq) <= U * sqrt<f64>(abs<f64>(app) * abs<f64>(aqq))) {
          store<f64>(at(a, n, p, q), 0.0);
          store<f64>(at(a, n, q, p), 0.0);
          continue;
        }
        rotations++;
        // t = tan φ, the smaller root of t² + 2θt − 1 = 0, so |φ| ≤ π/4.
        const theta = (aqq - app) / (2.0 * apq);
        let t = 1.0 / (abs<f64>(theta) + sqrt<f64>(theta * theta + 1.0));
        // For huge θ, θ² overflows to ∞ and t correctly becomes 0-ish; use 1/(2θ) there.
        if (abs<f64>(theta) > 1e150) t = 0.5 / abs<f64>(theta);
        if (theta < 0.0) t = -t;
        const c = 1.0 / sqrt<f64>(t * t + 1.0);
        const s = t * c;
        const rp = at(a, n, p, 0);
        const rq = at(a, n, q, 0);
        rotateRows(rp, rq, c, s, n);
        // Mirror the new rows p, q into columns p, q; the 2 × 2 block gets its exact values.
        for (let k: i32 = 0; k < n; k++) {
          store<f64>(at(a, n, k, p), load<f64>(rp + (<usize>k << 3)));
          store<f64>(at(a, n, k, q), load<f64>(rq + (<usize>k << 3)));
        }
        store<f64>(at(a, n, p, p), app - t * apq);
        store<f64>(at(a, n, q, q), aqq + t * apq);
        store<f64>(at(a, n, p, q), 0.0);
        store<f64>(at(a, n, q, p), 0.0);
        rotateRows(at(w, n, p, 0), at(w, n, q, 0), c, s, n);
      }
    }
    if (rotations == 0) return sweep;
  }
  return -1;
}
