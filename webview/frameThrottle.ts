/**
 * Runs an async job on an animation frame, at most once per `minIntervalMs`, never two at a time. Requests made
 * while a job is pending or running fold into one more run, so bursts coalesce instead of queueing.
 */
/** How long to wait for an animation frame before running the job without one. */
const FRAME_FALLBACK_MS = 250;

export class FrameThrottle {
  private requested = false;
  private armed = false;
  private running = false;
  private disposed = false;
  private lastStart = -Infinity;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private frame: number | undefined;

  constructor(
    private readonly job: () => Promise<void>,
    private readonly minIntervalMs: number,
  ) {}

  request(): void {
    this.requested = true;
    this.arm();
  }

  /** True while a run is scheduled or in progress. */
  get busy(): boolean {
    return this.armed || this.running;
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
  }

  private arm(): void {
    if (this.disposed || this.armed || this.running || !this.requested) return;
    this.armed = true;
    const wait = Math.max(0, this.lastStart + this.minIntervalMs - performance.now());
    this.timer = setTimeout(() => {
      this.frame = requestAnimationFrame(() => void this.fire());
      // A hidden or occluded page gets no animation frames; draw anyway so chunks do not pile up meanwhile.
      this.timer = setTimeout(() => void this.fire(), FRAME_FALLBACK_MS);
    }, wait);
  }

  private async fire(): Promise<void> {
    if (!this.armed) return;
    this.armed = false;
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    if (this.disposed) return;
    this.requested = false;
    this.running = true;
    this.lastStart = performance.now();
    try {
      await this.job();
    } finally {
      this.running = false;
      this.arm();
    }
  }
}
