#!/usr/bin/env bash
# The one command that runs every test: installs what is missing, starts the daemons the
# tests use (pcscd with the vpcd readers, cupsd, a PostgreSQL cluster for the DS), then runs the
# whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/services.sh pcscd cupsd postgres
exec pnpm test "$@"
