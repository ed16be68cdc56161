/**
 * Compiled WebAssembly kernel modules by key (shape, set size, kind), shared by the runs of one thread and, through
 * the worker pool, by every worker thread: a WebAssembly.Module can be posted, and a worker that receives one never
 * builds that kernel itself. Building is mostly the JS encoder's work, not V8's compile (which V8 already shares
 * between threads for identical bytes): measured in a worker, [2,5,2,1] 5 ms to encode and 0.1 ms to compile,
 * [2,40,40,1] 133 ms and 0.7 ms; a thread's first build also pays for compiling the encoder itself (27–43 ms).
 * The pool hands every module a worker builds to the other workers and to workers it starts later (an editor's
 * worker retires after 10 idle seconds and its replacement would otherwise build everything again).
 *
 * `meta` is whatever the kernel needs besides the module to instantiate it (its memory layout); it must survive
 * structured cloning.
 */

/** A module as it travels between threads. */
export interface SharedModule {
  key: string;
  module: object;
  meta: Record<string, number>;
}

const CACHE_SIZE = 16;

/** Oldest first out (a Map iterates in insertion order). */
const modules = new Map<string, SharedModule>();
const listeners = new Set<(m: SharedModule) => void>();

function remember(entry: SharedModule): void {
  modules.delete(entry.key);
  if (modules.size >= CACHE_SIZE) modules.delete(modules.keys().next().value!);
  modules.set(entry.key, entry);
}

/**
 * The module for `key`: the cached one (also one another thread built), or `build()`'s, which is cached and
 * announced to the listeners. `build` may throw (WebAssembly refuses the module); nothing is cached then.
 */
export function sharedModule(key: string, build: () => { module: object; meta: Record<string, number> }): SharedModule {
  const cached = modules.get(key);
  if (cached) {
    remember(cached);
    return cached;
  }
  const entry = { key, ...build() };
  remember(entry);
  for (const listener of listeners) listener(entry);
  return entry;
}

/** Modules built elsewhere (posted by another thread); later calls of sharedModule with their keys use them. */
export function adoptModules(list: readonly SharedModule[]): void {
  for (const entry of list) if (!modules.has(entry.key)) remember(entry);
}

/** Calls `listener` with every module this thread builds from now on (a worker posts them to the pool). */
export function onModuleBuilt(listener: (m: SharedModule) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Whether a module for `key` is at hand (tests). */
export function hasModule(key: string): boolean {
  return modules.has(key);
}
