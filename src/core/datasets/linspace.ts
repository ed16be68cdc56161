/**
 * numpy's `linspace(start, stop, num, endpoint)` computed the way numpy 1.24 does it: i·step + start with
 * step = (stop − start)/div, and with endpoint the last element set to stop. Sample positions on the moons and
 * circles depend on this exact rounding.
 */
export function linspace(start: number, stop: number, num: number, endpoint = true): Float64Array {
  const out = new Float64Array(num);
  const div = endpoint ? num - 1 : num;
  const delta = stop - start;
  if (div > 0) {
    const step = delta / div;
    // numpy divides then multiplies when the step underflows to zero; keep that branch for fidelity.
    if (step === 0) for (let i = 0; i < num; i++) out[i] = (i / div) * delta + start;
    else for (let i = 0; i < num; i++) out[i] = i * step + start;
  } else {
    for (let i = 0; i < num; i++) out[i] = i * delta + start;
  }
  if (endpoint && num > 1) out[num - 1] = stop;
  return out;
}
