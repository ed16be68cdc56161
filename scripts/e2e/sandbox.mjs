// `npm run sandbox`: NN Lab in VS Code without installing VS Code. Provisions code-server (cached), packages the
// extension, installs it into a fresh profile under .cache/sandbox/, opens a copy of examples/ and prints the
// URL. Ctrl-C stops code-server and everything it started (its process group).
// Options: --port=N (default: a free port), --trust=false (open in Restricted Mode), NNLAB_SANDBOX_DIR.
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  freePort,
  installVsix,
  log,
  packageVsix,
  pkg,
  prepareRunDir,
  provision,
  root,
  startCodeServer,
} from './lib.mjs';

const arg = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const dir = process.env.NNLAB_SANDBOX_DIR ?? join(root, '.cache/sandbox');
const cs = provision();
const vsix = packageVsix(join(root, `${pkg.name}-${pkg.version}.vsix`));
prepareRunDir(join(dir, 'profile'));
installVsix(cs, join(dir, 'profile'), vsix);
// The examples are copied once and then kept, so your edits and run history survive a restart.
const workspace = join(dir, 'examples');
if (!existsSync(workspace)) {
  mkdirSync(workspace, { recursive: true });
  cpSync(join(root, 'examples'), workspace, { recursive: true });
}
// The examples name their schema as ../schemas/nnlab.schema.json; keep it current beside the copy.
cpSync(join(root, 'schemas'), join(dir, 'schemas'), { recursive: true });
const port = Number(arg('port') ?? (await freePort()));
const server = await startCodeServer(cs, {
  dir: join(dir, 'profile'),
  port,
  folder: workspace,
  trust: arg('trust') !== 'false',
  logFile: join(dir, 'code-server.log'),
});
let stopping = false;
const stop = (signal) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping code-server (process group ${server.child.pid})`);
  server.stop();
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
server.child.on('exit', () => {
  log('code-server stopped');
  process.exit(0);
});
log(
  `code-server ${cs.codeServerVersion} (VS Code ${cs.vscodeVersion}) with ${pkg.displayName} ${pkg.version}, log: ${join(dir, 'code-server.log')}`,
);
console.log(`\n  NN Lab sandbox: ${server.url}/?folder=${encodeURIComponent(workspace)}\n\n  Press Ctrl-C to stop.\n`);
