/** The experiment files' Node side: reading a file, and the file system's answers to the resolver's questions. */
export { datasetShape } from './dataShape';
export {
  cachedDataShape,
  dataAccess,
  dataShapesPending,
  dataShapesSettled,
  onDataShapesChanged,
  setDataAccess,
  type DataShapesChange,
} from './cachedDataShape';
export { moduleExists } from './files';
export { loadExperimentFile, type LoadedExperimentFile } from './load';
