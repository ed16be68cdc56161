// buggy_model.js with both mistakes corrected: the same setup and forward, and the lab's correct backward().
// NN Lab reports a difference of about 1.19e-7 (the floating-point noise of ε = 1e-7), below the 2e-7 threshold.
const { setup, forward } = require('./buggy_model.js');

function backward(p, X, Y, cache, nn) {
  const m = X[0].length;
  const { A1, A2, A3 } = cache;
  const step = (A) => A.map((row) => row.map((a) => (a > 0 ? 1 : 0)));
  const dZ3 = nn.subtract(A3, Y);
  const dW3 = nn.multiply(1 / m, nn.dot(dZ3, nn.transpose(A2)));
  const db3 = nn.multiply(1 / m, nn.sum(dZ3, 1));
  const dA2 = nn.dot(nn.transpose(p.W3), dZ3);
  const dZ2 = nn.multiply(dA2, step(A2));
  const dW2 = nn.multiply(1 / m, nn.dot(dZ2, nn.transpose(A1)));
  const db2 = nn.multiply(1 / m, nn.sum(dZ2, 1));
  const dA1 = nn.dot(nn.transpose(p.W2), dZ2);
  const dZ1 = nn.multiply(dA1, step(A1));
  const dW1 = nn.multiply(1 / m, nn.dot(dZ1, nn.transpose(X)));
  const db1 = nn.multiply(1 / m, nn.sum(dZ1, 1));
  return { dW1, db1, dW2, db2, dW3, db3 };
}

module.exports = { setup, forward, backward };
