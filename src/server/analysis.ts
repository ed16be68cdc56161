/**
 * One parse and one validation per document version, shared by every feature (diagnostics, lenses, symbols,
 * completion, quick fixes), so a burst of requests after a keystroke costs one pass over the text.
 * The problems come from src/core/experiment's resolveExperimentText, the same code `nnlab run` runs.
 * The full analysis is also available in steps (analysisSteps), which scheduler.ts runs in time slices; features
 * that need only the syntax tree (hover, completion, outline) read syntaxOf, which is a parse and never waits.
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { LineIndex, makeDiagnostic, type Diagnostic } from '../core/experiment/diagnostics';
import { parseJsonc, type JsonNode } from '../core/experiment/jsonc';
import type { DataShapeProvider } from '../core/experiment/dataShape';
import { resolveExperimentSteps, type ExperimentEntry } from '../core/experiment/resolve';
import { cachedDataShape, moduleExists } from '../node/experiment';

export interface Analysis {
  version: number;
  root: JsonNode | undefined;
  /** Syntax errors, validation errors and tutor warnings, in document order. */
  problems: Diagnostic[];
  /** Every `experiments` entry as the core resolved it (name, key span, and for sweeps their trials). */
  entries: ExperimentEntry[];
  /**
   * A data file's shape was still being checked in the background, so the checks that need it were skipped: the
   * server analyses this version again when the check finishes.
   */
  awaitingData: boolean;
}

const cache = new Map<string, Analysis>();
const syntaxCache = new Map<string, { version: number; root: JsonNode | undefined }>();
/** The worker memory limit validation checks networks against (`nnlab.workerMemoryMb`). */
let workerMemoryMb: number | undefined;

/** A changed limit: every document is analysed again on its next request. */
export function setWorkerMemoryMb(mb: number): void {
  if (mb === workerMemoryMb) return;
  workerMemoryMb = mb;
  cache.clear();
}

/** CSV paths and model modules are relative to the file; an unsaved document has no folder, so use the cwd. */
function baseDirOf(uri: string): string {
  try {
    return uri.startsWith('file:') ? dirname(fileURLToPath(uri)) : process.cwd();
  } catch {
    return process.cwd();
  }
}

/** The finished analysis of exactly this version, if there is one. */
export function cachedAnalysis(doc: TextDocument): Analysis | undefined {
  const cached = cache.get(doc.uri);
  return cached && cached.version === doc.version ? cached : undefined;
}

/** The analysis of `doc`, computed in steps (each yield is a point where a stale analysis may stop). */
export function* analysisSteps(doc: TextDocument): Generator<void, Analysis> {
  const cached = cachedAnalysis(doc);
  if (cached) return cached;
  const text = doc.getText();
  let analysis: Analysis;
  let awaitingData = false;
  const dataShape: DataShapeProvider = (data, baseDir) => {
    const shape = cachedDataShape(data, baseDir);
    if (shape === undefined && data.dataset === 'csv') awaitingData = true;
    return shape;
  };
  try {
    const resolved = yield* resolveExperimentSteps(text, {
      baseDir: baseDirOf(doc.uri),
      dataShape,
      moduleExists,
      ...(workerMemoryMb === undefined ? {} : { workerMemoryMb }),
    });
    analysis = {
      version: doc.version,
      root: resolved.root,
      problems: resolved.diagnostics,
      entries: resolved.entries,
      awaitingData,
    };
  } catch (e) {
    // A bug in the checks must not cost the user every other feature: report it where it is seen.
    analysis = { version: doc.version, root: undefined, problems: [internalError(text, e)], entries: [], awaitingData };
  }
  cache.set(doc.uri, analysis);
  return analysis;
}

/** The whole analysis at once (the benchmark's in-process measure, and any caller that must have it now). */
export function analyze(doc: TextDocument): Analysis {
  const steps = analysisSteps(doc);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** The syntax tree of this version: the analysis's when it is done, else a parse of its own (milliseconds). */
export function syntaxOf(doc: TextDocument): JsonNode | undefined {
  const analysed = cachedAnalysis(doc);
  if (analysed) return analysed.root;
  const cached = syntaxCache.get(doc.uri);
  if (cached && cached.version === doc.version) return cached.root;
  const root = parseJsonc(doc.getText()).root;
  syntaxCache.set(doc.uri, { version: doc.version, root });
  return root;
}

function internalError(text: string, e: unknown): Diagnostic {
  const message = `NN Lab could not check this file (${e instanceof Error ? e.message : String(e)}); please report it`;
  return makeDiagnostic(new LineIndex(text), { code: 'internal', message, path: [], offset: 0, length: 0 });
}

export function forget(uri: string): void {
  cache.delete(uri);
  syntaxCache.delete(uri);
}
