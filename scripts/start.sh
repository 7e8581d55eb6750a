#!/usr/bin/env bash
#
# start.sh: set up (scripts/setup.sh), then start laminard in the background
# on the embedded default and print how to connect.
#
#   data directory  $LAMINAR_DATA or ./data
#   ports           PostgreSQL protocol 5116, HTTP 5115 on 127.0.0.1
#                   ($LAMINAR_PORT, $LAMINAR_HTTP_PORT override)
#   log             DATA/laminard.log
#
# Idempotent: when this data directory's server is already running and
# answering, it says so; a server that is running but not answering is
# restarted; a pid file left by a crash is ignored.  LM_SKIP_SETUP=1 skips the
# set-up step.  scripts/stop.sh stops the server.
set -euo pipefail

cd "$(dirname "$0")/.."
SRCDIR=$(pwd)
if [ "${LM_SKIP_SETUP:-0}" != 1 ]; then
    LM_QUIET=${LM_QUIET:-1} bash scripts/setup.sh
fi

DATA=${LAMINAR_DATA:-$SRCDIR/data}
mkdir -p "$DATA"
DATA=$(cd "$DATA" && pwd)
PORT=${LAMINAR_PORT:-5116}
HTTP_PORT=${LAMINAR_HTTP_PORT:-5115}
LOG=$DATA/laminard.log
PIDFILE=$DATA/laminard.pid
LAMINARD=${LAMINARD:-$SRCDIR/laminard}

ready() { pg_isready -q -h 127.0.0.1 -p "$PORT" -U laminar -d laminar -t 2 >/dev/null 2>&1; }

# The pid of the laminard that owns this data directory, if it is running.
running_pid() {
    local pid
    pid=$(tr -dc '0-9' <"$PIDFILE" 2>/dev/null || true)
    [ -n "$pid" ] || return 1
    kill -0 "$pid" 2>/dev/null || return 1
    [ "$(basename "$(readlink "/proc/$pid/exe" 2>/dev/null)")" = laminard ] || return 1
    echo "$pid"
}

connect_help() {
    echo "Connect with:  psql -h 127.0.0.1 -p $PORT -U laminar"
    echo "Data: $DATA   Log: $LOG   Stop: scripts/stop.sh"
}

if pid=$(running_pid); then
    if ready; then
        echo "laminard is already running (pid $pid) on port $PORT."
        connect_help
        exit 0
    fi
    echo "laminard (pid $pid) is running but not answering on port $PORT; restarting it."
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
elif [ -f "$PIDFILE" ]; then
    echo "Removing a stale pid file (the previous laminard is gone)."
    rm -f "$PIDFILE"
fi

if ready; then
    echo "error: something else already answers on 127.0.0.1:$PORT (not the laminard of $DATA)." >&2
    echo "Stop it, or choose other ports with LAMINAR_PORT=... LAMINAR_HTTP_PORT=..." >&2
    exit 1
fi

[ -x "$LAMINARD" ] || { echo "error: $LAMINARD is not built (run scripts/setup.sh)" >&2; exit 1; }
echo "Starting laminard: data $DATA, port $PORT (HTTP $HTTP_PORT)"
# setsid + nohup: the server outlives this shell and its terminal.
setsid nohup "$LAMINARD" -D "$DATA" --listen 127.0.0.1 --port "$PORT" --http-port "$HTTP_PORT" \
    >>"$LOG" 2>&1 </dev/null &
pid=$!
for _ in $(seq 1 300); do
    if ready; then
        echo "laminard is running (pid $pid)."
        connect_help
        exit 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
        echo "error: laminard exited during start-up; last lines of $LOG:" >&2
        tail -n 20 "$LOG" >&2
        exit 1
    fi
    sleep 0.1
done
echo "error: laminard (pid $pid) did not accept connections within 30 s; see $LOG" >&2
exit 1
