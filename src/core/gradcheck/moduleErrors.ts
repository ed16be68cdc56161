import { describeThrown } from '../limits';

/** A model module broke the contract (or could not be loaded, threw, or hung); the message says how to fix it. */
export class ModelModuleError extends Error {
  override name = 'ModelModuleError';
}

/** "TypeError: … (at my_model.js:12:5)": the error and the first stack frame, so the user finds the line. */
export function describeError(e: unknown): string {
  if (!(e instanceof Error)) return `${describeThrown(e)} (a thrown value that is not an Error)`;
  const frame = e.stack
    ?.split('\n')
    .slice(1)
    .find((l) => !l.includes('node:internal') && !l.includes('gradcheck-worker'));
  const where = frame?.trim().replace(/^at /, '');
  return `${e.name}: ${e.message}${where ? ` (at ${where})` : ''}`;
}
