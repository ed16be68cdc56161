/** The messages between the host and the model-module worker (moduleWorker.ts). Plain data, structured-cloned. */
import type { CheckOptions, GradcheckReport } from './check';
import type { ModuleSetup } from './moduleProblem';

/** Host → worker, as workerData. */
export interface ModuleJob {
  /** Absolute path of the module. */
  file: string;
  /** How messages name the module (the path as the experiment file writes it). */
  label: string;
  /** The experiment's data and initial parameters, for modules without setup(); or why they could not be made. */
  fallback?: ModuleSetup | { error: string };
  options: CheckOptions;
}

/** Worker → host. */
export type ModuleWorkerMessage =
  | { type: 'phase'; phase: 'load' | 'setup' | 'forward' | 'backward' }
  | { type: 'entry'; tensor: string; index: [number, number] }
  | { type: 'report'; report: GradcheckReport }
  | { type: 'error'; message: string };
