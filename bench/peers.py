"""The contenders of bench/peers.bench.ts, one run per process: a course-style numpy loop, or scikit-learn's
MLPClassifier, trained on a CSV training set and scored on a CSV test set (loaded with numpy.loadtxt, which is
timed too). Also the machine's float64 matrix-product peak (numpy @ on 2048², OpenBLAS's own threads).
Run with Debian's /usr/bin/python3 (numpy 1.24, scikit-learn 1.2).

Usage:
  peers.py numpy|sklearn TRAIN.csv TEST.csv LAYERS EPOCHS BATCH LR SEED SHUFFLE_SEED
      LAYERS like 64,128,64,10 (relu hidden layers, softmax output); prints one JSON object: loadSeconds,
      seconds and cpuSeconds (training only), finalCost, testAccuracy
  peers.py peak
      prints {"gflops": …, "seconds": …}: the best of 5 products of two 2048² float64 matrices
  peers.py loadtxt FILE.csv
      loads FILE.csv with numpy.loadtxt and prints {"rows": …, "columns": …, "seconds": …, "maxRssBytes": …}

The numpy loop is written the way the course writes its labs (dicts of arrays, one numpy call per operation, a
shuffled copy of the data per epoch) with NN Lab's conventions: He init drawn after np.random.seed(SEED) layer by
layer, epoch i shuffled after np.random.seed(SHUFFLE_SEED + i + 1), Adam with ε outside the root and t counted over
all steps, cross-entropy of the softmax taken from the logits. MLPClassifier gets the same layers, epochs, batch,
learning rate and Adam constants, with alpha=0, no early stopping and its loss-plateau stop disabled; its own
(Glorot) initialisation and shuffling stay, as a scikit-learn user would run it.
"""
import json
import resource
import sys
import time
import warnings

import numpy as np


def load(path):
    data = np.loadtxt(path, delimiter=",", skiprows=1)
    return data[:, :-1], data[:, -1].astype(np.int64)


def cpu_seconds():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


# ---- the numpy loop ---------------------------------------------------------------------------------------------

def initialize_parameters_he(layers_dims, seed):
    np.random.seed(seed)
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters["W" + str(l)] = np.random.randn(layers_dims[l], layers_dims[l - 1]) * np.sqrt(2.0 / layers_dims[l - 1])
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters


def initialize_adam(parameters, L):
    v, s = {}, {}
    for l in range(1, L + 1):
        for p in ("W", "b"):
            v["d" + p + str(l)] = np.zeros(parameters[p + str(l)].shape)
            s["d" + p + str(l)] = np.zeros(parameters[p + str(l)].shape)
    return v, s


def forward_propagation(X, parameters, L):
    caches = []
    A = X
    for l in range(1, L):
        Z = np.dot(parameters["W" + str(l)], A) + parameters["b" + str(l)]
        caches.append((A, Z))
        A = np.maximum(0, Z)
    ZL = np.dot(parameters["W" + str(L)], A) + parameters["b" + str(L)]
    caches.append((A, ZL))
    return ZL, caches


def softmax_loss_and_probabilities(ZL, y):
    shifted = ZL - np.max(ZL, axis=0, keepdims=True)
    exps = np.exp(shifted)
    sums = np.sum(exps, axis=0, keepdims=True)
    loss = np.sum(np.log(sums) - shifted[y, np.arange(y.shape[0])])
    return loss, exps / sums


def backward_propagation(probabilities, y, caches, parameters, L):
    m = y.shape[0]
    grads = {}
    dZ = probabilities.copy()
    dZ[y, np.arange(m)] -= 1
    dZ = dZ / m
    for l in range(L, 0, -1):
        A_prev, _ = caches[l - 1]
        grads["dW" + str(l)] = np.dot(dZ, A_prev.T)
        grads["db" + str(l)] = np.sum(dZ, axis=1, keepdims=True)
        if l > 1:
            dA = np.dot(parameters["W" + str(l)].T, dZ)
            dZ = np.multiply(dA, np.int64(caches[l - 2][1] > 0))
    return grads


def update_parameters_with_adam(parameters, grads, v, s, t, L, learning_rate, beta1=0.9, beta2=0.999, epsilon=1e-8):
    for l in range(1, L + 1):
        for p in ("W", "b"):
            key = "d" + p + str(l)
            v[key] = beta1 * v[key] + (1 - beta1) * grads[key]
            s[key] = beta2 * s[key] + (1 - beta2) * np.square(grads[key])
            v_corrected = v[key] / (1 - beta1 ** t)
            s_corrected = s[key] / (1 - beta2 ** t)
            parameters[p + str(l)] = parameters[p + str(l)] - learning_rate * v_corrected / (np.sqrt(s_corrected) + epsilon)
    return parameters, v, s


def random_mini_batches(X, y, batch_size, seed):
    np.random.seed(seed)
    m = X.shape[1]
    permutation = list(np.random.permutation(m))
    X_shuffled = X[:, permutation]
    y_shuffled = y[permutation]
    return [(X_shuffled[:, k:k + batch_size], y_shuffled[k:k + batch_size]) for k in range(0, m, batch_size)]


def numpy_model(X, y, layers_dims, epochs, batch_size, learning_rate, seed, shuffle_seed):
    L = len(layers_dims) - 1
    m = X.shape[1]
    parameters = initialize_parameters_he(layers_dims, seed)
    v, s = initialize_adam(parameters, L)
    t = 0
    cost = None
    for i in range(epochs):
        cost_total = 0.0
        for X_batch, y_batch in random_mini_batches(X, y, batch_size, shuffle_seed + i + 1):
            ZL, caches = forward_propagation(X_batch, parameters, L)
            loss, probabilities = softmax_loss_and_probabilities(ZL, y_batch)
            cost_total += loss
            grads = backward_propagation(probabilities, y_batch, caches, parameters, L)
            t = t + 1
            parameters, v, s = update_parameters_with_adam(parameters, grads, v, s, t, L, learning_rate)
        cost = cost_total / m
    return parameters, cost


def run_numpy(train, test, layers, epochs, batch, lr, seed, shuffle_seed):
    t0 = time.perf_counter()
    X, y = load(train)
    Xt, yt = load(test)
    X, Xt = X.T.copy(), Xt.T.copy()
    loaded = time.perf_counter() - t0
    c0, t0 = cpu_seconds(), time.perf_counter()
    parameters, cost = numpy_model(X, y, layers, epochs, batch, lr, seed, shuffle_seed)
    seconds, cpu = time.perf_counter() - t0, cpu_seconds() - c0
    ZL, _ = forward_propagation(Xt, parameters, len(layers) - 1)
    accuracy = float(np.mean(np.argmax(ZL, axis=0) == yt))
    return {"loadSeconds": loaded, "seconds": seconds, "cpuSeconds": cpu, "finalCost": float(cost), "testAccuracy": accuracy}


# ---- scikit-learn -----------------------------------------------------------------------------------------------

def run_sklearn(train, test, layers, epochs, batch, lr, seed, shuffle_seed):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    t0 = time.perf_counter()
    X, y = load(train)
    Xt, yt = load(test)
    loaded = time.perf_counter() - t0
    clf = MLPClassifier(
        hidden_layer_sizes=tuple(layers[1:-1]), activation="relu", solver="adam", alpha=0.0, batch_size=batch,
        learning_rate_init=lr, max_iter=epochs, shuffle=True, random_state=seed, tol=0.0, n_iter_no_change=epochs + 1,
        early_stopping=False, beta_1=0.9, beta_2=0.999, epsilon=1e-8,
    )
    c0, t0 = cpu_seconds(), time.perf_counter()
    with warnings.catch_warnings():
        # Reaching max_iter is the point here, not a problem.
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(X, y)
    seconds, cpu = time.perf_counter() - t0, cpu_seconds() - c0
    return {"loadSeconds": loaded, "seconds": seconds, "cpuSeconds": cpu, "finalCost": float(clf.loss_), "testAccuracy": float(clf.score(Xt, yt))}


def peak():
    rng = np.random.RandomState(0)
    A, B = rng.rand(2048, 2048), rng.rand(2048, 2048)
    A @ B
    best = min(timed(lambda: A @ B) for _ in range(5))
    return {"gflops": 2 * 2048 ** 3 / best / 1e9, "seconds": best}


def timed(f):
    t0 = time.perf_counter()
    f()
    return time.perf_counter() - t0


def loadtxt(path):
    started = time.perf_counter()
    data = np.loadtxt(path, delimiter=",", skiprows=1)
    seconds = time.perf_counter() - started
    # ru_maxrss is in KiB on Linux.
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {"rows": data.shape[0], "columns": data.shape[1], "seconds": seconds, "maxRssBytes": peak_rss}


if __name__ == "__main__":
    if sys.argv[1] == "peak":
        print(json.dumps(peak()))
    elif sys.argv[1] == "loadtxt":
        print(json.dumps(loadtxt(sys.argv[2])))
    else:
        kind, train, test, layers, epochs, batch, lr, seed, shuffle_seed = sys.argv[1:10]
        run = run_numpy if kind == "numpy" else run_sklearn
        print(json.dumps(run(train, test, [int(n) for n in layers.split(",")], int(epochs), int(batch), float(lr), int(seed), int(shuffle_seed))))
