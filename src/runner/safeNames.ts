/**
 * File and folder names made from a user's names (experiment names, file paths), safe in bytes and in meaning on
 * every OS: at most SEGMENT_MAX_BYTES of UTF-8 (file systems count bytes, 255 at most, and the path has other
 * segments and a temp suffix to fit), no separators or characters Windows forbids, no Windows device names, none
 * of the names NN Lab itself uses in a folder. A name that had to change gets a short hash of the original, so
 * two names that differ only in what was cut or replaced still get two segments. Node only.
 */
import { createHash, randomBytes } from 'node:crypto';

export const SEGMENT_MAX_BYTES = 100;

/** Windows refuses these as names, with or without an extension, in any case (`con`, `Com1.json`). */
const DEVICE_NAME = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;

/** Names NN Lab writes next to run folders: a run named like one must not replace it or be replaced by it. */
const OWN_NAMES = new Set(['index.json', '.nnlab-lock']);

/** 8 hex digits of SHA-256: enough to tell apart the names of one folder. */
export function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}

/** The longest prefix of `text` whose UTF-8 form fits in `maxBytes`, cut between code points. */
export function cutToBytes(text: string, maxBytes: number): string {
  let bytes = 0;
  let end = 0;
  for (const ch of text) {
    const size = Buffer.byteLength(ch, 'utf8');
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += ch.length;
  }
  return text.slice(0, end);
}

function reserved(name: string): boolean {
  return DEVICE_NAME.test(name) || OWN_NAMES.has(name.toLowerCase()) || name.startsWith('.nnlab-');
}

/**
 * A name safe as one path segment. Sweep trials are named like `adam[learningRate=0.001]`, which stays readable;
 * separators, `:` and other characters Windows forbids become `_`, as do leading dots and trailing dots or
 * spaces. Whenever the result is not the name itself, it ends in `~` and a hash of the name.
 */
export function safeSegment(name: string, maxBytes = SEGMENT_MAX_BYTES): string {
  let cleaned = name
    .replace(/[\\/:*?"<>|\x00-\x1f\x7f]/g, '_')
    .replace(/^\.+/, '_')
    .replace(/[. ]+$/, '_');
  if (cleaned === '') cleaned = '_';
  const changed = cleaned !== name || reserved(cleaned) || Buffer.byteLength(cleaned, 'utf8') > maxBytes;
  if (!changed) return cleaned;
  const suffix = `~${shortHash(name)}`;
  return `${cutToBytes(cleaned, maxBytes - suffix.length)}${suffix}`;
}

/**
 * One segment per name of `names`, no two equal when compared case-insensitively (as macOS and Windows do): a
 * later name whose segment is taken gets its hash, and a counter if even that is taken.
 */
export function uniqueSegments(names: readonly string[], maxBytes = SEGMENT_MAX_BYTES): string[] {
  const used = new Set<string>();
  return names.map((name) => {
    let segment = safeSegment(name, maxBytes);
    if (used.has(segment.toLowerCase())) {
      const base = cutToBytes(segment, maxBytes - 20);
      segment = `${base}~${shortHash(name)}`;
      for (let k = 2; used.has(segment.toLowerCase()); k++) segment = `${base}~${shortHash(name)}-${k}`;
    }
    used.add(segment.toLowerCase());
    return segment;
  });
}

/**
 * A time for a file name that no other run shares: the ISO time with `:` replaced (Windows forbids it), then a
 * random tag, so two runs finishing in the same millisecond still get two files. Sorts as the ISO time does.
 */
export function uniqueTimeSegment(date: Date): string {
  return `${date.toISOString().replace(/:/g, '-')}~${randomBytes(4).toString('hex')}`;
}
