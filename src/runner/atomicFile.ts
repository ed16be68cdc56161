/**
 * The one way NN Lab writes a file: the bytes go to a temp file in the target's own folder (a rename is atomic
 * only within one file system), are flushed to disk, and the temp file is renamed over the target. A reader, or a
 * process killed at any moment, therefore sees either the old file or the new one, never a torn or empty one.
 * Node only, no vscode.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** Every temp file starts with this; readers skip such names and cleanTempFiles removes the orphaned ones. */
export const TEMP_PREFIX = '.nnlab-tmp-';

export function isTempFile(name: string): boolean {
  return name.startsWith(TEMP_PREFIX);
}

/** `.nnlab-tmp-<pid>-<random>`: short (the target's own name may already be near the OS's byte limit) and owned. */
function tempName(): string {
  return `${TEMP_PREFIX}${process.pid}-${randomBytes(6).toString('hex')}`;
}

export interface AtomicWriteOptions {
  /**
   * Also flush the folder, so the rename itself survives a power cut (not only a killed process). Worth its
   * milliseconds for a file that marks something complete (index.json, a history record).
   */
  durableName?: boolean;
}

/** Writes `data` to `path` atomically, creating the folder if needed. */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const temp = join(dir, tempName());
  try {
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(data);
      // Without this, a crash after the rename can leave the new name pointing at blocks never written.
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
  if (options.durableName) await syncDir(dir);
}

async function syncDir(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Some file systems (and Windows) cannot open or flush a folder; the rename is still atomic there.
  } finally {
    await handle?.close();
  }
}

/** True when `pid` names a live process on this machine (or one we may not signal, which is alive too). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A temp file is an orphan once its writer is gone, or (pid reused, other machine) once it is an hour old. */
const ORPHAN_AGE_MS = 60 * 60 * 1000;

/**
 * Removes the temp files a killed writer left in `dir` (not those of a writer still running). Returns how many
 * were removed. Never throws: cleaning up is a courtesy, not part of any write.
 */
export async function cleanTempFiles(dir: string): Promise<number> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter(isTempFile);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    const pid = Number(/^\.nnlab-tmp-(\d+)-/.exec(name)?.[1]);
    const path = join(dir, name);
    try {
      const orphan = !Number.isInteger(pid) || pid === process.pid ? false : !processAlive(pid);
      if (orphan || Date.now() - (await stat(path)).mtimeMs > ORPHAN_AGE_MS) {
        await rm(path, { force: true });
        removed++;
      }
    } catch {
      // Gone already, or not ours to remove.
    }
  }
  return removed;
}
