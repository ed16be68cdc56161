/**
 * Synthetic chart data for the webview and headless tests: deterministic (no Math.random), shaped like real runs.
 */
import type { BoundaryGrid, ChartRun, GradcheckView } from '../../src/protocol/charts';

/** A decaying cost curve with a deterministic wiggle. */
export function curve(n: number, start: number, rate: number, phase = 0): number[] {
  return Array.from({ length: n }, (_, i) => start * Math.exp(-rate * i) + 0.05 + 0.01 * Math.sin(i / 7 + phase));
}

export function run(id: string, name: string, n: number, extra: Partial<ChartRun> = {}): ChartRun {
  return {
    id,
    name,
    status: 'ok',
    config: { 'train.optimizer': 'gd', 'train.learningRate': 0.1, 'model.layers': '[2,5,1]', 'data.dataset': 'moons' },
    costs: curve(n, 0.7, 3 / n),
    testEvery: 1,
    epochs: n,
    trainAccuracy: 0.94,
    testAccuracy: 0.92,
    durationMs: 2100,
    ...extra,
  };
}

/** Points on a ring labelled by radius, and a grid whose P(class 1) is a logistic of the radius. */
export function grid(n = 100, classes = 2, points = 200): BoundaryGrid {
  const p: number[] = [];
  const cls: number[] = [];
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const x = -1.5 + (3 * i) / (n - 1);
      const y = -1.5 + (3 * j) / (n - 1);
      if (classes === 2) {
        p.push(1 / (1 + Math.exp(-8 * (0.8 - Math.hypot(x, y)))));
      } else {
        const angle = Math.atan2(y, x) + Math.PI;
        cls.push(Math.floor((angle / (2 * Math.PI)) * classes) % classes);
        p.push(0.5 + 0.5 * Math.min(1, Math.hypot(x, y)));
      }
    }
  }
  const set = (count: number, offset: number) => {
    const out = { x: [] as number[], y: [] as number[], label: [] as number[] };
    for (let k = 0; k < count; k++) {
      const t = (k * 2.39996 + offset) % (2 * Math.PI);
      const r = 0.3 + 0.9 * (((k * 0.618034) % 1) as number);
      out.x.push(r * Math.cos(t));
      out.y.push(r * Math.sin(t));
      out.label.push(classes === 2 ? (r < 0.8 ? 1 : 0) : Math.floor(((t % (2 * Math.PI)) / (2 * Math.PI)) * classes));
    }
    return out;
  };
  const g: BoundaryGrid = {
    x: { min: -1.5, max: 1.5, n },
    y: { min: -1.5, max: 1.5, n },
    classes,
    p,
    train: set(points, 0),
    test: set(points / 4, 1),
  };
  if (classes > 2) g.cls = cls;
  return g;
}

export function gradcheckReport(): GradcheckView {
  return {
    name: 'relu-bug',
    difference: 0.285,
    passed: false,
    epsilon: 1e-7,
    threshold: 1e-7,
    verdict: 'failed',
    message: 'gradients differ: difference 2.850e-1 > 1e-7',
    parameters: [
      {
        name: 'W1',
        shape: [5, 2],
        difference: 3e-9,
        passed: true,
        share: 1e-9,
        kinks: 1,
        worst: [{ index: [1, 1], analytic: 0.01, numeric: 0.0100000001, relativeError: 5e-9, kink: true }],
      },
      {
        name: 'b1',
        shape: [5, 1],
        difference: 0.31,
        passed: false,
        share: 0.2,
        kinks: 0,
        worst: [{ index: [2, 0], analytic: 0.4, numeric: 0.1, relativeError: 0.6, kink: false }],
      },
      {
        name: 'W2',
        shape: [1, 5],
        difference: 0.12,
        passed: false,
        share: 0.08,
        kinks: 2,
        worst: [{ index: [0, 3], analytic: -0.2, numeric: null, relativeError: null, kink: true }],
      },
      { name: 'b2', shape: [1, 1], difference: 0, passed: true, share: 0, kinks: 0, worst: [] },
    ],
    worst: [
      { param: 'b1', index: [2, 0], analytic: 0.4, numeric: 0.1, relativeError: 0.6, kink: false },
      { param: 'W2', index: [0, 3], analytic: -0.2, numeric: -0.05, relativeError: 0.6, kink: true },
      { param: 'W1', index: [1, 1], analytic: 0.01, numeric: 0.0100000001, relativeError: 5e-9, kink: true },
    ],
    entries: {
      W1: { rows: 5, cols: 2, relativeError: [1e-9, 2e-9, 5e-9, 3e-10, Number.NaN, 1e-10, 4e-9, 1e-8, 2e-9, 7e-10] },
      b1: { rows: 5, cols: 1, relativeError: [1e-9, 0.2, 0.6, 3e-9, 0.4] },
    },
  };
}
