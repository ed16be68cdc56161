// Any depth of LINEAR → RELU layers and a LINEAR → SIGMOID output with the mean cross-entropy, on the experiment's
// data and initial parameters (no setup): the JS twin of general_model.py for bench/python.bench.ts.
function layers(p) {
  return Object.keys(p).filter((k) => k.startsWith('W')).length;
}

function forward(p, X, Y, nn) {
  const L = layers(p);
  const m = X[0].length;
  const A = [X];
  for (let l = 1; l <= L; l++) {
    const Z = nn.add(nn.dot(p[`W${l}`], A[l - 1]), p[`b${l}`]);
    A.push(l < L ? nn.maximum(Z, 0) : nn.divide(1, nn.add(1, nn.exp(nn.multiply(-1, Z)))));
  }
  const AL = A[L];
  const logprobs = nn.add(
    nn.multiply(nn.multiply(-1, nn.log(AL)), Y),
    nn.multiply(nn.multiply(-1, nn.log(nn.subtract(1, AL))), nn.subtract(1, Y)),
  );
  return { cost: (1 / m) * nn.sum(logprobs), cache: A };
}

function backward(p, X, Y, A, nn) {
  const L = layers(p);
  const m = X[0].length;
  const grads = {};
  let dZ = nn.subtract(A[L], Y);
  for (let l = L; l >= 1; l--) {
    grads[`dW${l}`] = nn.multiply(1 / m, nn.dot(dZ, nn.transpose(A[l - 1])));
    grads[`db${l}`] = nn.multiply(1 / m, nn.sum(dZ, 1));
    if (l > 1)
      dZ = nn.multiply(
        nn.dot(nn.transpose(p[`W${l}`]), dZ),
        A[l - 1].map((row) => row.map((a) => (a > 0 ? 1 : 0))),
      );
  }
  return grads;
}

module.exports = { forward, backward };
