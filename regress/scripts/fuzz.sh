#!/usr/bin/env bash
# fuzz: contrib/pgwire_fuzz sends 2000 generated protocol cases (random,
# truncated, oversize, malformed, mutated sessions; see its header) to a
# laminard with max_message_size = 1MB.  The server must never crash, must
# close every garbage connection, and other sessions must be unaffected.
# Seed: $LM_FUZZ_SEED (default: random, printed); cases: $LM_FUZZ_CASES.
set -uo pipefail
. "$(dirname "$0")/../lib/server.sh"
FUZZ=$LM_BUILDDIR/contrib/pgwire_fuzz
[ -x "$FUZZ" ] || lm_bail "contrib/pgwire_fuzz is built (make contrib/pgwire_fuzz)"
lm_setup
printf "max_message_size = 1MB\n" >"$LM_TMP/fuzz.conf"
LM_SERVER_ARGS=(--config "$LM_TMP/fuzz.conf")
lm_server_start || lm_bail "laminard starts"
SEED=${LM_FUZZ_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
# the fuzzer's own checks are TAP lines 1..k; ours continue after them
"$FUZZ" -p "$LM_PORT" -s "$SEED" -n "${LM_FUZZ_CASES:-2000}" -j 4 -t 5000 -m 1048576 >"$LM_TMP/fuzz.out" 2>&1
status=$?
grep -v '^1\.\.' "$LM_TMP/fuzz.out"
LM_TAP_N=$(grep -cE '^(not )?ok ' "$LM_TMP/fuzz.out")
[ $status -eq 0 ] || LM_TAP_FAILED=$((LM_TAP_FAILED + 1))
lm_server_alive
lm_ok $? "laminard process still alive after fuzzing (seed $SEED)"
! grep -nE "PANIC|assertion failed|unhandled|AddressSanitizer|runtime error" "$LM_LOG" >"$LM_TMP/bad.log"
lm_ok $? "no PANIC, assertion or sanitizer report in the server log" || lm_diag "$(head -10 "$LM_TMP/bad.log")"
lm_psql -At -c "SHOW server_version" >/dev/null 2>&1
lm_ok $? "psql works after fuzzing"
lm_server_stop
lm_ok $? "server shuts down cleanly after fuzzing"
lm_done
