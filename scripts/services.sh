#!/usr/bin/env bash
# Starts the local daemons the tests and the demo use (no systemd here): pcscd with the
# vpcd virtual readers, cupsd with the cups-pdf printer. Idempotent.
set -euo pipefail

start_pcscd() {
  if ! pgrep -x pcscd >/dev/null; then
    mkdir -p /run/pcscd
    pcscd
    for _ in $(seq 1 50); do [ -S /run/pcscd/pcscd.comm ] && break; sleep 0.1; done
  fi
  echo "services: pcscd running"
}

start_cupsd() {
  if ! pgrep -x cupsd >/dev/null; then
    mkdir -p /run/cups
    cupsd
    for _ in $(seq 1 50); do lpstat -r >/dev/null 2>&1 && break; sleep 0.1; done
  fi
  if ! lpstat -p PDF >/dev/null 2>&1; then
    lpadmin -p PDF -E -v cups-pdf:/ -m lsb/usr/cups-pdf/CUPS-PDF_noopt.ppd 2>/dev/null \
      || lpadmin -p PDF -E -v cups-pdf:/ -m everywhere 2>/dev/null || true
  fi
  echo "services: cupsd running"
}

for s in "${@:-pcscd cupsd}"; do
  for one in $s; do "start_$one"; done
done
