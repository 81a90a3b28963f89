#!/usr/bin/env bash
# Installs everything the project needs on a fresh Debian 12 machine with Node.js 20:
# Debian packages (PC/SC, virtual reader, OpenSC, CUPS, Chromium, NSS tools, PostgreSQL),
# the pinned pnpm, and the workspace's node modules. Idempotent: a warm machine skips work.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(pcscd libpcsclite-dev vsmartcard-vpcd opensc pcsc-tools softhsm2 cups
  printer-driver-cups-pdf chromium libnss3-tools postgresql haproxy openssl)
PNPM_VERSION=$(node -p "require('./package.json').packageManager.split('@')[1]")

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
  echo "setup: installing pnpm $PNPM_VERSION"
  npm install -g "pnpm@$PNPM_VERSION" >/dev/null 2>&1
fi

# Native modules (better-sqlite3, pcsclite) compile against the system's Node headers.
export npm_config_nodedir=${npm_config_nodedir:-/usr}
pnpm install --frozen-lockfile --reporter=append-only | tail -n 3
