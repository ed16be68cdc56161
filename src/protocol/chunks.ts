/**
 * Where a progress chunk goes, for both of its receivers: the runner's cost history (from the worker's progress
 * messages) and the panel's copy in the webview (from the host's). Each chunk names the index of its first value.
 */

/**
 * Writes `values` into `into` from `first`: a repeated chunk cannot duplicate points, and a gap (a lost chunk) is
 * NaN so later indices stay aligned. Returns the indices that are new points (an overlap only corrects values).
 */
export function placeChunk(into: number[], first: number, values: ArrayLike<number>): { from: number; to: number } {
  const before = into.length;
  for (let i = into.length; i < first; i++) into.push(Number.NaN);
  for (let i = 0; i < values.length; i++) into[first + i] = values[i]!;
  return { from: Math.max(before, first), to: into.length };
}
