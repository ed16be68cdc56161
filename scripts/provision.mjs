// `npm run provision -- [debian] [code-server]` (default: both): installs what the suites need, idempotently and
// silently when already done. `npm test` calls it before the first suite that needs each part, and .ci/run calls it
// once up front, so every path provisions the same way.
//   debian       Debian's packages (scripts/provision.sh): chromium, python3 with numpy/scikit-learn/nbconvert for the
//                Python bridge's suite, and code-server's build headers; then checks the browser is there
//   code-server  Node 24 + code-server in $NNLAB_E2E_CACHE (scripts/e2e/provision-code-server.sh; it runs provision.sh too)
// Exits non-zero after one line on stderr that says what is missing and how to install it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const browser = process.env.NNLAB_CHROMIUM ?? '/usr/bin/chromium';
const parts = { debian: provisionDebian, 'code-server': provisionCodeServer };

function bash(script) {
  // stdout of provision-code-server.sh is its cache path, for the e2e driver; here only success matters.
  return spawnSync('bash', [join(root, script)], { stdio: ['ignore', 'ignore', 'inherit'] }).status;
}

function provisionDebian() {
  const status = bash('scripts/provision.sh');
  if (status !== 0) return `Debian packages could not be installed (scripts/provision.sh exit ${status})`;
  return existsSync(browser)
    ? undefined
    : `no browser at ${browser} after provisioning (set NNLAB_CHROMIUM to a Chromium)`;
}

function provisionCodeServer() {
  const status = bash('scripts/e2e/provision-code-server.sh');
  return status === 0
    ? undefined
    : `Node 24 + code-server could not be installed (scripts/e2e/provision-code-server.sh exit ${status})`;
}

const asked = process.argv.slice(2);
const unknown = asked.filter((p) => !(p in parts));
if (unknown.length) {
  console.error(`provision: unknown part ${unknown.join(', ')}; parts: ${Object.keys(parts).join(', ')}`);
  process.exit(2);
}
let failed = false;
for (const part of asked.length ? asked : Object.keys(parts)) {
  const started = Date.now();
  const problem = parts[part]();
  const seconds = (Date.now() - started) / 1000;
  if (problem) {
    console.error(`provision: ${part}: ${problem}`);
    failed = true;
  } else if (seconds > 2) console.error(`provision: ${part} ready in ${seconds.toFixed(0)} s`);
}
process.exit(failed ? 1 : 0);
