/**
 * An experiment as a self-contained, course-style numpy program: the data (scikit-learn's make_moons/make_circles
 * after np.random.seed, a CSV file, or the Playground sets on numpy's RandomState), the initial weights, forward and
 * backward passes, the optimizer and the epoch loop, written the way the labs write them (dicts of arrays, one
 * numpy call per step). It performs NN Lab's arithmetic operation for operation (train.ts, network.ts, loss.ts,
 * optimizers.ts): the cross-entropy from the logits, dZ = (1/b)·(A − Y), the same RNG draws in the same order, so
 * its epoch costs are NN Lab's to rounding (matrix products and sums may add in another order). Pure: returns text.
 *
 * The program is a list of sections (a title and code); the script joins them, the notebook makes one markdown and
 * one code cell of each (notebook.ts).
 */
import type { ExperimentConfig, DataConfig } from '../types';
import { testConfig } from '../datasets';

export interface ExportSection {
  /** Markdown: a heading and a sentence or two. */
  title: string;
  code: string;
}

export interface ExportOptions {
  /** How the header names the experiment's file, e.g. "examples/initialization.nnlab.json". */
  source: string;
  /** NN Lab's version, for the header. */
  version: string;
  /** A CSV path as the exported program should open it: relative to the program's folder (or absolute). */
  csvPath?: (path: string) => string;
}

/** Why an experiment cannot be exported, or undefined. */
export function exportProblem(config: ExperimentConfig): string | undefined {
  if (config.model.module !== undefined) {
    return `"${config.name}" checks a model module (model.module); only experiments that train NN Lab's network can be exported`;
  }
  return undefined;
}

/** Python literal of a float64: repr-exact (JS's shortest round-trip form is also Python's). */
function py(x: number): string {
  if (Number.isInteger(x) && Math.abs(x) < 1e16) return `${x}.0`;
  return String(x);
}

const int = (x: number) => String(x);

function dataCode(cfg: DataConfig, name: 'train' | 'test', options: ExportOptions): string {
  const X = `${name}_X`;
  const Y = `${name}_Y`;
  switch (cfg.dataset) {
    case 'moons':
    case 'circles': {
      const factor = cfg.dataset === 'circles' && cfg.factor !== 0.8 ? `, factor=${py(cfg.factor)}` : '';
      return [
        `np.random.seed(${int(cfg.seed)})`,
        `${X}, ${Y} = make_${cfg.dataset}(n_samples=${int(cfg.samples)}, noise=${py(cfg.noise)}${factor})`,
        `${X}, ${Y} = ${X}.T, ${Y}.reshape(1, -1).astype(float)`,
      ].join('\n');
    }
    case 'csv': {
      const path = options.csvPath ? options.csvPath(cfg.path!) : cfg.path!;
      return `${X}, ${Y} = load_csv(${JSON.stringify(path)}${cfg.label === undefined ? '' : `, label=${JSON.stringify(cfg.label)}`})`;
    }
    case 'xor':
      return `${X}, ${Y} = make_xor(${int(cfg.samples)}, noise=${py(cfg.noise)}, seed=${int(cfg.seed)})`;
    case 'gauss':
    case 'spiral':
      return `${X}, ${Y} = make_${cfg.dataset}(${int(cfg.samples)}, noise=${py(cfg.noise)}, seed=${int(cfg.seed)}, classes=${int(cfg.classes)})`;
  }
}

const CSV_LOADER = `def load_csv(path, label=None):
    """A CSV file with a header row: feature columns and an integer label column (default: the last one)."""
    path = os.path.join(HERE, path)
    with open(path, encoding="utf-8-sig") as f:
        names = [name.strip().strip('"') for name in f.readline().split(",")]
    table = np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)
    k = len(names) - 1 if label is None else names.index(label)
    X = np.delete(table, k, axis=1).T
    Y = table[:, k].reshape(1, -1)
    return X, Y`;

const PLAYGROUND = {
  uniform: `def uniform(lo, hi):
    return np.random.random_sample() * (hi - lo) + lo`,
  sizes: `def class_sizes(samples, classes):
    return [samples // classes + (1 if k < samples % classes else 0) for k in range(classes)]`,
  xor: `def make_xor(samples, noise, seed):
    """TensorFlow Playground's XOR, on numpy's RandomState as NN Lab draws it (docs/datasets.md)."""
    np.random.seed(seed)
    X, Y = np.zeros((2, samples)), np.zeros((1, samples))
    for i in range(samples):
        x = uniform(-5, 5)
        x += 0.3 if x > 0 else -0.3
        y = uniform(-5, 5)
        y += 0.3 if y > 0 else -0.3
        nx = uniform(-5, 5) * noise
        ny = uniform(-5, 5) * noise
        X[0, i], X[1, i] = x, y
        Y[0, i] = 1 if (x + nx) * (y + ny) >= 0 else 0
    return X, Y`,
  gauss: `def make_gauss(samples, noise, seed, classes):
    """TensorFlow Playground's Gaussian blobs, one per class, as NN Lab draws them (docs/datasets.md)."""
    np.random.seed(seed)
    X, Y = np.zeros((2, samples)), np.zeros((1, samples))
    sd = math.sqrt(0.5 + 7 * noise)
    i = 0
    for k, size in enumerate(class_sizes(samples, classes)):
        angle = (5 * math.pi) / 4 + (2 * math.pi * k) / classes
        cx, cy = 2 * math.sqrt(2) * math.cos(angle), 2 * math.sqrt(2) * math.sin(angle)
        for _ in range(size):
            X[0, i] = cx + sd * np.random.standard_normal()
            X[1, i] = cy + sd * np.random.standard_normal()
            Y[0, i] = k
            i += 1
    return X, Y`,
  spiral: `def make_spiral(samples, noise, seed, classes):
    """TensorFlow Playground's spirals, one arm per class, as NN Lab draws them (docs/datasets.md)."""
    np.random.seed(seed)
    X, Y = np.zeros((2, samples)), np.zeros((1, samples))
    i = 0
    for k, size in enumerate(class_sizes(samples, classes)):
        delta_t = (2 * math.pi * k) / classes
        for j in range(size):
            r = (j / size) * 5
            t = ((1.75 * j) / size) * 2 * math.pi + delta_t
            X[0, i] = r * math.sin(t) + uniform(-1, 1) * noise
            X[1, i] = r * math.cos(t) + uniform(-1, 1) * noise
            Y[0, i] = k
            i += 1
    return X, Y`,
};

interface HiddenActivation {
  forward: string;
  /** dZ from dA, Z and A. */
  backward: string;
  doc: string;
}

const HIDDEN: Record<ExperimentConfig['model']['activation'], HiddenActivation> = {
  relu: { forward: 'np.maximum(Z, 0)', backward: 'dA * (Z > 0)', doc: 'relu' },
  leaky_relu: {
    forward: 'np.where(Z > 0, Z, 0.01 * Z)',
    backward: 'dA * np.where(Z > 0, 1.0, 0.01)',
    doc: 'leaky relu (slope 0.01)',
  },
  tanh: { forward: 'np.tanh(Z)', backward: 'dA * (1 - A * A)', doc: 'tanh' },
  sigmoid: { forward: '1 / (1 + np.exp(-Z))', backward: 'dA * (A * (1 - A))', doc: 'sigmoid' },
  linear: { forward: 'Z', backward: 'dA', doc: 'linear' },
};

function initCode(config: ExperimentConfig): string {
  const { init, initScale, seed, layers } = config.model;
  const scale: Record<typeof init, string> = {
    zeros: '0',
    random: py(initScale),
    he: 'np.sqrt(2 / layers_dims[l - 1])',
    xavier: 'np.sqrt(1 / layers_dims[l - 1])',
  };
  const weight =
    init === 'zeros'
      ? 'np.zeros((layers_dims[l], layers_dims[l - 1]))'
      : `np.random.randn(layers_dims[l], layers_dims[l - 1]) * ${scale[init]}`;
  return `layers_dims = ${JSON.stringify(layers).replace(/,/g, ', ')}


def initialize_parameters(layers_dims):
    """${init} initialization: W${init === 'zeros' ? ' = 0 (nothing is drawn)' : ` = randn(n_l, n_(l-1)) * ${init === 'random' ? py(initScale) : init === 'he' ? 'sqrt(2 / n_(l-1))' : 'sqrt(1 / n_(l-1))'}`}, b = 0."""
    np.random.seed(${int(seed)})
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters["W" + str(l)] = ${weight}
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters`;
}

function outputCode(config: ExperimentConfig): string {
  if (config.model.output === 'sigmoid') {
    return `def output_layer(Z, Y):
    """Sigmoid output: the summed cross-entropy from the logits (a saturated sigmoid gives a large finite loss,
    never inf) and the probabilities, computed from the same exp(-|z|)."""
    E = np.exp(-np.abs(Z))
    loss = np.sum(np.maximum(Z, 0) - Z * Y + np.log1p(E))
    A = np.where(Z >= 0, 1 / (1 + E), E / (1 + E))
    return loss, A


def one_hot(Y, units):
    return Y


def predict(X, parameters):
    """Label 1 where the probability is above 0.5, the course's rule."""
    _, A = output_layer(forward_propagation(X, parameters)[-1]["Z"], np.zeros((1, X.shape[1])))
    return (A > 0.5).astype(float)`;
  }
  return `def output_layer(Z, Y):
    """Softmax output: the summed cross-entropy from the logits, log(sum(exp(z - max))) - (z_y - max), and the
    probabilities."""
    M = np.max(Z, axis=0, keepdims=True)
    E = np.exp(Z - M)
    S = np.sum(E, axis=0, keepdims=True)
    labels = Y.astype(int).reshape(-1)
    loss = np.sum(np.log(S).reshape(-1) - (Z[labels, np.arange(Z.shape[1])] - M.reshape(-1)))
    return loss, E / S


def one_hot(Y, units):
    return (np.arange(units).reshape(-1, 1) == Y).astype(float)


def predict(X, parameters):
    """The most probable class (the first one on ties)."""
    _, A = output_layer(forward_propagation(X, parameters)[-1]["Z"], np.zeros((1, X.shape[1])))
    return np.argmax(A, axis=0).reshape(1, -1).astype(float)`;
}

function forwardCode(config: ExperimentConfig): string {
  const g = HIDDEN[config.model.activation];
  const dropout = config.model.keepProb !== 1;
  return `def forward_propagation(X, parameters${dropout ? ', masks=None' : ''}):
    """LINEAR -> ${g.doc.toUpperCase()} for the hidden layers, LINEAR for the output (its activation is in
    output_layer). Returns one cache per layer: its input H, Z and A${dropout ? ', and the dropout mask D' : ''}."""
    caches = []
    H = X
    L = len(parameters) // 2
    for l in range(1, L + 1):
        W, b = parameters["W" + str(l)], parameters["b" + str(l)]
        Z = np.dot(W, H) + b
        cache = {"H": H, "Z": Z}
        if l < L:
            A = ${g.forward}
            cache["A"] = A
${
  dropout
    ? `            if masks is not None:
                # Inverted dropout, the course's way: A * D, then / keep_prob.
                D = masks[l - 1]
                cache["D"] = D
                A = (A * D) / keep_prob
`
    : ''
}            H = A
        caches.append(cache)
    return caches`;
}

function backwardCode(config: ExperimentConfig): string {
  const g = HIDDEN[config.model.activation];
  const dropout = config.model.keepProb !== 1;
  return `def backward_propagation(Y, parameters, caches):
    """The batch's summed loss and the gradients of its mean loss: dZ_L = (1/b)(A_L - Y), dW = dZ . H^T, db = sum(dZ),
    dA_(l-1) = W^T . dZ, dZ_(l-1) = dA * g'(Z)."""
    b = Y.shape[1]
    L = len(caches)
    loss, A = output_layer(caches[-1]["Z"], Y)
    caches[-1]["A"] = A
    dZ = (1 / b) * (A - one_hot(Y, A.shape[0]))
    grads = {}
    for l in range(L, 0, -1):
        cache = caches[l - 1]
        grads["dW" + str(l)] = np.dot(dZ, cache["H"].T)
        grads["db" + str(l)] = np.sum(dZ, axis=1, keepdims=True)
        if l == 1:
            break
        prev = caches[l - 2]
        dA = np.dot(parameters["W" + str(l)].T, dZ)
${
  dropout
    ? `        if "D" in prev:
            dA = (dA * prev["D"]) / keep_prob
`
    : ''
}        Z, A = prev["Z"], prev["A"]
        dZ = ${g.backward}
    return loss, grads`;
}

function optimizerCode(config: ExperimentConfig): { init: string; step: string; doc: string } {
  const t = config.train;
  const each = `    for key in parameters:
        g = grads["d" + key]`;
  switch (t.optimizer) {
    case 'gd':
      return {
        doc: 'Gradient descent: p = p - learning_rate * g.',
        init: '',
        step: `def update_parameters(parameters, grads, learning_rate):
${each}
        parameters[key] = parameters[key] - learning_rate * g`,
      };
    case 'momentum':
      return {
        doc: t.nesterov
          ? `Nesterov momentum (beta = ${py(t.beta)}): v = beta v + (1 - beta) g, p = p - learning_rate (beta v + (1 - beta) g).`
          : `Momentum (beta = ${py(t.beta)}), the course's form: v = beta v + (1 - beta) g, p = p - learning_rate v.`,
        init: `beta = ${py(t.beta)}
v = {key: np.zeros_like(value) for key, value in parameters.items()}`,
        step: `def update_parameters(parameters, grads, learning_rate):
${each}
        v[key] = beta * v[key] + (1 - beta) * g
        parameters[key] = parameters[key] - learning_rate * ${t.nesterov ? '(beta * v[key] + (1 - beta) * g)' : 'v[key]'}`,
      };
    case 'rmsprop':
      return {
        doc: `RMSprop (rho = ${py(t.rho)}, epsilon = ${py(t.epsilon)}): s = rho s + (1 - rho) g^2, p = p - learning_rate g / (sqrt(s) + epsilon).`,
        init: `rho, epsilon = ${py(t.rho)}, ${py(t.epsilon)}
s = {key: np.zeros_like(value) for key, value in parameters.items()}`,
        step: `def update_parameters(parameters, grads, learning_rate):
${each}
        s[key] = rho * s[key] + (1 - rho) * (g * g)
        parameters[key] = parameters[key] - (learning_rate * g) / (np.sqrt(s[key]) + epsilon)`,
      };
    case 'adam':
      return {
        doc: `Adam (beta1 = ${py(t.beta1)}, beta2 = ${py(t.beta2)}, epsilon = ${py(t.epsilon)} outside the square root), with bias correction from t = 1.`,
        init: `beta1, beta2, epsilon = ${py(t.beta1)}, ${py(t.beta2)}, ${py(t.epsilon)}
v = {key: np.zeros_like(value) for key, value in parameters.items()}
s = {key: np.zeros_like(value) for key, value in parameters.items()}
t = 0`,
        step: `def update_parameters(parameters, grads, learning_rate):
    global t
    t = t + 1
    c1, c2 = 1 - beta1 ** t, 1 - beta2 ** t
${each}
        v[key] = beta1 * v[key] + (1 - beta1) * g
        s[key] = beta2 * s[key] + (1 - beta2) * (g * g)
        parameters[key] = parameters[key] - (learning_rate * (v[key] / c1)) / (np.sqrt(s[key] / c2) + epsilon)`,
      };
  }
}

function learningRateCode(config: ExperimentConfig): string {
  const { learningRate, decay } = config.train;
  if (!decay) return `def learning_rate_at(epoch):\n    return ${py(learningRate)}`;
  if (decay.type === 'exponential') {
    return `def learning_rate_at(epoch):\n    """Exponential decay: learning_rate0 * rate^epoch."""\n    return ${py(learningRate)} * ${py(decay.rate)} ** epoch`;
  }
  return `def learning_rate_at(epoch):
    """The course's scheduled decay: learning_rate0 / (1 + rate * floor(epoch / every))."""
    return ${py(learningRate)} / (1 + ${py(decay.rate)} * (epoch // ${int(decay.every)}))`;
}

function loopCode(config: ExperimentConfig, hasTest: boolean): string {
  const { train, model } = config;
  const shuffled = train.batchSize !== undefined;
  const dropout = model.keepProb !== 1;
  const l2 = train.l2 !== 0;
  const costEvery = train.costEvery;
  const batch = shuffled
    ? `        np.random.seed(shuffle_seed + epoch + 1)
        permutation = np.random.permutation(m)
        batches = [permutation[k:k + batch_size] for k in range(0, m, batch_size)]`
    : `        batches = [None]  # one full batch, in order: nothing is drawn`;
  return `epochs = ${int(train.epochs)}
${shuffled ? `batch_size = min(${int(train.batchSize!)}, train_X.shape[1])\nshuffle_seed = ${int(train.shuffleSeed)}\n` : ''}${dropout ? `keep_prob = ${py(model.keepProb)}\n` : ''}${l2 ? `lambd = ${py(train.l2)}\n` : ''}
costs = []
test_costs = []
status = "ok"
parameters = initialize_parameters(layers_dims)
${optimizerCode(config).init}


def train_model():
    global parameters, status
    m = train_X.shape[1]
    for epoch in range(epochs):
        learning_rate = learning_rate_at(epoch)
${
  hasTest
    ? `        if epoch % ${int(costEvery)} == 0:
            # The test cost with the parameters this epoch starts from (no penalty).
            test_loss, _ = output_layer(forward_propagation(test_X, parameters)[-1]["Z"], test_Y)
            test_costs.append(test_loss / test_X.shape[1])
`
    : ''
}${batch}
        cost_total = 0.0
        for columns in batches:
            X_batch = train_X if columns is None else train_X[:, columns]
            Y_batch = train_Y if columns is None else train_Y[:, columns]
${
  dropout
    ? `            masks = [(np.random.rand(n, X_batch.shape[1]) < keep_prob).astype(float) for n in layers_dims[1:-1]]
            caches = forward_propagation(X_batch, parameters, masks)
`
    : `            caches = forward_propagation(X_batch, parameters)
`
}            loss, grads = backward_propagation(Y_batch, parameters, caches)
            cost_total += loss
${
  l2
    ? `            # L2: lambd/2 * sum(W^2) per batch in the cost, lambd/b * W in each weight's gradient.
            cost_total += (lambd / 2) * sum(np.sum(parameters[key] * parameters[key]) for key in parameters if key[0] == "W")
            for key in parameters:
                if key[0] == "W":
                    grads["d" + key] = grads["d" + key] + (lambd / X_batch.shape[1]) * parameters[key]
`
    : ''
}            update_parameters(parameters, grads, learning_rate)
        costs.append(cost_total / m)
        if epoch % 1000 == 0 or epoch == epochs - 1:
            print("Cost after epoch %i: %.12f" % (epoch, costs[-1]))
        if not all(np.all(np.isfinite(value)) for value in parameters.values()):
            status = "diverged"
            print("Diverged at epoch %i" % epoch)
            break


train_model()`;
}

export function numpySections(config: ExperimentConfig, options: ExportOptions): ExportSection[] {
  const problem = exportProblem(config);
  if (problem) throw new Error(problem);
  const { data, model, train } = config;
  const test = testConfig(data);
  const datasets = [data.dataset, ...(test ? [test.dataset] : [])];
  const sklearn = [...new Set(datasets.filter((d) => d === 'moons' || d === 'circles'))].map((d) => `make_${d}`);
  const playground = datasets.filter((d) => d === 'xor' || d === 'gauss' || d === 'spiral');
  const csv = datasets.includes('csv');
  const imports = [
    'import json',
    ...(playground.some((d) => d !== 'xor') ? ['import math'] : []),
    'import os',
    '',
    'import numpy as np',
    ...(sklearn.length ? [`from sklearn.datasets import ${sklearn.join(', ')}`] : []),
  ];
  const helpers = [
    ...(csv ? [CSV_LOADER] : []),
    ...(playground.length ? [PLAYGROUND.uniform] : []),
    ...(playground.some((d) => d !== 'xor') ? [PLAYGROUND.sizes] : []),
    ...[...new Set(playground)].map((d) => PLAYGROUND[d as 'xor' | 'gauss' | 'spiral']),
  ];
  const opt = optimizerCode(config);
  const header = `"""${config.name} from ${options.source}, exported by NN Lab ${options.version} as a numpy program.

${data.dataset === 'csv' ? `CSV data (${data.path})` : `${data.dataset} data`}, layers ${JSON.stringify(model.layers)} (${model.activation} hidden, ${model.output} output, ${model.init} init,
seed ${model.seed}), ${train.optimizer} with learning rate ${py(train.learningRate)}, ${train.epochs} epochs${train.batchSize === undefined ? ' of full-batch steps' : ` of mini-batches of ${train.batchSize}`}.
Its costs are NN Lab's for the same experiment (each epoch's cost is the mean loss of its batches, each taken
before its update, plus the L2 term). Needs numpy${sklearn.length ? ' and scikit-learn' : ''}.
"""`;
  const sections: ExportSection[] = [
    {
      title: `# ${config.name}\n\nExported by NN Lab ${options.version} from \`${options.source}\`.`,
      code: [header, ...imports].join('\n'),
    },
    {
      title:
        '## Data\n\nThe training set' +
        (test ? ' and the test set' : '') +
        " in the course's layout: X is features × m, Y is 1 × m.",
      code: [
        ...(csv
          ? ['HERE = os.path.dirname(os.path.abspath(__file__)) if "__file__" in globals() else os.getcwd()', '', '']
          : []),
        ...helpers.flatMap((h) => [h, '', '']),
        dataCode(data, 'train', options),
        ...(test ? [dataCode(test, 'test', options)] : []),
      ].join('\n'),
    },
    { title: '## Initialization', code: initCode(config) },
    {
      title: '## Forward and backward propagation',
      code: [outputCode(config), forwardCode(config), backwardCode(config)].join('\n\n\n'),
    },
    { title: `## Optimizer\n\n${opt.doc}`, code: [learningRateCode(config), opt.step].join('\n\n\n') },
    { title: '## Training', code: loopCode(config, test !== undefined) },
    {
      title: '## Accuracy',
      code: `def accuracy(X, Y):
    return float(np.mean(predict(X, parameters) == Y)) if status == "ok" else None


train_accuracy = accuracy(train_X, train_Y)
print("Train accuracy:", train_accuracy)
${test ? 'test_accuracy = accuracy(test_X, test_Y)\nprint("Test accuracy:", test_accuracy)' : 'test_accuracy = None'}

# Every epoch's cost and the accuracies as JSON, to compare with NN Lab's own run.
if os.environ.get("NNLAB_RESULTS"):
    with open(os.environ["NNLAB_RESULTS"], "w") as f:
        json.dump({"costs": costs, "testCosts": test_costs, "trainAccuracy": train_accuracy,
                   "testAccuracy": test_accuracy, "status": status}, f)`,
    },
  ];
  return sections;
}

/** The program as one script. */
export function numpyScript(config: ExperimentConfig, options: ExportOptions): string {
  const sections = numpySections(config, options);
  const heading = (title: string) => `# ---- ${title.split('\n')[0]!.replace(/^#+\s*/, '')} ----`;
  return `${sections.map((s, i) => (i === 0 ? s.code : `${heading(s.title)}\n\n${s.code}`)).join('\n\n\n')}\n`;
}
