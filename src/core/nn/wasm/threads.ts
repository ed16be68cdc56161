/**
 * A thread team for the tiled products (team.ts): the calling thread and `threads − 1` helper threads share one
 * WebAssembly memory per kernel; each large product's rows are cut into PARTS_PER_THREAD·threads fixed, contiguous
 * parts at tile boundaries. A product's elements are each computed whole by one thread, in the same order as on one thread
 * (products.ts), so any thread count gives the same bits; there is no cross-thread reduction at all.
 *
 * Parts are claimed, not assigned: the caller and the helpers take the next unclaimed part until none is left, and
 * the caller waits only for parts in progress. On a busy machine a helper that is not scheduled in time costs
 * nothing: the caller does its part too (measured first with fixed assignment, on a machine loaded ~10× over its
 * cores: 2 threads ran a digits-like run 1.2–1.4× slower than 1, the caller waiting on descheduled helpers).
 *
 * Everything runs synchronously, as the epoch loop does: commands go through a shared Int32Array (Atomics), waits
 * spin briefly and then sleep (Atomics.wait). New memories reach the helpers as messages, which they read
 * synchronously (`receive`). Creating threads is the host's business (`spawn`, e.g. Node's worker_threads in
 * src/runner/threads.ts); this file uses only Atomics and WebAssembly.
 */
import { type Product, PRODUCTS, ROWS } from './products';
import {
  type BoundTeam,
  instantiateProducts,
  type ProductsInstance,
  productsModuleObject,
  soloTeam,
  type Team,
} from './team';

/** Control words. */
const GENERATION = 0;
const OP = 1;
const BINDING = 2;
const PRODUCT = 3;
const ROWS_TOTAL = 4;
/** The next unclaimed part of the current product, tagged with the command's generation: (g & GEN_MASK) << 8 | part. */
const CLAIM = 5;
const PARTS_DONE = 6;
const ARGS = 7;
/** ACK + h: the last generation helper h acknowledged (binds). */
const ACK = ARGS + 14;
const MAX_HELPERS = 63;
const WORDS = ACK + MAX_HELPERS + 1;
const GEN_MASK = 0x7fffff;

const OP_RUN = 1;
const OP_BIND = 2;
const OP_STOP = 3;

/**
 * Products below this many multiply-adds run on the calling thread alone: waking a helper and waiting for it costs
 * microseconds, which a small product does not repay. Measured on the quiet 2-core bench machine, whole processes,
 * 2 threads, interleaved: at 2^16, digits ([64,128,64,10], batch 64: every product under 2^20) took 2.20 s of wall and
 * 3.84 s of CPU, against 2.23 s and 2.52 s at 2^20 (the same wall as 1 thread, 2.14 s); the 784-wide run
 * ([784,128,64,10], batch 128) 4.90 s at 2^16 and 4.79 s at 2^20.
 */
export const MIN_SPLIT_MACS = 1 << 20;

/**
 * Parts per thread: smaller parts than one per thread, so that a helper the OS preempts in the middle of one holds
 * up the caller for less.
 */
export const PARTS_PER_THREAD = 4;

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

/**
 * Claims the next part of generation g's product: its index, or −1 when every part is taken or g is over. Parts go
 * to whichever thread asks first, so a helper the OS has not scheduled never holds the caller up: the caller then
 * does every part itself. Which thread computes a part never changes its numbers.
 */
function claim(ctl: Int32Array, g: number, parts: number): number {
  for (;;) {
    const v = Atomics.load(ctl, CLAIM);
    if (v >>> 8 !== (g & GEN_MASK) || (v & 0xff) >= parts) return -1;
    if (Atomics.compareExchange(ctl, CLAIM, v, v + 1) === v) return v & 0xff;
  }
}

/** Part `part` of the product described in the control words (read after the claim: they are stable until done). */
function runPart(
  ctl: Int32Array,
  products: ProductsInstance['products'],
  args: Parameters<Product>,
  parts: number,
  part: number,
): void {
  for (let a = 0; a < 14; a++) args[a] = Atomics.load(ctl, ARGS + a);
  [args[7], args[8]] = partOf(Atomics.load(ctl, ROWS_TOTAL), parts, part);
  if (args[8] > args[7]) products[PRODUCTS[Atomics.load(ctl, PRODUCT)]!](...args);
  Atomics.add(ctl, PARTS_DONE, 1);
  Atomics.notify(ctl, PARTS_DONE);
}

export function threadTeam(threads: number, spawn: Spawn): ThreadTeam {
  threads = Math.min(threads, MAX_HELPERS + 1);
  if (threads <= 1) return { threads: 1, splits: 0, close() {}, bind: soloTeam().bind };
  const control = new SharedArrayBuffer(WORDS * 4);
  const ctl = new Int32Array(control);
  const parts = PARTS_PER_THREAD * threads;
  // Started by the first kernel that binds: a run whose kernels never use the team (the course's shapes) starts no
  // thread at all.
  let helpers: HelperHandle[] = [];
  let bindings = 0;
  let generation = 0;

  /** Publishes the command whose words are written, as the next generation. */
  const publish = (op: number) => {
    generation++;
    Atomics.store(ctl, OP, op);
    Atomics.store(ctl, GENERATION, generation);
    Atomics.notify(ctl, GENERATION);
  };

  const team: { -readonly [K in keyof ThreadTeam]: ThreadTeam[K] } = {
    threads,
    splits: 0,
    close() {
      if (helpers.length > 0) publish(OP_STOP);
      for (const h of helpers) h.terminate();
      helpers = [];
    },
    bind(pages): BoundTeam | null {
      const wasm = (globalThis as unknown as { WebAssembly: WasmMemoryApi }).WebAssembly;
      const memory = new wasm.Memory({ initial: pages, maximum: pages, shared: true });
      const module = productsModuleObject(true);
      const instance = instantiateProducts(module, memory);
      const binding = ++bindings;
      if (binding === 1) helpers = Array.from({ length: threads - 1 }, (_, h) => spawn(control, h + 1, parts));
      for (const h of helpers) h.post({ binding, module, memory });
      // Every helper must hold the memory before any part can go to it: wait for each one's acknowledgement.
      Atomics.store(ctl, BINDING, binding);
      publish(OP_BIND);
      for (let h = 1; h < threads; h++) {
        for (let seen = Atomics.load(ctl, ACK + h); seen !== generation; seen = Atomics.load(ctl, ACK + h)) {
          waitChange(ctl, ACK + h, seen);
        }
      }
      const args = new Array<number>(14).fill(0) as Parameters<Product>;
      return {
        buffer: memory.buffer,
        helpers: instance.helpers,
        update: instance.update,
        run(name, rows, given) {
          if (rows * given[9] * given[10] < MIN_SPLIT_MACS) {
            given[7] = 0;
            given[8] = rows;
            instance.products[name](...given);
            return;
          }
          Atomics.store(ctl, BINDING, binding);
          Atomics.store(ctl, PRODUCT, PRODUCTS.indexOf(name));
          Atomics.store(ctl, ROWS_TOTAL, rows);
          for (let a = 0; a < 14; a++) Atomics.store(ctl, ARGS + a, given[a]!);
          Atomics.store(ctl, PARTS_DONE, 0);
          Atomics.store(ctl, CLAIM, ((generation + 1) & GEN_MASK) << 8);
          publish(OP_RUN);
          team.splits++;
          for (let part = claim(ctl, generation, parts); part >= 0; part = claim(ctl, generation, parts)) {
            runPart(ctl, instance.products, args, parts, part);
          }
          for (let done = Atomics.load(ctl, PARTS_DONE); done < parts; done = Atomics.load(ctl, PARTS_DONE)) {
            waitChange(ctl, PARTS_DONE, done);
          }
        },
      };
    },
  };
  return team;
}

/** How many bindings a helper keeps (a run binds its gradient kernel and its test-set loss). */
const KEPT = 4;

/** A helper thread's whole life: wait for a command, take parts or bind a memory, until told to stop. */
export function helperLoop(
  control: SharedArrayBuffer,
  index: number,
  parts: number,
  receive: () => BindMessage | undefined,
): void {
  const ctl = new Int32Array(control);
  const bound = new Map<number, ProductsInstance['products']>();
  const args = new Array<number>(14).fill(0) as Parameters<Product>;
  // 0, not the current value: a helper may boot after the caller has issued its first command.
  let handled = 0;
  for (;;) {
    waitChange(ctl, GENERATION, handled);
    const g = Atomics.load(ctl, GENERATION);
    const op = Atomics.load(ctl, OP);
    if (op === OP_STOP) return;
    if (op === OP_BIND) {
      const wanted = Atomics.load(ctl, BINDING);
      // The message was posted before the command: it is there or about to be.
      while (!bound.has(wanted)) {
        const message = receive();
        if (!message) {
          Atomics.wait(ctl, GENERATION, g, 1);
          continue;
        }
        bound.set(message.binding, instantiateProducts(message.module, message.memory).products);
        if (bound.size > KEPT) bound.delete(bound.keys().next().value!);
      }
      Atomics.store(ctl, ACK + index, g);
      Atomics.notify(ctl, ACK + index);
    } else if (op === OP_RUN) {
      for (let part = claim(ctl, g, parts); part >= 0; part = claim(ctl, g, parts)) {
        runPart(ctl, bound.get(Atomics.load(ctl, BINDING))!, args, parts, part);
      }
    }
    handled = g;
  }
}
