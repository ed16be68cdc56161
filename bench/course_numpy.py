"""The course's two lab models in numpy, written the way the labs write them (dicts of arrays, one numpy call per
operation, fresh arrays every step). It is the baseline of `npm run bench` and the generator of the trainer's
course fixtures (scripts/fixtures/trainer_course.py). Run with Debian's /usr/bin/python3 (numpy 1.24).

Usage: course_numpy.py DATA.json [NAME,…] -> prints one JSON document: per experiment the wall-clock and CPU
seconds spent in training,
the cost every 1000 iterations/epochs and the final accuracies. DATA.json holds the circles train/test and moons
train sets as {"X": rows, "Y": rows}.
"""
import json
import sys
import time

import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def relu(x):
    return np.maximum(0, x)


def forward_propagation(X, parameters):
    W1, b1 = parameters["W1"], parameters["b1"]
    W2, b2 = parameters["W2"], parameters["b2"]
    W3, b3 = parameters["W3"], parameters["b3"]
    z1 = np.dot(W1, X) + b1
    a1 = relu(z1)
    z2 = np.dot(W2, a1) + b2
    a2 = relu(z2)
    z3 = np.dot(W3, a2) + b3
    a3 = sigmoid(z3)
    return a3, (z1, a1, W1, b1, z2, a2, W2, b2, z3, a3, W3, b3)


def backward_propagation(X, Y, cache):
    m = X.shape[1]
    (z1, a1, W1, b1, z2, a2, W2, b2, z3, a3, W3, b3) = cache
    dz3 = 1.0 / m * (a3 - Y)
    dW3 = np.dot(dz3, a2.T)
    db3 = np.sum(dz3, axis=1, keepdims=True)
    da2 = np.dot(W3.T, dz3)
    dz2 = np.multiply(da2, np.int64(a2 > 0))
    dW2 = np.dot(dz2, a1.T)
    db2 = np.sum(dz2, axis=1, keepdims=True)
    da1 = np.dot(W2.T, dz2)
    dz1 = np.multiply(da1, np.int64(a1 > 0))
    dW1 = np.dot(dz1, X.T)
    db1 = np.sum(dz1, axis=1, keepdims=True)
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2, "dW3": dW3, "db3": db3}


def logprobs(a3, Y):
    return np.multiply(-np.log(a3), Y) + np.multiply(-np.log(1 - a3), 1 - Y)


def finite_or_none(cost):
    # JSON has no inf: a cost that log(0) of a saturated sigmoid made inf is reported as null.
    return float(cost) if np.isfinite(cost) else None


def predict_accuracy(X, Y, parameters):
    a3, _ = forward_propagation(X, parameters)
    p = (a3 > 0.5).astype(float)
    return float(np.mean(p[0, :] == Y[0, :]))


# ---- initialization lab -------------------------------------------------------------------------------------

def initialize_parameters(layers_dims, kind):
    np.random.seed(3)
    parameters = {}
    L = len(layers_dims)
    for l in range(1, L):
        if kind == "zeros":
            parameters["W" + str(l)] = np.zeros((layers_dims[l], layers_dims[l - 1]))
        elif kind == "random":
            parameters["W" + str(l)] = np.random.randn(layers_dims[l], layers_dims[l - 1]) * 10
        else:
            parameters["W" + str(l)] = np.random.randn(layers_dims[l], layers_dims[l - 1]) * np.sqrt(2.0 / layers_dims[l - 1])
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters


def update_parameters(parameters, grads, learning_rate):
    L = len(parameters) // 2
    for k in range(L):
        parameters["W" + str(k + 1)] = parameters["W" + str(k + 1)] - learning_rate * grads["dW" + str(k + 1)]
        parameters["b" + str(k + 1)] = parameters["b" + str(k + 1)] - learning_rate * grads["db" + str(k + 1)]
    return parameters


def model_init(X, Y, initialization, learning_rate=0.01, num_iterations=15000):
    costs = []
    m = X.shape[1]
    parameters = initialize_parameters([X.shape[0], 10, 5, 1], initialization)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for i in range(0, num_iterations):
            a3, cache = forward_propagation(X, parameters)
            cost = 1.0 / m * np.nansum(logprobs(a3, Y))
            grads = backward_propagation(X, Y, cache)
            parameters = update_parameters(parameters, grads, learning_rate)
            if i % 1000 == 0:
                costs.append(finite_or_none(cost))
    return parameters, costs


# ---- optimization lab ---------------------------------------------------------------------------------------

def random_mini_batches(X, Y, mini_batch_size, seed):
    np.random.seed(seed)
    m = X.shape[1]
    mini_batches = []
    permutation = list(np.random.permutation(m))
    shuffled_X = X[:, permutation]
    shuffled_Y = Y[:, permutation].reshape((1, m))
    num_complete = m // mini_batch_size
    for k in range(0, num_complete):
        mini_batches.append((shuffled_X[:, k * mini_batch_size:(k + 1) * mini_batch_size],
                             shuffled_Y[:, k * mini_batch_size:(k + 1) * mini_batch_size]))
    if m % mini_batch_size != 0:
        mini_batches.append((shuffled_X[:, num_complete * mini_batch_size:],
                             shuffled_Y[:, num_complete * mini_batch_size:]))
    return mini_batches


def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    L = len(parameters) // 2
    for l in range(L):
        for p in ("W", "b"):
            key = p + str(l + 1)
            v["d" + key] = beta * v["d" + key] + (1 - beta) * grads["d" + key]
            parameters[key] = parameters[key] - learning_rate * v["d" + key]
    return parameters, v


def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate, beta1, beta2, epsilon):
    L = len(parameters) // 2
    v_corrected = {}
    s_corrected = {}
    for l in range(L):
        for p in ("W", "b"):
            key = p + str(l + 1)
            v["d" + key] = beta1 * v["d" + key] + (1 - beta1) * grads["d" + key]
            v_corrected["d" + key] = v["d" + key] / (1 - np.power(beta1, t))
            s["d" + key] = beta2 * s["d" + key] + (1 - beta2) * np.power(grads["d" + key], 2)
            s_corrected["d" + key] = s["d" + key] / (1 - np.power(beta2, t))
            parameters[key] = parameters[key] - learning_rate * v_corrected["d" + key] / (np.sqrt(s_corrected["d" + key]) + epsilon)
    return parameters, v, s


def model_opt(X, Y, optimizer, learning_rate=0.0007, mini_batch_size=64, beta=0.9, beta1=0.9, beta2=0.999,
              epsilon=1e-8, num_epochs=10000):
    costs = []
    t = 0
    seed = 10
    m = X.shape[1]
    parameters = initialize_parameters([X.shape[0], 5, 2, 1], "he")
    v = {k: np.zeros_like(parameters[k[1:]]) for k in ("dW1", "db1", "dW2", "db2", "dW3", "db3")}
    s = {k: np.zeros_like(parameters[k[1:]]) for k in v}
    for i in range(num_epochs):
        seed = seed + 1
        cost_total = 0
        for (minibatch_X, minibatch_Y) in random_mini_batches(X, Y, mini_batch_size, seed):
            a3, caches = forward_propagation(minibatch_X, parameters)
            cost_total += np.sum(logprobs(a3, minibatch_Y))
            grads = backward_propagation(minibatch_X, minibatch_Y, caches)
            if optimizer == "gd":
                parameters = update_parameters(parameters, grads, learning_rate)
            elif optimizer == "momentum":
                parameters, v = update_parameters_with_momentum(parameters, grads, v, beta, learning_rate)
            else:
                t = t + 1
                parameters, v, s = update_parameters_with_adam(parameters, grads, v, s, t, learning_rate, beta1,
                                                               beta2, epsilon)
        if i % 1000 == 0:
            costs.append(finite_or_none(cost_total / m))
    return parameters, costs


def arrays(d):
    return np.array(d["X"], dtype=float), np.array(d["Y"], dtype=float)


def run_all(data, only=None):
    cX, cY = arrays(data["circles"]["train"])
    tX, tY = arrays(data["circles"]["test"])
    mX, mY = arrays(data["moons"]["train"])
    out = []
    for kind in ("zeros", "random", "he"):
        name = "circles-" + kind
        if only and name not in only:
            continue
        start, cpu = time.perf_counter(), time.process_time()
        parameters, costs = model_init(cX, cY, kind)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        out.append({"name": name, "seconds": seconds, "cpuSeconds": cpu, "costs": costs,
                    "trainAccuracy": predict_accuracy(cX, cY, parameters),
                    "testAccuracy": predict_accuracy(tX, tY, parameters)})
    for optimizer in ("gd", "momentum", "adam"):
        name = "moons-" + optimizer
        if only and name not in only:
            continue
        start, cpu = time.perf_counter(), time.process_time()
        parameters, costs = model_opt(mX, mY, optimizer)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        out.append({"name": name, "seconds": seconds, "cpuSeconds": cpu, "costs": costs,
                    "trainAccuracy": predict_accuracy(mX, mY, parameters)})
    return out


if __name__ == "__main__":
    with open(sys.argv[1]) as f:
        data = json.load(f)
    only = sys.argv[2].split(",") if len(sys.argv) > 2 else None
    print(json.dumps({"numpy": np.__version__, "experiments": run_all(data, only)}))
