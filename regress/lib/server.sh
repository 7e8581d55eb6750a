# server.sh: start and stop a private laminard for a test (source this file).
#
#     . regress/lib/server.sh
#     lm_server_start                       # fresh data dir, free ports, waits until ready
#     lm_psql -c 'SHOW server_version'      # psql -X against it as user laminar
#     lm_server_kill9; lm_server_restart    # crash and start again on the same data dir
#     lm_server_stop                        # SIGTERM; fails if the server had died
#
# Everything lives under one temp dir ($LM_TMP) removed by the EXIT trap that
# lm_setup installs (lm_server_start calls it), together with every server
# started.  Only 127.0.0.1 is used.  Variables after a start:
#   LM_PORT LM_HTTP_PORT LM_PID LM_DATA LM_LOG LM_TMP
# Inputs (environment):
#   LAMINARD           the binary (default: $LM_BUILDDIR/laminard)
#   LM_BUILDDIR        the build tree (default: the source tree)
#   LM_KEEP_TMP=1      keep the temp dir for post-mortems
#   LM_START_TIMEOUT   seconds to wait for readiness (default 30)
# Extra laminard arguments: set LM_SERVER_ARGS (array) before lm_server_start,
# e.g. LM_SERVER_ARGS=(--config "$LM_TMP/laminar.conf").

LM_SRCDIR=${LM_SRCDIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
LM_BUILDDIR=${LM_BUILDDIR:-$LM_SRCDIR}
LAMINARD=${LAMINARD:-$LM_BUILDDIR/laminard}
LM_START_TIMEOUT=${LM_START_TIMEOUT:-30}
LM_PIDS=()
LM_PID=
LM_PORT=
LM_HTTP_PORT=
declare -a LM_SERVER_ARGS 2>/dev/null || true

# Nothing from the caller's environment may redirect psql/libpq elsewhere.
unset PGHOST PGHOSTADDR PGPORT PGUSER PGPASSWORD PGPASSFILE PGDATABASE PGSERVICE \
    PGSERVICEFILE PGSSLMODE PGREQUIRESSL PGOPTIONS PGAPPNAME PGCONNECT_TIMEOUT PGTARGETSESSIONATTRS
export PGTZ=UTC PGCLIENTENCODING=UTF8 PGCONNECT_TIMEOUT=10

lm_cleanup() {
    local pid
    for pid in "${LM_PIDS[@]}"; do
        if kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid" 2>/dev/null
            for _ in 1 2 3 4 5 6 7 8 9 10; do
                kill -0 "$pid" 2>/dev/null || break
                sleep 0.2
            done
            kill -KILL "$pid" 2>/dev/null
        fi
    done
    if [ -n "${LM_TMP:-}" ] && [ -d "$LM_TMP" ]; then
        if [ "${LM_KEEP_TMP:-0}" = 1 ]; then
            echo "# kept $LM_TMP" >&2
        else
            rm -rf "$LM_TMP"
        fi
    fi
}

# Creates $LM_TMP and installs the cleanup trap (idempotent).
lm_setup() {
    if [ -z "${LM_TMP:-}" ]; then
        LM_TMP=$(mktemp -d "${TMPDIR:-/tmp}/laminar-test.XXXXXX")
        trap lm_cleanup EXIT
        trap 'exit 130' INT TERM
    fi
}

# Prints a TCP port on 127.0.0.1 that nothing listens on or is bound to now.
lm_free_port() {
    /usr/bin/python3 - <<'PY'
import random, socket
for _ in range(200):
    port = random.randint(20000, 60999)
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind(("127.0.0.1", port))
    except OSError:
        continue
    finally:
        s.close()
    print(port)
    break
else:
    raise SystemExit("no free port found")
PY
}

# True while the server answers the PostgreSQL protocol.
lm_server_ready() {
    pg_isready -q -h 127.0.0.1 -p "$LM_PORT" -U laminar -d laminar -t 2 >/dev/null 2>&1
}

# Starts laminard on LM_DATA (a new data dir unless set) with free ports; waits until ready.
# Retries with other ports when the server dies at start (a port taken meanwhile).
lm_server_start() {
    lm_setup
    [ -x "$LAMINARD" ] || { echo "# laminard not built: $LAMINARD" >&2; return 1; }
    LM_DATA=${LM_DATA:-$LM_TMP/data}
    LM_LOG=${LM_LOG:-$LM_TMP/laminard.log}
    local attempt
    for attempt in 1 2 3; do
        LM_PORT=$(lm_free_port)
        LM_HTTP_PORT=$(lm_free_port)
        if _lm_launch "$@"; then
            return 0
        fi
        # only a start-up failure caused by a port clash is worth a retry
        grep -qi "address already in use" "$LM_LOG" 2>/dev/null || break
    done
    echo "# laminard did not start; last lines of $LM_LOG:" >&2
    tail -n 20 "$LM_LOG" 2>/dev/null | sed 's/^/#   /' >&2
    return 1
}

# Starts again on the same data dir and ports (after lm_server_kill9 or lm_server_stop).
lm_server_restart() {
    _lm_launch "$@" && return 0
    echo "# laminard did not restart; last lines of $LM_LOG:" >&2
    tail -n 20 "$LM_LOG" 2>/dev/null | sed 's/^/#   /' >&2
    return 1
}

_lm_launch() {
    echo "# starting laminard -D $LM_DATA --port $LM_PORT --http-port $LM_HTTP_PORT ${LM_SERVER_ARGS[*]} $*" >>"$LM_LOG"
    "$LAMINARD" -D "$LM_DATA" --listen 127.0.0.1 --port "$LM_PORT" --http-port "$LM_HTTP_PORT" \
        "${LM_SERVER_ARGS[@]}" "$@" >>"$LM_LOG" 2>&1 </dev/null &
    LM_PID=$!
    LM_PIDS+=("$LM_PID")
    local deadline=$((SECONDS + LM_START_TIMEOUT))
    while [ $SECONDS -lt $deadline ]; do
        if ! kill -0 "$LM_PID" 2>/dev/null; then
            wait "$LM_PID" 2>/dev/null
            return 1
        fi
        lm_server_ready && return 0
        sleep 0.1
    done
    echo "# laminard not ready after ${LM_START_TIMEOUT}s" >>"$LM_LOG"
    kill -KILL "$LM_PID" 2>/dev/null
    return 1
}

# True while the server process lives.
lm_server_alive() {
    [ -n "$LM_PID" ] && kill -0 "$LM_PID" 2>/dev/null
}

# SIGTERM and wait (up to 20 s).  Returns 1 if the server had already died
# (a crash) or did not stop in time (then it is killed).
lm_server_stop() {
    [ -n "$LM_PID" ] || return 0
    local pid=$LM_PID status=0
    LM_PID=
    if ! kill -0 "$pid" 2>/dev/null; then
        echo "# laminard (pid $pid) was no longer running" >&2
        wait "$pid" 2>/dev/null
        return 1
    fi
    kill -TERM "$pid"
    local i
    for i in $(seq 1 200); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        echo "# laminard (pid $pid) ignored SIGTERM for 20 s; killed" >&2
        kill -KILL "$pid"
        status=1
    fi
    local rc=0
    wait "$pid" 2>/dev/null || rc=$?
    if [ $status -eq 0 ] && [ $rc -ne 0 ]; then
        echo "# laminard exited with status $rc after SIGTERM" >&2
        status=1
    fi
    return $status
}

# kill -9 and reap.
lm_server_kill9() {
    [ -n "$LM_PID" ] || return 0
    kill -KILL "$LM_PID" 2>/dev/null
    wait "$LM_PID" 2>/dev/null
    LM_PID=
    return 0
}

# psql against the server as the bootstrap superuser (extra args appended).
lm_psql() {
    psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$LM_PORT" -U laminar -d laminar "$@"
}

# ---- TAP helpers for script tests ----
LM_TAP_N=0
LM_TAP_FAILED=0

# lm_ok CONDITION_STATUS DESCRIPTION: e.g. `cmd; lm_ok $? "cmd works"`
lm_ok() {
    local status=$1
    shift
    LM_TAP_N=$((LM_TAP_N + 1))
    if [ "$status" -eq 0 ]; then
        echo "ok $LM_TAP_N - $*"
    else
        echo "not ok $LM_TAP_N - $*"
        LM_TAP_FAILED=$((LM_TAP_FAILED + 1))
    fi
    return "$status"
}

lm_skip() {
    local reason=$1
    shift
    LM_TAP_N=$((LM_TAP_N + 1))
    echo "ok $LM_TAP_N - $* # SKIP $reason"
}

lm_diag() {
    printf '%s\n' "$@" | sed 's/^/#   /'
}

# Prints the plan and returns the exit status: `exit $(lm_done)` is wrong, use `lm_done; exit $?`.
lm_done() {
    echo "1..$LM_TAP_N"
    [ "$LM_TAP_FAILED" -eq 0 ]
}

# lm_bail MESSAGE: a fatal problem before the checks (counted as one failure).
lm_bail() {
    LM_TAP_N=$((LM_TAP_N + 1))
    echo "not ok $LM_TAP_N - $*"
    if [ -n "${LM_LOG:-}" ] && [ -f "$LM_LOG" ]; then
        echo "#   last lines of the server log:"
        tail -n 15 "$LM_LOG" | sed 's/^/#     /'
    fi
    echo "1..$LM_TAP_N"
    exit 1
}
