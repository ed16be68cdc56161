// The in-host suites' one way to wait: a condition polled until it holds, never a fixed sleep.
import type * as vscode from 'vscode';

/**
 * Resolves with `check`'s first value that is neither undefined nor false, re-checked every 20 ms and whenever
 * `event` fires; fails after `ms` naming `what`. The bound is a deadline for a hang, not a speed requirement.
 */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | Promise<T | undefined>,
  ms = 60_000,
  event?: vscode.Event<unknown>,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, 20);
      const sub = event?.(done);
      function done(): void {
        clearTimeout(timer);
        sub?.dispose();
        resolve();
      }
    });
  }
}
