/**
 * When analyses run, so the server stays interactive whatever the user types. A change does not start an analysis
 * at once: it waits ANALYSIS_DELAY_MS for the next change (typing sends one per keystroke), and a newer version
 * cancels an older one, pending or running. A running analysis works in slices of at most SLICE_MS and yields
 * the thread between them, so a request that arrives meanwhile is answered after one slice at most, never after
 * a whole analysis of a text that is already stale. Requests that need the analysis itself (code lenses, quick
 * fixes) ask for the current version's: it starts at once if it was only waiting.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analysisSteps, cachedAnalysis, type Analysis } from './analysis';

/** After the last change, how long to wait for another before analysing. */
export const ANALYSIS_DELAY_MS = 75;
/** The longest the server works on an analysis without answering anything else. */
export const SLICE_MS = 8;

interface Job {
  doc: TextDocument;
  timer: NodeJS.Timeout | undefined;
  cancelled: boolean;
  waiters: ((analysis: Analysis | undefined) => void)[];
}

export class AnalysisScheduler {
  private readonly jobs = new Map<string, Job>();

  /** `done` hears every analysis that finishes, once, for the version it describes. */
  constructor(
    private readonly done: (doc: TextDocument, analysis: Analysis) => void,
    private readonly delayMs = ANALYSIS_DELAY_MS,
  ) {}

  /** A new version: whatever was pending or running for an older one is dropped. */
  changed(doc: TextDocument): void {
    const job = this.replace(doc);
    job.timer = setTimeout(() => this.start(job), this.delayMs);
  }

  /** The analysis of exactly this version, now if it is done, else as soon as it is. */
  current(doc: TextDocument): Promise<Analysis | undefined> {
    const cached = cachedAnalysis(doc);
    if (cached) return Promise.resolve(cached);
    let job = this.jobs.get(doc.uri);
    const fresh = !job || job.doc.version !== doc.version;
    if (fresh) job = this.replace(doc);
    const waiting = job!;
    // The waiter goes in before the job starts: a short analysis finishes inside its first slice, synchronously, and
    // a waiter added after that would never be answered.
    const analysis = new Promise<Analysis | undefined>((resolve) => waiting.waiters.push(resolve));
    if (fresh || waiting.timer) this.start(waiting);
    return analysis;
  }

  /** The document was closed: stop its work; whoever waits gets no analysis. */
  forget(uri: string): void {
    const job = this.jobs.get(uri);
    if (!job) return;
    this.stop(job);
    this.jobs.delete(uri);
    for (const resolve of job.waiters.splice(0)) resolve(undefined);
  }

  private replace(doc: TextDocument): Job {
    const old = this.jobs.get(doc.uri);
    const job: Job = { doc, timer: undefined, cancelled: false, waiters: [] };
    if (old) {
      this.stop(old);
      // Someone waiting for an older version is better served by the newer one than by nothing.
      job.waiters.push(...old.waiters.splice(0));
    }
    this.jobs.set(doc.uri, job);
    return job;
  }

  private stop(job: Job): void {
    job.cancelled = true;
    clearTimeout(job.timer);
    job.timer = undefined;
  }

  private start(job: Job): void {
    clearTimeout(job.timer);
    job.timer = undefined;
    const steps = analysisSteps(job.doc);
    const slice = (): void => {
      if (job.cancelled) return;
      const end = performance.now() + SLICE_MS;
      let result: IteratorResult<void, Analysis>;
      // Reading the clock costs more than a step; look at it every few steps.
      for (let n = 0; ; n++) {
        result = steps.next();
        if (result.done || ((n & 15) === 15 && performance.now() > end)) break;
      }
      if (!result.done) return void setImmediate(slice);
      if (this.jobs.get(job.doc.uri) === job) this.jobs.delete(job.doc.uri);
      this.done(job.doc, result.value);
      for (const resolve of job.waiters.splice(0)) resolve(result.value);
    };
    slice();
  }
}
