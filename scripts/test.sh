#!/usr/bin/env bash
# The one command that runs every test: installs what is missing, starts the daemons the
# tests use (pcscd with the vpcd readers, cupsd), then runs the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/services.sh pcscd cupsd
exec pnpm test "$@"
