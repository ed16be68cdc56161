/**
 * Loads a user's model module (.js, .cjs, .mjs through Node's own loader; .ts transpiled with esbuild first) and
 * checks that it exports the contract's functions. Runs inside the module worker (src/worker/moduleWorker.ts), never
 * in the editor or CLI process. Node only.
 */
import { readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname, extname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describeError, ModelModuleError } from '../../core/gradcheck/moduleErrors';
import type { ModelModule } from '../../core/gradcheck/moduleProblem';

const CONTRACT =
  'a model module exports forward(params, X, Y) and backward(params, X, Y, cache), and optionally setup(nn) (see docs/model-modules.md)';

type Exports = Record<string, unknown>;

function loadTypeScript(file: string, label: string): Exports {
  type Esbuild = { transformSync(code: string, options: object): { code: string } };
  // NN Lab's own install first, then the module's project (which may have esbuild itself).
  let esbuild: Esbuild | undefined;
  for (const from of [__filename, file]) {
    try {
      esbuild = createRequire(from)('esbuild') as Esbuild;
      break;
    } catch {
      // try the next place
    }
  }
  if (!esbuild) {
    throw new ModelModuleError(
      `${label}: loading a .ts module needs the esbuild package (npm install esbuild), or write the module in JavaScript`,
    );
  }
  const source = readFileSync(file, 'utf8');
  const { code } = esbuild.transformSync(source, {
    loader: 'ts',
    format: 'cjs',
    sourcefile: file,
    sourcemap: 'inline',
    target: 'node20',
  });
  // Compile as a CommonJS module of that path, so its own relative requires resolve next to it.
  const m = new Module(file) as Module & { _compile(code: string, file: string): void };
  m.filename = file;
  m.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(dirname(file));
  m._compile(code, file);
  return m.exports as Exports;
}

/** Imports `file` (absolute) and returns its contract functions; `label` is how errors name it. */
export async function loadModelModule(file: string, label: string): Promise<ModelModule> {
  const ext = extname(file);
  if (!['.js', '.cjs', '.mjs', '.ts', '.mts', '.cts'].includes(ext)) {
    throw new ModelModuleError(
      `${label}: model modules are .js, .cjs, .mjs or .ts files, not "${ext || 'no extension'}"`,
    );
  }
  let ns: Exports;
  try {
    ns = ext.endsWith('ts') ? loadTypeScript(file, label) : ((await import(pathToFileURL(file).href)) as Exports);
  } catch (e) {
    if (e instanceof ModelModuleError) throw e;
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes(file)) {
      throw new ModelModuleError(`${label}: file not found`);
    }
    throw new ModelModuleError(`${label}: loading the module threw ${describeError(e)}`);
  }
  // CommonJS modules arrive as { default: module.exports, …named }; ESM as their namespace.
  const fromDefault = (ns.default && typeof ns.default === 'object' ? ns.default : {}) as Exports;
  const pick = (name: string) => (typeof ns[name] === 'function' ? ns[name] : fromDefault[name]);
  const forward = pick('forward');
  const backward = pick('backward');
  const setup = pick('setup');
  if (typeof forward !== 'function' && typeof backward !== 'function') {
    throw new ModelModuleError(`${label} exports no forward or backward function; ${CONTRACT}`);
  }
  for (const [name, fn, signature] of [
    ['forward', forward, 'forward(params, X, Y)'],
    ['backward', backward, 'backward(params, X, Y, cache)'],
  ] as const) {
    if (typeof fn !== 'function')
      throw new ModelModuleError(
        `${label} does not export ${signature} (found ${typeof fn} for "${name}"); ${CONTRACT}`,
      );
  }
  if (setup !== undefined && typeof setup !== 'function') {
    throw new ModelModuleError(
      `${label}: "setup" must be a function setup(nn) returning { params, X, Y }, found ${typeof setup}`,
    );
  }
  return { forward, backward, ...(setup ? { setup } : {}) } as ModelModule;
}
