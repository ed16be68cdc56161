// The gradient-checking lab's 1-D warm-up: J(θ) = θ·x with x = 2 and θ = 4, so J = 8 and dJ/dθ = x = 2.
// With ε = 1e-7 the check reports a difference of about 2.9e-10: the gradient is right.

/** One parameter, θ (a 1×1 matrix), and one input, x. Y is unused. */
function setup() {
  return { params: { theta: [[4]] }, X: [[2]], Y: [[0]] };
}

function forward(params, X) {
  const J = params.theta[0][0] * X[0][0];
  return { cost: J, cache: X[0][0] };
}

function backward(params, X, Y, x) {
  return { dtheta: [[x]] };
}

module.exports = { setup, forward, backward };
