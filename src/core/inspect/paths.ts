/**
 * Optimizer paths: the parameter trajectories of comparable runs (same network, same data) drawn on one 2-D plane,
 * with the cost over that plane, after Li, Xu, Taylor, Studer & Goldstein, "Visualizing the Loss Landscape of
 * Neural Nets" (NeurIPS 2018), section 7: the plane is spanned by the top two principal directions of the snapshots'
 * offsets θᵢ − θ* from one final point θ* (here the first run's final parameters), so it shows as much of the
 * trajectories' movement as any plane through θ* can. The explained shares say how much that is.
 *
 * PCA by power iteration on the Gram matrix of the offsets (snapshots × snapshots, a few hundred at most, where the
 * parameters may number thousands), from a fixed start vector: the same snapshots give the same plane to the bit.
 */
import type { Snapshot } from '../types';

export interface PathPlane {
  /** θ*, the plane's origin: the first run's last snapshot. */
  center: Float64Array;
  /** Unit directions, orthogonal: x = d₁·(θ − θ*), y = d₂·(θ − θ*). */
  directions: [Float64Array, Float64Array];
  /** Each direction's share of the offsets' total squared length (Li et al.'s axis labels). */
  explained: [number, number];
}

export interface PathPoint {
  epoch: number;
  x: number;
  y: number;
}

const MAX_ITERATIONS = 2000;
const TOLERANCE = 1e-13;

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** Largest eigenpair of the symmetric matrix G (n × n, row-major), orthogonal to `against`, by power iteration. */
function topEigen(G: Float64Array, n: number, against: Float64Array[]): { value: number; vector: Float64Array } {
  // Fixed and generic (no symmetry a real trajectory would share), so the result is deterministic.
  let v = Float64Array.from({ length: n }, (_, i) => 1 + i / n);
  const project = (u: Float64Array) => {
    for (const a of against) {
      const c = dot(u, a);
      for (let i = 0; i < n; i++) u[i]! -= c * a[i]!;
    }
    const norm = Math.sqrt(dot(u, u));
    if (norm > 0) for (let i = 0; i < n; i++) u[i]! /= norm;
    return norm;
  };
  if (project(v) === 0) return { value: 0, vector: v };
  let value = 0;
  for (let it = 0; it < MAX_ITERATIONS; it++) {
    const next = new Float64Array(n);
    for (let i = 0; i < n; i++) next[i] = dot(G.subarray(i * n, (i + 1) * n), v);
    const norm = project(next);
    if (norm === 0) return { value: 0, vector: v };
    const converged = Math.abs(norm - value) <= TOLERANCE * norm;
    value = norm;
    v = next;
    if (converged) break;
  }
  return { value, vector: v };
}

/**
 * The plane of the runs' snapshots (each run's in epoch order; all of one length of parameters). Directions are
 * oriented so that the first run's first snapshot lies at x ≤ 0, y ≤ 0: paths run from lower left towards θ*.
 */
export function principalPlane(runs: ReadonlyArray<{ snapshots: readonly Snapshot[] }>): PathPlane {
  const first = runs[0]?.snapshots;
  if (!first?.length) throw new RangeError('optimizer paths need at least one snapshot');
  const center = Float64Array.from(first[first.length - 1]!.parameters);
  const size = center.length;
  const offsets = runs.flatMap((r) =>
    r.snapshots.map((s) => {
      if (s.parameters.length !== size)
        throw new RangeError(`a snapshot has ${s.parameters.length} parameters, not ${size}`);
      return Float64Array.from(s.parameters, (p, i) => p - center[i]!);
    }),
  );
  const n = offsets.length;
  const G = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = i; k < n; k++) G[i * n + k] = G[k * n + i] = dot(offsets[i]!, offsets[k]!);
  }
  let trace = 0;
  for (let i = 0; i < n; i++) trace += G[i * n + i]!;
  const one = topEigen(G, n, []);
  const two = topEigen(G, n, [one.vector]);
  // Below this, an eigenvalue is rounding noise of the ones before it (a relative displacement of 1e-12).
  const negligible = (value: number) => !(value > 1e-24 * trace);
  const direction = (u: Float64Array, value: number, others: Float64Array[]): Float64Array => {
    // d = Σᵢ uᵢ·offsetᵢ, made orthogonal to the directions before it (exact in theory, not in floating point).
    const d = new Float64Array(size);
    offsets.forEach((o, i) => {
      for (let j = 0; j < size; j++) d[j]! += u[i]! * o[j]!;
    });
    for (const e of others) {
      const c = dot(d, e);
      for (let j = 0; j < size; j++) d[j]! -= c * e[j]!;
    }
    let norm = Math.sqrt(dot(d, d));
    if (negligible(value) || !(norm > 0)) {
      // No movement left for this direction (all runs on a line, or none moved): any unit vector orthogonal to
      // the others spans the plane; the coordinate axis least used by them is the best conditioned.
      d.fill(0);
      let best = 0;
      let least = Infinity;
      for (let j = 0; j < size; j++) {
        const used = others.reduce((s, e) => s + Math.abs(e[j]!), 0);
        if (used < least) [least, best] = [used, j];
      }
      d[best] = 1;
      for (const e of others) {
        const c = dot(d, e);
        for (let j = 0; j < size; j++) d[j]! -= c * e[j]!;
      }
      norm = Math.sqrt(dot(d, d));
    }
    for (let j = 0; j < size; j++) d[j]! /= norm;
    // Orientation: the first run's start at a non-positive coordinate.
    if (dot(d, offsets[0]!) > 0) for (let j = 0; j < size; j++) d[j] = -d[j]!;
    return d;
  };
  const d1 = direction(one.vector, one.value, []);
  const d2 = direction(two.vector, two.value, [d1]);
  const share = (v: number) => (negligible(v) ? 0 : v / trace);
  return { center, directions: [d1, d2], explained: [share(one.value), share(two.value)] };
}

/** A snapshot's place on the plane. */
export function project(plane: PathPlane, parameters: ArrayLike<number>): { x: number; y: number } {
  const [d1, d2] = plane.directions;
  let x = 0;
  let y = 0;
  for (let j = 0; j < plane.center.length; j++) {
    const o = parameters[j]! - plane.center[j]!;
    x += d1[j]! * o;
    y += d2[j]! * o;
  }
  return { x, y };
}

/** The parameters at (x, y) on the plane: θ* + x·d₁ + y·d₂, written into `out`. */
export function pointOnPlane(plane: PathPlane, x: number, y: number, out: Float64Array): Float64Array {
  const [d1, d2] = plane.directions;
  for (let j = 0; j < out.length; j++) out[j] = plane.center[j]! + x * d1[j]! + y * d2[j]!;
  return out;
}

export function projectPath(plane: PathPlane, snapshots: readonly Snapshot[]): PathPoint[] {
  return snapshots.map((s) => ({ epoch: s.epoch, ...project(plane, s.parameters) }));
}
