/** The experiment-file format: schema, parsing, validation and resolution (see docs/experiment-files.md). */
export * from './schema';
export * from './diagnostics';
export { parseJsonc, propertyNode, type ParsedJsonc, type JsonNode } from './jsonc';
export { suggest } from './suggest';
export { adviseExperiment, type Advice } from './advice';
export { generatedShape, type DataShape, type DataShapeProvider } from './dataShape';
export {
  resolveExperimentText,
  type ResolveOptions,
  type ResolvedFile,
  type ExperimentEntry,
  type ResolvedSweep,
  type SweepTrial,
} from './resolve';
