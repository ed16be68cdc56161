/**
 * The moons-Adam experiment in @tensorflow/tfjs-core on the pure-JS CPU backend (float32: the backend has no
 * float64), written op for op like the course's numpy loop: forward, backward and Adam update as tensor ops under
 * tf.tidy, mini-batches gathered with the same seeded permutations. A second baseline for `npm run bench`.
 */
import * as tf from '@tensorflow/tfjs-core';
// A named import: a bare one is dropped by esbuild (the package marks its node bundle side-effect free), and the
// bundle's top level is what registers the 'cpu' backend.
import { version_cpu } from '@tensorflow/tfjs-backend-cpu';
import { initializeParameters, shuffleEpoch } from '../src/core/nn';
import { RandomState } from '../src/core/random';
import type { Dataset, ExperimentConfig } from '../src/core/types';

export interface TfjsRun {
  version: string;
  ms: number;
  cpuMs: number;
  epochs: number;
  trainAccuracy: number;
  finalCost: number;
}

export async function runTfjsAdam(config: ExperimentConfig, data: Dataset, epochs: number): Promise<TfjsRun> {
  await tf.setBackend('cpu');
  await tf.ready();
  const { learningRate: lr, beta1, beta2, epsilon, batchSize = data.X.cols, shuffleSeed } = config.train;
  const m = data.X.cols;
  const init = initializeParameters(config.model);
  const L = config.model.layers.length - 1;
  const W: tf.Tensor2D[] = [];
  const b: tf.Tensor2D[] = [];
  for (let l = 1; l <= L; l++) {
    const w = init.get(`W${l}`)!;
    W.push(tf.tensor2d(Float32Array.from(w.data), [w.rows, w.cols]));
    b.push(tf.zeros([w.rows, 1]));
  }
  const zerosLike = (ts: tf.Tensor2D[]) => ts.map((t) => tf.zerosLike(t));
  let vW = zerosLike(W);
  let vb = zerosLike(b);
  let sW = zerosLike(W);
  let sb = zerosLike(b);
  const X = tf.tensor2d(Float32Array.from(data.X.data), [data.X.rows, m]);
  const Y = tf.tensor2d(Float32Array.from(data.Y.data), [1, m]);
  const rng = new RandomState(0);
  const idx = new Int32Array(m);
  let t = 0;
  let finalCost = 0;

  const started = performance.now();
  const cpuStart = process.cpuUsage();
  for (let epoch = 0; epoch < epochs; epoch++) {
    shuffleEpoch(rng, shuffleSeed, epoch, idx);
    let total = 0;
    for (let from = 0; from < m; from += batchSize) {
      t += 1;
      const batch = tf.tensor1d(idx.subarray(from, Math.min(m, from + batchSize)), 'int32');
      const next = tf.tidy(() => {
        const xb = tf.gather(X, batch, 1) as tf.Tensor2D;
        const yb = tf.gather(Y, batch, 1) as tf.Tensor2D;
        const nb = xb.shape[1];
        const A: tf.Tensor2D[] = [xb];
        for (let l = 0; l < L; l++) {
          const z = tf.add(tf.matMul(W[l]!, A[l]!), b[l]!) as tf.Tensor2D;
          A.push(l === L - 1 ? tf.sigmoid(z) : tf.relu(z));
        }
        const a = A[L]!;
        const loss = tf.sum(tf.add(tf.mul(tf.neg(tf.log(a)), yb), tf.mul(tf.neg(tf.log(tf.sub(1, a))), tf.sub(1, yb))));
        let dz = tf.mul(1 / nb, tf.sub(a, yb)) as tf.Tensor2D;
        const out = {
          W: [] as tf.Tensor2D[],
          b: [] as tf.Tensor2D[],
          vW: [] as tf.Tensor2D[],
          vb: [] as tf.Tensor2D[],
          sW: [] as tf.Tensor2D[],
          sb: [] as tf.Tensor2D[],
        };
        for (let l = L - 1; l >= 0; l--) {
          const dW = tf.matMul(dz, A[l]!, false, true);
          const db = tf.sum(dz, 1, true);
          if (l > 0) dz = tf.mul(tf.matMul(W[l]!, dz, true, false), tf.step(A[l]!)) as tf.Tensor2D;
          const adam = (p: tf.Tensor2D, g: tf.Tensor, v: tf.Tensor2D, s: tf.Tensor2D) => {
            const v2 = tf.add(tf.mul(beta1, v), tf.mul(1 - beta1, g)) as tf.Tensor2D;
            const s2 = tf.add(tf.mul(beta2, s), tf.mul(1 - beta2, tf.square(g))) as tf.Tensor2D;
            const vc = tf.div(v2, 1 - Math.pow(beta1, t));
            const sc = tf.div(s2, 1 - Math.pow(beta2, t));
            return [tf.sub(p, tf.div(tf.mul(lr, vc), tf.add(tf.sqrt(sc), epsilon))) as tf.Tensor2D, v2, s2] as const;
          };
          const [w2, v2, s2] = adam(W[l]!, dW, vW[l]!, sW[l]!);
          const [b2, vb2, sb2] = adam(b[l]!, db, vb[l]!, sb[l]!);
          out.W[l] = w2;
          out.vW[l] = v2;
          out.sW[l] = s2;
          out.b[l] = b2;
          out.vb[l] = vb2;
          out.sb[l] = sb2;
        }
        return { ...out, loss };
      });
      batch.dispose();
      for (const ts of [W, b, vW, vb, sW, sb]) ts.forEach((x) => x.dispose());
      [W.length, b.length] = [0, 0];
      W.push(...next.W);
      b.push(...next.b);
      vW = next.vW;
      vb = next.vb;
      sW = next.sW;
      sb = next.sb;
      total += next.loss.dataSync()[0]!;
      next.loss.dispose();
    }
    finalCost = total / m;
  }
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuStart);
  const trainAccuracy = tf.tidy(() => {
    let a: tf.Tensor2D = X;
    for (let l = 0; l < L; l++) {
      const z = tf.add(tf.matMul(W[l]!, a), b[l]!) as tf.Tensor2D;
      a = l === L - 1 ? tf.sigmoid(z) : tf.relu(z);
    }
    return tf.mean(tf.cast(tf.equal(tf.cast(tf.greater(a, 0.5), 'float32'), Y), 'float32')).dataSync()[0]!;
  });
  tf.dispose([...W, ...b, ...vW, ...vb, ...sW, ...sb, X, Y]);
  return { version: version_cpu, ms, cpuMs: (cpu.user + cpu.system) / 1000, epochs, trainAccuracy, finalCost };
}
