/** "Did you mean" candidates by edit distance, for unknown keys and enum values. */

/**
 * Optimal-string-alignment distance (Levenshtein plus swapping two neighbours, the commonest typo: `adma`),
 * case-insensitive so `learningrate` is close to `learningRate`.
 */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const rows: number[][] = [Array.from({ length: t.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= s.length; i++) {
    const row = [i];
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      row.push(d);
    }
    rows.push(row);
  }
  return rows[s.length]![t.length]!;
}

/**
 * The closest candidates, best first. A candidate qualifies when it is within a third of the longer word's
 * length (at least 1, at most 3 edits), or when one word contains the other (`lr` is not enough, `rate` in
 * `learningRate` is).
 */
export function suggest(word: string, candidates: readonly string[], max = 3): string[] {
  const scored: { c: string; d: number }[] = [];
  for (const c of candidates) {
    const d = editDistance(word, c);
    const limit = Math.min(3, Math.max(1, Math.floor(Math.max(word.length, c.length) / 3)));
    const contains = word.length >= 3 && c.toLowerCase().includes(word.toLowerCase());
    if (d <= limit || contains) scored.push({ c, d });
  }
  scored.sort((x, y) => x.d - y.d || x.c.localeCompare(y.c));
  return scored.slice(0, max).map((s) => s.c);
}

/** ` (did you mean "x"?)`-style suffix, or '' without candidates. */
export function didYouMean(suggestions: readonly string[]): string {
  if (suggestions.length === 0) return '';
  return `; did you mean ${suggestions.map((s) => JSON.stringify(s)).join(' or ')}?`;
}
