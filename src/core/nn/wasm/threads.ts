/**
 * A thread team for the tiled products (team.ts): the calling thread and `helpers` helper threads share one
 * WebAssembly memory per kernel; each large product's rows are cut into 1 + helpers fixed, contiguous parts, the
 * caller taking the first. A product's elements are each computed whole by one thread, in the same order as on one
 * thread (products.ts), so any thread count gives the same bits; there is no cross-thread reduction at all.
 *
 * Everything runs synchronously, as the epoch loop does: commands go through a shared Int32Array (Atomics), the
 * caller spins briefly and then sleeps (Atomics.wait) until every helper is done. New memories reach the helpers
 * as messages, which they read synchronously (`receive`). Creating threads is the host's business (`spawn`, e.g.
 * Node's worker_threads in src/runner/threads.ts); this file uses only Atomics and WebAssembly.
 */
import { type Product, PRODUCTS, ROWS } from './products';
import { type BoundTeam, instantiateProducts, MAX_PAGES, productsModuleObject, soloTeam, type Team } from './team';

/** Control words. */
const GENERATION = 0;
const DONE = 1;
const OP = 2;
const BINDING = 3;
const PRODUCT = 4;
const ROWS_TOTAL = 5;
const ARGS = 6;
const WORDS = ARGS + 14;

const OP_RUN = 1;
const OP_BIND = 2;
const OP_STOP = 3;

/**
 * Products below this many multiply-adds run on the calling thread alone: waking a helper and waiting for it costs
 * microseconds, which a small product does not repay.
 */
export const MIN_SPLIT_MACS = 1 << 16;

/** Spins before sleeping: the next product usually follows within microseconds. */
const SPINS = 20_000;

export interface HelperHandle {
  post(message: BindMessage): void;
  terminate(): void;
}

export interface BindMessage {
  binding: number;
  module: object;
  memory: object;
}

/** Starts helper `index` (1-based) running helperLoop(control, index, parts, receive) on its own thread. */
export type Spawn = (control: SharedArrayBuffer, index: number, parts: number) => HelperHandle;

interface WasmMemoryApi {
  Memory: new (d: { initial: number; maximum: number; shared: true }) => { buffer: ArrayBuffer };
}

export interface ThreadTeam extends Team {
  readonly threads: number;
  /** Products split between threads so far. */
  readonly splits: number;
  close(): void;
}

/** Rows [from, to) of part p of `parts` over `rows` rows, at multiples of ROWS (tile boundaries). */
export function partOf(rows: number, parts: number, p: number): [number, number] {
  const tiles = Math.ceil(rows / ROWS);
  const cut = (q: number) => Math.min(rows, Math.floor((tiles * q) / parts) * ROWS);
  return [cut(p), cut(p + 1)];
}

/** Waits until ctl[index] ≠ value: spins first, then sleeps. */
function waitChange(ctl: Int32Array, index: number, value: number): void {
  for (let s = 0; s < SPINS; s++) if (Atomics.load(ctl, index) !== value) return;
  while (Atomics.load(ctl, index) === value) Atomics.wait(ctl, index, value, 50);
}

export function threadTeam(threads: number, spawn: Spawn): ThreadTeam {
  if (threads <= 1) return { threads: 1, splits: 0, close() {}, bind: soloTeam().bind };
  const control = new SharedArrayBuffer(WORDS * 4);
  const ctl = new Int32Array(control);
  // Started by the first kernel that binds: a run whose kernels never use the team (the course's shapes) starts no
  // thread at all.
  let helpers: HelperHandle[] = [];
  let bindings = 0;

  /** Publishes the command in ctl[OP…] and waits for every helper. */
  const command = (op: number) => {
    Atomics.store(ctl, DONE, 0);
    Atomics.store(ctl, OP, op);
    Atomics.add(ctl, GENERATION, 1);
    Atomics.notify(ctl, GENERATION);
  };
  const awaitHelpers = () => {
    for (;;) {
      const done = Atomics.load(ctl, DONE);
      if (done === helpers.length) return;
      waitChange(ctl, DONE, done);
    }
  };

  const team: { -readonly [K in keyof ThreadTeam]: ThreadTeam[K] } = {
    threads,
    splits: 0,
    close() {
      if (helpers.length > 0) command(OP_STOP);
      for (const h of helpers) h.terminate();
      helpers = [];
    },
    bind(pages): BoundTeam | null {
      const wasm = (globalThis as unknown as { WebAssembly: WasmMemoryApi }).WebAssembly;
      const memory = new wasm.Memory({ initial: pages, maximum: pages, shared: true });
      const module = productsModuleObject(true);
      const { products, helpers: small } = instantiateProducts(module, memory);
      const binding = ++bindings;
      if (binding === 1) helpers = Array.from({ length: threads - 1 }, (_, h) => spawn(control, h + 1, threads));
      for (const h of helpers) h.post({ binding, module, memory });
      Atomics.store(ctl, BINDING, binding);
      command(OP_BIND);
      awaitHelpers();
      return {
        buffer: memory.buffer,
        helpers: small,
        run(name, rows, args) {
          const macs = rows * args[9] * args[10];
          if (macs < MIN_SPLIT_MACS) {
            args[7] = 0;
            args[8] = rows;
            products[name](...args);
            return;
          }
          Atomics.store(ctl, BINDING, binding);
          Atomics.store(ctl, PRODUCT, PRODUCTS.indexOf(name));
          Atomics.store(ctl, ROWS_TOTAL, rows);
          for (let a = 0; a < 14; a++) Atomics.store(ctl, ARGS + a, args[a]!);
          command(OP_RUN);
          team.splits++;
          [args[7], args[8]] = partOf(rows, threads, 0);
          products[name](...args);
          awaitHelpers();
        },
      };
    },
  };
  return team;
}

/** How many bindings a helper keeps (a run binds its gradient kernel and its test-set loss). */
const KEPT = 4;

/** A helper thread's whole life: wait for a command, do its part, report, until told to stop. */
export function helperLoop(control: SharedArrayBuffer, index: number, parts: number, receive: () => BindMessage | undefined): void {
  const ctl = new Int32Array(control);
  const bound = new Map<number, ReturnType<typeof instantiateProducts>['products']>();
  // 0, not the current value: a helper may boot after the caller has issued its first command.
  let generation = 0;
  const args = new Array<number>(14).fill(0) as Parameters<Product>;
  for (;;) {
    waitChange(ctl, GENERATION, generation);
    generation = Atomics.load(ctl, GENERATION);
    const op = Atomics.load(ctl, OP);
    if (op === OP_STOP) return;
    if (op === OP_BIND) {
      const wanted = Atomics.load(ctl, BINDING);
      // The message was posted before the command: it is there or about to be.
      while (!bound.has(wanted)) {
        const message = receive();
        if (!message) {
          Atomics.wait(ctl, GENERATION, generation, 1);
          continue;
        }
        bound.set(message.binding, instantiateProducts(message.module, message.memory).products);
        if (bound.size > KEPT) bound.delete(bound.keys().next().value!);
      }
    } else if (op === OP_RUN) {
      const products = bound.get(Atomics.load(ctl, BINDING))!;
      for (let a = 0; a < 14; a++) args[a] = Atomics.load(ctl, ARGS + a);
      [args[7], args[8]] = partOf(Atomics.load(ctl, ROWS_TOTAL), parts, index);
      if (args[8] > args[7]) products[PRODUCTS[Atomics.load(ctl, PRODUCT)]!](...args);
    }
    Atomics.add(ctl, DONE, 1);
    Atomics.notify(ctl, DONE);
  }
}

export { MAX_PAGES };
