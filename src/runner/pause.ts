/**
 * Pause, resume and step for a run training in a worker. The worker's epoch loop is synchronous, so it cannot read
 * a message until the run ends; host and worker share two integers instead (a SharedArrayBuffer in the start
 * message): [paused, steps]. Before every epoch the worker's gate looks at them, and while paused it blocks in
 * Atomics.wait until the host resumes it or grants a step. Nothing of the run's state moves while it waits, so a
 * paused-then-resumed run gives the uninterrupted run's numbers to the bit (test/unit/pause.test.ts).
 */

const PAUSED = 0;
const STEPS = 1;

/** The host's side: one per run. */
export class PauseControl {
  readonly buffer = new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT);
  private readonly cells = new Int32Array(this.buffer);

  get paused(): boolean {
    return Atomics.load(this.cells, PAUSED) === 1;
  }

  pause(): void {
    Atomics.store(this.cells, PAUSED, 1);
  }

  /** Runs on; steps granted but not taken are dropped. */
  resume(): void {
    Atomics.store(this.cells, STEPS, 0);
    Atomics.store(this.cells, PAUSED, 0);
    Atomics.notify(this.cells, PAUSED);
  }

  /** Pauses (if running) and lets exactly one more epoch run. */
  step(): void {
    Atomics.store(this.cells, PAUSED, 1);
    Atomics.add(this.cells, STEPS, 1);
    Atomics.notify(this.cells, PAUSED);
  }
}

/**
 * The worker's side: a function to call before every epoch. It returns at once while the run is not paused; while
 * paused it calls `onBlock` once (to flush the progress so far, so the host shows where the run stopped) and waits
 * for a step or a resume. A cancel needs nothing here: the host terminates a cancelled run's worker, waiting or not.
 */
export function pauseGate(buffer: SharedArrayBuffer, onBlock: () => void): () => void {
  const cells = new Int32Array(buffer);
  return () => {
    let flushed = false;
    while (Atomics.load(cells, PAUSED) === 1) {
      const steps = Atomics.load(cells, STEPS);
      if (steps > 0 && Atomics.compareExchange(cells, STEPS, steps, steps - 1) === steps) return;
      if (!flushed) {
        onBlock();
        flushed = true;
      }
      // A step granted between the load of STEPS above and this wait notifies no one (PAUSED stays 1), so the wait
      // wakes every 50 ms to look again instead of sleeping through it.
      Atomics.wait(cells, PAUSED, 1, 50);
    }
  };
}
