#!/usr/bin/env bash
# Starts the local daemons the tests and the demo use (no systemd here): pcscd with the
# vpcd virtual readers, cupsd with the cups-pdf printer, a PostgreSQL cluster for the DS's
# PostgreSQL tests (`postgres`, only when asked). Idempotent.
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

# A throw-away PostgreSQL cluster for tests: its own data directory (initdb, not the
# machine's cluster), loopback only, trust authentication (nothing but local test data in it).
# Writes the connection URL to $CARDLINK_PG_DIR/url, where the DS tests read it
# (CARDLINK_TEST_PG_URL overrides it).
start_postgres() {
  local dir="${CARDLINK_PG_DIR:-/tmp/cardlink-pg}" port="${CARDLINK_PG_PORT:-54329}"
  local bin
  bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  [ -x "$bin/initdb" ] || { echo "services: PostgreSQL server binaries not found (Debian package postgresql)" >&2; return 1; }
  # PostgreSQL refuses to run as root: as root, run it as the postgres user.
  local as=()
  if [ "$(id -u)" = 0 ]; then as=(runuser -u postgres --); fi
  mkdir -p "$dir"
  if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; fi
  chmod 700 "$dir"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    "${as[@]}" "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log"
  fi
  if ! "${as[@]}" "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null
  fi
  local url="postgres://postgres@127.0.0.1:$port/postgres"
  echo "$url" >"$dir/url"
  chmod 644 "$dir/url"
  export CARDLINK_TEST_PG_URL="$url"
  echo "services: postgres running ($url)"
}

for s in "${@:-pcscd cupsd}"; do
  for one in $s; do "start_$one"; done
done
