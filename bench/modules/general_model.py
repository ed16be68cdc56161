"""Any depth of LINEAR -> RELU layers and a LINEAR -> SIGMOID output with the mean cross-entropy, on the experiment's
data and initial parameters (no setup): the numpy twin of general_model.js for bench/python.bench.ts."""
import numpy as np


def forward(X, Y, parameters):
    L = len(parameters) // 2
    m = X.shape[1]
    A = [X]
    for l in range(1, L + 1):
        Z = np.dot(parameters["W%d" % l], A[-1]) + parameters["b%d" % l]
        A.append(np.maximum(0, Z) if l < L else 1 / (1 + np.exp(-Z)))
    AL = A[-1]
    cost = 1. / m * np.sum(np.multiply(-np.log(AL), Y) + np.multiply(-np.log(1 - AL), 1 - Y))
    return cost, (A, parameters)


def backward(X, Y, cache):
    A, parameters = cache
    L = len(parameters) // 2
    m = X.shape[1]
    grads = {}
    dZ = A[L] - Y
    for l in range(L, 0, -1):
        grads["dW%d" % l] = 1. / m * np.dot(dZ, A[l - 1].T)
        grads["db%d" % l] = 1. / m * np.sum(dZ, axis=1, keepdims=True)
        if l > 1:
            dZ = np.dot(parameters["W%d" % l].T, dZ) * (A[l - 1] > 0)
    return grads
