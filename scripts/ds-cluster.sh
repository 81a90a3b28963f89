#!/usr/bin/env bash
# N stateless DS replicas on PostgreSQL behind HAProxy, on this machine (loopback only).
#
#   bash scripts/ds-cluster.sh start N     start N replicas and HAProxy (health checks on /v1/health)
#   bash scripts/ds-cluster.sh kill I      SIGKILL replica I (1..N)
#   bash scripts/ds-cluster.sh revive I    start replica I again on its port
#   bash scripts/ds-cluster.sh status      replicas and HAProxy's view of them
#   bash scripts/ds-cluster.sh stop        stop everything it started
#
# Environment: CARDLINK_DS_DB (postgres:// URL; default: database ds_cluster on the cluster of
# `scripts/services.sh postgres`, started and created if missing), DS_LB_PORT (8790; stats on
# the next port), CARDLINK_DS_CLUSTER_DIR (/tmp/cardlink-ds-cluster: pids, logs, and the data
# dir every replica shares for the CA key). Admin commands reach the same data with
# `node distribution-service/bin/ds.mjs <command> --db "$CARDLINK_DS_DB"`.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RUN="${CARDLINK_DS_CLUSTER_DIR:-/tmp/cardlink-ds-cluster}"
LB_PORT="${DS_LB_PORT:-8790}"
DS=(node "$ROOT/distribution-service/bin/ds.mjs")

database_url() {
  if [ -n "${CARDLINK_DS_DB:-}" ]; then echo "$CARDLINK_DS_DB"; return; fi
  bash scripts/services.sh postgres >/dev/null
  local admin
  admin="$(cat "${CARDLINK_PG_DIR:-/tmp/cardlink-pg}/url")"
  psql "$admin" -qtAc "SELECT 1 FROM pg_database WHERE datname = 'ds_cluster'" | grep -q 1 \
    || psql "$admin" -qc "CREATE DATABASE ds_cluster" >/dev/null
  echo "${admin%/*}/ds_cluster"
}

start_replica() { # index port(0 = any)
  local i=$1 port=$2 out="$RUN/replica-$i.out"
  : >"$out"
  setsid "${DS[@]}" serve --port "$port" --db "$DB" --data-dir "$RUN/data" --trust-proxy 127.0.0.1 \
    --log-level warn >"$out" 2>"$RUN/replica-$i.log" </dev/null &
  echo $! >"$RUN/replica-$i.pid"
}

wait_listening() { # index → prints the port
  local i=$1
  for _ in $(seq 1 600); do
    if grep -q '"event":"listening"' "$RUN/replica-$i.out" 2>/dev/null; then
      sed -n 's/.*"url":"http:\/\/127\.0\.0\.1:\([0-9]*\)".*/\1/p' "$RUN/replica-$i.out" | head -1
      return
    fi
    kill -0 "$(cat "$RUN/replica-$i.pid")" 2>/dev/null || { echo "replica $i exited:" >&2; tail -5 "$RUN/replica-$i.log" >&2; return 1; }
    sleep 0.1
  done
  echo "replica $i did not start" >&2
  return 1
}

case "${1:-}" in
  start)
    n="${2:?usage: ds-cluster.sh start N}"
    [ -f "$RUN/haproxy.pid" ] && kill -0 "$(cat "$RUN/haproxy.pid")" 2>/dev/null && { echo "already running (stop first)" >&2; exit 1; }
    mkdir -p "$RUN/data"
    DB="$(database_url)"
    echo "$DB" >"$RUN/db"
    # All at once, as replicas of a real deployment start: migrations and the CA are each made once.
    for i in $(seq 1 "$n"); do start_replica "$i" 0; done
    {
      echo "backend ds_replicas from replica"
      for i in $(seq 1 "$n"); do
        port="$(wait_listening "$i")"
        echo "$port" >"$RUN/replica-$i.port"
        echo "    server ds$i 127.0.0.1:$port"
      done
    } >"$RUN/replicas.cfg"
    DS_LB_BIND="127.0.0.1:$LB_PORT" DS_LB_STATS_BIND="127.0.0.1:$((LB_PORT + 1))" \
      haproxy -D -p "$RUN/haproxy.pid" -f distribution-service/deploy/haproxy.cfg -f "$RUN/replicas.cfg"
    echo "$n" >"$RUN/replicas"
    echo "ds-cluster: $n replicas behind http://127.0.0.1:$LB_PORT (stats http://127.0.0.1:$((LB_PORT + 1))/), db $(sed 's#//[^@]*@#//***@#' "$RUN/db")"
    ;;
  kill)
    i="${2:?replica index}"
    kill -KILL "$(cat "$RUN/replica-$i.pid")"
    echo "ds-cluster: replica $i killed"
    ;;
  revive)
    i="${2:?replica index}"
    DB="$(cat "$RUN/db")"
    start_replica "$i" "$(cat "$RUN/replica-$i.port")"
    wait_listening "$i" >/dev/null
    echo "ds-cluster: replica $i back on port $(cat "$RUN/replica-$i.port")"
    ;;
  status)
    for f in "$RUN"/replica-*.pid; do
      [ -e "$f" ] || continue
      i="${f##*/replica-}"; i="${i%.pid}"
      st="$(ps -o stat= -p "$(cat "$f")" 2>/dev/null || true)"
      if [ -n "$st" ] && [ "${st#Z}" = "$st" ]; then s=up; else s=down; fi
      echo "replica $i: $s (port $(cat "$RUN/replica-$i.port" 2>/dev/null || echo ?))"
    done
    curl -s "http://127.0.0.1:$((LB_PORT + 1))/;csv" | awk -F, '$1=="ds_replicas" {print "haproxy: " $2 " " $18}' || true
    ;;
  stop)
    for f in "$RUN"/replica-*.pid "$RUN/haproxy.pid"; do
      [ -e "$f" ] || continue
      kill -TERM "$(cat "$f")" 2>/dev/null || true
      rm -f "$f"
    done
    echo "ds-cluster: stopped"
    ;;
  *)
    sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
