/**
 * One running Python harness (python/nnlab_harness.py) as a child process: requests go out one at a time and each
 * waits for its reply line. The process is the blast wall for a learner's numpy code: it runs with a memory limit and
 * a CPU-time limit set inside the harness (resource.setrlimit), and with a wall-clock limit for the whole check here
 * (a module that sleeps or waits uses no CPU), after which it is killed. Node only.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { ModelModuleError } from '../../core/gradcheck/moduleErrors';
import { harnessReply, type HarnessReply, type HarnessRequest } from '../../protocol/python';

export const HARNESS_FILE = join('python', 'nnlab_harness.py');
export const DEFAULT_PYTHON_MEMORY_MB = 2048;

/** python/nnlab_harness.py above the running bundle: dist/ in the VSIX or the npm package, out/test/… in tests. */
export function findHarness(from: string = __dirname): string {
  let dir = from;
  for (let up = 0; up < 6; up++) {
    const candidate = join(dir, HARNESS_FILE);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new ModelModuleError(`cannot find NN Lab's ${HARNESS_FILE} (it ships beside dist/)`);
}

export interface HarnessOptions {
  /** The interpreter: a path or a command on PATH. */
  python: string;
  harness: string;
  timeoutMs: number;
  memoryMb: number;
  /** Where the module's own output (print, warnings, tracebacks) goes; stderr by default. */
  onOutput?: (text: string) => void;
}

type Ok = Extract<HarnessReply, { ok: true }>;

const STDERR_TAIL = 4000;

export class HarnessProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  private pending: { resolve: (r: HarnessReply) => void; reject: (e: Error) => void } | undefined;
  private failure: Error | undefined;
  private stderrTail = '';
  private timedOut = false;
  private timer: NodeJS.Timeout;
  /** What the harness is doing, for the message when it is stopped. */
  where = 'starting Python';

  constructor(private readonly options: HarnessOptions) {
    const { python, harness, timeoutMs, memoryMb } = options;
    const cpuSeconds = String(Math.max(1, Math.ceil(timeoutMs / 1000)));
    this.child = spawn(python, ['-B', harness, '--memory-mb', String(memoryMb), '--cpu-seconds', cpuSeconds], {
      stdio: ['pipe', 'pipe', 'pipe'],
      // One BLAS thread: the check is many tiny products, and each extra thread would reserve memory under the limit.
      env: {
        ...process.env,
        OPENBLAS_NUM_THREADS: '1',
        OMP_NUM_THREADS: '1',
        MKL_NUM_THREADS: '1',
        PYTHONIOENCODING: 'utf-8',
      },
      windowsHide: true,
    });
    const output = options.onOutput ?? ((text: string) => process.stderr.write(text));
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (text: string) => {
      this.stderrTail = (this.stderrTail + text).slice(-STDERR_TAIL);
      output(text);
    });
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      const pending = this.pending;
      this.pending = undefined;
      if (!pending) return;
      try {
        pending.resolve(harnessReply(line));
      } catch (e) {
        pending.reject(e as Error);
      }
    });
    this.child.on('error', (e: NodeJS.ErrnoException) => this.fail(this.startError(e)));
    this.child.on('exit', (code, signal) => this.fail(this.exitError(code, signal)));
    this.child.stdin.on('error', () => {
      // EPIPE: the process is gone; its 'exit' says why.
    });
    this.timer = this.deadline();
  }

  private deadline(): NodeJS.Timeout {
    return setTimeout(() => {
      this.timedOut = true;
      this.child.kill('SIGKILL');
    }, this.options.timeoutMs);
  }

  /**
   * Starts the time limit afresh: called once the interpreter has answered, so starting Python and importing numpy
   * on a busy machine never counts against the learner's module (as the JS module worker's limit starts online).
   */
  restartClock(): void {
    if (this.failure) return;
    clearTimeout(this.timer);
    this.timer = this.deadline();
  }

  /** Sends one request and waits for its reply; a failure reply comes back as a value, a dead process as an error. */
  request(req: HarnessRequest): Promise<HarnessReply> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.pending) return Promise.reject(new Error('HarnessProcess: one request at a time'));
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.child.stdin.write(`${JSON.stringify(req)}\n`);
    });
  }

  /** Like request, but a failure reply throws (the caller turns it into the user's message first). */
  async ok(req: HarnessRequest, onFailure: (r: Extract<HarnessReply, { ok: false }>) => Error): Promise<Ok> {
    const reply = await this.request(req);
    if (!reply.ok) throw onFailure(reply);
    return reply;
  }

  close(): void {
    clearTimeout(this.timer);
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.stdin.end();
      // A module may keep the interpreter alive after stdin closes (a thread, an atexit loop).
      const kill = setTimeout(() => this.child.kill('SIGKILL'), 2000);
      kill.unref();
      this.child.once('exit', () => clearTimeout(kill));
    }
  }

  private fail(error: Error): void {
    clearTimeout(this.timer);
    this.failure ??= error;
    const pending = this.pending;
    this.pending = undefined;
    pending?.reject(this.failure);
  }

  private startError(e: NodeJS.ErrnoException): Error {
    const python = this.options.python;
    if (e.code === 'ENOENT') {
      return new ModelModuleError(
        `cannot run the Python interpreter "${python}": not found. Install Python 3 with numpy (Debian/Ubuntu: sudo apt-get install python3-numpy), ` +
          "or choose an interpreter: the Python extension's selected environment, the setting nnlab.python.path, or nnlab gradcheck --python PATH",
      );
    }
    return new ModelModuleError(`cannot run the Python interpreter "${python}": ${e.message}`);
  }

  private exitError(code: number | null, signal: NodeJS.Signals | null): Error {
    const seconds =
      this.options.timeoutMs >= 1000 ? `${this.options.timeoutMs / 1000} s` : `${this.options.timeoutMs} ms`;
    if (this.timedOut) {
      return new ModelModuleError(
        `no answer within ${seconds} while ${this.where}; the Python process was stopped (an endless loop?)`,
      );
    }
    if (signal === 'SIGXCPU' || signal === 'SIGKILL') {
      return new ModelModuleError(
        `the Python process used its ${seconds} of CPU time while ${this.where} and was stopped (an endless loop?)`,
      );
    }
    const tail = this.stderrTail.trim().split('\n').slice(-5).join('\n');
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    return new ModelModuleError(`the Python process ${how} while ${this.where}${tail ? `:\n${tail}` : ''}`);
  }
}
