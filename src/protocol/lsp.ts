/**
 * The contract between the NN Lab language client (src/extension) and the language server (src/server).
 *
 * Imports nothing: both sides import this file, and neither `vscode` nor the DOM may leak into it.
 *
 * What the client must do:
 * - attach the server to documents of language {@link LANGUAGE_ID} (package.json maps `*.nnlab.json` to it; the
 *   server itself does not check the id, so other editors may send `json` or `jsonc`);
 * - pass {@link InitializationOptions} (optional; the server falls back to {@link DEFAULT_SETTINGS});
 * - either answer `workspace/configuration` for section {@link SETTINGS_SECTION} or push the settings in
 *   `workspace/didChangeConfiguration` as `{ settings: { nnlab: … } }` (vscode-languageclient does the former
 *   when `synchronize.configurationSection: 'nnlab'` is set);
 * - register the commands in {@link Commands}; code lenses carry them with the typed arguments below.
 */

/**
 * The language id of experiment files in VS Code. Not `jsonc`: VS Code's JSON service would then validate them
 * against their `$schema` too, and every mistake would be reported twice. The server formats them instead.
 */
export const LANGUAGE_ID = 'nnlab';

/** Command ids carried by the server's code lenses; the extension registers a handler for each. */
export const Commands = {
  /**
   * Train one experiment; for an experiment with `sweep`, all of its trials (the lens then reads
   * `▶ Run sweep (N trials)`). Argument: {@link ExperimentCommandArgs}.
   */
  runExperiment: 'nnlab.runExperiment',
  /** Gradient-check one experiment's model. Argument: {@link ExperimentCommandArgs}. */
  checkGradients: 'nnlab.checkGradients',
  /** Train every experiment in the file and compare them. Argument: {@link CompareCommandArgs}. */
  compareExperiments: 'nnlab.compareExperiments',
  /** Export one experiment as a numpy script or notebook (the user picks). Argument: {@link ExperimentCommandArgs}. */
  exportNumpy: 'nnlab.exportNumpy',
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];

/** Arguments of `nnlab.runExperiment`, `nnlab.checkGradients` and `nnlab.exportNumpy` (server → client, inside a code lens). */
export interface ExperimentCommandArgs {
  /** The document's URI as the client sent it in didOpen. */
  uri: string;
  /** The experiment's key under `experiments`. */
  experiment: string;
}

/** Arguments of `nnlab.compareExperiments` (server → client, inside a code lens). */
export interface CompareCommandArgs {
  uri: string;
  /** Experiment keys in document order. */
  experiments: string[];
}

/** The configuration section the server reads (`nnlab.*` settings). */
export const SETTINGS_SECTION = 'nnlab';

/** The settings the server honours, as they appear under `nnlab` in the user's settings. */
export interface ServerSettings {
  codeLens: {
    /** `nnlab.codeLens.enabled`: false hides every lens. */
    enabled: boolean;
  };
  data: {
    /** `nnlab.data.maxFileMb`: larger data files are not read (an error at `data.path`). */
    maxFileMb: number;
  };
  /** `nnlab.workerMemoryMb`: networks that cannot train within it are errors at `model.layers`. */
  workerMemoryMb: number;
}

export const DEFAULT_SETTINGS: ServerSettings = {
  codeLens: { enabled: true },
  data: { maxFileMb: 512 },
  workerMemoryMb: 1024,
};

/** `initialize` params' `initializationOptions` (client → server). */
export interface InitializationOptions {
  /** The `nnlab` settings at start-up, so the first lenses already respect them. */
  settings?: unknown;
  /**
   * Whether the workspace is trusted (absent: trusted, for other editors). Untrusted, the server reads data files
   * only inside the workspace folders of `initialize`.
   */
  trusted?: boolean;
}

/** Client → server notification: the user trusted the workspace (no params); data outside its folders may be read. */
export const WORKSPACE_TRUSTED_NOTIFICATION = 'nnlab/workspaceTrusted';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads settings from untrusted input (the client's configuration answer or a didChangeConfiguration payload):
 * anything missing or of the wrong type keeps its value from `base`.
 */
export function settingsFrom(value: unknown, base: ServerSettings = DEFAULT_SETTINGS): ServerSettings {
  const codeLens = isRecord(value) && isRecord(value.codeLens) ? value.codeLens : {};
  const data = isRecord(value) && isRecord(value.data) ? value.data : {};
  const maxFileMb = typeof data.maxFileMb === 'number' && data.maxFileMb > 0 ? data.maxFileMb : base.data.maxFileMb;
  return {
    codeLens: { enabled: typeof codeLens.enabled === 'boolean' ? codeLens.enabled : base.codeLens.enabled },
    data: { maxFileMb },
    workerMemoryMb:
      isRecord(value) && typeof value.workerMemoryMb === 'number' && value.workerMemoryMb >= 16
        ? value.workerMemoryMb
        : base.workerMemoryMb,
  };
}

/** Guards a command argument on the client side: a lens argument is a typed message crossing a boundary. */
export function experimentArgsFrom(value: unknown): ExperimentCommandArgs {
  if (isRecord(value) && typeof value.uri === 'string' && typeof value.experiment === 'string') {
    return { uri: value.uri, experiment: value.experiment };
  }
  throw new Error('expected { uri: string, experiment: string }');
}

export function compareArgsFrom(value: unknown): CompareCommandArgs {
  if (
    isRecord(value) &&
    typeof value.uri === 'string' &&
    Array.isArray(value.experiments) &&
    value.experiments.every((e) => typeof e === 'string')
  ) {
    return { uri: value.uri, experiments: [...value.experiments] };
  }
  throw new Error('expected { uri: string, experiments: string[] }');
}
