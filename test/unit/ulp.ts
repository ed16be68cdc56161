/** Test helper: how many representable doubles lie between a and b (0 when equal, Infinity across NaN). */
const view = new DataView(new ArrayBuffer(8));

function ordered(x: number): bigint {
  view.setFloat64(0, x);
  const bits = view.getBigInt64(0);
  // Map the sign-magnitude bit pattern onto a monotone integer line so that −0 and +0 coincide.
  return bits < 0n ? -(bits & 0x7fffffffffffffffn) : bits;
}

export function ulpDistance(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.POSITIVE_INFINITY;
  const d = ordered(a) - ordered(b);
  return Number(d < 0n ? -d : d);
}
