#!/usr/bin/env bash
# server_process: laminard's command line and process behaviour: --help,
# usage errors, LAMINAR_DATA, config file errors, a second server on the same
# data directory refused with a clear message, the lock released by kill -9,
# clean shutdown on SIGTERM and SIGINT, a port already in use.
set -uo pipefail
. "$(dirname "$0")/../lib/server.sh"
lm_setup
[ -x "$LAMINARD" ] || lm_bail "laminard is built ($LAMINARD)"

"$LAMINARD" --help >"$LM_TMP/help.txt" 2>&1
lm_ok $? "--help exits 0"
grep -q -- "-D" "$LM_TMP/help.txt"
lm_ok $? "--help shows the usage"
"$LAMINARD" -D "$LM_TMP/x" --no-such-flag >"$LM_TMP/bad.txt" 2>&1
[ $? -ne 0 ] && grep -qi "usage" "$LM_TMP/bad.txt"
lm_ok $? "an unknown flag fails with the usage"
env -u LAMINAR_DATA "$LAMINARD" >"$LM_TMP/nodata.txt" 2>&1
[ $? -ne 0 ] && grep -qi "data directory" "$LM_TMP/nodata.txt"
lm_ok $? "no -D and no LAMINAR_DATA: a clear error" || lm_diag "$(cat "$LM_TMP/nodata.txt")"
printf 'port = 1\nno_such_setting = 3\n' >"$LM_TMP/bad.conf"
"$LAMINARD" -D "$LM_TMP/x" --config "$LM_TMP/bad.conf" >"$LM_TMP/badconf.txt" 2>&1
[ $? -ne 0 ] && grep -q "bad.conf:2" "$LM_TMP/badconf.txt"
lm_ok $? "a bad config file line is reported with file:line" || lm_diag "$(cat "$LM_TMP/badconf.txt")"
"$LAMINARD" -D "$LM_TMP/x" --ssl-cert "$LM_TMP/none.pem" >"$LM_TMP/halfssl.txt" 2>&1
[ $? -ne 0 ]
lm_ok $? "--ssl-cert without --ssl-key is refused"

lm_server_start || lm_bail "laminard starts"
FIRST_PID=$LM_PID FIRST_PORT=$LM_PORT
grep -q "laminard ready" "$LM_LOG"
lm_ok $? "the log says the server is ready"
[ "$(cat "$LM_DATA/laminard.pid" 2>/dev/null | tr -d '[:space:]')" = "$FIRST_PID" ]
lm_ok $? "laminard.pid holds the server's pid"

# a second server on the same data directory
P2=$(lm_free_port)
H2=$(lm_free_port)
timeout 20 "$LAMINARD" -D "$LM_DATA" --port "$P2" --http-port "$H2" >"$LM_TMP/second.txt" 2>&1
status=$?
[ $status -ne 0 ] && [ $status -ne 124 ]
lm_ok $? "a second server on the same data directory exits with an error (status $status)"
grep -qi "already in use" "$LM_TMP/second.txt" && grep -q "$FIRST_PID" "$LM_TMP/second.txt"
lm_ok $? "its message says the directory is in use and names the first server's pid" ||
    lm_diag "$(cat "$LM_TMP/second.txt")"
lm_psql -At -c "SHOW server_version" >/dev/null 2>&1
lm_ok $? "the first server still answers"

# a second server on another data directory but the same port
timeout 20 "$LAMINARD" -D "$LM_TMP/other" --port "$FIRST_PORT" --http-port "$H2" >"$LM_TMP/port.txt" 2>&1
status=$?
[ $status -ne 0 ] && [ $status -ne 124 ] && grep -qi "in use\|could not\|bind" "$LM_TMP/port.txt"
lm_ok $? "a port already in use is reported and the server exits (status $status)" ||
    lm_diag "$(cat "$LM_TMP/port.txt")"

# kill -9 leaves a stale pid file but no lock
lm_server_kill9
lm_server_restart
lm_ok $? "after kill -9 a new server starts on the same directory (no stale lock)"

# clean shutdown on SIGTERM
lm_server_stop
lm_ok $? "SIGTERM: exit status 0"
grep -q "shutdown complete" "$LM_LOG"
lm_ok $? "SIGTERM: the log records a complete shutdown"

# SIGINT
lm_server_restart || lm_bail "laminard restarts"
pid=$LM_PID
kill -INT "$pid"
for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
! kill -0 "$pid" 2>/dev/null
lm_ok $? "SIGINT stops the server"
wait "$pid"
lm_ok $? "SIGINT: exit status 0"
LM_PID=

# LAMINAR_DATA instead of -D, --log-level debug
P3=$(lm_free_port)
H3=$(lm_free_port)
LAMINAR_DATA=$LM_TMP/envdata "$LAMINARD" --port "$P3" --http-port "$H3" --log-level debug \
    >"$LM_TMP/env.log" 2>&1 &
pid=$!
LM_PIDS+=("$pid")
ok=1
for _ in $(seq 1 100); do
    pg_isready -q -h 127.0.0.1 -p "$P3" -t 1 && { ok=0; break; }
    sleep 0.1
done
lm_ok $ok "LAMINAR_DATA is used when -D is absent"
[ -f "$LM_TMP/envdata/laminard.pid" ]
lm_ok $? "the data directory from LAMINAR_DATA was created"
kill -TERM "$pid"
wait "$pid"
lm_ok $? "stops cleanly"
lm_done
