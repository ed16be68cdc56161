/**
 * The one number grammar of CSV cells (docs/experiment-files.md, "CSV numbers"):
 *
 *     cell   = space* number space*        space = " " | "\t"
 *     number = [+-]? (digits ("." digits?)? | "." digits) ([eE] [+-]? digits)?
 *
 * Decimal only: NaN, Infinity, hexadecimal (0x10), binary (0b1), octal (0o7), digit separators and empty cells are
 * rejected, and so is a number beyond float64 (1e400). The value is the correctly rounded float64 of the decimal,
 * the same bits as JavaScript's Number() and numpy's float(): when the digits fit Clinger's fast path (a mantissa
 * below 10^15 and a power of ten up to 10^22, both exact in float64, so one multiplication or division rounds
 * once) it is computed here from the bytes; otherwise Number() of the cell's text decides.
 */

/** 10^0 … 10^22: every one exact in float64. */
const POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));

const SPACE = 0x20;
const TAB = 0x09;
const ZERO = 0x30;
const PLUS = 0x2b;
const MINUS = 0x2d;
const DOT = 0x2e;

/** Where scanNumber stopped: the first byte after the number and the spaces that follow it. */
export const scanned = { end: 0 };

/**
 * Parses the number that starts at bytes[from] (after optional spaces) and ends before `to` or at the first byte
 * that cannot continue it; `scanned.end` is where it stopped, past trailing spaces. Returns NaN when no number
 * following the grammar starts there or it is out of range (a valid number is never NaN): the caller checks that
 * the cell ends at `scanned.end` and asks `cellProblem` why a cell failed. One pass over the bytes, no allocation.
 */
export function scanNumber(bytes: Uint8Array, from: number, to: number): number {
  let i = from;
  let b = 0;
  while (i < to && ((b = bytes[i]!) === SPACE || b === TAB)) i++;
  const start = i;
  let negative = false;
  if (i < to && ((b = bytes[i]!) === PLUS || b === MINUS)) {
    negative = b === MINUS;
    i++;
  }
  // Digits go into the mantissa while it stays below 10^15 (exact in float64); a digit that no longer fits sends the
  // cell to Number(). Leading zeros add nothing, so they never count against the 15.
  let mantissa = 0;
  let scale = 0;
  let digits = 0;
  let exact = true;
  for (; i < to; i++) {
    b = bytes[i]! - ZERO;
    if (b < 0 || b > 9) break;
    digits++;
    if (mantissa < 1e14) mantissa = mantissa * 10 + b;
    else exact = false;
  }
  if (i < to && bytes[i] === DOT) {
    for (i++; i < to; i++) {
      b = bytes[i]! - ZERO;
      if (b < 0 || b > 9) break;
      digits++;
      if (mantissa < 1e14) {
        mantissa = mantissa * 10 + b;
        scale--;
      } else exact = false;
    }
  }
  if (digits === 0) {
    scanned.end = i;
    return NaN;
  }
  if (i < to && ((b = bytes[i]!) === 0x65 || b === 0x45)) {
    i++;
    let exponentNegative = false;
    if (i < to && ((b = bytes[i]!) === PLUS || b === MINUS)) {
      exponentNegative = b === MINUS;
      i++;
    }
    let exponent = 0;
    let exponentDigits = 0;
    for (; i < to; i++) {
      b = bytes[i]! - ZERO;
      if (b < 0 || b > 9) break;
      exponentDigits++;
      // Past 10^6 the value is 0 or ∞ whatever the digits; Number() below decides which.
      if (exponent < 1e6) exponent = exponent * 10 + b;
    }
    if (exponentDigits === 0) {
      scanned.end = i;
      return NaN;
    }
    scale += exponentNegative ? -exponent : exponent;
  }
  const numberEnd = i;
  while (i < to && ((b = bytes[i]!) === SPACE || b === TAB)) i++;
  scanned.end = i;
  let value: number;
  if (exact && scale >= -22 && scale <= 22) {
    value = scale < 0 ? mantissa / POW10[-scale]! : mantissa * POW10[scale]!;
    return negative ? -value : value;
  }
  // More digits than fit, or a far exponent: the grammar is already checked, Number() rounds.
  value = Number(latin1(bytes, start, numberEnd));
  return Number.isFinite(value) ? value : NaN;
}

/** Parses bytes[from, to) as one whole cell: NaN unless the cell is exactly one number (and spaces). */
export function parseCell(bytes: Uint8Array, from: number, to: number): number {
  const value = scanNumber(bytes, from, to);
  return scanned.end === to ? value : NaN;
}

function latin1(bytes: Uint8Array, from: number, to: number): string {
  let text = '';
  for (let i = from; i < to; i++) text += String.fromCharCode(bytes[i]!);
  return text;
}

/** Why a cell that parseCell refused is not a number, for the error message (the cell's text, trimmed). */
export function cellProblem(text: string): string {
  if (text === '') return 'the cell is empty';
  if (/^[+-]?0[xX]/.test(text)) return `"${text}" is hexadecimal; only decimal numbers are accepted`;
  if (/^[+-]?0[bB]/.test(text)) return `"${text}" is binary; only decimal numbers are accepted`;
  if (/^[+-]?0[oO]/.test(text)) return `"${text}" is octal; only decimal numbers are accepted`;
  if (/^[+-]?(nan|inf|infinity)$/i.test(text))
    return `"${text}" is not a finite number; only finite decimal numbers are accepted`;
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text))
    return `"${text}" is beyond the float64 range (about ±1.8e308)`;
  return `"${text}" is not a number`;
}
