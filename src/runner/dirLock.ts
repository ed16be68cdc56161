/**
 * One writer at a time in a folder: `<dir>/.nnlab-lock`, created exclusively, holds the writer's pid. A second
 * writer waits for it; a lock whose process is gone (killed mid-write) is taken over. Node only.
 */
import { open, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { processAlive } from './atomicFile';

export const LOCK_NAME = '.nnlab-lock';

export interface DirLock {
  release(): Promise<void>;
}

export interface LockOptions {
  /** Give up after this long (default 10 min: writing a large sweep's charts takes a while). */
  timeoutMs?: number;
  /** Called once, when the lock is held by another live process, with its pid. */
  onWait?: (pid: number) => void;
}

const POLL_MS = 50;

async function holder(path: string): Promise<number | undefined> {
  try {
    const pid = Number((await readFile(path, 'utf8')).trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

async function olderThan(path: string, ms: number): Promise<boolean> {
  try {
    return Date.now() - (await stat(path)).mtimeMs > ms;
  } catch {
    return false;
  }
}

export async function lockDir(dir: string, options: LockOptions = {}): Promise<DirLock> {
  const path = join(dir, LOCK_NAME);
  const deadline = Date.now() + (options.timeoutMs ?? 600_000);
  let told = false;
  for (;;) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return { release: () => rm(path, { force: true }) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const pid = await holder(path);
    // No pid yet is a writer between creating and filling the file: wait, unless that was seconds ago (it was
    // killed in between). A dead pid left the lock behind: take over.
    if (pid === undefined ? await olderThan(path, 5000) : !processAlive(pid)) {
      await rm(path, { force: true });
      continue;
    }
    if (pid !== undefined && !told) {
      told = true;
      options.onWait?.(pid);
    }
    if (Date.now() > deadline) {
      throw new Error(`${dir} is being written by another process (pid ${pid ?? '?'}); if none is, remove ${path}`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
