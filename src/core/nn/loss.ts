/**
 * The output layer: sigmoid (binary, one unit) or softmax (K classes, integer labels), with the cross-entropy
 * computed from the logits so that a saturated output gives a large finite loss, never inf or NaN.
 *
 *   sigmoid: loss = max(z, 0) − z·y + log1p(e^−|z|),   p = σ(z),   dz = (p − y)/m
 *   softmax: loss = log Σ_k e^(z_k − max z) − (z_y − max z),   p_k = softmax(z)_k,   dz_k = (p_k − [k = y])/m
 *
 * One e^−|z| serves both the loss and σ(z) (σ(z) = 1/(1+e) for z ≥ 0 and e/(1+e) below), which keeps the
 * training step at one exp and one log1p per example. Per-example losses are summed with Neumaier's compensation:
 * a sum of hundreds of terms then rounds like the exact sum (numpy's pairwise sum is close to that too), so e.g. an
 * all-zero network's cost is log 2 to the last bit, as in the course. Each step's rounding error is taken with
 * Knuth's branch-free TwoSum rather than Neumaier's |loss| ≥ |v| test: both give the exact error, so the sums are the
 * same to the bit, but the test's rarely taken side made V8 deoptimize generated kernels when a later run took it. As in activations.ts, each output is written twice side by
 * side: as a loop over a batch (generic kernels, prediction) and as code templates for the generated kernels.
 */
import type { OutputActivation } from '../types';

/**
 * Loss summed over a batch of `b` examples whose logits are Z (units × b, row-major, row stride b).
 * Writes the probabilities into P and (p − y)·invM into dZ when they are given; returns the summed loss.
 */
export function outputLayer(
  output: OutputActivation,
  units: number,
  Z: Float64Array,
  Y: Float64Array,
  b: number,
  P: Float64Array | null,
  dZ: Float64Array | null,
  invM: number,
): number {
  return output === 'sigmoid' ? sigmoidOutput(Z, Y, b, P, dZ, invM) : softmaxOutput(units, Z, Y, b, P, dZ, invM);
}

function sigmoidOutput(
  Z: Float64Array,
  Y: Float64Array,
  b: number,
  P: Float64Array | null,
  dZ: Float64Array | null,
  invM: number,
): number {
  let loss = 0;
  let comp = 0;
  for (let j = 0; j < b; j++) {
    const z = Z[j]!;
    const y = Y[j]!;
    const e = Math.exp(-Math.abs(z));
    const v = (z > 0 ? z : 0) - z * y + Math.log1p(e);
    const t = loss + v;
    const r = t - loss;
    comp += loss - (t - r) + (v - r);
    loss = t;
    const p = z >= 0 ? 1 / (1 + e) : e / (1 + e);
    if (P) P[j] = p;
    if (dZ) dZ[j] = invM * (p - y);
  }
  return loss + comp;
}

function softmaxOutput(
  K: number,
  Z: Float64Array,
  Y: Float64Array,
  b: number,
  P: Float64Array | null,
  dZ: Float64Array | null,
  invM: number,
): number {
  let loss = 0;
  let comp = 0;
  for (let j = 0; j < b; j++) {
    let max = Z[j]!;
    for (let k = 1; k < K; k++) if (Z[k * b + j]! > max) max = Z[k * b + j]!;
    // e^(z − max) waits in the output buffer for the sum, so each exp is taken once (same values, same bits).
    const E = P ?? dZ;
    let sum = 0;
    for (let k = 0; k < K; k++) {
      const e = Math.exp(Z[k * b + j]! - max);
      if (E) E[k * b + j] = e;
      sum += e;
    }
    const y = Y[j]!;
    const v = Math.log(sum) - (Z[y * b + j]! - max);
    const t = loss + v;
    const r = t - loss;
    comp += loss - (t - r) + (v - r);
    loss = t;
    if (!E) continue;
    for (let k = 0; k < K; k++) {
      const p = E[k * b + j]! / sum;
      if (P) P[k * b + j] = p;
      if (dZ) dZ[k * b + j] = invM * (p - (k === y ? 1 : 0));
    }
  }
  return loss + comp;
}

/**
 * Code for one example's output layer in a generated kernel. `z` names the K logits, `y` the label; the code adds
 * the loss to the compensated sum (`loss`, `comp`; the kernel returns loss + comp) and, when `dz` is given,
 * declares dz[k] = (p_k − [k = y])·invM. Same formulas as above. `sfx` suffixes its temporaries.
 */
export function outputCode(output: OutputActivation, z: string[], y: string, dz: string[] | null, sfx = ''): string {
  const [e, v, p, max, sum] = ['e_', 'v_', 'p_', 'max_', 'sum_'].map((name) => name + sfx);
  if (output === 'sigmoid') {
    const [z0] = z;
    const lines = [
      `const ${e} = Math.exp(-Math.abs(${z0}));`,
      `const ${v} = (${z0} > 0 ? ${z0} : 0) - ${z0} * ${y} + Math.log1p(${e});`,
      ...compensatedAdd(v, sfx),
    ];
    if (dz) {
      lines.push(
        `const ${p} = ${z0} >= 0 ? 1 / (1 + ${e}) : ${e} / (1 + ${e});`,
        `const ${dz[0]} = invM * (${p} - ${y});`,
      );
    }
    return lines.join('\n');
  }
  const K = z.length;
  const lines = [`let ${max} = ${z[0]};`];
  for (let k = 1; k < K; k++) lines.push(`if (${z[k]} > ${max}) ${max} = ${z[k]};`);
  // The sum adds e^(z_k − max) in k order from 0, exactly like the loop above.
  lines.push(`let ${sum} = 0;`);
  for (let k = 0; k < K; k++) lines.push(`${sum} += Math.exp(${z[k]} - ${max});`);
  const zy = z.map((name, k) => (k === K - 1 ? name : `${y} === ${k} ? ${name} : `)).join('');
  lines.push(`const ${v} = Math.log(${sum}) - ((${zy}) - ${max});`, ...compensatedAdd(v, sfx));
  if (dz) {
    for (let k = 0; k < K; k++) {
      lines.push(`const ${dz[k]} = invM * (Math.exp(${z[k]} - ${max}) / ${sum} - (${y} === ${k} ? 1 : 0));`);
    }
  }
  return lines.join('\n');
}

/** loss += v with the compensation in comp, as the loops above do. */
function compensatedAdd(v: string, sfx: string): string[] {
  const t = `t_${sfx}`;
  const r = `r_${sfx}`;
  return [
    `const ${t} = loss + ${v};`,
    `const ${r} = ${t} - loss;`,
    `comp += loss - (${t} - ${r}) + (${v} - ${r});`,
    `loss = ${t};`,
  ];
}
