// `npm test`: type check, then every test suite in order. Each suite is an npm script `test:<name>`;
// suites run one after the other (2 cores), and a failing suite does not stop the rest from running.
// Before the first suite that needs Debian's packages (Python, Chromium) or code-server, `npm run provision` installs it (a no-op when it is
// there); where that fails, the suites that need it are reported failed at once instead of timing out.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const order = ['unit', 'charts', 'python', 'lsp', 'hostile', 'webview', 'e2e'];
/** What each suite needs from `npm run provision`, in the order it is provisioned. */
const needs = { 'test:python': ['debian'], 'test:webview': ['debian'], 'test:e2e': ['debian', 'code-server'] };
const suites = ['typecheck', 'lint', ...order.filter((s) => pkg.scripts[`test:${s}`]).map((s) => `test:${s}`)];
const unknown = Object.keys(pkg.scripts).filter((s) => s.startsWith('test:') && !suites.includes(s));
if (unknown.length) {
  console.error(`scripts/test-all.mjs: add ${unknown.join(', ')} to the suite order`);
  process.exit(1);
}

const npm = (args) => spawnSync('npm', ['run', '--silent', ...args], { stdio: 'inherit', cwd: root });
const provisioned = new Map();
/** Provisions each part once per `npm test`; returns the parts that could not be provisioned. */
function provision(parts) {
  for (const part of parts) {
    if (provisioned.has(part)) continue;
    const started = Date.now();
    const ok = npm(['provision', '--', part]).status === 0;
    provisioned.set(part, ok);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    outcomes.push({ script: `provision ${part}`, ok, seconds });
  }
  return parts.filter((part) => !provisioned.get(part));
}

const outcomes = [];
for (const script of suites) {
  const missing = provision(needs[script] ?? []);
  if (missing.length) {
    console.log(`\n=== npm run ${script}: not run, ${missing.join(' and ')} could not be provisioned (see above)`);
    outcomes.push({ script, ok: false, seconds: '0.0' });
    continue;
  }
  const started = Date.now();
  console.log(`\n=== npm run ${script}`);
  const run = npm([script]);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  outcomes.push({ script, ok: run.status === 0, seconds });
}
console.log('\n=== summary');
for (const o of outcomes) console.log(`${o.ok ? 'ok  ' : 'FAIL'} ${o.script} (${o.seconds} s)`);
const failed = outcomes.filter((o) => !o.ok).length;
console.log(`steps: ${outcomes.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
