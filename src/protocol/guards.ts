/**
 * What every protocol module's guards share: the error they throw, the first check of any message and the field
 * checks that mean the same on every boundary. Both sides of a boundary receive untrusted values (a webview's script,
 * a worker's posted data), so each guard turns `unknown` into a typed message or a ProtocolError that names the
 * offending field.
 */

/** Thrown by the guards; the message names the offending field. */
export class ProtocolError extends Error {
  override name = 'ProtocolError';
}

export type Rec = Record<string, unknown>;

/** A string, or a ProtocolError naming `what`. */
export function str(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new ProtocolError(`${what}: expected a string`);
  return value;
}

/** A plain object (not null, not an array), or a ProtocolError naming `what`. */
export function record(value: unknown, what: string): Rec {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ProtocolError(`${what}: expected an object`);
  }
  return value as Rec;
}

/** A boolean, or a ProtocolError naming `what`. */
export function bool(value: unknown, what: string): boolean {
  if (typeof value !== 'boolean') throw new ProtocolError(`${what}: expected a boolean`);
  return value;
}

/** An array whose every item passes `item` (called with the item's own name, `what[i]`), or a ProtocolError. */
export function array<T>(value: unknown, what: string, item: (v: unknown, what: string) => T): T[] {
  if (!Array.isArray(value)) throw new ProtocolError(`${what}: expected an array`);
  return value.map((v, i) => item(v, `${what}[${i}]`));
}
