/** Finding a Python module's backward def and the file and line a module's error message names. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorLocation, moduleBackwardLine, pythonDefLine } from '../../src/runner/locate';

test('pythonDefLine finds def NAME( (async, indented), not a name that only starts the same', () => {
  const text = [
    'import numpy as np',
    'def backward_helper(x):',
    '    pass',
    '',
    'async  def backward (X, Y, cache):',
    '    pass',
  ].join('\n');
  assert.equal(pythonDefLine(text, 'backward'), 4);
  assert.equal(pythonDefLine(text, 'backward_helper'), 1);
  assert.equal(pythonDefLine(text, 'forward'), undefined);
  assert.equal(pythonDefLine('def backward_propagation_n(X, Y, cache):', 'backward_propagation_n'), 0);
  // A name is matched literally, not as a pattern.
  assert.equal(pythonDefLine('def bxckward(X):', 'b.ckward'), undefined);
});

test('moduleBackwardLine: .py by def and the configured name, JS by its export forms', () => {
  assert.equal(
    moduleBackwardLine('/w/m.py', 'x = 1\ndef backward_propagation_n(X, Y, c):\n', 'backward_propagation_n'),
    1,
  );
  assert.equal(moduleBackwardLine('/w/m.PY', 'def backward(X, Y, c):\n'), 0);
  assert.equal(moduleBackwardLine('/w/m.js', 'const a = 1;\nexports.backward = () => {};\n'), 1);
});

test('errorLocation reads the Python form, Node stack frames and file URLs from the first line only', () => {
  assert.deepEqual(
    errorLocation(
      './m.py: forward() raised ValueError: bad (at /w/m.py:12)\nTraceback …\n  File "/w/other.py", line 3',
    ),
    { file: '/w/m.py', line: 12 },
  );
  assert.deepEqual(errorLocation('m.js: forward() threw TypeError: x is undefined (at forward (/w/m.js:7:15))'), {
    file: '/w/m.js',
    line: 7,
    column: 15,
  });
  assert.deepEqual(errorLocation('m.mjs: forward() threw Error: no (at file:///w/my%20dir/m.mjs:3:9)'), {
    file: '/w/my dir/m.mjs',
    line: 3,
    column: 9,
  });
  assert.equal(
    errorLocation('m.py: backward() did not return db2; expected an array of shape (3, 1) (the gradient of b2)'),
    undefined,
  );
  assert.equal(errorLocation('no answer within 30 s while running forward() for W1[0,2] ± ε'), undefined);
});
