/**
 * Training runs from request to outcome, for the CLI and the editor alike. A batch of runs is submitted to a worker
 * pool (or, in the CLI, to LocalRunner in this thread); each run keeps its cost history as progress arrives (the one
 * copy on this side of the worker: the editor's panel draws these very arrays), stops when its sweep trial is pruned,
 * and ends in a RunOutcome whatever happened: the trainer's result, or a partial result with the costs that arrived
 * (cancelled, or its worker failed), settled by the prune tracker and carrying a trial's sweep values. Node only,
 * no vscode, and no trainer: the editor imports this, and training stays in the workers.
 */
import { performance } from 'node:perf_hooks';
import type { RunResult } from '../core/types';
import type { ExperimentJob, ProgressMessage, StatusMessage, TrainResult } from '../protocol/worker';
import type { JobHandle, JobListener, JobOutcome } from './pool';
import { PruneTracker, type PrunableTask } from './prune';
import { placeChunk } from '../protocol/chunks';
import { partialResult } from './results';

/** A finished run: its result (cut at the pruning epoch when pruned) and the decision boundary of an ok run. */
export type RunOutcome = Omit<TrainResult, 'kind'>;

/** One run to train: the job as the worker gets it, and for a sweep trial its values and pruner. */
export interface TrainingTask {
  job: ExperimentJob & { kind: 'train' };
  /** A sweep trial's values by path; copied into its result. */
  sweep?: Record<string, unknown>;
  /** A trial of a pruned sweep: its pruner and its index in the sweep's trial order. */
  prune?: PrunableTask['prune'];
}

/** Where the jobs run: WorkerPool, or LocalRunner (the CLI's own thread). */
export interface Submitter {
  submitAll(items: readonly { spec: ExperimentJob; listener?: JobListener }[]): JobHandle[];
}

export interface TrainingListener {
  /** The run left the queue. */
  onStart?(run: TrainingRun): void;
  /** Costs arrived: `run.costs` and `run.testCosts` hold them already, and `run.epoch` is the latest one's epoch. */
  onProgress?(run: TrainingRun, message: ProgressMessage): void;
  /** Loading (rows read) or inside an epoch (batches done). */
  onStatus?(run: TrainingRun, status: Omit<StatusMessage, 'type' | 'runId'>): void;
}

export class TrainingRun {
  /** The run's recorded costs so far, one per point (RunResult.costs); appended to in place as progress arrives. */
  readonly costs: number[] = [];
  /** The run's test costs so far (present when the experiment has test data). */
  readonly testCosts: number[] | undefined;
  /** The (0-based) epoch of the latest cost; -1 before the first. */
  epoch = -1;
  started = false;
  /** When the run left the queue (Date.now()), for logs. */
  startedAt: number | undefined;
  handle: JobHandle | undefined;
  done!: Promise<RunOutcome>;
  private startedClock = 0;

  constructor(
    readonly index: number,
    readonly task: TrainingTask,
  ) {
    if (task.job.config.data.test) this.testCosts = [];
  }

  get name(): string {
    return this.task.job.config.name;
  }

  /** Removes a queued run, or stops a running one: it ends cancelled, with the costs it had. */
  cancel(): void {
    this.handle?.cancel();
  }

  /** @internal */
  start(): void {
    this.started = true;
    this.startedAt = Date.now();
    this.startedClock = performance.now();
  }

  /** @internal A progress chunk goes to the index it names, so a repeated chunk cannot duplicate points. */
  place(p: ProgressMessage): void {
    placeChunk(this.costs, p.firstIndex, p.costs);
    if (p.testCosts && this.testCosts)
      placeChunk(this.testCosts, p.firstTestIndex ?? this.testCosts.length, p.testCosts);
    this.epoch = p.epoch;
  }

  /** @internal The result of an ending, before pruning is settled. */
  resultOf(outcome: JobOutcome): RunResult {
    if (outcome.kind === 'train') return outcome.result;
    const partial = {
      name: this.name,
      costs: this.costs,
      durationMs: this.started ? performance.now() - this.startedClock : 0,
      ...(this.testCosts ? { testCosts: this.testCosts } : {}),
    };
    if (outcome.kind === 'cancelled') return partialResult(partial, 'cancelled');
    return partialResult(
      partial,
      'error',
      outcome.kind === 'error' ? outcome.message : `unexpected ${outcome.kind} outcome for a training job`,
    );
  }
}

/**
 * Submits the tasks as one batch (a pruned sweep's trials share their pruner, and a two-ended pool sees the whole
 * queue) and returns their runs in task order; each run's `done` resolves with its outcome.
 */
export function trainAll(
  submitter: Submitter,
  tasks: readonly TrainingTask[],
  listener: TrainingListener = {},
): TrainingRun[] {
  const runs = tasks.map((task, index) => new TrainingRun(index, task));
  const prunable: PrunableTask[] = tasks.map((t) => ({ config: t.job.config, ...(t.prune ? { prune: t.prune } : {}) }));
  const pruning = new PruneTracker(prunable, (i) => runs[i]?.cancel());
  // A free worker starts its job (and calls onStart) inside submitAll: the runs exist before.
  const handles = submitter.submitAll(
    runs.map((run) => ({
      spec: run.task.job,
      listener: {
        onStart: () => {
          run.start();
          listener.onStart?.(run);
        },
        onProgress: (p) => {
          run.place(p);
          pruning.update(run.index, run.costs, false);
          listener.onProgress?.(run, p);
        },
        onStatus: ({ rows, batch }) =>
          listener.onStatus?.(run, { ...(rows === undefined ? {} : { rows }), ...(batch ? { batch } : {}) }),
      },
    })),
  );
  for (const run of runs) {
    run.handle = handles[run.index]!;
    run.done = run.handle.done.then(async (outcome) => {
      const result = await pruning.settle(run.index, run.resultOf(outcome));
      if (run.task.sweep) result.sweep = run.task.sweep;
      // A pruned trial reports no parameters, so no boundary either; the worker draws one only for an ok run.
      const boundary = outcome.kind === 'train' && result.status === 'ok' ? outcome.boundary : undefined;
      return { result, ...(boundary ? { boundary } : {}) };
    });
  }
  return runs;
}
