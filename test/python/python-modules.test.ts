/**
 * Python model modules through the real harness and a real interpreter with numpy (Debian's /usr/bin/python3 and
 * python3-numpy; NNLAB_TEST_PYTHON picks another). The course's lab in numpy, exact float64 crossing, and every way
 * a module can go wrong.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gradcheckCommand } from '../../src/cli/gradcheck';
import type { CliIO } from '../../src/cli/io';
import { resolveExperimentText } from '../../src/core/experiment';
import { datasetShape, loadExperimentFile, moduleExists } from '../../src/node/experiment';
import type { GradcheckReport } from '../../src/core/gradcheck';
import { runGradcheck } from '../../src/runner/gradcheck';
import { findHarness, HarnessProcess } from '../../src/runner/python/process';
import { decodeF64, encodeF64 } from '../../src/protocol/python';
import type { ExperimentConfig } from '../../src/core/types';

const python = process.env.NNLAB_TEST_PYTHON ?? '/usr/bin/python3';
const root = resolve(__dirname, '..', '..', '..');
const exampleDir = join(root, 'examples', 'gradient-checking');
const dir = mkdtempSync(join(tmpdir(), 'nnlab-python-'));
const failing = (r: GradcheckReport) => r.tensors.filter((t) => !t.passed).map((t) => t.name);

function example(name: string): ExperimentConfig {
  const file = loadExperimentFile(join(exampleDir, 'python.nnlab.json'));
  const config = file.experiments.find((e) => e.name === name);
  assert.ok(config, `experiment ${name} (diagnostics: ${file.diagnostics.map((d) => d.message).join('; ')})`);
  return config;
}

/** One experiment over a module written to the temp dir; `model` and `rest` add keys to its model and to it. */
function moduleExperiment(name: string, source: string, model = '', rest = ''): ExperimentConfig {
  writeFileSync(join(dir, `${name}.py`), source);
  const text = `{ "experiments": { "${name}": { "model": { "module": "./${name}.py"${model} }${rest} } } }`;
  const entry = resolveExperimentText(text, { baseDir: dir, dataShape: datasetShape, moduleExists }).entries[0]!;
  assert.ok(entry.config, JSON.stringify(entry.diagnostics));
  return entry.config;
}

const COURSE = `import numpy as np
def setup():
    np.random.seed(1)
    x = np.random.randn(4, 3)
    y = np.array([1, 1, 0])
    p = {"W1": np.random.randn(5, 4), "b1": np.random.randn(5, 1), "W2": np.random.randn(3, 5),
         "b2": np.random.randn(3, 1), "W3": np.random.randn(1, 3), "b3": np.random.randn(1, 1)}
    return x, y, p
`;

test('course-buggy in numpy: difference 0.2850931568 (±1e-9), exactly W2 and b1 fail', async () => {
  const r = await runGradcheck(example('python-buggy'), exampleDir, { python });
  assert.ok(Math.abs(r.difference - 0.2850931568) <= 1e-9, `difference ${r.difference}`);
  assert.equal(r.passed, false);
  assert.deepEqual(failing(r), ['b1', 'W2']);
  assert.deepEqual(
    r.tensors.map((t) => [t.name, t.shape]),
    [
      ['W1', [5, 4]],
      ['b1', [5, 1]],
      ['W2', [3, 5]],
      ['b2', [3, 1]],
      ['W3', [1, 3]],
      ['b3', [1, 1]],
    ],
  );
  // Every sizeable W2 entry is off by 2 and every b1 entry by 4, as in the JS twin.
  const big = (x: { numeric: number }) => Math.abs(x.numeric) > 1e-3;
  for (const e of r.tensors.find((t) => t.name === 'W2')!.entries.filter(big))
    assert.ok(Math.abs(e.analytic / e.numeric - 2) < 1e-4);
  for (const e of r.tensors.find((t) => t.name === 'b1')!.entries.filter(big))
    assert.ok(Math.abs(e.analytic / e.numeric - 4) < 1e-4);
});

test('course-fixed in numpy passes at about 1.19e-7 with every tensor', async () => {
  const r = await runGradcheck(example('python-fixed'), exampleDir, { python });
  assert.equal(r.passed, true);
  assert.ok(r.difference > 1.1e-7 && r.difference < 1.3e-7, `difference ${r.difference}`);
  assert.deepEqual(failing(r), []);
});

test('float64 crosses the protocol exactly: 17-digit reprs, subnormals, ±0, ±∞, NaN', async () => {
  const values = [
    0.1 + 0.2,
    1 / 3,
    5e-324,
    2.2250738585072014e-308 / 3,
    -0,
    0,
    -5e-324,
    Number.MAX_VALUE,
    Infinity,
    -Infinity,
    NaN,
  ];
  const proc = new HarnessProcess({ python, harness: findHarness(), timeoutMs: 20_000, memoryMb: 2048 });
  try {
    const reply = await proc.ok({ op: 'echo', values: encodeF64(values) }, (r) => new Error(r.error.message));
    // What Python holds, in its own exact notation: the bits it received, not a rounding of them.
    assert.deepEqual((reply.hex as string[]).slice(0, 7), [
      '0x1.3333333333334p-2',
      '0x1.5555555555555p-2',
      '0x0.0000000000001p-1022',
      '0x0.5555555555555p-1022',
      '-0x0.0p+0',
      '0x0.0p+0',
      '-0x0.0000000000001p-1022',
    ]);
    assert.deepEqual((reply.hex as string[]).slice(7), ['0x1.fffffffffffffp+1023', 'inf', '-inf', 'nan']);
    const back = decodeF64(reply.values, 'values');
    assert.equal(back.length, values.length);
    back.forEach((v, i) => assert.ok(Object.is(v, values[i]), `value ${i}: ${v} vs ${values[i]}`));
  } finally {
    proc.close();
  }
});

const TWO_LAYER = `import numpy as np
def forward(X, Y, parameters):
    W1, b1, W2, b2 = parameters["W1"], parameters["b1"], parameters["W2"], parameters["b2"]
    A1 = np.tanh(np.dot(W1, X) + b1)
    A2 = 1 / (1 + np.exp(-(np.dot(W2, A1) + b2)))
    m = X.shape[1]
    cost = -np.sum(Y * np.log(A2) + (1 - Y) * np.log(1 - A2)) / m
    return cost, (A1, A2, W2)
def backward(X, Y, cache):
    A1, A2, W2 = cache
    m = X.shape[1]
    dZ2 = A2 - Y
    dZ1 = np.dot(W2.T, dZ2) * (1 - A1 ** 2)
    return {"dW1": np.dot(dZ1, X.T) / m, "db1": np.sum(dZ1, axis=1, keepdims=True) / m,
            "dW2": np.dot(dZ2, A1.T) / m, "db2": np.sum(dZ2, axis=1, keepdims=True) / m}
`;

test("without setup(), the experiment's data and initial parameters are checked, in W1, b1, W2, b2 order", async () => {
  const config = moduleExperiment(
    'two_layer',
    TWO_LAYER,
    ', "layers": [2, 3, 1], "activation": "tanh"',
    ', "data": { "dataset": "moons", "samples": 40 }',
  );
  const r = await runGradcheck(config, dir, { python });
  assert.equal(r.passed, true, r.message);
  assert.deepEqual(
    r.tensors.map((t) => [t.name, t.shape]),
    [
      ['W1', [3, 2]],
      ['b1', [3, 1]],
      ['W2', [1, 3]],
      ['b2', [1, 1]],
    ],
  );
  assert.ok(r.difference < 1e-7 && r.difference > 0);
});

test('without setup() and without data, the check names the missing key and how to supply it in Python', async () => {
  const config = moduleExperiment('no_data', TWO_LAYER, ', "layers": [2, 3, 1]');
  await assert.rejects(
    runGradcheck(config, dir, { python }),
    /\.\/no_data\.py: has no setup\(\), .*"data".*define setup\(\) returning \(X, Y, parameters\)/,
  );
});

/** The message of a check that must fail to run. */
async function failure(
  config: ExperimentConfig,
  options: { timeoutMs?: number; pythonMemoryMb?: number; python?: string } = {},
): Promise<string> {
  try {
    await runGradcheck(config, dir, { python, ...options });
  } catch (e) {
    return (e as Error).message;
  }
  assert.fail('the check ran');
}

test("an exception in forward names the function, the error and the line in the learner's file; the traceback follows", async () => {
  const source = `${COURSE}
def helper(A):
    return np.dot(A, A)  # line 11: (5, 3) x (5, 3) does not align

def forward(X, Y, parameters):
    Z1 = np.dot(parameters["W1"], X)
    return helper(Z1), None

def backward(X, Y, cache):
    return {}
`;
  const message = await failure(moduleExperiment('raises', source));
  const [first, ...rest] = message.split('\n');
  assert.match(
    first!,
    /^\.\/raises\.py: forward\(\) raised ValueError: shapes \(5,3\) and \(5,3\) not aligned.*\(at .*raises\.py:11\)$/,
  );
  assert.equal(first!.match(/\(at (.*):(\d+)\)$/)![1], join(dir, 'raises.py'));
  const traceback = rest.join('\n');
  assert.match(traceback, /Traceback \(most recent call last\)/);
  assert.match(traceback, /line 15, in forward/);
  assert.match(traceback, /line 11, in helper/);
});

test('a syntax error points at its line', async () => {
  const message = await failure(
    moduleExperiment('syntax', 'import numpy as np\n\ndef forward(X, Y, parameters)\n    return 0\n'),
  );
  assert.match(
    message.split('\n')[0]!,
    /^\.\/syntax\.py: loading the module raised SyntaxError: .*\(at .*syntax\.py:3\)$/,
  );
});

test('contract breaks get the same quality of message as JS modules', async () => {
  const backward = (body: string) => `${COURSE}
def forward(X, Y, parameters):
    return float(np.sum(parameters["W1"] ** 2)), None

def backward(X, Y, cache):
${body}
`;
  const zeros =
    '{"dW1": np.zeros((5, 4)), "db1": np.zeros((5, 1)), "dW2": np.zeros((3, 5)), "db2": np.zeros((3, 1)), "dW3": np.zeros((1, 3)), "db3": 0.0}';
  assert.equal(
    await failure(moduleExperiment('missing', backward(`    g = ${zeros}\n    del g["db2"]\n    return g`))),
    './missing.py: backward() did not return db2; expected an array of shape (3, 1) (the gradient of b2)',
  );
  assert.equal(
    await failure(
      moduleExperiment('shape', backward(`    g = ${zeros}\n    g["dW2"] = np.zeros((5, 3))\n    return g`)),
    ),
    './shape.py: backward() returned dW2 with shape (5, 3); expected (3, 5), the shape of W2',
  );
  assert.equal(
    await failure(moduleExperiment('flat', backward(`    g = ${zeros}\n    g["db1"] = np.zeros(5)\n    return g`))),
    './flat.py: backward() returned db1 with shape (5,); expected (5, 1), the shape of b1',
  );
  assert.equal(
    await failure(moduleExperiment('notdict', backward('    return [1, 2]'))),
    "./notdict.py: backward() returned list; expected a dict of gradients {'dW1', 'db1', 'dW2', 'db2', 'dW3', 'db3'}",
  );
  assert.match(
    await failure(moduleExperiment('nofn', `${COURSE}\ndef forward(X, Y, parameters):\n    return 0.0\n`)),
    /^\.\/nofn\.py: defines no function backward\(\) \(found nothing\)/,
  );
  const vector = `${COURSE}\ndef forward(X, Y, parameters):\n    return np.dot(parameters["W3"], np.ones((3, 3))), None\n\ndef backward(X, Y, cache):\n    return {}\n`;
  assert.equal(
    await failure(moduleExperiment('vector', vector)),
    './vector.py: forward() returned a cost of shape (1, 3); expected one number (did you forget np.sum?)',
  );
});

test('a NaN cost makes a non-finite verdict that names the first entry, never a pass', async () => {
  const source = `${COURSE}
def forward(X, Y, parameters):
    return np.log(parameters["W1"][0, 0] - parameters["W1"][0, 0] - 1.0), None

def backward(X, Y, cache):
    return {"d" + n: np.zeros_like(a) for n, a in setup()[2].items()}
`;
  const r = await runGradcheck(moduleExperiment('nan', source), dir, { python });
  assert.equal(r.verdict, 'non-finite');
  assert.equal(r.passed, false);
  assert.match(r.message, /the cost is not finite at W1\[0,0\]/);
});

test('a module that hangs is stopped at the time limit, naming where it was', async () => {
  const source = `${COURSE}
import time
calls = 0
def forward(X, Y, parameters):
    global calls
    calls += 1
    if calls > 3:
        time.sleep(60)
    return float(np.sum(parameters["W1"])), None

def backward(X, Y, cache):
    return {"d" + n: np.ones_like(a) if n == "W1" else np.zeros_like(a) for n, a in setup()[2].items()}
`;
  const message = await failure(moduleExperiment('hangs', source), { timeoutMs: 3000 });
  assert.match(
    message,
    /^\.\/hangs\.py: no answer within 3 s while running forward\(\) for W1\[0,0\] ± ε and the rest of its batch; the Python process was stopped/,
  );
});

test("a module that spins on the CPU is stopped too (the harness's RLIMIT_CPU or the host's timer)", async () => {
  const source = `${COURSE}\ndef forward(X, Y, parameters):\n    while True:\n        pass\n\ndef backward(X, Y, cache):\n    return {}\n`;
  const message = await failure(moduleExperiment('spins', source), { timeoutMs: 2000 });
  assert.match(
    message,
    /^\.\/spins\.py: (no answer within 2 s|the Python process used its 2 s of CPU time) while loading the module/,
  );
});

test('a module that allocates past the memory limit gets a MemoryError at its line', async () => {
  const source = `${COURSE}
def forward(X, Y, parameters):
    big = np.ones((1024, 1024, 128))  # 1 GiB: fine without the limit, too much under 512 MiB
    return float(np.sum(big)), None

def backward(X, Y, cache):
    return {}
`;
  const message = await failure(moduleExperiment('memory', source), { pythonMemoryMb: 512 });
  assert.match(
    message.split('\n')[0]!,
    /^\.\/memory\.py: forward\(\) raised MemoryError: .*the module reached NN Lab's memory limit \(at .*memory\.py:11\)$/,
  );
});

test("print() in the learner's code does not disturb the protocol", async () => {
  const source = `${COURSE}
def forward(X, Y, parameters):
    print("cost so far", flush=True)
    import os
    os.write(1, b"raw bytes on fd 1\\n")
    return float(np.sum(parameters["b3"] ** 2)), None

def backward(X, Y, cache):
    g = {"d" + n: np.zeros_like(a) for n, a in setup()[2].items()}
    g["db3"] = 2 * setup()[2]["b3"]
    return g
`;
  const r = await runGradcheck(moduleExperiment('prints', source), dir, { python });
  assert.equal(r.passed, true, r.message);
});

test('a missing interpreter and a missing numpy each get one message naming the interpreter and what to install', async () => {
  const config = example('python-fixed');
  const missing = await failure(config, { python: join(dir, 'no-such-python') });
  assert.match(
    missing,
    new RegExp(
      `cannot run the Python interpreter "${join(dir, 'no-such-python')}": not found\\. Install Python 3 with numpy \\(Debian/Ubuntu: sudo apt-get install python3-numpy\\)`,
    ),
  );
  // An interpreter whose numpy cannot be imported: a package named numpy that fails, first on its path.
  const fake = join(dir, 'fake-site', 'numpy');
  mkdirSync(fake, { recursive: true });
  writeFileSync(join(fake, '__init__.py'), 'raise ModuleNotFoundError("No module named \'numpy\'")\n');
  const wrapper = join(dir, 'python-without-numpy');
  writeFileSync(wrapper, `#!/bin/sh\nPYTHONPATH=${join(dir, 'fake-site')} exec ${python} "$@"\n`, { mode: 0o755 });
  const noNumpy = await failure(example('python-fixed'), { python: wrapper });
  assert.equal(
    noNumpy,
    `./fixed_model.py: the Python interpreter "${wrapper}" cannot import numpy (No module named 'numpy'). Install it (Debian/Ubuntu: sudo apt-get install python3-numpy; ` +
      `otherwise: ${wrapper} -m pip install numpy), or choose an interpreter that has it (the Python extension's environment, nnlab.python.path, --python)`,
  );
});

test('nnlab gradcheck --python PATH --json: the course bug through the CLI', async () => {
  let stdout = '';
  const io: CliIO = { stdout: (t) => void (stdout += t), stderr: () => {}, stderrIsTTY: false, columns: 80 };
  const code = await gradcheckCommand.run([join(exampleDir, 'python.nnlab.json'), '--json', '--python', python], io);
  assert.equal(code, 1);
  const doc = JSON.parse(stdout) as {
    experiments: Array<{
      name: string;
      difference: number;
      passed: boolean;
      parameters: Array<{ name: string; passed: boolean }>;
    }>;
  };
  const [buggy, fixed] = doc.experiments;
  assert.equal(buggy!.name, 'python-buggy');
  assert.ok(Math.abs(buggy!.difference - 0.2850931568) <= 1e-9, `difference ${buggy!.difference}`);
  assert.deepEqual(
    buggy!.parameters.filter((p) => !p.passed).map((p) => p.name),
    ['b1', 'W2'],
  );
  assert.equal(fixed!.passed, true);
  assert.ok(Math.abs(fixed!.difference - 1.19e-7) < 0.02e-7, `difference ${fixed!.difference}`);
});
