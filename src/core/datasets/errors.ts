/** A dataset could not be built or read. `file`/`line`/`column` locate CSV problems (1-based). */
export class DatasetError extends Error {
  constructor(
    message: string,
    readonly file?: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
    this.name = 'DatasetError';
  }
}

/** Rejects a sample count that is not a positive integer, naming the dataset. */
export function checkSamples(dataset: string, samples: number): void {
  if (!Number.isInteger(samples) || samples < 1) {
    throw new DatasetError(`${dataset}: samples must be a positive integer, got ${samples}`);
  }
}

export function checkNoise(dataset: string, noise: number): void {
  if (!(noise >= 0) || !Number.isFinite(noise)) {
    throw new DatasetError(`${dataset}: noise must be a finite number ≥ 0, got ${noise}`);
  }
}
