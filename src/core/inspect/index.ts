/**
 * Seeing inside a run: bounded parameter snapshots (replay, optimizer paths), per-layer signals measured every few
 * epochs on a budget, and diagnoses in words.
 *
 *   new InspectionRecorder(model, epochs, train) → pass as TrainHooks.probe, then .finish(epochsRun, P) → Inspection
 *   snapshotEpochs(epochs), probeEpochs(epochs) → which epochs are kept / measured (schedule.ts)
 *   diagnose(signalEpochs, layers) → Diagnosis[] (thresholds in diagnose.ts)
 */
export { InspectionRecorder } from './recorder';
export {
  MAX_PROBES,
  MAX_SNAPSHOTS,
  MIN_PROBE_EXAMPLES,
  MIN_PROBES,
  PROBE_EVERY,
  PROBE_EXAMPLES,
  PROBE_SHARE,
  probeEpochs,
  probePlan,
  snapshotEpochs,
  spacedEpochs,
  type ProbePlan,
} from './schedule';
export { DEAD_MIN_UNITS, DEAD_SHARE, diagnose, SATURATED_SHARE, SYMMETRIC_DISTANCE } from './diagnose';
export { measureLayers, signalProbe, SATURATION_MARGIN } from './signals';
export { asInspection, checkInspection } from './check';
