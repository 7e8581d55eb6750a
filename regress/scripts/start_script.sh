#!/usr/bin/env bash
# start_script: the README's first command (scripts/start.sh) on free ports
# and a temp data dir: starts and prints how to connect, is idempotent, ignores
# a pid file left by kill -9, refuses a port taken by something else; and
# scripts/stop.sh stops the server.
set -uo pipefail
. "$(dirname "$0")/../lib/server.sh"
lm_setup
[ -x "$LAMINARD" ] || lm_bail "laminard is built"
export LM_SKIP_SETUP=1 LAMINARD
export LAMINAR_DATA=$LM_TMP/startdata LAMINAR_PORT=$(lm_free_port) LAMINAR_HTTP_PORT=$(lm_free_port)
START=$LM_SRCDIR/scripts/start.sh STOP=$LM_SRCDIR/scripts/stop.sh
LM_PORT=$LAMINAR_PORT

bash "$START" >"$LM_TMP/s1.out" 2>&1
lm_ok $? "start.sh starts laminard" || lm_diag "$(cat "$LM_TMP/s1.out")"
pid=$(tr -dc '0-9' <"$LAMINAR_DATA/laminard.pid")
LM_PIDS+=("$pid")
grep -q "psql -h 127.0.0.1 -p $LAMINAR_PORT -U laminar" "$LM_TMP/s1.out"
lm_ok $? "start.sh prints the psql command" || lm_diag "$(cat "$LM_TMP/s1.out")"
lm_psql -At -c "SHOW server_version" >/dev/null 2>&1
lm_ok $? "psql reaches the server"
[ -s "$LAMINAR_DATA/laminard.log" ]
lm_ok $? "the log goes to DATA/laminard.log"

bash "$START" >"$LM_TMP/s2.out" 2>&1
[ $? -eq 0 ] && grep -q "already running" "$LM_TMP/s2.out" &&
    [ "$(tr -dc '0-9' <"$LAMINAR_DATA/laminard.pid")" = "$pid" ]
lm_ok $? "a second start.sh says it is already running, same pid" || lm_diag "$(cat "$LM_TMP/s2.out")"

kill -KILL "$pid"
sleep 0.3
bash "$START" >"$LM_TMP/s3.out" 2>&1
lm_ok $? "start.sh after kill -9 starts a new server" || lm_diag "$(cat "$LM_TMP/s3.out")"
pid2=$(tr -dc '0-9' <"$LAMINAR_DATA/laminard.pid")
LM_PIDS+=("$pid2")
[ "$pid2" != "$pid" ] && lm_psql -At -c "SHOW server_version" >/dev/null 2>&1
lm_ok $? "the new server answers"

bash "$STOP" >"$LM_TMP/stop.out" 2>&1
! kill -0 "$pid2" 2>/dev/null
lm_ok $? "stop.sh stops it" || lm_diag "$(cat "$LM_TMP/stop.out")"
bash "$STOP" >"$LM_TMP/stop2.out" 2>&1 && grep -q "not running" "$LM_TMP/stop2.out"
lm_ok $? "stop.sh again: not running"

# a foreign listener on the port
/usr/bin/python3 -c '
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(5); time.sleep(20)' "$LAMINAR_PORT" &
squatter=$!
sleep 0.5
timeout 60 bash "$START" >"$LM_TMP/s4.out" 2>&1
[ $? -ne 0 ]
lm_ok $? "start.sh fails when the port is taken by another program" || lm_diag "$(cat "$LM_TMP/s4.out")"
kill "$squatter" 2>/dev/null
wait "$squatter" 2>/dev/null
pid3=$(tr -dc '0-9' <"$LAMINAR_DATA/laminard.pid" 2>/dev/null)
[ -n "$pid3" ] && LM_PIDS+=("$pid3")
lm_done
