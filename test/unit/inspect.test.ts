/**
 * src/core/inspect: the snapshot and probe schedules, the per-layer signals on hand-made inputs, the diagnoses'
 * thresholds (pinned on both sides), that probing leaves a run's numbers untouched to the bit, and the diagnoses
 * of the course's three init experiments (examples/initialization.nnlab.json).
 */
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadExperimentFile } from '../../src/node/experiment';
import { loadTrainTest } from '../../src/node/datasets';
import {
  DEAD_MIN_UNITS,
  DEAD_SHARE,
  diagnose,
  InspectionRecorder,
  measureLayers,
  MAX_PROBES,
  MAX_SNAPSHOTS,
  MIN_PROBE_EXAMPLES,
  MIN_PROBES,
  PROBE_EXAMPLES,
  PROBE_SHARE,
  probePlan,
  PROBE_EVERY,
  probeEpochs,
  SATURATED_SHARE,
  snapshotEpochs,
  spacedEpochs,
  SYMMETRIC_DISTANCE,
} from '../../src/core/inspect';
import { checkInspection } from '../../src/core/inspect/check';
import { checkRunRecord, readRun, RUN_RECORD_FORMAT, writeRun, type RunRecord } from '../../src/runner/history';
import { formatRunResult } from '../../src/runner/format';
import { formatTable } from '../../src/cli/table';
import {
  deadShare,
  hiddenSaturation,
  layerSymmetry,
  outputSaturation,
  signalProbe,
  updateRatios,
} from '../../src/core/inspect/signals';
import { flatten, parameterLayout, trainExperiment } from '../../src/core/nn';
import { network } from '../../src/core/nn/network';
import { parametersFromRows as parametersFromRowsOf } from '../../src/charts/boundary';
import { runJob } from '../../src/runner/job';
import type {
  Activation,
  Dataset,
  Diagnosis,
  ExperimentConfig,
  LayerSignals,
  OutputActivation,
} from '../../src/core/types';
import { RandomState } from '../../src/core/random';
import { experimentConfig } from './experimentConfig';

const root = join(__dirname, '..', '..', '..');

describe('inspect: schedules', () => {
  it('keeps every epoch of a short run, and at most MAX_SNAPSHOTS of a long one, with 0 and the end', () => {
    assert.deepEqual(snapshotEpochs(5), [0, 1, 2, 3, 4, 5]);
    for (const epochs of [63, 64, 100, 1000, 15000, 1e6]) {
      const e = snapshotEpochs(epochs);
      assert.ok(e.length <= MAX_SNAPSHOTS && e.length >= MAX_SNAPSHOTS / 2, `${epochs}: ${e.length} snapshots`);
      assert.equal(e[0], 0);
      assert.equal(e[e.length - 1], epochs);
      for (let i = 1; i < e.length; i++) assert.ok(e[i]! > e[i - 1]!, 'sorted, distinct');
    }
  });

  it('is dense early: a 15000-epoch run keeps epochs 0, 1 and 2 and a quarter of its snapshots in the first 1%', () => {
    const e = snapshotEpochs(15000);
    assert.deepEqual(e.slice(0, 3), [0, 1, 2]);
    assert.ok(e.filter((x) => x <= 150).length >= e.length / 4);
    // … and late training is not left with a handful: a snapshot at least every ~1/30 of the run.
    for (let i = 1; i < e.length; i++) assert.ok(e[i]! - e[i - 1]! <= 15000 / 30, `gap ${e[i - 1]} → ${e[i]}`);
  });

  it('probes one epoch in PROBE_EVERY, at least MIN_PROBES, at most MAX_PROBES, always the first and the last', () => {
    assert.deepEqual([PROBE_EVERY, MIN_PROBES, MAX_PROBES], [600, 8, 32]);
    assert.deepEqual(probeEpochs(1), [0]);
    assert.deepEqual(probeEpochs(5), [0, 1, 2, 3, 4]);
    assert.equal(probeEpochs(1000).at(-1), 999);
    // 15000 / 600 = 25; the log-spaced and the even halves share a few epochs.
    const long = probeEpochs(15000);
    assert.ok(long.length <= 25 && long.length >= 20, `${long.length} probes`);
    assert.equal(probeEpochs(1e6).length <= MAX_PROBES, true);
    // Within PROBE_SHARE of training's example passes: fewer probes first (never under 2), then fewer examples.
    assert.deepEqual(probePlan(15_000, 300), { epochs: probeEpochs(15_000), examples: 300 });
    assert.deepEqual(probePlan(200, 1500), { epochs: [0, 199], examples: 1500 });
    assert.deepEqual(probePlan(5, 20_000), { epochs: [0, 4], examples: 500 });
    assert.deepEqual(probePlan(1, 50), { epochs: [0], examples: 50 });
    for (const [epochs, m] of [
      [5, 20_000],
      [200, 1500],
      [50, 100_000],
      [10_000, 300],
    ] as const) {
      const plan = probePlan(epochs, m);
      const passes = plan.epochs.length * plan.examples;
      assert.ok(
        passes <= Math.max(PROBE_SHARE * epochs * m, 2 * Math.min(m, MIN_PROBE_EXAMPLES)),
        `${epochs} × ${m}: ${passes} passes`,
      );
    }
    assert.equal(long.at(-1), 14999);
    assert.deepEqual(spacedEpochs(3, 10), [0, 1, 2, 3]);
  });

  it('a probe measures the examples it is given, evenly spaced through the set; by default the whole set', () => {
    const M = 5000;
    const X = Float64Array.from({ length: 2 * M }, (_, i) => i);
    const Y = Float64Array.from({ length: M }, (_, e) => e % 2);
    const set = { X: { rows: 2, cols: M, data: X }, Y: { rows: 1, cols: M, data: Y }, classes: 2 } as Dataset;
    const net = network(parameterLayout([2, 3, 1]), 'relu', 'sigmoid');
    const probe = signalProbe(net, 'relu', set, PROBE_EXAMPLES);
    assert.equal(probe.m, PROBE_EXAMPLES);
    const A0 = probe.examples.X.data;
    for (const j of [0, 1, 999, 1999]) {
      const e = Math.floor((j * M) / PROBE_EXAMPLES);
      assert.deepEqual(
        [A0[j], A0[PROBE_EXAMPLES + j], probe.examples.Y.data[j]],
        [X[e], X[M + e], Y[e]],
        `column ${j}`,
      );
    }
    const small = {
      X: { rows: 2, cols: 300, data: X.subarray(0, 600) },
      Y: { rows: 1, cols: 300, data: Y.subarray(0, 300) },
      classes: 2,
    } as Dataset;
    const whole = signalProbe(net, 'relu', small);
    assert.equal(whole.m, 300);
    assert.deepEqual(Array.from(whole.examples.X.data), Array.from(X.subarray(0, 600)));
  });

  it("runs on the tiled WebAssembly kernels, with the generic kernels' signals to the bit", () => {
    const rng = new RandomState(4);
    const M = 700;
    for (const [layers, hidden, output] of [
      [[9, 33, 17, 4], 'tanh', 'softmax'],
      [[5, 20, 1], 'relu', 'sigmoid'],
      [[6, 11, 3], 'sigmoid', 'softmax'],
    ] as Array<[number[], Activation, OutputActivation]>) {
      const K = output === 'sigmoid' ? 2 : layers.at(-1)!;
      const set = {
        X: { rows: layers[0]!, cols: M, data: rng.fillStandardNormal(new Float64Array(layers[0]! * M)) },
        Y: { rows: 1, cols: M, data: Float64Array.from({ length: M }, (_, e) => e % K) },
        classes: K,
      } as Dataset;
      const net = network(parameterLayout(layers), hidden, output);
      const P = rng.fillStandardNormal(new Float64Array(net.layout.size), 0.5);
      const tiled = signalProbe(net, hidden, set, 500, true, { forceTiled: true });
      const generic = signalProbe(net, hidden, set, 500, false);
      assert.equal(tiled.passes.kind, 'tiled');
      assert.equal(generic.passes.kind, 'generic');
      const a = measureLayers(tiled, P);
      const b = measureLayers(generic, P);
      assert.equal(a.length, layers.length - 1);
      for (const [i, sample] of a.entries()) {
        for (const key of Object.keys(sample) as Array<keyof typeof sample>) {
          assert.ok(
            Object.is(sample[key], b[i]![key]),
            `${layers.join('-')} layer ${i + 1} ${String(key)}: ${String(sample[key])} vs ${String(b[i]![key])}`,
          );
        }
      }
    }
    // By default the probe takes the kernels training takes: tiled past TILED_FIRST parameters, generic below.
    const features = 20;
    const wide = {
      X: { rows: features, cols: M, data: rng.fillStandardNormal(new Float64Array(features * M)) },
      Y: { rows: 1, cols: M, data: Float64Array.from({ length: M }, (_, e) => e % 3) },
      classes: 3,
    } as Dataset;
    const kind = (layers: number[]) =>
      signalProbe(network(parameterLayout(layers), 'relu', 'softmax'), 'relu', wide).passes.kind;
    assert.equal(kind([features, 30, 3]), 'tiled', '723 parameters');
    assert.equal(kind([features, 5, 3]), 'generic', '123 parameters');
  });
});

describe('inspect: signals', () => {
  const slot = (rows: number, cols: number) => ({ w: 0, b: rows * cols, rows, cols });

  it('symmetry is the largest distance between two units’ (weights, bias), exactly 0 when all are equal', () => {
    // Units (w; b): (1, 2; 0), (1, 2; 0), (4, 6; 0): the largest distance is 5.
    assert.equal(layerSymmetry(new Float64Array([1, 2, 1, 2, 4, 6, 0, 0, 0]), slot(3, 2)), 5);
    assert.equal(layerSymmetry(new Float64Array([0.3, -2, 0.3, -2, 0.5, 0.5]), slot(2, 2)), 0);
    // Same weights, different biases: not symmetric.
    assert.equal(layerSymmetry(new Float64Array([1, 1, 0, 3]), slot(2, 1)), 3);
    assert.equal(layerSymmetry(new Float64Array([1, 2, 0]), slot(1, 2)), null);
  });

  it('saturation counts outputs within 0.01 of the limits, dead counts relu units zero on every example', () => {
    assert.equal(hiddenSaturation('tanh', new Float64Array([0.995, -0.995, 0.98, 0]), 4), 0.5);
    assert.equal(hiddenSaturation('sigmoid', new Float64Array([0.005, 0.5, 0.98, 0.999]), 4), 0.5);
    assert.equal(hiddenSaturation('relu', new Float64Array([0, 0]), 2), null);
    assert.equal(outputSaturation('sigmoid', new Float64Array([0.0099, 0.011, 0.9901, 0.5]), 1, 4), 0.5);
    // softmax, 2 classes × 2 examples: example 0 has 0.995, example 1 at most 0.6.
    assert.equal(outputSaturation('softmax', new Float64Array([0.995, 0.4, 0.005, 0.6]), 2, 2), 0.5);
    // 3 units × 2 examples: unit 1 is zero on both, unit 2 only on one.
    assert.equal(deadShare(new Float64Array([1, 2, 0, 0, 0, 3]), 3, 2), 1 / 3);
  });

  it('update ratio is ‖ΔW‖/‖W‖ per layer (biases left out), null for all-zero weights', () => {
    const layout = parameterLayout([1, 1, 1]);
    // W1 3 → 4 (ratio 1/3), b1 ignored, W2 0 → 1 (null).
    assert.deepEqual(updateRatios(layout, new Float64Array([3, 0, 0, 0]), new Float64Array([4, 9, 1, 0])), [
      1 / 3,
      null,
    ]);
  });
});

/** Signals of a two-layer net where only the named series are given (others empty). */
function layers(hidden: Partial<LayerSignals>, output: Partial<LayerSignals> = {}): LayerSignals[] {
  const base = (layer: number, units: number, activation: LayerSignals['activation']): LayerSignals => ({
    layer,
    units,
    activation,
    mean: [],
    std: [],
    saturated: null,
    dead: null,
    gradNorm: [],
    updateRatio: [],
    symmetry: null,
  });
  return [
    { ...base(1, 4, 'relu'), ...hidden },
    { ...base(2, 1, 'sigmoid'), ...output },
  ];
}
const kinds = (d: Diagnosis[]) => d.map((x) => `${x.kind}@${x.layer}:${x.epoch}`);

describe('inspect: diagnoses and their thresholds', () => {
  const epochs = [0, 10, 100];

  it('symmetry: every probe at or under SYMMETRIC_DISTANCE, and only then', () => {
    assert.equal(SYMMETRIC_DISTANCE, 1e-12);
    const d = diagnose(epochs, layers({ symmetry: [0, 0, 1e-12], dead: [1, 1, 1] }));
    assert.deepEqual(kinds(d), ['symmetry@1:0']);
    assert.equal(d[0]!.text, 'layer 1: all 4 units identical from epoch 0 to 100, symmetry never broken');
    // Broken once is not "never broken"; the dead units are then named.
    assert.deepEqual(kinds(diagnose(epochs, layers({ symmetry: [0, 2e-12, 0], dead: [1, 1, 1] }))), ['dead@1:0']);
  });

  it('saturation: the first probe with at least SATURATED_SHARE', () => {
    assert.equal(SATURATED_SHARE, 0.5);
    const d = diagnose(epochs, layers({}, { saturated: [0.49, 0.5, 0.97] }));
    assert.deepEqual(kinds(d), ['saturation@2:10']);
    assert.equal(d[0]!.text, 'output saturated in 50% of examples at epoch 10');
    assert.deepEqual(diagnose(epochs, layers({}, { saturated: [0.49, 0.499, 0] })), []);
    const hidden = diagnose(epochs, layers({ activation: 'tanh', saturated: [0.8, 0, 0] }));
    assert.equal(hidden[0]!.text, 'layer 1: 80% of tanh outputs saturated at epoch 0');
  });

  it('dead: at least DEAD_SHARE of a layer of DEAD_MIN_UNITS or more from some probe to the last, named with the last share', () => {
    assert.equal(DEAD_SHARE, 0.25);
    assert.equal(DEAD_MIN_UNITS, 8);
    const wide = (dead: number[]) => diagnose(epochs, layers({ units: 8, dead }));
    const d = wide([0.25, 0, 0.5]);
    assert.deepEqual(kinds(d), ['dead@1:100']);
    assert.equal(d[0]!.text, '50% of ReLUs in layer 1 are dead (zero on every example) at epoch 100');
    assert.deepEqual(kinds(wide([0.5, 0.25, 0.25])), ['dead@1:0']);
    assert.equal(
      wide([0.5, 0.25, 0.25])[0]!.text,
      '25% of ReLUs in layer 1 are dead (zero on every example) at epoch 100, at least 25% since epoch 0',
    );
    assert.deepEqual(wide([0.5, 0.5, 0.124]), [], 'came back to life: not dead');
    assert.deepEqual(wide([0.5, 0.5, 0.24]), [], 'under the share at the end');
  });

  it('dead: a layer narrower than DEAD_MIN_UNITS is named only when all its units are dead, from some probe to the last', () => {
    const narrow = (dead: number[]) => diagnose(epochs, layers({ units: 7, dead }));
    assert.deepEqual(narrow([0.57, 0.86, 0.86]), [], '6 of 7 dead is the seed’s luck in a narrow layer');
    const d = narrow([0.5, 1, 1]);
    assert.deepEqual(kinds(d), ['dead@1:10']);
    assert.equal(
      d[0]!.text,
      'all 7 ReLUs in layer 1 are dead (zero on every example) since epoch 10: the output no longer depends on the input',
    );
    assert.equal(
      narrow([0, 0, 1])[0]!.text,
      'all 7 ReLUs in layer 1 are dead (zero on every example) at epoch 100: the output no longer depends on the input',
    );
    assert.deepEqual(narrow([1, 1, 0.86]), []);
    // A whole dead layer is named in a wide layer too, with the same words.
    assert.match(
      diagnose(epochs, layers({ units: 9, dead: [0, 1, 1] }))[0]!.text,
      /^all 9 ReLUs in layer 1 are dead .* since epoch 10:/,
    );
  });
});

describe('inspect: probing a run', () => {
  const variants: Array<[string, ExperimentConfig]> = [
    ['full batch', experimentConfig({}, { epochs: 150 })],
    [
      'mini-batch adam with dropout and L2',
      experimentConfig(
        { keepProb: 0.8 },
        { epochs: 120, batchSize: 16, optimizer: 'adam', learningRate: 0.01, l2: 0.1 },
      ),
    ],
    [
      'tanh, softmax on 3-class gauss',
      experimentConfig(
        { activation: 'tanh', output: 'softmax', layers: [2, 6, 3] },
        { epochs: 130 },
        { dataset: 'gauss', classes: 3 },
      ),
    ],
  ];
  for (const [what, config] of variants) {
    it(`leaves every cost and parameter to the bit (${what})`, () => {
      const data = loadTrainTest(config.data, root);
      const plain = trainExperiment(config, data);
      const recorder = new InspectionRecorder(config.model, config.train.epochs, data.train);
      const probed = trainExperiment(config, data, { probe: recorder });
      assert.deepEqual(probed.result.costs, plain.result.costs);
      assert.deepEqual(probed.result.parameters, plain.result.parameters);
      const flat = new Float64Array(probed.parameters.get('W1')!.data.buffer);
      const inspection = recorder.finish(config.train.epochs, flat);
      assert.deepEqual(
        inspection.snapshots.map((s) => s.epoch),
        snapshotEpochs(config.train.epochs),
      );
      assert.deepEqual(inspection.signalEpochs, probePlan(config.train.epochs, data.train.X.cols).epochs);
      // The last snapshot is the final parameters, the first the initial ones.
      assert.deepEqual(inspection.snapshots.at(-1)!.parameters, Array.from(flat));
      for (const l of inspection.layers) {
        assert.equal(l.mean.length, inspection.signalEpochs.length);
        assert.equal(l.updateRatio.length, inspection.signalEpochs.length);
      }
    });
  }
});

describe('inspect: the course init experiments', async () => {
  const file = join(root, 'examples', 'initialization.nnlab.json');
  const loaded = loadExperimentFile(file);
  const byName = new Map(loaded.entries.map((e) => [e.name, e.config!]));
  const inspect = async (name: string) => {
    const outcome = await runJob(
      {
        kind: 'train',
        config: byName.get(name)!,
        baseDir: join(root, 'examples'),
        allowModules: false,
        boundary: false,
      },
      { onEpoch: () => {}, shouldStop: () => false },
    );
    assert.equal(outcome.kind, 'train');
    return outcome.kind === 'train' ? outcome.result.inspection! : undefined!;
  };

  it('zeros: both hidden layers identical from epoch 0, symmetry never broken (and nothing else)', async () => {
    const i = await inspect('zeros');
    assert.deepEqual(kinds(i.diagnoses), ['symmetry@1:0', 'symmetry@2:0']);
    assert.deepEqual(
      i.diagnoses.map((d) => d.text),
      [
        'layer 1: all 10 units identical from epoch 0 to 14999, symmetry never broken',
        'layer 2: all 5 units identical from epoch 0 to 14999, symmetry never broken',
      ],
    );
    assert.ok(
      i.layers[0]!.symmetry!.every((d) => d === 0),
      'exactly 0',
    );
  });

  it('random ×10: the output saturated in 100% of examples at epoch 0', async () => {
    const i = await inspect('random');
    assert.deepEqual(kinds(i.diagnoses), ['saturation@3:0']);
    assert.equal(i.diagnoses[0]!.text, 'output saturated in 100% of examples at epoch 0');
    // 3 of layer 2's 5 ReLUs die by epoch 78 (the big early gradients); too narrow a layer for a share to be a lesson.
    assert.equal(i.layers[1]!.dead!.at(-1), 0.6);
    assert.ok(i.layers[0]!.symmetry![0]! > 1, 'random init breaks symmetry');
  });

  it('He: no diagnosis, though 3 of layer 2’s 5 ReLUs die while it reaches 99.3% (a narrow layer’s luck)', async () => {
    const i = await inspect('he');
    assert.deepEqual(i.diagnoses, []);
    assert.equal(i.layers[1]!.dead!.at(-1), 0.6);
    assert.equal(i.layers[2]!.saturated![0], 0);
  });
});

describe('inspect: the course optimization lab', () => {
  const file = join(root, 'examples', 'optimization.nnlab.json');
  const loaded = loadExperimentFile(file);
  for (const entry of loaded.entries) {
    it(`${entry.name}: no diagnosis, though one of layer 2's two ReLUs is dead from epoch 0`, async () => {
      const outcome = await runJob(
        { kind: 'train', config: entry.config!, baseDir: join(root, 'examples'), allowModules: false, boundary: false },
        { onEpoch: () => {}, shouldStop: () => false },
      );
      assert.ok(outcome.kind === 'train');
      const i = outcome.result.inspection!;
      assert.deepEqual(i.diagnoses, []);
      assert.ok(
        i.layers[1]!.dead!.every((share) => share === 0.5),
        'layer 2: one of two units dead at every probe',
      );
    });
  }
});

describe('inspect: carried in results and run history', () => {
  const config = experimentConfig({}, { epochs: 30 });
  const job = (inspect?: boolean) =>
    runJob(
      {
        kind: 'train',
        config,
        baseDir: root,
        allowModules: false,
        boundary: false,
        ...(inspect === undefined ? {} : { inspect }),
      },
      { onEpoch: () => {}, shouldStop: () => false },
    );

  it('a run carries its inspection unless the job says inspect: false; the numbers are the same either way', async () => {
    const on = await job();
    const off = await job(false);
    assert.ok(on.kind === 'train' && off.kind === 'train');
    assert.equal(off.result.inspection, undefined);
    assert.deepEqual(on.result.costs, off.result.costs);
    assert.deepEqual(
      on.result.inspection!.snapshots.map((s) => s.epoch),
      snapshotEpochs(30),
    );
    assert.equal(checkInspection(on.result.inspection, parameterLayout(config.model.layers).size), null);
  });

  it('the last snapshot is the final parameters at the last epoch when the costs are thinned (costEvery)', async () => {
    const thinned = experimentConfig({}, { epochs: 30, costEvery: 7 });
    const outcome = await runJob(
      { kind: 'train', config: thinned, baseDir: root, allowModules: false, boundary: false },
      { onEpoch: () => {}, shouldStop: () => false },
    );
    assert.ok(outcome.kind === 'train');
    assert.equal(outcome.result.costs.length, 5);
    const last = outcome.result.inspection!.snapshots.at(-1)!;
    assert.equal(last.epoch, 30);
    assert.deepEqual(
      last.parameters,
      Array.from(flatten(parameterLayout(thinned.model.layers), parametersFromRowsOf(outcome.result.parameters))),
    );
  });

  it('is written with the run history and read back; a damaged one is named in the warning', async () => {
    const outcome = await job();
    assert.ok(outcome.kind === 'train');
    const dir = await mkdtemp(join(tmpdir(), 'nnlab-inspect-'));
    const record: RunRecord = {
      format: RUN_RECORD_FORMAT,
      nnlabVersion: '0',
      file: '/ws/a.nnlab.json',
      workspaceFile: 'a.nnlab.json',
      experiment: 't',
      finishedAt: '2026-01-01T00:00:00.000Z',
      config,
      result: outcome.result,
    };
    const path = await writeRun(dir, record);
    const back = await readRun(path);
    assert.ok(typeof back !== 'string');
    assert.deepEqual(back.result.inspection, outcome.result.inspection);
    const damaged = JSON.parse(JSON.stringify(record)) as RunRecord;
    damaged.result.inspection!.snapshots[1]!.parameters.pop();
    assert.equal(
      checkRunRecord(damaged),
      '"result.inspection": "snapshots[1].parameters" is not a list of 30 finite numbers',
    );
  });

  it('checkInspection names what is wrong', () => {
    const good = {
      snapshots: [
        { epoch: 0, parameters: [1, 2] },
        { epoch: 3, parameters: [1, 2] },
      ],
      signalEpochs: [0],
      layers: [],
      diagnoses: [],
    };
    assert.equal(checkInspection(good, 2), null);
    assert.equal(
      checkInspection({ ...good, snapshots: [good.snapshots[1], good.snapshots[0]] }, 2),
      '"snapshots[1].epoch" is not after the one before',
    );
    assert.equal(checkInspection(good, 3), '"snapshots[0].parameters" is not a list of 3 finite numbers');
    assert.equal(
      checkInspection({ ...good, diagnoses: [{ kind: 'boredom', layer: 1, epoch: 0, text: '' }] }),
      '"diagnoses[0].kind" is unknown',
    );
  });

  it('the inline result and the CLI table name the diagnoses', () => {
    const result = {
      name: 'random',
      status: 'ok' as const,
      costs: [2, 1],
      trainAccuracy: 0.83,
      testAccuracy: null,
      parameters: {},
      durationMs: 1000,
    };
    const diagnoses: Diagnosis[] = [
      { kind: 'saturation', layer: 3, epoch: 0, share: 1, text: 'output saturated in 100% of examples at epoch 0' },
      { kind: 'dead', layer: 2, epoch: 21, share: 0.6, text: 'sixty' },
    ];
    const inspected = { ...result, inspection: { snapshots: [], signalEpochs: [0], layers: [], diagnoses } };
    assert.equal(
      formatRunResult(inspected),
      '✓ train 83.0% · cost 1 █▁ · 1.0 s · ⚠ output saturated in 100% of examples at epoch 0 (+1 more)',
    );
    assert.equal(formatRunResult(result), '✓ train 83.0% · cost 1 █▁ · 1.0 s');
    assert.match(
      formatTable([inspected]),
      /\nrandom: ⚠ output saturated in 100% of examples at epoch 0\nrandom: ⚠ sixty\n$/,
    );
  });
});
