#!/usr/bin/env bash
# secrets: the value of a CREATE SECRET, and of sensitive options given as
# literals, never appears in any SHOW output, catalog view or the server log
# (at log level debug), yet the objects that use them exist.
set -uo pipefail
. "$(dirname "$0")/../lib/server.sh"

lm_server_start --log-level debug || lm_bail "laminard starts"
SECRET1=s3cr3t-VALUE-one SECRET2=lit-PASSWORD-two SECRET3=pg-PASSWORD-three
lm_psql >"$LM_TMP/ddl.out" 2>&1 <<SQL
CREATE SECRET kpw AS '$SECRET1';
CREATE CONNECTION PROFILE k1 WITH (connector = 'kafka', bootstrap_servers = '127.0.0.1:9092',
    sasl_mechanism = 'plain', sasl_username = 'u', sasl_password = SECRET kpw);
CREATE CONNECTION PROFILE k2 WITH (connector = 'kafka', bootstrap_servers = '127.0.0.1:9092',
    sasl_username = 'u', sasl_password = '$SECRET2');
CREATE CONNECTION PROFILE p1 WITH (connector = 'postgres', host = '127.0.0.1', password = '$SECRET3');
CREATE SOURCE TABLE st (id INT) WITH (connector = 'kafka', profile = 'k1', topic = 't');
CREATE SINK TABLE sk (id INT) WITH (connector = 'postgres', profile = 'p1', table = 't', password = '$SECRET3');
SQL
lm_ok $? "create a secret and objects using secrets and sensitive literals" || lm_diag "$(cat "$LM_TMP/ddl.out")"

# everything a user can look at
for q in "SHOW CONNECTION PROFILES" "SHOW SOURCE TABLES" "SHOW SINK TABLES" "SHOW CONNECTORS" "SHOW ALL" \
    "SHOW CREATE CONNECTION PROFILE k1" "SHOW CREATE CONNECTION PROFILE k2" \
    "SHOW CREATE CONNECTION PROFILE p1" "SHOW CREATE SOURCE TABLE st" "SHOW CREATE SINK TABLE sk" \
    "SHOW SECRETS" "SELECT * FROM laminar.connection_profiles" "SELECT * FROM laminar.connection_tables" \
    "TEST CONNECTION PROFILE k1"; do
    echo "== $q"
    lm_psql -A -c "$q" 2>&1
done >"$LM_TMP/views.out"
grep -c "^== " "$LM_TMP/views.out" >/dev/null
n_ok=$(grep -vc "ERROR" "$LM_TMP/views.out")
[ "$n_ok" -gt 20 ]
lm_ok $? "the listings return output" || lm_diag "$(head -30 "$LM_TMP/views.out")"
! grep -n -e "$SECRET1" -e "$SECRET2" -e "$SECRET3" "$LM_TMP/views.out"
lm_ok $? "no secret value in any SHOW output or view" || lm_diag "$(grep -n -e "$SECRET1" -e "$SECRET2" -e "$SECRET3" "$LM_TMP/views.out")"
grep -q "k1" "$LM_TMP/views.out" && grep -q "st" "$LM_TMP/views.out"
lm_ok $? "the objects that use secrets are listed"
! grep -n -e "$SECRET1" -e "$SECRET2" -e "$SECRET3" "$LM_LOG"
lm_ok $? "no secret value in the server log (debug level)" || lm_diag "$(grep -n -e "$SECRET1" "$LM_LOG" | head)"

# a failed statement echoes no secret either (error messages quote options)
lm_psql -c "CREATE CONNECTION PROFILE k3 WITH (connector = 'kafka', sasl_password = '$SECRET2', no_such_opt = 1)" \
    >"$LM_TMP/err.out" 2>&1
! grep -q "$SECRET2" <(grep -v "^LINE" "$LM_TMP/err.out")
lm_ok $? "error messages do not quote secret values" || lm_diag "$(cat "$LM_TMP/err.out")"
lm_server_stop
lm_ok $? "server stops cleanly"
lm_done
