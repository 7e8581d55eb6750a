#!/usr/bin/env bash
# bench_http.sh: HTTP benchmarks of a fresh laminard (issue 6), load from wrk in a second
# process: webhook events/s accepted with sync_wait = true and false (1 and 100 events per
# request), and REST request latency (GET list/get endpoints).  Usage:
#   contrib/bench/bench_http.sh [SECONDS] [CONNECTIONS]
# Needs wrk (scripts/setup.sh installs it).  Prints wrk's summaries; results go to BENCHMARKS.md.
set -euo pipefail
SRC=$(cd "$(dirname "$0")/../.." && pwd)
LAMINARD=${LAMINARD:-$SRC/laminard}
SECS=${1:-10}
CONNS=${2:-16}
TMP=$(mktemp -d /tmp/lm-bench-http.XXXXXX)
PG_PORT=${PG_PORT:-25916}
HTTP_PORT=${HTTP_PORT:-25915}
"$LAMINARD" -D "$TMP/data" -p "$PG_PORT" --http-port "$HTTP_PORT" --log-level warning \
    >"$TMP/log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$TMP"' EXIT
for _ in $(seq 50); do pg_isready -q -h 127.0.0.1 -p "$PG_PORT" && break; sleep 0.1; done
TOKEN=bench-token-0123456789
psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U laminar -d laminar \
    -c "CREATE SOURCE TABLE ev_sync (id BIGINT, kind STRING) WITH (connector = 'webhook', token = '$TOKEN')" \
    -c "CREATE SOURCE TABLE ev_async (id BIGINT, kind STRING) WITH (connector = 'webhook', token = '$TOKEN', sync_wait = false)" \
    2>/dev/null
one='{"id": 1, "kind": "click", "page": "/home", "user": {"id": 42, "country": "NZ"}}'
hundred=$(for i in $(seq 100); do echo "$one"; done)
mk_lua() { # body file -> lua script
    cat >"$TMP/$1.lua" <<LUA
local f = io.open("$TMP/$1.body", "rb"); local body = f:read("*a"); f:close()
wrk.method = "POST"; wrk.body = body
wrk.headers["Authorization"] = "Bearer $TOKEN"
wrk.headers["Content-Type"] = "application/json"
LUA
}
printf '%s' "$one" >"$TMP/one.body"; mk_lua one
printf '%s\n' "$hundred" >"$TMP/hundred.body"; mk_lua hundred
H=http://127.0.0.1:$HTTP_PORT
for table in ev_sync ev_async; do
    for body in one hundred; do
        echo "== webhook $table, $body event(s) per request, $CONNS connections, ${SECS}s"
        wrk -t2 -c"$CONNS" -d"${SECS}s" --latency -s "$TMP/$body.lua" "$H/ingest/$table" |
            grep -E "Requests/sec|Latency|50%|99%|Non-2xx"
    done
done
echo "== events stored"
curl -s "$H/metrics" | grep -E "^laminar_ingest_(events|requests)_total"
for path in /api/v1/connection_tables /api/v1/connection_tables/ev_sync /api/v1/connectors /health; do
    echo "== REST GET $path, 4 connections, ${SECS}s"
    wrk -t2 -c4 -d"${SECS}s" --latency "$H$path" | grep -E "Requests/sec|Latency|50%|99%|Non-2xx"
done
