// `npm test`: type check, then every test suite in order. Each suite is an npm script `test:<name>`;
// suites run one after the other (2 cores), and a failing suite does not stop the rest from running.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const order = ['unit', 'lsp', 'webview', 'e2e'];
const suites = ['typecheck', ...order.filter((s) => pkg.scripts[`test:${s}`]).map((s) => `test:${s}`)];
const unknown = Object.keys(pkg.scripts).filter((s) => s.startsWith('test:') && !suites.includes(s));
if (unknown.length) {
  console.error(`scripts/test-all.mjs: add ${unknown.join(', ')} to the suite order`);
  process.exit(1);
}

const outcomes = [];
for (const script of suites) {
  const started = Date.now();
  console.log(`\n=== npm run ${script}`);
  const run = spawnSync('npm', ['run', '--silent', script], { stdio: 'inherit', cwd: root });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  outcomes.push({ script, ok: run.status === 0, seconds });
}
console.log('\n=== summary');
for (const o of outcomes) console.log(`${o.ok ? 'ok  ' : 'FAIL'} ${o.script} (${o.seconds} s)`);
const failed = outcomes.filter((o) => !o.ok).length;
console.log(`suites: ${outcomes.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
