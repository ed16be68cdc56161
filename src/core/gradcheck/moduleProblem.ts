/**
 * Turns a loaded model module into a gradient-check problem, enforcing the contract with errors that name the
 * parameter and the shape expected:
 *   setup(nn)? → { params: { W1: rows, … }, X: rows, Y: rows }   (declared order = the key order of params)
 *   forward(params, X, Y, nn) → cost | { cost, cache, reluInputs? }
 *   backward(params, X, Y, cache, nn) → { dW1: rows, … }
 * `reluInputs` (optional) lists the matrices fed to ReLU / leaky ReLU, so the check can mark kinks.
 */
import type { CheckProblem, EvaluateResult, TensorSpec } from './check';
import { describeError, ModelModuleError } from './moduleErrors';
import { createNn, type Nn, type Rows } from './nnHelpers';

/** A user's model module as loaded (src/node/gradcheck/moduleLoader.ts checks that it exports these). */
export interface ModelModule {
  setup?: (nn: unknown) => unknown;
  forward: (params: unknown, X: unknown, Y: unknown, nn: unknown) => unknown;
  backward: (params: unknown, X: unknown, Y: unknown, cache: unknown, nn: unknown) => unknown;
}

/** Parameters and data as plain rows: a setup() result, or the experiment's data and initial weights. */
export interface ModuleSetup {
  params: Record<string, Rows>;
  X: Rows;
  Y: Rows;
}

export type Phase = 'setup' | 'forward' | 'backward';

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

/** Validates rows of numbers; `what` names the value in errors. Returns [rows, cols]. */
function matrixShape(value: unknown, what: string): [number, number] {
  if (!Array.isArray(value) || value.length === 0 || !value.every(Array.isArray)) {
    throw new ModelModuleError(
      `${what} must be a matrix given as rows of numbers (number[][]), got ${describe(value)}`,
    );
  }
  const cols = (value[0] as unknown[]).length;
  value.forEach((row: unknown[], i) => {
    if (row.length !== cols)
      throw new ModelModuleError(
        `${what} has rows of different lengths (row 0 has ${cols}, row ${i} has ${row.length})`,
      );
    row.forEach((v, j) => {
      if (typeof v !== 'number') throw new ModelModuleError(`${what}[${i}][${j}] is ${describe(v)}; expected a number`);
    });
  });
  return [value.length, cols];
}

function rowsOf(theta: Float64Array, tensors: TensorSpec[]): Record<string, Rows> {
  const out: Record<string, Rows> = {};
  let at = 0;
  for (const t of tensors) {
    const rows: Rows = [];
    for (let i = 0; i < t.rows; i++, at += t.cols) rows.push(Array.from(theta.subarray(at, at + t.cols)));
    out[t.name] = rows;
  }
  return out;
}

export class ModuleRunner {
  private readonly nn: Nn = createNn();
  constructor(
    private readonly mod: ModelModule,
    private readonly label: string,
    /** Told which function is about to run, so a hang can be located. */
    private readonly onPhase: (phase: Phase) => void = () => {},
  ) {}

  private async call<T>(phase: Phase, f: () => T): Promise<Awaited<T>> {
    this.onPhase(phase);
    try {
      return await f();
    } catch (e) {
      if (e instanceof ModelModuleError) throw e;
      throw new ModelModuleError(`${this.label}: ${phase}() threw ${describeError(e)}`);
    }
  }

  /** setup(nn) when exported, else the fallback (the experiment's data and initial parameters). */
  async setup(fallback: ModuleSetup | { error: string } | undefined): Promise<ModuleSetup> {
    const setupFn = this.mod.setup;
    if (!setupFn) {
      if (fallback && 'params' in fallback) return fallback;
      const why = fallback ? `: ${fallback.error}` : '';
      throw new ModelModuleError(
        `${this.label} has no setup(nn), and the experiment's data and parameters are not available${why}`,
      );
    }
    const s = (await this.call('setup', () => setupFn(this.nn))) as Partial<ModuleSetup> | null;
    if (typeof s !== 'object' || s === null) {
      throw new ModelModuleError(`${this.label}: setup() returned ${describe(s)}; expected { params, X, Y }`);
    }
    if (
      typeof s.params !== 'object' ||
      s.params === null ||
      Array.isArray(s.params) ||
      Object.keys(s.params).length === 0
    ) {
      throw new ModelModuleError(
        `${this.label}: setup() must return params as an object of named matrices, e.g. { W1: [[…]], b1: [[…]] }; got ${describe(s.params)}`,
      );
    }
    for (const [name, value] of Object.entries(s.params)) matrixShape(value, `${this.label}: setup() params.${name}`);
    matrixShape(s.X, `${this.label}: setup() X`);
    // A label vector may come as a flat array (numpy's y = np.array([1, 1, 0])); it is one row.
    const Y = Array.isArray(s.Y) && s.Y.every((v) => typeof v === 'number') ? [s.Y as unknown as number[]] : s.Y;
    matrixShape(Y, `${this.label}: setup() Y`);
    return { params: s.params, X: s.X as Rows, Y: Y as Rows };
  }

  /** A check problem over the setup's parameters, in their declared (key) order. */
  async problem(setup: ModuleSetup): Promise<CheckProblem> {
    const tensors: TensorSpec[] = Object.entries(setup.params).map(([name, rows]) => {
      const [r, c] = matrixShape(rows, `${this.label}: params.${name}`);
      return { name, rows: r, cols: c };
    });
    const theta = Float64Array.from(tensors.flatMap((t) => setup.params[t.name]!.flat()));
    const { X, Y } = setup;
    const first = await this.forward(rowsOf(theta, tensors), X, Y);
    const params = rowsOf(theta, tensors);
    const grads = (await this.call('backward', () => this.mod.backward(params, X, Y, first.cache, this.nn))) as Record<
      string,
      unknown
    >;
    if (typeof grads !== 'object' || grads === null || Array.isArray(grads)) {
      throw new ModelModuleError(
        `${this.label}: backward() returned ${describe(grads)}; expected an object of gradients { ${tensors.map((t) => `d${t.name}`).join(', ')} }`,
      );
    }
    const analytic = new Float64Array(theta.length);
    let at = 0;
    for (const t of tensors) {
      const key = `d${t.name}`;
      const expected = `${t.rows}×${t.cols}`;
      let g = grads[key];
      if (g === undefined) {
        throw new ModelModuleError(
          `${this.label}: backward() did not return ${key}; expected a ${expected} matrix (the gradient of ${t.name})`,
        );
      }
      if (typeof g === 'number' && t.rows * t.cols === 1) g = [[g]];
      const [r, c] = matrixShape(g, `${this.label}: backward() ${key}`);
      if (r !== t.rows || c !== t.cols) {
        throw new ModelModuleError(
          `${this.label}: backward() returned ${key} as ${r}×${c}; expected ${expected}, the shape of ${t.name}`,
        );
      }
      analytic.set((g as Rows).flat(), at);
      at += t.rows * t.cols;
    }
    return {
      tensors,
      theta,
      analytic,
      evaluate: async (th) => {
        const r = await this.forward(rowsOf(th, tensors), X, Y);
        return r.kinkInputs ? { cost: r.cost, kinkInputs: r.kinkInputs } : { cost: r.cost };
      },
    };
  }

  private async forward(params: Record<string, Rows>, X: Rows, Y: Rows): Promise<EvaluateResult & { cache?: unknown }> {
    const out = (await this.call('forward', () => this.mod.forward(params, X, Y, this.nn))) as unknown;
    if (typeof out === 'number') return { cost: out };
    const o = out as { cost?: unknown; cache?: unknown; reluInputs?: unknown } | null;
    if (typeof o !== 'object' || o === null || typeof o.cost !== 'number') {
      throw new ModelModuleError(
        `${this.label}: forward() returned ${describe(out)}; expected a number (the cost) or { cost, cache }`,
      );
    }
    const result: EvaluateResult & { cache?: unknown } = { cost: o.cost, cache: o.cache };
    if (o.reluInputs !== undefined) {
      if (!Array.isArray(o.reluInputs))
        throw new ModelModuleError(`${this.label}: forward() reluInputs must be an array of matrices`);
      const flat: number[] = [];
      o.reluInputs.forEach((z, k) => {
        matrixShape(z, `${this.label}: forward() reluInputs[${k}]`);
        for (const row of z as Rows) flat.push(...row);
      });
      result.kinkInputs = Float64Array.from(flat);
    }
    return result;
  }
}
