/**
 * Seeded text mutations for the fuzz test: the kinds of damage a file suffers while being typed, pasted or
 * generated badly. Every choice draws from the RandomState passed in, so a failing case reproduces from its seed.
 */
import type { RandomState } from '../../src/core/random';

const TOKEN = /"(?:[^"\\\n]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null|[{}[\]:,]/g;
const HUGE = [
  '1e308',
  '1e400',
  '-1e999',
  '123456789012345678901234567890',
  '1e-400',
  '0.0000000000000000000001',
  '-0',
  '9007199254740993',
  'NaN',
  'Infinity',
];
const JUNK = [
  '"',
  '{',
  '}',
  '[',
  ']',
  ',',
  ':',
  '//',
  '/*',
  '*/',
  '\\',
  '"experiments"',
  '"defaults"',
  '"model": {',
  '"layers": [',
  '\r',
  '\r\n',
  '\u2028',
  '\ud83d',
  '\ud83d\ude00',
  '\u0000',
  '\t',
  ' ',
];
const VALUES = ['0', '-1', '2.5', '""', '"adam"', '"zeros"', 'true', 'null', '[]', '{}', '[2, 1]', '{"a": 1}'];

function int(rng: RandomState, n: number): number {
  return Math.floor(rng.randomSample() * n);
}

function pick<T>(rng: RandomState, items: readonly T[]): T {
  return items[int(rng, items.length)]!;
}

function tokens(text: string): { start: number; end: number }[] {
  return [...text.matchAll(TOKEN)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
}

type Mutation = (text: string, rng: RandomState) => string;

export const mutations: Record<string, Mutation> = {
  deleteChars(text, rng) {
    const at = int(rng, text.length + 1);
    return text.slice(0, at) + text.slice(at + 1 + int(rng, 4));
  },
  duplicateChars(text, rng) {
    const at = int(rng, text.length + 1);
    const piece = text.slice(at, at + 1 + int(rng, 12));
    return text.slice(0, at) + piece + text.slice(at);
  },
  swapTokens(text, rng) {
    const list = tokens(text);
    if (list.length < 2) return text;
    let [a, b] = [pick(rng, list), pick(rng, list)];
    if (a.start > b.start) [a, b] = [b, a];
    if (a.end > b.start) return text;
    return (
      text.slice(0, a.start) +
      text.slice(b.start, b.end) +
      text.slice(a.end, b.start) +
      text.slice(a.start, a.end) +
      text.slice(b.end)
    );
  },
  truncate(text, rng) {
    return text.slice(0, int(rng, text.length + 1));
  },
  hugeNumber(text, rng) {
    const numbers = tokens(text).filter((t) => /^-?\d/.test(text.slice(t.start, t.end)));
    const target = numbers.length ? pick(rng, numbers) : { start: int(rng, text.length + 1), end: 0 };
    const end = Math.max(target.start, target.end);
    return text.slice(0, target.start) + pick(rng, HUGE) + text.slice(end);
  },
  replaceValue(text, rng) {
    const list = tokens(text).filter((t) => !/^[{}[\]:,]$/.test(text.slice(t.start, t.end)));
    if (!list.length) return text;
    const t = pick(rng, list);
    return text.slice(0, t.start) + pick(rng, VALUES) + text.slice(t.end);
  },
  insertJunk(text, rng) {
    const at = int(rng, text.length + 1);
    return text.slice(0, at) + pick(rng, JUNK) + text.slice(at);
  },
  deepNesting(text, rng) {
    const at = int(rng, text.length + 1);
    const depth = pick(rng, [50, 300, 10000]);
    const open = pick(rng, ['[', '{"a":', '[{"b":']);
    const closed = rng.randomSample() < 0.5;
    const close = open === '[' ? ']' : open === '{"a":' ? '}' : '}]';
    return text.slice(0, at) + open.repeat(depth) + (closed ? '1' + close.repeat(depth) : '') + text.slice(at);
  },
};

const NAMES = Object.keys(mutations);

/** One to three mutations in a row; returns the new text and what was done (for failure messages). */
export function mutate(text: string, rng: RandomState): { text: string; applied: string[] } {
  const applied: string[] = [];
  let out = text;
  const count = 1 + int(rng, 3);
  for (let i = 0; i < count; i++) {
    const name = pick(rng, NAMES);
    applied.push(name);
    out = mutations[name]!(out, rng);
  }
  return { text: out, applied };
}

export { int, pick };
