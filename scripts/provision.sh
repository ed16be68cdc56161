#!/usr/bin/env bash
# Installs the machine-level packages NN Lab's tests need, idempotently: Debian's chromium (webview and e2e
# tests) and the native-build packages code-server's install compiles against. Node 24 and code-server
# themselves are installed by scripts/e2e/provision-code-server.sh, into a git-ignored cache.
# Exit 3, with one line saying what to install, where packages are missing and cannot be installed here.
set -euo pipefail
need=()
for p in chromium libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config python3 make g++ \
  python3-numpy python3-sklearn jupyter-nbconvert python3-ipykernel python3-nbformat; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
[ ${#need[@]} -eq 0 ] && exit 0
cannot() {
  echo "provision: cannot install Debian packages here ($1); install them, then run npm test again: apt-get install -y ${need[*]}" >&2
  exit 3
}
command -v apt-get >/dev/null 2>&1 || cannot "no apt-get"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null || cannot "not root, and no password-less sudo"
  SUDO="sudo -n"
fi
echo "provision: installing Debian packages: ${need[*]}" >&2
log=$(mktemp -t nnlab-apt-XXXXXX.log)
if ! { $SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${need[@]}"; } >"$log" 2>&1; then
  tail -n 30 "$log" >&2
  echo "provision: apt-get failed (whole log: $log)" >&2
  exit 1
fi
rm -f "$log"
