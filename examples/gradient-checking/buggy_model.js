// The gradient-checking lab's N-dimensional case, with the lab's two deliberate mistakes in backward():
//   dW2 = 1/m · dZ2 · A1ᵀ · 2        (should not be doubled)
//   db1 = 4/m · Σ dZ1                (should be 1/m)
// NN Lab reports difference 0.2850931568 and names exactly W2 and b1. fixed_model.js has the corrected pass.
//
// LINEAR → RELU → LINEAR → RELU → LINEAR → SIGMOID, the cost is the mean cross-entropy, and matrices are arrays of
// rows (numpy's layout). `nn` supplies numpy's RandomState and a few numpy-like helpers (docs/model-modules.md).

/** np.random.seed(1); x = randn(4,3); y = [1,1,0]; W1 = randn(5,4); b1 = randn(5,1); … as the lab draws them. */
function setup(nn) {
  const r = nn.random;
  r.seed(1);
  const X = r.randn(4, 3);
  const Y = [[1, 1, 0]];
  const params = {
    W1: r.randn(5, 4),
    b1: r.randn(5, 1),
    W2: r.randn(3, 5),
    b2: r.randn(3, 1),
    W3: r.randn(1, 3),
    b3: r.randn(1, 1),
  };
  return { params, X, Y };
}

const relu = (nn, Z) => nn.maximum(Z, 0);
const sigmoid = (nn, Z) => nn.divide(1, nn.add(1, nn.exp(nn.multiply(-1, Z))));

function forward(p, X, Y, nn) {
  const m = X[0].length;
  const Z1 = nn.add(nn.dot(p.W1, X), p.b1);
  const A1 = relu(nn, Z1);
  const Z2 = nn.add(nn.dot(p.W2, A1), p.b2);
  const A2 = relu(nn, Z2);
  const Z3 = nn.add(nn.dot(p.W3, A2), p.b3);
  const A3 = sigmoid(nn, Z3);
  // logprobs = −log(A3)·Y − log(1 − A3)·(1 − Y); cost = (1/m)·Σ logprobs
  const logprobs = nn.add(
    nn.multiply(nn.multiply(-1, nn.log(A3)), Y),
    nn.multiply(nn.multiply(-1, nn.log(nn.subtract(1, A3))), nn.subtract(1, Y)),
  );
  const cost = (1 / m) * nn.sum(logprobs);
  // reluInputs lets the check flag entries whose ±ε moves a ReLU input across 0 (a kink).
  return { cost, cache: { Z1, A1, Z2, A2, A3 }, reluInputs: [Z1, Z2] };
}

function backward(p, X, Y, cache, nn) {
  const m = X[0].length;
  const { A1, A2, A3 } = cache;
  const step = (A) => A.map((row) => row.map((a) => (a > 0 ? 1 : 0)));
  const dZ3 = nn.subtract(A3, Y);
  const dW3 = nn.multiply(1 / m, nn.dot(dZ3, nn.transpose(A2)));
  const db3 = nn.multiply(1 / m, nn.sum(dZ3, 1));
  const dA2 = nn.dot(nn.transpose(p.W3), dZ3);
  const dZ2 = nn.multiply(dA2, step(A2));
  const dW2 = nn.multiply(nn.multiply(1 / m, nn.dot(dZ2, nn.transpose(A1))), 2); // mistake 1: × 2
  const db2 = nn.multiply(1 / m, nn.sum(dZ2, 1));
  const dA1 = nn.dot(nn.transpose(p.W2), dZ2);
  const dZ1 = nn.multiply(dA1, step(A1));
  const dW1 = nn.multiply(1 / m, nn.dot(dZ1, nn.transpose(X)));
  const db1 = nn.multiply(4 / m, nn.sum(dZ1, 1)); // mistake 2: 4/m instead of 1/m
  return { dW1, db1, dW2, db2, dW3, db3 };
}

module.exports = { setup, forward, backward };
