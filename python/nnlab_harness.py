"""NN Lab's Python harness: runs a learner's numpy model module for a gradient check, as a subprocess of NN Lab.

Started as `python3 -B nnlab_harness.py [--memory-mb N] [--cpu-seconds S]`. It speaks a line protocol over
stdin/stdout (docs/python.md): every request is one line of JSON, and every request gets exactly one line of JSON
back, in order. Arrays of float64 cross as {"f64": BASE64, "shape": [..]}, the base64 of their little-endian IEEE 754
bytes, so every value (17-digit reprs, subnormals, -0.0, inf, nan) arrives bit for bit.

Requests:
  {"op": "hello"}                                  -> {"ok": true, "python": "3.11.2", "numpy": "1.24.2"}
  {"op": "echo", "values": F64}                    -> {"ok": true, "values": F64, "hex": [float.hex(v), ..]}
  {"op": "load", "file": PATH, "functions": {"forward": .., "backward": .., "setup": ..}, "fallback": SETUP | null}
        SETUP = {"params": [{"name": "W1", "value": F64}, ..], "X": F64, "Y": F64}
                                                   -> {"ok": true, "tensors": [{"name", "shape"}], "theta": F64,
                                                       "analytic": F64, "cost": F64, "setup": "module" | "experiment"}
  {"op": "costs", "thetas": F64 of shape [n, size]} -> {"ok": true, "costs": F64 of shape [n]}
Failures: {"ok": false, "error": {"phase", "message", "type"?, "file"?, "line"?, "traceback"?, "index"?}}.

The learner's print() goes to stderr: the protocol owns the process's real stdout.
"""
import base64
import importlib.util
import json
import math
import os
import sys
import traceback

PROTOCOL = 1


class ContractError(Exception):
    """The module broke the contract (wrong shape, missing gradient, ...); the message says how to fix it."""


class UserError(Exception):
    """The learner's code raised: carries the phase and where in their file it happened."""

    def __init__(self, phase, exc, module_file):
        super().__init__(str(exc))
        self.phase = phase
        self.exc = exc
        self.module_file = module_file


def _limit(memory_mb, cpu_seconds):
    try:
        import resource
    except ImportError:  # not on POSIX: the host's wall-clock limit still applies
        return
    if memory_mb:
        limit = int(memory_mb) * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    if cpu_seconds:
        # The soft limit sends SIGXCPU (which ends the process); the hard limit one second later, SIGKILL.
        seconds = int(math.ceil(float(cpu_seconds)))
        resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))


def _np():
    import numpy
    return numpy


def encode(array):
    np = _np()
    a = np.ascontiguousarray(np.asarray(array, dtype="<f8"))
    return {"f64": base64.b64encode(a.tobytes()).decode("ascii"), "shape": list(a.shape)}


def decode(value):
    np = _np()
    data = np.frombuffer(base64.b64decode(value["f64"]), dtype="<f8").astype(np.float64)
    return data.reshape(tuple(value.get("shape", [data.size])))


def _shape(shape):
    return "(" + ", ".join(str(n) for n in shape) + ("," if len(shape) == 1 else "") + ")"


class Session:
    def __init__(self):
        self.module = None
        self.file = None
        self.forward = None
        self.forward_name = "forward"
        self.names = []
        self.shapes = []
        self.X = None
        self.Y = None

    # -- loading -------------------------------------------------------------------------------------------------

    def load(self, req):
        np = _np()
        file = req["file"]
        functions = req.get("functions") or {}
        names = {k: functions.get(k) or k for k in ("forward", "backward", "setup")}
        if not os.path.isfile(file):
            raise ContractError("file not found")
        folder = os.path.dirname(file)
        # A notebook's neighbours (testCases.py, data files) are found as they are in the notebook.
        sys.path.insert(0, folder)
        os.chdir(folder)
        spec = importlib.util.spec_from_file_location("nnlab_user_module", file)
        module = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(module)
        except BaseException as e:  # noqa: B902 - a SystemExit in a module is the learner's mistake too
            raise UserError("load", e, file)
        self.module, self.file = module, file
        forward = getattr(module, names["forward"], None)
        backward = getattr(module, names["backward"], None)
        for role, fn in (("forward", forward), ("backward", backward)):
            if not callable(fn):
                found = "nothing" if fn is None else type(fn).__name__
                raise ContractError(
                    "defines no function %s() (found %s); a Python model module defines forward(X, Y, parameters) -> "
                    "(cost, cache) and backward(X, Y, cache) -> gradients, or names its own functions in "
                    "model.functions" % (names[role], found))
        self.forward, self.forward_name = forward, names["forward"]
        setup = getattr(module, names["setup"], None)
        if callable(setup):
            X, Y, parameters = self._setup(setup, names["setup"])
            origin = "module"
        else:
            fallback = req.get("fallback")
            if not fallback or "error" in fallback:
                why = (": " + fallback["error"]) if fallback and "error" in fallback else ""
                raise ContractError("has no %s(), and the experiment's data and parameters are not available%s"
                                    % (names["setup"], why))
            parameters = {p["name"]: decode(p["value"]) for p in fallback["params"]}
            X, Y = decode(fallback["X"]), decode(fallback["Y"])
            origin = "experiment"
        self.names = list(parameters.keys())
        self.shapes = [parameters[n].shape for n in self.names]
        self.X, self.Y = X, Y
        theta = np.concatenate([parameters[n].reshape(-1) for n in self.names]) if self.names else np.zeros(0)
        cost, cache = self._forward(theta, names["forward"])
        grads = self._call("backward", names["backward"], backward, X, Y, cache)
        analytic = self._gradients(grads, names["backward"])
        return {
            "ok": True,
            "tensors": [{"name": n, "shape": list(s)} for n, s in zip(self.names, self.shapes)],
            "theta": encode(theta),
            "analytic": encode(analytic),
            "cost": encode([cost]),
            "setup": origin,
        }

    def _setup(self, setup, name):
        np = _np()
        out = self._call("setup", name, setup)
        if isinstance(out, dict):
            out = (out.get("X"), out.get("Y"), out.get("parameters"))
        if not isinstance(out, tuple) or len(out) != 3:
            raise ContractError("%s() returned %s; expected (X, Y, parameters)" % (name, type(out).__name__))
        X, Y, parameters = out
        if not isinstance(parameters, dict) or not parameters:
            raise ContractError("%s() must return parameters as a dict of named arrays, e.g. {'W1': ..., 'b1': ...}"
                                % name)
        clean = {}
        for key, value in parameters.items():
            a = np.asarray(value, dtype=float)
            if a.ndim == 0:
                a = a.reshape(1, 1)
            if a.ndim != 2:
                raise ContractError("%s() parameters[%r] has shape %s; parameters are 2-D arrays (a bias is (n, 1))"
                                    % (name, key, _shape(a.shape)))
            clean[str(key)] = a
        return np.asarray(X, dtype=float), np.asarray(Y, dtype=float), clean

    # -- calling the learner's code -------------------------------------------------------------------------------

    def _call(self, phase, name, fn, *args):
        try:
            return fn(*args)
        except (ContractError, UserError):
            raise
        except BaseException as e:  # noqa: B902
            raise UserError(phase, e, self.file) from None

    def _parameters(self, theta):
        params, at = {}, 0
        for n, s in zip(self.names, self.shapes):
            size = s[0] * s[1]
            # A fresh array per call: a forward that writes into its parameters cannot change the next θ.
            params[n] = theta[at:at + size].reshape(s).copy()
            at += size
        return params

    def _forward(self, theta, name):
        np = _np()
        out = self._call("forward", name, self.forward, self.X, self.Y, self._parameters(theta))
        cache = None
        if isinstance(out, tuple):
            if len(out) == 0:
                raise ContractError("%s() returned an empty tuple; expected (cost, cache)" % name)
            out, cache = out[0], (out[1] if len(out) > 1 else None)
        try:
            cost = np.asarray(out, dtype=float)
        except (TypeError, ValueError):
            raise ContractError("%s() returned %s as the cost; expected a number" % (name, type(out).__name__))
        if cost.size != 1:
            raise ContractError("%s() returned a cost of shape %s; expected one number (did you forget np.sum?)"
                                % (name, _shape(cost.shape)))
        return float(cost.reshape(())), cache

    def _gradients(self, grads, name):
        np = _np()
        if not isinstance(grads, dict):
            raise ContractError("%s() returned %s; expected a dict of gradients {%s}"
                                % (name, type(grads).__name__, ", ".join("'d%s'" % n for n in self.names)))
        parts = []
        for n, s in zip(self.names, self.shapes):
            key = "d" + n
            if key not in grads:
                raise ContractError("%s() did not return %s; expected an array of shape %s (the gradient of %s)"
                                    % (name, key, _shape(s), n))
            try:
                g = np.asarray(grads[key], dtype=float)
            except (TypeError, ValueError):
                raise ContractError("%s() returned %s as %s; expected an array of numbers"
                                    % (name, type(grads[key]).__name__, key))
            if g.shape != s and not (g.size == 1 and s == (1, 1)):
                raise ContractError("%s() returned %s with shape %s; expected %s, the shape of %s"
                                    % (name, key, _shape(g.shape), _shape(s), n))
            parts.append(g.reshape(-1))
        return np.concatenate(parts) if parts else np.zeros(0)

    def costs(self, req):
        np = _np()
        if self.forward is None:
            raise ContractError("no module is loaded")
        thetas = decode(req["thetas"])
        out = np.empty(thetas.shape[0])
        for k in range(thetas.shape[0]):
            try:
                out[k], _ = self._forward(thetas[k], self.forward_name)
            except (ContractError, UserError) as e:
                e.index = k
                raise
        return {"ok": True, "costs": encode(out)}


def _user_error(e):
    exc = e.exc
    frames = traceback.extract_tb(exc.__traceback__)
    # The innermost line of the learner's file is where they look; the harness's own frames are left out.
    own = [f for f in frames if os.path.abspath(f.filename) == os.path.abspath(e.module_file or "")]
    if isinstance(exc, SyntaxError) and exc.filename and exc.lineno:
        where = (exc.filename, exc.lineno)
    elif own:
        where = (own[-1].filename, own[-1].lineno)
    else:
        user = [f for f in frames if os.path.abspath(f.filename) != os.path.abspath(__file__)]
        where = (user[-1].filename, user[-1].lineno) if user else (None, None)
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    message = str(exc) or type(exc).__name__
    if isinstance(exc, MemoryError):
        message = (message + "; " if str(exc) else "") + "the module reached NN Lab's memory limit"
    error = {"phase": e.phase, "type": type(exc).__name__, "message": message, "traceback": text}
    if where[0]:
        error["file"], error["line"] = os.path.abspath(where[0]), where[1]
    return error


def serve(stdin, out):
    session = Session()
    for line in stdin:
        if not line.strip():
            continue
        index = None
        try:
            req = json.loads(line)
            op = req.get("op")
            if op == "hello":
                try:
                    np = _np()
                except ImportError as e:
                    reply = {"ok": False, "error": {"phase": "hello", "type": "ImportError", "message": str(e),
                                                    "missing": "numpy"}}
                else:
                    reply = {"ok": True, "protocol": PROTOCOL, "python": "%d.%d.%d" % sys.version_info[:3],
                             "numpy": np.__version__, "executable": sys.executable}
            elif op == "echo":
                values = decode(req["values"])
                reply = {"ok": True, "values": encode(values), "hex": [float(v).hex() for v in values.reshape(-1)]}
            elif op == "load":
                reply = session.load(req)
            elif op == "costs":
                reply = session.costs(req)
            else:
                reply = {"ok": False, "error": {"phase": "protocol", "message": "unknown op %r" % (op,)}}
        except UserError as e:
            reply = {"ok": False, "error": _user_error(e)}
            index = getattr(e, "index", None)
        except ContractError as e:
            reply = {"ok": False, "error": {"phase": "contract", "message": str(e)}}
            index = getattr(e, "index", None)
        except Exception as e:  # noqa: B902 - a broken request must still get its one answer
            reply = {"ok": False, "error": {"phase": "protocol", "type": type(e).__name__, "message": str(e),
                                            "traceback": traceback.format_exc()}}
        if index is not None:
            reply["error"]["index"] = index
        out.write(json.dumps(reply) + "\n")
        out.flush()


def main(argv):
    memory_mb = cpu_seconds = None
    args = list(argv)
    while args:
        flag = args.pop(0)
        if flag == "--memory-mb":
            memory_mb = args.pop(0)
        elif flag == "--cpu-seconds":
            cpu_seconds = args.pop(0)
    # The protocol keeps the real stdout; anything else written to fd 1 (print, C extensions) goes to stderr.
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    sys.dont_write_bytecode = True
    _limit(memory_mb, cpu_seconds)
    serve(sys.stdin, out)


if __name__ == "__main__":
    main(sys.argv[1:])
