#!/usr/bin/env bash
# The one command that starts the whole system on an embedded default (see README).
set -euo pipefail
cd "$(dirname "$0")/.."
# start-all.mjs prints the time from here to "running".
export CARDLINK_START_T0=${CARDLINK_START_T0:-$(date +%s%3N)}
bash scripts/setup.sh
bash scripts/services.sh pcscd
# Printing (the demo's Print page) needs cupsd; the rest works without it.
bash scripts/services.sh cupsd || echo "start: cupsd could not be started; printing is unavailable"
pnpm --silent codegen >/dev/null
pnpm --filter @cardlink/connector run build >/dev/null
exec node scripts/start-all.mjs "$@"
