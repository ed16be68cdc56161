/**
 * When a run has diverged. Non-finite parameters or cost always count. Beyond that, a cost far above where the run
 * started: more than DIVERGENCE_FACTOR times the first batch's cost before any update (or 1, if that is smaller).
 *
 * Why 10^4: cross-entropy from logits grows like the margin |z| of a confidently wrong logit, so an average cost
 * of 10^4 means logits ten thousand units on the wrong side, which no learning run passes through. A healthy
 * start costs about ln(classes) (0.69 for two classes: limit 10^4), and the course's random×10 init starts near
 * 1773 (limit 1.8·10^7) and only falls. A too-large learning rate (1e200) reaches 10^197 within an epoch.
 * See docs/experiment-files.md, "Divergence".
 */
export const DIVERGENCE_FACTOR = 1e4;

/** The cost above which a run that started at `startCost` has diverged. */
export function divergenceLimit(startCost: number): number {
  return DIVERGENCE_FACTOR * Math.max(1, startCost);
}
