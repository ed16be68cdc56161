#!/usr/bin/env bash
# Installs the machine-level packages NN Lab's tests need, idempotently: Debian's chromium (webview and e2e
# tests) and the native-build packages code-server's install compiles against. Node 24 and code-server
# themselves are installed by scripts/e2e/provision-code-server.sh, into a git-ignored cache.
set -euo pipefail
need=()
for p in chromium libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config python3 make g++; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${need[@]}"
fi
