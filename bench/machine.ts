/**
 * What the bench says about the machine it ran on: how busy it was (the machine is shared, and other processes'
 * load decides much of a wall-clock time), and which commit was measured.
 */
import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';

/** Busy and total jiffies of the whole machine, from /proc/stat (Linux); undefined elsewhere. */
export function machineTicks(): { busy: number; total: number } | undefined {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const idle = (cpu[3] ?? 0) + (cpu[4] ?? 0);
    const total = cpu.reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

/** CPU-seconds per second the whole machine was busy between two readings (USER_HZ is 100 on Linux). */
export function busyCores(
  before: ReturnType<typeof machineTicks>,
  after: ReturnType<typeof machineTicks>,
  wallMs: number,
): number | undefined {
  if (!before || !after || wallMs <= 0) return undefined;
  return ((after.busy - before.busy) * 10) / wallMs;
}

export function loadLine(): string {
  return `loadavg ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`;
}

/** The commit measured: short hash, with "+ uncommitted changes" when the tree is dirty. */
export function commitLine(root: string): string {
  try {
    const head = execSync('git rev-parse --short HEAD', {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    const dirty = execSync('git status --porcelain --untracked-files=no', {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    return `commit ${head}${dirty ? ' + uncommitted changes' : ''}`;
  } catch {
    return 'commit unknown (not a git checkout)';
  }
}
