#!/usr/bin/env bash
# stop.sh: stop the laminard started by scripts/start.sh (SIGTERM, clean
# shutdown; SIGKILL after 30 s).  Data directory: $LAMINAR_DATA or ./data.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${LAMINAR_DATA:-$(pwd)/data}
pid=$(tr -dc '0-9' <"$DATA/laminard.pid" 2>/dev/null || true)
if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null ||
    [ "$(basename "$(readlink "/proc/$pid/exe" 2>/dev/null)")" != laminard ]; then
    echo "laminard is not running (data $DATA)."
    exit 0
fi
kill -TERM "$pid"
for _ in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || { echo "laminard (pid $pid) stopped."; exit 0; }
    sleep 0.1
done
echo "laminard (pid $pid) did not stop within 30 s; sending SIGKILL." >&2
kill -KILL "$pid"
