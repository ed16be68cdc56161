/**
 * The per-epoch permutations of mini-batch training, kept across runs. Epoch i's permutation depends only on
 * shuffleSeed + i + 1 and m (batches.ts), and the trials of a sweep usually share both, so every trial after the
 * first copies m indices per epoch instead of reseeding MT19937 (624 words) and drawing m − 1 bounded integers:
 * that was 40–45% of the CPU time of the 64-trial moons sweep (11 µs of 24 µs per epoch, measured in-process).
 *
 * Only for runs whose RandomState is not read after the shuffle: dropout draws its masks from the state the
 * shuffle leaves, so a dropout run keeps reseeding its own state (train.ts decides). A cached permutation is the
 * one the same RandomState code computed, so results are bit-identical either way.
 */
import { RandomState } from '../random';
import { shuffleEpoch } from './batches';

/** Fills idx (length m) with epoch `epoch`'s permutation. */
export type EpochShuffle = (epoch: number, idx: Int32Array) => void;

/**
 * Indices kept over all cached (shuffleSeed, m) pairs: 4 M int32 = 16 MB, enough for the 64-trial sweep at 5000
 * epochs of 300 examples (6 MB) or 200 epochs of 20,000. Epochs past it are computed as before, per run.
 */
export const MAX_CACHED_INDICES = 4 * 1024 * 1024;

interface Entry {
  /** Epoch e's permutation at [e·m, (e+1)·m), for e < filled. */
  perms: Int32Array;
  filled: number;
}

/** By `${shuffleSeed}|${m}`, oldest first (a Map iterates in insertion order). */
const cache = new Map<string, Entry>();
let cachedIndices = 0;
const scratch = new RandomState(0);

/** The entry for (shuffleSeed, m), able to hold `epochs` epochs where the budget allows; undefined if not one. */
function entryFor(shuffleSeed: number, m: number, epochs: number): Entry | undefined {
  const key = `${shuffleSeed}|${m}`;
  const want = Math.min(epochs, Math.floor(MAX_CACHED_INDICES / m));
  if (want <= 0) return undefined;
  let entry = cache.get(key);
  if (entry) cache.delete(key);
  if (!entry || entry.perms.length < want * m) {
    const old = entry;
    if (old) cachedIndices -= old.perms.length;
    // Room for the new size: the least recently used pairs go first.
    for (const [k, e] of cache) {
      if (cachedIndices + want * m <= MAX_CACHED_INDICES) break;
      cache.delete(k);
      cachedIndices -= e.perms.length;
    }
    const perms = new Int32Array(want * m);
    if (old) perms.set(old.perms.subarray(0, old.filled * m));
    entry = { perms, filled: old?.filled ?? 0 };
    cachedIndices += perms.length;
  }
  cache.set(key, entry);
  return entry;
}

/**
 * The permutations of a run of `epochs` epochs over m examples: from the cache (filled as they are first needed)
 * where it has room, otherwise computed with `rng` as the uncached trainer does. With `ownState` (the run draws
 * from rng after each shuffle: dropout) every epoch reseeds rng itself and nothing is cached.
 */
export function epochShuffle(
  rng: RandomState,
  shuffleSeed: number,
  m: number,
  epochs: number,
  ownState: boolean,
): EpochShuffle {
  const live: EpochShuffle = (epoch, idx) => void shuffleEpoch(rng, shuffleSeed, epoch, idx);
  const entry = ownState ? undefined : entryFor(shuffleSeed, m, epochs);
  if (!entry) return live;
  const cachedEpochs = entry.perms.length / m;
  return (epoch, idx) => {
    if (epoch >= cachedEpochs) return live(epoch, idx);
    const { perms } = entry;
    const at = epoch * m;
    // The trainer asks for epochs in order from 0, so the first run fills the entry as it goes.
    for (; entry.filled <= epoch; entry.filled++) {
      shuffleEpoch(scratch, shuffleSeed, entry.filled, perms.subarray(entry.filled * m, (entry.filled + 1) * m));
    }
    for (let i = 0; i < m; i++) idx[i] = perms[at + i]!;
  };
}

/** Empties the cache (tests). */
export function clearPermutationCache(): void {
  cache.clear();
  cachedIndices = 0;
}
