/**
 * The schema's defaults under a config's given values. resolve.ts builds every config this way, and run history
 * fills in keys that were added after a run was stored.
 */
import type { DataConfig, ExperimentConfig, ModelConfig, TrainConfig } from '../types';
import { experimentSections, type Field, type ObjectFieldOf } from './schema';

/**
 * One section's given values over the schema's defaults. The section's fields are FieldsOf<T> (schema.ts), so every
 * key T always has is either required (checkRequired reports it missing, and a config with errors never runs) or
 * has a default of its type: the one claim the compiler cannot see is that `given` passed the schema's checks.
 */
export function withDefaults<T>(section: ObjectFieldOf<T>, given: Record<string, unknown>): T {
  const out: Record<string, unknown> = {};
  for (const [k, field] of Object.entries<Field>(section.properties)) {
    if (given[k] !== undefined) out[k] = given[k];
    // Only object defaults need a copy; structuredClone per scalar key showed up in the language server's profile.
    else if (field.default !== undefined)
      out[k] = typeof field.default === 'object' ? structuredClone(field.default) : field.default;
  }
  return out as T;
}

/**
 * A stored config (run history) with the keys NN Lab added after it was written filled from the schema's defaults:
 * a run from before `costEvery` existed recorded every epoch, which is the default.
 */
export function withSchemaDefaults(config: ExperimentConfig): ExperimentConfig {
  return {
    ...config,
    data: withDefaults<DataConfig>(experimentSections.data, { ...config.data }),
    model: withDefaults<ModelConfig>(experimentSections.model, { ...config.model }),
    train: withDefaults<TrainConfig>(experimentSections.train, { ...config.train }),
  };
}
