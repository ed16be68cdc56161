/**
 * A FIFO queue with removal by key, for jobs waiting for a free worker. Cancelling a queued job removes it without
 * disturbing the order of the rest. Pure.
 */
export class FifoQueue<K, V> {
  private readonly items = new Map<K, V>();

  get size(): number {
    return this.items.size;
  }

  push(key: K, value: V): void {
    if (this.items.has(key)) throw new Error(`duplicate queue key ${String(key)}`);
    this.items.set(key, value);
  }

  /** The oldest entry, removed; undefined when empty. A Map iterates in insertion order, which is the FIFO order. */
  shift(): [K, V] | undefined {
    const first = this.items.entries().next();
    if (first.done) return undefined;
    this.items.delete(first.value[0]);
    return first.value;
  }

  /** The newest entry, removed; undefined when empty. */
  pop(): [K, V] | undefined {
    let last: [K, V] | undefined;
    for (const entry of this.items) last = entry;
    if (last) this.items.delete(last[0]);
    return last;
  }

  /** Puts entries back at the front, in the given order (jobs handed back by a worker that never started them). */
  unshift(entries: readonly (readonly [K, V])[]): void {
    if (entries.length === 0) return;
    const rest = [...this.items];
    this.items.clear();
    for (const [k, v] of entries) this.push(k, v);
    for (const [k, v] of rest) this.push(k, v);
  }

  remove(key: K): V | undefined {
    const value = this.items.get(key);
    this.items.delete(key);
    return value;
  }

  has(key: K): boolean {
    return this.items.has(key);
  }

  keys(): K[] {
    return [...this.items.keys()];
  }
}
