/** A model module broke the contract (or could not be loaded, threw, or hung); the message says how to fix it. */
export class ModelModuleError extends Error {
  override name = 'ModelModuleError';
}
