#!/usr/bin/env bash
# Remove or insert the demo's virtual card while `bash scripts/start.sh` runs (vpcd mode):
#   bash scripts/card.sh remove
#   bash scripts/card.sh insert [1.7|1.8]
set -euo pipefail
cd "$(dirname "$0")/.."
exec node scripts/card.mjs "$@"
