/**
 * THE definition of every key of a `*.nnlab.json` experiment file: its type, default, valid range, enum values
 * with their docs, and (for optimizers and inits) the formula and when to use it.
 *
 * The validator (validate.ts), the shipped JSON schema (jsonSchema.ts → schemas/nnlab.schema.json), the key
 * reference in docs/experiment-files.md and the language server's hover/completion all read this one table,
 * so a key documented here is exactly a key the tools accept.
 *
 * The config types follow from it: each enum (DatasetName, OptimizerKind, …) is the union of its field's values,
 * and each section's properties are typed FieldsOf<the section's interface in types.ts>, so a key added to one and
 * not the other, a field whose kind does not fit the key's type, or a default of the wrong type does not compile.
 */
import type { DataConfig, DecayConfig, ModelConfig, TrainConfig } from '../types';
import type { ArrayField, EnumValue, Field, FieldsOf, MapField, ObjectField, ObjectFieldOf } from './fields';

export type {
  ArrayField,
  BooleanField,
  EnumField,
  EnumValue,
  Field,
  FieldBase,
  FieldOf,
  FieldsOf,
  MapField,
  NumberField,
  ObjectField,
  ObjectFieldOf,
  StringField,
} from './fields';

const SEED_MAX = 2 ** 32 - 1;

/** Beyond this a sweep is almost certainly a typo (and would take hours). */
export const MAX_SWEEP_TRIALS = 10000;

const datasetValues = [
  {
    value: 'moons',
    doc: "Two interleaving half circles, identical to scikit-learn's `make_moons` after `np.random.seed(seed)`.",
  },
  {
    value: 'circles',
    doc: "A small circle inside a large one, identical to scikit-learn's `make_circles` after `np.random.seed(seed)`.",
  },
  { value: 'xor', doc: "TF Playground's XOR quadrants: the label is the sign of x·y." },
  { value: 'gauss', doc: "TF Playground's Gaussian blobs, one per class." },
  { value: 'spiral', doc: "TF Playground's interleaved spirals, one arm per class." },
  { value: 'csv', doc: 'Your own CSV file: a header row, feature columns and a label column (see `path`, `label`).' },
] as const satisfies readonly EnumValue[];
export type DatasetName = (typeof datasetValues)[number]['value'];

/** The data keys a `test` block may override: everything but `test` itself. */
function dataProperties(): FieldsOf<Omit<DataConfig, 'test'>> {
  return {
    dataset: {
      kind: 'enum',
      description: 'Which data set to train on. The generated sets are 2-D; `csv` reads your own file.',
      required: true,
      values: datasetValues,
    },
    samples: {
      kind: 'integer',
      description: 'Number of generated examples (m). Ignored for `csv`.',
      default: 300,
      minimum: 1,
    },
    noise: {
      kind: 'number',
      description:
        'Standard deviation of the Gaussian noise added to each point (the course uses 0.05 for circles, 0.2 for moons). Ignored for `csv`.',
      default: 0.2,
      minimum: 0,
    },
    seed: {
      kind: 'integer',
      description: 'The data seed: `np.random.seed(seed)` right before the set is generated, as in the course.',
      default: 1,
      minimum: 0,
      maximum: SEED_MAX,
    },
    factor: {
      kind: 'number',
      description: "Inner radius over outer radius (scikit-learn's `factor`).",
      default: 0.8,
      minimum: 0,
      exclusiveMaximum: 1,
      appliesTo: 'dataset = circles',
    },
    classes: {
      kind: 'integer',
      description:
        'Number of classes for the generated sets that support more than two. With more than 2, use `"output": "softmax"`.',
      default: 2,
      minimum: 2,
      maximum: 10,
      appliesTo: 'dataset = gauss | spiral',
    },
    path: {
      kind: 'string',
      description: 'The CSV file, relative to the experiment file.',
      appliesTo: 'dataset = csv (required there)',
    },
    label: {
      kind: 'string',
      description: 'The label column of the CSV file; labels are 0/1 or class indices 0…K−1.',
      defaultText: 'the last column',
      appliesTo: 'dataset = csv',
    },
  };
}

const dataField: ObjectFieldOf<DataConfig> = {
  kind: 'object',
  description: 'The training set (and optionally a test set generated the same way).',
  properties: {
    ...dataProperties(),
    test: {
      kind: 'object',
      description:
        'A test set, generated like the training set with these keys overriding, e.g. `{ "seed": 2, "samples": 100 }`. Without it, test accuracy is `null`.',
      defaultText: 'no test set',
      properties: dataProperties(),
    },
  },
};

const activationValues = [
  { value: 'relu', doc: 'max(0, z): the course default for hidden layers; pairs with He init.' },
  { value: 'tanh', doc: 'tanh(z): zero-centred, saturates for large |z|; pairs with Xavier init.' },
  { value: 'sigmoid', doc: '1/(1+e^−z): saturates, so gradients vanish in deep stacks.' },
  { value: 'leaky_relu', doc: 'max(0.01·z, z): like relu, but units never die completely.' },
  { value: 'linear', doc: 'z: no nonlinearity (the network collapses to a linear model).' },
] as const satisfies readonly EnumValue[];
export type Activation = (typeof activationValues)[number]['value'];

const outputValues = [
  { value: 'sigmoid', doc: 'One unit, binary labels 0/1; predicts 1 when the output is > 0.5.' },
  { value: 'softmax', doc: 'One unit per class, integer labels 0…K−1; predicts the argmax.' },
] as const satisfies readonly EnumValue[];
export type OutputActivation = (typeof outputValues)[number]['value'];

const initValues = [
  {
    value: 'zeros',
    doc: 'All weights 0.',
    formula: '`W = 0`',
    when: 'Never for training: every hidden unit computes the same thing (the course shows the cost stuck at 0.693).',
  },
  {
    value: 'random',
    doc: 'Standard normal draws times `initScale`.',
    formula: '`W = randn(n_l, n_{l−1}) · initScale`',
    when: 'To see the effect of scale: large values (the course uses 10) saturate sigmoid outputs and slow learning.',
  },
  {
    value: 'he',
    doc: 'He et al. 2015 scaling for relu layers.',
    formula: '`W = randn(n_l, n_{l−1}) · √(2 / n_{l−1})`',
    when: 'The default for relu and leaky_relu hidden layers.',
  },
  {
    value: 'xavier',
    doc: 'Xavier/Glorot-style scaling as in the course.',
    formula: '`W = randn(n_l, n_{l−1}) · √(1 / n_{l−1})`',
    when: 'For tanh or sigmoid hidden layers.',
  },
] as const satisfies readonly EnumValue[];
export type InitKind = (typeof initValues)[number]['value'];

const modelField: ObjectFieldOf<ModelConfig> = {
  kind: 'object',
  description: 'The fully connected network.',
  properties: {
    layers: {
      kind: 'array',
      description:
        'Layer sizes `[n0, n1, …, nL]`. `n0` must equal the number of features (2 for the generated sets); `nL` is 1 for a sigmoid output and the number of classes for softmax. Not needed with a `module` whose `setup(nn)` supplies the parameters.',
      required: true,
      minItems: 2,
      items: { kind: 'integer', description: 'Units in this layer.', minimum: 1 },
    },
    activation: {
      kind: 'enum',
      description: 'Activation of every hidden layer.',
      default: 'relu',
      values: activationValues,
    },
    output: {
      kind: 'enum',
      description: 'Activation of the output layer, with the matching cross-entropy computed from the logits.',
      default: 'sigmoid',
      values: outputValues,
    },
    init: {
      kind: 'enum',
      description:
        'How the weights are initialised. Biases always start at 0; W1, W2, … are drawn in order right after `np.random.seed(model.seed)`.',
      default: 'he',
      values: initValues,
    },
    initScale: {
      kind: 'number',
      description: 'The factor for `"init": "random"`: `W = randn · initScale`.',
      default: 0.01,
      exclusiveMinimum: 0,
      appliesTo: 'init = random',
    },
    seed: {
      kind: 'integer',
      description: 'The model seed: `np.random.seed(seed)` right before the weights are drawn (the course uses 3).',
      default: 3,
      minimum: 0,
      maximum: SEED_MAX,
    },
    keepProb: {
      kind: 'number',
      description:
        'Inverted dropout on the hidden layers: the probability of keeping a unit (1 = no dropout). Masks are `rand < keepProb`, activations divided by `keepProb`.',
      default: 1,
      exclusiveMinimum: 0,
      maximum: 1,
    },
    module: {
      kind: 'string',
      description:
        'A JavaScript or Python module, relative to the experiment file, with your own forward/backward pass (see docs/model-modules.md and docs/python.md). Used by gradient checking only: runs train the built-in network, so a module experiment does not run. When the module exports `setup(nn)` (Python: defines `setup()`), the experiment needs no `data` and no `layers`.',
      defaultText: 'the built-in network',
    },
    functions: {
      kind: 'object',
      description:
        "The names of a Python module's functions, when they are not `forward`, `backward` and `setup` (e.g. the course's `forward_propagation_n`, `backward_propagation_n`). See docs/python.md.",
      defaultText: 'forward, backward, setup',
      appliesTo: 'module = a .py file',
      properties: {
        forward: { kind: 'string', description: 'forward(X, Y, parameters) → (cost, cache).', default: 'forward' },
        backward: {
          kind: 'string',
          description: 'backward(X, Y, cache) → gradients {dW1, db1, …}.',
          default: 'backward',
        },
        setup: { kind: 'string', description: 'setup() → (X, Y, parameters), optional.', default: 'setup' },
      },
    },
  },
};

const decayValues = [
  {
    value: 'exponential',
    doc: 'Shrinks the rate a little every epoch.',
    formula: '`α = α0 · rate^epoch`',
    when: 'Smooth annealing over a long run.',
  },
  {
    value: 'step',
    doc: "The course's scheduled decay: shrinks the rate every `every` epochs.",
    formula: '`α = α0 / (1 + rate · ⌊epoch / every⌋)`',
    when: 'Large early steps, then finer ones at fixed intervals.',
  },
] as const satisfies readonly EnumValue[];
export type DecayType = (typeof decayValues)[number]['value'];

/** DecayConfig is a union (its keys depend on the type), so its key check is `variants`; its types are checked here. */
type SameMembers<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const decayTypesMatch: SameMembers<DecayType, DecayConfig['type']> = true;

const decayField = {
  kind: 'object',
  description: 'Learning-rate decay per epoch. Without it the learning rate stays constant.',
  defaultText: 'no decay',
  properties: {
    type: { kind: 'enum', description: 'The schedule.', values: decayValues },
    rate: { kind: 'number', description: 'The decay rate (see the schedule formula).', minimum: 0 },
    every: { kind: 'integer', description: 'Epochs between steps of the `step` schedule.', minimum: 1 },
  },
  variants: {
    discriminator: 'type',
    cases: {
      exponential: { required: ['type', 'rate'], allowed: ['type', 'rate'] },
      step: { required: ['type', 'rate', 'every'], allowed: ['type', 'rate', 'every'] },
    },
  },
} satisfies ObjectField;

const optimizerValues = [
  {
    value: 'gd',
    doc: '(Mini-batch) gradient descent.',
    formula: '`W ← W − α·g`',
    when: 'The baseline; fine with a well-chosen rate on easy problems.',
  },
  {
    value: 'momentum',
    doc: 'Gradient descent with momentum (the course form; `nesterov` for the look-ahead variant).',
    formula: '`v ← β·v + (1−β)·g`, `W ← W − α·v`',
    when: 'Smooths the zig-zag of noisy mini-batch gradients.',
  },
  {
    value: 'rmsprop',
    doc: 'Divides by a running RMS of the gradient.',
    formula: '`s ← ρ·s + (1−ρ)·g²`, `W ← W − α·g / (√s + ε)`',
    when: 'When gradient scales differ a lot between parameters.',
  },
  {
    value: 'adam',
    doc: 'Momentum and RMSprop with bias correction; t counts steps from 1.',
    formula:
      '`v ← β1·v + (1−β1)·g`, `s ← β2·s + (1−β2)·g²`, `v̂ = v/(1−β1^t)`, `ŝ = s/(1−β2^t)`, `W ← W − α·v̂ / (√ŝ + ε)` (ε outside the root)',
    when: 'A robust default; use a small rate (0.001 or less).',
  },
] as const satisfies readonly EnumValue[];
export type OptimizerKind = (typeof optimizerValues)[number]['value'];

const trainField: ObjectFieldOf<TrainConfig> = {
  kind: 'object',
  description: 'The optimizer and the training loop.',
  properties: {
    optimizer: {
      kind: 'enum',
      description:
        'The update rule, in increasing complexity. `g` is the gradient of a parameter, `α` the learning rate.',
      default: 'gd',
      values: optimizerValues,
    },
    learningRate: { kind: 'number', description: 'The step size α.', default: 0.01, exclusiveMinimum: 0 },
    epochs: {
      kind: 'integer',
      description: 'Passes over the training set (for full batch: iterations, as in the initialization lab).',
      default: 1000,
      minimum: 1,
    },
    batchSize: {
      kind: 'integer',
      description:
        'Mini-batch size. Epoch i reseeds with `shuffleSeed + i + 1`, permutes the examples and cuts batches of this size (the last one smaller). Absent: full batch, no shuffle.',
      defaultText: 'full batch',
      minimum: 1,
    },
    shuffleSeed: {
      kind: 'integer',
      description: 'Base seed of the per-epoch shuffle (the course uses 10).',
      default: 10,
      minimum: 0,
      maximum: SEED_MAX,
      appliesTo: 'batchSize set',
    },
    beta: {
      kind: 'number',
      description: 'Momentum β: how much of the previous velocity is kept.',
      default: 0.9,
      appliesTo: 'optimizer = momentum',
    },
    nesterov: {
      kind: 'boolean',
      description: 'Use the Nesterov look-ahead form of momentum.',
      default: false,
      appliesTo: 'optimizer = momentum',
    },
    beta1: {
      kind: 'number',
      description: "Adam's first-moment decay β1.",
      default: 0.9,
      appliesTo: 'optimizer = adam',
    },
    beta2: {
      kind: 'number',
      description: "Adam's second-moment decay β2.",
      default: 0.999,
      appliesTo: 'optimizer = adam',
    },
    rho: {
      kind: 'number',
      description: "RMSprop's decay ρ of the squared-gradient average.",
      default: 0.9,
      appliesTo: 'optimizer = rmsprop',
    },
    epsilon: {
      kind: 'number',
      description: 'ε added to the denominator (outside the square root) to avoid division by zero.',
      default: 1e-8,
      exclusiveMinimum: 0,
      appliesTo: 'optimizer = rmsprop | adam',
    },
    l2: {
      kind: 'number',
      description:
        'L2 regularisation strength λ: the cost adds `λ/(2m)·Σ‖W‖²` and each `dW` adds `λ/m·W` (the course formula).',
      default: 0,
      minimum: 0,
    },
    decay: decayField,
    costEvery: {
      kind: 'integer',
      description:
        "Record the cost (and the test cost) every this many epochs (1 = every epoch); a run of more than 100,000 epochs records at most 100,000 points, each with its bucket's min and max.",
      default: 1,
      minimum: 1,
    },
  },
};

/** The three sections of an experiment, shared by `defaults` and each entry of `experiments`. */
export const experimentSections: {
  data: ObjectFieldOf<DataConfig>;
  model: ObjectFieldOf<ModelConfig>;
  train: ObjectFieldOf<TrainConfig>;
} = {
  data: dataField,
  model: modelField,
  train: trainField,
};

const rangeSpec = (description: string): ArrayField => ({
  kind: 'array',
  description,
  minItems: 2,
  items: { kind: 'number', description: 'A bound.' },
});

/** `sweep`: parameter path → list (grid) or random spec. The values are documented here for hover and docs. */
const sweepField: MapField = {
  kind: 'map',
  custom: 'sweep',
  description:
    'Run this experiment once per setting. Each key is a dotted path such as `train.learningRate`, `model.init` or `model.layers`; each value is a list of values (grid search) or, with `"search": { "method": "random" }`, a random spec. Trials are named `NAME[key=value,…]` after the last path segment, and their seeds do not change, so a trial equals the standalone experiment with the same values.',
  defaultText: 'no sweep',
  values: {
    kind: 'object',
    description: 'A list of values, or one random spec.',
    properties: {
      uniform: rangeSpec('`[a, b]`: a float drawn uniformly from [a, b).'),
      logUniform: rangeSpec(
        '`[a, b]` with 0 < a ≤ b: exp of a uniform draw between log a and log b; the usual choice for learning rates.',
      ),
      intUniform: rangeSpec('`[a, b]`: an integer drawn uniformly from a…b (both included).'),
      choice: {
        kind: 'array',
        description: 'A list of values, one drawn per trial.',
        minItems: 1,
        items: { kind: 'string', description: 'A value.' },
      },
    },
  },
};

const searchField: ObjectField = {
  kind: 'object',
  description: 'How `sweep` is searched.',
  defaultText: 'grid search over every combination',
  properties: {
    method: {
      kind: 'enum',
      description: 'Grid or random search.',
      default: 'grid',
      values: [
        { value: 'grid', doc: 'Every combination of the lists, the first key varying slowest.' },
        {
          value: 'random',
          doc: '`trials` draws from the specs (lists are drawn from uniformly), reproducible from `seed`.',
        },
      ],
    },
    trials: {
      kind: 'integer',
      description: 'Number of random trials.',
      minimum: 1,
      maximum: MAX_SWEEP_TRIALS,
      appliesTo: 'method = random (required there)',
    },
    seed: {
      kind: 'integer',
      description: 'Seed of the random search (numpy RandomState): the same seed draws the same trials.',
      default: 0,
      minimum: 0,
      maximum: SEED_MAX,
      appliesTo: 'method = random',
    },
    prune: {
      kind: 'object',
      description:
        'Early stopping: a trial whose cost at epoch `after` is worse than the `quantile` of the earlier trials (in trial order) at that epoch stops with status `pruned` and keeps its history up to `after`.',
      defaultText: 'no pruning',
      properties: {
        after: { kind: 'integer', description: 'The epoch (counted from 1) at which trials are compared.', minimum: 1 },
        quantile: {
          kind: 'number',
          description:
            'A trial is pruned when its cost is above this quantile of the earlier trials’ costs (0.5: the median).',
          default: 0.5,
          exclusiveMinimum: 0,
          exclusiveMaximum: 1,
        },
      },
    },
  },
};

export const experimentField: ObjectField = {
  kind: 'object',
  description: 'One experiment: its data, model and training settings, merged over `defaults`.',
  properties: { ...experimentSections, sweep: sweepField, search: searchField },
};

export const defaultsField: ObjectField = {
  kind: 'object',
  description:
    'Settings shared by every experiment, deep-merged under each one: objects merge key by key, arrays and scalars are replaced.',
  properties: { ...experimentSections },
};

/** The root of a `*.nnlab.json` file. */
export const fileSchema: ObjectField = {
  kind: 'object',
  description: 'An NN Lab experiment file (JSON with comments).',
  properties: {
    $schema: { kind: 'string', description: 'The JSON schema, for editors other than VS Code.' },
    defaults: defaultsField,
    experiments: {
      kind: 'map',
      description: 'The experiments, by name. Each is run, charted and compared under this name.',
      required: true,
      values: experimentField,
    },
  },
};

/**
 * The field at a JSON path in a file (`['experiments', 'adam', 'train', 'beta1']`), or undefined for a path
 * the format does not define. Array indices and experiment names may be any number/string.
 */
export function fieldAt(path: readonly (string | number)[]): Field | undefined {
  let field: Field = fileSchema;
  for (const segment of path) {
    const next = childField(field, segment);
    if (!next) return undefined;
    field = next;
  }
  return field;
}

/** The field one step below `field`. */
export function childField(field: Field, segment: string | number): Field | undefined {
  switch (field.kind) {
    case 'object':
      return typeof segment === 'string' && Object.hasOwn(field.properties, segment)
        ? field.properties[segment]
        : undefined;
    case 'map':
      return typeof segment === 'string' ? field.values : undefined;
    case 'array':
      return typeof segment === 'number' ? field.items : undefined;
    default:
      return undefined;
  }
}

/** The keys an object field accepts (for completion and "did you mean"). */
export function keysOf(field: Field): string[] {
  return field.kind === 'object' ? Object.keys(field.properties) : [];
}
