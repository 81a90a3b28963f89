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
  # A printer stopped by an earlier failed job would hold new ones: enable and accept.
  cupsenable PDF 2>/dev/null || true
  cupsaccept PDF 2>/dev/null || true
  # cups-pdf writes each job's PDF under `Out` (Debian's default is ${HOME}/PDF, which
  # depends on who prints). Pin it to one known folder per user, read by the tests and demo.
  local conf=/etc/cups/cups-pdf.conf
  if [ -f "$conf" ] && ! grep -qx 'Out /var/spool/cups-pdf/${USER}' "$conf"; then
    sed -i -e '/^[[:space:]]*Out[[:space:]]/d' "$conf"
    echo 'Out /var/spool/cups-pdf/${USER}' >> "$conf"
  fi
  echo "services: cupsd running"
}

for s in "${@:-pcscd cupsd}"; do
  for one in $s; do "start_$one"; done
done
